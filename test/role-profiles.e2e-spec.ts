import { randomBytes, randomUUID } from 'node:crypto';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';

const uniqueCode = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex').toUpperCase()}`;

/** Three levels, one domain; the competency codes are the caller's. */
const versionBody = (codes: string[]) => ({
  scale: {
    proficientLevel: 2,
    levels: [
      { level: 1, nameVi: 'Nhận biết', nameEn: 'Aware' },
      { level: 2, nameVi: 'Vận dụng', nameEn: 'Applies' },
      { level: 3, nameVi: 'Dẫn dắt', nameEn: 'Leads' },
    ],
  },
  policy: { kind: 'latest_valid' },
  domains: [{ code: 'A', nameVi: 'Kỹ năng', nameEn: 'Skills' }],
  competencies: codes.map((code) => ({
    code,
    domainCode: 'A',
    nameVi: `Năng lực ${code}`,
    nameEn: `Competency ${code}`,
    indicators: [],
  })),
});

interface Requirement {
  competencyId: string;
  competencyCode: string;
  requiredLevel: number;
  critical: boolean;
}

interface Profile {
  id: string;
  versionId: string;
  postType: string;
  orgLevel: string | null;
  sector: string | null;
  requirements: Requirement[];
}

interface GapItem {
  code: string;
  requiredLevel: number;
  critical: boolean;
  currentLevel: number | null;
  gap: number;
}

interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  orgUnitId: string;
  before: { requirements: unknown[] } | null;
  after: { requirements: unknown[] } | null;
}

/** Requirements as the API lists them, reduced to what an edit sets. */
const brief = (p: Profile) =>
  p.requirements.map((r) => [r.competencyCode, r.requiredLevel, r.critical] as const);

