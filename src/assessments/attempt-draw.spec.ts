import { DrawRuleRow, foldDrawRules } from './attempt-draw';

const rule = (position: number, count: number) => ({
  position,
  section: `Phần ${position}`,
  question_id: null,
  count,
  points: null,
});

describe('foldDrawRules', () => {
  it('gives every rule in order, and its pool in pool order, an empty pool giving nothing', () => {
    const folded: DrawRuleRow[] = [
      { ...rule(1, 2), pool_ids: ['a1', 'a2', 'a3'], pool_versions: [1, 3, 2] },
      { ...rule(2, 1), pool_ids: [], pool_versions: [] },
      { ...rule(3, 1), pool_ids: ['c1'], pool_versions: [5] },
    ];
    const source = foldDrawRules(folded);
    expect(source.rules).toEqual([rule(1, 2), rule(2, 1), rule(3, 1)]);
    expect(source.rules.map((r) => r.position)).toEqual([1, 2, 3]);
    expect(source.pools).toEqual([
      { rule: 1, id: 'a1', version: 1 },
      { rule: 1, id: 'a2', version: 3 },
      { rule: 1, id: 'a3', version: 2 },
      { rule: 3, id: 'c1', version: 5 },
    ]);
  });

  it('reads an assessment without rules (one row of nulls) as nothing to draw', () => {
    const none = {
      position: null,
      section: null,
      question_id: null,
      count: null,
      points: null,
      pool_ids: null,
      pool_versions: null,
    } as unknown as DrawRuleRow;
    expect(foldDrawRules([none])).toEqual({ rules: [], pools: [] });
  });
});
