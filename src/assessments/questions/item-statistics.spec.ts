import {
  ItemResponseRow,
  itemFlags,
  itemStatistics,
  ItemStatsAccumulator,
  MIN_ATTEMPTS_FOR_FLAGS,
  pearsonFromSums,
} from './item-statistics';

/**
 * Five attempts at a test of three questions (4 points in all):
 * - q1: single choice, 1 point, key b;
 * - q2: multiple choice, 2 points, keys a and c, proportional credit (one right key alone earns
 *   1 point, any wrong key earns 0) — the partial-credit item;
 * - q3: single choice, 1 point, key a — an item the stronger learners get wrong (they choose c).
 *
 *   attempt | q1            | q2              | q3          | total
 *   A1      | b   1  20 s   | a,c  2  60 s    | c  0  15 s  | 3
 *   A2      | b   1  30 s   | a,c  2  50 s    | a  1  10 s  | 4
 *   A3      | b   1  25 s   | a    1  70 s    | c  0  12 s  | 2
 *   A4      | c   0  45 s   | c    1  80 s    | a  1  18 s  | 2
 *   A5      | (none) 0  —   | a,b  0  40 s    | a  1  20 s  | 1
 */
type Cell = [chosen: string[] | null, points: number, seconds: number | null];
const KEYS = ['a', 'b', 'c', 'd'];
const MAX: Record<string, number> = { q1: 1, q2: 2, q3: 1 };
const RIGHT: Record<string, string[]> = { q1: ['b'], q2: ['a', 'c'], q3: ['a'] };
const TABLE: [string, Cell, Cell, Cell][] = [
  ['A1', [['b'], 1, 20], [['a', 'c'], 2, 60], [['c'], 0, 15]],
  ['A2', [['b'], 1, 30], [['a', 'c'], 2, 50], [['a'], 1, 10]],
  ['A3', [['b'], 1, 25], [['a'], 1, 70], [['c'], 0, 12]],
  ['A4', [['c'], 0, 45], [['c'], 1, 80], [['a'], 1, 18]],
  ['A5', [null, 0, null], [['a', 'b'], 0, 40], [['a'], 1, 20]],
];

/** The fixture's response rows; `copies` repeats every attempt under new ids. */
function fixtureRows(copies = 1): ItemResponseRow[] {
  const rows: ItemResponseRow[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const [attempt, ...cells] of TABLE) {
      const attemptPoints = cells.reduce((sum, [, points]) => sum + points, 0);
      cells.forEach(([chosen, points, secondsSpent], i) => {
        const id = `q${i + 1}`;
        rows.push({
          questionVersionId: id,
          attemptId: `${attempt}-${copy}`,
          points,
          maxPoints: MAX[id],
          correct: points === MAX[id],
          chosen,
          secondsSpent,
          attemptPoints,
          attemptMaxPoints: 4,
        });
      });
    }
  }
  return rows;
}

const FIXTURE_OPTION_KEYS = new Map([
  ['q1', KEYS],
  ['q2', KEYS],
  ['q3', KEYS],
]);

/** A row of an item outside the fixture, with defaults for what a test does not care about. */
function row(over: Partial<ItemResponseRow>): ItemResponseRow {
  return {
    questionVersionId: 'x',
    attemptId: 'a',
    points: 1,
    maxPoints: 1,
    correct: true,
    chosen: ['true'],
    secondsSpent: null,
    attemptPoints: 1,
    attemptMaxPoints: 1,
    ...over,
  };
}

