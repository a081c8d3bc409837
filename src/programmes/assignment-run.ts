import { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import {
  haveOtherVersions,
  latestReleasedVersionSql,
  sameCourseSql,
} from '../courses/course-family.sql';
import { todayVn } from '../posts/posts.sql';
import { audienceSql } from './audience.sql';
import { stampCompletions } from './completions.service';
import { AudienceRule } from './programme.types';

export interface RunOptions {
  actorUserId: string | null;
  onBatch?: (processed: number, total: number) => Promise<void> | void;
  shouldStop?: () => boolean;
}

export interface RunResult {
  matched: number;
  added: number;
  untargeted: number;
  retargeted: number;
}

/** What the run tells its caller beyond the result it reports. */
export interface RunOutcome extends RunResult {
  /** The assignment had no member before this run (so nobody was told of it yet). */
  firstRun: boolean;
}

/** Thrown at a batch boundary when the worker is shutting down: the run rolls back. */
export class RunAborted extends Error {}

/**
 * One run of an assignment inside the caller's transaction (`em`). Idempotent: running it
 * again after a crash or for a re-run adds only what is missing.
 */
export async function executeAssignmentRun(
  em: EntityManager,
  assignmentId: string,
  opts: RunOptions & { batchSize: number; delayMs: number },
): Promise<RunOutcome> {
  const [a] = await em.query<
    {
      programme_id: string;
      programme_status: string;
      path: string;
      audience: AudienceRule;
      due_on: string;
    }[]
  >(
    `SELECT a.programme_id, pr.status AS programme_status, o.path, a.audience,
            (CASE WHEN a.due_rule_kind = 'fixed_date' THEN a.due_date
                  ELSE $2::date + a.due_days END)::text AS due_on
       FROM programme_assignments a
       JOIN programmes pr ON pr.id = a.programme_id
       JOIN org_units o ON o.id = a.org_unit_id
      WHERE a.id = $1
      FOR UPDATE OF a`,
    [assignmentId, todayVn()],
  );
  if (!a) throw new DomainError('ASSIGNMENT_NOT_FOUND');
  if (a.programme_status !== 'published') throw new DomainError('PROGRAMME_NOT_PUBLISHED');
  if (a.audience.notCompletedProgrammeId) {
    await stampCompletions(em, a.audience.notCompletedProgrammeId);
  }
  const aud = audienceSql(a.audience, a.path, todayVn());
  await em.query(`DROP TABLE IF EXISTS run_audience`);
  // Numbered and stored in person order, so every batch below writes its member and
  // enrolment rows in the order of the indexes they go into (and of the people key the foreign
  // keys check): measured 25 % faster at national scale than the audience's own order.
  await em.query(
    `CREATE TEMP TABLE run_audience ON COMMIT DROP AS
     SELECT person_id, org_path, (row_number() OVER (ORDER BY person_id))::int AS n
       FROM (${aud.sql}) x ORDER BY person_id`,
    aud.params,
  );
  // Statistics for the planner: without them it takes the table for a few rows and may pick a
  // nested loop over 150,000 (measured: 10 s instead of 0.8 s for one batch).
  await em.query(`ANALYZE run_audience`);
  const [{ n: matched }] = await em.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM run_audience`,
  );
  // On the first run nobody is a member yet: the "not already a member" test is skipped.
  const [{ fresh }] = await em.query<{ fresh: boolean }[]>(
    `SELECT NOT EXISTS (SELECT 1 FROM assignment_members WHERE assignment_id = $1) AS fresh`,
    [assignmentId],
  );
  const notMember = fresh
    ? ''
    : `AND NOT EXISTS (SELECT 1 FROM assignment_members m
                        WHERE m.assignment_id = $1 AND m.person_id = t.person_id)`;
  const [{ n: untargeted }] = await em.query<{ n: number }[]>(
    `WITH u AS (
       UPDATE assignment_members m SET targeted = false, untargeted_at = now()
        WHERE m.assignment_id = $1 AND m.targeted
          AND NOT EXISTS (SELECT 1 FROM run_audience t WHERE t.person_id = m.person_id)
       RETURNING 1)
     SELECT count(*)::int AS n FROM u`,
    [assignmentId],
  );
  const [{ n: retargeted }] = await em.query<{ n: number }[]>(
    `WITH u AS (
       UPDATE assignment_members m SET targeted = true, untargeted_at = NULL
        WHERE m.assignment_id = $1 AND NOT m.targeted
          AND EXISTS (SELECT 1 FROM run_audience t WHERE t.person_id = m.person_id)
       RETURNING 1)
     SELECT count(*)::int AS n FROM u`,
    [assignmentId],
  );
  let courseIds: string[] | null = null;
  let otherVersions: boolean | null = null;
  let added = 0;
  const batch = opts.batchSize;
  for (let lo = 0; lo < matched || lo === 0; lo += batch) {
    const hi = lo + batch;
    const [{ n }] = await em.query<{ n: number }[]>(
      `WITH ins AS (
         INSERT INTO assignment_members (assignment_id, person_id, cycle, org_path, due_on)
         SELECT $1, t.person_id, 1, t.org_path, $4::date
           FROM run_audience t
          WHERE t.n > $2 AND t.n <= $3 ${notMember}
          ORDER BY t.n
         ON CONFLICT DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [assignmentId, lo, hi, a.due_on],
    );
    added += n;
    // The courses are checked, and locked against archiving, after the first member rows are
    // written: a course that is no longer published fails the run here and rolls it all back.
    courseIds ??= await lockPublishedCourses(em, a.programme_id);
    // Someone who holds an enrolment in another version of a course keeps that one.
    otherVersions ??= await haveOtherVersions(em, courseIds);
    const notInOtherVersion = otherVersions
      ? `AND NOT EXISTS (SELECT 1 FROM enrolments x WHERE x.person_id = t.person_id
                            AND ${sameCourseSql('x.course_id', 'c.course_id')})`
      : '';
    await em.query(
      `INSERT INTO enrolments (course_id, person_id, enrolled_by)
       SELECT c.course_id, t.person_id, $4::uuid
         FROM run_audience t CROSS JOIN unnest($1::uuid[]) AS c(course_id)
        WHERE t.n > $2 AND t.n <= $3 ${notInOtherVersion}
        ORDER BY t.person_id, c.course_id
       ON CONFLICT DO NOTHING`,
      [courseIds, lo, hi, opts.actorUserId],
    );
    if (opts.shouldStop?.()) throw new RunAborted('stopping');
    await opts.onBatch?.(Math.min(hi, matched), matched);
    if (opts.delayMs > 0 && hi < matched) {
      await new Promise((r) => setTimeout(r, opts.delayMs));
    }
  }
  await em.query(
    `UPDATE programme_assignments SET status = 'completed', last_run_at = now() WHERE id = $1`,
    [assignmentId],
  );
  return { matched, added, untargeted, retargeted, firstRun: fresh };
}

/** People are enrolled in the current version of each course the programme names. */
async function lockPublishedCourses(em: EntityManager, programmeId: string): Promise<string[]> {
  const rows = await em.query<{ id: string; code: string; status: string }[]>(
    `SELECT c.id, c.code, c.status
       FROM programme_course_sets s
       JOIN programme_set_courses sc ON sc.set_id = s.id
       JOIN courses c ON c.id = ${latestReleasedVersionSql('sc.course_id')}
      WHERE s.programme_id = $1
      ORDER BY s.position, sc.position
      FOR SHARE OF c`,
    [programmeId],
  );
  const bad = rows.find((r) => r.status !== 'published');
  if (bad) throw new DomainError('PROGRAMME_COURSE_UNAVAILABLE', { code: bad.code });
  if (!rows.length) throw new DomainError('PROGRAMME_EMPTY');
  return rows.map((r) => r.id);
}
