import { currentLevelsSql } from '../competencies/competency-levels.query';
import { profileSpecificitySql } from '../competencies/role-profiles.service';
import { currentHoldersSql } from '../posts/appointments.service';
import type { PostType } from '../posts/post-types';

export interface HeatmapParams {
  rootId: string;
  /** Materialized path of the root, e.g. "/1/7/". */
  rootPath: string;
  versionId: string;
  postType: PostType;
  /** yyyy-MM-dd */
  asOf: string;
  /** Child units per page. */
  limit: number;
  /** Keyset of the last child of the previous page: (sort_key, id). */
  after: [string, string] | null;
}

export interface HeatmapRow {
  unit_id: string;
  unit_code: string;
  unit_name: string;
  unit_sort_key: string;
  competency_id: string;
  competency_code: string;
  holders: number;
  below: number;
}

/**
 * The heatmap of a subtree as ONE set-based statement; the service and the benchmark run this
 * same text. Steps (CTEs):
 *  - kids: one page of the root's child units, keyset on (sort_key, id) — the rows;
 *  - holders: current holders of the post type in the subtree (currentHoldersSql), inlined
 *    (NOT MATERIALIZED) so that the ratings semi-join below is planned on table statistics;
 *  - comp: the version's competencies with their ordinal;
 *  - prof: per (org level, sector) of the enum domains — a few dozen rows — the most specific
 *    profile's required levels as an array by ordinal (null = not required);
 *  - placed: each holder's child-unit bucket (the path one segment below the root; holders of
 *    the root itself belong to no row) and required levels;
 *  - cur: current levels by the version's policy (currentLevelsSql) of the holders, evidence
 *    read across each competency's lineage (ratings made against earlier versions count);
 *  - required / met: per (bucket, competency) the holders it is required of, and those whose
 *    current level reaches it (count … FILTER), both hash-aggregated;
 * then every child × every competency, so empty cells come back as zeros; below = required − met
 * (no valid evidence counts as 0). A holder counts once per post held.
 * Shape chosen from EXPLAIN ANALYZE at national scale: joins on CTE columns have no
 * statistics, so profiles are looked up by a scalar over the tiny prof CTE and the requirement
 * travels as an array instead of a million-row join whose estimate collapses to a few rows.
 */
export function heatmapSql(p: HeatmapParams): { sql: string; params: unknown[] } {
  const holders = currentHoldersSql(p.rootPath, p.asOf, [p.postType], 8);
  const sql = `
WITH kids AS (
  SELECT k.id, k.code, k.name, k.path, k.sort_key
    FROM org_units k
   WHERE k.parent_id = $1
     AND ($6::text IS NULL OR (k.sort_key, k.id) > ($6::text, $7::uuid))
   ORDER BY k.sort_key, k.id
   LIMIT $5
),
holders AS NOT MATERIALIZED (${holders.sql}),
comp AS MATERIALIZED (
  SELECT c.id, c.code, (row_number() OVER (ORDER BY c.position, c.code))::int AS ord
    FROM competencies c
   WHERE c.version_id = $2
),
prof AS MATERIALIZED (
  SELECT DISTINCT ON (lv, sc) lv::text || '/' || COALESCE(sc::text, '') AS pkey,
         (SELECT array_agg(rq.required_level ORDER BY cp.ord)
            FROM comp cp
            LEFT JOIN role_profile_requirements rq ON rq.profile_id = rp.id
                                                  AND rq.competency_id = cp.id) AS req
    FROM unnest(enum_range(NULL::org_level)) AS lv
   CROSS JOIN (SELECT unnest(enum_range(NULL::org_sector)) UNION ALL SELECT NULL) AS s(sc)
    JOIN role_profiles rp ON rp.version_id = $2 AND rp.post_type = $3
                         AND (rp.org_level IS NULL OR rp.org_level = lv)
                         AND (rp.sector IS NULL OR rp.sector = sc)
   ORDER BY lv, sc, ${profileSpecificitySql('rp')}
),
placed AS MATERIALIZED (
  SELECT substr(h.org_unit_path, 1, $4 + strpos(substr(h.org_unit_path, $4 + 1), '/')) AS bucket,
         h.person_id,
         (SELECT prof.req FROM prof
           WHERE prof.pkey = u.level::text || '/' || COALESCE(u.sector::text, '')) AS req
    FROM holders h
    JOIN org_units u ON u.id = h.org_unit_id
   WHERE h.org_unit_path <> $11
),
cur AS (${currentLevelsSql('$2::uuid', '$9::date', 'r.person_id IN (SELECT person_id FROM holders)')}),
required AS (
  SELECT g.bucket, cp.id AS competency_id, sum(g.n)::int AS holders
    FROM (SELECT bucket, req, count(*) AS n FROM placed WHERE req IS NOT NULL GROUP BY bucket, req) g
    JOIN comp cp ON g.req[cp.ord] IS NOT NULL
   GROUP BY g.bucket, cp.id
),
met AS (
  SELECT x.bucket, cp.id AS competency_id,
         (count(*) FILTER (WHERE x.level >= x.req[cp.ord]))::int AS met
    FROM (SELECT pl.bucket, pl.req, cur.competency_id, cur.level
            FROM placed pl JOIN cur ON cur.person_id = pl.person_id
           WHERE pl.req IS NOT NULL
          OFFSET 0) x
    JOIN comp cp ON cp.id = x.competency_id
   GROUP BY x.bucket, cp.id
)
SELECT kids.id AS unit_id, kids.code AS unit_code, kids.name AS unit_name,
       kids.sort_key AS unit_sort_key, cp.id AS competency_id, cp.code AS competency_code,
       COALESCE(rqd.holders, 0) AS holders,
       COALESCE(rqd.holders, 0) - COALESCE(met.met, 0) AS below
  FROM kids
 CROSS JOIN comp cp
  LEFT JOIN required rqd ON rqd.bucket = kids.path AND rqd.competency_id = cp.id
  LEFT JOIN met ON met.bucket = kids.path AND met.competency_id = cp.id
 ORDER BY kids.sort_key, kids.id, cp.ord`;
  return {
    sql,
    params: [
      p.rootId,
      p.versionId,
      p.postType,
      p.rootPath.length,
      p.limit,
      p.after?.[0] ?? null,
      p.after?.[1] ?? null,
      ...holders.params,
      p.rootPath,
    ],
  };
}
