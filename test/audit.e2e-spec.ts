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
