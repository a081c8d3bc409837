import { drawRandom, seededRandom, shuffled } from './seeded-random';

describe('seeded randomness', () => {
  const pool = Array.from({ length: 30 }, (_, i) => `Q${i + 1}`);

  it('gives the same numbers for the same seed, in [0, 1), and others for another seed', () => {
    const a = seededRandom('attempt-1');
    const b = seededRandom('attempt-1');
    const c = seededRandom('attempt-2');
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    // Spread over the interval, not stuck in one part of it.
    expect(first.filter((x) => x < 0.5).length).toBeGreaterThan(400);
    expect(first.filter((x) => x < 0.5).length).toBeLessThan(600);
    expect(new Set(first).size).toBeGreaterThan(990);
  });

  it('shuffles reproducibly, keeps every item once and leaves the input as it was', () => {
    const before = [...pool];
    const once = shuffled(pool, 'seed');
    expect(shuffled(pool, 'seed')).toEqual(once);
    expect(pool).toEqual(before);
    expect([...once].sort()).toEqual([...pool].sort());
    expect(once).not.toEqual(pool);
    expect(shuffled(pool, 'other seed')).not.toEqual(once);
    expect(shuffled([], 'seed')).toEqual([]);
    expect(shuffled(['only'], 'seed')).toEqual(['only']);
  });

  it('puts each item first about equally often over many seeds (no bias to the start or end)', () => {
    const firsts = new Map<string, number>();
    for (let s = 0; s < 4000; s += 1) {
      const first = shuffled(['A', 'B', 'C', 'D'], `s${s}`)[0];
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    expect([...firsts.keys()].sort()).toEqual(['A', 'B', 'C', 'D']);
    for (const n of firsts.values()) {
      expect(n).toBeGreaterThan(850);
      expect(n).toBeLessThan(1150);
    }
  });

  it('draws without replacement, reproducibly, as the start of the same shuffle', () => {
    const drawn = drawRandom(pool, 10, 'attempt-7');
    expect(drawn).toHaveLength(10);
    expect(new Set(drawn).size).toBe(10);
    expect(drawn.every((q) => pool.includes(q))).toBe(true);
    expect(drawRandom(pool, 10, 'attempt-7')).toEqual(drawn);
    expect(drawRandom(pool, 10, 'attempt-8')).not.toEqual(drawn);
    expect(shuffled(pool, 'attempt-7').slice(0, 10)).toEqual(drawn);
    expect(drawRandom(pool, 0, 'x')).toEqual([]);
    expect([...drawRandom(pool, 30, 'x')].sort()).toEqual([...pool].sort());
  });

  it('refuses to draw more than the pool holds, or a count that is not a whole number', () => {
    expect(() => drawRandom(pool, 31, 'x')).toThrow(RangeError);
    expect(() => drawRandom([], 1, 'x')).toThrow(RangeError);
    expect(() => drawRandom(pool, -1, 'x')).toThrow(RangeError);
    expect(() => drawRandom(pool, 2.5, 'x')).toThrow(RangeError);
    expect(() => drawRandom(pool, Number.NaN, 'x')).toThrow(RangeError);
  });
});
