import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { Permission } from '../auth/roles';
import { DomainError } from '../common/errors/domain-error';
import type { Language } from '../common/http/language';
import { fill } from '../common/text/bilingual';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { nfc } from '../common/text/vietnamese';
import { OrgLevel } from '../org-units/org-unit.types';
import { OrgUnitsService } from '../org-units/org-units.service';
import {
  ChangeCycleStatusDto,
  CreatePlanningCycleDto,
  ListPlanningCyclesQueryDto,
  PlanningCycleDto,
  PlanningCycleStatusChangeDto,
  PlanningRulesDto,
} from './dto/planning.dto';
import { CYCLE_STATUS_LABELS } from './planning-labels';
import { assertOnlyCycleOfTerm, checkOpening } from './planning-limits';
import { canTransition, mergeRules, RULES_EDITABLE_STATUSES } from './planning-rules';
import { cycleTargets, cycleWarnings } from './planning-targets';
import { PlanningCycleStatus, PlanningRules } from './planning.types';
import { Clock } from '../common/clock/clock';

/** A cycle row with what scope checks and rules need. */
export interface CycleRow {
  id: string;
  org_unit_id: string;
  org_unit_name: string;
  org_level: OrgLevel;
  org_path: string;
  term_label: string;
  term_start: string;
  term_end: string;
  status: PlanningCycleStatus;
  rules: PlanningRules;
  created_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  posts: { id: string; postType: string; title: string; keyPost: boolean }[] | null;
}

const CYCLE_COLUMNS = `c.id, c.org_unit_id, o.name AS org_unit_name, o.level AS org_level,
  o.path AS org_path, c.term_label, c.term_start::text AS term_start, c.term_end::text AS term_end,
  c.status, c.rules, c.created_by, c.created_at, c.updated_at,
  (SELECT json_agg(json_build_object('id', p.id, 'postType', p.post_type, 'title', p.title,
                                     'keyPost', p.key_post) ORDER BY p.post_type, p.title, p.id)
     FROM planning_cycle_posts cp JOIN posts p ON p.id = cp.post_id
    WHERE cp.cycle_id = c.id) AS posts`;

const iso = (v: Date | string) => new Date(v).toISOString();

/** A stored rule set read as today's rules (older keys dropped, missing ones defaulted). */
function withKnownRules(row: CycleRow): CycleRow {
  return row && { ...row, rules: mergeRules(row.rules) };
}

