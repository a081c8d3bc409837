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
 *  - holders: current holders of the post type anywhere in the subtree (currentHoldersSql,
 *    over ix_org_units_path, ix_posts_unit and ix_appointments_post);
 *  - bucketed: each holder's child-unit bucket = the path prefix one segment below the root
 *    (holders of the root itself belong to no row), with their unit's level and sector;
 *  - prof: the most specific profile per distinct (level, sector) — a handful of rows, not one
 *    lookup per holder;
 *  - need: holder × required competency of their profile;
 *  - cur: current levels by the version's policy (currentLevelsSql) for the bucketed holders;
 *  - agg: per (child, competency) the holders and those below (no valid evidence counts as 0),
 *    aggregated with FILTER;
 * then every child × every competency of the version, so empty cells come back as zeros.
 * A holder counts once per post held.
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
holders AS (${holders.sql}),
bucketed AS (
  SELECT kids.id AS kid_id, h.person_id, u.level, u.sector
    FROM holders h
    JOIN kids ON kids.path = substr(h.org_unit_path, 1, $4 + strpos(substr(h.org_unit_path, $4 + 1), '/'))
    JOIN org_units u ON u.id = h.org_unit_id
),
combos AS (SELECT DISTINCT level, sector FROM bucketed),
prof AS (
  SELECT DISTINCT ON (cb.level, cb.sector) cb.level, cb.sector, rp.id AS profile_id
    FROM combos cb
    JOIN role_profiles rp ON rp.version_id = $2 AND rp.post_type = $3
                         AND (rp.org_level IS NULL OR rp.org_level = cb.level)
                         AND (rp.sector IS NULL OR rp.sector = cb.sector)
   ORDER BY cb.level, cb.sector, ${profileSpecificitySql('rp')}
),
need AS (
  SELECT b.kid_id, b.person_id, rq.competency_id, rq.required_level
    FROM bucketed b
    JOIN prof ON prof.level = b.level AND prof.sector IS NOT DISTINCT FROM b.sector
    JOIN role_profile_requirements rq ON rq.profile_id = prof.profile_id
),
cur AS (${currentLevelsSql('$2::uuid', '$9::date', 'r.person_id IN (SELECT person_id FROM bucketed)')}),
agg AS (
  SELECT n.kid_id, n.competency_id, count(*)::int AS holders,
         (count(*) FILTER (WHERE COALESCE(cur.level, 0) < n.required_level))::int AS below
    FROM need n
    LEFT JOIN cur ON cur.person_id = n.person_id AND cur.competency_id = n.competency_id
   GROUP BY n.kid_id, n.competency_id
)
SELECT kids.id AS unit_id, kids.code AS unit_code, kids.name AS unit_name,
       kids.sort_key AS unit_sort_key, c.id AS competency_id, c.code AS competency_code,
       COALESCE(agg.holders, 0) AS holders, COALESCE(agg.below, 0) AS below
  FROM kids
 CROSS JOIN competencies c
  LEFT JOIN agg ON agg.kid_id = kids.id AND agg.competency_id = c.id
 WHERE c.version_id = $2
 ORDER BY kids.sort_key, kids.id, c.position, c.code`;
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
    ],
  };
}
