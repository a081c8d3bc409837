import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor } from '../auth/actor';
import { DomainError, ErrorDetail } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { nfc } from '../common/text/vietnamese';
import { courseScopeRaw } from '../courses/course-scope';
import { OrgUnitsService } from '../org-units/org-units.service';
import {
  CourseSetInputDto,
  CreateProgrammeDto,
  ListProgrammesQueryDto,
  ProgrammeDto,
  UpdateProgrammeDto,
} from './dto/programme.dto';
import { assertNotPast } from './due-dates';
import { ProgrammeEntity } from './programme.entities';
import { programmeScopeRaw } from './programme-scope';
import { checkRules, checkSets, Rules } from './programme-rules';
import { SetRule } from './programme.types';
import { isUniqueViolation } from '../common/sql/unique-violation';
import { Clock } from '../common/clock/clock';

interface SetCourseRow {
  position: number;
  rule: SetRule;
  min_count: number | null;
  course_id: string;
  code: string;
  title: string;
  status: string;
}

/**
 * Programmes: courses in ordered sets with a rule each, a due rule and a recertification
 * policy. Decision: LOCK like courses — once published the sets never change (PROGRAMME_LOCKED),
 * so members' progress keeps its meaning; title, description, due and recertification rules stay
 * editable (the due rule is snapshotted per assignment, so existing dates never move).
 */
