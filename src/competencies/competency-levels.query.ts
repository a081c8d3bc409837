import { EntityManager } from 'typeorm';
import { todayVn } from '../posts/posts.sql';
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
}

const SOURCE_RANK_SQL = `CASE r.source ${RATING_SOURCES.map(
  (s) => `WHEN '${s}' THEN ${SUPERVISOR_OVER_SELF_RANK[s]}`,
).join(' ')} END`;

/**
 * The SELECT that picks, per (person, competency), the rating that is current under the
 * version's policy — to embed as a CTE in bigger set-based queries (gaps, heatmap).
 * `version` and `asOf` are SQL expressions (parameters) of type uuid and date; `personFilter` is
 * a condition over `r.person_id`. Only evidence valid on `asOf` takes part:
 * rated_on <= asOf <= valid_until, and for highest_valid_within_years rated in the last N years.
 * Ties fall to the latest day, then the latest recorded.
 * Uses ix_competency_ratings_current (person_id, version_id, competency_id, rated_on).
 */
export function currentLevelsSql(version: string, asOf: string, personFilter: string): string {
  return `SELECT DISTINCT ON (r.person_id, r.competency_id)
                 r.person_id, r.competency_id, r.level, r.source, r.rated_on, r.valid_until, r.id
            FROM competency_ratings r
            JOIN framework_versions v ON v.id = r.version_id
           WHERE r.version_id = ${version}
             AND ${personFilter}
             AND r.rated_on <= ${asOf} AND r.valid_until >= ${asOf}
             AND (v.policy <> 'highest_valid_within_years'
                  OR r.rated_on > (${asOf} - make_interval(years => v.policy_years))::date)
           ORDER BY r.person_id, r.competency_id,
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
   * as of `asOf` (yyyy-MM-dd, default today in Vietnam). Competencies without valid
   * evidence have no row.
   */
  static async currentLevels(
    em: EntityManager,
    params: { versionId: string; personIds?: readonly string[]; asOf?: string },
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
      }[]
    >(
      `WITH cur AS (${currentLevelsSql('$1::uuid', '$2::date', filter)})
       SELECT person_id, competency_id, level, source, rated_on::text AS rated_on,
              valid_until::text AS valid_until, ($2::date - rated_on) AS age_days, id
         FROM cur`,
      [params.versionId, params.asOf ?? todayVn(), ...(params.personIds ? [params.personIds] : [])],
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
    }));
  }
}
