import type { QuestionKind } from './assessment.types';

/**
 * Grade words on the 10-point scale, highest first (docs/domain.md#grading-words; the thresholds are a common rule,
 * not law: change them here, or pass another table to gradeWord).
 */
export interface GradeBand {
  min: number;
  word: string;
}

export const GRADE_BANDS: readonly GradeBand[] = [
  { min: 9, word: 'Xuất sắc' },
  { min: 8, word: 'Giỏi' },
  { min: 7, word: 'Khá' },
  { min: 5, word: 'Trung bình' },
];
export const FAILING_GRADE = 'Không đạt';

export function gradeWord(
  score: number,
  bands: readonly GradeBand[] = GRADE_BANDS,
  failing = FAILING_GRADE,
): string {
  const sorted = [...bands].sort((a, b) => b.min - a.min);
  return sorted.find((b) => score >= b.min)?.word ?? failing;
}

export interface GradableQuestion {
  kind: QuestionKind;
  correct: readonly string[];
  points: number;
}

/**
 * Points earned on one question. single / true_false: all or nothing. multiple: all or nothing
 * unless partial credit is on, then (right chosen − wrong chosen) / right options, never below 0.
 */
export function pointsFor(
  q: GradableQuestion,
  selected: readonly string[] | undefined,
  partialCredit: boolean,
): number {
  const chosen = new Set(selected ?? []);
  const right = new Set(q.correct);
  if (chosen.size === 0) return 0;
  const exact = chosen.size === right.size && [...chosen].every((k) => right.has(k));
  if (exact) return q.points;
  if (q.kind !== 'multiple' || !partialCredit) return 0;
  let hits = 0;
  let misses = 0;
  for (const k of chosen) {
    if (right.has(k)) hits += 1;
    else misses += 1;
  }
  return Math.max(0, ((hits - misses) / right.size) * q.points);
}

export function round2(n: number): number {
  return Math.round((n + Number.EPSILON) * 100) / 100;
}

export interface GradeResult {
  pointsEarned: number;
  pointsTotal: number;
  /** points earned / total × 10, rounded to 2 decimals. */
  score: number;
  passed: boolean;
  grade: string;
}

export function gradeAttempt(
  questions: readonly (GradableQuestion & { id: string })[],
  answers: ReadonlyMap<string, readonly string[]>,
  opts: { partialCredit: boolean; passScore: number },
): GradeResult {
  let earned = 0;
  let total = 0;
  for (const q of questions) {
    total += q.points;
    earned += pointsFor(q, answers.get(q.id), opts.partialCredit);
  }
  const score = total > 0 ? round2((earned / total) * 10) : 0;
  return {
    pointsEarned: round2(earned),
    pointsTotal: total,
    score,
    passed: score >= opts.passScore,
    grade: gradeWord(score),
  };
}
