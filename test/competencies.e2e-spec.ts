import { randomBytes } from 'node:crypto';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';
import { todayVn } from '../src/common/dates/vietnam-dates';

const uniqueCode = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex').toUpperCase()}`;

/** A small framework: three levels, two domains, three competencies. */
const versionBody = (over: object = {}) => ({
  scale: {
    proficientLevel: 2,
    levels: [
      { level: 1, nameVi: 'Nhận biết', nameEn: 'Aware' },
      { level: 2, nameVi: 'Vận dụng', nameEn: 'Applies' },
      { level: 3, nameVi: 'Dẫn dắt', nameEn: 'Leads' },
    ],
  },
  policy: { kind: 'latest_valid' },
  domains: [
    { code: 'A', nameVi: 'Pháp luật', nameEn: 'Law' },
    { code: 'B', nameVi: 'Kỹ năng', nameEn: 'Skills' },
  ],
  competencies: [
    {
      code: 'X1',
      domainCode: 'A',
      nameVi: 'Pháp luật lao động',
      nameEn: 'Labour law',
      indicators: [
        { level: 1, textVi: 'Biết luật', textEn: 'Knows the law' },
        { level: 3, textVi: 'Hướng dẫn', textEn: 'Coaches' },
      ],
    },
    { code: 'X2', domainCode: 'B', nameVi: 'Đối thoại', nameEn: 'Dialogue', indicators: [] },
    { code: 'X3', domainCode: 'B', nameVi: 'Kỹ năng số', nameEn: 'Digital', indicators: [] },
  ],
  ...over,
});

interface Version {
  id: string;
  status: string;
  versionNo: number;
  competencies: { id: string; code: string; lineageId: string; indicators: unknown[] }[];
  scale: unknown[];
  domains: unknown[];
}

