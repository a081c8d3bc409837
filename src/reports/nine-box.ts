import type { EvaluationLevel } from '../evaluations/evaluation-policy';
import type { Readiness } from '../planning/planning.types';

/**
 * The nine-box grid of the pipeline view: performance × potential, three bands each.
 *
 * Performance comes from the latest yearly evaluation (the current revision of the highest
 * year): excellent → high, good → medium, completed / not completed / never evaluated → low.
 *
 * Potential comes from the readiness HR chose — ready now → high, 1–2 years → medium, 3+ years
 * → low. The readiness suggested from competency gaps and the latest evaluation
 * (planning/readiness-suggestion.ts) is advice shown beside it: HR's choice is what the list
 * says, and departing from the suggestion is recorded with a reason, so the grid follows the
 * decision, not the advice. `potentialSql` is the one place that decides. A person nominated
 * for several posts counts once, with their best readiness.
 */
export const BANDS = ['high', 'medium', 'low'] as const;
export type Band = (typeof BANDS)[number];

export const PERFORMANCE_BY_LEVEL: Record<EvaluationLevel, Band> = {
  excellent: 'high',
  good: 'medium',
  completed: 'low',
  not_completed: 'low',
};

export const POTENTIAL_BY_READINESS: Record<Readiness, Band> = {
  ready_now: 'high',
  ready_1_2_years: 'medium',
  ready_3_plus_years: 'low',
};

/** Readiness rank: 1 is the best (ready now). MIN over a person's nominations gives the best. */
export const READINESS_RANK: Record<Readiness, number> = {
  ready_now: 1,
  ready_1_2_years: 2,
  ready_3_plus_years: 3,
};

export function performanceBand(level: EvaluationLevel | null | undefined): Band {
  return level ? PERFORMANCE_BY_LEVEL[level] : 'low';
}

export function potentialBand(readiness: Readiness): Band {
  return POTENTIAL_BY_READINESS[readiness];
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The performance band in SQL, from an evaluation_level expression (null → low). */
export function performanceSql(level: string): string {
  const whens = Object.entries(PERFORMANCE_BY_LEVEL)
    .map(([l, band]) => `WHEN ${quote(l)} THEN ${quote(band)}`)
    .join(' ');
  return `(CASE ${level}::text ${whens} ELSE 'low' END)`;
}

/** The readiness rank in SQL (1 best), from a readiness expression. */
export function readinessRankSql(readiness: string): string {
  const whens = Object.entries(READINESS_RANK)
    .map(([r, rank]) => `WHEN ${quote(r)} THEN ${rank}`)
    .join(' ');
  return `(CASE ${readiness}::text ${whens} END)`;
}

/** The potential band in SQL, from the best readiness rank of a person (see readinessRankSql). */
export function potentialSql(bestRank: string): string {
  const whens = Object.entries(READINESS_RANK)
    .map(([r, rank]) => `WHEN ${rank} THEN ${quote(POTENTIAL_BY_READINESS[r as Readiness])}`)
    .join(' ');
  return `(CASE ${bestRank} ${whens} END)`;
}

export const BAND_LABELS: Record<Band, { vi: string; en: string }> = {
  high: { vi: 'Cao', en: 'High' },
  medium: { vi: 'Trung bình', en: 'Medium' },
  low: { vi: 'Thấp', en: 'Low' },
};
