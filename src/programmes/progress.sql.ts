import { sameCourseSql } from '../courses/course-family.sql';

/**
 * Progress of assignment members, computed from enrolments with set-based SQL. Shared by the
 * officer's progress, overdue list and CSV, and the learner's own list, so that "completed"
 * means one thing everywhere.
 *
 * A course counts as done for a member when an enrolment of any version of it is completed
 * (sameCourseSql: a programme names one version, people may hold another) — for cycle 1 at
 * any time (training done before the assignment counts), for a recertification cycle only
 * when completed after that cycle was assigned. A set is complete when every course of it is
 * done (all_in_order, any_order) or at least min_count (at_least_n); the programme when every
 * set is. Status: completed; else overdue when due_on < today; else in_progress once any
 * course is started; else not_started.
 */
export const COURSE_DONE = (m: string, e: string) =>
  `${e}.status = 'completed' AND (${m}.cycle = 1 OR ${e}.completed_at >= ${m}.assigned_at)`;

export const COURSE_STARTED = (m: string, e: string) =>
  `${e}.status <> 'enrolled' AND (${m}.cycle = 1 OR ${e}.enrolled_at >= ${m}.assigned_at)`;

/**
 * LATERAL subquery over member alias `m` and programme id expression `programmeId`: columns
 * done (required courses done, capped per set), required, started, complete, done_at (the
 * completion time of the last done course).
 */
export function memberStatsLateral(programmeId: string): string {
  return `LATERAL (
    SELECT COALESCE(sum(LEAST(s.done, s.need)), 0)::int AS done,
           COALESCE(sum(s.need), 0)::int AS required,
           COALESCE(bool_or(s.started), false) AS started,
           COALESCE(bool_and(s.done >= s.need), false) AS complete,
           max(s.done_at) AS done_at
      FROM (
        SELECT CASE WHEN cs.rule = 'at_least_n' THEN cs.min_count ELSE count(*)::int END AS need,
               (count(*) FILTER (WHERE x.done))::int AS done,
               bool_or(x.started) AS started,
               max(x.done_at) AS done_at
          FROM programme_course_sets cs
          JOIN programme_set_courses sc ON sc.set_id = cs.id
          CROSS JOIN LATERAL (
            SELECT COALESCE(bool_or(${COURSE_DONE('m', 'e')}), false) AS done,
                   COALESCE(bool_or(${COURSE_STARTED('m', 'e')}), false) AS started,
                   max(e.completed_at) FILTER (WHERE ${COURSE_DONE('m', 'e')}) AS done_at
              FROM enrolments e
             WHERE e.person_id = m.person_id AND ${sameCourseSql('e.course_id', 'sc.course_id')}
          ) x
         WHERE cs.programme_id = ${programmeId}
         GROUP BY cs.id, cs.rule, cs.min_count
      ) s
  )`;
}

export const MEMBER_STATUS = (today: string) => `CASE
    WHEN st.complete THEN 'completed'
    WHEN m.due_on < ${today}::date THEN 'overdue'
    WHEN st.started THEN 'in_progress'
    ELSE 'not_started' END`;

/**
 * LATERAL subquery: the next course a member should take — the first course, by set then
 * course position, that is not done, in a set that is not complete yet. In an all_in_order
 * set this is the course after the ones done in order; in the others it is a suggestion.
 */
export function nextCourseLateral(programmeId: string): string {
  return `LATERAL (
    SELECT c.id, c.code, c.title,
           (SELECT e.id FROM enrolments e
             WHERE e.person_id = m.person_id AND ${sameCourseSql('e.course_id', 'c.id')}
             ORDER BY e.enrolled_at DESC LIMIT 1) AS enrolment_id
      FROM programme_course_sets cs
      JOIN programme_set_courses sc ON sc.set_id = cs.id
      JOIN courses c ON c.id = sc.course_id
     WHERE cs.programme_id = ${programmeId}
       AND NOT EXISTS (SELECT 1 FROM enrolments e
                        WHERE e.person_id = m.person_id
                          AND ${sameCourseSql('e.course_id', 'sc.course_id')}
                          AND ${COURSE_DONE('m', 'e')})
       AND (SELECT count(DISTINCT sc2.course_id) FROM programme_set_courses sc2
                 JOIN enrolments e
                   ON e.person_id = m.person_id AND ${sameCourseSql('e.course_id', 'sc2.course_id')}
                WHERE sc2.set_id = cs.id AND ${COURSE_DONE('m', 'e')})
           < CASE WHEN cs.rule = 'at_least_n' THEN cs.min_count
                  ELSE (SELECT count(*) FROM programme_set_courses sc3 WHERE sc3.set_id = cs.id) END
     ORDER BY cs.position, sc.position
     LIMIT 1
  )`;
}

/** Only a person's latest cycle of an assignment is current; earlier cycles are history. */
export const LATEST_CYCLE = `NOT EXISTS (SELECT 1 FROM assignment_members m2
   WHERE m2.assignment_id = m.assignment_id AND m2.person_id = m.person_id AND m2.cycle > m.cycle)`;

/**
 * The member rows an assignment (the SQL expression `id`) counts now: its own targeted members,
 * and the people it also targets whose membership is held by another assignment of the
 * programme (their live row, with this assignment's record of their unit) — latest cycle each.
 * Columns: person_id, programme_id, cycle, assigned_at, due_on, completed_at, org_path,
 * held_here.
 */
export const targetedByAssignment = (id: string) => `(
    SELECT m.person_id, m.programme_id, m.cycle, m.assigned_at, m.due_on, m.completed_at,
           m.org_path, true AS held_here
      FROM assignment_members m
     WHERE m.assignment_id = ${id} AND m.targeted AND ${LATEST_CYCLE}
    UNION ALL
    SELECT m.person_id, m.programme_id, m.cycle, m.assigned_at, m.due_on, m.completed_at,
           x.org_path, false AS held_here
      FROM assignment_also_targets x
      JOIN assignment_members m
        ON m.programme_id = x.programme_id AND m.person_id = x.person_id AND m.targeted
     WHERE x.assignment_id = ${id} AND x.targeted AND ${LATEST_CYCLE}
  )`;

export const TARGETED_BY_ASSIGNMENT = targetedByAssignment('$1');

/** People an assignment (`id`) no longer targets: left the audience, history kept. */
export const untargetedCount = (id: string) => `(
    SELECT count(DISTINCT u.person_id)::int FROM assignment_members u
     WHERE u.assignment_id = ${id} AND NOT u.targeted
       AND NOT EXISTS (SELECT 1 FROM assignment_members v
                        WHERE v.assignment_id = u.assignment_id
                          AND v.person_id = u.person_id AND v.targeted)
       AND NOT EXISTS (SELECT 1 FROM assignment_also_targets x
                        WHERE x.assignment_id = u.assignment_id
                          AND x.person_id = u.person_id AND x.targeted))`;
