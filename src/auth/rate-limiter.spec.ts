import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows up to the limit in a window, then refuses with a retry time', () => {
    const limiter = new RateLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(limiter.hit('k', 3, 60_000, t0 + i).allowed).toBe(true);
    const refused = limiter.hit('k', 3, 60_000, t0 + 10_000);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(50);
  });

  it('starts a fresh window after the old one ends, and keeps keys apart', () => {
    const limiter = new RateLimiter();
    expect(limiter.hit('a', 1, 1000, 0).allowed).toBe(true);
    expect(limiter.hit('a', 1, 1000, 10).allowed).toBe(false);
    expect(limiter.hit('b', 1, 1000, 10).allowed).toBe(true);
    expect(limiter.hit('a', 1, 1000, 1000).allowed).toBe(true);
  });
});
