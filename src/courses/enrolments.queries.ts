import { rowColumns, Queryable } from '../common/sql/row-columns';
import { EnrolmentStatus } from './course.types';

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
