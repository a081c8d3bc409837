import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isDeepStrictEqual } from 'node:util';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError, LocalizedDetail } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { nfc } from '../common/text/vietnamese';
import { frameworkReadScope } from '../competencies/framework-scope';
import { assertSomeField } from '../courses/courses.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import {
  BankQuestionDetailDto,
  BankQuestionDto,
  CreateBankQuestionDto,
  CreateQuestionBankDto,
  CreateQuestionCategoryDto,
  ListBankQuestionsQueryDto,
  ListQuestionBanksQueryDto,
  QuestionBankDto,
  ReviseBankQuestionDto,
  UpdateBankQuestionDto,
  UpdateQuestionBankDto,
} from './dto/question-bank.dto';
import {
  bankScope,
  BankRow,
  checkContent,
  checkedContent,
  cleanTags,
  placing,
  QUESTION_COLUMNS,
  QUESTION_FROM,
  QuestionRow,
  toBankDto,
  toQuestionDto,
} from './question-bank.rows';
import { QuestionVersion } from './questions/question-model';

const ENTITY = 'bank_question';

/**
 * Question banks (issue 16): owned by an org unit and shared down its subtree like courses —
 * written inside the officer's training:manage subtree, read inside the training:read one, and
 * an active bank of a unit above is read (and drawn from) too. A question's content is versioned:
 * a revision adds a version (an attempt keeps the one it showed), its placing (category, tags,
 * difficulty, competency, status) changes in place. Nothing is deleted: a bank is archived, a
 * question retired. Every change is audited.
 */