describe('item statistics', () => {
  it('right keys in the fixture agree with its points', () => {
    // A guard on the fixture itself: single-choice points are 1 exactly for the key.
    for (const [, q1, , q3] of TABLE) {
      expect(q1[1]).toBe(q1[0]?.[0] === RIGHT.q1[0] ? 1 : 0);
      expect(q3[1]).toBe(q3[0]?.[0] === RIGHT.q3[0] ? 1 : 0);
    }
  });

  it('computes facility, point-biserial against the rest, option use and time by hand', () => {
    const [q1, q2, q3] = itemStatistics(fixtureRows(), FIXTURE_OPTION_KEYS);

    // q1: x = points/max = [1, 1, 1, 0, 0]; rest y = total − points = [2, 3, 1, 2, 1].
    // facility = 3/5 = 0.6; correct 3/5 = 0.6.
    // n = 5, Σx = 3, Σx² = 3, Σy = 9, Σy² = 4+9+1+4+1 = 19, Σxy = 2+3+1 = 6.
    // r = (5·6 − 3·9) / √((5·3 − 3²)(5·19 − 9²)) = 3 / √(6·14) = 3 / √84 = 0.32733
    expect(q1.questionVersionId).toBe('q1');
    expect(q1.attempts).toBe(5);
    expect(q1.answered).toBe(4);
    expect(q1.unanswered).toBe(1);
    expect(q1.facility).toBeCloseTo(0.6, 4);
    expect(q1.correctShare).toBeCloseTo(0.6, 4);
    expect(q1.discrimination).toBeCloseTo(0.3273, 4);
    expect(q1.discrimination).toBeCloseTo(3 / Math.sqrt(84), 4);
    // Times: A5 recorded none, so (20 + 30 + 25 + 45) / 4 = 30.
    expect(q1.averageSeconds).toBe(30);
    // b chosen 3 times of 5 attempts, c once; a and d never (0 thanks to the option keys);
    // 0.6 + 0.2 + the unanswered 1/5 = 1.
    expect(q1.optionUse).toEqual({
      a: { count: 0, share: 0 },
      b: { count: 3, share: 0.6 },
      c: { count: 1, share: 0.2 },
      d: { count: 0, share: 0 },
    });
    expect(q1.flags).toEqual([]);

    // q2 (partial credit): x = [2/2, 2/2, 1/2, 1/2, 0/2] = [1, 1, 0.5, 0.5, 0];
    // rest y = [3−2, 4−2, 2−1, 2−1, 1−0] = [1, 2, 1, 1, 1].
    // facility = (1 + 1 + 0.5 + 0.5 + 0) / 5 = 0.6, but fully right only 2/5 = 0.4.
    // Σx = 3, Σx² = 1+1+0.25+0.25 = 2.5, Σy = 6, Σy² = 1+4+1+1+1 = 8, Σxy = 1+2+0.5+0.5+0 = 4.
    // r = (5·4 − 3·6) / √((5·2.5 − 3²)(5·8 − 6²)) = 2 / √(3.5·4) = 2 / √14 = 0.53452
    expect(q2.attempts).toBe(5);
    expect(q2.answered).toBe(5);
    expect(q2.unanswered).toBe(0);
    expect(q2.facility).toBeCloseTo(0.6, 4);
    expect(q2.correctShare).toBeCloseTo(0.4, 4);
    expect(q2.discrimination).toBeCloseTo(0.5345, 4);
    // (60 + 50 + 70 + 80 + 40) / 5 = 60.
    expect(q2.averageSeconds).toBe(60);
    // a: A1, A2, A3, A5 = 4/5; b: A5 = 1/5; c: A1, A2, A4 = 3/5; d never. Several keys per
    // response, so shares add up to more than 1.
    expect(q2.optionUse).toEqual({
      a: { count: 4, share: 0.8 },
      b: { count: 1, share: 0.2 },
      c: { count: 3, share: 0.6 },
      d: { count: 0, share: 0 },
    });

    // q3: x = [0, 1, 0, 1, 1]; rest y = [3−0, 4−1, 2−0, 2−1, 1−1] = [3, 3, 2, 1, 0].
    // facility = 3/5 = 0.6.
    // Σx = 3, Σx² = 3, Σy = 9, Σy² = 9+9+4+1+0 = 23, Σxy = 3+1+0 = 4.
    // r = (5·4 − 3·9) / √((5·3 − 3²)(5·23 − 9²)) = −7 / √(6·34) = −7 / √204 = −0.49010
    expect(q3.facility).toBeCloseTo(0.6, 4);
    expect(q3.correctShare).toBeCloseTo(0.6, 4);
    expect(q3.discrimination).toBeCloseTo(-0.4901, 4);
    // (15 + 10 + 12 + 18 + 20) / 5 = 15.
    expect(q3.averageSeconds).toBe(15);
    // The distractor c drew A1 and A3: 2/5.
    expect(q3.optionUse).toEqual({
      a: { count: 3, share: 0.6 },
      b: { count: 0, share: 0 },
      c: { count: 2, share: 0.4 },
      d: { count: 0, share: 0 },
    });
    // Five attempts are fewer than the minimum: the negative discrimination is not flagged yet.
    expect(5).toBeLessThan(MIN_ATTEMPTS_FOR_FLAGS);
    expect(q3.flags).toEqual([]);
  });

  it('flags once there are enough attempts (each attempt twice: same figures, n = 10)', () => {
    // Repeating every (x, y) pair leaves the means and r unchanged.
    const [q1, q2, q3] = itemStatistics(fixtureRows(2), FIXTURE_OPTION_KEYS);
    expect(q3.attempts).toBe(10);
    expect(q1.discrimination).toBeCloseTo(0.3273, 4);
    expect(q2.discrimination).toBeCloseTo(0.5345, 4);
    expect(q3.discrimination).toBeCloseTo(-0.4901, 4);
    expect(q3.optionUse.c).toEqual({ count: 4, share: 0.4 });
    // Facilities 0.6 are neither too easy nor too hard; q1 (0.33) and q2 (0.53) discriminate
    // well enough; q3 discriminates negatively.
    expect(q1.flags).toEqual([]);
    expect(q2.flags).toEqual([]);
    expect(q3.flags).toEqual(['negative_discrimination']);
  });

  it('an item everyone gets right has no discrimination and, with enough attempts, is too easy', () => {
    const rows = Array.from({ length: 10 }, (_, i) =>
      row({ attemptId: `t${i}`, attemptPoints: 1 + i, attemptMaxPoints: 12 }),
    );
    const [item] = itemStatistics(rows, new Map([['x', ['true', 'false']]]));
    expect(item.facility).toBe(1);
    expect(item.discrimination).toBeNull();
    expect(item.flags).toEqual(['too_easy']);
    expect(item.optionUse).toEqual({
      true: { count: 10, share: 1 },
      false: { count: 0, share: 0 },
    });
    // Nine such attempts are too few to flag.
    const [fewer] = itemStatistics(rows.slice(0, MIN_ATTEMPTS_FOR_FLAGS - 1));
    expect(fewer.facility).toBe(1);
    expect(fewer.flags).toEqual([]);
  });

  it('an item no one gets right is too hard once there are enough attempts', () => {
    const wrong = (i: number) =>
      row({ attemptId: `w${i}`, points: 0, correct: false, chosen: ['false'], attemptPoints: i });
    const nine = Array.from({ length: 9 }, (_, i) => wrong(i));
    expect(itemStatistics(nine)[0].flags).toEqual([]);
    const [ten] = itemStatistics([...nine, wrong(9)]);
    expect(ten.facility).toBe(0);
    expect(ten.discrimination).toBeNull();
    expect(ten.flags).toEqual(['too_hard']);
  });

  it('has no discrimination when the rest of the test does not vary, or with one attempt', () => {
    const [flatRest] = itemStatistics([
      row({ attemptId: '1', points: 1, attemptPoints: 3 }),
      row({ attemptId: '2', points: 0, correct: false, attemptPoints: 2 }),
    ]);
    // x = [1, 0] varies, but y = [3 − 1, 2 − 0] = [2, 2] does not.
    expect(flatRest.discrimination).toBeNull();
    expect(itemStatistics([row({})])[0].discrimination).toBeNull();
  });

  it('counts an unanswered response as an attempt, with chosen null or empty', () => {
    const [item] = itemStatistics([
      row({ attemptId: '1' }),
      row({ attemptId: '2', points: 0, correct: false, chosen: null, attemptPoints: 0 }),
      row({ attemptId: '3', points: 0, correct: false, chosen: [], attemptPoints: 0 }),
    ]);
    expect(item.attempts).toBe(3);
    expect(item.answered).toBe(1);
    expect(item.unanswered).toBe(2);
    expect(item.facility).toBeCloseTo(0.3333, 4);
    // Without option keys, only the chosen ones are listed.
    expect(item.optionUse).toEqual({ true: { count: 1, share: 0.3333 } });
    expect(item.averageSeconds).toBeNull();
  });

  it('takes `answered` from the row for kinds without options', () => {
    const [item] = itemStatistics([
      row({ attemptId: '1', chosen: null, answered: true }),
      row({ attemptId: '2', chosen: null, answered: true, points: 0, correct: false }),
      row({ attemptId: '3', chosen: null, answered: false, points: 0, correct: false }),
    ]);
    expect(item.answered).toBe(2);
    expect(item.unanswered).toBe(1);
    expect(item.optionUse).toEqual({});
  });

  it('counts a key listed twice in one response once, and keeps odd keys as plain keys', () => {
    const [item] = itemStatistics([
      row({ attemptId: '1', chosen: ['a', 'a'] }),
      row({ attemptId: '2', chosen: ['__proto__'] }),
    ]);
    expect(Object.keys(item.optionUse)).toEqual(['a', '__proto__']);
    expect(item.optionUse.a.count).toBe(1);
    expect(Object.getPrototypeOf(item.optionUse)).toBe(Object.prototype);
  });

  it('gives the same result fed one row at a time as all at once', () => {
    const acc = new ItemStatsAccumulator();
    for (const r of fixtureRows()) acc.add(r);
    expect(acc.result(FIXTURE_OPTION_KEYS)).toEqual(
      itemStatistics(fixtureRows(), FIXTURE_OPTION_KEYS),
    );
  });

  it('keeps r exact when attempt totals are large next to their spread', () => {
    // Shifting every total by 10⁹ does not change r; unshifted sums of y² near 10¹⁸ would
    // lose the spread to rounding.
    const shifted = fixtureRows().map((r) => ({ ...r, attemptPoints: r.attemptPoints + 1e9 }));
    const [q1, q2, q3] = itemStatistics(shifted);
    expect(q1.discrimination).toBeCloseTo(0.3273, 4);
    expect(q2.discrimination).toBeCloseTo(0.5345, 4);
    expect(q3.discrimination).toBeCloseTo(-0.4901, 4);
  });

  it('refuses rows whose numbers make no sense', () => {
    const acc = new ItemStatsAccumulator();
    expect(() => acc.add(row({ maxPoints: 0, points: 0 }))).toThrow(RangeError);
    expect(() => acc.add(row({ points: 2 }))).toThrow(/outside 0 … 1/);
    expect(() => acc.add(row({ attemptPoints: Number.NaN }))).toThrow(/attemptPoints/);
    expect(acc.result()).toEqual([]);
  });

  it('pearsonFromSums: the textbook formula, null on a zero or negative variance term', () => {
    // x = [0, 1], y = [0, 2]: r = (2·2 − 1·2) / √((2·1 − 1)(2·4 − 4)) = 2 / √4 = 1.
    expect(pearsonFromSums({ n: 2, sx: 1, sy: 2, sxx: 1, syy: 4, sxy: 2 })).toBe(1);
    expect(pearsonFromSums({ n: 2, sx: 2, sy: 2, sxx: 2, syy: 4, sxy: 2 })).toBeNull();
    expect(pearsonFromSums({ n: 1, sx: 1, sy: 1, sxx: 1, syy: 1, sxy: 1 })).toBeNull();
  });

  it('flags on thresholds, a value exactly on one not flagged', () => {
    expect(itemFlags(10, 0.9, 0.2)).toEqual([]);
    expect(itemFlags(10, 0.9001, 0.2)).toEqual(['too_easy']);
    expect(itemFlags(10, 0.2, 0.5)).toEqual([]);
    expect(itemFlags(10, 0.1999, 0.5)).toEqual(['too_hard']);
    expect(itemFlags(10, 0.5, 0.1999)).toEqual(['low_discrimination']);
    expect(itemFlags(10, 0.5, 0)).toEqual(['low_discrimination']);
    expect(itemFlags(10, 0.5, -0.0001)).toEqual(['negative_discrimination']);
    expect(itemFlags(10, 0.95, -0.3)).toEqual(['too_easy', 'negative_discrimination']);
    expect(itemFlags(10, 0.5, null)).toEqual([]);
    expect(itemFlags(9, 0.95, -0.3)).toEqual([]);
  });
});
