import { DEFAULT_EVALUATION_POLICY, levelForScore } from './evaluation-policy';

describe('levelForScore', () => {
  it.each([
    [0, 'not_completed'],
    [49.99, 'not_completed'],
    [50, 'completed'],
    [69.99, 'completed'],
    [70, 'good'],
    [89.99, 'good'],
    [90, 'excellent'],
    [100, 'excellent'],
  ])('%p → %s', (score, level) => {
    expect(levelForScore(score)).toBe(level);
  });

  it('follows other thresholds when the policy is changed', () => {
    const strict = { excellent: 95, good: 80, completed: 60 };
    expect(levelForScore(94.99, strict)).toBe('good');
    expect(levelForScore(95, strict)).toBe('excellent');
    expect(levelForScore(59.99, strict)).toBe('not_completed');
  });

  it('caps "excellent" at 20 % by default', () => {
    expect(DEFAULT_EVALUATION_POLICY.excellentCap).toBe(0.2);
  });
});
