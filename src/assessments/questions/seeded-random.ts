import { createHash } from 'node:crypto';

/**
 * Reproducible randomness for shuffling options and drawing questions from a bank: the same seed
 * (say, an attempt's id) gives the same order every time the attempt is shown or regraded.
 * Not for anything secret: mulberry32 is a small, fast generator with 32 bits of state.
 */

/** The first 32 bits of the seed's SHA-256, so similar seeds start far apart. */
function seedState(seed: string): number {
  return createHash('sha256').update(seed, 'utf8').digest().readUInt32BE(0);
}

/** A generator of numbers in [0, 1) from a string seed (mulberry32). */
export function seededRandom(seed: string): () => number {
  let state = seedState(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/**
 * `count` entries of the pool drawn without replacement, in the order drawn: the first `count`
 * steps of a Fisher–Yates shuffle of a copy. The pool is not changed. A count that is not a whole
 * number from 0 to the pool's size throws a RangeError.
 */
export function drawRandom<T>(pool: readonly T[], count: number, seed: string): T[] {
  if (!Number.isInteger(count) || count < 0 || count > pool.length) {
    throw new RangeError(`cannot draw ${count} of ${pool.length}`);
  }
  const next = seededRandom(seed);
  const copy = [...pool];
  for (let i = 0; i < count; i += 1) {
    const j = i + Math.floor(next() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, count);
}

/** A shuffled copy (Fisher–Yates); the items are not changed. Draw of n is its first n entries. */
export function shuffled<T>(items: readonly T[], seed: string): T[] {
  return drawRandom(items, items.length, seed);
}
