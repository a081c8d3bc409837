import { addYears } from '../common/dates/calendar';

export const FRAMEWORK_VERSION_STATUSES = ['draft', 'published', 'retired'] as const;
export type FrameworkVersionStatus = (typeof FRAMEWORK_VERSION_STATUSES)[number];

/**
 * How the current level of a competency is chosen from a person's valid evidence. Under every
 * policy a self-rating counts only when no other source has valid evidence: the person's own
 * view never lowers or raises what a supervisor, hr, a course or an assessment shows.
 * - latest_valid: the most recent valid rating;
 * - highest_valid_within_years: the highest valid rating made in the last N years;
 * - supervisor_over_self: the most recent valid rating of the strongest source — supervisor or
 *   hr first, then assessment or course, self only when nothing else is valid.
 */
export const CURRENT_LEVEL_POLICIES = [
  'latest_valid',
  'highest_valid_within_years',
  'supervisor_over_self',
] as const;
export type CurrentLevelPolicy = (typeof CURRENT_LEVEL_POLICIES)[number];

export const RATING_SOURCES = ['self', 'supervisor', 'assessment', 'course', 'hr'] as const;
export type RatingSource = (typeof RATING_SOURCES)[number];

/** Sources that learning writes through RatingsService.appendEvidence. */
export const LEARNING_SOURCES = ['course', 'assessment'] as const;
export type LearningSource = (typeof LEARNING_SOURCES)[number];

/**
 * How long a rating of each source counts, in years from the day it was made: the one place to
 * change it. Evidence past its valid-until day never counts as current.
 */
export const RATING_VALIDITY_YEARS: Readonly<Record<RatingSource, number>> = {
  self: 1,
  supervisor: 2,
  hr: 2,
  assessment: 3,
  course: 3,
};

/**
 * Rank of a source under supervisor_over_self (lower wins). Also used by the SQL of
 * CompetencyLevelsQuery, which spells the same order out in a CASE.
 */
export const SUPERVISOR_OVER_SELF_RANK: Readonly<Record<RatingSource, number>> = {
  supervisor: 0,
  hr: 0,
  assessment: 1,
  course: 1,
  self: 2,
};

/** Org levels at which a framework may be owned: the confederation, federations, sectoral unions. */
export const FRAMEWORK_OWNER_LEVELS = ['confederation', 'federation', 'sectoral'] as const;

/** Default valid-until day of a rating made on `ratedOn` from `source`. */
export function defaultValidUntil(source: RatingSource, ratedOn: string): string {
  return addYears(ratedOn, RATING_VALIDITY_YEARS[source]);
}
