import { randomUUID } from 'node:crypto';
import { expectError, expectNoSecrets } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';

const PASSWORD = 'Matkhau2026moi';

interface Account {
  id: string;
  email: string;
  personId: string;
  active: boolean;
  grants: { id: string; role: string; orgUnitId: string }[];
}

describe('accounts', () => {
  let t: TestApp;
  let personCount = 0;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  async function newPerson(unitCode = 'HN-HD-MAY'): Promise<string> {
    personCount += 1;
    const res = await t.http
      .post('/api/v1/people')
      .set(bearer(t.tokens.admin))
      .send({
        familyName: 'Hoàng',
        middleName: 'Minh',
        givenName: `Tài${personCount}`,
        homeOrgUnitId: await t.unitId(unitCode),
      })
      .expect(201);
    return res.body.id as string;
  }

  const createAccount = (token: string, body: Record<string, unknown>) =>
    t.http.post('/api/v1/accounts').set(bearer(token)).send(body);

  it('creates an account, grants a role, shows it in /me, and revokes it keeping the row', async () => {
    const personId = await newPerson();
    const created = await createAccount(t.tokens.admin, {
      personId,
      email: 'To.Chuc.HaDong@LMS.congdoan.test',
      password: PASSWORD,
    }).expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      email: 'to.chuc.hadong@lms.congdoan.test',
      personId,
      active: true,
      status: 'active',
      lastSignInAt: null,
      signInHeldUntil: null,
      failedLogins: 0,
      grants: [],
    });
    expectNoSecrets(created.body);
    const account = created.body as Account;

    // Signs in; a new account is a learner at its home unit only.
    const token = await t.login('to.chuc.hadong@lms.congdoan.test', PASSWORD);
    const home = await t.unitId('HN-HD-MAY');
    const before = await t.http.get('/api/v1/me').set(bearer(token)).expect(200);
    expect(before.body).toMatchObject({
      id: account.id,
      email: account.email,
      person: { id: personId, fullName: expect.stringMatching(/^Hoàng Minh Tài/) },
      roles: [{ role: 'learner', orgUnitId: home }],
    });
    await t.http.get('/api/v1/people').set(bearer(token)).expect(403);

    const hd = await t.unitId('HN-HD');
    const granted = await t.http
      .post(`/api/v1/accounts/${account.id}/grants`)
      .set(bearer(t.tokens.admin))
      .send({ role: 'hr', orgUnitId: hd })
      .expect(200);
    expect(granted.body.grants).toEqual([{ id: expect.any(String), role: 'hr', orgUnitId: hd }]);
    const grantId = (granted.body as Account).grants[0].id;
    // Granting the same role again changes nothing.
    const twice = await t.http
      .post(`/api/v1/accounts/${account.id}/grants`)
      .set(bearer(t.tokens.admin))
      .send({ role: 'hr', orgUnitId: hd })
      .expect(200);
    expect(twice.body.grants).toEqual(granted.body.grants);

    // The same access token now carries the role at once: granting forgets the cached actor.
    const withRole = await t.http.get('/api/v1/me').set(bearer(token)).expect(200);
    expect(withRole.body.roles).toEqual(
      expect.arrayContaining([
        { role: 'hr', orgUnitId: hd },
        { role: 'learner', orgUnitId: home },
      ]),
    );
    expect(withRole.body.roles).toHaveLength(2);
    await t.http.get('/api/v1/people').set(bearer(token)).expect(200);
    await t.http
      .get(`/api/v1/org-units/${await t.unitId('HN-KCN-TL')}`)
      .set(bearer(token))
      .expect(404);

    const read = await t.http
      .get(`/api/v1/accounts/${account.id}`)
      .set(bearer(t.tokens.admin))
      .expect(200);
    expect(read.body).toEqual({
      ...account,
      lastSignInAt: expect.any(String), // it signed in above
      grants: granted.body.grants,
    });
    expectNoSecrets(read.body);

    const revoked = await t.http
      .post(`/api/v1/accounts/${account.id}/grants/${grantId}/revoke`)
      .set(bearer(t.tokens.admin))
      .expect(200);
    expect(revoked.body.grants).toEqual([]);
    const after = await t.http.get('/api/v1/me').set(bearer(token)).expect(200);
    expect(after.body.roles).toEqual([{ role: 'learner', orgUnitId: home }]);
    await t.http.get('/api/v1/people').set(bearer(token)).expect(403);

    const rows = await t.dataSource.query<{ role: string; revoked_at: Date | null }[]>(
      'SELECT role, revoked_at FROM role_grants WHERE id = $1',
      [grantId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].role).toBe('hr');
    expect(rows[0].revoked_at).toBeInstanceOf(Date);

    // Revoking again is harmless; granting again makes a new row beside the old one.
    await t.http
      .post(`/api/v1/accounts/${account.id}/grants/${grantId}/revoke`)
      .set(bearer(t.tokens.admin))
      .expect(200);
    const regranted = await t.http
      .post(`/api/v1/accounts/${account.id}/grants`)
      .set(bearer(t.tokens.admin))
      .send({ role: 'hr', orgUnitId: hd })
      .expect(200);
    expect((regranted.body as Account).grants[0].id).not.toBe(grantId);
    const history = await t.dataSource.query<{ revoked_at: Date | null }[]>(
      'SELECT revoked_at FROM role_grants WHERE user_id = $1 ORDER BY created_at',
      [account.id],
    );
    expect(history.map((r) => r.revoked_at === null)).toEqual([false, true]);
  });

  it('refuses every account route to hr.hanoi and the other non-admin roles with 403', async () => {
    const personId = await newPerson();
    const [{ id: hrUserId }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM user_accounts WHERE email = 'hr.hanoi@lms.congdoan.test'`,
    );
    for (const token of [t.tokens.hrHanoi, t.tokens.officerHanoi, t.tokens.chair]) {
      expectError(
        await createAccount(token, {
          personId,
          email: 'khong.duoc@lms.congdoan.test',
          password: PASSWORD,
        }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await t.http.get(`/api/v1/accounts/${hrUserId}`).set(bearer(token)),
        403,
        'FORBIDDEN',
      );
      expectError(
        await t.http
          .post(`/api/v1/accounts/${hrUserId}/grants`)
          .set(bearer(token))
          .send({ role: 'admin', orgUnitId: await t.unitId('VGCL') }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await t.http
          .post(`/api/v1/accounts/${hrUserId}/grants/${randomUUID()}/revoke`)
          .set(bearer(token)),
        403,
        'FORBIDDEN',
      );
    }
    const [{ count }] = await t.dataSource.query<{ count: string }[]>(
      `SELECT count(*) AS count FROM user_accounts WHERE email = 'khong.duoc@lms.congdoan.test'`,
    );
    expect(Number(count)).toBe(0);
    expectError(await t.http.post('/api/v1/accounts').send({}), 401, 'UNAUTHENTICATED');
  });

  it('refuses a taken e-mail, in any case, and a second account for one person with 409', async () => {
    const personId = await newPerson();
    const res = await createAccount(t.tokens.admin, {
      personId,
      email: 'HR.HANOI@lms.congdoan.test',
      password: PASSWORD,
    });
    expectError(res, 409, 'ACCOUNT_EMAIL_TAKEN', ['email']);
    await createAccount(t.tokens.admin, {
      personId,
      email: 'rieng.mot@lms.congdoan.test',
      password: PASSWORD,
    }).expect(201);
    expectError(
      await createAccount(t.tokens.admin, {
        personId,
        email: 'rieng.hai@lms.congdoan.test',
        password: PASSWORD,
      }),
      409,
      'ACCOUNT_ALREADY_EXISTS',
    );
  });

  it.each([
    ['too short', 'Ab1cd'],
    ['without a digit', 'KhongCoChuSo'],
    ['without a letter', '12345678901'],
    ['too long', `A1${'x'.repeat(199)}`],
  ])('refuses a password %s with 400 naming password', async (_, password) => {
    expectError(
      await createAccount(t.tokens.admin, {
        personId: await newPerson(),
        email: `yeu.${randomUUID().slice(0, 8)}@lms.congdoan.test`,
        password,
      }),
      400,
      'VALIDATION_FAILED',
      ['password'],
    );
  });

  it('tells in Vietnamese what a password lacks', async () => {
    const res = await createAccount(t.tokens.admin, {
      personId: await newPerson(),
      email: `thieu.so.${randomUUID().slice(0, 8)}@lms.congdoan.test`,
      password: 'KhongCoChuSo',
    });
    expectError(res, 400, 'VALIDATION_FAILED', ['password']);
    expect(res.body.details).toEqual([
      {
        field: 'password',
        message: 'Sai định dạng: mật khẩu phải có ít nhất một chữ cái và một chữ số.',
      },
    ]);
  });

  it('answers 404 for an unknown person, account, grant or unit', async () => {
    expectError(
      await createAccount(t.tokens.admin, {
        personId: randomUUID(),
        email: 'ma.khong.co@lms.congdoan.test',
        password: PASSWORD,
      }),
      404,
      'PERSON_NOT_FOUND',
    );
    expectError(
      await t.http.get(`/api/v1/accounts/${randomUUID()}`).set(bearer(t.tokens.admin)),
      404,
      'ACCOUNT_NOT_FOUND',
    );
    expectError(
      await t.http.get('/api/v1/accounts/not-a-uuid').set(bearer(t.tokens.admin)),
      400,
      'VALIDATION_FAILED',
    );
    const personId = await newPerson();
    const account = (
      await createAccount(t.tokens.admin, {
        personId,
        email: 'bon.le.bon@lms.congdoan.test',
        password: PASSWORD,
      }).expect(201)
    ).body as Account;
    expectError(
      await t.http
        .post(`/api/v1/accounts/${account.id}/grants`)
        .set(bearer(t.tokens.admin))
        .send({ role: 'hr', orgUnitId: randomUUID() }),
      404,
      'ORG_UNIT_NOT_FOUND',
    );
    expectError(
      await t.http
        .post(`/api/v1/accounts/${randomUUID()}/grants`)
        .set(bearer(t.tokens.admin))
        .send({ role: 'hr', orgUnitId: await t.unitId('HN') }),
      404,
      'ACCOUNT_NOT_FOUND',
    );
    expectError(
      await t.http
        .post(`/api/v1/accounts/${account.id}/grants/${randomUUID()}/revoke`)
        .set(bearer(t.tokens.admin)),
      404,
      'NOT_FOUND',
    );
    // A grant of another account cannot be revoked through this one.
    const [{ id: hrGrant }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT g.id FROM role_grants g JOIN user_accounts u ON u.id = g.user_id
        WHERE u.email = 'hr.hanoi@lms.congdoan.test'`,
    );
    expectError(
      await t.http
        .post(`/api/v1/accounts/${account.id}/grants/${hrGrant}/revoke`)
        .set(bearer(t.tokens.admin)),
      404,
      'NOT_FOUND',
    );
    expectError(
      await t.http
        .post(`/api/v1/accounts/${account.id}/grants/x/revoke`)
        .set(bearer(t.tokens.admin)),
      400,
      'VALIDATION_FAILED',
    );
  });

  it.each([
    ['no fields', {}, ['personId', 'email', 'password']],
    [
      'wrong types',
      { personId: 1, email: true, password: 12345678901 },
      ['personId', 'email', 'password'],
    ],
    ['a malformed e-mail', { email: 'khong-phai-email' }, ['email']],
    ['a malformed person id', { personId: 'abc' }, ['personId']],
    ['an unknown field', { role: 'admin' }, ['role']],
    ['a password hash', { passwordHash: '$argon2id$x' }, ['passwordHash']],
  ])('refuses an account body with %s: 400', async (_, change, fields) => {
    const base = Object.keys(change).length
      ? { personId: randomUUID(), email: 'x.y@lms.congdoan.test', password: PASSWORD }
      : {};
    expectError(
      await createAccount(t.tokens.admin, { ...base, ...change }),
      400,
      'VALIDATION_FAILED',
      fields,
    );
  });

  it.each([
    ['no fields', {}, ['role', 'orgUnitId']],
    ['the learner role', { role: 'learner' }, ['role']],
    ['an unknown role', { role: 'superuser' }, ['role']],
    ['a malformed unit id', { orgUnitId: 'HN' }, ['orgUnitId']],
    ['an unknown field', { expiresAt: '2030-01-01' }, ['expiresAt']],
  ])('refuses a grant body with %s: 400', async (_, change, fields) => {
    const [{ id }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM user_accounts WHERE email = 'daotao.hanoi@lms.congdoan.test'`,
    );
    const base = Object.keys(change).length ? { role: 'hr', orgUnitId: await t.unitId('HN') } : {};
    expectError(
      await t.http
        .post(`/api/v1/accounts/${id}/grants`)
        .set(bearer(t.tokens.admin))
        .send({ ...base, ...change }),
      400,
      'VALIDATION_FAILED',
      fields,
    );
  });

  it('keeps an administrator of Hà Nội to Hà Nội accounts and grants: 404 elsewhere, nothing written', async () => {
    const adminPerson = await newPerson('HN');
    const hnAdmin = (
      await createAccount(t.tokens.admin, {
        personId: adminPerson,
        email: 'quantri.hanoi@lms.congdoan.test',
        password: PASSWORD,
      }).expect(201)
    ).body as Account;
    await t.http
      .post(`/api/v1/accounts/${hnAdmin.id}/grants`)
      .set(bearer(t.tokens.admin))
      .send({ role: 'admin', orgUnitId: await t.unitId('HN') })
      .expect(200);
    const token = await t.login('quantri.hanoi@lms.congdoan.test', PASSWORD);
    const auditCount = async () =>
      (
        await t.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM audit_log WHERE actor_user_id = $1`,
          [hnAdmin.id],
        )
      )[0].n;

    const [{ id: bacNinhAccount }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM user_accounts WHERE email = 'daotao.bacninh@lms.congdoan.test'`,
    );
    expectError(
      await t.http
        .post(`/api/v1/accounts/${bacNinhAccount}/grants`)
        .set(bearer(token))
        .send({ role: 'hr', orgUnitId: await t.unitId('HN') }),
      404,
      'ACCOUNT_NOT_FOUND',
    );
    expectError(
      await createAccount(token, {
        personId: await newPerson('BN-TS'),
        email: 'ngoai.pham.vi@lms.congdoan.test',
        password: PASSWORD,
      }),
      404,
      'PERSON_NOT_FOUND',
    );
    const hanoi = (
      await createAccount(token, {
        personId: await newPerson('HN-HD-MAY'),
        email: 'can.bo.hd@lms.congdoan.test',
        password: PASSWORD,
      }).expect(201)
    ).body as Account;
    expectError(
      await t.http
        .post(`/api/v1/accounts/${hanoi.id}/grants`)
        .set(bearer(token))
        .send({ role: 'hr', orgUnitId: await t.unitId('BN') }),
      404,
      'ORG_UNIT_NOT_FOUND',
    );
    // A grant over Bắc Ninh made by the national administrator cannot be revoked from Hà Nội.
    const outside = (
      await t.http
        .post(`/api/v1/accounts/${hanoi.id}/grants`)
        .set(bearer(t.tokens.admin))
        .send({ role: 'training_officer', orgUnitId: await t.unitId('BN') })
        .expect(200)
    ).body as Account;
    expectError(
      await t.http
        .post(`/api/v1/accounts/${hanoi.id}/grants/${outside.grants[0].id}/revoke`)
        .set(bearer(token)),
      404,
      'ORG_UNIT_NOT_FOUND',
    );
    const [{ revoked_at }] = await t.dataSource.query<{ revoked_at: Date | null }[]>(
      'SELECT revoked_at FROM role_grants WHERE id = $1',
      [outside.grants[0].id],
    );
    expect(revoked_at).toBeNull();
    // Only the account made in scope is on record under this administrator's name.
    expect(await auditCount()).toBe(1);
    const granted = (
      await t.http
        .post(`/api/v1/accounts/${hanoi.id}/grants`)
        .set(bearer(token))
        .send({ role: 'hr', orgUnitId: await t.unitId('HN-HD') })
        .expect(200)
    ).body as Account;
    expect(granted.grants.map((g) => g.role).sort()).toEqual(['hr', 'training_officer']);
    expect(await auditCount()).toBe(2);
  });
  it('lists the accounts in scope by e-mail, paged, each with its live grants and no secret', async () => {
    const first = await t.http
      .get('/api/v1/accounts')
      .query({ limit: 2 })
      .set(bearer(t.tokens.admin))
      .expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http
      .get('/api/v1/accounts')
      .query({ limit: 2, cursor: first.body.nextCursor })
      .set(bearer(t.tokens.admin))
      .expect(200);
    const emails = [...first.body.items, ...second.body.items].map((a: Account) => a.email);
    expect(emails).toEqual([...emails].sort());
    expect(new Set(emails).size).toBe(4);
    const all = await t.http
      .get('/api/v1/accounts')
      .query({ limit: 100 })
      .set(bearer(t.tokens.admin))
      .expect(200);
    expectNoSecrets(all.body);
    const hr = (all.body.items as Account[]).find((a) => a.email === 'hr.hanoi@lms.congdoan.test');
    expect(hr?.grants).toEqual([
      { id: expect.any(String), role: 'hr', orgUnitId: await t.unitId('HN') },
    ]);
    expectError(
      await t.http.get('/api/v1/accounts').set(bearer(t.tokens.hrHanoi)),
      403,
      'FORBIDDEN',
    );
    expectError(await t.http.get('/api/v1/accounts').set(bearer(t.tokens.chair)), 403, 'FORBIDDEN');
  });
});