describe('editing the requirements of a role profile', () => {
  let t: TestApp;
  let hn: string;
  let bn: string;
  let seededVersion: string;

  beforeAll(async () => {
    t = await createTestApp();
    hn = await t.unitId('HN');
    bn = await t.unitId('BN');
    const [v] = await t.dataSource.query<{ id: string }[]>(
      `SELECT v.id FROM framework_versions v JOIN competency_frameworks f ON f.id = v.framework_id
        WHERE f.code = 'KNL-CTCĐCS' AND v.version_no = 1`,
    );
    seededVersion = v.id;
  });

  afterAll(async () => {
    await t.close();
  });

  /** A framework owned by `owner`, version 1 published unless asked otherwise. */
  async function version(
    codes = ['X1', 'X2', 'X3'],
    { owner = hn, token = t.tokens.hrHanoi, publish = true } = {},
  ): Promise<string> {
    const res = await t.http
      .post('/api/v1/frameworks')
      .set(bearer(token))
      .send({
        code: uniqueCode('KNL'),
        nameVi: 'Khung thử',
        nameEn: 'Test framework',
        ownerOrgUnitId: owner,
        version: versionBody(codes),
      });
    if (res.status !== 201) throw new Error(`framework: ${res.status} ${JSON.stringify(res.body)}`);
    const versionId = (res.body as { versions: { id: string }[] }).versions[0].id;
    if (publish) {
      await t.http
        .post(`/api/v1/framework-versions/${versionId}/publish`)
        .set(bearer(token))
        .expect(200);
    }
    return versionId;
  }

  async function profile(
    versionId: string,
    requirements: object[] = [{ competencyCode: 'X1', requiredLevel: 1 }],
    token = t.tokens.hrHanoi,
  ): Promise<Profile> {
    const res = await t.http
      .post('/api/v1/role-profiles')
      .set(bearer(token))
      .send({ versionId, postType: 'chair', orgLevel: 'grassroots', requirements });
    if (res.status !== 201) throw new Error(`profile: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Profile;
  }

  const replace = (id: string, body: object, token = t.tokens.hrHanoi) =>
    t.http.put(`/api/v1/role-profiles/${id}/requirements`).set(bearer(token)).send(body);

  const putOne = (id: string, code: string, body: object, token = t.tokens.hrHanoi) =>
    t.http
      .put(`/api/v1/role-profiles/${id}/requirements/${encodeURIComponent(code)}`)
      .set(bearer(token))
      .send(body);

  const deleteOne = (id: string, code: string, token = t.tokens.hrHanoi) =>
    t.http
      .delete(`/api/v1/role-profiles/${id}/requirements/${encodeURIComponent(code)}`)
      .set(bearer(token));

  const read = async (id: string, token = t.tokens.hrHanoi) =>
    (await t.http.get(`/api/v1/role-profiles/${id}`).set(bearer(token)).expect(200))
      .body as Profile;

  const fullAuditOf = async (id: string, token = t.tokens.hrHanoi) =>
    (
      await t.http
        .get('/api/v1/audit')
        .query({ entityType: 'role_profile', entityId: id })
        .set(bearer(token))
        .expect(200)
    ).body.items as AuditEntry[];
  /** The edits of a profile's requirements (its creation is an entry of its own). */
  const auditOf = async (id: string, token = t.tokens.hrHanoi) =>
    (await fullAuditOf(id, token)).filter((e) => e.action === 'role_profile.requirements');

  it('audits the creation of a profile with its requirements', async () => {
    const p = await profile(await version(), [{ competencyCode: 'X1', requiredLevel: 2 }]);
    const entries = await fullAuditOf(p.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'role_profile.create',
      before: null,
      after: {
        requirements: [expect.objectContaining({ competencyCode: 'X1', requiredLevel: 2 })],
      },
    });
  });

  it('replaces the whole list in one request and audits the lists before and after', async () => {
    const p = await profile(await version(), [
      { competencyCode: 'X1', requiredLevel: 1 },
      { competencyCode: 'X2', requiredLevel: 2, critical: true },
    ]);
    const res = await replace(p.id, {
      requirements: [
        { competencyCode: 'X3', requiredLevel: 3, critical: true },
        { competencyCode: 'X1', requiredLevel: 2 },
      ],
    }).expect(200);
    const edited = res.body as Profile;
    expect({ ...edited, requirements: undefined }).toEqual({ ...p, requirements: undefined });
    // Listed in the framework's order; X2 is gone, X1 changed, X3 added.
    expect(brief(edited)).toEqual([
      ['X1', 2, false],
      ['X3', 3, true],
    ]);
    expect(await read(p.id)).toEqual(edited);

    const entries = await auditOf(p.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'role_profile.requirements',
      entityType: 'role_profile',
      entityId: p.id,
      orgUnitId: hn,
      before: {
        versionId: p.versionId,
        postType: 'chair',
        orgLevel: 'grassroots',
        sector: null,
        requirements: [
          { competencyCode: 'X1', requiredLevel: 1, critical: false },
          { competencyCode: 'X2', requiredLevel: 2, critical: true },
        ],
      },
      after: {
        requirements: [
          { competencyCode: 'X1', requiredLevel: 2, critical: false },
          { competencyCode: 'X3', requiredLevel: 3, critical: true },
        ],
      },
    });

    // The same list again, in another order: nothing changes, nothing is recorded.
    await replace(p.id, {
      requirements: [
        { competencyCode: 'X1', requiredLevel: 2, critical: false },
        { competencyCode: 'X3', requiredLevel: 3, critical: true },
      ],
    }).expect(200);
    expect(await auditOf(p.id)).toHaveLength(1);
  });

  it('adds, replaces and removes one requirement at a time', async () => {
    const p = await profile(await version());
    const added = await putOne(p.id, 'X2', { requiredLevel: 3, critical: true }).expect(200);
    expect(brief(added.body as Profile)).toEqual([
      ['X1', 1, false],
      ['X2', 3, true],
    ]);
    const replaced = await putOne(p.id, 'X1', { requiredLevel: 2 }).expect(200);
    expect(brief(replaced.body as Profile)).toEqual([
      ['X1', 2, false],
      ['X2', 3, true],
    ]);
    // A new level without `critical` keeps the flag the requirement had.
    const releveled = await putOne(p.id, 'X2', { requiredLevel: 2 }).expect(200);
    expect(brief(releveled.body as Profile)).toEqual([
      ['X1', 2, false],
      ['X2', 2, true],
    ]);
    await putOne(p.id, 'X2', { requiredLevel: 3, critical: true }).expect(200);
    const removed = await deleteOne(p.id, 'X1').expect(204);
    expect(removed.body).toEqual({});
    expect(brief(await read(p.id))).toEqual([['X2', 3, true]]);

    expectError(await deleteOne(p.id, 'X1'), 404, 'ROLE_PROFILE_REQUIREMENT_NOT_FOUND');
    // A profile keeps at least one requirement.
    expectError(await deleteOne(p.id, 'X2'), 422, 'ROLE_PROFILE_EMPTY');
    expect(brief(await read(p.id))).toEqual([['X2', 3, true]]);
    expect((await auditOf(p.id)).map((e) => e.action)).toEqual([
      'role_profile.requirements',
      'role_profile.requirements',
      'role_profile.requirements',
      'role_profile.requirements',
      'role_profile.requirements',
    ]);
  });

  it('queues concurrent edits of one profile: none is lost', async () => {
    const p = await profile(await version(['X1', 'X2', 'X3', 'X4', 'X5']));
    const codes = ['X2', 'X3', 'X4', 'X5'];
    const results = await Promise.all(codes.map((c) => putOne(p.id, c, { requiredLevel: 2 })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(brief(await read(p.id)).map(([code]) => code)).toEqual(['X1', ...codes]);
    // Each entry's "before" is what that edit replaced: one more requirement each time.
    const sizes = (await auditOf(p.id))
      .map((e) => [e.before!.requirements.length, e.after!.requirements.length])
      .reverse();
    expect(sizes).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
    ]);
  });

  it('edits drafts and published versions, never a retired one', async () => {
    const draft = await profile(await version(['X1', 'X2'], { publish: false }));
    await putOne(draft.id, 'X2', { requiredLevel: 1 }).expect(200);

    const versionId = await version();
    const p = await profile(versionId);
    await t.http
      .post(`/api/v1/framework-versions/${versionId}/retire`)
      .set(bearer(t.tokens.hrHanoi))
      .expect(200);
    const list = { requirements: [{ competencyCode: 'X1', requiredLevel: 2 }] };
    expectError(await replace(p.id, list), 422, 'FRAMEWORK_VERSION_RETIRED');
    expectError(await putOne(p.id, 'X2', { requiredLevel: 1 }), 422, 'FRAMEWORK_VERSION_RETIRED');
    expectError(await deleteOne(p.id, 'X1'), 422, 'FRAMEWORK_VERSION_RETIRED');
    expect(brief(await read(p.id))).toEqual([['X1', 1, false]]);
  });

  it('answers 400 with details for bad bodies and levels off the scale', async () => {
    const p = await profile(await version());
    const bad = async (body: object, fields: string[]) =>
      expectError(await replace(p.id, body), 400, 'VALIDATION_FAILED', fields);

    await bad({}, ['requirements']);
    await bad({ requirements: [] }, ['requirements']);
    await bad({ requirements: 'X1' }, ['requirements']);
    await bad({ requirements: [{ competencyCode: 'X1', requiredLevel: 1 }], x: 1 }, ['x']);
    await bad(
      {
        requirements: [
          { requiredLevel: 1 },
          { competencyCode: 'X2' },
          { competencyCode: 'X3', requiredLevel: 'high', critical: 'yes', extra: true },
          { competencyCode: 5, requiredLevel: 1.5 },
          { competencyCode: 'X1', requiredLevel: 0 },
          { competencyCode: 'X1', requiredLevel: 11 },
        ],
      },
      [
        'requirements.0.competencyCode',
        'requirements.1.requiredLevel',
        'requirements.2.requiredLevel',
        'requirements.2.critical',
        'requirements.2.extra',
        'requirements.3.competencyCode',
        'requirements.3.requiredLevel',
        'requirements.4.requiredLevel',
        'requirements.5.requiredLevel',
      ],
    );
    // Well-formed, but off this version's three-level scale, or the same competency twice:
    // details worded in Vietnamese, or in English on request.
    const twice = {
      requirements: [
        { competencyCode: 'X1', requiredLevel: 4 },
        { competencyCode: 'X2', requiredLevel: 1 },
        { competencyCode: 'X2', requiredLevel: 2 },
      ],
    };
    const vi = await replace(p.id, twice);
    expectError(vi, 400, 'VALIDATION_FAILED');
    expect(vi.body.details).toEqual([
      { field: 'requirements.0.requiredLevel', message: 'Phải là một mức của thang (1–3).' },
      { field: 'requirements.2.competencyCode', message: 'Năng lực X2 được nêu hai lần.' },
    ]);
    const en = await replace(p.id, twice).set('Accept-Language', 'en');
    expect(en.body.details).toEqual([
      { field: 'requirements.0.requiredLevel', message: 'Must be a level of the scale (1–3).' },
      { field: 'requirements.2.competencyCode', message: 'Competency X2 is listed twice.' },
    ]);
    expectError(await putOne(p.id, 'X2', { requiredLevel: 4 }), 400, 'VALIDATION_FAILED', [
      'requiredLevel',
    ]);
    expectError(await putOne(p.id, 'X2', {}), 400, 'VALIDATION_FAILED', ['requiredLevel']);
    expectError(
      await putOne(p.id, 'X2', { requiredLevel: 2, critical: 1, competencyCode: 'X3' }),
      400,
      'VALIDATION_FAILED',
      ['critical', 'competencyCode'],
    );
    expectError(await putOne(p.id, 'bad code!', { requiredLevel: 1 }), 400, 'VALIDATION_FAILED', [
      'code',
    ]);
    expectError(await deleteOne(p.id, 'bad code!'), 400, 'VALIDATION_FAILED', ['code']);
    // An id that is no uuid is a malformed request (400), not an unknown profile.
    expectError(
      await t.http
        .put('/api/v1/role-profiles/not-a-uuid/requirements')
        .set(bearer(t.tokens.hrHanoi))
        .send({ requirements: [{ competencyCode: 'X1', requiredLevel: 1 }] }),
      400,
      'VALIDATION_FAILED',
    );
    // Nothing was written by any of them.
    expect(brief(await read(p.id))).toEqual([['X1', 1, false]]);
    expect(await auditOf(p.id)).toEqual([]);
  });

  it('answers 422 ROLE_PROFILE_COMPETENCY_UNKNOWN for a competency of another framework', async () => {
    const p = await profile(await version());
    // Another framework of the same owner has Y9; this profile's version does not.
    await version(['Y9']);
    const refused = await replace(p.id, {
      requirements: [
        { competencyCode: 'X1', requiredLevel: 1 },
        { competencyCode: 'Y9', requiredLevel: 1 },
      ],
    });
    expectError(refused, 422, 'ROLE_PROFILE_COMPETENCY_UNKNOWN', ['requirements.1.competencyCode']);
    expect(refused.body.message).toContain('Y9');
    expect(refused.body.details).toEqual([
      { field: 'requirements.1.competencyCode', message: 'Phiên bản này không có năng lực Y9.' },
    ]);
    // The seeded chair framework's C1 is no competency of this version either.
    expectError(
      await putOne(p.id, 'C1', { requiredLevel: 1 }),
      422,
      'ROLE_PROFILE_COMPETENCY_UNKNOWN',
      ['code'],
    );
    expect(brief(await read(p.id))).toEqual([['X1', 1, false]]);
  });

  it('refuses by scope (404) and by role (403), changing nothing', async () => {
    // A Bắc Ninh framework: outside what hr of Hà Nội reads.
    const bacNinh = await profile(
      await version(['X1'], { owner: bn, token: t.tokens.admin }),
      undefined,
      t.tokens.admin,
    );
    const list = { requirements: [{ competencyCode: 'X1', requiredLevel: 2 }] };
    expectError(await replace(bacNinh.id, list), 404, 'ROLE_PROFILE_NOT_FOUND');
    expectError(
      await putOne(bacNinh.id, 'X1', { requiredLevel: 2 }),
      404,
      'ROLE_PROFILE_NOT_FOUND',
    );
    expectError(await deleteOne(bacNinh.id, 'X1'), 404, 'ROLE_PROFILE_NOT_FOUND');
    expectError(await replace(randomUUID(), list), 404, 'ROLE_PROFILE_NOT_FOUND');

    // The national chair profile: hr of Hà Nội reads it but does not manage it.
    const national = (
      await t.http
        .get('/api/v1/role-profiles/resolve')
        .query({ versionId: seededVersion, postType: 'chair', orgLevel: 'grassroots' })
        .set(bearer(t.tokens.hrHanoi))
        .expect(200)
    ).body as Profile;
    expectError(
      await replace(national.id, { requirements: [{ competencyCode: 'C1', requiredLevel: 1 }] }),
      403,
      'FORBIDDEN',
    );
    expectError(await putOne(national.id, 'C1', { requiredLevel: 1 }), 403, 'FORBIDDEN');

    // Training officers and learners lack competencies:manage, even on their own unit's profile.
    const own = await profile(await version());
    for (const token of [t.tokens.officerHanoi, t.tokens.officerBacNinh, t.tokens.chair]) {
      for (const id of [own.id, bacNinh.id]) {
        expectError(await replace(id, list, token), 403, 'FORBIDDEN');
        expectError(await putOne(id, 'X1', { requiredLevel: 2 }, token), 403, 'FORBIDDEN');
        expectError(await deleteOne(id, 'X1', token), 403, 'FORBIDDEN');
      }
    }
    expectError(
      await t.http.put(`/api/v1/role-profiles/${own.id}/requirements`).send(list),
      401,
      'UNAUTHENTICATED',
    );
    expect(brief(await read(own.id))).toEqual([['X1', 1, false]]);
    expect(brief(await read(bacNinh.id, t.tokens.admin))).toEqual([['X1', 1, false]]);
    expect(await read(national.id)).toEqual(national);
  });

  it('moves the demo chair’s gaps as soon as the chair profile changes', async () => {
    const [{ person_id: chair }] = await t.dataSource.query<{ person_id: string }[]>(
      `SELECT person_id FROM user_accounts WHERE email = 'chutich.mayhadong@lms.congdoan.test'`,
    );
    const gaps = async () => {
      const res = await t.http
        .get(`/api/v1/people/${chair}/gaps`)
        // Other tests here publish Hà Nội chair profiles too: measure against the national one.
        .query({ versionId: seededVersion })
        .set(bearer(t.tokens.chair))
        .expect(200);
      const [block] = res.body.blocks as {
        versionId: string;
        profile: { id: string };
        totalGap: number;
        items: GapItem[];
      }[];
      return block;
    };
    const before = await gaps();
    expect(before.versionId).toBe(seededVersion);
    const c1 = before.items.find((i) => i.code === 'C1')!;
    // The seed: C1 required at 4 (critical), the chair's hr rating 3.
    expect(c1).toMatchObject({ requiredLevel: 4, critical: true, currentLevel: 3, gap: 1 });
    const profileBefore = await read(before.profile.id, t.tokens.admin);

    // The confederation lowers C1 to 3 and drops C7 from the chair profile.
    const edited = profileBefore.requirements
      .filter((r) => r.competencyCode !== 'C7')
      .map((r) => ({
        competencyCode: r.competencyCode,
        requiredLevel: r.competencyCode === 'C1' ? 3 : r.requiredLevel,
        critical: r.critical,
      }));
    await replace(before.profile.id, { requirements: edited }, t.tokens.admin).expect(200);

    const after = await gaps();
    expect(after.profile.id).toBe(before.profile.id);
    expect(after.items.find((i) => i.code === 'C1')).toMatchObject({
      requiredLevel: 3,
      currentLevel: 3,
      gap: 0,
    });
    expect(after.items.map((i) => i.code)).not.toContain('C7');
    const c7Gap = before.items.find((i) => i.code === 'C7')!.gap;
    expect(after.totalGap).toBe(before.totalGap - 1 - c7Gap);

    // Raising C2 above the chair's level opens a gap there, one requirement at a time.
    const c2 = after.items.find((i) => i.code === 'C2')!;
    await putOne(
      before.profile.id,
      'C2',
      { requiredLevel: 5, critical: true },
      t.tokens.admin,
    ).expect(200);
    const raised = await gaps();
    expect(raised.items.find((i) => i.code === 'C2')).toMatchObject({
      requiredLevel: 5,
      critical: true,
      gap: 5 - (c2.currentLevel ?? 0),
    });
    // Both edits are in the confederation's audit log.
    expect(await auditOf(before.profile.id, t.tokens.admin)).toHaveLength(2);
  });
});
