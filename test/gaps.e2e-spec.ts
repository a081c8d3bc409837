import { randomBytes } from 'node:crypto';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';

interface Gap {
  code: string;
  lineageId: string;
  ratedVersionId: string | null;
  requiredLevel: number;
  critical: boolean;
  currentLevel: number | null;
  source: string | null;
  ratedOn: string | null;
  validUntil: string | null;
  ageDays: number | null;
  gap: number;
  courses: { code: string; level: number; reachesRequired: boolean }[];
}
interface Block {
  postType: string;
  post: { id: string } | null;
  orgUnit: { code: string; level: string; sector: string | null };
  versionId: string;
  profile: { orgLevel: string | null; sector: string | null } | null;
  totalGap: number;
  items: Gap[];
}
interface Heatmap {
  competencies: { code: string }[];
  rows: {
    orgUnit: { code: string };
    cells: { code: string; holders: number; below: number; share: number | null }[];
  }[];
  nextCursor: string | null;
}

const daysAgo = (n: number) =>
  new Date(Date.now() + 7 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);

describe('competency gaps and heatmaps (issue 4, item 7)', () => {
  let t: TestApp;
  let chair: string;
  let seededVersion: string;
  let courseIds: Record<string, string>;
  let seededCompetency: Record<string, string>;
  /** The day the demo's hr ratings were written: forty days before the day the test database was
   * seeded, which is yesterday in Vietnam when the run crosses midnight (17:00 UTC). */
  let seededHrOn: string;
  let seededHrAge: number;

  const personOf = async (email: string) =>
    (
      await t.dataSource.query<{ person_id: string }[]>(
        'SELECT person_id FROM user_accounts WHERE email = $1',
        [email],
      )
    )[0].person_id;
  /** The current chair of a demo grassroots union. */
  const chairOf = async (unitCode: string) =>
    (
      await t.dataSource.query<{ person_id: string }[]>(
        `SELECT a.person_id FROM appointments a JOIN posts p ON p.id = a.post_id
           JOIN org_units o ON o.id = p.org_unit_id
          WHERE o.code = $1 AND p.post_type = 'chair' AND a.end_date IS NULL`,
        [unitCode],
      )
    )[0].person_id;
  const rate = (personId: string, versionId: string, body: object) =>
    t.http
      .post(`/api/v1/people/${personId}/ratings`)
      .set(bearer(t.tokens.hrHanoi))
      .send({ versionId, ...body })
      .expect(201);

  beforeAll(async () => {
    t = await createTestApp();
    chair = await personOf('chutich.mayhadong@lms.congdoan.test');
    const [v] = await t.dataSource.query<{ id: string }[]>(
      `SELECT v.id FROM framework_versions v JOIN competency_frameworks f ON f.id = v.framework_id
        WHERE f.code = 'KNL-CTCĐCS' AND v.version_no = 1`,
    );
    seededVersion = v.id;
    const courses = await t.dataSource.query<{ id: string; code: string }[]>(
      `SELECT id, code FROM courses WHERE code IN ('K01', 'K02', 'K03', 'K04', 'K05')`,
    );
    courseIds = Object.fromEntries(courses.map((c) => [c.code, c.id]));
    const comps = await t.dataSource.query<{ id: string; code: string }[]>(
      `SELECT id, code FROM competencies WHERE version_id = $1`,
      [seededVersion],
    );
    seededCompetency = Object.fromEntries(comps.map((c) => [c.code, c.id]));
    const [hrOn] = await t.dataSource.query<{ day: string }[]>(
      `SELECT to_char(min(rated_on), 'YYYY-MM-DD') AS day FROM competency_ratings
        WHERE person_id = $1 AND source = 'hr' AND note LIKE 'Đánh giá sau kỳ kiểm tra%'`,
      [chair],
    );
    seededHrOn = hrOn.day;
    seededHrAge = [40, 41].find((n) => daysAgo(n) === seededHrOn) ?? -1;
    expect(seededHrAge).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('course → competency links', () => {
    it('are seeded for the starter courses, by lineage', async () => {
      const res = await t.http
        .get(`/api/v1/courses/${courseIds.K01}/competencies`)
        .set(bearer(t.tokens.officerHanoi))
        .expect(200);
      expect(res.body.items.map((i: { code: string; level: number }) => [i.code, i.level])).toEqual(
        [
          ['C1', 3],
          ['C2', 3],
          ['C5', 3],
        ],
      );
      expect(res.body.items[0]).toMatchObject({
        competencyId: seededCompetency.C1,
        competencyLineageId: seededCompetency.C1,
        versionId: seededVersion,
        frameworkCode: 'KNL-CTCĐCS',
        nameVi: expect.stringMatching(/\S/),
        nameEn: expect.stringMatching(/\S/),
      });
      for (const [code, comp] of [
        ['K02', 'C3'],
        ['K03', 'C4'],
        ['K04', 'C6'],
        ['K05', 'C7'],
      ]) {
        const r = await t.http
          .get(`/api/v1/courses/${courseIds[code]}/competencies`)
          .set(bearer(t.tokens.admin))
          .expect(200);
        expect(r.body.items.map((i: { code: string }) => i.code)).toEqual([comp]);
      }
    });

    it('are replaced on a published course by its officer', async () => {
      const put = (items: object[]) =>
        t.http
          .put(`/api/v1/courses/${courseIds.K03}/competencies`)
          .set(bearer(t.tokens.officerHanoi))
          .send({ items });
      const res = await put([
        { competencyId: seededCompetency.C4, level: 4 },
        { competencyId: seededCompetency.C7, level: 2 },
      ]).expect(200);
      expect(res.body.items.map((i: { code: string; level: number }) => [i.code, i.level])).toEqual(
        [
          ['C4', 4],
          ['C7', 2],
        ],
      );
      await put([{ competencyId: seededCompetency.C4, level: 3 }]).expect(200);
      const after = await t.http
        .get(`/api/v1/courses/${courseIds.K03}/competencies`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(
        after.body.items.map((i: { code: string; level: number }) => [i.code, i.level]),
      ).toEqual([['C4', 3]]);
    });

    it('refuses by role (403), by scope (404) and bad bodies (400/422)', async () => {
      const url = `/api/v1/courses/${courseIds.K01}/competencies`;
      const body = { items: [{ competencyId: seededCompetency.C1, level: 3 }] };
      expectError(await t.http.put(url).set(bearer(t.tokens.chair)).send(body), 403, 'FORBIDDEN');
      expectError(await t.http.put(url).set(bearer(t.tokens.hrHanoi)).send(body), 403, 'FORBIDDEN');
      expectError(await t.http.get(url).set(bearer(t.tokens.chair)), 403, 'FORBIDDEN');
      expectError(
        await t.http.put(url).set(bearer(t.tokens.officerBacNinh)).send(body),
        404,
        'COURSE_NOT_FOUND',
      );
      expectError(
        await t.http.get(url).set(bearer(t.tokens.officerBacNinh)),
        404,
        'COURSE_NOT_FOUND',
      );
      // A national course is readable from Bắc Ninh but not Hà Nội's to change.
      await t.http
        .get(`/api/v1/courses/${courseIds.K02}/competencies`)
        .set(bearer(t.tokens.officerBacNinh))
        .expect(200);
      expectError(
        await t.http
          .put(`/api/v1/courses/${courseIds.K02}/competencies`)
          .set(bearer(t.tokens.officerHanoi))
          .send(body),
        404,
        'COURSE_NOT_FOUND',
      );
      const put = (b: object) => t.http.put(url).set(bearer(t.tokens.officerHanoi)).send(b);
      expectError(await put({ items: [], extra: 1 }), 400, 'VALIDATION_FAILED', ['extra']);
      expectError(await put({ items: 'C1' }), 400, 'VALIDATION_FAILED', ['items']);
      expectError(
        await put({
          items: [
            { competencyId: 'C1', level: '3' },
            { competencyId: seededCompetency.C2, level: 0, note: 'x' },
            { competencyId: seededCompetency.C3, level: 11 },
          ],
        }),
        400,
        'VALIDATION_FAILED',
        ['items.0.competencyId', 'items.0.level', 'items.1.level', 'items.1.note', 'items.2.level'],
      );
      // Off the version's five-level scale, and the same competency twice.
      expectError(
        await put({
          items: [
            { competencyId: seededCompetency.C1, level: 6 },
            { competencyId: seededCompetency.C1, level: 2 },
          ],
        }),
        400,
        'VALIDATION_FAILED',
        ['items.0.level', 'items.1.competencyId'],
      );
      expectError(
        await put({ items: [{ competencyId: '00000000-0000-4000-8000-000000000000', level: 1 }] }),
        422,
        'COURSE_COMPETENCY_UNKNOWN',
        ['items.0.competencyId'],
      );
      expectError(
        await t.http
          .get('/api/v1/courses/00000000-0000-4000-8000-000000000000/competencies')
          .set(bearer(t.tokens.officerHanoi)),
        404,
        'COURSE_NOT_FOUND',
      );
      // Nothing was changed by the refusals.
      const res = await t.http.get(url).set(bearer(t.tokens.officerHanoi)).expect(200);
      expect(res.body.items.map((i: { code: string }) => i.code)).toEqual(['C1', 'C2', 'C5']);
    });
  });

  describe('a person’s gaps', () => {
    it('measures the demo chair against the chair profile of their post, with the courses', async () => {
      // The seed: self-rating 75 days ago (C1 3, C2 3, C3 2, C4 3, C5 3, C6 2, C7 3), hr 40 days
      // ago (C1 3, C3 2). Today hr rates C2 at 1: the latest valid evidence wins.
      await rate(chair, seededVersion, { ratings: [{ competencyCode: 'C2', level: 1 }] });
      const res = await t.http
        .get(`/api/v1/people/${chair}/gaps`)
        .set(bearer(t.tokens.chair))
        .expect(200);
      const blocks = res.body.blocks as Block[];
      expect(blocks).toHaveLength(1);
      const [b] = blocks;
      expect(b).toMatchObject({
        postType: 'chair',
        post: expect.objectContaining({ id: expect.any(String) }),
        orgUnit: { code: 'HN-HD-MAY', level: 'grassroots', sector: 'private' },
        versionId: seededVersion,
        profile: { orgLevel: 'grassroots', sector: null },
      });
      const byCode = Object.fromEntries(b.items.map((i) => [i.code, i]));
      expect(b.items.map((i) => i.code)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7']);
      expect(byCode.C1).toMatchObject({
        requiredLevel: 4,
        critical: true,
        currentLevel: 3,
        source: 'hr',
        ratedOn: seededHrOn,
        ageDays: seededHrAge,
        gap: 1,
      });
      expect(byCode.C2).toMatchObject({
        requiredLevel: 3,
        currentLevel: 1,
        source: 'hr',
        ageDays: 0,
        gap: 2,
      });
      expect(byCode.C3).toMatchObject({ requiredLevel: 3, currentLevel: 2, gap: 1 });
      expect(byCode.C5).toMatchObject({
        requiredLevel: 3,
        currentLevel: 3,
        source: 'self',
        gap: 0,
      });
      expect(byCode.C6).toMatchObject({ requiredLevel: 2, currentLevel: 2, gap: 0 });
      expect(b.totalGap).toBe(4);
      // K01 develops C1, C2 and C5 to level 3: it reaches C2's and C5's requirement, not C1's 4.
      expect(byCode.C1.courses).toEqual([
        expect.objectContaining({ code: 'K01', level: 3, reachesRequired: false }),
      ]);
      expect(byCode.C2.courses).toEqual([
        expect.objectContaining({ code: 'K01', level: 3, reachesRequired: true }),
      ]);
      expect(byCode.C5.courses.map((c) => c.code)).toEqual(['K01']);
      expect(byCode.C3.courses.map((c) => c.code)).toEqual(['K02']);
      expect(byCode.C7.courses.map((c) => c.code)).toEqual(['K05']);
      // hr of Hà Nội sees the same.
      const hr = await t.http
        .get(`/api/v1/people/${chair}/gaps`)
        .query({ versionId: seededVersion })
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(hr.body.blocks[0].totalGap).toBe(4);
    });

    it('counts missing evidence as level 0 and measures against a post type asked for', async () => {
      const viceChair = await chairOf('HN-HD-THPT');
      const res = await t.http
        .get(`/api/v1/people/${viceChair}/gaps`)
        .query({ postType: 'vice_chair', versionId: seededVersion })
        .set(bearer(t.tokens.officerHanoi))
        .expect(200);
      const [b] = res.body.blocks as Block[];
      expect(b).toMatchObject({
        postType: 'vice_chair',
        post: null,
        orgUnit: { code: 'HN-HD-THPT', level: 'grassroots' },
        profile: { orgLevel: 'grassroots', sector: null },
      });
      // Vice-chair profile: C1 3, C2 3, C3 2, C4 3, C5 2, C6 2, C7 2 — nothing rated.
      expect(b.items.map((i) => [i.code, i.currentLevel, i.gap])).toEqual([
        ['C1', null, 3],
        ['C2', null, 3],
        ['C3', null, 2],
        ['C4', null, 3],
        ['C5', null, 2],
        ['C6', null, 2],
        ['C7', null, 2],
      ]);
      expect(b.items[0]).toMatchObject({ source: null, ratedOn: null, ageDays: null });
      expect(b.totalGap).toBe(17);
      // The chair measured against the chair post they hold: the post block.
      const own = await t.http
        .get(`/api/v1/people/${chair}/gaps`)
        .query({ postType: 'chair' })
        .set(bearer(t.tokens.chair))
        .expect(200);
      expect(own.body.blocks).toHaveLength(1);
      expect(own.body.blocks[0].post).not.toBeNull();
      // No profile for that post type → 404.
      expectError(
        await t.http
          .get(`/api/v1/people/${chair}/gaps`)
          .query({ postType: 'women_head', versionId: seededVersion })
          .set(bearer(t.tokens.chair)),
        404,
        'ROLE_PROFILE_NOT_FOUND',
      );
    });

    it('refuses by role (403), by scope (404) and bad queries (400)', async () => {
      const other = await chairOf('HN-HD-THPT');
      expectError(
        await t.http.get(`/api/v1/people/${other}/gaps`).set(bearer(t.tokens.chair)),
        403,
        'FORBIDDEN',
      );
      expectError(
        await t.http.get(`/api/v1/people/${chair}/gaps`).set(bearer(t.tokens.officerBacNinh)),
        404,
        'PERSON_NOT_FOUND',
      );
      expectError(
        await t.http
          .get(`/api/v1/people/${chair}/gaps`)
          .query({ postType: 'boss', versionId: 'v1', extra: '1' })
          .set(bearer(t.tokens.chair)),
        400,
        'VALIDATION_FAILED',
        ['postType', 'versionId', 'extra'],
      );
      expectError(
        await t.http
          .get(`/api/v1/people/${chair}/gaps`)
          .query({ versionId: '00000000-0000-4000-8000-000000000000' })
          .set(bearer(t.tokens.chair)),
        404,
        'FRAMEWORK_VERSION_NOT_FOUND',
      );
      expectError(
        await t.http.get(`/api/v1/people/not-a-uuid/gaps`).set(bearer(t.tokens.chair)),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('a self-rating never erases other evidence (issue 11, item 4)', () => {
    /** A Hà Nội framework with one policy: X1..X5 on a three-level scale, each required at 3. */
    const frameworkWith = async (policy: object) => {
      const created = await t.http
        .post('/api/v1/frameworks')
        .set(bearer(t.tokens.hrHanoi))
        .send({
          code: `KNL-${randomBytes(3).toString('hex').toUpperCase()}`,
          nameVi: 'Khung thử chính sách',
          nameEn: 'Policy test framework',
          ownerOrgUnitId: await t.unitId('HN'),
          version: {
            scale: {
              proficientLevel: 2,
              levels: [
                { level: 1, nameVi: 'Nhận biết', nameEn: 'Aware' },
                { level: 2, nameVi: 'Vận dụng', nameEn: 'Applies' },
                { level: 3, nameVi: 'Dẫn dắt', nameEn: 'Leads' },
              ],
            },
            policy,
            domains: [{ code: 'A', nameVi: 'Chung', nameEn: 'General' }],
            competencies: ['X1', 'X2', 'X3', 'X4', 'X5'].map((code) => ({
              code,
              domainCode: 'A',
              nameVi: `Năng lực ${code}`,
              nameEn: `Competency ${code}`,
              indicators: [],
            })),
          },
        })
        .expect(201);
      const versionId = created.body.versions[0].id as string;
      await t.http
        .post('/api/v1/role-profiles')
        .set(bearer(t.tokens.hrHanoi))
        .send({
          versionId,
          postType: 'chair',
          orgLevel: 'grassroots',
          requirements: ['X1', 'X2', 'X3', 'X4', 'X5'].map((competencyCode) => ({
            competencyCode,
            requiredLevel: 3,
          })),
        })
        .expect(201);
      await t.http
        .post(`/api/v1/framework-versions/${versionId}/publish`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      const comps = await t.dataSource.query<{ id: string; code: string }[]>(
        `SELECT id, code FROM competencies WHERE version_id = $1`,
        [versionId],
      );
      return { versionId, competency: Object.fromEntries(comps.map((c) => [c.code, c.id])) };
    };
    /** Learning evidence as completions and graded attempts write it (source course/assessment). */
    const learning = (versionId: string, competencyId: string, source: string, level: number) =>
      t.dataSource.query(
        `INSERT INTO competency_ratings (person_id, competency_id, version_id, level, source,
                                         rated_on, valid_until, source_type, source_id)
         VALUES ($1, $2, $3, $4, $5, $6, ($6::date + interval '3 years')::date, 'enrolment',
                 gen_random_uuid())`,
        [chair, competencyId, versionId, level, source, daysAgo(20)],
      );
    const selfRate = (versionId: string, levels: Record<string, number>) =>
      t.http
        .post(`/api/v1/people/${chair}/ratings/self`)
        .set(bearer(t.tokens.chair))
        .send({
          versionId,
          ratings: Object.entries(levels).map(([competencyCode, level]) => ({
            competencyCode,
            level,
          })),
        })
        .expect(201);

    it.each([
      [{ kind: 'latest_valid' }],
      [{ kind: 'highest_valid_within_years', years: 2 }],
      [{ kind: 'supervisor_over_self' }],
    ])(
      'under %j a newer, higher self-rating leaves the gaps hr, a supervisor, a course and an assessment show',
      async (policy) => {
        const { versionId, competency } = await frameworkWith(policy);
        await rate(chair, versionId, { ratings: [{ competencyCode: 'X1', level: 1 }] });
        await t.http
          .post(`/api/v1/people/${chair}/ratings`)
          .set(bearer(t.tokens.officerHanoi))
          .send({ versionId, ratings: [{ competencyCode: 'X2', level: 2 }], ratedOn: daysAgo(30) })
          .expect(201);
        await learning(versionId, competency.X3, 'course', 2);
        await learning(versionId, competency.X4, 'assessment', 1);
        // Today, after all of it, the chair rates themself at the top of the scale.
        await selfRate(versionId, { X1: 3, X2: 3, X3: 3, X4: 3, X5: 3 });
        const res = await t.http
          .get(`/api/v1/people/${chair}/gaps`)
          .query({ versionId })
          .set(bearer(t.tokens.chair))
          .expect(200);
        const [b] = res.body.blocks as Block[];
        expect(b.items.map((i) => [i.code, i.currentLevel, i.source, i.gap])).toEqual([
          ['X1', 1, 'hr', 2],
          ['X2', 2, 'supervisor', 1],
          ['X3', 2, 'course', 1],
          ['X4', 1, 'assessment', 2],
          // Where nothing else is valid, the self-rating is the evidence there is.
          ['X5', 3, 'self', 0],
        ]);
        expect(b.items[1]).toMatchObject({ ratedOn: daysAgo(30), ageDays: 30 });
        expect(b.totalGap).toBe(6);
        // The person's current levels and the heatmap read the same evidence.
        const current = await t.http
          .get(`/api/v1/people/${chair}/competencies`)
          .query({ versionId })
          .set(bearer(t.tokens.chair))
          .expect(200);
        expect(
          (current.body.items as { code: string; level: number; source: string }[]).map((i) => [
            i.code,
            i.level,
            i.source,
          ]),
        ).toEqual([
          ['X1', 1, 'hr'],
          ['X2', 2, 'supervisor'],
          ['X3', 2, 'course'],
          ['X4', 1, 'assessment'],
          ['X5', 3, 'self'],
        ]);
        const heat = await t.http
          .get(`/api/v1/org-units/${await t.unitId('HN-HD')}/competency-heatmap`)
          .query({ versionId })
          .set(bearer(t.tokens.hrHanoi))
          .expect(200);
        const may = (heat.body as Heatmap).rows.find((r) => r.orgUnit.code === 'HN-HD-MAY')!;
        expect(may.cells.map((c) => [c.code, c.holders, c.below])).toEqual([
          ['X1', 1, 1],
          ['X2', 1, 1],
          ['X3', 1, 1],
          ['X4', 1, 1],
          ['X5', 1, 0],
        ]);
      },
    );

    it('the demo framework weighs hr over self, so the demo chair rating themself 5 closes no gap', async () => {
      const version = await t.http
        .get(`/api/v1/framework-versions/${seededVersion}`)
        .set(bearer(t.tokens.chair))
        .expect(200);
      expect(version.body.policy).toEqual({ kind: 'supervisor_over_self', years: null });
      const before = (
        await t.http
          .get(`/api/v1/people/${chair}/gaps`)
          .query({ versionId: seededVersion })
          .set(bearer(t.tokens.chair))
          .expect(200)
      ).body.blocks[0] as Block;
      await selfRate(seededVersion, { C1: 5, C2: 5, C3: 5, C4: 5, C5: 5, C6: 5, C7: 5 });
      const after = (
        await t.http
          .get(`/api/v1/people/${chair}/gaps`)
          .query({ versionId: seededVersion })
          .set(bearer(t.tokens.chair))
          .expect(200)
      ).body.blocks[0] as Block;
      const byCode = Object.fromEntries(after.items.map((i) => [i.code, i]));
      // hr rated C1 3 forty days ago (C1 requires 4): the gap stays, and says where it comes from.
      expect(byCode.C1).toMatchObject({
        currentLevel: 3,
        source: 'hr',
        ratedOn: seededHrOn,
        validUntil: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        gap: 1,
      });
      expect(byCode.C3).toMatchObject({ currentLevel: 2, source: 'hr', gap: 1 });
      // C4 had only the older self-rating: today's self-rating replaces it.
      expect(byCode.C4).toMatchObject({ currentLevel: 5, source: 'self', ratedOn: daysAgo(0) });
      const hrBacked = (blk: Block) =>
        blk.items.filter((i) => i.source === 'hr').map((i) => [i.code, i.currentLevel, i.gap]);
      expect(hrBacked(after)).toEqual(hrBacked(before));
    });
  });

  describe('the heatmap of a subtree', () => {
    let versionId: string;
    let hn: string;

    beforeAll(async () => {
      hn = await t.unitId('HN');
      // A Hà Nội framework of three competencies on a three-level scale, with a chair profile
      // for grassroots unions and a more specific one for FDI grassroots unions.
      const created = await t.http
        .post('/api/v1/frameworks')
        .set(bearer(t.tokens.hrHanoi))
        .send({
          code: `KNL-${randomBytes(3).toString('hex').toUpperCase()}`,
          nameVi: 'Khung thử',
          nameEn: 'Test framework',
          ownerOrgUnitId: hn,
          version: {
            scale: {
              proficientLevel: 2,
              levels: [
                { level: 1, nameVi: 'Nhận biết', nameEn: 'Aware' },
                { level: 2, nameVi: 'Vận dụng', nameEn: 'Applies' },
                { level: 3, nameVi: 'Dẫn dắt', nameEn: 'Leads' },
              ],
            },
            policy: { kind: 'latest_valid' },
            domains: [{ code: 'A', nameVi: 'Chung', nameEn: 'General' }],
            competencies: ['X1', 'X2', 'X3'].map((code) => ({
              code,
              domainCode: 'A',
              nameVi: `Năng lực ${code}`,
              nameEn: `Competency ${code}`,
              indicators: [],
            })),
          },
        })
        .expect(201);
      versionId = created.body.versions[0].id;
      const profile = (body: object) =>
        t.http
          .post('/api/v1/role-profiles')
          .set(bearer(t.tokens.hrHanoi))
          .send({ versionId, postType: 'chair', orgLevel: 'grassroots', ...body })
          .expect(201);
      await profile({
        requirements: [
          { competencyCode: 'X1', requiredLevel: 2 },
          { competencyCode: 'X2', requiredLevel: 3 },
        ],
      });
      await profile({
        sector: 'fdi',
        requirements: [
          { competencyCode: 'X1', requiredLevel: 3 },
          { competencyCode: 'X2', requiredLevel: 1 },
          { competencyCode: 'X3', requiredLevel: 2 },
        ],
      });
      await t.http
        .post(`/api/v1/framework-versions/${versionId}/publish`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      const r = (code: string, level: number) => ({ competencyCode: code, level });
      // HN-HD (upper): MAY private, THPT public service, HTX cooperative → profile X1 2, X2 3.
      await rate(await chairOf('HN-HD-MAY'), versionId, { ratings: [r('X1', 2), r('X2', 3)] });
      await rate(await chairOf('HN-HD-THPT'), versionId, { ratings: [r('X1', 1)] });
      // HTX: no evidence at all.
      // HN-KCN-TL (upper): CANON fdi → X1 3, X2 1, X3 2; DIEN state enterprise and COKHI
      // private → X1 2, X2 3.
      await rate(await chairOf('HN-TL-CANON'), versionId, {
        ratings: [r('X1', 3), r('X2', 1), r('X3', 1)],
      });
      await rate(await chairOf('HN-TL-DIEN'), versionId, { ratings: [r('X1', 2), r('X2', 2)] });
      const cokhi = await chairOf('HN-TL-COKHI');
      await rate(cokhi, versionId, { ratings: [r('X2', 3)] });
      // An expired X1 rating does not count: COKHI has no current X1.
      await rate(cokhi, versionId, {
        ratings: [r('X1', 3)],
        ratedOn: '2020-01-15',
        validUntil: '2021-01-15',
      });
    });

    const heatmap = (query: object = {}, token = t.tokens.hrHanoi, unit = hn) =>
      t.http
        .get(`/api/v1/org-units/${unit}/competency-heatmap`)
        .query({ versionId, ...query })
        .set(bearer(token));

    it('matches the ratings made in the test, cell by cell', async () => {
      const res = await heatmap().expect(200);
      const body = res.body as Heatmap;
      expect(body).toMatchObject({ postType: 'chair', versionId, nextCursor: null });
      expect(body.competencies.map((c) => c.code)).toEqual(['X1', 'X2', 'X3']);
      const cells = Object.fromEntries(
        body.rows.map((row) => [
          row.orgUnit.code,
          row.cells.map((c) => [c.code, c.holders, c.below, c.share]),
        ]),
      );
      // Rows follow the tree's sort order (sort_key), as the org-unit children list does.
      expect(Object.keys(cells).sort()).toEqual(['HN-HD', 'HN-KCN-TL']);
      // HN-HD: X1 below for THPT (1 < 2) and HTX (none); X2 below for THPT and HTX; X3 not required.
      expect(cells['HN-HD']).toEqual([
        ['X1', 3, 2, 0.6667],
        ['X2', 3, 2, 0.6667],
        ['X3', 0, 0, null],
      ]);
      // HN-KCN-TL: X1 below for COKHI (expired); X2 below for DIEN (2 < 3); X3 required of CANON
      // only (FDI profile), who is at 1 < 2.
      expect(cells['HN-KCN-TL']).toEqual([
        ['X1', 3, 1, 0.3333],
        ['X2', 3, 1, 0.3333],
        ['X3', 1, 1, 1],
      ]);
    });

    it('pages the rows, narrows to a lower subtree, and answers other post types', async () => {
      const first = (await heatmap({ limit: 1 }).expect(200)).body as Heatmap;
      const all = ((await heatmap().expect(200)).body as Heatmap).rows.map((r) => r.orgUnit.code);
      expect(first.rows.map((r) => r.orgUnit.code)).toEqual([all[0]]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = (await heatmap({ limit: 1, cursor: first.nextCursor }).expect(200))
        .body as Heatmap;
      expect(second.rows.map((r) => r.orgUnit.code)).toEqual([all[1]]);
      expect(second.nextCursor).toBeNull();
      // A subtree one level down: the grassroots unions of HN-HD are the rows.
      const hd = (await heatmap({}, t.tokens.officerHanoi, await t.unitId('HN-HD')).expect(200))
        .body as Heatmap;
      expect(hd.rows.map((r) => [r.orgUnit.code, r.cells[0].holders, r.cells[0].below])).toEqual(
        expect.arrayContaining([
          ['HN-HD-MAY', 1, 0],
          ['HN-HD-THPT', 1, 1],
          ['HN-HD-HTX', 1, 1],
        ]),
      );
      // Another post type: vice-chairs have no profile in this version → empty cells.
      const vice = (await heatmap({ postType: 'vice_chair' }).expect(200)).body as Heatmap;
      expect(vice.rows.every((r) => r.cells.every((c) => c.holders === 0))).toBe(true);
    });

    it('refuses by role (403), by scope (404) and bad queries (400)', async () => {
      expectError(await heatmap({}, t.tokens.chair), 403, 'FORBIDDEN');
      expectError(await heatmap({}, t.tokens.officerBacNinh), 404, 'ORG_UNIT_NOT_FOUND');
      expectError(
        await heatmap({}, t.tokens.hrHanoi, await t.unitId('BN')),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await heatmap({ postType: 'boss', limit: 0, versionId: 'x', extra: 1 }),
        400,
        'VALIDATION_FAILED',
        ['postType', 'limit', 'versionId', 'extra'],
      );
      expectError(await heatmap({ cursor: 'nonsense' }), 400, 'INVALID_CURSOR');
      // A version Bắc Ninh cannot read, asked for over Bắc Ninh's own subtree.
      expectError(
        await heatmap({}, t.tokens.officerBacNinh, await t.unitId('BN')),
        404,
        'FRAMEWORK_VERSION_NOT_FOUND',
      );
    });
  });

  describe('a new framework version keeps everyone’s levels (issue 11, item 9)', () => {
    interface Cell {
      code: string;
      holders: number;
      below: number;
    }
    const gapsOf = async (personId: string, versionId: string) =>
      (
        await t.http
          .get(`/api/v1/people/${personId}/gaps`)
          .query({ versionId })
          .set(bearer(t.tokens.hrHanoi))
          .expect(200)
      ).body.blocks[0] as Block & {
        items: (Gap & { lineageId: string; ratedVersionId: string })[];
      };
    const heatOf = async (versionId: string) => {
      const res = await t.http
        .get(`/api/v1/org-units/${await t.unitId('HN')}/competency-heatmap`)
        .query({ versionId })
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      return Object.fromEntries(
        (res.body as Heatmap).rows.map((r) => [
          r.orgUnit.code,
          (r.cells as Cell[]).map((c) => [c.code, c.holders, c.below]),
        ]),
      );
    };
    /** What must not move: the level, where it came from, when, and the gap. */
    const evidenceOf = (b: Block) =>
      b.items.map((i) => [i.code, i.currentLevel, i.source, i.ratedOn, i.gap, i.requiredLevel]);

    it('v2 = v1 + one competency: gaps and the heatmap carry over, the new one is unrated; also after v1 retires', async () => {
      const thpt = await chairOf('HN-HD-THPT');
      const htx = await chairOf('HN-HD-HTX');
      // Evidence against v1 from three sources, besides the demo chair's seeded ratings.
      await rate(thpt, seededVersion, {
        ratings: [
          { competencyCode: 'C1', level: 4 },
          { competencyCode: 'C2', level: 3 },
        ],
      });
      await t.dataSource.query(
        `INSERT INTO competency_ratings (person_id, competency_id, version_id, level, source,
                                         rated_on, valid_until, source_type, source_id)
         VALUES ($1, $2, $3, 3, 'course', $4, ($4::date + interval '3 years')::date,
                 'enrolment', gen_random_uuid())`,
        [htx, seededCompetency.C4, seededVersion, daysAgo(15)],
      );
      const before = {
        chair: await gapsOf(chair, seededVersion),
        thpt: await gapsOf(thpt, seededVersion),
        htx: await gapsOf(htx, seededVersion),
        heat: await heatOf(seededVersion),
      };
      expect(before.thpt.items.find((i) => i.code === 'C1')).toMatchObject({
        currentLevel: 4,
        source: 'hr',
      });

      // The confederation copies v1, adds C8 and requires it of chairs, and publishes v2.
      const draft = await t.http
        .post(`/api/v1/framework-versions/${seededVersion}/new-version`)
        .set(bearer(t.tokens.admin))
        .expect(201);
      const v2 = draft.body.id as string;
      await t.http
        .put(`/api/v1/framework-versions/${v2}/competencies/C8`)
        .set(bearer(t.tokens.admin))
        .send({
          domainCode: 'D2',
          nameVi: 'An toàn, vệ sinh lao động',
          nameEn: 'Occupational safety and health',
          indicators: [],
        })
        .expect(200);
      const profile = await t.http
        .get('/api/v1/role-profiles/resolve')
        .query({ versionId: v2, postType: 'chair', orgLevel: 'grassroots' })
        .set(bearer(t.tokens.admin))
        .expect(200);
      await t.http
        .put(`/api/v1/role-profiles/${profile.body.id}/requirements/C8`)
        .set(bearer(t.tokens.admin))
        .send({ requiredLevel: 2 })
        .expect(200);
      await t.http
        .post(`/api/v1/framework-versions/${v2}/publish`)
        .set(bearer(t.tokens.admin))
        .expect(200);

      const check = async () => {
        for (const [who, personId] of [
          ['chair', chair],
          ['thpt', thpt],
          ['htx', htx],
        ] as const) {
          const after = await gapsOf(personId, v2);
          expect(after.versionId).toBe(v2);
          expect(evidenceOf(after).slice(0, 7)).toEqual(evidenceOf(before[who]));
          const c8 = after.items[7];
          expect(c8).toMatchObject({ code: 'C8', currentLevel: null, source: null, gap: 2 });
          expect(after.totalGap).toBe(before[who].totalGap + 2);
          // The same lineage, a new competency row, evidence made against v1.
          for (const [i, item] of after.items.slice(0, 7).entries()) {
            expect(item.lineageId).toBe(before[who].items[i].lineageId);
            if (item.currentLevel !== null) expect(item.ratedVersionId).toBe(seededVersion);
          }
        }
        const heat = await heatOf(v2);
        for (const [unit, cells] of Object.entries(before.heat)) {
          expect(heat[unit].slice(0, 7)).toEqual(cells);
          // Every chair below the unit is now measured on C8, and nobody has evidence of it.
          const holders = (heat[unit][0] as [string, number, number])[1];
          expect(heat[unit][7]).toEqual(['C8', holders, holders]);
        }
      };
      await check();
      const current = await t.http
        .get(`/api/v1/people/${thpt}/competencies`)
        .query({ versionId: v2 })
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(current.body.items[0]).toMatchObject({
        code: 'C1',
        level: 4,
        source: 'hr',
        ratedVersionId: seededVersion,
      });
      // Retiring v1 keeps its evidence counting for v2.
      await t.http
        .post(`/api/v1/framework-versions/${seededVersion}/retire`)
        .set(bearer(t.tokens.admin))
        .expect(200);
      await check();
      // New evidence lands on v2 and counts there.
      await rate(thpt, v2, { ratings: [{ competencyCode: 'C8', level: 3 }] });
      const c8 = (await gapsOf(thpt, v2)).items.find((i) => i.code === 'C8');
      expect(c8).toMatchObject({ currentLevel: 3, source: 'hr', gap: 0, ratedVersionId: v2 });
    });

    it('a level the new scale lacks does not carry over; validity still applies', async () => {
      const created = await t.http
        .post('/api/v1/frameworks')
        .set(bearer(t.tokens.hrHanoi))
        .send({
          code: `KNL-${randomBytes(3).toString('hex').toUpperCase()}`,
          nameVi: 'Khung thử phiên bản',
          nameEn: 'Version test framework',
          ownerOrgUnitId: await t.unitId('HN'),
          version: {
            scale: {
              proficientLevel: 2,
              levels: [
                { level: 1, nameVi: 'Nhận biết', nameEn: 'Aware' },
                { level: 2, nameVi: 'Vận dụng', nameEn: 'Applies' },
                { level: 3, nameVi: 'Dẫn dắt', nameEn: 'Leads' },
              ],
            },
            policy: { kind: 'supervisor_over_self' },
            domains: [{ code: 'A', nameVi: 'Chung', nameEn: 'General' }],
            competencies: ['X1', 'X2', 'X3'].map((code) => ({
              code,
              domainCode: 'A',
              nameVi: `Năng lực ${code}`,
              nameEn: `Competency ${code}`,
              indicators: [],
            })),
          },
        })
        .expect(201);
      const v1 = created.body.versions[0].id as string;
      await t.http
        .post(`/api/v1/framework-versions/${v1}/publish`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      const thpt = await chairOf('HN-HD-THPT');
      await rate(thpt, v1, {
        ratings: [
          { competencyCode: 'X1', level: 3 },
          { competencyCode: 'X2', level: 2 },
        ],
      });
      // Expired evidence stays expired in every version.
      await rate(thpt, v1, {
        ratings: [{ competencyCode: 'X3', level: 2 }],
        ratedOn: '2020-01-15',
        validUntil: '2021-01-15',
      });
      const draft = await t.http
        .post(`/api/v1/framework-versions/${v1}/new-version`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(201);
      const v2 = draft.body.id as string;
      // The API keeps a copied scale; a scale change is made here in SQL to pin the rule.
      await t.dataSource.query(`DELETE FROM framework_levels WHERE version_id = $1 AND level = 3`, [
        v2,
      ]);
      await t.http
        .post(`/api/v1/framework-versions/${v2}/publish`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      const current = await t.http
        .get(`/api/v1/people/${thpt}/competencies`)
        .query({ versionId: v2 })
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(
        (current.body.items as { code: string; level: number | null }[]).map((i) => [
          i.code,
          i.level,
        ]),
      ).toEqual([
        ['X1', null],
        ['X2', 2],
        ['X3', null],
      ]);
    });
  });
});
