import type { EvaluationLevel } from '../evaluations/evaluation-policy';
import type { Readiness } from './planning.types';

/** One competency of the nominated post's role profile, measured as the gaps module does. */
export interface SuggestionGap {
  code: string;
  requiredLevel: number;
  /** Null: no valid evidence (the gap counts it as level 0). */
  currentLevel: number | null;
  critical: boolean;
  /** max(0, required − current), current 0 without evidence. */
  gap: number;
}

export interface SuggestionInput {
  /** Whether a role profile applies to the nominated post; without one nothing is suggested. */
  hasProfile: boolean;
  gaps: readonly SuggestionGap[];
  /** The nominee's latest current evaluation; null when never evaluated. */
  evaluation: { year: number; level: EvaluationLevel } | null;
}

/** Why a band was or was not suggested, as stable codes a client can translate. */
export const SUGGESTION_REASONS = [
  'NO_ROLE_PROFILE',
  'CRITICAL_GAPS',
  'EVALUATION_BELOW_GOOD',
  'NO_EVALUATION',
  'GAP_OVER_ONE_LEVEL',
  'NOT_COMPLETED_EVALUATION',
] as const;
export type SuggestionReason = (typeof SUGGESTION_REASONS)[number];

export interface ReadinessSuggestion {
  /** Null when no role profile applies: HR's readiness then needs no reason. */
  readiness: Readiness | null;
  /** What kept the nominee from the better bands (empty for ready_now). */
  reasons: SuggestionReason[];
  /** Critical competencies below the required level. */
  criticalGaps: SuggestionGap[];
  /** Competencies more than one level below the required level. */
  gapsOverOne: SuggestionGap[];
  maxGap: number;
  totalGap: number;
  evaluation: { year: number; level: EvaluationLevel } | null;
}

/** Latest evaluations that count as "good or better" for ready now. */
export const READY_NOW_EVALUATIONS: readonly EvaluationLevel[] = ['excellent', 'good'];

/**
 * The readiness the system suggests for a nominee (issue 5, item 3). The rule, exactly:
 *
 * - no role profile applies to the post → no suggestion (null);
 * - ready_now: no critical competency of the profile has a gap (gap = required − current, no
 *   evidence counting as 0), AND the latest evaluation is good or excellent. Gaps on
 *   non-critical competencies do not hold back ready now;
 * - ready_1_2_years: otherwise, every competency's gap is at most one level, AND the latest
 *   evaluation is not "not completed" (a nominee never evaluated may be 1–2 years away);
 * - ready_3_plus_years: everything else.
 *
 * A "not completed" latest evaluation therefore always lands in 3+ years, which agrees with
 * the yearly review flagging it. Pure: the caller measures gaps and reads the evaluation.
 */
export function suggestReadiness(input: SuggestionInput): ReadinessSuggestion {
  const criticalGaps = input.gaps.filter((g) => g.critical && g.gap > 0);
  const gapsOverOne = input.gaps.filter((g) => g.gap > 1);
  const maxGap = input.gaps.reduce((m, g) => Math.max(m, g.gap), 0);
  const totalGap = input.gaps.reduce((s, g) => s + g.gap, 0);
  const evaluation = input.evaluation;
  const base = { criticalGaps, gapsOverOne, maxGap, totalGap, evaluation };
  if (!input.hasProfile) return { ...base, readiness: null, reasons: ['NO_ROLE_PROFILE'] };

  const nowReasons: SuggestionReason[] = [];
  if (criticalGaps.length > 0) nowReasons.push('CRITICAL_GAPS');
  if (!evaluation) nowReasons.push('NO_EVALUATION');
  else if (!READY_NOW_EVALUATIONS.includes(evaluation.level)) {
    nowReasons.push('EVALUATION_BELOW_GOOD');
  }
  if (nowReasons.length === 0) return { ...base, readiness: 'ready_now', reasons: [] };

  const laterReasons: SuggestionReason[] = [];
  if (maxGap > 1) laterReasons.push('GAP_OVER_ONE_LEVEL');
  if (evaluation?.level === 'not_completed') laterReasons.push('NOT_COMPLETED_EVALUATION');
  if (laterReasons.length === 0) {
    return { ...base, readiness: 'ready_1_2_years', reasons: nowReasons };
  }
  return { ...base, readiness: 'ready_3_plus_years', reasons: [...nowReasons, ...laterReasons] };
}

/**
 * Whether HR's readiness departs from the suggestion and so needs a reason. Without a
 * suggestion (no role profile) nothing is overridden.
 */
export function isOverride(
  chosen: Readiness,
  suggestion: { readiness: Readiness | null },
): boolean {
  return suggestion.readiness !== null && suggestion.readiness !== chosen;
}
