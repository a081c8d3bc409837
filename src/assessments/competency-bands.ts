import { AnyDetail, detail } from '../common/errors/domain-error';
import { GradableQuestion, pointsFor, round2 } from './grading';

/**
 * Score bands of an assessment: the level of competency evidence a score earns, on the
 * 10-point scale. Highest band first; a score below the lowest band earns no evidence.
 * Example: [{ minScore: 9, level: 4 }, { minScore: 7, level: 3 }, { minScore: 5, level: 2 }].
 */
export interface CompetencyBand {
  minScore: number;
  level: number;
}

/** Bands must run strictly downwards in both score and level (400 otherwise). */
export function checkBands(
  bands: readonly CompetencyBand[],
  prefix = 'competencyBands',
): AnyDetail[] {
  const details: AnyDetail[] = [];
  bands.forEach((b, i) => {
    if (i === 0) return;
    const prev = bands[i - 1];
    if (!(b.minScore < prev.minScore)) {
      details.push(
        detail(
          `${prefix}.${i}.minScore`,
          'Các mức được liệt kê từ cao xuống thấp: minScore phải nhỏ hơn của mức trước.',
          'Bands are listed highest first: minScore must be below the previous band’s.',
        ),
      );
    }
    if (!(b.level < prev.level)) {
      details.push(
        detail(
          `${prefix}.${i}.level`,
          'Mức điểm thấp hơn ứng với cấp độ thấp hơn: level phải nhỏ hơn của mức trước.',
          'A lower band earns a lower level: level must be below the previous band’s.',
        ),
      );
    }
  });
  return details;
}

/** The level a score earns: the first band (highest first) it reaches; null below them all. */
export function bandLevel(score: number, bands: readonly CompetencyBand[]): number | null {
  return (
    [...bands].sort((a, b) => b.minScore - a.minScore).find((b) => score >= b.minScore)?.level ??
    null
  );
}

/**
 * The score of each tagged competency on the 10-point scale, from its questions only: points
 * earned on them / their points × 10, rounded to 2 decimals, graded as the attempt is.
 */
export function competencyScores(
  questions: readonly (GradableQuestion & { id: string; competencyLineageId: string | null })[],
  answers: ReadonlyMap<string, readonly string[]>,
  partialCredit: boolean,
): Map<string, number> {
  const sums = new Map<string, { earned: number; total: number }>();
  for (const q of questions) {
    if (!q.competencyLineageId) continue;
    const s = sums.get(q.competencyLineageId) ?? { earned: 0, total: 0 };
    s.earned += pointsFor(q, answers.get(q.id), partialCredit);
    s.total += q.points;
    sums.set(q.competencyLineageId, s);
  }
  return new Map(
    [...sums].map(([lineage, s]) => [lineage, s.total > 0 ? round2((s.earned / s.total) * 10) : 0]),
  );
}
