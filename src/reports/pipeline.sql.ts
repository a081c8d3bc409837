import { Band, performanceSql, potentialSql, readinessRankSql } from './nine-box';

/**
 * The set-based SQL of the pipeline view, shared by the service and the benchmark's bare
 * baseline. Every statement starts from the subtree's key posts (path prefix on the btree
 * index, then the posts of each unit) and reads holders, terms and nominations by post.
 *
 * Parameters, in this order, for every statement here:
 *   $1 subtree LIKE prefix ("/1/7/%"), $2 report date, $3 horizon date (report date + N months).
 * Nominees are the non-removed nominations (proposed or approved) of open or approved cycles.
 */
export interface PipelineParams {
  subtreePath: string;
  asOf: string;
  horizon: string;
}

export function pipelineParams(p: PipelineParams): unknown[] {
  return [`${p.subtreePath}%`, p.asOf, p.horizon];
}

/**
 * A person's statutory retirement date: the SQL function of migration RetirementRoadmap over
 * the roadmap table (by birth month and gender; see planning/retirement.ts), null without a
 * birth date or gender.
 */
export function retirementDateSql(person: string): string {
  return `retirement_date(${person}.birth_date, ${person}.gender)`;
}

export const LIVE_NOMINATION = `n.status <> 'removed' AND c.status IN ('open', 'approved')`;

const KEY_POSTS = `SELECT p.id AS post_id, p.org_unit_id
                     FROM org_units o JOIN posts p ON p.org_unit_id = o.id
                    WHERE o.path LIKE $1 AND o.status = 'active'
                      AND p.key_post AND p.status = 'active'`;

const CURRENT_APPOINTMENT = `a.status <> 'cancelled' AND a.start_date <= $2::date
                             AND (a.end_date IS NULL OR a.end_date >= $2::date)`;

/** The one row of PIPELINE_SUMMARY_SQL and PIPELINE_SUMMARY_LIVE_SQL (json may come as text). */
export interface PipelineSummaryRow {
  key_posts: number;
  covered_posts: number;
  at_risk_posts: number;
  nominees: number;
  women: number;
  under40: number;
  nine_box: { performance: Band; potential: Band; count: number }[] | string;
}

/** The parameters of PIPELINE_SUMMARY_SQL: the same three. */
export const summaryParams = pipelineParams;

/**
 * The summary from the precomputed facts (pipeline-facts.entities.ts, kept current by
 * PipelineFactsService.refresh for the report date): the same row as PIPELINE_SUMMARY_LIVE_SQL,
 * reading two narrow tables by path prefix instead of joining seven. Parameters: summaryParams.
 */
export const PIPELINE_SUMMARY_SQL = `
WITH posts AS (
  SELECT count(*)::int AS key_posts,
         count(*) FILTER (WHERE covered)::int AS covered_posts,
         count(*) FILTER (WHERE NOT covered AND (vacant OR COALESCE(term_end <= $3::date, FALSE)
                                                 OR COALESCE(retires_on <= $3::date, FALSE)))::int
           AS at_risk_posts
    FROM pipeline_post_facts WHERE path LIKE $1
),
nominees AS (
  SELECT best_rank AS best, gender, birth_date, performance
    FROM pipeline_nominee_facts WHERE path LIKE $1 AND solo
  UNION ALL
  SELECT min(best_rank), min(gender), min(birth_date), min(performance)
    FROM pipeline_nominee_facts WHERE path LIKE $1 AND NOT solo
   GROUP BY person_id
),
boxes AS (
  SELECT performance, ${potentialSql('best')} AS potential, count(*)::int AS n,
         count(*) FILTER (WHERE gender = 'female')::int AS women,
         count(*) FILTER (WHERE birth_date > ($2::date - interval '40 years')::date)::int
           AS under40
    FROM nominees GROUP BY 1, 2
)
SELECT posts.key_posts, posts.covered_posts, posts.at_risk_posts,
       COALESCE(b.nominees, 0) AS nominees, COALESCE(b.women, 0) AS women,
       COALESCE(b.under40, 0) AS under40, COALESCE(b.nine_box, '[]'::json) AS nine_box
  FROM posts,
       (SELECT sum(n)::int AS nominees, sum(women)::int AS women, sum(under40)::int AS under40,
               json_agg(json_build_object('performance', performance, 'potential', potential,
                                          'count', n)) AS nine_box
          FROM boxes) b`;

