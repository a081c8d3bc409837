/**
 * An enrolment `enrolled` becomes `in_progress` (anything later stays): a statement to run on its
 * own or as a CTE of the statement that starts something, e.g. an attempt.
 */
export const MARK_STARTED_SQL = (enrolmentParam: string) =>
  `UPDATE enrolments SET status = 'in_progress' WHERE id = ${enrolmentParam} AND status = 'enrolled'`;
