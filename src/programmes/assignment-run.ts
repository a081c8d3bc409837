import { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import {
  haveOtherVersions,
  latestReleasedVersionSql,
  sameCourseSql,
} from '../courses/course-family.sql';
import { audienceSql } from './audience.sql';
import { stampCompletions } from './completions.service';
import { COURSE_STARTED } from './progress.sql';
import { AudienceRule } from './programme.types';

export interface RunOptions {
  actorUserId: string | null;
  onBatch?: (processed: number, total: number) => Promise<void> | void;
  shouldStop?: () => boolean;
}

export interface RunResult {
  /** People the rule matches now. */
  matched: number;
  /** Memberships this run added (people who held the programme nowhere). */
  added: number;
  /** People who left the audience before starting: their membership is no longer targeted. */
  untargeted: number;
  /** People back in the audience whose earlier membership here is targeted again. */
  retargeted: number;
  /**
   * People who left the audience but keep their membership: they have started or completed
   * the programme, or another assignment still targets them. A run never drops them.
   */
  kept: number;
  /**
   * Of the matched, people who hold the programme through another assignment: this one records
   * that it also targets them (one live membership per person and programme).
   */
  alsoTargeted: number;
}

/** What the run tells its caller beyond the result it reports. */
export interface RunOutcome extends RunResult {
  /** The assignment had no member before this run (so nobody was told of it yet). */
  firstRun: boolean;
  /** The assignment as the run read it (its audit entry records them). */
  assignment: {
    programmeId: string;
    orgUnitId: string;
    audience: AudienceRule;
    dueRuleKind: string;
    dueDays: number | null;
    dueDate: string | null;
  };
}

/** Thrown at a batch boundary when the worker is shutting down: the run rolls back. */
export class RunAborted extends Error {}

/**
 * One run of an assignment inside the caller's transaction (`em`). Idempotent: running it
 * again after a crash or for a re-run adds only what is missing.
 *
 * A person holds at most one live membership of a programme, whoever targets them: the runs of
 * one programme take turns (a transaction-scoped advisory lock), each run reads who already
 * holds the programme and records, for them, that it also targets them instead of adding a
 * second membership; a partial unique index guards the rule in the database. A run never
 * untargets someone who has started or completed the programme, nor someone another
 * assignment still targets. New members' enrolments carry their due date.
 */
export async function executeAssignmentRun(
  em: EntityManager,
  assignmentId: string,
  opts: RunOptions & { batchSize: number; delayMs: number; today: string },
): Promise<RunOutcome> {
  const [a] = await em.query<
    {
      programme_id: string;
      org_unit_id: string;
      programme_status: string;
      path: string;
      audience: AudienceRule;
      due_rule_kind: string;
      due_days: number | null;
      due_date: string | null;
      due_on: string;
    }[]
  >(
    `SELECT a.programme_id, a.org_unit_id, pr.status AS programme_status, o.path, a.audience,
            a.due_rule_kind, a.due_days, a.due_date::text AS due_date,
            (CASE WHEN a.due_rule_kind = 'fixed_date' THEN a.due_date
                  ELSE $2::date + a.due_days END)::text AS due_on
       FROM programme_assignments a
       JOIN programmes pr ON pr.id = a.programme_id
       JOIN org_units o ON o.id = a.org_unit_id
      WHERE a.id = $1
      FOR UPDATE OF a`,
    [assignmentId, opts.today],
  );
  if (!a) throw new DomainError('ASSIGNMENT_NOT_FOUND');
  if (a.programme_status !== 'published') throw new DomainError('PROGRAMME_NOT_PUBLISHED');
  const programmeId = a.programme_id;
  // The runs of one programme take turns, so that "who holds it already" stays true until this
  // run commits. The lock is released with the transaction.
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('lms:programme-run'), hashtext($1))`, [
    programmeId,
  ]);
  // The courses are checked, and locked against archiving, before anything is written: a
  // course that is no longer published fails the run (the transaction leaves nothing).
  const courseIds = await lockPublishedCourses(em, programmeId);
  // Someone who holds an enrolment in another version of a course keeps that one; the check is
  // made only when some course of the programme has versions, so a national run stays as fast.
  const otherVersions = await haveOtherVersions(em, courseIds);
  if (a.audience.notCompletedProgrammeId) {
    await stampCompletions(em, a.audience.notCompletedProgrammeId);
  }
  const aud = audienceSql(a.audience, a.path, opts.today);
  await em.query(`DROP TABLE IF EXISTS run_audience`);
  // Numbered and stored in person order, so every batch below writes its member and
  // enrolment rows in the order of the indexes they go into (and of the people key the foreign
  // keys check): measured 25 % faster at national scale than the audience's own order.
  // held_by: the assignment holding a live membership of the programme for the person, if any.
  await em.query(
    `CREATE TEMP TABLE run_audience ON COMMIT DROP AS
     SELECT person_id, org_path, (row_number() OVER (ORDER BY person_id))::int AS n,
            NULL::uuid AS held_by
       FROM (${aud.sql}) x ORDER BY person_id`,
    aud.params,
  );
  const [{ held }] = await em.query<{ held: boolean }[]>(
    `SELECT EXISTS (SELECT 1 FROM assignment_members
                     WHERE programme_id = $1 AND targeted) AS held`,
    [programmeId],
  );
  // Nobody holds the programme yet (its first assignment): nothing to look up per person.
  if (held) {
    await em.query(
      `UPDATE run_audience t SET held_by = m.assignment_id
         FROM assignment_members m
        WHERE m.programme_id = $1 AND m.person_id = t.person_id AND m.targeted`,
      [programmeId],
    );
  }
  // Statistics for the planner: without them it takes the table for a few rows and may pick a
  // nested loop over 150,000 (measured: 10 s instead of 0.8 s for one batch).
  await em.query(`ANALYZE run_audience`);
  const [{ n: matched, elsewhere: alsoTargeted }] = await em.query<
    { n: number; elsewhere: number }[]
  >(
    `SELECT count(*)::int AS n,
            (count(*) FILTER (WHERE held_by IS NOT NULL AND held_by <> $1))::int AS elsewhere
       FROM run_audience`,
    [assignmentId],
  );
  // On the first run nobody is a member yet: the "not already a member" test is skipped.
  const [{ fresh }] = await em.query<{ fresh: boolean }[]>(
    `SELECT NOT EXISTS (SELECT 1 FROM assignment_members WHERE assignment_id = $1) AS fresh`,
    [assignmentId],
  );
  let untargeted = 0;
  let kept = 0;
  let retargeted = 0;
  if (!fresh) {
    ({ untargeted, kept } = await untargetLeavers(em, assignmentId, programmeId));
    retargeted = await retargetReturning(em, {
      assignmentId,
      dueOn: a.due_on,
      courseIds,
      actorUserId: opts.actorUserId,
      otherVersions,
    });
  }
  const notMember = fresh
    ? ''
    : `AND NOT EXISTS (SELECT 1 FROM assignment_members m
                        WHERE m.assignment_id = $1 AND m.person_id = t.person_id)`;
  let added = 0;
  const batch = opts.batchSize;
  for (let lo = 0; lo < matched || lo === 0; lo += batch) {
    const hi = lo + batch;
    const [{ n }] = await em.query<{ n: number }[]>(
      `WITH ins AS (
         INSERT INTO assignment_members
                (assignment_id, programme_id, person_id, cycle, org_path, due_on)
         SELECT $1, $2, t.person_id, 1, t.org_path, $5::date
           FROM run_audience t
          WHERE t.n > $3 AND t.n <= $4 AND t.held_by IS NULL ${notMember}
          ORDER BY t.n
         RETURNING person_id, due_on
       ), enrolled AS (
         ${ENROL_MEMBERS('ins', '$6', '$7', otherVersions)}
       )
       SELECT count(*)::int AS n FROM ins`,
      [assignmentId, programmeId, lo, hi, a.due_on, courseIds, opts.actorUserId],
    );
    added += n;
    if (opts.shouldStop?.()) throw new RunAborted('stopping');
    await opts.onBatch?.(Math.min(hi, matched), matched);
    if (opts.delayMs > 0 && hi < matched) {
      await new Promise((r) => setTimeout(r, opts.delayMs));
    }
  }
  // Always: a run that finds nobody held elsewhere still closes the records of earlier runs.
  await recordAlsoTargeted(em, assignmentId, programmeId);
  await em.query(
    `UPDATE programme_assignments SET status = 'assigned', last_run_at = now() WHERE id = $1`,
    [assignmentId],
  );
  return {
    matched,
    added,
    untargeted,
    retargeted,
    kept,
    alsoTargeted,
    firstRun: fresh,
    assignment: {
      programmeId,
      orgUnitId: a.org_unit_id,
      audience: a.audience,
      dueRuleKind: a.due_rule_kind,
      dueDays: a.due_days,
      dueDate: a.due_date,
    },
  };
}

/**
 * The enrolments of members just written by the CTE `rows` (person_id, due_on) in every course
 * `courses` (a uuid[] parameter): each carries the member's due date, so the learner sees when
 * each course of the programme is due. A course the person is already enrolled in keeps its
 * enrolment; its due date moves only earlier (the earliest obligation is the one to meet), and
 * never on a completed take.
 */
const ENROL_MEMBERS = (
  rows: string,
  courses: string,
  enrolledBy: string,
  otherVersions: boolean,
) => `
  INSERT INTO enrolments (course_id, person_id, enrolled_by, due_on)
  SELECT c.course_id, r.person_id, ${enrolledBy}::uuid, r.due_on
    FROM ${rows} r CROSS JOIN unnest(${courses}::uuid[]) AS c(course_id)
   ${
     otherVersions
       ? `WHERE NOT EXISTS (SELECT 1 FROM enrolments x
                             WHERE x.person_id = r.person_id AND x.course_id <> c.course_id
                               AND ${sameCourseSql('x.course_id', 'c.course_id')})`
       : ''
   }
   ORDER BY r.person_id, c.course_id
  ON CONFLICT (course_id, person_id, cycle) DO UPDATE SET due_on = EXCLUDED.due_on
   WHERE enrolments.status <> 'completed'
     AND (enrolments.due_on IS NULL OR enrolments.due_on > EXCLUDED.due_on)`;

/**
 * Members who are no longer in the audience lose the target only if they have not started
 * the programme (no course of it begun or done, by the same rule progress uses), have not
 * completed it, and no other assignment of the programme still targets them. The others are
 * kept, and counted.
 */
async function untargetLeavers(
  em: EntityManager,
  assignmentId: string,
  programmeId: string,
): Promise<{ untargeted: number; kept: number }> {
  const [row] = await em.query<{ untargeted: number; kept: number }[]>(
    `WITH gone AS (
       SELECT DISTINCT m.person_id FROM assignment_members m
        WHERE m.assignment_id = $1 AND m.targeted
          AND NOT EXISTS (SELECT 1 FROM run_audience t WHERE t.person_id = m.person_id)
     ), judged AS (
       SELECT g.person_id,
              EXISTS (
                SELECT 1 FROM assignment_members mm
                 WHERE mm.assignment_id = $1 AND mm.person_id = g.person_id
                   AND (mm.completed_at IS NOT NULL OR EXISTS (
                         SELECT 1 FROM programme_course_sets cs
                           JOIN programme_set_courses sc ON sc.set_id = cs.id
                           JOIN enrolments e
                             ON e.person_id = mm.person_id AND e.course_id = sc.course_id
                          WHERE cs.programme_id = $2 AND ${COURSE_STARTED('mm', 'e')}))
              )
              OR EXISTS (
                SELECT 1 FROM assignment_also_targets x
                 WHERE x.programme_id = $2 AND x.person_id = g.person_id AND x.targeted
                   AND x.assignment_id <> $1
              ) AS keep
         FROM gone g
     ), u AS (
       UPDATE assignment_members m SET targeted = false, untargeted_at = now()
         FROM judged j
        WHERE m.assignment_id = $1 AND m.person_id = j.person_id AND m.targeted AND NOT j.keep
       RETURNING m.person_id
     )
     SELECT (SELECT count(DISTINCT person_id) FROM u)::int AS untargeted,
            (SELECT count(*) FROM judged WHERE keep)::int AS kept`,
    [assignmentId, programmeId],
  );
  return row;
}

/**
 * Members who left earlier and match again are targeted again — unless they hold the programme
 * through another assignment meanwhile (held_by set: recorded as also targeted instead). Their
 * open take is due by this run's date when that is later than the old one (never backdated).
 */
async function retargetReturning(
  em: EntityManager,
  p: {
    assignmentId: string;
    dueOn: string;
    courseIds: string[];
    actorUserId: string | null;
    otherVersions: boolean;
  },
): Promise<number> {
  const [{ n }] = await em.query<{ n: number }[]>(
    `WITH back AS (
       UPDATE assignment_members m
          SET targeted = true, untargeted_at = NULL,
              due_on = CASE WHEN m.completed_at IS NULL THEN GREATEST(m.due_on, $2::date)
                            ELSE m.due_on END
        WHERE m.assignment_id = $1 AND NOT m.targeted
          AND EXISTS (SELECT 1 FROM run_audience t
                       WHERE t.person_id = m.person_id AND t.held_by IS NULL)
       RETURNING m.person_id, m.cycle, m.due_on
     ), firsts AS (
       SELECT person_id, due_on FROM back WHERE cycle = 1
     ), enrolled AS (
       ${ENROL_MEMBERS('firsts', '$3', '$4', p.otherVersions)}
     )
     SELECT count(DISTINCT person_id)::int AS n FROM back`,
    [p.assignmentId, p.dueOn, p.courseIds, p.actorUserId],
  );
  return n;
}

/**
 * The people this assignment targets who hold the programme through another assignment are
 * recorded (or targeted again); rows of people who left the audience, or who hold the
 * programme here now, are closed (kept as history).
 */
async function recordAlsoTargeted(
  em: EntityManager,
  assignmentId: string,
  programmeId: string,
): Promise<void> {
  // One statement: the two parts touch different people (in the audience, held elsewhere /
  // not so), so neither sees the other's rows.
  await em.query(
    `WITH recorded AS (
       INSERT INTO assignment_also_targets (assignment_id, programme_id, person_id, org_path)
       SELECT $1, $2, t.person_id, t.org_path FROM run_audience t
        WHERE t.held_by IS NOT NULL AND t.held_by <> $1
        ORDER BY t.person_id
       ON CONFLICT (assignment_id, person_id) DO UPDATE SET targeted = true, untargeted_at = NULL
        WHERE NOT assignment_also_targets.targeted
       RETURNING 1
     )
     UPDATE assignment_also_targets x SET targeted = false, untargeted_at = now()
      WHERE x.assignment_id = $1 AND x.targeted
        AND NOT EXISTS (SELECT 1 FROM run_audience t
                         WHERE t.person_id = x.person_id
                           AND t.held_by IS NOT NULL AND t.held_by <> $1)`,
    [assignmentId, programmeId],
  );
}

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
