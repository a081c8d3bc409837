import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { NotificationsService } from '../notifications/notifications.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import { todayVn } from '../posts/posts.sql';
import { executeAssignmentRun, RunOptions, RunResult } from './assignment-run';
import { audienceSql } from './audience.sql';
import { ProgrammeCompletionsService } from './completions.service';
import {
  AssignmentDto,
  AssignmentJobAcceptedDto,
  AssignmentRunDto,
  AudienceDto,
  AudiencePreviewDto,
  CreateAssignmentDto,
} from './dto/assignment.dto';
import { ProgrammeAssignmentEntity } from './programme.entities';
import { AudienceRule } from './programme.types';
import { ProgrammesService } from './programmes.service';

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
    status: a.status,
    createdAt: new Date(a.createdAt).toISOString(),
    lastRunAt: a.lastRunAt ? new Date(a.lastRunAt).toISOString() : null,
  };
}

function ruleOf(dto: AudienceDto): AudienceRule {
  const { orgUnitId: _root, ...rule } = dto;
  void _root;
  return Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined));
}

/**
 * Assigning programmes to audiences. A run resolves the rule with one statement into a
 * transaction-local table, marks members who left the audience (targeted = false, history
 * kept), then writes the new member rows and the enrolments in a few INSERT … SELECT batches,
 * ON CONFLICT DO NOTHING so nobody is enrolled twice — all in ONE transaction: a failure or a
 * crash anywhere leaves nothing of the run. Audiences over the configured threshold go to
 * AssignmentJobsWorker, which calls the same `executeRun`.
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
    return { id: root.id, path: root.path };
  }

  private async countAudience(em: EntityManager, rule: AudienceRule, rootPath: string) {
    if (rule.notCompletedProgrammeId) {
      await this.completions.stamp(em, rule.notCompletedProgrammeId);
    }
    const aud = audienceSql(rule, rootPath, todayVn());
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
    const aud = audienceSql(ruleOf(dto), root.path, todayVn());
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
      const matched = await this.countAudience(em, rule, root.path);
      const fixed = dto.dueDate ?? (pr.dueRuleKind === 'fixed_date' ? pr.dueDate : null);
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
    const run = await this.executeRun(em, assignmentId, { actorUserId: actor.userId });
    const entity = await em.findOneByOrFail(ProgrammeAssignmentEntity, { id: assignmentId });
    const { matched: m, added, untargeted, retargeted } = run;
    return {
      kind: 'done',
      result: { assignment: toAssignmentDto(entity), matched: m, added, untargeted, retargeted },
    };
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
    opts: RunOptions & { deferMessages?: boolean },
  ): Promise<RunResult & { firstRun: boolean }> {
    const outcome = await executeAssignmentRun(em, assignmentId, {
      ...opts,
      batchSize: this.config.assignmentBatchSize,
      delayMs: this.config.assignmentJobTestDelayMs,
    });
    if (!opts.deferMessages) {
      await this.notifications.enqueueAssigned(em, assignmentId, { firstRun: outcome.firstRun });
    }
    return outcome;
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
