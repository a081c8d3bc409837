import { EntityManager } from 'typeorm';
import { RATING_SOURCES, RatingSource, SUPERVISOR_OVER_SELF_RANK } from './competency.types';

export interface CurrentLevelRow {
  personId: string;
  competencyId: string;
  level: number;
  source: RatingSource;
  /** yyyy-MM-dd */
  ratedOn: string;
  /** yyyy-MM-dd */
  validUntil: string;
  ageDays: number;
  ratingId: string;
  /** The version the rating was made against: the target, or another of the same lineage. */
  ratedVersionId: string;
}

const SOURCE_RANK_SQL = `CASE r.source ${RATING_SOURCES.map(
  (s) => `WHEN '${s}' THEN ${SUPERVISOR_OVER_SELF_RANK[s]}`,
).join(' ')} END`;

/**
 * The SELECT that picks, per (person, competency of the target version), the rating that is
 * current under the target version's policy — to embed as a CTE in bigger set-based queries
 * (gaps, heatmap). `version` is an SQL expression (parameter) of type uuid compared with `=` —
 * `ANY(…)` also works —, `asOf` one of type date; `personFilter` is a condition over
 * `r.person_id`.
 *
 * Evidence follows the competency's lineage (issue 11, item 9): a rating made against any version
 * holding the same lineage counts for the target version's competency, so publishing v2 as a
 * copy of v1 keeps everyone's levels, and a new competency (a new lineage) starts unrated. A
 * rating whose level the target's scale lacks does not count there (the scale changed: that
 * level means nothing in it). Lineages never cross frameworks (only new-version copies them).
 *
 * Only evidence valid on `asOf` takes part: rated_on <= asOf <= valid_until, and for
 * highest_valid_within_years rated in the last N years. Under every policy a self-rating counts
 * only when no other source has valid evidence (issue 11, item 4): a person's own view never
 * lowers — nor raises — a gap that a supervisor, hr, a course or an assessment shows. Among the
 * remaining candidates the policy decides; ties fall to the latest day, then the latest recorded.
 *
 * Reads ix_competencies_lineage for the lineage pairs (a handful of rows per competency) and
 * ix_competency_ratings_current (person_id, version_id, competency_id, rated_on) for the ratings.
 */
export function currentLevelsSql(version: string, asOf: string, personFilter: string): string {
  return `SELECT DISTINCT ON (r.person_id, m.id)
                 r.person_id, m.id AS competency_id, r.level, r.source, r.rated_on, r.valid_until,
                 r.id, r.version_id AS rated_version_id
            FROM competencies m
            JOIN framework_versions v ON v.id = m.version_id
            JOIN competencies e ON e.lineage_id = m.lineage_id
            JOIN competency_ratings r ON r.competency_id = e.id AND r.version_id = e.version_id
           WHERE m.version_id = ${version}
             AND ${personFilter}
             AND r.rated_on <= ${asOf} AND r.valid_until >= ${asOf}
             AND (r.version_id = m.version_id
                  OR EXISTS (SELECT 1 FROM framework_levels l
                              WHERE l.version_id = m.version_id AND l.level = r.level))
             AND (v.policy <> 'highest_valid_within_years'
                  OR r.rated_on > (${asOf} - make_interval(years => v.policy_years))::date)
           ORDER BY r.person_id, m.id,
                 r.source = 'self',
                 CASE v.policy
                   WHEN 'highest_valid_within_years' THEN -r.level
                   WHEN 'supervisor_over_self' THEN ${SOURCE_RANK_SQL}
                   ELSE 0
                 END,
                 r.rated_on DESC, r.created_at DESC, r.id DESC`;
}

/**
 * "What is each person's current level in each competency of a version": one SQL statement for
 * one person or many. Exported from CompetenciesModule for the gaps and heatmap phase.
 */
export class CompetencyLevelsQuery {
  /**
   * Current levels for `personIds` (all people with evidence when omitted) against `versionId`,
   * as of `asOf` (yyyy-MM-dd: the caller's clock.todayVn() for today). Competencies without valid
   * evidence have no row.
   */
  static async currentLevels(
    em: EntityManager,
    params: { versionId: string; personIds?: readonly string[]; asOf: string },
  ): Promise<CurrentLevelRow[]> {
    const filter = params.personIds ? 'r.person_id = ANY($3::uuid[])' : 'TRUE';
    const rows = await em.query<
      {
        person_id: string;
        competency_id: string;
        level: number;
        source: RatingSource;
        rated_on: string;
        valid_until: string;
        age_days: number;
        id: string;
        rated_version_id: string;
      }[]
    >(
      `WITH cur AS (${currentLevelsSql('$1::uuid', '$2::date', filter)})
       SELECT person_id, competency_id, level, source, rated_on::text AS rated_on,
              valid_until::text AS valid_until, ($2::date - rated_on) AS age_days, id,
              rated_version_id
         FROM cur`,
      [params.versionId, params.asOf, ...(params.personIds ? [params.personIds] : [])],
    );
    return rows.map((r) => ({
      personId: r.person_id,
      competencyId: r.competency_id,
      level: r.level,
      source: r.source,
      ratedOn: r.rated_on,
      validUntil: r.valid_until,
      ageDays: Number(r.age_days),
      ratingId: r.id,
      ratedVersionId: r.rated_version_id,
    }));
  }
}
