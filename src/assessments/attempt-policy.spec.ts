import { policyScore } from './attempt-policy';

describe('policyScore', () => {
  const scores = [4, 9.5, 6];

  it('takes the highest, the latest, the first or the average of the released scores', () => {
    expect(policyScore('highest', scores)).toBe(9.5);
    expect(policyScore('latest', scores)).toBe(6);
    expect(policyScore('first', scores)).toBe(4);
    expect(policyScore('average', scores)).toBe(6.5);
  });

  it('rounds an average to 2 decimals', () => {
    expect(policyScore('average', [10, 0, 0])).toBe(3.33);
  });

  it('has no score before any attempt is released', () => {
    expect(policyScore('highest', [])).toBeNull();
    expect(policyScore('average', [])).toBeNull();
  });
});
