import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { DomainError, ErrorDetail } from '../common/errors/domain-error';
import { courseScopeRaw } from '../courses/course-scope';
import { programmeScopeRaw } from './programme-scope';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { NotificationsService } from '../notifications/notifications.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import { executeAssignmentRun, RunOptions, RunOutcome } from './assignment-run';
import { audienceSql } from './audience.sql';
import { ProgrammeCompletionsService } from './completions.service';
import { assertNotPast } from './due-dates';
import {
  AssignmentDto,
  AssignmentJobAcceptedDto,
  AssignmentRunDto,
  AssignmentSummaryDto,
  AudienceDto,
  AudiencePreviewDto,
  CreateAssignmentDto,
  ListAssignmentsQueryDto,
} from './dto/assignment.dto';
import { ProgrammeAssignmentEntity } from './programme.entities';
import { AudienceRule, readAssignmentStatus } from './programme.types';
import { ProgrammesService } from './programmes.service';
import { targetedByAssignment, untargetedCount } from './progress.sql';
import { dmy } from '../common/dates/vietnam-dates';
import { Clock } from '../common/clock/clock';

/** Who a run acts for in the audit log: the officer, or the account that queued the job. */
type RunActor = Pick<Actor, 'userId' | 'personId'> | null;

export type AssignOutcome =
  { kind: 'done'; result: AssignmentRunDto } | { kind: 'job'; accepted: AssignmentJobAcceptedDto };

export function toAssignmentDto(a: ProgrammeAssignmentEntity): AssignmentDto {
  return {
    id: a.id,
    programmeId: a.programmeId,
    orgUnitId: a.orgUnitId,
    audience: a.audience as Record<string, unknown>,
    dueRuleKind: a.dueRuleKind,
    dueDays: a.dueDays,
    dueDate: a.dueDate,
    status: readAssignmentStatus(a.status),
    createdAt: new Date(a.createdAt).toISOString(),
    lastRunAt: a.lastRunAt ? new Date(a.lastRunAt).toISOString() : null,
  };
}

interface SummaryRow {
  id: string;
  programme_id: string;
  org_unit_id: string;
  audience: AudienceRule;
  due_rule_kind: string;
  due_days: number | null;
  due_date: string | null;
  status: ProgrammeAssignmentEntity['status'];
  created_at: Date;
  last_run_at: Date | null;
  at_key: string;
  targeted: number;
  members: number;
  also_targeted: number;
  completed: number;
  untargeted: number;
}

function ruleOf(dto: AudienceDto): AudienceRule {
  const { orgUnitId: _root, ...rule } = dto;
  void _root;
  return Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined));
}

/**
 * Assigning programmes to audiences. A run resolves the rule with one statement into a
 * transaction-local table, marks members who left the audience before starting (targeted =
 * false, history kept), then writes the new member rows and their enrolments (with the due
 * date) in a few INSERT … SELECT batches; people who already hold the programme through another
 * assignment are recorded as also targeted, never given a second membership (assignment-run.ts)
 * — all in ONE transaction with its audit entry: a failure or a crash anywhere leaves nothing of
 * the run. Audiences over the configured threshold go to AssignmentJobsWorker, which calls the
 * same `executeRun`. A due date before today is refused.
 */
@Injectable()
export class AssignmentsService {
  /** Set by the worker so a new job starts at once instead of at the next poll. */
  wakeWorker: () => void = () => undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly programmes: ProgrammesService,
    private readonly orgUnits: OrgUnitsService,
    private readonly completions: ProgrammeCompletionsService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The audience root (in training:manage scope) and the named people inside it, or 404. */
  private async resolveRoot(
    actor: Actor,
    dto: AudienceDto,
    em: EntityManager,
  ): Promise<{ id: string; path: string }> {
    const root = await this.orgUnits.findInScope(actor, dto.orgUnitId, 'training:manage', em);
    if (dto.personIds?.length) {
      const found = await em.query<{ id: string }[]>(
        `SELECT pe.id FROM people pe JOIN org_units h ON h.id = pe.home_org_unit_id
          WHERE pe.id = ANY($1::uuid[]) AND h.path LIKE $2`,
        [dto.personIds, `${root.path}%`],
      );
      const ok = new Set(found.map((r) => r.id));
      const missing = dto.personIds
        .map((id, i) => ({ id, i }))
        .filter((x) => !ok.has(x.id))
        .map((x) => ({ field: `audience.personIds[${x.i}]`, message: x.id }));
      if (missing.length) throw new DomainError('PERSON_NOT_FOUND', {}, missing);
    }
    await this.assertKnownReferences(actor, dto, em);
    return { id: root.id, path: root.path };
  }

