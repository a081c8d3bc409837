import { Actor } from './actor';

interface Entry {
  userId: string;
  /** Known once the load has resolved: a change of the person (home unit) forgets by it. */
  personId?: string;
  loadedAt: number;
  actor: Promise<Actor | undefined>;
}

/**
 * The actors of live sessions, kept by session id so that an authenticated request does not
 * pay a database round trip before its own query (measured: that round trip was the largest
 * cost of GET /me/assignments under load, and 0.6 extra queries per autosave in an exam, whose
 * saves come 2–6 s apart).
 *
 * What this costs in freshness, and the bound:
 * - In this process, a logout, a refresh-token reuse (session revoked) and a role granted or
 *   revoked through the API forget the affected actors at once: the next request reloads.
 * - On PostgreSQL every replica also listens for the database's own notices of a change (see
 *   actor-changes.ts: triggers on accounts, sessions, grants, people's home units and the tree),
 *   so a revocation by another replica or in SQL is forgotten as soon as its transaction
 *   commits. While that listener is connected an actor is kept `listeningTtlMs`
 *   (AUTH_ACTOR_CACHE_LISTEN_MS, 60 s), a bound for a notice that never arrives.
 * - Without a listener (the embedded database, or the listener's connection lost) an actor is
 *   kept `ttlMs` (AUTH_ACTOR_CACHE_MS, 5 s; 0 turns the cache off), and a change it did not see
 *   waits at most that long. When the listener (re)connects, everything is forgotten: notices
 *   may have been missed.
 * - Access tokens live 15 minutes and are verified on every request, so none of this lengthens
 *   what a stolen token can do.
 * - Only live actors are cached: a refused token is looked up again every time.
 * Concurrent requests of one session share one load. At most `maxEntries` sessions are kept;
 * beyond that the oldest are dropped.
 */
export class ActorCache {
  private readonly entries = new Map<string, Entry>();
  private readonly sessionsOfUser = new Map<string, Set<string>>();
  private readonly sessionsOfPerson = new Map<string, Set<string>>();
  private listening = false;

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
    readonly listeningTtlMs = ttlMs,
  ) {}

  /** How long an actor is kept now: longer while notices of changes arrive. */
  get currentTtlMs(): number {
    return this.listening ? Math.max(this.ttlMs, this.listeningTtlMs) : this.ttlMs;
  }

  /** The cached actor of the session, or the one `load` resolves (shared while it runs). */
  get(
    userId: string,
    sessionId: string,
    load: () => Promise<Actor | undefined>,
  ): Promise<Actor | undefined> {
    if (this.ttlMs <= 0) return load();
    const hit = this.entries.get(sessionId);
    if (hit && hit.userId === userId && this.now() - hit.loadedAt < this.currentTtlMs) {
      return hit.actor;
    }
    this.remove(sessionId); // re-inserted last: the Map's order is the age order
    const entry: Entry = { userId, loadedAt: this.now(), actor: load() };
    this.entries.set(sessionId, entry);
    index(this.sessionsOfUser, userId, sessionId);
    while (this.entries.size > this.maxEntries) {
      this.remove(this.entries.keys().next().value as string);
    }
    // A refusal or a failed load is not kept (and never replaces a newer entry).
    const current = () => this.entries.get(sessionId) === entry;
    void entry.actor.then(
      (actor) => {
        if (!current()) return;
        if (!actor) return this.remove(sessionId);
        entry.personId = actor.personId;
        index(this.sessionsOfPerson, actor.personId, sessionId);
      },
      () => current() && this.remove(sessionId),
    );
    return entry.actor;
  }

  /**
   * Whether notices of changes arrive (the listener is connected). Turning on forgets every
   * actor: they were loaded while a change could have gone unseen.
   */
  setListening(on: boolean): void {
    if (on) this.forgetAll();
    this.listening = on;
  }

  /** A notice from the database: `session:<id>`, `user:<id>`, `person:<id>` or `all`. */
  applyNotice(notice: string): void {
    const [kind, id] = notice.split(':', 2);
    if (kind === 'session' && id) this.forgetSession(id);
    else if (kind === 'user' && id) this.forgetUser(id);
    else if (kind === 'person' && id) this.forgetPerson(id);
    else this.forgetAll(); // 'all', or a notice this version does not know: the safe answer
  }

  forgetSession(sessionId: string): void {
    this.remove(sessionId);
  }

  forgetUser(userId: string): void {
    for (const sessionId of [...(this.sessionsOfUser.get(userId) ?? [])]) this.remove(sessionId);
  }

  forgetPerson(personId: string): void {
    for (const sessionId of [...(this.sessionsOfPerson.get(personId) ?? [])]) {
      this.remove(sessionId);
    }
  }

  forgetAll(): void {
    this.entries.clear();
    this.sessionsOfUser.clear();
    this.sessionsOfPerson.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(sessionId: string): void {
    const entry = this.entries.get(sessionId);
    if (!entry) return;
    this.entries.delete(sessionId);
    unindex(this.sessionsOfUser, entry.userId, sessionId);
    if (entry.personId) unindex(this.sessionsOfPerson, entry.personId, sessionId);
  }
}

function index(map: Map<string, Set<string>>, key: string, sessionId: string): void {
  const set = map.get(key);
  if (set) set.add(sessionId);
  else map.set(key, new Set([sessionId]));
}

function unindex(map: Map<string, Set<string>>, key: string, sessionId: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(sessionId);
  if (!set.size) map.delete(key);
}
