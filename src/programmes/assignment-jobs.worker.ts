import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RunAborted } from './assignment-run';
import { AssignmentsService } from './assignments.service';
import { AssignmentJobDto } from './dto/assignment.dto';
import { Clock } from '../common/clock/clock';

const POLL_TIMEOUT = 'assignment-jobs:poll';

/** A job orphaned this many times is given up (rolled_back) rather than retried forever. */
const MAX_ATTEMPTS = 3;

interface InFlight {
  jobId: string;
  assignmentId: string;
  orgPath: string;
  processed: number;
  total: number | null;
  attempts: number;
  startedAt: Date;
}

interface JobRow {
  id: string;
  assignment_id: string;
  status: AssignmentJobDto['status'];
  total: number | null;
  processed: number;
  attempts: number;
  error: string | null;
  started_at: Date | null;
  finished_at: Date | null;
}

/**
 * Runs large assignments in the background, in-process. Design (issue 6, item 3):
 * - A job is claimed with UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED), so replicas
 *   never run the same job; a new job wakes the local worker at once, others find it by polling.
 * - The whole run is ONE transaction (AssignmentsService.executeRun: members and enrolments)
 *   and marking the job done is part of it: a kill -9 mid-way leaves no member row and no
 *   enrolment — PostgreSQL rolls the open transaction back. The "assigned" messages are queued
 *   right after the commit, in a transaction of their own: the job is done when the people are
 *   assigned, and a crash between the two leaves the messages to the daily scan, which writes
 *   those of members assigned in the last 7 days who were not told.
 * - The job row's heartbeat is refreshed from another connection while it runs (PostgreSQL;
 *   PGlite has one connection and one process, where progress is kept in memory). On start and
 *   on every poll a 'running' job with a stale heartbeat is orphaned and is claimed again: the
 *   run is idempotent, so the retry completes it. After MAX_ATTEMPTS it is rolled_back.
 * - On shutdown the run stops at the next batch and rolls back; the job is queued again.
 */