  /**
   * "Has not completed X" of an X that does not exist is true of everyone: an audience naming a
   * course or programme the officer cannot use (none with that id, or one outside their
   * catalogue, which reads the same so as not to reveal it) is refused with 422, the fields and
   * values named, rather than reaching the whole subtree.
   */
  private async assertKnownReferences(
    actor: Actor,
    rule: AudienceRule,
    em: EntityManager,
  ): Promise<void> {
    const references = [
      {
        field: 'notCompletedCourseId',
        id: rule.notCompletedCourseId,
        table: 'courses',
        alias: 'c',
        scope: () => courseScopeRaw(actor, 'use', 2, 'training:manage'),
      },
      {
        field: 'notCompletedProgrammeId',
        id: rule.notCompletedProgrammeId,
        table: 'programmes',
        alias: 'pr',
        scope: () => programmeScopeRaw(actor, 'use', 2, 'training:manage'),
      },
    ] as const;
    const unknown: ErrorDetail[] = [];
    for (const ref of references) {
      if (!ref.id) continue;
      const scope = ref.scope();
      // Each scope helper reads its table under its own alias (c, pr) and the owner unit as o.
      const [found] = await em.query<unknown[]>(
        `SELECT 1 FROM ${ref.table} ${ref.alias} JOIN org_units o ON o.id = ${ref.alias}.owner_org_unit_id
          WHERE ${ref.alias}.id = $1 AND ${scope.sql}`,
        [ref.id, ...scope.params],
      );
      if (!found) unknown.push({ field: `audience.${ref.field}`, message: ref.id });
    }
    if (unknown.length) throw new DomainError('AUDIENCE_UNKNOWN_REFERENCE', {}, unknown);
  }