/**
 * The same summary computed live from the source tables (pipelineParams): the reference the
 * facts are checked against in the tests. One row: key_posts, covered_posts, at_risk_posts,
 * nominees, women, under40, and nine_box —
 * a JSON array of { performance, potential, count } for the non-empty boxes.
 *
 * A key post is covered with at least one ready-now nominee; it is at risk when it is not
 * covered and its unit's current term ends by the horizon, a current holder retires by the
 * horizon, or nobody holds it. Each nominee counts once, with their best readiness; under 40
 * means a 40th birthday after the report date.
 */
export const PIPELINE_SUMMARY_LIVE_SQL = `
WITH kp AS MATERIALIZED (${KEY_POSTS}),
noms AS MATERIALIZED (
  SELECT n.post_id, n.person_id, n.readiness
    FROM kp
    JOIN nominations n ON n.post_id = kp.post_id
    JOIN planning_cycles c ON c.id = n.cycle_id
   WHERE ${LIVE_NOMINATION}
),
holders AS (
  SELECT a.post_id, ${retirementDateSql('pe')} <= $3::date AS retiring
    FROM kp
    JOIN appointments a ON a.post_id = kp.post_id
    JOIN people pe ON pe.id = a.person_id
   WHERE ${CURRENT_APPOINTMENT}
),
per_post AS (
  SELECT kp.post_id,
         EXISTS (SELECT 1 FROM noms WHERE noms.post_id = kp.post_id
                                      AND noms.readiness = 'ready_now') AS covered,
         (EXISTS (SELECT 1 FROM terms t
                   WHERE t.org_unit_id = kp.org_unit_id AND t.start_date <= $2::date
                     AND t.end_date >= $2::date AND t.end_date <= $3::date)
          OR COALESCE(h.retiring, FALSE) OR h.post_id IS NULL) AS exposed
    FROM kp
    LEFT JOIN (SELECT post_id, bool_or(retiring) AS retiring FROM holders GROUP BY post_id) h
           ON h.post_id = kp.post_id
),
nominees AS (
  SELECT b.person_id, b.best, pe.gender, pe.birth_date,
         ${performanceSql('ev.level')} AS performance
    FROM (SELECT person_id, min(${readinessRankSql('readiness')}) AS best
            FROM noms GROUP BY person_id) b
    JOIN people pe ON pe.id = b.person_id
    LEFT JOIN (SELECT DISTINCT ON (e.person_id) e.person_id, e.level
                 FROM evaluations e
                WHERE e.superseded_at IS NULL
                  AND e.person_id IN (SELECT person_id FROM noms)
                ORDER BY e.person_id, e.year DESC) ev ON ev.person_id = b.person_id
),
boxes AS (
  SELECT performance, ${potentialSql('best')} AS potential, count(*)::int AS n
    FROM nominees GROUP BY 1, 2
)
SELECT (SELECT count(*)::int FROM per_post) AS key_posts,
       (SELECT count(*)::int FROM per_post WHERE covered) AS covered_posts,
       (SELECT count(*)::int FROM per_post WHERE exposed AND NOT covered) AS at_risk_posts,
       (SELECT count(*)::int FROM nominees) AS nominees,
       (SELECT count(*)::int FROM nominees WHERE gender = 'female') AS women,
       (SELECT count(*)::int FROM nominees
         WHERE birth_date > ($2::date - interval '40 years')::date) AS under40,
       (SELECT COALESCE(json_agg(json_build_object('performance', performance,
                                                   'potential', potential, 'count', n)),
                        '[]'::json)
          FROM boxes) AS nine_box`;

