import { rowColumns, Queryable } from '../common/sql/row-columns';
import { EnrolmentStatus } from './course.types';
import {
  ATTENDANCE_PENDING_SQL,
  ATTENDANCE_SHORT_SQL,
  ATTENDED_HOURS_SQL,
} from './session-attendance.sql';

/** One of a learner's own enrolments, with the course, the lesson progress and the assessment. */
export interface MyEnrolmentRow {
  id: string;
  status: EnrolmentStatus;
  enrolled_at: Date;
  /** enrolled_at in UTC to the microsecond: the keyset's exact value (a Date keeps ms). */
  at_key: string;
  score: string | null;
  grade: string | null;
  completed_at: Date | null;
  certificate_id: string | null;
  course_id: string;
  code: string;
  title: string;
  total_lessons: number;
  completed_lessons: number;
  assessment_id: string | null;
  completed_lesson_ids: string[] | null;
  due_on: string | null;
}

export const MY_ENROLMENT_ROW_COLUMNS = rowColumns<MyEnrolmentRow>({
  id: true,
  status: true,
  enrolled_at: true,
  at_key: true,
  score: true,
  grade: true,
  completed_at: true,
  certificate_id: true,
  course_id: true,
  code: true,
  title: true,
  total_lessons: true,
  completed_lessons: true,
  assessment_id: true,
  completed_lesson_ids: true,
  due_on: true,
});

/**
 * A page of a person's enrolments, newest first, keyed by (enrolled_at, id): `limit` rows after
 * the keyset position `after`, or the one enrolment `onlyId` of theirs.
 */
export function findMyEnrolmentsPage(
  q: Queryable,
  page: { personId: string; limit: number; after?: [string, string]; onlyId?: string },
): Promise<MyEnrolmentRow[]> {
  const params: unknown[] = [page.personId];
  let filter = '';
  if (page.after) {
    params.push(page.after[0], page.after[1]);
    filter = `AND (e.enrolled_at, e.id) < ($2::timestamptz, $3::uuid)`;
  }
  if (page.onlyId) {
    params.push(page.onlyId);
    filter += ` AND e.id = $${params.length}`;
  }
  params.push(page.limit);
  return q.query<MyEnrolmentRow[]>(
    `SELECT e.id, e.status, e.enrolled_at, e.score, e.grade, e.completed_at, e.certificate_id,
            to_char(e.enrolled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key,
            e.due_on::text AS due_on, c.id AS course_id, c.code, c.title,
            l.total_lessons, l.assessment_id,
            COALESCE(done.n, 0)::int AS completed_lessons, done.ids AS completed_lesson_ids
       FROM enrolments e
       JOIN courses c ON c.id = e.course_id
       LEFT JOIN LATERAL (
         SELECT COUNT(*)::int AS total_lessons,
                (array_agg(assessment_id) FILTER (WHERE assessment_id IS NOT NULL))[1]
                  AS assessment_id
           FROM course_lessons WHERE course_id = c.id
       ) l ON TRUE
       LEFT JOIN LATERAL (
         SELECT COUNT(*)::int AS n, array_agg(lc.lesson_id) AS ids
           FROM lesson_completions lc WHERE lc.enrolment_id = e.id
       ) done ON TRUE
      WHERE e.person_id = $1 ${filter}
      ORDER BY e.enrolled_at DESC, e.id DESC
      LIMIT $${params.length}`,
    params,
  );
}

/** What the completion rule reads of an enrolment (EnrolmentsService.tryComplete). */
export interface CompletionFactsRow {
  id: string;
  status: EnrolmentStatus;
  person_id: string;
  course_id: string;
  assessment_score: string | null;
  assessment_passed_at: Date | null;
  score: string | null;
  grade: string | null;
  completed_at: Date | null;
  certificate_id: string | null;
  code: string;
  title: string;
  duration_hours: string;
  owner_org_unit_id: string;
  owner_name: string;
  holder_name: string;
  missing: number;
  assessment_required: boolean;
  attendance_short: boolean;
  attended_hours: string | null;
  attendance_pending: boolean;
}

/**
 * The enrolment $1 with its course, holder and issuing unit, and each part of the completion
 * rule, locked FOR UPDATE so two racing calls complete it once; $2 is the app clock's now (the
 * attendance share waits for the session's end). Names of the holder and issuing unit are read
 * here, in the same statement, to freeze them into the certificate snapshot at completion.
 */
export const COMPLETION_FACTS_SQL = `SELECT e.id, e.status, e.person_id, e.course_id, e.assessment_score,
              e.assessment_passed_at, e.score, e.grade, e.completed_at, e.certificate_id,
              c.code, c.title, c.duration_hours, c.owner_org_unit_id, o.name AS owner_name,
              p.full_name AS holder_name,
              (SELECT COUNT(*)::int FROM course_lessons l
                WHERE l.course_id = c.id AND l.required
                  AND NOT EXISTS (SELECT 1 FROM lesson_completions lc
                                   WHERE lc.enrolment_id = e.id AND lc.lesson_id = l.id)
              ) AS missing,
              EXISTS (SELECT 1 FROM course_lessons l
                       WHERE l.course_id = c.id AND l.kind = 'assessment' AND l.required)
                AS assessment_required, ${ATTENDANCE_SHORT_SQL} AS attendance_short,
              ${ATTENDED_HOURS_SQL} AS attended_hours, ${ATTENDANCE_PENDING_SQL} AS attendance_pending
         FROM enrolments e
         JOIN courses c ON c.id = e.course_id
         JOIN org_units o ON o.id = c.owner_org_unit_id
         JOIN people p ON p.id = e.person_id
        WHERE e.id = $1
        FOR UPDATE OF e`;
