import { Client } from 'pg';
import { ActorChangeListener } from '../src/auth/actor-changes';
import { expectError } from './expect-error';
import { createTestApp, DEMO, TestApp } from './support/test-app';

/**
 * Who a signed-in person is (their actor) is cached per session. On PostgreSQL the database
 * itself announces every change to an actor when it commits (migration ActorChangeNotices) and
 * each replica forgets what the notice names, so actors are kept long (AUTH_ACTOR_CACHE_LISTEN_MS)
 * and a revocation made anywhere — another replica, SQL — is refused at once. The embedded
 * database has no second connection to listen on: there the short AUTH_ACTOR_CACHE_MS holds.
 */
const onPostgres = Boolean(process.env.DATABASE_URL);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Polls `probe` until it answers `status`, for at most `ms`; the last status seen. */
async function statusWithin(probe: () => Promise<number>, status: number, ms: number) {
  const until = Date.now() + ms;
  let seen = await probe();
  while (seen !== status && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    seen = await probe();
  }
  return seen;
}

const revokeSessionsOf = (t: TestApp, email: string) =>
  t.dataSource.query(
    `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'admin'
      WHERE revoked_at IS NULL AND user_id = (SELECT id FROM user_accounts WHERE email = $1)`,
    [email],
  );

if (onPostgres) {
  describe('actor changes heard from PostgreSQL', () => {
    let t: TestApp;
    // Both TTLs at their longest: anything refused within the test was forgotten by a notice.
    beforeAll(async () => {
      t = await createTestApp({
        AUTH_ACTOR_CACHE_MS: '60000',
        AUTH_ACTOR_CACHE_LISTEN_MS: '600000',
      });
    });
    afterAll(async () => t.close());

    it('the database announces each change to an actor when it commits, and only those', async () => {
      const url = t.dataSource.options as { url: string };
      const client = new Client({ connectionString: url.url });
      await client.connect();
      const heard: string[] = [];
      client.on('notification', (m) => heard.push(m.payload ?? ''));
      try {
        await client.query('LISTEN actor_changed');
        const [user] = await t.dataSource.query<{ id: string; person_id: string }[]>(
          `SELECT id, person_id FROM user_accounts WHERE email = $1`,
          [DEMO.chair],
        );
        const [session] = await t.dataSource.query<{ id: string }[]>(
          `SELECT id FROM auth_sessions WHERE user_id = $1 AND revoked_at IS NULL LIMIT 1`,
          [user.id],
        );
        const hn = await t.unitId('HN');
        const hd = await t.unitId('HN-HD-MAY');
        // Nothing that changes no actor: a session seen, a name edited.
        await t.dataSource.query(`UPDATE auth_sessions SET user_agent = 'x' WHERE id = $1`, [
          session.id,
        ]);
        await t.dataSource.query(`UPDATE people SET given_name = given_name WHERE id = $1`, [
          user.person_id,
        ]);
        await t.dataSource.transaction(async (em) => {
          // Granted and revoked in one transaction: one notice for the user (folded).
          const [grant] = await em.query<{ id: string }[]>(
            `INSERT INTO role_grants (user_id, role, org_unit_id) VALUES ($1, 'hr', $2) RETURNING id`,
            [user.id, hd],
          );
          await em.query(`UPDATE role_grants SET revoked_at = now() WHERE id = $1`, [grant.id]);
        });
        await t.dataSource.query(`UPDATE people SET home_org_unit_id = $2 WHERE id = $1`, [
          user.person_id,
          hn,
        ]);
        await t.dataSource.query(`UPDATE user_accounts SET active = false WHERE id = $1`, [
          user.id,
        ]);
        await t.dataSource.query(`UPDATE auth_sessions SET revoked_at = now() WHERE id = $1`, [
          session.id,
        ]);
        await t.dataSource.query(`UPDATE org_units SET path = path WHERE id = $1`, [hd]);
        await statusWithin(async () => (heard.length >= 5 ? 1 : 0), 1, 2000);
        expect(heard).toEqual([
          `user:${user.id}`,
          `person:${user.person_id}`,
          `user:${user.id}`,
          `session:${session.id}`,
          'all',
        ]);
      } finally {
        await client.end();
      }
    });

    it('a session revoked in SQL is refused at once, not after the cache’s minute', async () => {
      const token = await t.login(DEMO.hrHanoi);
      await t.http.get('/api/v1/me').set(bearer(token)).expect(200);
      await t.http.get('/api/v1/me').set(bearer(token)).expect(200); // now from the cache
      await revokeSessionsOf(t, DEMO.hrHanoi);
      const probe = async () => (await t.http.get('/api/v1/me').set(bearer(token))).status;
      expect(await statusWithin(probe, 401, 2000)).toBe(401);
      expectError(await t.http.get('/api/v1/me').set(bearer(token)), 401, 'UNAUTHENTICATED');
    });

    it('a role taken away in SQL is refused at once (403), a role given is usable at once', async () => {
      const token = await t.login(DEMO.officerBacNinh);
      const probe = async () =>
        (await t.http.get('/api/v1/question-banks').set(bearer(token))).status;
      expect(await probe()).toBe(200);
      await t.dataSource.query(
        `UPDATE role_grants SET revoked_at = now()
          WHERE revoked_at IS NULL AND user_id = (SELECT id FROM user_accounts WHERE email = $1)`,
        [DEMO.officerBacNinh],
      );
      expect(await statusWithin(probe, 403, 2000)).toBe(403);
      expectError(await t.http.get('/api/v1/question-banks').set(bearer(token)), 403, 'FORBIDDEN');
      await t.dataSource.query(
        `INSERT INTO role_grants (user_id, role, org_unit_id)
         SELECT id, 'training_officer', $2 FROM user_accounts WHERE email = $1`,
        [DEMO.officerBacNinh, await t.unitId('BN')],
      );
      expect(await statusWithin(probe, 200, 2000)).toBe(200);
    });

    it('after losing its connection the listener reconnects and hears again', async () => {
      const listener = t.app.get(ActorChangeListener);
      expect(listener.listening).toBe(true);
      const token = await t.login(DEMO.officerHanoi);
      await t.http.get('/api/v1/me').set(bearer(token)).expect(200);
      await t.dataSource.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = 'cadre-lms actor notices' AND datname = current_database()`,
      );
      // Lost: back to the short TTL (here the longest allowed) until it reconnects after ~1 s.
      expect(await statusWithin(async () => (listener.listening ? 0 : 1), 1, 2000)).toBe(1);
      expect(await statusWithin(async () => (listener.listening ? 1 : 0), 1, 5000)).toBe(1);
      await revokeSessionsOf(t, DEMO.officerHanoi);
      const probe = async () => (await t.http.get('/api/v1/me').set(bearer(token))).status;
      expect(await statusWithin(probe, 401, 2000)).toBe(401);
    });
  });
} else {
  describe('actor changes on the embedded database', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ AUTH_ACTOR_CACHE_MS: '300' });
    });
    afterAll(async () => t.close());

    it('has no listener: a session revoked in SQL is refused once AUTH_ACTOR_CACHE_MS has passed', async () => {
      expect(t.app.get(ActorChangeListener).listening).toBe(false);
      const token = await t.login(DEMO.hrHanoi);
      await t.http.get('/api/v1/me').set(bearer(token)).expect(200);
      await revokeSessionsOf(t, DEMO.hrHanoi);
      await new Promise((resolve) => setTimeout(resolve, 350));
      expectError(await t.http.get('/api/v1/me').set(bearer(token)), 401, 'UNAUTHENTICATED');
    });
  });
}
