import type { EvaluationLevel } from '../evaluations/evaluation-policy';
import { isOverride, suggestReadiness, SuggestionGap } from './readiness-suggestion';
import type { Readiness } from './planning.types';

/** A profile competency: [code, required, current (null = no evidence), critical]. */
type G = [string, number, number | null, boolean];
const gaps = (...items: G[]): SuggestionGap[] =>
  items.map(([code, requiredLevel, currentLevel, critical]) => ({
    code,
    requiredLevel,
    currentLevel,
    critical,
    gap: Math.max(0, requiredLevel - (currentLevel ?? 0)),
  }));
const ev = (level: EvaluationLevel) => ({ year: 2025, level });

describe('suggestReadiness', () => {
  const cases: [string, G[], EvaluationLevel | null, Readiness, string[]][] = [
    [
      'no gap at all, excellent',
      [
        ['C1', 4, 4, true],
        ['C2', 3, 5, false],
      ],
      'excellent',
      'ready_now',
      [],
    ],
    ['no gap at all, good', [['C1', 4, 4, true]], 'good', 'ready_now', []],
    [
      'critical met, a big non-critical gap, good: non-critical gaps do not hold back',
      [
        ['C1', 4, 4, true],
        ['C2', 3, 0, false],
      ],
      'good',
      'ready_now',
      [],
    ],
    ['an empty profile, good', [], 'good', 'ready_now', []],
    [
      'no gap, only "completed"',
      [['C1', 4, 4, true]],
      'completed',
      'ready_1_2_years',
      ['EVALUATION_BELOW_GOOD'],
    ],
    ['no gap, never evaluated', [['C1', 4, 4, true]], null, 'ready_1_2_years', ['NO_EVALUATION']],
    [
      'a one-level critical gap, excellent',
      [
        ['C1', 4, 3, true],
        ['C2', 3, 2, false],
      ],
      'excellent',
      'ready_1_2_years',
      ['CRITICAL_GAPS'],
    ],
    [
      'one-level gaps, completed',
      [
        ['C1', 4, 3, true],
        ['C2', 3, 3, false],
      ],
      'completed',
      'ready_1_2_years',
      ['CRITICAL_GAPS', 'EVALUATION_BELOW_GOOD'],
    ],
    [
      'a two-level critical gap, excellent',
      [['C1', 4, 2, true]],
      'excellent',
      'ready_3_plus_years',
      ['CRITICAL_GAPS', 'GAP_OVER_ONE_LEVEL'],
    ],
    [
      'a two-level non-critical gap, completed',
      [
        ['C1', 4, 4, true],
        ['C2', 3, 1, false],
      ],
      'completed',
      'ready_3_plus_years',
      ['EVALUATION_BELOW_GOOD', 'GAP_OVER_ONE_LEVEL'],
    ],
    [
      'no evidence counts as level 0',
      [['C1', 2, null, true]],
      'excellent',
      'ready_3_plus_years',
      ['CRITICAL_GAPS', 'GAP_OVER_ONE_LEVEL'],
    ],
    [
      'no gap but "not completed"',
      [['C1', 4, 4, true]],
      'not_completed',
      'ready_3_plus_years',
      ['EVALUATION_BELOW_GOOD', 'NOT_COMPLETED_EVALUATION'],
    ],
    [
      'one-level gaps and "not completed"',
      [['C1', 4, 3, false]],
      'not_completed',
      'ready_3_plus_years',
      ['EVALUATION_BELOW_GOOD', 'NOT_COMPLETED_EVALUATION'],
    ],
  ];

  it.each(cases)('%s → %s', (_name, items, level, readiness, reasons) => {
    const s = suggestReadiness({
      hasProfile: true,
      gaps: gaps(...items),
      evaluation: level && ev(level),
    });
    expect(s.readiness).toBe(readiness);
    expect(s.reasons).toEqual(reasons);
  });

  it('lists the critical gaps, the gaps over one level and the totals', () => {
    const s = suggestReadiness({
      hasProfile: true,
      gaps: gaps(
        ['C1', 4, 3, true],
        ['C2', 3, 1, false],
        ['C3', 2, 2, true],
        ['C4', 3, null, true],
      ),
      evaluation: ev('good'),
    });
    expect(s.criticalGaps.map((g) => g.code)).toEqual(['C1', 'C4']);
    expect(s.gapsOverOne.map((g) => g.code)).toEqual(['C2', 'C4']);
    expect(s).toMatchObject({ maxGap: 3, totalGap: 6, evaluation: { year: 2025, level: 'good' } });
  });

  it('suggests nothing without a role profile, and then nothing is an override', () => {
    const s = suggestReadiness({ hasProfile: false, gaps: [], evaluation: ev('excellent') });
    expect(s).toMatchObject({ readiness: null, reasons: ['NO_ROLE_PROFILE'] });
    expect(isOverride('ready_3_plus_years', s)).toBe(false);
    const now = suggestReadiness({ hasProfile: true, gaps: [], evaluation: ev('good') });
    expect(isOverride('ready_now', now)).toBe(false);
    expect(isOverride('ready_1_2_years', now)).toBe(true);
  });
});