@Injectable()
export class ProgrammesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orgUnits: OrgUnitsService,
    private readonly clock: Clock,
  ) {}

  /** The programme if the actor may see it in `mode`, else 404 (never 403: no existence leak). */
  async findForStaff(
    actor: Actor,
    id: string,
    mode: 'write' | 'use',
    em: EntityManager = this.dataSource.manager,
    lock = false,
    permission?: 'training:manage' | 'training:read',
  ): Promise<ProgrammeEntity> {
    const scope = programmeScopeRaw(actor, mode, 2, permission);
    const rows = await em.query<{ id: string }[]>(
      `SELECT pr.id FROM programmes pr JOIN org_units o ON o.id = pr.owner_org_unit_id
        WHERE pr.id = $1 AND ${scope.sql} ${lock ? 'FOR UPDATE OF pr' : ''}`,
      [id, ...scope.params],
    );
    if (!rows[0]) throw new DomainError('PROGRAMME_NOT_FOUND');
    return em.findOneByOrFail(ProgrammeEntity, { id });
  }

  async create(actor: Actor, dto: CreateProgrammeDto): Promise<ProgrammeDto> {
    const rules: Rules = {
      dueRuleKind: dto.dueRuleKind,
      dueDays: dto.dueDays ?? null,
      dueDate: dto.dueDate ?? null,
      recertValidityMonths: dto.recertValidityMonths ?? null,
      recertWindowDays: dto.recertWindowDays ?? null,
    };
    checkRules(rules);
    if (dto.sets) checkSets(dto.sets);
    return this.dataSource.transaction(async (em) => {
      await this.orgUnits.findInScope(actor, dto.ownerOrgUnitId, 'training:manage', em);
      assertNotPast(rules.dueDate, this.clock.todayVn());
      if (dto.recertProgrammeId) await this.findForStaff(actor, dto.recertProgrammeId, 'use', em);
      let id: string;
      try {
        const rows = await em.query<{ id: string }[]>(
          `INSERT INTO programmes (code, title, description, owner_org_unit_id, due_rule_kind,
                                   due_days, due_date, recert_validity_months, recert_window_days,
                                   recert_programme_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (code) DO NOTHING RETURNING id`,
          [
            dto.code,
            nfc(dto.title),
            dto.description ? nfc(dto.description) : null,
            dto.ownerOrgUnitId,
            rules.dueRuleKind,
            rules.dueDays,
            rules.dueDate,
            rules.recertValidityMonths,
            rules.recertWindowDays,
            dto.recertProgrammeId ?? null,
          ],
        );
        if (!rows[0]) {
          throw new DomainError('PROGRAMME_CODE_TAKEN', { code: dto.code }, [
            { field: 'code', message: 'taken' },
          ]);
        }
        id = rows[0].id;
      } catch (e) {
        if (isUniqueViolation(e)) throw new DomainError('PROGRAMME_CODE_TAKEN', { code: dto.code });
        throw e;
      }
      if (dto.sets) await this.replaceSets(actor, em, id, dto.sets);
      return this.toDto(em, await em.findOneByOrFail(ProgrammeEntity, { id }));
    });
  }

  async update(actor: Actor, id: string, dto: UpdateProgrammeDto): Promise<ProgrammeDto> {
    return this.dataSource.transaction(async (em) => {
      const pr = await this.findForStaff(actor, id, 'write', em, true);
      if (pr.status === 'archived') throw new DomainError('PROGRAMME_LOCKED');
      const pick = <K extends keyof Rules>(k: K): Rules[K] =>
        dto[k] === undefined ? pr[k] : (dto[k] as Rules[K]);
      const kindChanged = dto.dueRuleKind !== undefined && dto.dueRuleKind !== pr.dueRuleKind;
      const rules: Rules = {
        dueRuleKind: pick('dueRuleKind'),
        // Switching the kind drops the other kind's value unless it is given again.
        dueDays: kindChanged && dto.dueDays === undefined ? null : pick('dueDays'),
        dueDate: kindChanged && dto.dueDate === undefined ? null : pick('dueDate'),
        recertValidityMonths: pick('recertValidityMonths'),
        recertWindowDays: pick('recertWindowDays'),
      };
      checkRules(
        rules,
        (Object.keys(rules) as (keyof Rules)[]).filter((k) => dto[k] !== undefined),
      );
      // A date already stored may have passed (the programme is old); a new one may not.
      if (dto.dueDate !== undefined) assertNotPast(dto.dueDate, this.clock.todayVn());
      if (dto.recertProgrammeId) await this.findForStaff(actor, dto.recertProgrammeId, 'use', em);
      if (dto.sets) {
        if (pr.status !== 'draft') throw new DomainError('PROGRAMME_LOCKED');
        checkSets(dto.sets);
        await this.replaceSets(actor, em, id, dto.sets);
      }
      await em.query(
        `UPDATE programmes SET title = $2, description = $3, due_rule_kind = $4, due_days = $5,
                due_date = $6, recert_validity_months = $7, recert_window_days = $8,
                recert_programme_id = $9, updated_at = now()
          WHERE id = $1`,
        [
          id,
          dto.title === undefined ? pr.title : nfc(dto.title),
          dto.description === undefined
            ? pr.description
            : dto.description === null
              ? null
              : nfc(dto.description),
          rules.dueRuleKind,
          rules.dueDays,
          rules.dueDate,
          rules.recertValidityMonths,
          rules.recertWindowDays,
          dto.recertProgrammeId === undefined ? pr.recertProgrammeId : dto.recertProgrammeId,
        ],
      );
      return this.toDto(em, await em.findOneByOrFail(ProgrammeEntity, { id }));
    });
  }

  /** Sets are replaced whole (draft only): every course must be one the officer may use. */
  private async replaceSets(
    actor: Actor,
    em: EntityManager,
    programmeId: string,
    sets: CourseSetInputDto[],
  ): Promise<void> {
    const ids = sets.flatMap((s) => s.courseIds);
    const scope = courseScopeRaw(actor, 'use', 2, 'training:manage');
    const found = await em.query<{ id: string }[]>(
      `SELECT c.id FROM courses c JOIN org_units o ON o.id = c.owner_org_unit_id
        WHERE c.id = ANY($1::uuid[]) AND c.status <> 'archived' AND ${scope.sql}`,
      [ids, ...scope.params],
    );
    const ok = new Set(found.map((r) => r.id));
    const missing: ErrorDetail[] = [];
    sets.forEach((s, i) =>
      s.courseIds.forEach((c, j) => {
        if (!ok.has(c)) missing.push({ field: `sets[${i}].courseIds[${j}]`, message: c });
      }),
    );
    if (missing.length) throw new DomainError('COURSE_NOT_FOUND', {}, missing);
    await em.query(`DELETE FROM programme_course_sets WHERE programme_id = $1`, [programmeId]);
    await em.query(
      `WITH s AS (
         INSERT INTO programme_course_sets (programme_id, position, rule, min_count)
         SELECT $1, x.position, x.rule::programme_set_rule, x.min_count
           FROM unnest($2::int[], $3::text[], $4::int[]) AS x(position, rule, min_count)
         RETURNING id, position
       )
       INSERT INTO programme_set_courses (set_id, course_id, position)
       SELECT s.id, y.course_id, y.position
         FROM unnest($5::int[], $6::uuid[], $7::int[]) AS y(set_position, course_id, position)
         JOIN s ON s.position = y.set_position`,
      [
        programmeId,
        sets.map((_, i) => i + 1),
        sets.map((s) => s.rule),
        sets.map((s) => (s.rule === 'at_least_n' ? (s.minCount ?? null) : null)),
        sets.flatMap((s, i) => s.courseIds.map(() => i + 1)),
        ids,
        sets.flatMap((s) => s.courseIds.map((_, j) => j + 1)),
      ],
    );
  }

  /** Draft → published: needs at least one set, and every course of it published. */
  async publish(actor: Actor, id: string): Promise<ProgrammeDto> {
    return this.dataSource.transaction(async (em) => {
      const pr = await this.findForStaff(actor, id, 'write', em, true);
      if (pr.status === 'published') return this.toDto(em, pr);
      if (pr.status !== 'draft') throw new DomainError('PROGRAMME_LOCKED');
      const rows = await this.setRows(em, id);
      if (!rows.length) throw new DomainError('PROGRAMME_EMPTY');
      const unpublished = rows.find((r) => r.status !== 'published');
      if (unpublished) {
        throw new DomainError('PROGRAMME_COURSE_UNAVAILABLE', { code: unpublished.code });
      }
      await em.query(
        `UPDATE programmes SET status = 'published', published_at = now(), updated_at = now()
          WHERE id = $1`,
        [id],
      );
      return this.toDto(em, await em.findOneByOrFail(ProgrammeEntity, { id }));
    });
  }

  async archive(actor: Actor, id: string): Promise<ProgrammeDto> {
    return this.dataSource.transaction(async (em) => {
      await this.findForStaff(actor, id, 'write', em, true);
      await em.query(
        `UPDATE programmes SET status = 'archived', updated_at = now() WHERE id = $1`,
        [id],
      );
      return this.toDto(em, await em.findOneByOrFail(ProgrammeEntity, { id }));
    });
  }

  /** Only a programme never assigned may be deleted; otherwise archive it. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await this.findForStaff(actor, id, 'write', em, true);
      const [used] = await em.query<unknown[]>(
        `SELECT 1 FROM programme_assignments WHERE programme_id = $1
         UNION ALL SELECT 1 FROM programmes WHERE recert_programme_id = $1 AND id <> $1 LIMIT 1`,
        [id],
      );
      if (used) throw new DomainError('PROGRAMME_HAS_ASSIGNMENTS');
      await em.query(`DELETE FROM programmes WHERE id = $1`, [id]);
    });
  }

  async get(actor: Actor, id: string): Promise<ProgrammeDto> {
    return this.toDto(this.dataSource.manager, await this.findForStaff(actor, id, 'use'));
  }

  /** The catalogue the officer may use, by code, keyset-paginated. */
  async list(actor: Actor, query: ListProgrammesQueryDto): Promise<Page<ProgrammeDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['text', 'uuid']);
    const scope = programmeScopeRaw(actor, 'use', 1);
    const params: unknown[] = [...scope.params];
    const where = [scope.sql];
    if (query.status) {
      params.push(query.status);
      where.push(`pr.status = $${params.length}`);
    }
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where.push(`(pr.code, pr.id) > ($${params.length - 1}, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const ids = await this.dataSource.query<{ id: string }[]>(
      `SELECT pr.id FROM programmes pr JOIN org_units o ON o.id = pr.owner_org_unit_id
        WHERE ${where.join(' AND ')} ORDER BY pr.code, pr.id LIMIT $${params.length}`,
      params,
    );
    // The page's programmes and all their sets in two statements, whatever the page size.
    const em = this.dataSource.manager;
    const found = new Map(
      (await em.findBy(ProgrammeEntity, { id: In(ids.map((r) => r.id)) })).map((p) => [p.id, p]),
    );
    const items = ids.map((r) => found.get(r.id)!);
    const dtos = new Map((await this.toDtos(em, items.slice(0, limit))).map((d) => [d.id, d]));
    return toPage(
      items,
      limit,
      (p) => [p.code, p.id],
      (p) => dtos.get(p.id)!,
    );
  }

  /** The set rows of every programme in `programmeIds`, by programme. */
  private async setRowsOf(
    em: EntityManager,
    programmeIds: string[],
  ): Promise<Map<string, SetCourseRow[]>> {
    const rows = await em.query<(SetCourseRow & { programme_id: string })[]>(
      `SELECT s.programme_id, s.position, s.rule, s.min_count, c.id AS course_id, c.code,
              c.title, c.status
         FROM programme_course_sets s
         JOIN programme_set_courses sc ON sc.set_id = s.id
         JOIN courses c ON c.id = sc.course_id
        WHERE s.programme_id = ANY($1::uuid[])
        ORDER BY s.programme_id, s.position, sc.position`,
      [programmeIds],
    );
    const out = new Map<string, SetCourseRow[]>(programmeIds.map((id) => [id, []]));
    for (const r of rows) out.get(r.programme_id)!.push(r);
    return out;
  }

  async setRows(em: EntityManager, programmeId: string): Promise<SetCourseRow[]> {
    return (await this.setRowsOf(em, [programmeId])).get(programmeId)!;
  }

  async toDto(em: EntityManager, p: ProgrammeEntity): Promise<ProgrammeDto> {
    const [dto] = await this.toDtos(em, [p]);
    return dto;
  }

  private async toDtos(em: EntityManager, programmes: ProgrammeEntity[]): Promise<ProgrammeDto[]> {
    if (!programmes.length) return [];
    const rowsOf = await this.setRowsOf(
      em,
      programmes.map((p) => p.id),
    );
    return programmes.map((p) => toProgrammeDto(p, rowsOf.get(p.id)!));
  }
}

function toProgrammeDto(p: ProgrammeEntity, rows: SetCourseRow[]): ProgrammeDto {
  const sets: ProgrammeDto['sets'] = [];
  for (const r of rows) {
    let set = sets.find((s) => s.position === r.position);
    if (!set) {
      set = { position: r.position, rule: r.rule, minCount: r.min_count, courses: [] };
      sets.push(set);
    }
    set.courses.push({ id: r.course_id, code: r.code, title: r.title, status: r.status });
  }
  return {
    id: p.id,
    code: p.code,
    title: p.title,
    description: p.description,
    ownerOrgUnitId: p.ownerOrgUnitId,
    dueRuleKind: p.dueRuleKind,
    dueDays: p.dueDays,
    dueDate: p.dueDate,
    recertValidityMonths: p.recertValidityMonths,
    recertWindowDays: p.recertWindowDays,
    recertProgrammeId: p.recertProgrammeId,
    status: p.status,
    publishedAt: p.publishedAt ? p.publishedAt.toISOString() : null,
    sets,
  };
}