/**
 * Names per nine-box cell from the facts: the first `$2` of each box in Vietnamese list order.
 * Its own parameters: $1 subtree LIKE prefix, $2 names per box. People with a single nominee
 * row (nearly everyone) are read box by box in name order from ix_pipeline_nominee_facts_box,
 * stopping at $2 each; the few nominated for several posts are grouped first.
 */
export const PIPELINE_NINE_BOX_NAMES_SQL = `
WITH box AS (
  SELECT performance, best FROM unnest(ARRAY['high', 'medium', 'low']) AS performance,
                                unnest(ARRAY[1, 2, 3]::smallint[]) AS best
),
candidates AS (
  SELECT box.performance, box.best, f.person_id, f.full_name, f.sort_key
    FROM box CROSS JOIN LATERAL (
      SELECT person_id, full_name, sort_key FROM pipeline_nominee_facts
       WHERE solo AND performance = box.performance AND best_rank = box.best AND path LIKE $1
       ORDER BY sort_key, person_id LIMIT $2::int) f
  UNION ALL
  SELECT min(performance), min(best_rank), person_id, min(full_name), min(sort_key)
    FROM pipeline_nominee_facts WHERE path LIKE $1 AND NOT solo
   GROUP BY person_id
),
ranked AS (
  SELECT performance, ${potentialSql('best')} AS potential, full_name,
         row_number() OVER (PARTITION BY performance, best ORDER BY sort_key, person_id) AS rn
    FROM candidates
)
SELECT performance, potential, json_agg(full_name ORDER BY rn) AS names
  FROM ranked WHERE rn <= $2::int
 GROUP BY performance, potential`;

/**
 * One page of key posts in tree order (unit path, post rank, id), each with its unit, the
 * unit's current term end, its current holders (with retirement dates) and its live nominees
 * (ready now first, then by name) as JSON. $4 is the page size + 1; $5–$7 the keyset
 * (path, post_type, id) of the previous page's last row, or nulls for the first page.
 */
export const PIPELINE_POSTS_SQL = `
WITH page AS (
  SELECT p.id AS post_id, p.post_type, p.title, o.id AS unit_id, o.code AS unit_code,
         o.name AS unit_name, o.path
    FROM org_units o JOIN posts p ON p.org_unit_id = o.id
   WHERE o.path LIKE $1 AND o.status = 'active' AND p.key_post AND p.status = 'active'
     AND ($5::text IS NULL OR (o.path, p.post_type, p.id) > ($5::text, $6::post_type, $7::uuid))
   ORDER BY o.path, p.post_type, p.id
   LIMIT $4
)
SELECT page.*, $3::date::text AS horizon,
       (SELECT t.end_date::text FROM terms t
         WHERE t.org_unit_id = page.unit_id AND t.start_date <= $2::date
           AND t.end_date >= $2::date
         ORDER BY t.start_date LIMIT 1) AS term_end,
       (SELECT COALESCE(json_agg(json_build_object(
                 'personId', pe.id, 'fullName', pe.full_name, 'gender', pe.gender,
                 'birthDate', pe.birth_date::text,
                 'retirementDate', ${retirementDateSql('pe')}::text,
                 'appointmentStartDate', a.start_date::text)
               ORDER BY a.start_date, pe.sort_key, pe.id), '[]'::json)
          FROM appointments a JOIN people pe ON pe.id = a.person_id
         WHERE a.post_id = page.post_id AND ${CURRENT_APPOINTMENT}) AS holders,
       (SELECT COALESCE(json_agg(json_build_object(
                 'nominationId', n.id, 'cycleId', n.cycle_id, 'personId', pe.id,
                 'fullName', pe.full_name, 'readiness', n.readiness, 'status', n.status)
               ORDER BY n.readiness, pe.sort_key, n.id), '[]'::json)
          FROM nominations n
          JOIN planning_cycles c ON c.id = n.cycle_id
          JOIN people pe ON pe.id = n.person_id
         WHERE n.post_id = page.post_id AND ${LIVE_NOMINATION}) AS nominees
  FROM page
 ORDER BY page.path, page.post_type, page.post_id`;
