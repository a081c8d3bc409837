import { randomBytes } from 'node:crypto';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';

interface Entry {
  id: string;
  at: string;
  actorUserId: string | null;
  actorPersonId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  orgUnitId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
}
interface Page {
  items: Entry[];
  nextCursor: string | null;
}

/** The audit log (issue 5 item 7): what planning writes, who may read it, and that it is append-only. */
describe('audit log', () => {
  let t: TestApp;
  let hr: { Authorization: string };
  let admin: { Authorization: string };
  const suffix = randomBytes(3).toString('hex').toUpperCase();
  let count = 0;

  beforeAll(async () => {
    t = await createTestApp();
    hr = bearer(t.tokens.hrHanoi);
    admin = bearer(t.tokens.admin);
  });

  afterAll(async () => {
    await t.close();
  });

  async function created<T>(res: { status: number; body: unknown }): Promise<T> {
    if (res.status !== 201 && res.status !== 200) {
      throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body as T;
  }

  /** A cycle at a fresh grassroots unit under `parent`, created by `as`, with one nominee. */
  async function cycleWithNominee(parent: string, as: { Authorization: string }) {
    const unit = await created<{ id: string }>(
      await t.http
        .post('/api/v1/org-units')
        .set(admin)
        .send({
          code: `T5A-${suffix}-${++count}`,
          name: `Công đoàn cơ sở thử nghiệm nhật ký ${count}`,
          level: 'grassroots',
          sector: 'private',
          parentId: await t.unitId(parent),
        }),
    );
    const post = await created<{ id: string }>(
      await t.http.post('/api/v1/posts').set(admin).send({ orgUnitId: unit.id, postType: 'chair' }),
    );
    const person = await created<{ id: string }>(
      await t.http
        .post('/api/v1/people')
        .set(admin)
        .send({
          familyName: 'Vũ',
          givenName: `Nhật ký ${count}`,
          birthDate: '1988-04-04',
          gender: 'female',
          homeOrgUnitId: unit.id,
        }),
    );
    const cycle = await created<{ id: string }>(
      await t.http
        .post('/api/v1/planning-cycles')
        .set(as)
        .send({
          orgUnitId: unit.id,
          termStart: '2028-07-01',
          termEnd: '2033-06-30',
          postIds: [post.id],
        }),
    );
    const nomination = await created<{ id: string }>(
      await t.http.post(`/api/v1/planning-cycles/${cycle.id}/nominations`).set(as).send({
        postId: post.id,
        personId: person.id,
        readiness: 'ready_1_2_years',
        readinessReason: 'Ý kiến của cấp ủy',
      }),
    );
    return { unit: unit.id, cycle: cycle.id, nomination: nomination.id, post: post.id };
  }

  it('records every change of a nomination and a cycle with actor, before and after', async () => {
    const { cycle, nomination, unit } = await cycleWithNominee('HN-HD', hr);
    await created(
      await t.http
        .post(`/api/v1/planning-cycles/${cycle}/nominations/${nomination}/approve`)
        .set(admin),
    );
    await created(
      await t.http
        .post(`/api/v1/planning-cycles/${cycle}/nominations/${nomination}/remove`)
        .set(hr)
        .set('X-Request-Id', `audit-test-${suffix}`)
        .send({ reason: 'discipline', note: 'Khiển trách' }),
    );
    await created(
      await t.http.post(`/api/v1/planning-cycles/${cycle}/status`).set(hr).send({ status: 'open' }),
    );

    const res = await t.http
      .get('/api/v1/audit')
      .query({ entityType: 'nomination', entityId: nomination })
      .set(hr);
    expect(res.status).toBe(200);
    const entries = (res.body as Page).items;
    expect(entries.map((e) => e.action)).toEqual([
      'nomination.remove',
      'nomination.approve',
      'nomination.create',
    ]);
    const [remove, approve, create] = entries;
    expect(create).toMatchObject({
      entityType: 'nomination',
      entityId: nomination,
      orgUnitId: unit,
      before: null,
      after: { status: 'proposed', readiness: 'ready_1_2_years', firstTime: true },
    });
    expect(approve.before).toMatchObject({ status: 'proposed', approvedBy: null });
    expect(approve.after).toMatchObject({ status: 'approved', approvedBy: approve.actorPersonId });
    expect(approve.actorPersonId).not.toBe(create.actorPersonId);
    expect(remove).toMatchObject({
      actorPersonId: create.actorPersonId,
      requestId: `audit-test-${suffix}`,
      before: { status: 'approved' },
      after: { status: 'removed', removalReason: 'discipline', removalNote: 'Khiển trách' },
    });
    expect(Date.parse(remove.at)).toBeGreaterThanOrEqual(Date.parse(create.at));

    const cycleEntries = await t.http
      .get('/api/v1/audit')
      .query({ entityType: 'planning_cycle', entityId: cycle })
      .set(hr);
    expect((cycleEntries.body as Page).items.map((e) => e.action)).toEqual([
      'planning_cycle.status',
      'planning_cycle.create',
    ]);
    const [status] = (cycleEntries.body as Page).items;
    expect(status.before).toMatchObject({ status: 'draft' });
    expect(status.after).toMatchObject({ status: 'open' });

    // Keyset by (at desc, id desc): pages of one join up to the whole list, without repeats.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: unknown } = await t.http
        .get('/api/v1/audit')
        .query({ orgUnitId: unit, limit: 2, ...(cursor ? { cursor } : {}) })
        .set(hr);
      expect(page.status).toBe(200);
      seen.push(...(page.body as Page).items.map((e) => e.id));
      cursor = (page.body as Page).nextCursor;
    } while (cursor);
    // The unit's post and person are recorded too (post.create, person.create).
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it('shows entries only within scope; other roles are refused', async () => {
    const bn = await cycleWithNominee('BN-TS', admin);
    const mine = await t.http.get('/api/v1/audit').query({ entityId: bn.nomination }).set(hr);
    expect(mine.status).toBe(200);
    expect((mine.body as Page).items).toEqual([]);
    const all = await t.http.get('/api/v1/audit').query({ entityId: bn.nomination }).set(admin);
    expect((all.body as Page).items.map((e) => e.action)).toEqual(['nomination.create']);
    expectError(
      await t.http.get('/api/v1/audit').query({ orgUnitId: bn.unit }).set(hr),
      404,
      'ORG_UNIT_NOT_FOUND',
    );
    expectError(
      await t.http.get('/api/v1/audit').set(bearer(t.tokens.officerHanoi)),
      403,
      'FORBIDDEN',
    );
    expectError(await t.http.get('/api/v1/audit').set(bearer(t.tokens.chair)), 403, 'FORBIDDEN');
    expectError(await t.http.get('/api/v1/audit'), 401, 'UNAUTHENTICATED');
    expectError(
      await t.http.get('/api/v1/audit').query({ entityId: 'nope', entityType: 'Bad Type' }).set(hr),
      400,
      'VALIDATION_FAILED',
      ['entityId', 'entityType'],
    );
    expectError(
      await t.http.get('/api/v1/audit').query({ cursor: 'zzz' }).set(hr),
      400,
      'INVALID_CURSOR',
    );
  });

  it('keeps a failed change out of the log and refuses to alter the log', async () => {
    const { cycle, nomination } = await cycleWithNominee('HN-HD', hr);
    // hr proposed it, so hr's approval fails: no entry may be left behind.
    expectError(
      await t.http
        .post(`/api/v1/planning-cycles/${cycle}/nominations/${nomination}/approve`)
        .set(hr),
      422,
      'PLANNING_FOUR_EYES',
    );
    const res = await t.http.get('/api/v1/audit').query({ entityId: nomination }).set(hr);
    expect((res.body as Page).items.map((e) => e.action)).toEqual(['nomination.create']);
    await expect(
      t.dataSource.query(`UPDATE audit_log SET action = 'x' WHERE entity_id = $1`, [nomination]),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.dataSource.query(`DELETE FROM audit_log WHERE entity_id = $1`, [nomination]),
    ).rejects.toThrow(/append-only/);
  });
});

/**
 * Issue 11 item 12: the writes of HR records are in the log — accounts and role grants, people,
 * posts and terms, appointments, evaluations — each with actor, time, before and after, in the
 * unit whose HR must read it, and out of sight of the HR of another province. The demo has no
 * HR account in Bắc Ninh: the suite makes one (and reads its own creation in the log).
 */
describe('audit log of HR records', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let hrHanoi: { Authorization: string };
  let hrBacNinh: { Authorization: string };
  let adminUserId: string;
  let hrHanoiUserId: string;
  let bacNinhHr: { personId: string; userId: string; grantId: string };
  const suffix = randomBytes(3).toString('hex').toLowerCase();
  let count = 0;

  beforeAll(async () => {
    t = await createTestApp();
    admin = bearer(t.tokens.admin);
    hrHanoi = bearer(t.tokens.hrHanoi);
    const users = await t.dataSource.query<{ id: string; email: string }[]>(
      `SELECT id, email FROM user_accounts WHERE email IN ($1, $2)`,
      ['admin@lms.congdoan.test', 'hr.hanoi@lms.congdoan.test'],
    );
    adminUserId = users.find((u) => u.email.startsWith('admin'))!.id;
    hrHanoiUserId = users.find((u) => u.email.startsWith('hr'))!.id;
    const personId = await newPerson(admin, 'BN', 'Ban Tổ chức');
    const email = `hr.bacninh.${suffix}@lms.congdoan.test`;
    const account = await ok<{ id: string }>(
      await t.http
        .post('/api/v1/accounts')
        .set(admin)
        .send({ personId, email, password: 'Matkhau2026bn' }),
    );
    const granted = await ok<{ grants: { id: string }[] }>(
      await t.http
        .post(`/api/v1/accounts/${account.id}/grants`)
        .set(admin)
        .send({ role: 'hr', orgUnitId: await t.unitId('BN') }),
    );
    bacNinhHr = { personId, userId: account.id, grantId: granted.grants[0].id };
    hrBacNinh = bearer(await t.login(email, 'Matkhau2026bn'));
  });

  afterAll(async () => {
    await t.close();
  });

  async function ok<T>(res: { status: number; body: unknown }): Promise<T> {
    if (res.status !== 201 && res.status !== 200) {
      throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body as T;
  }

  async function newPerson(
    as: { Authorization: string },
    unitCode: string,
    givenName = `Ghi ${++count}`,
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    const body = await ok<{ id: string }>(
      await t.http
        .post('/api/v1/people')
        .set(as)
        .send({
          familyName: 'Đỗ',
          middleName: 'Thị',
          givenName,
          birthDate: '1987-09-02',
          homeOrgUnitId: await t.unitId(unitCode),
          ...extra,
        }),
    );
    return body.id;
  }

  async function newUnit(parent: string, as = admin): Promise<string> {
    const body = await ok<{ id: string }>(
      await t.http
        .post('/api/v1/org-units')
        .set(as)
        .send({
          code: `T11A-${suffix}-${++count}`.toUpperCase(),
          name: `Công đoàn cơ sở thử nghiệm hồ sơ ${count}`,
          level: 'grassroots',
          sector: 'private',
          parentId: await t.unitId(parent),
        }),
    );
    return body.id;
  }

  /** The entries `as` may read, newest first. */
  async function entries(
    as: { Authorization: string },
    query: Record<string, string>,
  ): Promise<Entry[]> {
    const res = await t.http
      .get('/api/v1/audit')
      .query({ limit: 100, ...query })
      .set(as);
    expect(res.status).toBe(200);
    return (res.body as Page).items;
  }

  const actions = (list: Entry[]) => list.map((e) => e.action);

  it('records account creation and grants where the HR of the covered unit reads them', async () => {
    const created = await entries(admin, {
      entityType: 'user_account',
      entityId: bacNinhHr.userId,
    });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      action: 'account.create',
      actorUserId: adminUserId,
      orgUnitId: await t.unitId('BN'),
      before: null,
      after: {
        id: bacNinhHr.userId,
        email: `hr.bacninh.${suffix}@lms.congdoan.test`,
        personId: bacNinhHr.personId,
        active: true,
      },
    });
    expect(JSON.stringify(created)).not.toMatch(/password|argon2/i);
    const grant = await entries(hrBacNinh, {
      entityType: 'role_grant',
      entityId: bacNinhHr.grantId,
    });
    expect(grant).toHaveLength(1);
    expect(grant[0]).toMatchObject({
      action: 'role_grant.grant',
      actorUserId: adminUserId,
      orgUnitId: await t.unitId('BN'),
      before: null,
      after: {
        role: 'hr',
        orgUnitId: await t.unitId('BN'),
        userId: bacNinhHr.userId,
        revokedAt: null,
      },
    });
    expect(await entries(hrBacNinh, { entityId: bacNinhHr.userId })).toHaveLength(1);
    expect(await entries(hrHanoi, { entityId: bacNinhHr.userId })).toEqual([]);
    expect(await entries(hrHanoi, { entityId: bacNinhHr.grantId })).toEqual([]);

    // A grant over a Hà Nội unit: Hà Nội's HR reads it and its revocation, Bắc Ninh's does not.
    const personId = await newPerson(hrHanoi, 'HN-HD-MAY');
    const account = await ok<{ id: string }>(
      await t.http
        .post('/api/v1/accounts')
        .set(admin)
        .send({
          personId,
          email: `daotao.hd.${suffix}@lms.congdoan.test`,
          password: 'Matkhau2026hd',
        }),
    );
    const hd = await t.unitId('HN-HD');
    const grantOnce = () =>
      t.http
        .post(`/api/v1/accounts/${account.id}/grants`)
        .set(admin)
        .send({ role: 'training_officer', orgUnitId: hd });
    const grantId = (await ok<{ grants: { id: string }[] }>(await grantOnce())).grants[0].id;
    await ok(await grantOnce()); // already held: nothing changes, nothing is recorded
    const revoke = () =>
      t.http.post(`/api/v1/accounts/${account.id}/grants/${grantId}/revoke`).set(admin);
    await ok(await revoke());
    await ok(await revoke()); // already revoked: nothing recorded either
    const log = await entries(hrHanoi, { entityType: 'role_grant', entityId: grantId });
    expect(actions(log)).toEqual(['role_grant.revoke', 'role_grant.grant']);
    expect(log[0].orgUnitId).toBe(hd);
    expect(log[0].before).toMatchObject({ role: 'training_officer', revokedAt: null });
    expect(log[0].after).toMatchObject({
      role: 'training_officer',
      revokedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(await entries(hrBacNinh, { entityId: grantId })).toEqual([]);
    expect(actions(await entries(hrHanoi, { entityId: account.id }))).toEqual(['account.create']);
  });

  it('records a person’s creation and changes with the national ID masked, in the home unit', async () => {
    const nationalId = `0010${String(Date.now() % 100_000_000).padStart(8, '0')}`;
    const id = await newPerson(hrHanoi, 'HN-HD-MAY', 'Hồ sơ', { nationalId, phone: '0912000111' });
    // A new number that ends with the same four digits: the masks read alike, the change shows.
    const newId = `0020${nationalId.slice(4)}`;
    await ok(
      await t.http
        .patch(`/api/v1/people/${id}`)
        .set(hrHanoi)
        .send({ phone: '0912000222', nationalId: newId }),
    );
    await ok(await t.http.patch(`/api/v1/people/${id}`).set(hrHanoi).send({ phone: '0912000222' }));
    const log = await entries(hrHanoi, { entityType: 'person', entityId: id });
    expect(actions(log)).toEqual(['person.update', 'person.create']);
    const [update, create] = log;
    const masked = `********${nationalId.slice(-4)}`;
    expect(create).toMatchObject({
      actorUserId: hrHanoiUserId,
      orgUnitId: await t.unitId('HN-HD-MAY'),
      before: null,
      after: {
        fullName: 'Đỗ Thị Hồ sơ',
        nationalId: masked,
        phone: '0912000111',
        status: 'active',
      },
    });
    expect(update.before).toMatchObject({ phone: '0912000111', nationalId: masked });
    expect(update.after).toMatchObject({
      phone: '0912000222',
      nationalId: masked,
      nationalIdChanged: true,
    });
    const [{ leaks }] = await t.dataSource.query<{ leaks: number }[]>(
      `SELECT count(*)::int AS leaks FROM audit_log
        WHERE before::text LIKE '%' || $1 || '%' OR after::text LIKE '%' || $1 || '%'
           OR before::text LIKE '%' || $2 || '%' OR after::text LIKE '%' || $2 || '%'`,
      [nationalId, newId],
    );
    expect(leaks).toBe(0);
    expect(await entries(hrBacNinh, { entityId: id })).toEqual([]);

    // Moved to Bắc Ninh by the administrator: Bắc Ninh's HR reads the change, Hà Nội's keeps
    // the trace of the departure.
    await ok(
      await t.http
        .patch(`/api/v1/people/${id}`)
        .set(admin)
        .send({ homeOrgUnitId: await t.unitId('BN-TS') }),
    );
    const bn = await entries(hrBacNinh, { entityId: id });
    expect(actions(bn)).toEqual(['person.update']);
    expect(bn[0]).toMatchObject({
      orgUnitId: await t.unitId('BN-TS'),
      before: { homeOrgUnitId: await t.unitId('HN-HD-MAY') },
      after: { homeOrgUnitId: await t.unitId('BN-TS') },
    });
    expect(actions(await entries(hrHanoi, { entityId: id }))).toEqual([
      'person.move_out',
      'person.update',
      'person.create',
    ]);
  });

  it('records posts, terms and appointments in the post’s unit', async () => {
    const unit = await newUnit('HN-HD', hrHanoi);
    const post = await ok<{ id: string }>(
      await t.http.post('/api/v1/posts').set(hrHanoi).send({ orgUnitId: unit, postType: 'chair' }),
    );
    await ok(
      await t.http
        .patch(`/api/v1/posts/${post.id}`)
        .set(hrHanoi)
        .send({ title: 'Chủ tịch Công đoàn', employment: 'full_time' }),
    );
    const term = await ok<{ id: string }>(
      await t.http.post('/api/v1/terms').set(hrHanoi).send({
        orgUnitId: unit,
        name: 'Nhiệm kỳ 2023-2028',
        startDate: '2023-07-01',
        endDate: '2028-06-30',
      }),
    );
    await ok(
      await t.http
        .patch(`/api/v1/terms/${term.id}`)
        .set(hrHanoi)
        .send({ name: 'Nhiệm kỳ 2023–2028' }),
    );
    const first = await newPerson(hrHanoi, 'HN-HD-MAY');
    const second = await newPerson(hrHanoi, 'HN-HD-MAY');
    const appointment = await ok<{ id: string }>(
      await t.http.post('/api/v1/appointments').set(hrHanoi).send({
        personId: first,
        postId: post.id,
        termId: term.id,
        method: 'elected',
        startDate: '2023-07-01',
      }),
    );
    await ok(
      await t.http
        .post(`/api/v1/appointments/${appointment.id}/end`)
        .set(hrHanoi)
        .send({ endDate: '2025-03-31', reason: 'Chuyển công tác' }),
    );
    // A refused appointment (the post is held then) leaves nothing behind.
    expectError(
      await t.http.post('/api/v1/appointments').set(hrHanoi).send({
        personId: second,
        postId: post.id,
        method: 'appointed',
        startDate: '2025-03-01',
      }),
      409,
      'APPOINTMENT_OVERLAP',
    );
    const mistaken = await ok<{ id: string }>(
      await t.http.post('/api/v1/appointments').set(hrHanoi).send({
        personId: second,
        postId: post.id,
        method: 'appointed',
        startDate: '2025-04-01',
      }),
    );
    await ok(
      await t.http
        .post(`/api/v1/appointments/${mistaken.id}/cancel`)
        .set(hrHanoi)
        .send({ reason: 'Nhập nhầm cán bộ' }),
    );

    const log = await entries(hrHanoi, { orgUnitId: unit });
    expect(actions(log)).toEqual([
      'appointment.cancel',
      'appointment.create',
      'appointment.end',
      'appointment.create',
      'term.update',
      'term.create',
      'post.update',
      'post.create',
    ]);
    expect(log.every((e) => e.orgUnitId === unit && e.actorUserId === hrHanoiUserId)).toBe(true);
    const byAction = (action: string) => log.find((e) => e.action === action)!;
    expect(byAction('post.update')).toMatchObject({
      entityId: post.id,
      before: { title: 'Chủ tịch', employment: 'part_time' },
      after: { title: 'Chủ tịch Công đoàn', employment: 'full_time' },
    });
    expect(byAction('term.update')).toMatchObject({
      entityId: term.id,
      before: { name: 'Nhiệm kỳ 2023-2028', startDate: '2023-07-01' },
      after: { name: 'Nhiệm kỳ 2023–2028', startDate: '2023-07-01' },
    });
    expect(byAction('appointment.end')).toMatchObject({
      entityId: appointment.id,
      before: { status: 'active', endDate: null, personId: first, termId: term.id },
      after: { status: 'ended', endDate: '2025-03-31', endReason: 'Chuyển công tác' },
    });
    expect(byAction('appointment.cancel')).toMatchObject({
      entityId: mistaken.id,
      before: { status: 'active', personId: second },
      after: { status: 'cancelled', endReason: 'Nhập nhầm cán bộ' },
    });
    expect(log.find((e) => e.action === 'post.create')?.before).toBeNull();

    expect(await entries(hrBacNinh, { entityId: post.id })).toEqual([]);
    expect(await entries(hrBacNinh, { entityId: appointment.id })).toEqual([]);
    expectError(
      await t.http.get('/api/v1/audit').query({ orgUnitId: unit }).set(hrBacNinh),
      404,
      'ORG_UNIT_NOT_FOUND',
    );
  });

  it('records every evaluation and revision in the person’s home unit', async () => {
    const person = await newPerson(hrHanoi, 'HN-HD-THPT');
    const first = await ok<{ id: string }>(
      await t.http
        .post('/api/v1/evaluations')
        .set(hrHanoi)
        .send({ personId: person, year: 2025, score: 72 }),
    );
    const second = await ok<{ id: string }>(
      await t.http
        .post('/api/v1/evaluations')
        .set(hrHanoi)
        .send({ personId: person, year: 2025, score: 91, comments: 'Bổ sung thành tích' }),
    );
    const log = await entries(hrHanoi, {
      entityType: 'evaluation',
      orgUnitId: await t.unitId('HN-HD-THPT'),
    });
    const mine = log.filter((e) => e.entityId === first.id || e.entityId === second.id);
    expect(actions(mine)).toEqual(['evaluation.revise', 'evaluation.record']);
    expect(mine[1]).toMatchObject({
      entityId: first.id,
      orgUnitId: await t.unitId('HN-HD-THPT'),
      actorUserId: hrHanoiUserId,
      before: null,
      after: { personId: person, year: 2025, revision: 1, score: 72, level: 'good', current: true },
    });
    expect(mine[0]).toMatchObject({
      entityId: second.id,
      before: { id: first.id, revision: 1, score: 72, current: true },
      after: { revision: 2, score: 91, level: 'excellent', comments: 'Bổ sung thành tích' },
    });
    expect(await entries(hrBacNinh, { entityId: first.id })).toEqual([]);

    // Bắc Ninh's evaluations (by the administrator) are Bắc Ninh's HR's to read, not Hà Nội's.
    const bnPerson = await newPerson(admin, 'BN-TS-GO');
    const bnEvaluation = await ok<{ id: string }>(
      await t.http
        .post('/api/v1/evaluations')
        .set(admin)
        .send({ personId: bnPerson, year: 2025, score: 55 }),
    );
    expect(actions(await entries(hrBacNinh, { entityId: bnEvaluation.id }))).toEqual([
      'evaluation.record',
    ]);
    expect(await entries(hrHanoi, { entityId: bnEvaluation.id })).toEqual([]);
  });
});
