import { SECONDS_DECIMALS, STAT_DECIMALS } from './item-statistics';

/**
 * Item statistics computed by PostgreSQL (issue 16), for assessments whose responses are too many
 * to stream through the application: the same attempts, facility, correct share, discrimination
 * and average time as ItemStatsAccumulator (item-statistics.ts), rounded the same way. Option use
 * and flags are not computed here: option use needs the chosen keys, and the flags come from
 * itemFlags(attempts, facility, discrimination) applied to each row.
 */

/** One row of itemStatisticsSql's result (numbers arrive as numbers: every column is int or float8). */
export interface ItemStatisticsSqlRow {
  question_version_id: string;
  attempts: number;
  facility: number;
  correct_share: number;
  discrimination: number | null;
  average_seconds: number | null;
}

/**
 * One SELECT giving, per question_version_id, the columns of ItemStatisticsSqlRow, ordered by
 * question_version_id.
 *
 * `sourceSql` is a subquery (no trailing semicolon) yielding one row per response with the
 * columns question_version_id, attempt_id, points, max_points (above 0), correct (boolean, null
 * while ungraded), seconds_spent (null when not recorded) and attempt_points (the attempt's total,
 * this item included). It is pasted into the statement as is: it must be SQL the application
 * wrote, never text from a request; values it depends on go in as the statement's parameters.
 *
 * Discrimination is corr(x, y) with x = points / max_points and y = attempt_points − points, the
 * point-biserial against the rest of the test; NULL when x or y does not vary (tested with
 * min = max, as the accumulator does exactly, rather than trusting a variance computed in floating
 * point to come out as 0), which includes a single attempt.
 */
export function itemStatisticsSql(sourceSql: string): string {
  const stat = (expr: string) => `round((${expr})::numeric, ${STAT_DECIMALS})::float8`;
  return `SELECT r.question_version_id,
       count(*)::int AS attempts,
       ${stat('avg(r.item_x)')} AS facility,
       ${stat('count(*) FILTER (WHERE r.correct)::float8 / count(*)')} AS correct_share,
       CASE WHEN min(r.item_x) = max(r.item_x) OR min(r.rest_y) = max(r.rest_y) THEN NULL
            ELSE ${stat('corr(r.item_x, r.rest_y)')} END AS discrimination,
       round(avg(r.seconds_spent)::numeric, ${SECONDS_DECIMALS})::float8 AS average_seconds
  FROM (SELECT s.question_version_id,
               s.correct,
               s.seconds_spent::float8 AS seconds_spent,
               s.points::float8 / s.max_points::float8 AS item_x,
               (s.attempt_points - s.points)::float8 AS rest_y
          FROM (${sourceSql}) AS s) AS r
 GROUP BY r.question_version_id
 ORDER BY r.question_version_id`;
}