describe('competency frameworks, role profiles and ratings', () => {
  let t: TestApp;
  let vgcl: string;
  let hn: string;
  let hnHd: string;
  let chair: string;
  let hrHanoi: string;
  let bacNinhPerson: string;
  let hanoiCadre: string;
  let seededVersion: string;

  const admin = () => bearer(t.tokens.admin);
  const personOf = async (email: string) =>
    (
      await t.dataSource.query<{ person_id: string }[]>(
        'SELECT person_id FROM user_accounts WHERE email = $1',
        [email],
      )
    )[0].person_id;

  beforeAll(async () => {
    t = await createTestApp();
    vgcl = await t.unitId('VGCL');
    hn = await t.unitId('HN');
    hnHd = await t.unitId('HN-HD');
    chair = await personOf('chutich.mayhadong@lms.congdoan.test');
    hrHanoi = await personOf('hr.hanoi@lms.congdoan.test');
    const [bn] = await t.dataSource.query<{ id: string }[]>(
      `SELECT p.id FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE o.code = 'BN-KCN-YP' OR o.path LIKE (SELECT path FROM org_units WHERE code = 'BN-KCN-YP') || '%'
        LIMIT 1`,
    );
    bacNinhPerson = bn.id;
    const [hnp] = await t.dataSource.query<{ id: string }[]>(
      `SELECT p.id FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE o.code = 'HN-HD-THPT' LIMIT 1`,
    );
    hanoiCadre = hnp.id;
    const [v] = await t.dataSource.query<{ id: string }[]>(
      `SELECT v.id FROM framework_versions v JOIN competency_frameworks f ON f.id = v.framework_id
        WHERE f.code = 'KNL-CTCĐCS' AND v.version_no = 1`,
    );
    seededVersion = v.id;
  });

  afterAll(async () => {
    await t.close();
  });

  const createFramework = async (owner = hn, token = t.tokens.hrHanoi, body: object = {}) => {
    const res = await t.http
      .post('/api/v1/frameworks')
      .set(bearer(token))
      .send({
        code: uniqueCode('KNL'),
        nameVi: 'Khung thử',
        nameEn: 'Test framework',
        ownerOrgUnitId: owner,
        version: versionBody(),
        ...body,
      });
    expect(res.status).toBe(201);
    return res.body as { id: string; versions: { id: string; status: string }[] };
  };

  const versionOf = async (id: string, token = t.tokens.hrHanoi) =>
    (await t.http.get(`/api/v1/framework-versions/${id}`).set(bearer(token)).expect(200))
      .body as Version;

  const publish = (id: string, token = t.tokens.hrHanoi) =>
    t.http.post(`/api/v1/framework-versions/${id}/publish`).set(bearer(token));

  /** A framework of HN with version 1 published. */
  const publishedFramework = async (policy: object = { kind: 'latest_valid' }) => {
    const res = await t.http
      .post('/api/v1/frameworks')
      .set(bearer(t.tokens.hrHanoi))
      .send({
        code: uniqueCode('KNL'),
        nameVi: 'Khung thử',
        nameEn: 'Test framework',
        ownerOrgUnitId: hn,
        version: versionBody({ policy }),
      })
      .expect(201);
    const versionId = (res.body as { versions: { id: string }[] }).versions[0].id;
    await publish(versionId).expect(200);
    return versionOf(versionId);
  };

  describe('the seeded chair framework', () => {
    it('is published with C1–C7 in three domains, five levels and indicators in both languages', async () => {
      const v = await versionOf(seededVersion, t.tokens.chair);
      expect(v.status).toBe('published');
      expect(v.scale).toHaveLength(5);
      expect(v.domains).toHaveLength(3);
      expect(v.competencies.map((c) => c.code)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7']);
      expect(v.competencies.every((c) => c.indicators.length === 5)).toBe(true);
      expect(v).toMatchObject({ proficientLevel: 4, policy: { kind: 'supervisor_over_self' } });
    });

    it('shows the demo chair their current levels: hr over an older self-rating', async () => {
      const res = await t.http
        .get(`/api/v1/people/${chair}/competencies`)
        .query({ versionId: seededVersion })
        .set(bearer(t.tokens.chair))
        .expect(200);
      const items = res.body.items as { code: string; level: number; source: string }[];
      expect(items.find((i) => i.code === 'C1')).toMatchObject({ level: 3, source: 'hr' });
      expect(items.find((i) => i.code === 'C7')).toMatchObject({ level: 3, source: 'self' });
    });

    it('resolves the chair profile of a grassroots union', async () => {
      const res = await t.http
        .get('/api/v1/role-profiles/resolve')
        .query({
          versionId: seededVersion,
          postType: 'chair',
          orgLevel: 'grassroots',
          sector: 'fdi',
        })
        .set(bearer(t.tokens.chair))
        .expect(200);
      expect(res.body).toMatchObject({ postType: 'chair', orgLevel: 'grassroots', sector: null });
      expect(res.body.requirements[0]).toMatchObject({
        competencyCode: 'C1',
        requiredLevel: 4,
        critical: true,
      });
    });
  });

  describe('frameworks and versions', () => {
    it('creates a framework with version 1 as a draft, lists and reads it', async () => {
      const f = await createFramework();
      expect(f.versions).toEqual([expect.objectContaining({ status: 'draft', versionNo: 1 })]);
      const v = await versionOf(f.versions[0].id);
      expect(v.competencies.map((c) => c.code)).toEqual(['X1', 'X2', 'X3']);
      expect(v.competencies[0].indicators).toHaveLength(2);
      const list = await t.http.get('/api/v1/frameworks').set(bearer(t.tokens.hrHanoi)).expect(200);
      expect(list.body.items.map((x: { id: string }) => x.id)).toContain(f.id);
      await t.http.get(`/api/v1/frameworks/${f.id}`).set(bearer(t.tokens.chair)).expect(200);
    });

    it('publishing freezes a version: every write answers 409 FRAMEWORK_VERSION_LOCKED', async () => {
      const v = await publishedFramework();
      const locked = [
        t.http.patch(`/api/v1/framework-versions/${v.id}`).send({ proficientLevel: 3 }),
        t.http
          .put(`/api/v1/framework-versions/${v.id}/competencies/X9`)
          .send({ domainCode: 'A', nameVi: 'Mới', nameEn: 'New', indicators: [] }),
        t.http.put(`/api/v1/framework-versions/${v.id}/competencies/X1`).send({
          domainCode: 'A',
          nameVi: 'Đổi',
          nameEn: 'Changed',
          indicators: [],
        }),
        t.http.delete(`/api/v1/framework-versions/${v.id}/competencies/X1`),
        t.http
          .put(`/api/v1/framework-versions/${v.id}/domains/C`)
          .send({ nameVi: 'C', nameEn: 'C' }),
        t.http.delete(`/api/v1/framework-versions/${v.id}/domains/A`),
      ];
      for (const req of locked) {
        expectError(await req.set(bearer(t.tokens.hrHanoi)), 409, 'FRAMEWORK_VERSION_LOCKED');
      }
      const after = await versionOf(v.id);
      expect(after.competencies.map((c) => c.code)).toEqual(['X1', 'X2', 'X3']);
      // Publishing again is harmless.
      await publish(v.id).expect(200);
    });

    it('edits a draft, refuses to publish an empty one', async () => {
      const f = await createFramework();
      const id = f.versions[0].id;
      await t.http
        .put(`/api/v1/framework-versions/${id}/competencies/X4`)
        .set(bearer(t.tokens.hrHanoi))
        .send({
          domainCode: 'B',
          nameVi: 'Tài chính',
          nameEn: 'Finance',
          indicators: [{ level: 2, textVi: 'Lập dự toán', textEn: 'Drafts budgets' }],
        })
        .expect(200);
      await t.http
        .patch(`/api/v1/framework-versions/${id}`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ policy: { kind: 'highest_valid_within_years', years: 3 } })
        .expect(200);
      const v = await versionOf(id);
      expect(v.competencies.map((c) => c.code)).toEqual(['X1', 'X2', 'X3', 'X4']);
      expect(v).toMatchObject({ policy: { kind: 'highest_valid_within_years', years: 3 } });
      for (const code of ['X1', 'X2', 'X3', 'X4']) {
        await t.http
          .delete(`/api/v1/framework-versions/${id}/competencies/${code}`)
          .set(bearer(t.tokens.hrHanoi))
          .expect(204);
      }
      expectError(await publish(id), 422, 'FRAMEWORK_VERSION_EMPTY');
    });

    it('new-version copies everything into a draft; only one draft at a time', async () => {
      const v1 = await publishedFramework();
      await t.http
        .post('/api/v1/role-profiles')
        .set(bearer(t.tokens.hrHanoi))
        .send({
          versionId: v1.id,
          postType: 'chair',
          requirements: [{ competencyCode: 'X1', requiredLevel: 2, critical: true }],
        })
        .expect(201);
      const res = await t.http
        .post(`/api/v1/framework-versions/${v1.id}/new-version`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(201);
      const v2 = res.body as Version & { copiedFromId: string };
      expect(v2).toMatchObject({ status: 'draft', versionNo: 2, copiedFromId: v1.id });
      expect(v2.scale).toEqual(v1.scale);
      expect(v2.domains.map((d) => ({ ...(d as object), id: undefined }))).toEqual(
        v1.domains.map((d) => ({ ...(d as object), id: undefined })),
      );
      const strip = (c: Version['competencies'][number]) => ({ ...c, id: undefined });
      expect(v2.competencies.map(strip)).toEqual(v1.competencies.map(strip));
      expect(v2.competencies[0].id).not.toBe(v1.competencies[0].id);
      expect(v2.competencies[0].lineageId).toBe(v1.competencies[0].lineageId);
      const profiles = await t.http
        .get('/api/v1/role-profiles')
        .query({ versionId: v2.id })
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(profiles.body.items).toEqual([
        expect.objectContaining({
          postType: 'chair',
          requirements: [expect.objectContaining({ competencyCode: 'X1', requiredLevel: 2 })],
        }),
      ]);
      expectError(
        await t.http
          .post(`/api/v1/framework-versions/${v1.id}/new-version`)
          .set(bearer(t.tokens.hrHanoi)),
        409,
        'FRAMEWORK_DRAFT_EXISTS',
      );
      expectError(
        await t.http
          .post(`/api/v1/framework-versions/${v2.id}/new-version`)
          .set(bearer(t.tokens.hrHanoi)),
        422,
        'FRAMEWORK_VERSION_NOT_PUBLISHED',
      );
      // The draft is editable, the original is not.
      await t.http
        .put(`/api/v1/framework-versions/${v2.id}/domains/C`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ nameVi: 'Mới', nameEn: 'New' })
        .expect(200);
    });

    it('owns frameworks only at the confederation or a federation', async () => {
      expectError(
        await t.http
          .post('/api/v1/frameworks')
          .set(bearer(t.tokens.hrHanoi))
          .send({
            code: uniqueCode('KNL'),
            nameVi: 'Khung',
            nameEn: 'Framework',
            ownerOrgUnitId: hnHd,
            version: versionBody(),
          }),
        422,
        'FRAMEWORK_OWNER_LEVEL_INVALID',
      );
      const upper = await t.http
        .post('/api/v1/frameworks')
        .set(bearer(t.tokens.hrHanoi))
        .send({
          code: uniqueCode('KNL'),
          nameVi: 'Khung',
          nameEn: 'Framework',
          ownerOrgUnitId: hnHd,
          version: versionBody(),
        });
      expect(upper.body.details).toEqual([
        {
          field: 'ownerOrgUnitId',
          message:
            'Đơn vị này là công đoàn cấp trên trực tiếp cơ sở; khung năng lực chỉ thuộc Tổng Liên đoàn, liên đoàn lao động tỉnh, thành phố hoặc công đoàn ngành trung ương.',
        },
      ]);
      await createFramework(vgcl, t.tokens.admin);
      const code = uniqueCode('KNL');
      await createFramework(hn, t.tokens.hrHanoi, { code });
      expectError(
        await t.http
          .post('/api/v1/frameworks')
          .set(bearer(t.tokens.hrHanoi))
          .send({ code, nameVi: 'K', nameEn: 'F', ownerOrgUnitId: hn, version: versionBody() }),
        409,
        'FRAMEWORK_CODE_TAKEN',
      );
    });

    it('refuses by role (403) and by scope (404)', async () => {
      const f = await createFramework();
      const draft = f.versions[0].id;
      // Learners and training officers cannot manage frameworks.
      for (const token of [t.tokens.chair, t.tokens.officerHanoi]) {
        expectError(
          await t.http.post('/api/v1/frameworks').set(bearer(token)).send({
            code: 'X',
            nameVi: 'X',
            nameEn: 'X',
            ownerOrgUnitId: hn,
            version: versionBody(),
          }),
          403,
          'FORBIDDEN',
        );
        expectError(await publish(draft, token), 403, 'FORBIDDEN');
      }
      // hr of Hà Nội reads the national framework but may not change it.
      expectError(await publish(seededVersion, t.tokens.hrHanoi), 403, 'FORBIDDEN');
      expectError(
        await t.http
          .post(`/api/v1/framework-versions/${seededVersion}/retire`)
          .set(bearer(t.tokens.hrHanoi)),
        403,
        'FORBIDDEN',
      );
      // Bắc Ninh sees nothing of a Hà Nội framework.
      expectError(
        await t.http
          .get(`/api/v1/framework-versions/${draft}`)
          .set(bearer(t.tokens.officerBacNinh)),
        404,
        'FRAMEWORK_VERSION_NOT_FOUND',
      );
      expectError(
        await t.http.get(`/api/v1/frameworks/${f.id}`).set(bearer(t.tokens.officerBacNinh)),
        404,
        'FRAMEWORK_NOT_FOUND',
      );
      const list = await t.http
        .get('/api/v1/frameworks')
        .set(bearer(t.tokens.officerBacNinh))
        .expect(200);
      const ids = list.body.items.map((x: { id: string }) => x.id);
      expect(ids).not.toContain(f.id);
      expect(list.body.items.map((x: { code: string }) => x.code)).toContain('KNL-CTCĐCS');
      // hr of Hà Nội cannot own a framework at Bắc Ninh.
      expectError(
        await t.http
          .post('/api/v1/frameworks')
          .set(bearer(t.tokens.hrHanoi))
          .send({
            code: uniqueCode('KNL'),
            nameVi: 'K',
            nameEn: 'F',
            ownerOrgUnitId: await t.unitId('BN'),
            version: versionBody(),
          }),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await t.http.get(`/api/v1/framework-versions/not-a-uuid`).set(admin()),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('answers 400 with details for bad bodies', async () => {
      const post = (body: object) =>
        t.http.post('/api/v1/frameworks').set(bearer(t.tokens.hrHanoi)).send(body);
      const base = {
        code: uniqueCode('KNL'),
        nameVi: 'K',
        nameEn: 'F',
        ownerOrgUnitId: hn,
        version: versionBody(),
      };
      const comp = versionBody().competencies;
      const cases: [object, string[]][] = [
        [{ ...base, code: 42, extra: true }, ['code', 'extra']],
        [{ ...base, ownerOrgUnitId: 'x', nameVi: '  ' }, ['ownerOrgUnitId', 'nameVi']],
        [{ code: 'A' }, ['nameVi', 'nameEn', 'ownerOrgUnitId', 'version']],
        [
          {
            ...base,
            version: versionBody({ competencies: [comp[0], { ...comp[1], code: 'X1' }] }),
          },
          ['version.competencies.1.code'],
        ],
        [
          {
            ...base,
            version: versionBody({
              competencies: [
                {
                  ...comp[0],
                  domainCode: 'Z',
                  indicators: [{ level: 4, textVi: 'a', textEn: 'b' }],
                },
              ],
            }),
          },
          ['version.competencies.0.domainCode', 'version.competencies.0.indicators.0.level'],
        ],
        [
          {
            ...base,
            version: versionBody({
              scale: { proficientLevel: 5, levels: versionBody().scale.levels.slice(1) },
            }),
          },
          ['version.scale.levels.0.level', 'version.scale.proficientLevel'],
        ],
        [
          { ...base, version: versionBody({ policy: { kind: 'highest_valid_within_years' } }) },
          ['version.policy.years'],
        ],
        [
          { ...base, version: versionBody({ policy: { kind: 'sometimes' }, domains: 'A' }) },
          ['version.policy.kind', 'version.domains'],
        ],
        [
          { ...base, version: { ...versionBody(), competencies: [{ ...comp[0], level: 2 }] } },
          ['version.competencies.0.level'],
        ],
      ];
      for (const [body, fields] of cases) {
        expectError(await post(body), 400, 'VALIDATION_FAILED', fields);
      }
      // Rules across fields read in Vietnamese, as the message above them does.
      const scaleOff = await post(cases[cases.length - 4][0]);
      expect(scaleOff.body.details).toEqual([
        {
          field: 'version.scale.levels.0.level',
          message: 'Các mức phải được đánh số liên tục từ 1 đến 2; ở vị trí này phải là mức 1.',
        },
        {
          field: 'version.scale.levels.1.level',
          message: 'Các mức phải được đánh số liên tục từ 1 đến 2; ở vị trí này phải là mức 2.',
        },
        {
          field: 'version.scale.proficientLevel',
          message: 'Mức thành thạo phải là một mức của thang (1–2).',
        },
        {
          field: 'version.competencies.0.indicators.1.level',
          message: 'Phải là một mức của thang (1–2).',
        },
      ]);
      const f = await createFramework();
      const id = f.versions[0].id;
      const put = (code: string, body: object) =>
        t.http
          .put(`/api/v1/framework-versions/${id}/competencies/${code}`)
          .set(bearer(t.tokens.hrHanoi))
          .send(body);
      expectError(await put('X9', { domainCode: 'A' }), 400, 'VALIDATION_FAILED', [
        'nameVi',
        'nameEn',
        'indicators',
      ]);
      expectError(
        await put('X9', {
          domainCode: 'Q',
          nameVi: 'a',
          nameEn: 'b',
          indicators: [{ level: 9, textVi: 'a', textEn: 'b' }],
        }),
        400,
        'VALIDATION_FAILED',
        ['body.domainCode', 'body.indicators.0.level'],
      );
      expectError(
        await put('bad code!', { domainCode: 'A', nameVi: 'a', nameEn: 'b', indicators: [] }),
        400,
        'VALIDATION_FAILED',
        ['code'],
      );
      expectError(
        await t.http
          .patch(`/api/v1/framework-versions/${id}`)
          .set(bearer(t.tokens.hrHanoi))
          .send({ proficientLevel: 7, policy: { kind: 'latest_valid', years: 2 } }),
        400,
        'VALIDATION_FAILED',
        ['policy.years'],
      );
      expectError(
        await t.http
          .patch(`/api/v1/framework-versions/${id}`)
          .set(bearer(t.tokens.hrHanoi))
          .send({ proficientLevel: 7 }),
        400,
        'VALIDATION_FAILED',
        ['proficientLevel'],
      );
    });
  });

  describe('role profiles', () => {
    it('creates profiles and resolves the most specific one', async () => {
      const v = await publishedFramework();
      const create = (body: object, token = t.tokens.hrHanoi) =>
        t.http
          .post('/api/v1/role-profiles')
          .set(bearer(token))
          .send({ versionId: v.id, postType: 'chair', ...body });
      const any = await create({
        requirements: [{ competencyCode: 'X1', requiredLevel: 1 }],
      }).expect(201);
      const grassroots = await create({
        orgLevel: 'grassroots',
        requirements: [{ competencyCode: 'X1', requiredLevel: 2, critical: true }],
      }).expect(201);
      const fdi = await create({
        orgLevel: 'grassroots',
        sector: 'fdi',
        requirements: [
          { competencyCode: 'X1', requiredLevel: 3, critical: true },
          { competencyCode: 'X2', requiredLevel: 2 },
        ],
      }).expect(201);
      const privateAny = await create({
        sector: 'private',
        requirements: [{ competencyCode: 'X3', requiredLevel: 2 }],
      }).expect(201);
      expectError(
        await create({
          orgLevel: 'grassroots',
          requirements: [{ competencyCode: 'X1', requiredLevel: 1 }],
        }),
        409,
        'ROLE_PROFILE_EXISTS',
      );
      expectError(
        await create({ requirements: [{ competencyCode: 'X1', requiredLevel: 1 }] }),
        409,
        'ROLE_PROFILE_EXISTS',
      );
      const resolve = async (q: object) =>
        (
          await t.http
            .get('/api/v1/role-profiles/resolve')
            .query({ versionId: v.id, postType: 'chair', ...q })
            .set(bearer(t.tokens.chair))
            .expect(200)
        ).body.id as string;
      expect(await resolve({ orgLevel: 'grassroots', sector: 'fdi' })).toBe(fdi.body.id);
      expect(await resolve({ orgLevel: 'grassroots', sector: 'private' })).toBe(grassroots.body.id);
      expect(await resolve({ orgLevel: 'upper', sector: 'private' })).toBe(privateAny.body.id);
      expect(await resolve({ orgLevel: 'upper' })).toBe(any.body.id);
      expectError(
        await t.http
          .get('/api/v1/role-profiles/resolve')
          .query({ versionId: v.id, postType: 'women_head' })
          .set(bearer(t.tokens.chair)),
        404,
        'ROLE_PROFILE_NOT_FOUND',
      );
      const one = await t.http
        .get(`/api/v1/role-profiles/${fdi.body.id}`)
        .set(bearer(t.tokens.officerHanoi))
        .expect(200);
      expect(one.body.requirements).toHaveLength(2);
      // Scope and role refusals.
      expectError(
        await t.http
          .get(`/api/v1/role-profiles/${fdi.body.id}`)
          .set(bearer(t.tokens.officerBacNinh)),
        404,
        'ROLE_PROFILE_NOT_FOUND',
      );
      expectError(
        await create(
          { postType: 'vice_chair', requirements: [{ competencyCode: 'X1', requiredLevel: 1 }] },
          t.tokens.officerHanoi,
        ),
        403,
        'FORBIDDEN',
      );
      expectError(
        await t.http
          .post('/api/v1/role-profiles')
          .set(bearer(t.tokens.hrHanoi))
          .send({
            versionId: seededVersion,
            postType: 'women_head',
            requirements: [{ competencyCode: 'C1', requiredLevel: 1 }],
          }),
        403,
        'FORBIDDEN',
      );
      // Bad bodies.
      expectError(
        await create({ postType: 'king', orgLevel: 'planet', sector: 1, requirements: [], x: 1 }),
        400,
        'VALIDATION_FAILED',
        ['postType', 'orgLevel', 'sector', 'requirements', 'x'],
      );
      expectError(
        await create({
          postType: 'vice_chair',
          requirements: [
            { competencyCode: 'X1', requiredLevel: 4 },
            { competencyCode: 'X1', requiredLevel: 1 },
            { competencyCode: 'NOPE', requiredLevel: 1 },
            { competencyCode: 'X2', requiredLevel: 0, critical: 'yes' },
          ],
        }),
        400,
        'VALIDATION_FAILED',
        ['requirements.3.requiredLevel', 'requirements.3.critical'],
      );
      expectError(
        await create({
          postType: 'vice_chair',
          requirements: [
            { competencyCode: 'X1', requiredLevel: 4 },
            { competencyCode: 'X1', requiredLevel: 1 },
            { competencyCode: 'NOPE', requiredLevel: 1 },
          ],
        }),
        400,
        'VALIDATION_FAILED',
        [
          'requirements.0.requiredLevel',
          'requirements.1.competencyCode',
          'requirements.2.competencyCode',
        ],
      );
    });
  });

  describe('ratings', () => {
    const all = (levels: number[]) =>
      ['X1', 'X2', 'X3'].map((competencyCode, i) => ({ competencyCode, level: levels[i] }));

    it('a chair rates themself against the whole version in one request', async () => {
      const v = await publishedFramework();
      const res = await t.http
        .post(`/api/v1/people/${chair}/ratings/self`)
        .set(bearer(t.tokens.chair))
        .send({
          versionId: v.id,
          ratings: [
            ...all([1, 2, 3]).slice(0, 2),
            { competencyId: v.competencies[2].id, level: 3, note: 'Tự tin' },
          ],
        })
        .expect(201);
      expect(res.body.items).toHaveLength(3);
      expect(res.body.items[0]).toMatchObject({
        source: 'self',
        raterPersonId: chair,
        competencyCode: 'X1',
        level: 1,
        versionId: v.id,
      });
      const r0 = res.body.items[0] as { ratedOn: string; validUntil: string };
      expect(Number(r0.validUntil.slice(0, 4)) - Number(r0.ratedOn.slice(0, 4))).toBe(1);
      // A missing competency: 422 naming it, in Vietnamese or in English.
      const incomplete = () =>
        t.http
          .post(`/api/v1/people/${chair}/ratings/self`)
          .set(bearer(t.tokens.chair))
          .send({ versionId: v.id, ratings: all([1, 2, 3]).slice(0, 2) });
      const vi = await incomplete();
      expectError(vi, 422, 'SELF_RATING_INCOMPLETE', ['ratings']);
      expect(vi.body.message).toBe(
        'Tự đánh giá phải gồm tất cả 3 năng lực của khung; còn thiếu X3.',
      );
      expect(vi.body.details).toEqual([
        { field: 'ratings', message: 'Chưa tự đánh giá năng lực X3.' },
      ]);
      const en = await incomplete().set('Accept-Language', 'en');
      expect(en.body.details).toEqual([
        { field: 'ratings', message: 'Competency X3 is not rated.' },
      ]);
      // Out of the scale, unknown and duplicate competencies: 400 with details.
      const wrong = await t.http
        .post(`/api/v1/people/${chair}/ratings/self`)
        .set(bearer(t.tokens.chair))
        .send({
          versionId: v.id,
          ratings: [
            { competencyCode: 'X1', level: 4 },
            { competencyCode: 'X1', level: 1 },
            { competencyCode: 'ZZ', level: 1 },
          ],
        });
      expectError(wrong, 400, 'VALIDATION_FAILED', [
        'ratings.0.level',
        'ratings.1',
        'ratings.2.competencyCode',
      ]);
      expect(wrong.body.details).toEqual([
        { field: 'ratings.0.level', message: 'Phải là một mức của thang (1–3).' },
        { field: 'ratings.1', message: 'Năng lực X1 được đánh giá hai lần.' },
        { field: 'ratings.2.competencyCode', message: 'Không phải năng lực của phiên bản này.' },
      ]);
      expectError(
        await t.http
          .post(`/api/v1/people/${chair}/ratings/self`)
          .set(bearer(t.tokens.chair))
          .send({ versionId: 'x', ratings: [{ level: '2', note: 5 }], extra: 1 }),
        400,
        'VALIDATION_FAILED',
        ['versionId', 'ratings.0.level', 'ratings.0.note', 'ratings.0.competencyCode', 'extra'],
      );
      expectError(
        await t.http
          .post(`/api/v1/people/${chair}/ratings/self`)
          .set(bearer(t.tokens.chair))
          .send({ versionId: v.id, ratings: [{ competencyCode: 'X1', level: 0 }] }),
        400,
        'VALIDATION_FAILED',
        ['ratings.0.level'],
      );
      // Nobody else submits a self-rating (403).
      expectError(
        await t.http
          .post(`/api/v1/people/${chair}/ratings/self`)
          .set(bearer(t.tokens.hrHanoi))
          .send({ versionId: v.id, ratings: all([1, 1, 1]) }),
        403,
        'SELF_RATING_OTHERS',
      );
    });

    it('refuses ratings against a draft or retired version (422)', async () => {
      const f = await createFramework();
      expectError(
        await t.http
          .post(`/api/v1/people/${chair}/ratings/self`)
          .set(bearer(t.tokens.chair))
          .send({ versionId: f.versions[0].id, ratings: all([1, 1, 1]) }),
        422,
        'FRAMEWORK_VERSION_NOT_PUBLISHED',
      );
      const v = await publishedFramework();
      await t.http
        .post(`/api/v1/framework-versions/${v.id}/retire`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expectError(
        await t.http
          .post(`/api/v1/people/${chair}/ratings/self`)
          .set(bearer(t.tokens.chair))
          .send({ versionId: v.id, ratings: all([1, 1, 1]) }),
        422,
        'FRAMEWORK_VERSION_RETIRED',
      );
      expectError(
        await t.http
          .post(`/api/v1/people/${chair}/ratings`)
          .set(bearer(t.tokens.hrHanoi))
          .send({ versionId: v.id, ratings: [{ competencyCode: 'X1', level: 2 }] }),
        422,
        'FRAMEWORK_VERSION_RETIRED',
      );
      expectError(
        await t.http
          .post('/api/v1/role-profiles')
          .set(bearer(t.tokens.hrHanoi))
          .send({
            versionId: v.id,
            postType: 'chair',
            requirements: [{ competencyCode: 'X1', requiredLevel: 1 }],
          }),
        422,
        'FRAMEWORK_VERSION_RETIRED',
      );
    });

    it('supervisor ratings: hr in scope (source hr), officer (source supervisor), others 404/403', async () => {
      const v = await publishedFramework();
      const rate = (person: string, token: string, body: object = {}) =>
        t.http
          .post(`/api/v1/people/${person}/ratings`)
          .set(bearer(token))
          .send({ versionId: v.id, ratings: [{ competencyCode: 'X2', level: 3 }], ...body });
      const byHr = await rate(hanoiCadre, t.tokens.hrHanoi).expect(201);
      expect(byHr.body.items[0]).toMatchObject({ source: 'hr', raterPersonId: hrHanoi, level: 3 });
      const byOfficer = await rate(hanoiCadre, t.tokens.officerHanoi, {
        ratedOn: '2026-01-15',
      }).expect(201);
      expect(byOfficer.body.items[0]).toMatchObject({
        source: 'supervisor',
        ratedOn: '2026-01-15',
        validUntil: '2028-01-15',
      });
      expectError(await rate(hanoiCadre, t.tokens.officerBacNinh), 404, 'PERSON_NOT_FOUND');
      const national = { versionId: seededVersion, ratings: [{ competencyCode: 'C2', level: 3 }] };
      await rate(bacNinhPerson, t.tokens.officerBacNinh, national).expect(201);
      expectError(await rate(bacNinhPerson, t.tokens.hrHanoi, national), 404, 'PERSON_NOT_FOUND');
      // A Hà Nội framework is not Bắc Ninh's to rate against.
      expectError(
        await rate(bacNinhPerson, t.tokens.officerBacNinh),
        404,
        'FRAMEWORK_VERSION_NOT_FOUND',
      );
      // A learner rates nobody (403, whatever the person).
      expectError(await rate(hanoiCadre, t.tokens.chair), 403, 'FORBIDDEN');
      expectError(await rate(hrHanoi, t.tokens.hrHanoi), 422, 'SUPERVISOR_RATING_SELF');
      const future = await rate(hanoiCadre, t.tokens.hrHanoi, { ratedOn: '2999-01-01' });
      expectError(future, 400, 'VALIDATION_FAILED', ['ratedOn']);
      expect(future.body.details).toEqual([
        { field: 'ratedOn', message: 'Ngày đánh giá không được sau hôm nay.' },
      ]);
      expectError(
        await rate(hanoiCadre, t.tokens.hrHanoi, { ratedOn: '2026-02-30', validUntil: 'soon' }),
        400,
        'VALIDATION_FAILED',
        ['ratedOn', 'validUntil'],
      );
      const backwards = await rate(hanoiCadre, t.tokens.hrHanoi, {
        ratedOn: '2026-03-01',
        validUntil: '2026-02-01',
      }).set('Accept-Language', 'en');
      expectError(backwards, 400, 'VALIDATION_FAILED', ['validUntil']);
      expect(backwards.body.details).toEqual([
        {
          field: 'validUntil',
          message: 'The valid-until date must be on or after the rating date.',
        },
      ]);
      expectError(
        await rate(hanoiCadre, t.tokens.hrHanoi, { ratings: [{ competencyCode: 'X2', level: 7 }] }),
        400,
        'VALIDATION_FAILED',
        ['ratings.0.level'],
      );
      // History: the person, or staff in scope; learners not for others (403), other provinces 404.
      const history = await t.http
        .get(`/api/v1/people/${hanoiCadre}/ratings`)
        .query({ limit: 1 })
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(history.body.items).toHaveLength(1);
      expect(history.body.items[0].source).toBe('hr');
      const next = await t.http
        .get(`/api/v1/people/${hanoiCadre}/ratings`)
        .query({ limit: 1, cursor: history.body.nextCursor })
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(next.body.items[0].source).toBe('supervisor');
      expectError(
        await t.http.get(`/api/v1/people/${hanoiCadre}/ratings`).set(bearer(t.tokens.chair)),
        403,
        'FORBIDDEN',
      );
      expectError(
        await t.http
          .get(`/api/v1/people/${hanoiCadre}/ratings`)
          .set(bearer(t.tokens.officerBacNinh)),
        404,
        'PERSON_NOT_FOUND',
      );
      expectError(
        await t.http
          .get(`/api/v1/people/${hanoiCadre}/competencies`)
          .query({ versionId: v.id })
          .set(bearer(t.tokens.officerBacNinh)),
        404,
        'PERSON_NOT_FOUND',
      );
      expectError(
        await t.http
          .get(`/api/v1/people/${hanoiCadre}/competencies`)
          .query({ versionId: v.id })
          .set(bearer(t.tokens.chair)),
        403,
        'FORBIDDEN',
      );
      expectError(
        await t.http.get(`/api/v1/people/${chair}/competencies`).set(bearer(t.tokens.chair)),
        400,
        'VALIDATION_FAILED',
        ['versionId'],
      );
      expectError(
        await t.http
          .get(`/api/v1/people/${hanoiCadre}/ratings`)
          .query({ cursor: 'garbage' })
          .set(bearer(t.tokens.hrHanoi)),
        400,
        'INVALID_CURSOR',
      );
    });

    /** Inserts evidence directly (append-only: only tests write the past this way). */
    const evidence = async (
      versionId: string,
      competencyId: string,
      rows: { level: number; source: string; ratedOn: string; validUntil: string }[],
    ) => {
      for (const r of rows) {
        await t.dataSource.query(
          `INSERT INTO competency_ratings (person_id, competency_id, version_id, level, source,
                                           rated_on, valid_until)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [hanoiCadre, competencyId, versionId, r.level, r.source, r.ratedOn, r.validUntil],
        );
      }
    };
    const currentOf = async (versionId: string) =>
      (
        await t.http
          .get(`/api/v1/people/${hanoiCadre}/competencies`)
          .query({ versionId })
          .set(bearer(t.tokens.hrHanoi))
          .expect(200)
      ).body as {
        policy: { kind: string };
        items: {
          code: string;
          level: number | null;
          source: string | null;
          ageDays: number | null;
        }[];
      };

    // The server dates ratings by the calendar day in Vietnam (UTC+7), not the UTC day.
    const today = new Date(`${todayVn()}T00:00:00Z`);
    const ago = (days: number) =>
      new Date(today.getTime() - days * 86_400_000).toISOString().slice(0, 10);
    const ahead = (days: number) => ago(-days);

    it('latest_valid: the newest rating still valid; expired evidence never counts', async () => {
      const v = await publishedFramework({ kind: 'latest_valid' });
      const [x1, x2, x3] = v.competencies.map((c) => c.id);
      await evidence(v.id, x1, [
        { level: 2, source: 'supervisor', ratedOn: ago(400), validUntil: ahead(300) },
        { level: 1, source: 'course', ratedOn: ago(30), validUntil: ahead(335) },
        // A newer self-rating does not replace other valid evidence, under any policy.
        { level: 3, source: 'self', ratedOn: ago(10), validUntil: ahead(355) },
      ]);
      await evidence(v.id, x2, [
        { level: 2, source: 'supervisor', ratedOn: ago(500), validUntil: ahead(200) },
        { level: 3, source: 'self', ratedOn: ago(400), validUntil: ago(35) },
      ]);
      await evidence(v.id, x3, [{ level: 3, source: 'hr', ratedOn: ago(900), validUntil: ago(1) }]);
      const cur = await currentOf(v.id);
      expect(cur.policy.kind).toBe('latest_valid');
      expect(cur.items.map((i) => [i.code, i.level, i.source])).toEqual([
        ['X1', 1, 'course'],
        ['X2', 2, 'supervisor'],
        ['X3', null, null],
      ]);
      expect(cur.items[0].ageDays).toBe(30);
    });

    it('highest_valid_within_years: the highest valid rating of the last N years', async () => {
      const v = await publishedFramework({ kind: 'highest_valid_within_years', years: 2 });
      const [x1, x2] = v.competencies.map((c) => c.id);
      await evidence(v.id, x1, [
        { level: 3, source: 'supervisor', ratedOn: ago(400), validUntil: ahead(300) },
        { level: 1, source: 'self', ratedOn: ago(30), validUntil: ahead(335) },
        // Higher, still valid, but older than two years: out of the window.
        { level: 3, source: 'course', ratedOn: ago(800), validUntil: ahead(300) },
      ]);
      await evidence(v.id, x2, [
        { level: 1, source: 'supervisor', ratedOn: ago(100), validUntil: ahead(600) },
        { level: 3, source: 'course', ratedOn: ago(800), validUntil: ahead(300) },
        { level: 3, source: 'hr', ratedOn: ago(300), validUntil: ago(2) },
      ]);
      const cur = await currentOf(v.id);
      expect(cur.items.map((i) => [i.code, i.level, i.source])).toEqual([
        ['X1', 3, 'supervisor'],
        ['X2', 1, 'supervisor'],
        ['X3', null, null],
      ]);
    });

    it('supervisor_over_self: a valid supervisor rating beats a newer self-rating', async () => {
      const v = await publishedFramework({ kind: 'supervisor_over_self' });
      const [x1, x2, x3] = v.competencies.map((c) => c.id);
      await evidence(v.id, x1, [
        { level: 2, source: 'supervisor', ratedOn: ago(300), validUntil: ahead(400) },
        { level: 3, source: 'self', ratedOn: ago(10), validUntil: ahead(355) },
        { level: 1, source: 'course', ratedOn: ago(5), validUntil: ahead(900) },
      ]);
      await evidence(v.id, x2, [
        // The supervisor's rating has expired: the self-rating is all that counts.
        { level: 1, source: 'supervisor', ratedOn: ago(800), validUntil: ago(70) },
        { level: 3, source: 'self', ratedOn: ago(10), validUntil: ahead(355) },
      ]);
      await evidence(v.id, x3, [
        { level: 2, source: 'self', ratedOn: ago(10), validUntil: ahead(355) },
        { level: 1, source: 'assessment', ratedOn: ago(200), validUntil: ahead(800) },
      ]);
      const cur = await currentOf(v.id);
      expect(cur.items.map((i) => [i.code, i.level, i.source])).toEqual([
        ['X1', 2, 'supervisor'],
        ['X2', 3, 'self'],
        ['X3', 1, 'assessment'],
      ]);
    });
  });

  it('writes every step of a framework version’s life to the audit log of its owner unit', async () => {
    const framework = await createFramework();
    const v1 = framework.versions[0].id;
    expect((await publish(v1)).status).toBe(200);
    const v2 = await t.http
      .post(`/api/v1/framework-versions/${v1}/new-version`)
      .set(bearer(t.tokens.hrHanoi))
      .expect(201);
    await t.http
      .post(`/api/v1/framework-versions/${v1}/retire`)
      .set(bearer(t.tokens.hrHanoi))
      .expect(200);
    const log = async (entityId: string) =>
      (
        await t.http
          .get(`/api/v1/audit?entityId=${entityId}`)
          .set(bearer(t.tokens.hrHanoi))
          .expect(200)
      ).body.items as { action: string; before: unknown; after: Record<string, unknown> }[];
    expect((await log(v1)).map((e) => [e.action, e.before, e.after.status])).toEqual([
      ['framework_version.retire', { status: 'published' }, 'retired'],
      ['framework_version.publish', { status: 'draft' }, 'published'],
      ['framework_version.create', null, 'draft'],
    ]);
    expect((await log(v2.body.id as string)).map((e) => [e.action, e.after.versionNo])).toEqual([
      ['framework_version.create', 2],
    ]);
  });
});