  private async countAudience(em: EntityManager, rule: AudienceRule, rootPath: string) {
    if (rule.notCompletedProgrammeId) {
      await this.completions.stamp(em, rule.notCompletedProgrammeId);
    }
    const aud = audienceSql(rule, rootPath, this.clock.todayVn());
    const [row] = await em.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM (${aud.sql}) a`,
      aud.params,
    );
    return row.n;
  }

  /** Count and the first 20 by name; writes nothing (not even completion stamps). */
  async preview(actor: Actor, programmeId: string, dto: AudienceDto): Promise<AudiencePreviewDto> {
    const em = this.dataSource.manager;
    await this.programmes.findForStaff(actor, programmeId, 'use', em, false, 'training:manage');
    const root = await this.resolveRoot(actor, dto, em);
    const aud = audienceSql(ruleOf(dto), root.path, this.clock.todayVn());
    const [row] = await em.query<
      { count: number; sample: { id: string; fullName: string; orgUnitPath: string }[] | null }[]
    >(
      `WITH aud AS (${aud.sql})
       SELECT (SELECT count(*) FROM aud)::int AS count,
              (SELECT json_agg(json_build_object('id', s.person_id, 'fullName', s.full_name,
                                                 'orgUnitPath', s.org_path)
                               ORDER BY s.sort_key, s.person_id)
                 FROM (SELECT * FROM aud ORDER BY sort_key, person_id LIMIT 20) s) AS sample`,
      aud.params,
    );
    return { count: row.count, sample: row.sample ?? [] };
  }

  /**
   * Creates the assignment. Up to the threshold it runs now, in this request's transaction
   * (201 with the outcome); above it, the assignment and a queued job are committed and the
   * worker runs it (202 with the job id).
   */
  async create(
    actor: Actor,
    programmeId: string,
    dto: CreateAssignmentDto,
  ): Promise<AssignOutcome> {
    const rule = ruleOf(dto.audience);
    const prepared = await this.dataSource.transaction(async (em) => {
      const pr = await this.programmes.findForStaff(
        actor,
        programmeId,
        'use',
        em,
        false,
        'training:manage',
      );
      if (pr.status !== 'published') throw new DomainError('PROGRAMME_NOT_PUBLISHED');
      const root = await this.resolveRoot(actor, dto.audience, em);
      const fixed = dto.dueDate ?? (pr.dueRuleKind === 'fixed_date' ? pr.dueDate : null);
      // Nobody is assigned a date that has passed: they would be overdue the day they are told.
      assertNotPast(fixed, this.clock.todayVn());
      const matched = await this.countAudience(em, rule, root.path);
      const [a] = await em.query<{ id: string }[]>(
        `INSERT INTO programme_assignments (programme_id, org_unit_id, audience, due_rule_kind,
                                            due_days, due_date, created_by)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7) RETURNING id`,
        [
          programmeId,
          root.id,
          JSON.stringify(rule),
          fixed ? 'fixed_date' : 'days_after_assignment',
          fixed ? null : pr.dueDays,
          fixed,
          actor.userId,
        ],
      );
      await this.audit.record(em, actor, {
        action: 'programme_assignment.create',
        entityType: 'programme_assignment',
        entityId: a.id,
        orgUnitId: root.id,
        before: null,
        after: {
          programmeId,
          programmeCode: pr.code,
          audience: rule,
          dueRuleKind: fixed ? 'fixed_date' : 'days_after_assignment',
          dueDays: fixed ? null : pr.dueDays,
          dueDate: fixed,
          matched,
        },
      });
      return this.runOrQueue(em, a.id, matched, actor);
    });
    if (prepared.kind === 'job') this.wakeWorker();
    return prepared;
  }

  /** Re-runs the rule: adds only people who newly match; those who left are untargeted. */
  async rerun(actor: Actor, assignmentId: string): Promise<AssignOutcome> {
    const outcome = await this.dataSource.transaction(async (em): Promise<AssignOutcome> => {
      const a = await this.findInScope(actor, assignmentId, 'training:manage', em, true);
      await this.assertIdle(em, a.id);
      // A recertification cycle's assignment has no audience of its own (the scan fills it):
      // re-running its empty rule would reach the whole subtree.
      const [managed] = await em.query<unknown[]>(
        `SELECT 1 FROM recertification_targets WHERE target_assignment_id = $1`,
        [a.id],
      );
      if (managed) throw new DomainError('ASSIGNMENT_RECERT_MANAGED');
      // Its date has passed: whoever the re-run added would be overdue on the day they are
      // told. A new assignment with a new date takes them (the people already held keep theirs).
      if (a.dueRuleKind === 'fixed_date' && a.dueDate && a.dueDate < this.clock.todayVn()) {
        throw new DomainError('ASSIGNMENT_DUE_DATE_PASSED', { dueDate: dmy(a.dueDate) });
      }
      // The rule is checked again: a course it names may since have been deleted, and the
      // officer running it may see another catalogue than the one who wrote it.
      await this.assertKnownReferences(actor, a.audience, em);
      const [root] = await em.query<{ path: string }[]>(
        `SELECT path FROM org_units WHERE id = $1`,
        [a.orgUnitId],
      );
      const matched = await this.countAudience(em, a.audience, root.path);
      return this.runOrQueue(em, a.id, matched, actor);
    });
    if (outcome.kind === 'job') this.wakeWorker();
    return outcome;
  }

  /** Above the threshold a job is queued (202); up to it the run happens now, in `em`. */
  private async runOrQueue(
    em: EntityManager,
    assignmentId: string,
    matched: number,
    actor: Actor,
  ): Promise<AssignOutcome> {
    if (matched > this.config.assignmentAsyncThreshold) {
      const jobId = await this.enqueue(em, assignmentId, matched, actor.userId);
      return { kind: 'job', accepted: { jobId, assignmentId, matched } };
    }
    const run = await this.executeRun(em, assignmentId, { actorUserId: actor.userId, actor });
    const entity = await em.findOneByOrFail(ProgrammeAssignmentEntity, { id: assignmentId });
    const { matched: m, added, untargeted, retargeted, kept, alsoTargeted } = run;
    return {
      kind: 'done',
      result: {
        assignment: toAssignmentDto(entity),
        matched: m,
        added,
        untargeted,
        retargeted,
        kept,
        alsoTargeted,
      },
    };
  }

  /**
   * The assignments of a programme whose audience root lies in the reader's scope, newest
   * first (keyset over the programme's index), each with its counts — one statement per page.
   */
  async listForProgramme(
    actor: Actor,
    programmeId: string,
    query: ListAssignmentsQueryDto,
  ): Promise<Page<AssignmentSummaryDto>> {
    await this.programmes.findForStaff(actor, programmeId, 'use');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const scope = scopeConditionRaw('o.path', actor.scopePaths('training:read'), 2);
    const params: unknown[] = [programmeId, ...scope.params];
    let after = '';
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      after = `AND (a.created_at, a.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(limit + 1);
    const rows = await this.dataSource.query<SummaryRow[]>(
      `SELECT a.id, a.programme_id, a.org_unit_id, a.audience, a.due_rule_kind, a.due_days,
              a.due_date::text AS due_date, a.status, a.created_at, a.last_run_at,
              to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key,
              c.targeted, c.members, c.also_targeted, c.completed,
              ${untargetedCount('a.id')} AS untargeted
         FROM programme_assignments a
         JOIN org_units o ON o.id = a.org_unit_id
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS targeted,
                  (count(*) FILTER (WHERE t.held_here))::int AS members,
                  (count(*) FILTER (WHERE NOT t.held_here))::int AS also_targeted,
                  (count(*) FILTER (WHERE t.completed_at IS NOT NULL))::int AS completed
             FROM ${targetedByAssignment('a.id')} t
         ) c
        WHERE a.programme_id = $1 AND ${scope.sql} ${after}
        ORDER BY a.created_at DESC, a.id DESC
        LIMIT $${params.length}`,
      params,
    );
    return toPage(
      rows,
      limit,
      (r) => [r.at_key, r.id],
      (r) => ({
        id: r.id,
        programmeId: r.programme_id,
        orgUnitId: r.org_unit_id,
        audience: r.audience as Record<string, unknown>,
        dueRuleKind: r.due_rule_kind,
        dueDays: r.due_days,
        dueDate: r.due_date,
        status: readAssignmentStatus(r.status),
        createdAt: new Date(r.created_at).toISOString(),
        lastRunAt: r.last_run_at ? new Date(r.last_run_at).toISOString() : null,
        counts: {
          targeted: r.targeted,
          members: r.members,
          alsoTargeted: r.also_targeted,
          completed: r.completed,
          untargeted: r.untargeted,
        },
      }),
    );
  }

