export const PLANNING_CYCLE_STATUSES = [
  'draft',
  'open',
  'submitted',
  'approved',
  'closed',
] as const;
/**
 * draft → open → submitted → approved → closed; a submitted list may be sent back to open, and a
 * draft may be dropped (closed without opening; kept on record).
 */
export type PlanningCycleStatus = (typeof PLANNING_CYCLE_STATUSES)[number];

export const READINESS_LEVELS = ['ready_now', 'ready_1_2_years', 'ready_3_plus_years'] as const;
/** Declared in order, so ORDER BY readiness lists the ready-now nominees first. */
export type Readiness = (typeof READINESS_LEVELS)[number];

export const NOMINATION_STATUSES = ['proposed', 'approved', 'removed'] as const;
export type NominationStatus = (typeof NOMINATION_STATUSES)[number];

export const REMOVAL_REASONS = [
  'over_age',
  'discipline',
  'not_completed_evaluation',
  'moved',
  'other',
] as const;
export type RemovalReason = (typeof REMOVAL_REASONS)[number];

export const REVIEW_DECISIONS = ['kept', 'removed'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/**
 * The rules of one planning cycle (docs/domain.md#planning, regulation 377-QĐ/TW): stored with the
 * cycle, so a change of party rules is a PATCH of the rules, never a code change. The
 * retirement age is not one of them: it is the law's, the same for every list, and comes from
 * the statutory roadmap (retirement.ts, table retirement_age_roadmap).
 */
export interface PlanningRules {
  /** Nominees per post, counted over every live cycle planning the post and this one. */
  maxNomineesPerPost: number;
  /** Posts per person across live cycles (and this one) of units of the same level. */
  maxPostsPerPerson: number;
  /** Working years a first-time nominee has left at the term's start. */
  minWorkingYearsLeft: number;
  /** Share of women among the nominees (a warning, not a refusal). */
  womenTarget: number;
  /** Share of nominees under 40 (a warning, not a refusal). */
  under40Target: number;
}

export const DEFAULT_PLANNING_RULES: PlanningRules = {
  maxNomineesPerPost: 3,
  maxPostsPerPerson: 3,
  minWorkingYearsLeft: 10,
  womenTarget: 0.25,
  under40Target: 0.15,
};
