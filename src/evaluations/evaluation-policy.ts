/**
 * The one place where the yearly evaluation rules live (regulation 366-QĐ/TW of 2025, "check"
 * in docs/domain.md#evaluations): score thresholds of each level and the usual cap on "excellent" in a unit.
 * They are defaults, provided under EVALUATION_POLICY so a deployment can replace them.
 */
export const EVALUATION_LEVELS = ['excellent', 'good', 'completed', 'not_completed'] as const;
export type EvaluationLevel = (typeof EVALUATION_LEVELS)[number];

export const EVALUATION_LEVEL_LABELS: Record<EvaluationLevel, { vi: string; en: string }> = {
  excellent: { vi: 'Hoàn thành xuất sắc nhiệm vụ', en: 'Excellent' },
  good: { vi: 'Hoàn thành tốt nhiệm vụ', en: 'Good' },
  completed: { vi: 'Hoàn thành nhiệm vụ', en: 'Completed' },
  not_completed: { vi: 'Không hoàn thành nhiệm vụ', en: 'Not completed' },
};

export interface EvaluationPolicy {
  /** Lowest score (inclusive, on 0–100) of each level above "not completed". */
  thresholds: { excellent: number; good: number; completed: number };
  /** Largest share (0–1) of "excellent" in a unit before the list warns. */
  excellentCap: number;
  /** Earliest year an evaluation may be recorded for; the latest is next year. */
  minYear: number;
}

export const DEFAULT_EVALUATION_POLICY: EvaluationPolicy = {
  thresholds: { excellent: 90, good: 70, completed: 50 },
  excellentCap: 0.2,
  minYear: 2000,
};

export const EVALUATION_POLICY = Symbol('EVALUATION_POLICY');

export function levelForScore(
  score: number,
  thresholds: EvaluationPolicy['thresholds'] = DEFAULT_EVALUATION_POLICY.thresholds,
): EvaluationLevel {
  if (score >= thresholds.excellent) return 'excellent';
  if (score >= thresholds.good) return 'good';
  if (score >= thresholds.completed) return 'completed';
  return 'not_completed';
}