@Injectable()
export class AssignmentJobsWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AssignmentJobs');
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private inFlight: InFlight | null = null;
  /** Observers of progress and outcome (the crash test's child process prints them). */
  onProgress: ((p: { jobId: string; processed: number; total: number }) => void) | null = null;
  onFinished: ((p: { jobId: string; status: string }) => void) | null = null;
  /** After a done job's "assigned" messages are queued (messages: how many; null: failed). */
  onNotified: ((p: { jobId: string; messages: number | null }) => void) | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly assignments: AssignmentsService,
    private readonly clock: Clock,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.assignments.wakeWorker = () => this.wake?.();
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        const claimed = await this.claim();
        if (claimed) {
          await this.execute(claimed);
          continue;
        }
      } catch (error) {
        if (this.stopping) break;
        this.logger.error(`poll failed: ${(error as Error).message}`);
      }
      // The wait between polls is a timeout of @nestjs/schedule's registry ('assignment-jobs:poll');
      // a new job of this process wakes it at once. No lock: claims use SKIP LOCKED.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.config.assignmentJobPollMs);
        this.registry?.addTimeout(POLL_TIMEOUT, timer);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.registry?.doesExist('timeout', POLL_TIMEOUT))
        this.registry.deleteTimeout(POLL_TIMEOUT);
      this.wake = null;
    }
  }

  /** Claims the oldest queued job, or a running one whose heartbeat went stale. */
  private async claim(): Promise<InFlight | null> {
    const rows = await this.dataSource.query<
      { id: string; assignment_id: string; total: number | null; attempts: number; path: string }[]
    >(
      `WITH c AS (
       UPDATE assignment_jobs j
          SET status = 'running', attempts = j.attempts + 1, started_at = now(),
              heartbeat_at = now(), processed = 0, error = NULL
         FROM programme_assignments a JOIN org_units o ON o.id = a.org_unit_id
        WHERE a.id = j.assignment_id
          AND j.id = (SELECT id FROM assignment_jobs
                       WHERE status = 'queued'
                          OR (status = 'running'
                              AND heartbeat_at < now() - make_interval(secs => $1))
                       ORDER BY created_at
                       LIMIT 1
                       FOR UPDATE SKIP LOCKED)
       RETURNING j.id, j.assignment_id, j.total, j.attempts, o.path)
       SELECT * FROM c`,
      [this.config.assignmentJobStaleSeconds],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.attempts > MAX_ATTEMPTS) {
      await this.finish(row.id, row.assignment_id, 'rolled_back', 'too many interrupted runs');
      return null;
    }
    return {
      jobId: row.id,
      assignmentId: row.assignment_id,
      orgPath: row.path,
      processed: 0,
      total: row.total,
      attempts: row.attempts,
      startedAt: new Date(),
    };
  }

  private async execute(job: InFlight): Promise<void> {
    this.inFlight = job;
    // With PostgreSQL the heartbeat goes through another pooled connection; PGlite has one.
    const beat = this.config.databaseUrl
      ? setInterval(
          () => {
            this.dataSource
              .query(
                `UPDATE assignment_jobs SET heartbeat_at = now(), processed = $2, total = $3
                  WHERE id = $1 AND status = 'running'`,
                [job.jobId, job.processed, job.total],
              )
              .catch(() => undefined);
          },
          Math.max(200, (this.config.assignmentJobStaleSeconds * 1000) / 3),
        )
      : null;
    try {
      const [owner] = await this.dataSource.query<{ created_by: string | null }[]>(
        `SELECT created_by FROM assignment_jobs WHERE id = $1`,
        [job.jobId],
      );
      const outcome = await this.dataSource.transaction(async (em) => {
        const result = await this.assignments.executeRun(em, job.assignmentId, {
          actorUserId: owner?.created_by ?? null,
          jobId: job.jobId,
          deferMessages: true,
          shouldStop: () => this.stopping,
          onBatch: (processed, total) => {
            job.processed = processed;
            job.total = total;
            this.onProgress?.({ jobId: job.jobId, processed, total });
          },
        });
        if (beat) clearInterval(beat);
        await em.query(
          `UPDATE assignment_jobs SET status = 'done', total = $2, processed = $2,
                  finished_at = now(), heartbeat_at = now()
            WHERE id = $1`,
          [job.jobId, result.matched],
        );
        return { ...result, day: this.clock.todayVn() };
      });
      this.onFinished?.({ jobId: job.jobId, status: 'done' });
      // The assignment is complete and visible from its commit; its "assigned" messages follow
      // in their own transaction (a crash in between leaves them to the daily scan).
      const told = await this.assignments
        .notifyAssigned(job.assignmentId, outcome.firstRun, outcome.day)
        .catch((error: unknown) => {
          this.logger.error(`job ${job.jobId}: assigned messages left to the daily scan`, error);
          return null;
        });
      this.onNotified?.({ jobId: job.jobId, messages: told });
    } catch (error) {
      if (beat) clearInterval(beat);
      if (error instanceof RunAborted) {
        await this.dataSource.query(
          `UPDATE assignment_jobs SET status = 'queued', attempts = attempts - 1 WHERE id = $1`,
          [job.jobId],
        );
      } else {
        const message = error instanceof DomainError ? error.code : (error as Error).message;
        this.logger.error(`job ${job.jobId} failed: ${message}`);
        await this.finish(job.jobId, job.assignmentId, 'failed', message);
        this.onFinished?.({ jobId: job.jobId, status: 'failed' });
      }
    } finally {
      if (beat) clearInterval(beat);
      this.inFlight = null;
    }
  }

  private async finish(
    jobId: string,
    assignmentId: string,
    status: 'failed' | 'rolled_back',
    error: string,
  ): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.query(
        `UPDATE assignment_jobs SET status = $2, error = $3, finished_at = now() WHERE id = $1`,
        [jobId, status, error],
      );
      await em.query(
        `UPDATE programme_assignments SET status = $2
          WHERE id = $1 AND status IN ('pending', 'running')`,
        [assignmentId, status],
      );
    });
  }

  /**
   * A job's progress. While this process runs it, the answer comes from memory: on PGlite the
   * one connection is held by the job's transaction, and the database could not answer anyway.
   */
  async get(actor: Actor, jobId: string): Promise<AssignmentJobDto> {
    const live = this.inFlight;
    if (live && live.jobId === jobId) {
      if (!actor.covers('training:read', live.orgPath)) {
        throw new DomainError('ASSIGNMENT_JOB_NOT_FOUND');
      }
      return {
        id: live.jobId,
        assignmentId: live.assignmentId,
        status: 'running',
        total: live.total,
        processed: live.processed,
        attempts: live.attempts,
        error: null,
        startedAt: live.startedAt.toISOString(),
        finishedAt: null,
      };
    }
    const scope = scopeConditionRaw('o.path', actor.scopePaths('training:read'), 2);
    const [row] = await this.dataSource.query<JobRow[]>(
      `SELECT j.id, j.assignment_id, j.status, j.total, j.processed, j.attempts, j.error,
              j.started_at, j.finished_at
         FROM assignment_jobs j
         JOIN programme_assignments a ON a.id = j.assignment_id
         JOIN org_units o ON o.id = a.org_unit_id
        WHERE j.id = $1 AND ${scope.sql}`,
      [jobId, ...scope.params],
    );
    if (!row) throw new DomainError('ASSIGNMENT_JOB_NOT_FOUND');
    return {
      id: row.id,
      assignmentId: row.assignment_id,
      status: row.status,
      total: row.total,
      processed: row.processed,
      attempts: row.attempts,
      error: row.error,
      startedAt: row.started_at ? new Date(row.started_at).toISOString() : null,
      finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    };
  }
}
