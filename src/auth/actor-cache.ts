import { Actor } from './actor';

interface Entry {
  userId: string;
  loadedAt: number;
  actor: Promise<Actor | undefined>;
}

/**
 * The actors of live sessions, kept for a few seconds by session id so that an authenticated
 * request does not pay a database round trip before its own query (measured: that round trip was
 * the largest cost of GET /me/assignments under load, after the JWT fix).
 *
 * What this costs in freshness, and the bound:
 * - In this process, a logout, a refresh-token reuse (session revoked) and a role granted or
 *   revoked through the API forget the affected actors at once: the next request reloads.
 * - Anything else — a revocation by another replica, an account disabled or a grant changed in
 *   SQL, a unit moved (grant paths) — is seen at most `ttlMs` later (AUTH_ACTOR_CACHE_MS, 5 s by
 *   default; 0 turns the cache off). Access tokens themselves live 15 minutes, so this does not
 *   lengthen what a stolen token could do; it delays a revocation elsewhere by ≤ ttlMs.
 * - Only live actors are cached: a refused token is looked up again every time.
 * Concurrent requests of one session share one load. At most `maxEntries` sessions are kept;
 * beyond that the oldest are dropped.
 */
export class ActorCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached actor of the session, or the one `load` resolves (shared while it runs). */
  get(
    userId: string,
    sessionId: string,
    load: () => Promise<Actor | undefined>,
  ): Promise<Actor | undefined> {
    if (this.ttlMs <= 0) return load();
    const hit = this.entries.get(sessionId);
    if (hit && hit.userId === userId && this.now() - hit.loadedAt < this.ttlMs) return hit.actor;
    const entry: Entry = { userId, loadedAt: this.now(), actor: load() };
    this.entries.delete(sessionId); // re-inserted last: the Map's order is the age order
    this.entries.set(sessionId, entry);
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    // A refusal or a failed load is not kept (and never replaces a newer entry).
    const drop = () => {
      if (this.entries.get(sessionId) === entry) this.entries.delete(sessionId);
    };
    void entry.actor.then((actor) => actor ?? drop(), drop);
    return entry.actor;
  }

  forgetSession(sessionId: string): void {
    this.entries.delete(sessionId);
  }

  forgetUser(userId: string): void {
    for (const [sessionId, entry] of this.entries) {
      if (entry.userId === userId) this.entries.delete(sessionId);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