export function toCycleDto(r: CycleRow, lang: Language): PlanningCycleDto {
  return {
    id: r.id,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.org_unit_name,
    termLabel: r.term_label,
    termStart: r.term_start,
    termEnd: r.term_end,
    status: r.status,
    statusLabel: CYCLE_STATUS_LABELS[r.status][lang],
    rules: r.rules,
    posts: (r.posts ?? []).map((p) => ({
      id: p.id,
      postType: p.postType as PlanningCycleDto['posts'][number]['postType'],
      title: p.title,
      keyPost: p.keyPost,
    })),
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** What the audit log keeps of a cycle (no timestamps: the entry has its own). */
export function cycleSnapshot(r: CycleRow) {
  return {
    orgUnitId: r.org_unit_id,
    termLabel: r.term_label,
    termStart: r.term_start,
    termEnd: r.term_end,
    status: r.status,
    rules: r.rules,
    postIds: (r.posts ?? []).map((p) => p.id),
  };
}

/**
 * Planning cycles (kỳ quy hoạch): one unit's list for the next term, its planned posts, its
 * rules and its status. HR writes within scope; every change goes to the audit log in the
 * same transaction.
 */
@Injectable()
export class PlanningCyclesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orgUnits: OrgUnitsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * A cycle whose unit lies in the actor's scope for `permission`; else 404. `lock`: 'share'
   * keeps the status still while nominations are written (they may run side by side),
   * 'update' serialises a change of the cycle itself.
   */
  async findInScope(
    actor: Actor,
    id: string,
    permission: Permission,
    em: EntityManager = this.dataSource.manager,
    lock: 'share' | 'update' | null = null,
  ): Promise<CycleRow> {
    const scope = scopeConditionRaw('o.path', actor.scopePaths(permission), 2);
    const lockSql =
      lock === 'share' ? 'FOR SHARE OF c' : lock === 'update' ? 'FOR UPDATE OF c' : '';
    const [row] = await em.query<CycleRow[]>(
      `SELECT ${CYCLE_COLUMNS}
         FROM planning_cycles c JOIN org_units o ON o.id = c.org_unit_id
        WHERE c.id = $1 AND ${scope.sql}
        ${lockSql}`,
      [id, ...scope.params],
    );
    if (!row) throw new DomainError('PLANNING_CYCLE_NOT_FOUND');
    return withKnownRules(row);
  }

  private async reload(em: EntityManager, id: string): Promise<CycleRow> {
    const [row] = await em.query<CycleRow[]>(
      `SELECT ${CYCLE_COLUMNS}
         FROM planning_cycles c JOIN org_units o ON o.id = c.org_unit_id
        WHERE c.id = $1`,
      [id],
    );
    return withKnownRules(row);
  }

  async get(actor: Actor, id: string, lang: Language): Promise<PlanningCycleDto> {
    return toCycleDto(await this.findInScope(actor, id, 'people:read'), lang);
  }

  /**
   * A draft list for a unit's posts of one term. A unit has one list per term: another cycle of
   * the unit that is not closed and overlaps the term answers 409 PLANNING_CYCLE_EXISTS.
   */
  async create(
    actor: Actor,
    dto: CreatePlanningCycleDto,
    lang: Language,
  ): Promise<PlanningCycleDto> {
    return this.dataSource.transaction(async (em) => {
      const unit = await this.orgUnits.findInScope(actor, dto.orgUnitId, 'hr:manage', em);
      if (unit.status === 'archived') throw new DomainError('ORG_UNIT_ARCHIVED');
      // Every planned post must be an active post of the unit itself.
      const found = await em.query<{ id: string }[]>(
        `SELECT p.id FROM posts p
          WHERE p.id = ANY($1::uuid[]) AND p.org_unit_id = $2 AND p.status = 'active'`,
        [dto.postIds, unit.id],
      );
      const ok = new Set(found.map((r) => r.id));
      const foreign = dto.postIds.filter((id) => !ok.has(id));
      if (foreign.length > 0) {
        throw new DomainError(
          'PLANNING_POST_NOT_IN_UNIT',
          {},
          foreign.map((id) => ({
            field: `postIds[${dto.postIds.indexOf(id)}]`,
            ...fill(
              {
                vi: '{id} không phải chức danh đang hoạt động của đơn vị.',
                en: '{id} is not an active post of the unit.',
              },
              { id },
            ),
          })),
        );
      }
      await assertOnlyCycleOfTerm(em, {
        id: null,
        orgUnitId: unit.id,
        termStart: dto.termStart,
        termEnd: dto.termEnd,
      });
      const rules = mergeRules(undefined, dto.rules ?? {});
      const label = nfc(dto.termLabel ?? `${dto.termStart.slice(0, 4)}–${dto.termEnd.slice(0, 4)}`);
      const [inserted] = await em.query<{ id: string }[]>(
        `INSERT INTO planning_cycles (org_unit_id, term_label, term_start, term_end, status, rules,
                                      created_by)
         VALUES ($1, $2, $3, $4, 'draft', $5::jsonb, $6) RETURNING id`,
        [unit.id, label, dto.termStart, dto.termEnd, JSON.stringify(rules), actor.userId],
      );
      await em.query(
        `INSERT INTO planning_cycle_posts (cycle_id, post_id)
         SELECT $1, unnest($2::uuid[])`,
        [inserted.id, dto.postIds],
      );
      const row = await this.reload(em, inserted.id);
      await this.audit.record(em, actor, {
        action: 'planning_cycle.create',
        entityType: 'planning_cycle',
        entityId: row.id,
        orgUnitId: row.org_unit_id,
        before: null,
        after: cycleSnapshot(row),
      });
      return toCycleDto(row, lang);
    });
  }

  async updateRules(
    actor: Actor,
    id: string,
    dto: PlanningRulesDto,
    lang: Language,
  ): Promise<PlanningCycleDto> {
    return this.dataSource.transaction(async (em) => {
      const before = await this.findInScope(actor, id, 'hr:manage', em, 'update');
      if (!RULES_EDITABLE_STATUSES.includes(before.status)) {
        throw new DomainError('PLANNING_CYCLE_STATUS', {
          status: CYCLE_STATUS_LABELS[before.status],
        });
      }
      const rules = mergeRules(before.rules, dto);
      await em.query(
        `UPDATE planning_cycles SET rules = $2::jsonb, updated_at = now() WHERE id = $1`,
        [id, JSON.stringify(rules)],
      );
      const after = await this.reload(em, id);
      await this.audit.record(em, actor, {
        action: 'planning_cycle.rules',
        entityType: 'planning_cycle',
        entityId: id,
        orgUnitId: after.org_unit_id,
        before: cycleSnapshot(before),
        after: cycleSnapshot(after),
      });
      return toCycleDto(after, lang);
    });
  }

  /**
   * draft → open → submitted → approved → closed (submitted may go back to open, a draft may be
   * dropped: closed); else 409.
   * Opening checks the draft's nominations against every live list (409
   * PLANNING_CYCLE_LIMITS_EXCEEDED naming each breach); submitting and approving answer the
   * list's warnings (women and under-40 targets, posts without nominees) in the caller's
   * language.
   */
  async changeStatus(
    actor: Actor,
    id: string,
    dto: ChangeCycleStatusDto,
    lang: Language,
  ): Promise<PlanningCycleStatusChangeDto> {
    return this.dataSource.transaction(async (em) => {
      const before = await this.findInScope(actor, id, 'hr:manage', em, 'update');
      if (!canTransition(before.status, dto.status)) {
        throw new DomainError(
          'PLANNING_CYCLE_STATUS',
          { status: CYCLE_STATUS_LABELS[before.status] },
          [
            {
              field: 'status',
              ...fill(
                {
                  vi: 'Không được chuyển từ "{from}" sang "{to}".',
                  en: 'Moving from "{from}" to "{to}" is not allowed.',
                },
                { from: CYCLE_STATUS_LABELS[before.status], to: CYCLE_STATUS_LABELS[dto.status] },
              ),
            },
          ],
        );
      }
      if (dto.status !== 'closed') {
        await assertOnlyCycleOfTerm(em, {
          id: before.id,
          orgUnitId: before.org_unit_id,
          termStart: before.term_start,
          termEnd: before.term_end,
        });
      }
      if (before.status === 'draft' && dto.status === 'open') await checkOpening(em, before);
      await em.query(`UPDATE planning_cycles SET status = $2, updated_at = now() WHERE id = $1`, [
        id,
        dto.status,
      ]);
      const after = await this.reload(em, id);
      await this.audit.record(em, actor, {
        action: 'planning_cycle.status',
        entityType: 'planning_cycle',
        entityId: id,
        orgUnitId: after.org_unit_id,
        before: cycleSnapshot(before),
        after: cycleSnapshot(after),
      });
      const warnings =
        dto.status === 'submitted' || dto.status === 'approved'
          ? await cycleWarnings(
              em,
              after,
              await cycleTargets(em, after, this.clock.todayVn()),
              lang,
            )
          : [];
      return { ...toCycleDto(after, lang), warnings };
    });
  }

  /** Cycles in scope (or in one unit's subtree), newest term first, keyset paged. */
  async list(
    actor: Actor,
    query: ListPlanningCyclesQueryDto,
    lang: Language,
  ): Promise<Page<PlanningCycleDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['date', 'uuid']);
    const params: unknown[] = [limit + 1];
    const where: string[] = [];
    if (query.orgUnitId) {
      const unit = await this.orgUnits.findInScope(actor, query.orgUnitId, 'people:read');
      params.push(`${unit.path}%`);
      where.push(`o.path LIKE $${params.length}`);
    } else {
      const scope = scopeConditionRaw('o.path', actor.scopePaths('people:read'), 2);
      params.push(...scope.params);
      where.push(scope.sql);
    }
    if (query.status) {
      params.push(query.status);
      where.push(`c.status = $${params.length}::planning_cycle_status`);
    }
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where.push(`(c.term_start, c.id) < ($${params.length - 1}::date, $${params.length}::uuid)`);
    }
    const rows = await this.dataSource.query<CycleRow[]>(
      `SELECT ${CYCLE_COLUMNS}
         FROM org_units o JOIN planning_cycles c ON c.org_unit_id = o.id
        WHERE ${where.join(' AND ')}
        ORDER BY c.term_start DESC, c.id DESC
        LIMIT $1`,
      params,
    );
    return toPage(
      rows,
      limit,
      (r) => [r.term_start, r.id],
      (r) => toCycleDto(withKnownRules(r), lang),
    );
  }
}
