/**
 * An enrolment `enrolled` becomes `in_progress` (anything later stays): a statement to run on its
 * own or as a CTE of the statement that starts something, e.g. an attempt.
 */
export const MARK_STARTED_SQL = (enrolmentParam: string) =>
  `UPDATE enrolments SET status = 'in_progress' WHERE id = ${enrolmentParam} AND status = 'enrolled'`;

/**
 * A person's enrolment in a course that they are working on — the latest take (cycle) — locked
 * for the transaction: `id, status, assessment_passed_at`, at most one row — a LATERAL of the
 * statement that starts an attempt, which locks the enrolment before anything hanging from it.
 */
export const OWN_ENROLMENT_SQL = (personParam: string, courseExpr: string) =>
  `SELECT id, status, assessment_passed_at FROM enrolments
    WHERE person_id = ${personParam} AND course_id = ${courseExpr}
    ORDER BY cycle DESC LIMIT 1 FOR UPDATE`;
