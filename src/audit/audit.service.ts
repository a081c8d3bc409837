import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { OrgUnitsService } from '../org-units/org-units.service';
import { currentRequestId } from './request-context';
import { AuditEntryDto, ListAuditQueryDto } from './dto/audit.dto';

/** What a writer records: the change, the unit it belongs to and the states around it. */
export interface AuditRecord {
  /** `<entity>.<verb>`: nomination.approve, planning_cycle.status, rotation.start … */
  action: string;
  /** Table-like name of the entity: planning_cycle, nomination, nomination_review, rotation … */
  entityType: string;
  entityId: string;
  /** The unit whose subtree may read the entry; its path is copied in the same INSERT. */
  orgUnitId: string | null;
  /** The entity before the change (null on creation) and after it; plain JSON. */
  before?: unknown;
  after?: unknown;
}

interface AuditRow {
  id: string;
  at: Date | string;
  actor_user_id: string | null;
  actor_person_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  org_unit_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  at_key: string;
}

const toDto = (r: AuditRow): AuditEntryDto => ({
  id: r.id,
  at: new Date(r.at).toISOString(),
  actorUserId: r.actor_user_id,
  actorPersonId: r.actor_person_id,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  orgUnitId: r.org_unit_id,
  before: r.before ?? null,
  after: r.after ?? null,
  requestId: r.request_id,
});

/**
 * The append-only audit log. Writers call `record` inside their own transaction, so a change
 * and its entry commit together or not at all; readers (hr, admin) see the entries of units in
 * their scope, newest first.
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orgUnits: OrgUnitsService,
  ) {}

  /**
   * Appends one entry in the caller's transaction: a single INSERT … SELECT that copies the
   * unit's path. `actor` null marks a system writer (seed, worker); a worker acting for an
   * account (a queued assignment job) passes that account's ids. The time is the clock's,
   * not the transaction's, so several entries of one transaction keep their order.
   */
  async record(
    em: EntityManager,
    actor: Pick<Actor, 'userId' | 'personId'> | null,
    entry: AuditRecord,
  ): Promise<void> {
    await em.query(
      `INSERT INTO audit_log (at, actor_user_id, actor_person_id, action, entity_type, entity_id,
                              org_unit_id, org_path, before, after, request_id)
       SELECT clock_timestamp(), $1::uuid, $2::uuid, $3, $4, $5::uuid, $6::uuid, o.path, $7::jsonb, $8::jsonb, $9
         FROM (SELECT 1) AS one
         LEFT JOIN org_units o ON o.id = $6::uuid`,
      [
        actor?.userId ?? null,
        actor?.personId ?? null,
        entry.action,
        entry.entityType,
        entry.entityId,
        entry.orgUnitId,
        entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
        entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
        currentRequestId(),
      ],
    );
  }

  /**
   * Appends one entry per row of a selection, in one statement: for writers that change many
   * rows at once (the daily scan's certificate expiries). `rows` is SQL that yields entity_id,
   * org_unit_id, before and after (jsonb) and may itself be the change (UPDATE … RETURNING), so
   * that a change and its entries are one statement; its parameters are `params` ($1…). The same
   * actor, action and entity type for every entry. Answers the number of entries written.
   */
  async recordSet(
    em: EntityManager,
    actor: Actor | null,
    entry: { action: string; entityType: string; rows: string; params: unknown[] },
  ): Promise<number> {
    const at = entry.params.length;
    const [{ n }] = await em.query<{ n: number }[]>(
      `WITH src AS (${entry.rows}),
            written AS (
       INSERT INTO audit_log (at, actor_user_id, actor_person_id, action, entity_type, entity_id,
                              org_unit_id, org_path, before, after, request_id)
       SELECT clock_timestamp(), $${at + 1}::uuid, $${at + 2}::uuid, $${at + 3}, $${at + 4},
              s.entity_id, s.org_unit_id, o.path, s.before, s.after, $${at + 5}
         FROM src s
         LEFT JOIN org_units o ON o.id = s.org_unit_id
       RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
      [
        ...entry.params,
        actor?.userId ?? null,
        actor?.personId ?? null,
        entry.action,
        entry.entityType,
        currentRequestId(),
      ],
    );
    return n;
  }

  /**
   * Every entry of some entities, oldest first, unfiltered: for a module that shows the history
   * of a record it has already scope-checked (a certificate's status changes).
   */
  async historyOf(entityType: string, entityIds: readonly string[]): Promise<AuditEntryDto[]> {
    if (entityIds.length === 0) return [];
    const rows = await this.dataSource.query<AuditRow[]>(
      `SELECT a.id, a.at, a.actor_user_id, a.actor_person_id, a.action, a.entity_type,
              a.entity_id, a.org_unit_id, a.before, a.after, a.request_id, '' AS at_key
         FROM audit_log a
        WHERE a.entity_type = $1 AND a.entity_id = ANY($2::uuid[])
        ORDER BY a.at, a.id`,
      [entityType, entityIds],
    );
    return rows.map(toDto);
  }

  /** Entries in the reader's scope, optionally of one entity or one unit's subtree, newest first. */
  async list(actor: Actor, query: ListAuditQueryDto): Promise<Page<AuditEntryDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const params: unknown[] = [limit + 1];
    const where: string[] = [];
    if (query.orgUnitId) {
      const unit = await this.orgUnits.findInScope(actor, query.orgUnitId, 'audit:read');
      params.push(`${unit.path}%`);
      where.push(`a.org_path LIKE $${params.length}`);
    } else {
      const scope = scopeConditionRaw('a.org_path', actor.scopePaths('audit:read'), 2);
      params.push(...scope.params);
      where.push(scope.sql);
    }
    if (query.entityType) {
      params.push(query.entityType);
      where.push(`a.entity_type = $${params.length}`);
    }
    if (query.entityId) {
      params.push(query.entityId);
      where.push(`a.entity_id = $${params.length}::uuid`);
    }
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where.push(`(a.at, a.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const rows = await this.dataSource.query<AuditRow[]>(
      `SELECT a.id, a.at, a.actor_user_id, a.actor_person_id, a.action, a.entity_type,
              a.entity_id, a.org_unit_id, a.before, a.after, a.request_id,
              to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key
         FROM audit_log a
        WHERE ${where.join(' AND ')}
        ORDER BY a.at DESC, a.id DESC
        LIMIT $1`,
      params,
    );
    return toPage(rows, limit, (r) => [r.at_key, r.id], toDto);
  }
}