@Injectable()
export class QuestionBanksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orgUnits: OrgUnitsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * The grading engine's failures of a version's content as it would be created or revised
   * (none: it would be accepted), each at its path in both languages — for a form that shows
   * them all at once beside its inputs before anything is sent. No database, no actor.
   */
  checkContent(content: { prompt: string; points: unknown; body: object }): LocalizedDetail[] {
    const checked = checkContent(content);
    return 'details' in checked ? checked.details : [];
  }

  /** The bank if the actor may read (use) or change (write) it, else 404. */
  async findBank(
    actor: Actor,
    id: string,
    mode: 'write' | 'use',
    em: EntityManager = this.dataSource.manager,
  ): Promise<BankRow> {
    const scope = bankScope(actor, mode, 2);
    const writable = bankScope(actor, 'write', 2 + scope.params.length);
    const rows = await em.query<BankRow[]>(
      `SELECT b.id, b.owner_org_unit_id, o.name AS owner_name, b.name, b.description, b.status,
              b.created_at, b.updated_at, (${writable.sql}) AS writable,
              (SELECT count(*)::int FROM bank_questions q
                WHERE q.bank_id = b.id AND q.status = 'active') AS question_count
         FROM question_banks b JOIN org_units o ON o.id = b.owner_org_unit_id
        WHERE b.id = $1 AND ${scope.sql}
        ${mode === 'write' ? 'FOR UPDATE OF b' : ''}`,
      [id, ...scope.params, ...writable.params],
    );
    if (!rows[0]) throw new DomainError('QUESTION_BANK_NOT_FOUND');
    return rows[0];
  }

  async create(actor: Actor, dto: CreateQuestionBankDto): Promise<QuestionBankDto> {
    return this.dataSource.transaction(async (em) => {
      const unit = await this.orgUnits.findInScope(
        actor,
        dto.ownerOrgUnitId,
        'training:manage',
        em,
      );
      const [{ id }] = await em.query<{ id: string }[]>(
        `INSERT INTO question_banks (owner_org_unit_id, name, description, created_by_user_id)
         VALUES ($1, $2, $3, $4) RETURNING id`,
        [unit.id, nfc(dto.name), dto.description ? nfc(dto.description) : null, actor.userId],
      );
      await this.audit.record(em, actor, {
        action: 'question_bank.created',
        entityType: 'question_bank',
        entityId: id,
        orgUnitId: unit.id,
        before: null,
        after: { name: nfc(dto.name) },
      });
      return this.bankDto(em, await this.findBank(actor, id, 'use', em));
    });
  }

  async update(actor: Actor, id: string, dto: UpdateQuestionBankDto): Promise<QuestionBankDto> {
    assertSomeField(dto);
    return this.dataSource.transaction(async (em) => {
      const bank = await this.findBank(actor, id, 'write', em);
      const after = {
        name: dto.name !== undefined ? nfc(dto.name) : bank.name,
        description:
          dto.description === undefined
            ? bank.description
            : dto.description
              ? nfc(dto.description)
              : null,
        status: dto.status ?? bank.status,
      };
      await em.query(
        `UPDATE question_banks SET name = $2, description = $3, status = $4, updated_at = now()
          WHERE id = $1`,
        [id, after.name, after.description, after.status],
      );
      await this.audit.record(em, actor, {
        action: 'question_bank.updated',
        entityType: 'question_bank',
        entityId: id,
        orgUnitId: bank.owner_org_unit_id,
        before: { name: bank.name, description: bank.description, status: bank.status },
        after,
      });
      return this.bankDto(em, await this.findBank(actor, id, 'use', em));
    });
  }

  async get(actor: Actor, id: string): Promise<QuestionBankDto> {
    const em = this.dataSource.manager;
    return this.bankDto(em, await this.findBank(actor, id, 'use', em));
  }

  /** The banks the officer may read, by name, keyset-paginated. */
  async list(actor: Actor, query: ListQuestionBanksQueryDto): Promise<Page<QuestionBankDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['text', 'uuid']);
    const scope = bankScope(actor, 'use', 1);
    const params: unknown[] = [...scope.params];
    const where = [scope.sql];
    if (query.status) {
      params.push(query.status);
      where.push(`b.status = $${params.length}`);
    }
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where.push(`(b.name, b.id) > ($${params.length - 1}, $${params.length}::uuid)`);
    }
    const writable = bankScope(actor, 'write', params.length + 1);
    params.push(...writable.params, limit + 1);
    const rows = await this.dataSource.query<BankRow[]>(
      `SELECT b.id, b.owner_org_unit_id, o.name AS owner_name, b.name, b.description, b.status,
              b.created_at, b.updated_at, (${writable.sql}) AS writable,
              (SELECT count(*)::int FROM bank_questions q
                WHERE q.bank_id = b.id AND q.status = 'active') AS question_count
         FROM question_banks b JOIN org_units o ON o.id = b.owner_org_unit_id
        WHERE ${where.join(' AND ')}
        ORDER BY b.name, b.id LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const categories = await this.categoriesOf(
      this.dataSource.manager,
      page.map((b) => b.id),
    );
    return toPage(
      rows,
      limit,
      (b) => [b.name, b.id],
      (b) => toBankDto(b, categories.get(b.id) ?? []),
    );
  }

  async addCategory(
    actor: Actor,
    id: string,
    dto: CreateQuestionCategoryDto,
  ): Promise<QuestionBankDto> {
    return this.dataSource.transaction(async (em) => {
      const bank = await this.findBank(actor, id, 'write', em);
      const name = nfc(dto.name);
      const rows = await em.query<{ id: string }[]>(
        `INSERT INTO question_categories (bank_id, name) VALUES ($1, $2)
         ON CONFLICT (bank_id, name) DO NOTHING RETURNING id`,
        [id, name],
      );
      if (!rows[0]) throw new DomainError('QUESTION_CATEGORY_NAME_TAKEN', { name });
      await this.audit.record(em, actor, {
        action: 'question_category.created',
        entityType: 'question_bank',
        entityId: id,
        orgUnitId: bank.owner_org_unit_id,
        before: null,
        after: { category: name },
      });
      return this.bankDto(em, await this.findBank(actor, id, 'use', em));
    });
  }

  async createQuestion(
    actor: Actor,
    bankId: string,
    dto: CreateBankQuestionDto,
  ): Promise<BankQuestionDetailDto> {
    return this.dataSource.transaction(async (em) => {
      const bank = await this.findBank(actor, bankId, 'write', em);
      if (bank.status === 'archived') throw new DomainError('QUESTION_BANK_ARCHIVED');
      const content = checkedContent(dto);
      await this.checkCategory(em, bankId, dto.categoryId);
      const lineage = await this.lineageOf(em, actor, dto.competencyId);
      const [{ id }] = await em.query<{ id: string }[]>(
        `INSERT INTO bank_questions (bank_id, category_id, kind, difficulty, tags,
                                     competency_lineage_id)
         VALUES ($1, $2, $3, $4, $5::text[], $6) RETURNING id`,
        [
          bankId,
          dto.categoryId ?? null,
          content.body.kind,
          dto.difficulty ?? 2,
          cleanTags(dto.tags ?? []),
          lineage,
        ],
      );
      await this.insertVersion(em, actor, id, 1, content);
      await this.audit.record(em, actor, {
        action: `${ENTITY}.created`,
        entityType: ENTITY,
        entityId: id,
        orgUnitId: bank.owner_org_unit_id,
        before: null,
        after: { version: 1, ...content },
      });
      return this.questionDetail(em, bankId, id);
    });
  }

  /**
   * A new version of the content (prompt, points, body) — unless it is the same as the current
   * one, when only the placing fields given change. The kind stays: another kind is another
   * question. `expectedVersion` guards against two officers editing at once.
   */
  async reviseQuestion(
    actor: Actor,
    bankId: string,
    questionId: string,
    dto: ReviseBankQuestionDto,
  ): Promise<BankQuestionDetailDto> {
    return this.dataSource.transaction(async (em) => {
      const bank = await this.findBank(actor, bankId, 'write', em);
      if (bank.status === 'archived') throw new DomainError('QUESTION_BANK_ARCHIVED');
      const current = await this.lockQuestion(em, bankId, questionId);
      if (dto.expectedVersion !== undefined && dto.expectedVersion !== current.version) {
        throw new DomainError('QUESTION_VERSION_CONFLICT', { current: current.version });
      }
      const content = checkedContent(dto);
      if (content.body.kind !== current.kind) {
        throw new DomainError('QUESTION_KIND_CHANGED', { kind: current.kind });
      }
      const before: QuestionVersion = {
        prompt: current.prompt,
        points: current.points,
        body: current.body as unknown as QuestionVersion['body'],
      };
      const changed = !isDeepStrictEqual(
        JSON.parse(JSON.stringify(before)),
        JSON.parse(JSON.stringify(content)),
      );
      const version = changed ? current.version + 1 : current.version;
      if (changed) await this.insertVersion(em, actor, questionId, version, content);
      await this.placeQuestion(em, actor, bankId, questionId, dto, version);
      await this.audit.record(em, actor, {
        action: `${ENTITY}.revised`,
        entityType: ENTITY,
        entityId: questionId,
        orgUnitId: bank.owner_org_unit_id,
        before: { version: current.version, ...before },
        after: { version, ...content },
      });
      return this.questionDetail(em, bankId, questionId);
    });
  }

  /** The placing of a question (category, tags, difficulty, competency) and its status. */
  async updateQuestion(
    actor: Actor,
    bankId: string,
    questionId: string,
    dto: UpdateBankQuestionDto,
  ): Promise<BankQuestionDetailDto> {
    assertSomeField(dto);
    return this.dataSource.transaction(async (em) => {
      const bank = await this.findBank(actor, bankId, 'write', em);
      const current = await this.lockQuestion(em, bankId, questionId);
      // Retiring is allowed in an archived bank (it only narrows); any other change is not.
      const onlyRetires = dto.status === 'retired' && Object.keys(dto).length === 1;
      if (bank.status === 'archived' && !onlyRetires) {
        throw new DomainError('QUESTION_BANK_ARCHIVED');
      }
      await this.placeQuestion(em, actor, bankId, questionId, dto, current.version);
      await this.audit.record(em, actor, {
        action: `${ENTITY}.updated`,
        entityType: ENTITY,
        entityId: questionId,
        orgUnitId: bank.owner_org_unit_id,
        before: placing(current),
        after: { ...placing(current), ...dto },
      });
      return this.questionDetail(em, bankId, questionId);
    });
  }

  async getQuestion(
    actor: Actor,
    bankId: string,
    questionId: string,
  ): Promise<BankQuestionDetailDto> {
    const em = this.dataSource.manager;
    await this.findBank(actor, bankId, 'use', em);
    return this.questionDetail(em, bankId, questionId);
  }

  /** A bank's questions, newest first, keyset-paginated, with the filters of the random draw. */
  async listQuestions(
    actor: Actor,
    bankId: string,
    query: ListBankQuestionsQueryDto,
  ): Promise<Page<BankQuestionDto>> {
    await this.findBank(actor, bankId, 'use');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const params: unknown[] = [bankId];
    const where = ['q.bank_id = $1'];
    const filter = (value: unknown, sql: (p: string) => string) => {
      if (value === undefined) return;
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    filter(query.categoryId, (p) => `q.category_id = ${p}::uuid`);
    filter(
      query.tag === undefined ? undefined : nfc(query.tag),
      (p) => `q.tags @> ARRAY[${p}::text]`,
    );
    filter(query.difficulty, (p) => `q.difficulty = ${p}`);
    filter(query.kind, (p) => `q.kind = ${p}`);
    filter(query.status, (p) => `q.status = ${p}`);
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where.push(
        `(q.created_at, q.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    params.push(limit + 1);
    const rows = await this.dataSource.query<QuestionRow[]>(
      `SELECT ${QUESTION_COLUMNS} FROM ${QUESTION_FROM}
        WHERE ${where.join(' AND ')}
        ORDER BY q.created_at DESC, q.id DESC LIMIT $${params.length}`,
      params,
    );
    return toPage(rows, limit, (r) => [r.at_key, r.id], toQuestionDto);
  }

  private async lockQuestion(
    em: EntityManager,
    bankId: string,
    questionId: string,
  ): Promise<QuestionRow> {
    const rows = await em.query<QuestionRow[]>(
      `SELECT ${QUESTION_COLUMNS} FROM ${QUESTION_FROM}
        WHERE q.id = $1 AND q.bank_id = $2 FOR UPDATE OF q`,
      [questionId, bankId],
    );
    if (!rows[0]) throw new DomainError('BANK_QUESTION_NOT_FOUND');
    return rows[0];
  }

  private async insertVersion(
    em: EntityManager,
    actor: Actor,
    questionId: string,
    version: number,
    content: QuestionVersion,
  ): Promise<void> {
    await em.query(
      `INSERT INTO bank_question_versions (question_id, version, prompt, points, body,
                                           created_by_user_id)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
      [
        questionId,
        version,
        content.prompt,
        content.points,
        JSON.stringify(content.body),
        actor.userId,
      ],
    );
  }

  /** Writes the placing fields given (undefined keeps, null clears) and the current version. */
  private async placeQuestion(
    em: EntityManager,
    actor: Actor,
    bankId: string,
    questionId: string,
    dto: UpdateBankQuestionDto,
    version: number,
  ): Promise<void> {
    await this.checkCategory(em, bankId, dto.categoryId);
    const lineage =
      dto.competencyId === undefined
        ? undefined
        : await this.lineageOf(em, actor, dto.competencyId);
    await em.query(
      `UPDATE bank_questions
          SET category_id = CASE WHEN $2 THEN $3::uuid ELSE category_id END,
              tags = coalesce($4::text[], tags),
              difficulty = coalesce($5::smallint, difficulty),
              competency_lineage_id = CASE WHEN $6 THEN $7::uuid ELSE competency_lineage_id END,
              status = coalesce($8::bank_question_status, status),
              current_version = $9, updated_at = now()
        WHERE id = $1`,
      [
        questionId,
        dto.categoryId !== undefined,
        dto.categoryId ?? null,
        dto.tags ? cleanTags(dto.tags) : null,
        dto.difficulty ?? null,
        lineage !== undefined,
        lineage ?? null,
        dto.status ?? null,
        version,
      ],
    );
  }

  /** A category given must be one of the bank's (422 otherwise, even another bank's). */
  private async checkCategory(
    em: EntityManager,
    bankId: string,
    categoryId: string | null | undefined,
  ): Promise<void> {
    if (!categoryId) return;
    const rows = await em.query<unknown[]>(
      `SELECT 1 FROM question_categories WHERE id = $1 AND bank_id = $2`,
      [categoryId, bankId],
    );
    if (!rows[0]) {
      throw new DomainError('QUESTION_CATEGORY_UNKNOWN', {}, [
        { field: 'categoryId', message: categoryId },
      ]);
    }
  }

  /** The lineage of a competency of a published framework version the actor reads. */
  private async lineageOf(
    em: EntityManager,
    actor: Actor,
    competencyId: string | null | undefined,
  ): Promise<string | null> {
    if (!competencyId) return null;
    const read = frameworkReadScope(actor, 2);
    const rows = await em.query<{ lineage_id: string }[]>(
      `SELECT c.lineage_id FROM competencies c
         JOIN framework_versions v ON v.id = c.version_id AND v.status = 'published'
         JOIN competency_frameworks f ON f.id = v.framework_id
         JOIN org_units o ON o.id = f.owner_org_unit_id
        WHERE c.id = $1 AND ${read.sql}`,
      [competencyId, ...read.params],
    );
    if (!rows[0]) {
      throw new DomainError('QUESTION_COMPETENCY_UNKNOWN', {}, [
        { field: 'competencyId', message: competencyId },
      ]);
    }
    return rows[0].lineage_id;
  }

  private async questionDetail(
    em: EntityManager,
    bankId: string,
    questionId: string,
  ): Promise<BankQuestionDetailDto> {
    const rows = await em.query<QuestionRow[]>(
      `SELECT ${QUESTION_COLUMNS} FROM ${QUESTION_FROM} WHERE q.id = $1 AND q.bank_id = $2`,
      [questionId, bankId],
    );
    if (!rows[0]) throw new DomainError('BANK_QUESTION_NOT_FOUND');
    const versions = await em.query<
      {
        id: string;
        version: number;
        prompt: string;
        points: number;
        body: Record<string, unknown>;
        created_at: Date;
      }[]
    >(
      `SELECT id, version, prompt, points, body, created_at FROM bank_question_versions
        WHERE question_id = $1 ORDER BY version DESC`,
      [questionId],
    );
    return {
      ...toQuestionDto(rows[0]),
      versions: versions.map((v) => ({
        id: v.id,
        version: v.version,
        prompt: v.prompt,
        points: v.points,
        body: v.body,
        createdAt: new Date(v.created_at).toISOString(),
      })),
    };
  }

  private async bankDto(em: EntityManager, bank: BankRow): Promise<QuestionBankDto> {
    const categories = await this.categoriesOf(em, [bank.id]);
    return toBankDto(bank, categories.get(bank.id) ?? []);
  }

  /** The categories of some banks with their active questions counted, in one query. */
  private async categoriesOf(
    em: EntityManager,
    bankIds: string[],
  ): Promise<Map<string, QuestionBankDto['categories']>> {
    const rows = await em.query<
      { bank_id: string; id: string; name: string; question_count: number }[]
    >(
      `SELECT c.bank_id, c.id, c.name,
              (SELECT count(*)::int FROM bank_questions q
                WHERE q.category_id = c.id AND q.status = 'active') AS question_count
         FROM question_categories c WHERE c.bank_id = ANY($1::uuid[])
        ORDER BY c.bank_id, c.name, c.id`,
      [bankIds],
    );
    const out = new Map<string, QuestionBankDto['categories']>();
    for (const r of rows) {
      const list = out.get(r.bank_id) ?? [];
      list.push({ id: r.id, name: r.name, questionCount: r.question_count });
      out.set(r.bank_id, list);
    }
    return out;
  }
}
