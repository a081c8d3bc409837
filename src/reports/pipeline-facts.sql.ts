import { performanceSql, readinessRankSql } from './nine-box';
import { LIVE_NOMINATION, retirementDateSql } from './pipeline.sql';

/**
 * The statements that (re)compute the pipeline facts from the source tables, for every key post
 * or for the posts in an id array. Parameters, in this order: $1 the as-of day and, when `only`
 * is set, $2 the uuid[] of posts. Retirement dates come from retirement_date() (the statutory
 * roadmap table), as in the live statement; editing that table marks every fact stale.
 */
export function factsParams(asOf: string, postIds?: string[]): unknown[] {
  return [asOf, ...(postIds ? [postIds] : [])];
}

const CURRENT_ON_AS_OF = `a.status <> 'cancelled' AND a.start_date <= $1::date
                          AND (a.end_date IS NULL OR a.end_date >= $1::date)`;

/** Key, active posts of active units with their unit path, coverage, vacancy, term end and
 *  first retirement. */
export function insertPostFactsSql(only: boolean): string {
  return `
INSERT INTO pipeline_post_facts (post_id, org_unit_id, path, covered, vacant, term_end, retires_on)
SELECT p.id, p.org_unit_id, o.path,
       EXISTS (SELECT 1 FROM nominations n JOIN planning_cycles c ON c.id = n.cycle_id
                WHERE n.post_id = p.id AND n.readiness = 'ready_now' AND ${LIVE_NOMINATION}),
       NOT EXISTS (SELECT 1 FROM appointments a WHERE a.post_id = p.id AND ${CURRENT_ON_AS_OF}),
       (SELECT min(t.end_date) FROM terms t
         WHERE t.org_unit_id = p.org_unit_id AND t.start_date <= $1::date
           AND t.end_date >= $1::date),
       (SELECT min(${retirementDateSql('pe')})
          FROM appointments a JOIN people pe ON pe.id = a.person_id
         WHERE a.post_id = p.id AND ${CURRENT_ON_AS_OF})
  FROM posts p JOIN org_units o ON o.id = p.org_unit_id
 WHERE p.key_post AND p.status = 'active' AND o.status = 'active' ${only ? 'AND p.id = ANY($2::uuid[])' : ''}`;
}

/**
 * Live nominees of the posts just written to pipeline_post_facts (run after insertPostFactsSql
 * in the same transaction; its one parameter, when `only` is set, is the uuid[] of posts): best readiness per (post, person), the person's gender, birth date,
 * name and sort key, and the performance band of their latest evaluation.
 */
export function insertNomineeFactsSql(only: boolean): string {
  return `
INSERT INTO pipeline_nominee_facts (post_id, person_id, path, best_rank, gender, birth_date,
                                    performance, full_name, sort_key)
SELECT b.post_id, b.person_id, b.path, b.best, pe.gender::text, pe.birth_date,
       ${performanceSql('ev.level')}, pe.full_name, pe.sort_key
  FROM (SELECT n.post_id, n.person_id, f.path, min(${readinessRankSql('n.readiness')}) AS best
          FROM pipeline_post_facts f
          JOIN nominations n ON n.post_id = f.post_id
          JOIN planning_cycles c ON c.id = n.cycle_id
         WHERE ${LIVE_NOMINATION} ${only ? 'AND f.post_id = ANY($1::uuid[])' : ''}
         GROUP BY n.post_id, n.person_id, f.path) b
  JOIN people pe ON pe.id = b.person_id
  LEFT JOIN LATERAL (SELECT e.level FROM evaluations e
                      WHERE e.person_id = b.person_id AND e.superseded_at IS NULL
                      ORDER BY e.year DESC LIMIT 1) ev ON TRUE
RETURNING person_id`;
}

/** After a full rebuild: rows of people nominated for more than one key post are not solo. */
export const MARK_SHARED_ALL_SQL = `
UPDATE pipeline_nominee_facts SET solo = FALSE
 WHERE person_id IN (SELECT person_id FROM pipeline_nominee_facts
                      GROUP BY person_id HAVING count(*) > 1)`;

/** After a partial refresh: the solo flag of the people in $1 (uuid[]) whose rows changed. */
export const MARK_SHARED_SOME_SQL = `
UPDATE pipeline_nominee_facts f SET solo = (s.n = 1)
  FROM (SELECT person_id, count(*) AS n FROM pipeline_nominee_facts
         WHERE person_id = ANY($1::uuid[]) GROUP BY person_id) s
 WHERE f.person_id = s.person_id AND f.solo <> (s.n = 1)`;
