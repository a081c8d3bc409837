import { JwtService } from '@nestjs/jwt';
import { expectError, expectNoSecrets } from './expect-error';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';
import { DEMO_PASSWORD } from '../src/seed/demo-data';
import { PasswordService } from '../src/auth/password.service';

const PASSWORD = 'Matkhau2026moi';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: string;
}

describe('auth', () => {
  let t: TestApp;
  let accountCount = 0;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  /** A person and an account of their own, so that no other test's demo account is touched. */
  async function freshAccount(): Promise<{ email: string; userId: string; personId: string }> {
    accountCount += 1;
    const person = await t.http
      .post('/api/v1/people')
      .set(bearer(t.tokens.admin))
      .send({
        familyName: 'Lê',
        middleName: 'Văn',
        givenName: `Kiểm${accountCount}`,
        homeOrgUnitId: await t.unitId('HN-HD-MAY'),
      })
      .expect(201);
    const email = `kiemthu.auth${accountCount}@lms.congdoan.test`;
    const account = await t.http
      .post('/api/v1/accounts')
      .set(bearer(t.tokens.admin))
      .send({ personId: person.body.id, email, password: PASSWORD })
      .expect(201);
    return { email, userId: account.body.id, personId: person.body.id };
  }

  const login = (email: string, password: string) =>
    t.http.post('/api/v1/auth/login').send({ email, password });

  describe('login', () => {
    it('answers the right password with a token pair', async () => {
      const res = await login(DEMO.hrHanoi, DEMO_PASSWORD).expect(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
        tokenType: 'Bearer',
        deviceToken: expect.stringMatching(/^[\w-]{43}$/),
      });
      expect((res.body as Tokens).accessToken.split('.')).toHaveLength(3);
      expectNoSecrets(res.body);
      await t.http
        .get('/api/v1/me')
        .set(bearer((res.body as Tokens).accessToken))
        .expect(200);
    });

    it('ignores the case and surrounding spaces of the e-mail', async () => {
      const { email } = await freshAccount();
      await login(email.toUpperCase(), PASSWORD).expect(200);
    });

    it('refuses a wrong password with 401 AUTH_INVALID_CREDENTIALS', async () => {
      const { email } = await freshAccount();
      expectError(await login(email, 'Sai-mat-khau-1'), 401, 'AUTH_INVALID_CREDENTIALS');
    });

    it('answers an unknown e-mail exactly like a wrong password', async () => {
      const { email } = await freshAccount();
      const wrong = await login(email, 'Sai-mat-khau-1');
      const unknown = await login('khong.ton.tai@lms.congdoan.test', 'Sai-mat-khau-1');
      expectError(unknown, 401, 'AUTH_INVALID_CREDENTIALS');
      expect(unknown.body).toEqual(wrong.body);
    });

    /** Sets the hold's end as if time had passed, and answers the account's counters. */
    const counters = async (userId: string) => {
      const [row] = await t.dataSource.query<{ failed_logins: number; held: boolean }[]>(
        `SELECT failed_logins, coalesce(locked_until > now(), false) AS held
           FROM user_accounts WHERE id = $1`,
        [userId],
      );
      return row;
    };
    const endHold = (userId: string) =>
      t.dataSource.query(
        `UPDATE user_accounts SET locked_until = now() - interval '1 second' WHERE id = $1`,
        [userId],
      );
    const holdMinutes = async (userId: string) => {
      const [row] = await t.dataSource.query<{ minutes: number }[]>(
        `SELECT round(extract(epoch FROM locked_until - now()) / 60)::int AS minutes
           FROM user_accounts WHERE id = $1`,
        [userId],
      );
      return row.minutes;
    };

    it('holds signing in from the 5th wrong password, answering exactly like a wrong password', async () => {
      const { email, userId } = await freshAccount();
      for (let i = 1; i <= 5; i++) {
        expectError(await login(email, `Sai-mat-khau-${i}`), 401, 'AUTH_INVALID_CREDENTIALS');
      }
      expect(await counters(userId)).toEqual({ failed_logins: 5, held: true });
      expect(await holdMinutes(userId)).toBe(1);

      // During the hold the right password from an unknown device gets the one answer too, in
      // both languages, without a header that would tell a held account from a wrong password.
      const right = await login(email, PASSWORD);
      expectError(right, 401, 'AUTH_INVALID_CREDENTIALS');
      expect(right.headers['retry-after']).toBeUndefined();
      const unknown = await login('khong.ton.tai@lms.congdoan.test', PASSWORD);
      expect(right.body).toEqual(unknown.body);
      const english = await login(email, PASSWORD).set('Accept-Language', 'en');
      expectError(english, 401, 'AUTH_INVALID_CREDENTIALS');
      expect(english.body.message).toMatch(/Wrong email or password/);
      // Attempts during a hold neither count nor lengthen it.
      expect(await counters(userId)).toEqual({ failed_logins: 5, held: true });

      // Time passes: the hold ends and the right password works, and the count starts again.
      await endHold(userId);
      const after = await login(email, PASSWORD).expect(200);
      expect(after.body.tokenType).toBe('Bearer');
      expect(await counters(userId)).toEqual({ failed_logins: 0, held: false });
      expectError(await login(email, 'Sai-mat-khau-6'), 401, 'AUTH_INVALID_CREDENTIALS');
      expect(await counters(userId)).toEqual({ failed_logins: 1, held: false });
    });

    it('doubles the hold with each further wrong password, up to LOGIN_LOCK_MINUTES', async () => {
      const { email, userId } = await freshAccount();
      const minutes: number[] = [];
      for (let i = 1; i <= 10; i++) {
        expectError(await login(email, `Sai-${i}-matkhau`), 401, 'AUTH_INVALID_CREDENTIALS');
        if (i >= 5) {
          minutes.push(await holdMinutes(userId));
          await endHold(userId); // the next guess comes after the hold, as a patient attacker's
        }
      }
      expect(minutes).toEqual([1, 2, 4, 8, 15, 15]);
    });

    it('lets the owner in during a hold with the right password from a known device', async () => {
      const { email, userId } = await freshAccount();
      const first = await login(email, PASSWORD).expect(200);
      const deviceToken = first.body.deviceToken as string;
      expect(deviceToken).toMatch(/^[\w-]{40,}$/);
      for (let i = 1; i <= 5; i++) await login(email, `Sai-${i}`).expect(401);
      expect((await counters(userId)).held).toBe(true);

      // A wrong password with the device token, or the right one with another token, stays out.
      expectError(
        await t.http.post('/api/v1/auth/login').send({ email, password: 'Sai-6', deviceToken }),
        401,
        'AUTH_INVALID_CREDENTIALS',
      );
      const otherToken = 'x'.repeat(43);
      expectError(
        await t.http
          .post('/api/v1/auth/login')
          .send({ email, password: PASSWORD, deviceToken: otherToken }),
        401,
        'AUTH_INVALID_CREDENTIALS',
      );
      const owner = await t.http
        .post('/api/v1/auth/login')
        .send({ email, password: PASSWORD, deviceToken })
        .expect(200);
      expect(await counters(userId)).toEqual({ failed_logins: 0, held: false });
      // Each sign-in renews the device's token: the old one is retired.
      const renewed = owner.body.deviceToken as string;
      expect(renewed).not.toBe(deviceToken);
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM known_devices WHERE user_id = $1`,
        [userId],
      );
      expect(n).toBe(1);
      for (let i = 1; i <= 5; i++) await login(email, `Sai-lai-${i}`).expect(401);
      await t.http
        .post('/api/v1/auth/login')
        .send({ email, password: PASSWORD, deviceToken })
        .expect(401);
      await t.http
        .post('/api/v1/auth/login')
        .send({ email, password: PASSWORD, deviceToken: renewed })
        .expect(200);
    });

    it('tells the owner when a hold starts, in their language, once per hold', async () => {
      const { email, userId, personId } = await freshAccount();
      for (let i = 1; i <= 7; i++) {
        await login(email, `Sai-${i}`).set('X-Forwarded-For', '203.0.113.9').expect(401);
      }
      const rows = await t.dataSource.query<
        { event: string; to_address: string; payload: { hold: { failures: number } } }[]
      >(
        `SELECT event::text AS event, to_address, payload FROM notification_outbox
          WHERE person_id = $1 ORDER BY created_at`,
        [personId],
      );
      // Guesses 6 and 7 came during the 5th's hold: one hold, one message.
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ event: 'account_locked', to_address: email });
      expect(rows[0].payload.hold.failures).toBe(5);
      const mine = await t.http
        .get('/api/v1/me/notifications')
        .set(bearer(await loginAfterHold(email, userId)))
        .expect(200);
      const message = (
        mine.body.items as { event: string; subject: string; bodyText: string }[]
      ).find((m) => m.event === 'account_locked');
      expect(message?.subject).toMatch(
        /^Tài khoản của đồng chí tạm dừng đăng nhập đến \d\d:\d\d \d\d\/\d\d\/\d{4}$/,
      );
      expect(message?.bodyText).toContain('nhập sai mật khẩu 5 lần liên tiếp');
    });

    /** Signs in once the hold is over (a test's shortcut for waiting). */
    async function loginAfterHold(email: string, userId: string): Promise<string> {
      await endHold(userId);
      const res = await login(email, PASSWORD).expect(200);
      return res.body.accessToken as string;
    }

    it('spends one password check on an unknown e-mail, a wrong password and a held account', async () => {
      const { email } = await freshAccount();
      const passwords = t.app.get(PasswordService);
      const verify = jest.spyOn(passwords, 'verify');
      try {
        const checks = async (send: () => Promise<unknown>) => {
          verify.mockClear();
          await send();
          return verify.mock.calls.length;
        };
        expect(await checks(() => login('ai.do@lms.congdoan.test', 'Sai-1'))).toBe(1);
        for (let i = 1; i <= 5; i++) await login(email, `Sai-${i}`).expect(401);
        expect(await checks(() => login(email, 'Sai-6'))).toBe(1);
        expect(await checks(() => login(email, PASSWORD))).toBe(1);
      } finally {
        verify.mockRestore();
      }
    });

    it('an administrator lifts a hold (audited); HR out of scope gets 404, a chair 403', async () => {
      const { email, userId } = await freshAccount();
      for (let i = 1; i <= 5; i++) await login(email, `Sai-${i}`).expect(401);
      const held = await t.http
        .get(`/api/v1/accounts/${userId}`)
        .set(bearer(t.tokens.admin))
        .expect(200);
      expect(held.body).toMatchObject({ failedLogins: 5, signInHeldUntil: expect.any(String) });

      expectError(
        await t.http.post(`/api/v1/accounts/${userId}/lift-hold`).set(bearer(t.tokens.chair)),
        403,
        'FORBIDDEN',
      );
      expectError(
        await t.http.post(`/api/v1/accounts/${userId}/lift-hold`).set(bearer(t.tokens.hrHanoi)),
        403,
        'FORBIDDEN',
      );
      // An administrator of Bắc Ninh does not see a Hà Nội account: 404, nothing lifted.
      const bnPerson = await t.http
        .post('/api/v1/people')
        .set(bearer(t.tokens.admin))
        .send({ familyName: 'Trần', givenName: 'Quản', homeOrgUnitId: await t.unitId('BN') })
        .expect(201);
      const bnAccount = await t.http
        .post('/api/v1/accounts')
        .set(bearer(t.tokens.admin))
        .send({
          personId: bnPerson.body.id,
          email: 'quantri.bn@lms.congdoan.test',
          password: PASSWORD,
        })
        .expect(201);
      await t.http
        .post(`/api/v1/accounts/${bnAccount.body.id}/grants`)
        .set(bearer(t.tokens.admin))
        .send({ role: 'admin', orgUnitId: await t.unitId('BN') })
        .expect(200);
      const bnAdmin = await t.login('quantri.bn@lms.congdoan.test', PASSWORD);
      expectError(
        await t.http.post(`/api/v1/accounts/${userId}/lift-hold`).set(bearer(bnAdmin)),
        404,
        'ACCOUNT_NOT_FOUND',
      );
      expect((await counters(userId)).held).toBe(true);
      expectError(
        await t.http
          .post('/api/v1/accounts/00000000-0000-4000-8000-000000000000/lift-hold')
          .set(bearer(t.tokens.admin)),
        404,
        'ACCOUNT_NOT_FOUND',
      );

      const lifted = await t.http
        .post(`/api/v1/accounts/${userId}/lift-hold`)
        .set(bearer(t.tokens.admin))
        .expect(200);
      expect(lifted.body).toMatchObject({ failedLogins: 0, signInHeldUntil: null });
      await login(email, PASSWORD).expect(200);
      // Lifting again changes and records nothing.
      await t.http
        .post(`/api/v1/accounts/${userId}/lift-hold`)
        .set(bearer(t.tokens.admin))
        .expect(200);
      const audit = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'account.lift_hold' AND entity_id = $1`,
        [userId],
      );
      expect(audit[0].n).toBe(1);
    });

    it('counts wrong passwords per account, not across accounts', async () => {
      const a = await freshAccount();
      const b = await freshAccount();
      for (let i = 1; i <= 4; i++) {
        expectError(await login(a.email, `Sai-${i}-matkhau`), 401, 'AUTH_INVALID_CREDENTIALS');
      }
      await login(b.email, PASSWORD).expect(200);
      // A success resets the count.
      await login(a.email, PASSWORD).expect(200);
      expectError(await login(a.email, 'Sai-5-matkhau'), 401, 'AUTH_INVALID_CREDENTIALS');
    });

    it.each([
      ['missing fields', {}, ['email', 'password']],
      ['missing password', { email: DEMO.admin }, ['password']],
      ['wrong types', { email: 42, password: ['x'] }, ['email', 'password']],
      ['not an e-mail', { email: 'admin', password: DEMO_PASSWORD }, ['email']],
      ['empty password', { email: DEMO.admin, password: '' }, ['password']],
      [
        'an unknown field',
        { email: DEMO.admin, password: DEMO_PASSWORD, remember: true },
        ['remember'],
      ],
      ['null fields', { email: null, password: null }, ['email', 'password']],
    ])('refuses a login body with %s: 400 VALIDATION_FAILED', async (_, body, fields) => {
      expectError(
        await t.http.post('/api/v1/auth/login').send(body),
        400,
        'VALIDATION_FAILED',
        fields,
      );
    });

    it('refuses a body that is not a JSON object', async () => {
      const res = await t.http
        .post('/api/v1/auth/login')
        .set('content-type', 'application/json')
        .send('["admin", "x"]');
      expect(res.status).toBe(400);
      expect(res.body.code).toMatch(/VALIDATION_FAILED|MALFORMED_JSON/);
    });
  });

  describe('refresh', () => {
    it('rotates: the new refresh token works, a reused one revokes the whole session', async () => {
      const { email } = await freshAccount();
      const first = (await login(email, PASSWORD).expect(200)).body as Tokens;

      const second = (
        await t.http
          .post('/api/v1/auth/refresh')
          .send({ refreshToken: first.refreshToken })
          .expect(200)
      ).body as Tokens;
      expect(second).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
        tokenType: 'Bearer',
      });
      expect(second.refreshToken).not.toBe(first.refreshToken);
      await t.http.get('/api/v1/me').set(bearer(second.accessToken)).expect(200);

      const third = (
        await t.http
          .post('/api/v1/auth/refresh')
          .send({ refreshToken: second.refreshToken })
          .expect(200)
      ).body as Tokens;
      await t.http.get('/api/v1/me').set(bearer(third.accessToken)).expect(200);

      // The first token again: someone holds a copy. The session ends for everyone.
      const reused = await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: first.refreshToken });
      expectError(reused, 401, 'AUTH_REFRESH_REUSED');

      expectError(
        await t.http.post('/api/v1/auth/refresh').send({ refreshToken: third.refreshToken }),
        401,
        'AUTH_REFRESH_INVALID',
      );
      for (const token of [first.accessToken, second.accessToken, third.accessToken]) {
        expectError(await t.http.get('/api/v1/me').set(bearer(token)), 401, 'UNAUTHENTICATED');
      }
      // A fresh login opens a new session.
      const again = (await login(email, PASSWORD).expect(200)).body as Tokens;
      await t.http.get('/api/v1/me').set(bearer(again.accessToken)).expect(200);
    });

    it('keeps other sessions of the same account alive when one is revoked', async () => {
      const { email } = await freshAccount();
      const a = (await login(email, PASSWORD).expect(200)).body as Tokens;
      const b = (await login(email, PASSWORD).expect(200)).body as Tokens;
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: a.refreshToken }).expect(200);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: a.refreshToken }).expect(401);
      await t.http.get('/api/v1/me').set(bearer(a.accessToken)).expect(401);
      await t.http.get('/api/v1/me').set(bearer(b.accessToken)).expect(200);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: b.refreshToken }).expect(200);
    });

    it('refuses an unknown refresh token with 401 AUTH_REFRESH_INVALID', async () => {
      expectError(
        await t.http.post('/api/v1/auth/refresh').send({ refreshToken: 'x'.repeat(43) }),
        401,
        'AUTH_REFRESH_INVALID',
      );
    });

    it.each([
      ['a missing token', {}, ['refreshToken']],
      ['a number', { refreshToken: 123456789012345 }, ['refreshToken']],
      ['a short string', { refreshToken: 'abc' }, ['refreshToken']],
      ['an unknown field', { refreshToken: 'x'.repeat(43), userId: 'me' }, ['userId']],
    ])('refuses a refresh body with %s: 400 VALIDATION_FAILED', async (_, body, fields) => {
      expectError(
        await t.http.post('/api/v1/auth/refresh').send(body),
        400,
        'VALIDATION_FAILED',
        fields,
      );
    });
  });

  describe('logout', () => {
    it('ends the session: 204, then the access and refresh tokens are refused', async () => {
      const { email } = await freshAccount();
      const tokens = (await login(email, PASSWORD).expect(200)).body as Tokens;
      const res = await t.http
        .post('/api/v1/auth/logout')
        .set(bearer(tokens.accessToken))
        .expect(204);
      expect(res.text).toBe('');
      expectError(
        await t.http.get('/api/v1/me').set(bearer(tokens.accessToken)),
        401,
        'UNAUTHENTICATED',
      );
      expectError(
        await t.http.post('/api/v1/auth/refresh').send({ refreshToken: tokens.refreshToken }),
        401,
        'AUTH_REFRESH_INVALID',
      );
      expectError(
        await t.http.post('/api/v1/auth/logout').set(bearer(tokens.accessToken)),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('needs a token', async () => {
      expectError(await t.http.post('/api/v1/auth/logout'), 401, 'UNAUTHENTICATED');
    });

    // The actor of a session is cached a few seconds (AUTH_ACTOR_CACHE_MS). This process forgets
    // it on logout, refresh reuse and role changes (the tests above and the accounts suite);
    // a revocation it does not see — another replica, SQL — waits at most that long, and with
    // the cache off it is immediate.
    it('with the actor cache off, a session revoked in the database is refused at once', async () => {
      const uncached = await createTestApp({ AUTH_ACTOR_CACHE_MS: '0' });
      try {
        const tokens = (
          await uncached.http
            .post('/api/v1/auth/login')
            .send({ email: DEMO.hrHanoi, password: DEMO_PASSWORD })
            .expect(200)
        ).body as Tokens;
        await uncached.http.get('/api/v1/me').set(bearer(tokens.accessToken)).expect(200);
        await uncached.dataSource.query(
          `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'admin'
            WHERE revoked_at IS NULL AND user_id = (SELECT id FROM user_accounts WHERE email = $1)`,
          [DEMO.hrHanoi],
        );
        expectError(
          await uncached.http.get('/api/v1/me').set(bearer(tokens.accessToken)),
          401,
          'UNAUTHENTICATED',
        );
      } finally {
        await uncached.close();
      }
    });
  });

  describe('GET /me', () => {
    it('describes hr.hanoi: person and roles, hr at Hà Nội and learner at home', async () => {
      const hn = await t.unitId('HN');
      const res = await t.http.get('/api/v1/me').set(bearer(t.tokens.hrHanoi)).expect(200);
      expect(res.body).toEqual({
        id: expect.any(String),
        email: DEMO.hrHanoi,
        person: {
          id: expect.any(String),
          fullName: 'Đinh Thị Thanh Bình',
          familyName: 'Đinh',
          middleName: 'Thị Thanh',
          givenName: 'Bình',
          homeOrgUnitId: hn,
        },
        roles: expect.arrayContaining([
          { role: 'hr', orgUnitId: hn },
          { role: 'learner', orgUnitId: hn },
        ]),
      });
      expect(res.body.roles).toHaveLength(2);
      expectNoSecrets(res.body);
    });

    it('gives a chair only the learner role at the home unit', async () => {
      const res = await t.http.get('/api/v1/me').set(bearer(t.tokens.chair)).expect(200);
      expect(res.body.person.fullName).toBe('Nguyễn Thị Hương');
      expect(res.body.roles).toEqual([{ role: 'learner', orgUnitId: await t.unitId('HN-HD-MAY') }]);
    });

    it('refuses a missing, garbage, foreign or expired token with 401 UNAUTHENTICATED', async () => {
      const jwt = t.app.get(JwtService);
      const me = (await t.http.get('/api/v1/me').set(bearer(t.tokens.admin)).expect(200)).body as {
        id: string;
      };
      const [session] = await t.dataSource.query<{ id: string }[]>(
        'SELECT id FROM auth_sessions WHERE user_id = $1 AND revoked_at IS NULL LIMIT 1',
        [me.id],
      );
      const expired = await jwt.signAsync({
        sub: me.id,
        sid: session.id,
        exp: Math.floor(Date.now() / 1000) - 60,
      });
      const foreign = new JwtService({ secret: 'x'.repeat(40) }).sign(
        { sub: me.id, sid: session.id },
        { issuer: 'cadre-lms' },
      );
      const unsigned = [
        Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url'),
        Buffer.from(JSON.stringify({ sub: me.id, sid: session.id, iss: 'cadre-lms' })).toString(
          'base64url',
        ),
        '',
      ].join('.');
      const notIds = await jwt.signAsync({ sub: 'admin', sid: 'not-a-session' });

      expectError(await t.http.get('/api/v1/me'), 401, 'UNAUTHENTICATED');
      for (const header of [
        'Bearer garbage',
        'Bearer ',
        'Bearer a.b.c',
        `Basic ${Buffer.from('admin:x').toString('base64')}`,
        t.tokens.admin,
        `Bearer ${expired}`,
        `Bearer ${foreign}`,
        `Bearer ${unsigned}`,
        `Bearer ${notIds}`,
      ]) {
        expectError(
          await t.http.get('/api/v1/me').set('Authorization', header),
          401,
          'UNAUTHENTICATED',
        );
      }
    });
  });

  describe('throttling', () => {
    it('refuses the 4th login attempt from one address within a minute with 429', async () => {
      // The harness signs in every demo account first, from the same address; 3 more are allowed.
      const demoLogins = Object.keys(DEMO).length;
      const limited = await createTestApp({ LOGIN_IP_LIMIT_PER_MINUTE: String(demoLogins + 3) });
      try {
        for (const email of ['a@lms.congdoan.test', 'b@lms.congdoan.test']) {
          expectError(
            await limited.http.post('/api/v1/auth/login').send({ email, password: 'Sai123456' }),
            401,
            'AUTH_INVALID_CREDENTIALS',
          );
        }
        await limited.http
          .post('/api/v1/auth/login')
          .send({ email: DEMO.admin, password: DEMO_PASSWORD })
          .expect(200);
        const fourth = await limited.http
          .post('/api/v1/auth/login')
          .send({ email: DEMO.hrHanoi, password: DEMO_PASSWORD });
        expectError(fourth, 429, 'TOO_MANY_REQUESTS');
        expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
        // Other routes are not limited by the login counter.
        await limited.http.get('/api/v1/me').set(bearer(limited.tokens.admin)).expect(200);
      } finally {
        await limited.close();
      }
    });
  });

  it('never returns a password hash', async () => {
    const { userId, personId } = await freshAccount();
    const account = await t.http
      .get(`/api/v1/accounts/${userId}`)
      .set(bearer(t.tokens.admin))
      .expect(200);
    expectNoSecrets(account.body);
    const person = await t.http
      .get(`/api/v1/people/${personId}`)
      .set(bearer(t.tokens.admin))
      .expect(200);
    expectNoSecrets(person.body);
    const docs = await t.http.get('/docs-json').expect(200);
    expect(JSON.stringify(docs.body)).not.toMatch(/passwordHash|password_hash/);
  });
});
