import { createHash } from 'node:crypto';
import { expectError, expectNoSecrets } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';

const GOOD = 'Sen-hồng-nở-2027';
const OTHER_GOOD = 'Trăng-rằm-sáng-2028';
const DEMO_ADMIN_EMAIL = 'admin@lms.congdoan.test';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Account {
  id: string;
  email: string;
  personId: string;
  active: boolean;
  status: string;
  lastSignInAt: string | null;
  grants: { id: string; role: string; orgUnitId: string }[];
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

describe('account administration', () => {
  let t: TestApp;
  let personCount = 0;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: 'https://lms.congdoan.test' });
    baseUrl = 'https://lms.congdoan.test';
  });

  afterAll(async () => {
    await t.close();
  });

  const admin = () => bearer(t.tokens.admin);

  async function newPerson(
    email: string | null,
    unitCode = 'HN-HD-MAY',
    given = 'Tài',
  ): Promise<string> {
    personCount += 1;
    const res = await t.http
      .post('/api/v1/people')
      .set(admin())
      .send({
        familyName: 'Đặng',
        middleName: 'Thị',
        givenName: `${given}${personCount}`,
        homeOrgUnitId: await t.unitId(unitCode),
        ...(email ? { email } : {}),
      });
    if (res.status !== 201) throw new Error(`person: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }

  /** The link of the newest message of an event to a person, straight from the outbox. */
  async function linkOf(personId: string, event: string): Promise<{ url: string; token: string }> {
    const [row] = await t.dataSource.query<{ payload: { link: { url: string } } }[]>(
      `SELECT payload FROM notification_outbox WHERE person_id = $1 AND event = $2
        ORDER BY created_at DESC, id DESC LIMIT 1`,
      [personId, event],
    );
    if (!row) throw new Error(`no ${event} message for ${personId}`);
    const url = row.payload.link.url;
    return { url, token: url.slice(url.lastIndexOf('/') + 1) };
  }

  const signIn = async (email: string, password: string): Promise<Tokens> => {
    const res = await t.http.post('/api/v1/auth/login').send({ email, password });
    if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Tokens;
  };

  const setPassword = (token: string, password: string) =>
    t.http.post('/api/v1/auth/password/set').send({ token, password });

  const invite = (body: Record<string, unknown>, token = t.tokens.admin) =>
    t.http.post('/api/v1/accounts/invitations').set(bearer(token)).send(body);

  /** A person with an account that has a password (never signed in). */
  async function activeAccount(
    email: string,
    unitCode = 'HN-HD-MAY',
  ): Promise<{ id: string; personId: string }> {
    const personId = await newPerson(null, unitCode);
    const res = await t.http
      .post('/api/v1/accounts')
      .set(admin())
      .send({ personId, email, password: GOOD })
      .expect(201);
    return { id: res.body.id as string, personId };
  }

  describe('invitation → set password → sign in', () => {
    it('opens an account without a password, mails a one-time link, and the link sets it', async () => {
      const personId = await newPerson('Le.Van.Hai@LMS.congdoan.test');
      const hd = await t.unitId('HN-HD');
      const res = await invite({ personId, roles: [{ role: 'hr', orgUnitId: hd }] }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        email: 'le.van.hai@lms.congdoan.test',
        personId,
        expiresAt: expect.any(String),
        grants: [{ id: expect.any(String), role: 'hr', orgUnitId: hd }],
      });
      const days = (Date.parse(res.body.expiresAt as string) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.99);
      expect(days).toBeLessThanOrEqual(7);
      const accountId = res.body.id as string;

      const read = await t.http.get(`/api/v1/accounts/${accountId}`).set(admin()).expect(200);
      expect(read.body).toMatchObject({ status: 'invited', active: true, lastSignInAt: null });
      expectNoSecrets(read.body);

      // The message: the person's name, the link to the portal page, only the hash stored.
      const [message] = await t.dataSource.query<
        { to_address: string; locale: string; payload: { fullName: string } }[]
      >(
        `SELECT to_address, locale, payload FROM notification_outbox
          WHERE person_id = $1 AND event = 'account_invited'`,
        [personId],
      );
      expect(message).toMatchObject({ to_address: 'le.van.hai@lms.congdoan.test', locale: 'vi' });
      expect(message.payload.fullName).toMatch(/^Đặng Thị Tài\d+$/);
      const { url, token } = await linkOf(personId, 'account_invited');
      expect(url).toBe(`${baseUrl}/set-password/${token}`);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const stored = await t.dataSource.query<{ token_hash: string; purpose: string }[]>(
        `SELECT token_hash, purpose FROM account_tokens WHERE user_id = $1`,
        [accountId],
      );
      expect(stored).toEqual([{ token_hash: sha256(token), purpose: 'invite' }]);

      // Nobody can sign in to it before the password is set, not even with an empty guess.
      const before = await t.http
        .post('/api/v1/auth/login')
        .send({ email: 'le.van.hai@lms.congdoan.test', password: 'anything-at-all' });
      expectError(before, 401, 'AUTH_INVALID_CREDENTIALS');

      // A password that breaks the policy is refused and the link stays usable.
      const weak = await setPassword(token, 'matkhau123');
      expectError(weak, 400, 'PASSWORD_POLICY', ['password']);
      expect(weak.body.details[0].message).toBe(
        'Mật khẩu này quá phổ biến, dễ bị đoán: hãy chọn mật khẩu khác.',
      );
      const named = await setPassword(token, 'le.van.hai-2027');
      expectError(named, 400, 'PASSWORD_POLICY', ['password']);
      expect(named.body.details[0].message).toBe(
        'Mật khẩu không được chứa địa chỉ email của tài khoản.',
      );

      await setPassword(token, GOOD).expect(204);
      const tokens = await signIn('le.van.hai@lms.congdoan.test', GOOD);
      const me = await t.http.get('/api/v1/me').set(bearer(tokens.accessToken)).expect(200);
      expect(me.body.roles).toEqual(expect.arrayContaining([{ role: 'hr', orgUnitId: hd }]));
      const after = await t.http.get(`/api/v1/accounts/${accountId}`).set(admin()).expect(200);
      expect(after.body).toMatchObject({ status: 'active', lastSignInAt: expect.any(String) });

      // The link is spent.
      const again = await setPassword(token, OTHER_GOOD);
      expectError(again, 400, 'PASSWORD_TOKEN_USED');
      expect(again.body.message).toBe(
        'Đường dẫn đặt mật khẩu này đã được dùng hoặc đã được thay bằng đường dẫn mới hơn.',
      );
      await signIn('le.van.hai@lms.congdoan.test', GOOD);

      const audit = await t.dataSource.query<{ action: string }[]>(
        `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY at`,
        [accountId],
      );
      expect(audit.map((a) => a.action)).toEqual(['account.invite', 'account.password_set']);
    });

    it('an officer reading the outbox sees where the link points, never its token', async () => {
      const personId = await newPerson('outbox.reader@lms.congdoan.test');
      await invite({ personId }).expect(201);
      const { token } = await linkOf(personId, 'account_invited');
      const res = await t.http
        .get('/api/v1/notifications/outbox')
        .query({ personId })
        .set(bearer(t.tokens.officerHanoi))
        .expect(200);
      const body = JSON.stringify(res.body);
      expect(body).not.toContain(token);
      expect(res.body.items[0].bodyText).toContain(`${baseUrl}/set-password/…`);
      expect(res.body.items[0].subject).toBe(
        'Mời đồng chí đặt mật khẩu cho tài khoản trên Hệ thống đào tạo cán bộ công đoàn',
      );
    });

    it('inviting again supersedes the older link; an account with a password is refused', async () => {
      const personId = await newPerson('moi.lai@lms.congdoan.test');
      const first = await invite({ personId }).expect(201);
      const older = (await linkOf(personId, 'account_invited')).token;
      const second = await invite({ personId, email: 'Moi.Lai2@lms.congdoan.test' }).expect(201);
      expect(second.body.id).toBe(first.body.id);
      expect(second.body.email).toBe('moi.lai2@lms.congdoan.test');
      const newer = (await linkOf(personId, 'account_invited')).token;
      expect(newer).not.toBe(older);

      expectError(await setPassword(older, GOOD), 400, 'PASSWORD_TOKEN_USED');
      await setPassword(newer, GOOD).expect(204);
      await signIn('moi.lai2@lms.congdoan.test', GOOD);
      expectError(await invite({ personId }), 409, 'ACCOUNT_ALREADY_EXISTS');
    });

    it('refuses a person without an e-mail, an e-mail taken, and an unknown token', async () => {
      const bare = await newPerson(null);
      const noEmail = await invite({ personId: bare });
      expectError(noEmail, 422, 'ACCOUNT_PERSON_NO_EMAIL', ['email']);
      expect(noEmail.body.message).toBe(
        'Cán bộ này chưa có địa chỉ email: hãy nhập email cho lời mời.',
      );
      const taken = await invite({ personId: bare, email: 'admin@lms.congdoan.test' });
      expectError(taken, 409, 'ACCOUNT_EMAIL_TAKEN', ['email']);
      const accounts = await t.dataSource.query(
        `SELECT 1 FROM user_accounts WHERE person_id = $1`,
        [bare],
      );
      expect(accounts).toEqual([]);

      expectError(await setPassword('x'.repeat(43), GOOD), 400, 'PASSWORD_TOKEN_INVALID');
      expectError(await setPassword('short', GOOD), 400, 'PASSWORD_TOKEN_INVALID');
    });
  });

  describe('bulk invitation of chairs', () => {
    it('counts, then invites every chair in scope with an e-mail and no account, in one go', async () => {
      const chairOf = async (unitCode: string) => {
        const [row] = await t.dataSource.query<{ person_id: string }[]>(
          `SELECT a.person_id FROM appointments a JOIN posts p ON p.id = a.post_id
             JOIN org_units u ON u.id = p.org_unit_id
            WHERE u.code = $1 AND p.post_type = 'chair' AND a.status = 'active'`,
          [unitCode],
        );
        return row.person_id;
      };
      // The demo: three grassroots unions under HN-HD; the chair of HN-HD-MAY has an account.
      const thpt = await chairOf('HN-HD-THPT');
      const htx = await chairOf('HN-HD-HTX');
      await t.dataSource.query(`UPDATE people SET email = $2 WHERE id = $1`, [
        thpt,
        'chutich.thpt@lms.congdoan.test',
      ]);
      await t.dataSource.query(`UPDATE people SET email = NULL WHERE id = $1`, [htx]);
      const orgUnitId = await t.unitId('HN-HD');
      const bulk = (body: Record<string, unknown>, token = t.tokens.admin) =>
        t.http.post('/api/v1/accounts/invitations/bulk').set(bearer(token)).send(body);

      const dry = await bulk({ orgUnitId, dryRun: true }).expect(200);
      expect(dry.body).toEqual({
        dryRun: true,
        invited: 1,
        skippedNoEmail: 1,
        skippedEmailTaken: 0,
        alreadyHaveAccount: 1,
      });
      expect(
        await t.dataSource.query(`SELECT 1 FROM user_accounts WHERE person_id = $1`, [thpt]),
      ).toEqual([]);

      const done = await bulk({ orgUnitId, postType: 'chair' }).expect(200);
      expect(done.body).toEqual({ ...dry.body, dryRun: false });
      const [account] = await t.dataSource.query<{ id: string; password_hash: string | null }[]>(
        `SELECT id, password_hash FROM user_accounts WHERE person_id = $1`,
        [thpt],
      );
      expect(account.password_hash).toBeNull();
      const { url, token } = await linkOf(thpt, 'account_invited');
      expect(url).toBe(`${baseUrl}/set-password/${token}`);
      const audit = await t.dataSource.query<{ action: string; after: { bulk: boolean } }[]>(
        `SELECT action, after FROM audit_log WHERE entity_id = $1`,
        [account.id],
      );
      expect(audit).toEqual([
        { action: 'account.invite', after: expect.objectContaining({ bulk: true }) },
      ]);

      // Again: nobody left to invite.
      const again = await bulk({ orgUnitId }).expect(200);
      expect(again.body).toMatchObject({ invited: 0, alreadyHaveAccount: 2, skippedNoEmail: 1 });

      await setPassword(token, GOOD).expect(204);
      await signIn('chutich.thpt@lms.congdoan.test', GOOD);

      // Vice-chairs are another post type: the three of HN-HD have their demo e-mails.
      const vice = await bulk({ orgUnitId, postType: 'vice_chair', dryRun: true }).expect(200);
      expect(vice.body).toEqual({
        dryRun: true,
        invited: 3,
        skippedNoEmail: 0,
        skippedEmailTaken: 0,
        alreadyHaveAccount: 0,
      });
    });

    it('gives a shared e-mail to one holder only, and none that an account already has', async () => {
      const members = await t.dataSource.query<{ person_id: string }[]>(
        `SELECT a.person_id FROM appointments a JOIN posts p ON p.id = a.post_id
           JOIN org_units u ON u.id = p.org_unit_id
          WHERE u.code LIKE 'HN-HD-%' AND p.post_type = 'executive_member' AND a.status = 'active'
          ORDER BY a.person_id`,
      );
      expect(members).toHaveLength(3);
      const [first, second, third] = members.map((m) => m.person_id);
      const setEmail = (id: string, email: string) =>
        t.dataSource.query(`UPDATE people SET email = $2 WHERE id = $1`, [id, email]);
      await setEmail(first, 'chung.mot@lms.congdoan.test');
      await setEmail(second, 'Chung.Mot@LMS.congdoan.test');
      await setEmail(third, DEMO_ADMIN_EMAIL);
      const res = await t.http
        .post('/api/v1/accounts/invitations/bulk')
        .set(admin())
        .send({ orgUnitId: await t.unitId('HN-HD'), postType: 'executive_member' })
        .expect(200);
      expect(res.body).toEqual({
        dryRun: false,
        invited: 1,
        skippedNoEmail: 0,
        skippedEmailTaken: 2,
        alreadyHaveAccount: 0,
      });
      const opened = await t.dataSource.query<{ person_id: string; email: string }[]>(
        `SELECT person_id, email FROM user_accounts WHERE person_id = ANY($1::uuid[])`,
        [[first, second, third]],
      );
      expect(opened).toEqual([{ person_id: first, email: 'chung.mot@lms.congdoan.test' }]);
    });

    it('refuses bad bodies, units outside scope and callers without the role', async () => {
      const url = '/api/v1/accounts/invitations/bulk';
      const orgUnitId = await t.unitId('HN-HD');
      for (const body of [
        {},
        { orgUnitId: 'HN-HD' },
        { orgUnitId, postType: 'president' },
        { orgUnitId, dryRun: 'yes' },
        { orgUnitId, extra: 1 },
      ]) {
        expectError(await t.http.post(url).set(admin()).send(body), 400, 'VALIDATION_FAILED');
      }
      for (const who of ['hrHanoi', 'officerHanoi', 'chair'] as const) {
        const res = await t.http.post(url).set(bearer(t.tokens[who])).send({ orgUnitId });
        expectError(res, 403, 'FORBIDDEN');
      }
    });
  });

  describe('forgotten password', () => {
    const forgot = (email: unknown) => t.http.post('/api/v1/auth/password/forgot').send({ email });

    it('answers alike for an unknown and a known e-mail; only the known one gets a link', async () => {
      const { id, personId } = await activeAccount('quen.matkhau@lms.congdoan.test');
      const unknown = await forgot('khong.co.ai@lms.congdoan.test');
      const known = await forgot('Quen.MatKhau@lms.congdoan.test');
      expect({ status: known.status, body: known.body }).toEqual({
        status: unknown.status,
        body: unknown.body,
      });
      expect(known.status).toBe(202);
      expect(known.body).toEqual({
        message:
          'Nếu email này có tài khoản đang hoạt động, hệ thống đã gửi đường dẫn đặt lại mật khẩu (hiệu lực 1 giờ).',
      });
      const { url, token } = await linkOf(personId, 'password_reset');
      expect(url).toBe(`${baseUrl}/reset-password/${token}`);
      const [stored] = await t.dataSource.query<{ expires_at: Date; created_at: Date }[]>(
        `SELECT expires_at, created_at FROM account_tokens WHERE user_id = $1 AND purpose = 'reset'`,
        [id],
      );
      expect(stored.expires_at.getTime() - stored.created_at.getTime()).toBe(3_600_000);

      // A session from before the reset ends with it; the old password stops working.
      const before = await signIn('quen.matkhau@lms.congdoan.test', GOOD);
      await setPassword(token, OTHER_GOOD).expect(204);
      expectError(
        await t.http.get('/api/v1/me').set(bearer(before.accessToken)),
        401,
        'UNAUTHENTICATED',
      );
      expectError(
        await t.http.post('/api/v1/auth/refresh').send({ refreshToken: before.refreshToken }),
        401,
        'AUTH_REFRESH_INVALID',
      );
      await signIn('quen.matkhau@lms.congdoan.test', OTHER_GOOD);
      const old = await t.http
        .post('/api/v1/auth/login')
        .send({ email: 'quen.matkhau@lms.congdoan.test', password: GOOD });
      expectError(old, 401, 'AUTH_INVALID_CREDENTIALS');

      // A spent reset link.
      expectError(await setPassword(token, 'Mây-trắng-bay-2029'), 400, 'PASSWORD_TOKEN_USED');
    });

    it('an expired link is refused with its own words; a newer one supersedes the older', async () => {
      const { id, personId } = await activeAccount('het.han@lms.congdoan.test');
      await forgot('het.han@lms.congdoan.test').expect(202);
      const first = (await linkOf(personId, 'password_reset')).token;
      await t.dataSource.query(
        `UPDATE account_tokens SET created_at = now() - interval '2 hours',
                expires_at = now() - interval '1 hour'
          WHERE user_id = $1 AND purpose = 'reset'`,
        [id],
      );
      const expired = await setPassword(first, OTHER_GOOD);
      expectError(expired, 400, 'PASSWORD_TOKEN_EXPIRED');
      expect(expired.body.message).toBe(
        'Đường dẫn đặt mật khẩu đã hết hạn: hãy yêu cầu đường dẫn mới.',
      );
      await signIn('het.han@lms.congdoan.test', GOOD);

      await forgot('het.han@lms.congdoan.test').expect(202);
      const second = (await linkOf(personId, 'password_reset')).token;
      await forgot('het.han@lms.congdoan.test').expect(202);
      const third = (await linkOf(personId, 'password_reset')).token;
      expectError(await setPassword(second, OTHER_GOOD), 400, 'PASSWORD_TOKEN_USED');
      await setPassword(third, OTHER_GOOD).expect(204);
    });

    it('refuses bad bodies', async () => {
      for (const body of [
        {},
        { email: 'not-an-email' },
        { email: 42 },
        { email: 'a@b.vn', x: 1 },
      ]) {
        expectError(
          await t.http.post('/api/v1/auth/password/forgot').send(body),
          400,
          'VALIDATION_FAILED',
        );
      }
      for (const body of [
        {},
        { token: 'x'.repeat(43) },
        { password: GOOD },
        { token: 42, password: GOOD },
        { token: 'x'.repeat(43), password: ['a'] },
        { token: 'x'.repeat(43), password: GOOD, extra: true },
      ]) {
        expectError(
          await t.http.post('/api/v1/auth/password/set').send(body),
          400,
          'VALIDATION_FAILED',
        );
      }
    });
  });

  describe('deactivation and reactivation', () => {
    it('ends live sessions at once; the account cannot sign in nor reset; reactivation restores sign-in', async () => {
      const { id, personId } = await activeAccount('ngung.hoatdong@lms.congdoan.test');
      const live = await signIn('ngung.hoatdong@lms.congdoan.test', GOOD);
      await t.http.get('/api/v1/me').set(bearer(live.accessToken)).expect(200);

      const res = await t.http
        .post(`/api/v1/accounts/${id}/deactivate`)
        .set(admin())
        .send({ reason: 'Chuyển công tác khỏi tổ chức công đoàn' })
        .expect(200);
      expect(res.body).toMatchObject({ id, active: false, status: 'inactive' });

      expectError(
        await t.http.get('/api/v1/me').set(bearer(live.accessToken)),
        401,
        'UNAUTHENTICATED',
      );
      expectError(
        await t.http.post('/api/v1/auth/refresh').send({ refreshToken: live.refreshToken }),
        401,
        'AUTH_REFRESH_INVALID',
      );
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ email: 'ngung.hoatdong@lms.congdoan.test', password: GOOD });
      expectError(login, 401, 'AUTH_ACCOUNT_DISABLED');
      expect(login.body.message).toBe('Tài khoản đã bị vô hiệu hóa.');

      await t.http
        .post('/api/v1/auth/password/forgot')
        .send({ email: 'ngung.hoatdong@lms.congdoan.test' })
        .expect(202);
      expect(
        await t.dataSource.query(
          `SELECT 1 FROM notification_outbox WHERE person_id = $1 AND event = 'password_reset'`,
          [personId],
        ),
      ).toEqual([]);

      // Deactivating again changes and records nothing.
      await t.http
        .post(`/api/v1/accounts/${id}/deactivate`)
        .set(admin())
        .send({ reason: 'Lần nữa' })
        .expect(200);
      const sessions = await t.dataSource.query<{ revoked_reason: string }[]>(
        `SELECT revoked_reason FROM auth_sessions WHERE user_id = $1`,
        [id],
      );
      expect(sessions.map((s) => s.revoked_reason)).toEqual(['deactivated']);

      const listed = await t.http
        .get('/api/v1/accounts')
        .query({ status: 'inactive', q: 'ngung.hoatdong' })
        .set(admin())
        .expect(200);
      expect(listed.body.items.map((a: Account) => a.id)).toEqual([id]);

      const back = await t.http.post(`/api/v1/accounts/${id}/reactivate`).set(admin()).expect(200);
      expect(back.body).toMatchObject({ id, active: true, status: 'active' });
      await t.http.post(`/api/v1/accounts/${id}/reactivate`).set(admin()).expect(200);
      // The session ended by the deactivation stays ended; a new sign-in works.
      expectError(
        await t.http.get('/api/v1/me').set(bearer(live.accessToken)),
        401,
        'UNAUTHENTICATED',
      );
      await signIn('ngung.hoatdong@lms.congdoan.test', GOOD);

      const audit = await t.dataSource.query<{ action: string; after: { reason?: string } }[]>(
        `SELECT action, after FROM audit_log WHERE entity_id = $1 ORDER BY at`,
        [id],
      );
      expect(audit.map((a) => a.action)).toEqual([
        'account.create',
        'account.deactivate',
        'account.reactivate',
      ]);
      expect(audit[1].after.reason).toBe('Chuyển công tác khỏi tổ chức công đoàn');
    });

    it('an administrator cannot deactivate themself', async () => {
      const [self] = await t.dataSource.query<{ id: string }[]>(
        `SELECT id FROM user_accounts WHERE email = 'admin@lms.congdoan.test'`,
      );
      const res = await t.http
        .post(`/api/v1/accounts/${self.id}/deactivate`)
        .set(admin())
        .send({ reason: 'Thử tự khóa' });
      expectError(res, 409, 'ACCOUNT_CANNOT_DEACTIVATE_SELF');
      await t.http.get('/api/v1/me').set(admin()).expect(200);
    });

    it('refuses bad bodies and callers without the role', async () => {
      const { id } = await activeAccount('vai.tro@lms.congdoan.test');
      for (const body of [{}, { reason: 5 }, { reason: 'ok' }, { reason: 'Lý do', extra: 1 }]) {
        const res = await t.http.post(`/api/v1/accounts/${id}/deactivate`).set(admin()).send(body);
        expectError(res, 400, 'VALIDATION_FAILED');
      }
      expectError(
        await t.http
          .post('/api/v1/accounts/not-a-uuid/deactivate')
          .set(admin())
          .send({ reason: 'Lý do' }),
        400,
        'VALIDATION_FAILED',
      );
      for (const who of ['hrHanoi', 'officerHanoi', 'chair'] as const) {
        for (const path of ['deactivate', 'reactivate', 'lift-hold']) {
          const res = await t.http
            .post(`/api/v1/accounts/${id}/${path}`)
            .set(bearer(t.tokens[who]))
            .send({ reason: 'Lý do' });
          expectError(res, 403, 'FORBIDDEN');
        }
        expectError(
          await invite({ personId: await newPerson('x@y.vn') }, t.tokens[who]),
          403,
          'FORBIDDEN',
        );
      }
      await signIn('vai.tro@lms.congdoan.test', GOOD);
    });
  });

  describe('scope', () => {
    it('a provincial administrator gets 404 for accounts, people and units of another province', async () => {
      const { id: hnAdminId } = await activeAccount('quantri.hanoi@lms.congdoan.test', 'HN');
      await t.http
        .post(`/api/v1/accounts/${hnAdminId}/grants`)
        .set(admin())
        .send({ role: 'admin', orgUnitId: await t.unitId('HN') })
        .expect(200);
      const hnAdmin = (await signIn('quantri.hanoi@lms.congdoan.test', GOOD)).accessToken;
      const { id: bnAccount } = await activeAccount('canbo.bacninh@lms.congdoan.test', 'BN');

      for (const path of ['deactivate', 'reactivate', 'lift-hold']) {
        const res = await t.http
          .post(`/api/v1/accounts/${bnAccount}/${path}`)
          .set(bearer(hnAdmin))
          .send({ reason: 'Ngoài phạm vi' });
        expectError(res, 404, 'ACCOUNT_NOT_FOUND');
      }
      const bnPerson = await newPerson('nguoi.bacninh@lms.congdoan.test', 'BN-TS');
      expectError(await invite({ personId: bnPerson }, hnAdmin), 404, 'PERSON_NOT_FOUND');
      const hnPerson = await newPerson('nguoi.hanoi@lms.congdoan.test', 'HN-HD-MAY');
      const outside = await invite(
        { personId: hnPerson, roles: [{ role: 'hr', orgUnitId: await t.unitId('BN') }] },
        hnAdmin,
      );
      expectError(outside, 404, 'ORG_UNIT_NOT_FOUND');
      expect(
        await t.dataSource.query(`SELECT 1 FROM user_accounts WHERE person_id = $1`, [hnPerson]),
      ).toEqual([]);
      expectError(
        await t.http
          .post('/api/v1/accounts/invitations/bulk')
          .set(bearer(hnAdmin))
          .send({ orgUnitId: await t.unitId('BN'), dryRun: true }),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      const listed = await t.http
        .get('/api/v1/accounts')
        .query({ q: 'canbo.bacninh' })
        .set(bearer(hnAdmin))
        .expect(200);
      expect(listed.body.items).toEqual([]);
    });
  });

  describe('changing my own password', () => {
    it('needs the current password, meets the policy, and ends my other sessions only', async () => {
      await activeAccount('doi.matkhau@lms.congdoan.test');
      const here = await signIn('doi.matkhau@lms.congdoan.test', GOOD);
      const elsewhere = await signIn('doi.matkhau@lms.congdoan.test', GOOD);
      const change = (body: Record<string, unknown>) =>
        t.http.post('/api/v1/me/password').set(bearer(here.accessToken)).send(body);

      const wrong = await change({ currentPassword: 'Sai-mật-khẩu-1', newPassword: OTHER_GOOD });
      expectError(wrong, 400, 'PASSWORD_CURRENT_WRONG', ['currentPassword']);
      expect(wrong.body.message).toBe('Mật khẩu hiện tại không đúng.');
      const weak = await change({ currentPassword: GOOD, newPassword: '123456789a' });
      expectError(weak, 400, 'PASSWORD_POLICY', ['newPassword']);
      const same = await change({ currentPassword: GOOD, newPassword: GOOD });
      expectError(same, 400, 'PASSWORD_POLICY', ['newPassword']);
      expect(same.body.details).toEqual([
        { field: 'newPassword', message: 'Mật khẩu mới phải khác mật khẩu hiện tại.' },
      ]);
      const short = await change({ currentPassword: GOOD, newPassword: 'Ngắn-1' });
      expect(short.body.details).toEqual([
        { field: 'newPassword', message: 'Mật khẩu cần có ít nhất 10 ký tự.' },
      ]);
      for (const body of [
        {},
        { currentPassword: GOOD },
        { currentPassword: GOOD, newPassword: 12345678901 },
        { currentPassword: GOOD, newPassword: OTHER_GOOD, extra: 1 },
      ]) {
        expectError(await change(body), 400, 'VALIDATION_FAILED');
      }
      // Nothing changed so far: both sessions live, the old password works.
      await t.http.get('/api/v1/me').set(bearer(elsewhere.accessToken)).expect(200);

      await change({ currentPassword: GOOD, newPassword: OTHER_GOOD }).expect(204);
      await t.http.get('/api/v1/me').set(bearer(here.accessToken)).expect(200);
      expectError(
        await t.http.get('/api/v1/me').set(bearer(elsewhere.accessToken)),
        401,
        'UNAUTHENTICATED',
      );
      expectError(
        await t.http.post('/api/v1/auth/refresh').send({ refreshToken: elsewhere.refreshToken }),
        401,
        'AUTH_REFRESH_INVALID',
      );
      await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: here.refreshToken })
        .expect(200);
      await signIn('doi.matkhau@lms.congdoan.test', OTHER_GOOD);
      expectError(
        await t.http
          .post('/api/v1/auth/login')
          .send({ email: 'doi.matkhau@lms.congdoan.test', password: GOOD }),
        401,
        'AUTH_INVALID_CREDENTIALS',
      );
      const [audit] = await t.dataSource.query<{ after: { sessionsEnded: number } }[]>(
        `SELECT a.after FROM audit_log a JOIN user_accounts u ON u.id = a.entity_id
          WHERE u.email = 'doi.matkhau@lms.congdoan.test' AND a.action = 'account.password_change'`,
      );
      expect(audit.after.sessionsEnded).toBe(1); // the other sign-in; this one stays
    });
  });

  describe('the password policy on accounts created with a password', () => {
    it('refuses a common password and one containing the e-mail', async () => {
      const personId = await newPerson(null);
      const common = await t.http
        .post('/api/v1/accounts')
        .set(admin())
        .send({ personId, email: 'chinh.sach@lms.congdoan.test', password: 'Matkhau123' });
      expectError(common, 400, 'PASSWORD_POLICY', ['password']);
      const named = await t.http
        .post('/api/v1/accounts')
        .set(admin())
        .send({ personId, email: 'chinh.sach@lms.congdoan.test', password: 'chinh.sach2027' });
      expectError(named, 400, 'PASSWORD_POLICY', ['password']);
      expect(
        await t.dataSource.query(`SELECT 1 FROM user_accounts WHERE person_id = $1`, [personId]),
      ).toEqual([]);
    });
  });

  describe('the account list', () => {
    it('filters by name without diacritics, e-mail, role, status and last sign-in, keyset paged', async () => {
      const list = async (query: Record<string, string | number>) =>
        (await t.http.get('/api/v1/accounts').query(query).set(admin()).expect(200)).body as {
          items: Account[];
          nextCursor: string | null;
        };
      // "nguyen thi huong" finds the demo chair Nguyễn Thị Hương.
      const huong = await list({ q: 'nguyen thi huong' });
      expect(huong.items.map((a) => a.email)).toEqual(['chutich.mayhadong@lms.congdoan.test']);
      expect((await list({ q: 'NGUYỄN THỊ HƯƠNG' })).items).toHaveLength(1);
      expect((await list({ q: 'HR.HANOI' })).items.map((a) => a.email)).toEqual([
        'hr.hanoi@lms.congdoan.test',
      ]);
      // Characters of LIKE are searched for, not obeyed.
      expect((await list({ q: '%' })).items).toEqual([]);

      const officers = await list({ role: 'training_officer' });
      expect(officers.items.map((a) => a.email)).toEqual(
        expect.arrayContaining([
          'daotao.bacninh@lms.congdoan.test',
          'daotao.hanoi@lms.congdoan.test',
        ]),
      );
      expect(officers.items.every((a) => a.grants.some((g) => g.role === 'training_officer'))).toBe(
        true,
      );

      const personId = await newPerson('cho.datmatkhau@lms.congdoan.test');
      await invite({ personId }).expect(201);
      const invited = await list({ status: 'invited', limit: 100 });
      expect(invited.items.map((a) => a.email)).toContain('cho.datmatkhau@lms.congdoan.test');
      expect(invited.items.every((a) => a.status === 'invited')).toBe(true);

      // Held after wrong passwords: status locked.
      const { id: heldId } = await activeAccount('bi.giu@lms.congdoan.test');
      await t.dataSource.query(
        `UPDATE user_accounts SET failed_logins = 5, locked_until = now() + interval '10 minutes'
          WHERE id = $1`,
        [heldId],
      );
      expect((await list({ status: 'locked' })).items.map((a) => a.id)).toEqual([heldId]);
      const active = await list({ status: 'active', limit: 100 });
      expect(active.items.map((a) => a.id)).not.toContain(heldId);
      expect(active.items.every((a) => a.status === 'active')).toBe(true);

      // Last sign-in: every demo account signed in today; nobody before 2000.
      await t.dataSource.query(
        `UPDATE user_accounts SET last_login_at = '2026-03-15T10:00:00Z' WHERE id = $1`,
        [heldId],
      );
      expect(
        (await list({ lastSignInAfter: '2026-03-15', lastSignInBefore: '2026-03-16' })).items.map(
          (a) => a.id,
        ),
      ).toEqual([heldId]);
      expect((await list({ lastSignInBefore: '2000-01-01' })).items).toEqual([]);

      // Paging with a filter keeps the filter and the order.
      const first = await list({ q: 'lms.congdoan.test', limit: 2 });
      expect(first.items).toHaveLength(2);
      const second = await list({ q: 'lms.congdoan.test', limit: 2, cursor: first.nextCursor! });
      expect(second.items[0].email > first.items[1].email).toBe(true);
    });

    it('refuses bad filters with 400 and callers without the role with 403', async () => {
      for (const query of [
        { status: 'asleep' },
        { role: 'king' },
        { lastSignInBefore: '2026-02-30' },
        { lastSignInAfter: 'yesterday' },
        { q: '' },
        { unknown: 1 },
      ]) {
        const res = await t.http.get('/api/v1/accounts').query(query).set(admin());
        expectError(res, 400, 'VALIDATION_FAILED');
      }
      for (const who of ['hrHanoi', 'officerHanoi', 'chair'] as const) {
        expectError(
          await t.http.get('/api/v1/accounts').set(bearer(t.tokens[who])),
          403,
          'FORBIDDEN',
        );
      }
    });
  });

  describe('invitation bodies', () => {
    it('refuses wrong types, unknown and missing fields', async () => {
      const personId = await newPerson('than.loi@lms.congdoan.test');
      for (const body of [
        {},
        { personId: 'abc' },
        { personId, email: 'not-an-email' },
        { personId, roles: 'hr' },
        { personId, roles: [{ role: 'learner', orgUnitId: personId }] },
        { personId, roles: [{ role: 'hr' }] },
        { personId, password: GOOD },
      ]) {
        expectError(await invite(body), 400, 'VALIDATION_FAILED');
      }
      expect(
        await t.dataSource.query(`SELECT 1 FROM user_accounts WHERE person_id = $1`, [personId]),
      ).toEqual([]);
    });
  });
});
