import { RE2 } from 're2-wasm';

/**
 * The regular expressions an author gives a short-answer question, matched against learners'
 * answers. JavaScript's own engine backtracks: a pattern such as (a|a)*$ or \d*\d*\d*x takes
 * exponential or polynomial time on a crafted answer and would stall the server while it grades.
 * So answers are matched by RE2 (Google's linear-time engine, compiled to WebAssembly), whose time
 * grows with the answer's length whatever the pattern; what RE2 cannot do in linear time —
 * backreferences, lookahead and lookbehind — is refused when the question is written.
 *
 * A compiled pattern holds WebAssembly memory that the garbage collector does not free, so
 * patterns are compiled once and kept in a bounded cache; the oldest is released when it fills.
 */

/** Compiled patterns kept (each a few kilobytes of WebAssembly memory). */
const CACHE_SIZE = 2_000;
const cache = new Map<string, RE2>();

type Flags = 'u' | 'iu';

/** A pattern anchored to the whole text (`^(?:p)$`), compiled by RE2; throws when it cannot be. */
function compiled(pattern: string, flags: Flags): RE2 {
  const key = `${flags}/${pattern}`;
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last: the first entry is the one to release.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const re = new RE2(`^(?:${pattern})$`, flags);
  if (cache.size >= CACHE_SIZE) {
    const [oldestKey, oldest] = cache.entries().next().value as [string, RE2];
    cache.delete(oldestKey);
    release(oldest);
  }
  cache.set(key, re);
  return re;
}

/** Frees the WebAssembly object behind a compiled pattern (embind's delete()). */
function release(re: RE2): void {
  const wrapper = (re as unknown as { wrapper?: { delete?: () => void } }).wrapper;
  wrapper?.delete?.();
}

/**
 * Why a pattern cannot be used: 'syntax' when JavaScript does not read it alone (so it cannot
 * close the anchoring group either: ".*)|(?:x"), 'unsupported' when RE2 refuses it
 * (backreferences, lookaround), null when it can be matched.
 */
export function patternProblem(pattern: string): 'syntax' | 'unsupported' | null {
  try {
    new RegExp(pattern, 'u');
  } catch {
    return 'syntax';
  }
  try {
    compiled(pattern, 'u');
    return null;
  } catch {
    return 'unsupported';
  }
}

/**
 * Whether the pattern matches the whole text, ignoring case unless `caseSensitive`; false for a
 * pattern that cannot be used (never the case for a validated question: checked again because
 * the bank's rows outlive the rules).
 */
export function matchesWhole(pattern: string, text: string, caseSensitive: boolean): boolean {
  if (patternProblem(pattern)) return false;
  return compiled(pattern, caseSensitive ? 'u' : 'iu').test(text);
}
