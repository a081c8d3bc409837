import { Actor } from './actor';
import { ActorCache } from './actor-cache';

const U1 = '00000000-0000-4000-8000-000000000001';
const U2 = '00000000-0000-4000-8000-000000000002';
const S1 = '00000000-0000-4000-8000-0000000000a1';
const S2 = '00000000-0000-4000-8000-0000000000a2';

const actorOf = (userId: string, sessionId: string) =>
  new Actor(userId, 'p', 'chu.tich@congdoan.vn', sessionId, []);

/** A loader that counts its calls and answers what it is told. */
function loader(answer: () => Actor | undefined | Error) {
  const calls = { n: 0 };
  const load = () => {
    calls.n += 1;
    const a = answer();
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
  };
  return { calls, load };
}

describe('ActorCache', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 1_000_000));

  it('reuses a session’s actor for ttl ms, then asks again', async () => {
    const cache = new ActorCache(5000, 100, now);
    const { calls, load } = loader(() => actorOf(U1, S1));
    const first = await cache.get(U1, S1, load);
    clock += 4999;
    expect(await cache.get(U1, S1, load)).toBe(first);
    expect(calls.n).toBe(1);
    clock += 1;
    await cache.get(U1, S1, load);
    expect(calls.n).toBe(2);
  });

  it('concurrent requests of one session share one load', async () => {
    const cache = new ActorCache(5000, 100, now);
    const { calls, load } = loader(() => actorOf(U1, S1));
    const all = await Promise.all(Array.from({ length: 50 }, () => cache.get(U1, S1, load)));
    expect(calls.n).toBe(1);
    expect(new Set(all).size).toBe(1);
  });

  it('keeps no refusal and no failure: the next request asks the database again', async () => {
    const cache = new ActorCache(5000, 100, now);
    let answer: Actor | undefined | Error = undefined;
    const { calls, load } = loader(() => answer);
    expect(await cache.get(U1, S1, load)).toBeUndefined();
    answer = new Error('connection lost');
    await expect(cache.get(U1, S1, load)).rejects.toThrow('connection lost');
    answer = actorOf(U1, S1);
    expect(await cache.get(U1, S1, load)).toBeInstanceOf(Actor);
    expect(calls.n).toBe(3);
    expect(cache.size).toBe(1);
  });

  it('a token naming another user with the same session id is never served the cached actor', async () => {
    const cache = new ActorCache(5000, 100, now);
    await cache.get(U1, S1, loader(() => actorOf(U1, S1)).load);
    const other = loader(() => undefined);
    expect(await cache.get(U2, S1, other.load)).toBeUndefined();
    expect(other.calls.n).toBe(1);
  });

  it('forgets one session (logout, reuse) or every session of a user (roles changed)', async () => {
    const cache = new ActorCache(5000, 100, now);
    const a = loader(() => actorOf(U1, S1));
    const b = loader(() => actorOf(U1, S2));
    await cache.get(U1, S1, a.load);
    await cache.get(U1, S2, b.load);
    cache.forgetSession(S1);
    await cache.get(U1, S1, a.load);
    await cache.get(U1, S2, b.load);
    expect([a.calls.n, b.calls.n]).toEqual([2, 1]);
    cache.forgetUser(U1);
    expect(cache.size).toBe(0);
    await cache.get(U1, S2, b.load);
    expect(b.calls.n).toBe(2);
  });

  it('a load forgotten while it runs does not come back when it ends', async () => {
    const cache = new ActorCache(5000, 100, now);
    let resolve: (a: Actor) => void = () => undefined;
    const pending = cache.get(U1, S1, () => new Promise<Actor>((r) => (resolve = r)));
    cache.forgetSession(S1); // the session is revoked meanwhile
    resolve(actorOf(U1, S1));
    await pending;
    const again = loader(() => undefined);
    expect(await cache.get(U1, S1, again.load)).toBeUndefined();
    expect(again.calls.n).toBe(1);
  });

  it('keeps at most maxEntries sessions, dropping the oldest', async () => {
    const cache = new ActorCache(5000, 2, now);
    const sessions = ['a', 'b', 'c'].map((x) => `${S1.slice(0, -1)}${x}`);
    for (const s of sessions) await cache.get(U1, s, loader(() => actorOf(U1, s)).load);
    expect(cache.size).toBe(2);
    const first = loader(() => actorOf(U1, sessions[0]));
    await cache.get(U1, sessions[0], first.load);
    expect(first.calls.n).toBe(1);
  });

  it('with ttl 0 every request asks the database', async () => {
    const cache = new ActorCache(0, 100, now);
    const { calls, load } = loader(() => actorOf(U1, S1));
    await cache.get(U1, S1, load);
    await cache.get(U1, S1, load);
    expect(calls.n).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('keeps actors listeningTtlMs while notices are heard, ttlMs when not', async () => {
    const cache = new ActorCache(5000, 100, now, 60_000);
    const { calls, load } = loader(() => actorOf(U1, S1));
    cache.setListening(true);
    await cache.get(U1, S1, load);
    clock += 59_999;
    await cache.get(U1, S1, load);
    expect(calls.n).toBe(1);
    cache.setListening(false); // the listener lost: the short bound again, at once
    await cache.get(U1, S1, load);
    expect(calls.n).toBe(2);
  });

  it('forgets everything when it starts to listen: notices may have been missed before', async () => {
    const cache = new ActorCache(5000, 100, now, 60_000);
    await cache.get(U1, S1, loader(() => actorOf(U1, S1)).load);
    cache.setListening(true);
    expect(cache.size).toBe(0);
  });

  it('applies the notices of the database: a session, a user, a person, all', async () => {
    const cache = new ActorCache(5000, 100, now, 60_000);
    const personal = (userId: string, sessionId: string, personId: string) =>
      new Actor(userId, personId, 'x@congdoan.vn', sessionId, []);
    const S3 = `${S1.slice(0, -1)}3`;
    const fill = async () => {
      await cache.get(U1, S1, async () => personal(U1, S1, 'p1'));
      await cache.get(U1, S2, async () => personal(U1, S2, 'p1'));
      await cache.get(U2, S3, async () => personal(U2, S3, 'p2'));
      await Promise.resolve(); // the person index is written once each load has resolved
    };
    await fill();
    cache.applyNotice(`session:${S1}`);
    expect(cache.size).toBe(2);
    cache.applyNotice(`user:${U1}`);
    expect(cache.size).toBe(1);
    cache.applyNotice('person:p2');
    expect(cache.size).toBe(0);
    await fill();
    cache.applyNotice('person:p1');
    expect(cache.size).toBe(1);
    cache.applyNotice('user:00000000-0000-4000-8000-0000000000ff'); // not here: nothing
    expect(cache.size).toBe(1);
    cache.applyNotice('all');
    expect(cache.size).toBe(0);
    await fill();
    cache.applyNotice('something-newer'); // unknown to this version: forget all, to be safe
    expect(cache.size).toBe(0);
  });

  it('keeps its indexes in step when entries are dropped for room', async () => {
    const cache = new ActorCache(5000, 1, now, 60_000);
    await cache.get(U1, S1, async () => actorOf(U1, S1));
    await cache.get(U2, S2, async () => actorOf(U2, S2)); // S1 dropped
    cache.forgetUser(U1); // must not touch U2's entry
    expect(cache.size).toBe(1);
    cache.forgetUser(U2);
    expect(cache.size).toBe(0);
  });
});