  async get(actor: Actor, assignmentId: string): Promise<AssignmentDto> {
    return toAssignmentDto(await this.findInScope(actor, assignmentId, 'training:read'));
  }

  /** The assignment if its audience root lies in the actor's scope, else 404. */
  async findInScope(
    actor: Actor,
    id: string,
    permission: 'training:manage' | 'training:read',
    em: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<ProgrammeAssignmentEntity & { orgPath: string }> {
    const scope = scopeConditionRaw('o.path', actor.scopePaths(permission), 2);
    const rows = await em.query<{ path: string }[]>(
      `SELECT o.path FROM programme_assignments a JOIN org_units o ON o.id = a.org_unit_id
        WHERE a.id = $1 AND ${scope.sql} ${lock ? 'FOR UPDATE OF a' : ''}`,
      [id, ...scope.params],
    );
    if (!rows[0]) throw new DomainError('ASSIGNMENT_NOT_FOUND');
    const a = await em.findOneByOrFail(ProgrammeAssignmentEntity, { id });
    return Object.assign(a, { orgPath: rows[0].path });
  }

  private async assertIdle(em: EntityManager, assignmentId: string): Promise<void> {
    const [busy] = await em.query<unknown[]>(
      `SELECT 1 FROM assignment_jobs WHERE assignment_id = $1 AND status IN ('queued', 'running')`,
      [assignmentId],
    );
    if (busy) throw new DomainError('ASSIGNMENT_BUSY');
  }

  private async enqueue(
    em: EntityManager,
    assignmentId: string,
    total: number,
    userId: string,
  ): Promise<string> {
    const [job] = await em.query<{ id: string }[]>(
      `INSERT INTO assignment_jobs (assignment_id, total, created_by) VALUES ($1, $2, $3)
       RETURNING id`,
      [assignmentId, total, userId],
    );
    return job.id;
  }

  /**
   * One run of an assignment inside the caller's transaction (`em`); see assignment-run.ts.
   * The "assigned" messages are queued in the same transaction (one INSERT … SELECT, since
   * messages are rendered when sent), unless `deferMessages`: then the caller queues them after
   * its commit with notifyAssigned, and `firstRun` tells it how.
   */
  async executeRun(
    em: EntityManager,
    assignmentId: string,
    opts: RunOptions & { deferMessages?: boolean; actor?: RunActor; jobId?: string },
  ): Promise<RunOutcome> {
    const outcome = await executeAssignmentRun(em, assignmentId, {
      ...opts,
      batchSize: this.config.assignmentBatchSize,
      delayMs: this.config.assignmentJobTestDelayMs,
      today: this.clock.todayVn(),
    });
    if (!opts.deferMessages) {
      await this.notifications.enqueueAssigned(em, assignmentId, { firstRun: outcome.firstRun });
    }
    await this.recordRun(em, assignmentId, outcome, opts);
    return outcome;
  }

  /**
   * The run in the audit log, in the run's own transaction (both commit or neither): who (the
   * officer, or the account that queued the job), when, the rule and due rule it applied, and
   * what it changed.
   */
  private async recordRun(
    em: EntityManager,
    assignmentId: string,
    outcome: RunOutcome,
    opts: { actorUserId: string | null; actor?: RunActor; jobId?: string },
  ): Promise<void> {
    let actor: RunActor = opts.actor ?? null;
    if (!actor && opts.actorUserId) {
      const [account] = await em.query<{ person_id: string }[]>(
        `SELECT person_id FROM user_accounts WHERE id = $1`,
        [opts.actorUserId],
      );
      if (account) actor = { userId: opts.actorUserId, personId: account.person_id };
    }
    const a = outcome.assignment;
    await this.audit.record(em, actor, {
      action: 'programme_assignment.run',
      entityType: 'programme_assignment',
      entityId: assignmentId,
      orgUnitId: a.orgUnitId,
      before: null,
      after: {
        programmeId: a.programmeId,
        audience: a.audience,
        dueRuleKind: a.dueRuleKind,
        dueDays: a.dueDays,
        dueDate: a.dueDate,
        jobId: opts.jobId ?? null,
        matched: outcome.matched,
        added: outcome.added,
        retargeted: outcome.retargeted,
        untargeted: outcome.untargeted,
        kept: outcome.kept,
        alsoTargeted: outcome.alsoTargeted,
      },
    });
  }

  /**
   * Queues the "assigned" messages of a committed run in their own transaction. If this never
   * happens (a crash right after the run's commit), the daily scan's enqueueRecentlyAssigned
   * writes them: it looks back 7 days for members not told yet.
   */
  notifyAssigned(assignmentId: string, firstRun: boolean, today?: string): Promise<number> {
    return this.dataSource.transaction((em) =>
      this.notifications.enqueueAssignedAfterCommit(em, assignmentId, { firstRun, today }),
    );
  }
}
