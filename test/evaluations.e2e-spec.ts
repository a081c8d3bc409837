import { randomBytes } from 'node:crypto';
import { EvaluationsService } from '../src/evaluations/evaluations.service';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';

interface Evaluation {
  id: string;
  personId: string;
  year: number;
  revision: number;
  score: number;
  level: string;
  levelLabel: string;
  current: boolean;
  supersededAt: string | null;
  evaluatorPersonId: string;
  evaluatorName: string;
  comments: string | null;
  fullName?: string;
}
interface Warning {
  code: string;
  [key: string]: unknown;
}
interface UnitPage {
  items: Evaluation[];
  nextCursor: string | null;
  warnings: Warning[];
}

/**
 * Yearly evaluations of issue 4: levels from scores, revisions, and the warnings of a unit's
 * list. Each test that writes evaluates people of a grassroots union it creates under Hà Nội.
 */
describe('evaluations', () => {
  let t: TestApp;
  let hr: { Authorization: string };
  let hrPersonId: string;
  let hanoiPersonId: string;
  let bacNinhPersonId: string;
  const suffix = randomBytes(3).toString('hex').toUpperCase();
  let unitCount = 0;
  let idCount = 0;

  beforeAll(async () => {
    t = await createTestApp();
    hr = bearer(t.tokens.hrHanoi);
    hrPersonId = await personByEmail('hr.hanoi@example.vn');
    hanoiPersonId = await personByEmail('hn-hd-thpt-vice_chair@example.vn');
    bacNinhPersonId = await personByEmail('bn-ts-bv-chair@example.vn');
  });

  afterAll(async () => {
    await t.close();
  });

  async function personByEmail(email: string): Promise<string> {
    const rows = await t.dataSource.query<{ id: string }[]>(
      'SELECT id FROM people WHERE email = $1',
      [email],
    );
    if (!rows[0]) throw new Error(`no person ${email}`);
    return rows[0].id;
  }

  async function newUnit(): Promise<string> {
    const res = await t.http
      .post('/api/v1/org-units')
      .set(hr)
      .send({
        code: `T4E-${suffix}-${++unitCount}`,
        name: `Công đoàn cơ sở thử nghiệm xếp loại ${unitCount}`,
        level: 'grassroots',
        sector: 'state_enterprise',
        parentId: await t.unitId('HN-KCN-TL'),
      });
    if (res.status !== 201) throw new Error(`unit: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  /** People named so that the Vietnamese list order is their creation order (An, Bình, …). */
  const GIVEN = ['An', 'Bình', 'Cúc', 'Dung', 'Giang', 'Hòa', 'Khoa', 'Lan', 'Minh', 'Nga'];

  async function newPeople(unitId: string, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await t.http
        .post('/api/v1/people')
        .set(hr)
        .send({
          familyName: 'Trần',
          middleName: 'Thị',
          givenName: GIVEN[i],
          homeOrgUnitId: unitId,
          nationalId: `0014${String(90_000_000 + ++idCount).padStart(8, '0')}`,
        });
      if (res.status !== 201) throw new Error(`person: ${res.status} ${JSON.stringify(res.body)}`);
      ids.push((res.body as { id: string }).id);
    }
    return ids;
  }

  const record = (body: Record<string, unknown>, token = t.tokens.hrHanoi) =>
    t.http.post('/api/v1/evaluations').set(bearer(token)).send(body);

  async function evaluate(personId: string, year: number, score: number, comments?: string) {
    const res = await record({ personId, year, score, ...(comments ? { comments } : {}) });
    if (res.status !== 201) throw new Error(`evaluate: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Evaluation;
  }

  const unitList = async (unitId: string, query: Record<string, string | number>) =>
    (await t.http.get(`/api/v1/org-units/${unitId}/evaluations`).query(query).set(hr).expect(200))
      .body as UnitPage;

  it('derives the level from the score at every boundary', async () => {
    const unit = await newUnit();
    const people = await newPeople(unit, 6);
    const cases: [number, string, string][] = [
      [49.99, 'not_completed', 'Không hoàn thành nhiệm vụ'],
      [50, 'completed', 'Hoàn thành nhiệm vụ'],
      [69.99, 'completed', 'Hoàn thành nhiệm vụ'],
      [70, 'good', 'Hoàn thành tốt nhiệm vụ'],
      [89.99, 'good', 'Hoàn thành tốt nhiệm vụ'],
      [90, 'excellent', 'Hoàn thành xuất sắc nhiệm vụ'],
    ];
    for (const [i, [score, level, label]] of cases.entries()) {
      const e = await evaluate(people[i], 2025, score, 'Nhận xét của Ban Tổ chức');
      expect(e).toMatchObject({
        personId: people[i],
        year: 2025,
        revision: 1,
        score,
        level,
        levelLabel: label,
        current: true,
        supersededAt: null,
        evaluatorPersonId: hrPersonId,
        evaluatorName: 'Đinh Thị Thanh Bình',
        comments: 'Nhận xét của Ban Tổ chức',
      });
    }
  });

  it('keeps the old revision when a correction is recorded', async () => {
    const unit = await newUnit();
    const [person] = await newPeople(unit, 1);
    const first = await evaluate(person, 2024, 68);
    const second = await evaluate(person, 2024, 72.5, 'Điều chỉnh sau phúc tra');
    expect(second).toMatchObject({ revision: 2, level: 'good', current: true });
    await evaluate(person, 2025, 91);

    const res = await t.http.get(`/api/v1/people/${person}/evaluations`).set(hr).expect(200);
    const items = (res.body as { items: Evaluation[] }).items;
    expect(items.map((e) => [e.year, e.revision, e.current, e.score])).toEqual([
      [2025, 1, true, 91],
      [2024, 2, true, 72.5],
      [2024, 1, false, 68],
    ]);
    expect(items[2]).toMatchObject({ id: first.id, level: 'completed' });
    expect(items[2].supersededAt).toEqual(expect.any(String));

    const page = (
      await t.http
        .get(`/api/v1/people/${person}/evaluations`)
        .query({ limit: 2 })
        .set(hr)
        .expect(200)
    ).body as { items: Evaluation[]; nextCursor: string };
    expect(page.items).toHaveLength(2);
    const rest = (
      await t.http
        .get(`/api/v1/people/${person}/evaluations`)
        .query({ limit: 2, cursor: page.nextCursor })
        .set(hr)
        .expect(200)
    ).body as { items: Evaluation[]; nextCursor: string | null };
    expect(rest).toMatchObject({ items: [{ id: first.id }], nextCursor: null });

    // The unit's list shows the current revision only.
    const list = await unitList(unit, { year: 2024 });
    expect(list.items.map((e) => [e.personId, e.revision, e.score])).toEqual([[person, 2, 72.5]]);
  });

  it('keeps one current revision per person and year under concurrent corrections', async () => {
    const unit = await newUnit();
    const [person] = await newPeople(unit, 1);
    const results = await Promise.all(
      [60, 61, 62].map((score) => record({ personId: person, year: 2023, score })),
    );
    for (const r of results) expect([201, 409]).toContain(r.status);
    const rows = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM evaluations
        WHERE person_id = $1 AND year = 2023 AND superseded_at IS NULL`,
      [person],
    );
    expect(rows[0].n).toBe(1);
  });

  describe('identical submissions (issue 13, item 7c)', () => {
    const revisions = async (person: string, year: number) =>
      t.dataSource.query<{ revision: number; current: boolean; score: string }[]>(
        `SELECT revision, superseded_at IS NULL AS current, score::text AS score FROM evaluations
          WHERE person_id = $1 AND year = $2 ORDER BY revision`,
        [person, year],
      );
    const auditEntries = async (person: string) => {
      const [row] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM audit_log a
           JOIN evaluations e ON e.id = a.entity_id
          WHERE a.entity_type = 'evaluation' AND e.person_id = $1`,
        [person],
      );
      return row.n;
    };

    it('answers an identical correction with the current revision (200), writing nothing', async () => {
      const [person] = await newPeople(await newUnit(), 1);
      const first = await evaluate(person, 2024, 75, 'Hoàn thành tốt');
      const again = await record({
        personId: person,
        year: 2024,
        score: 75,
        comments: '  Hoàn thành tốt ',
      });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first);
      expect(await revisions(person, 2024)).toEqual([
        { revision: 1, current: true, score: '75.00' },
      ]);
      expect(await auditEntries(person)).toBe(1);
      // Other comments, or none, are a correction.
      const corrected = await record({ personId: person, year: 2024, score: 75 });
      expect(corrected.status).toBe(201);
      expect(corrected.body).toMatchObject({ revision: 2, comments: null, current: true });
    });

    it('makes one evaluation of 20 identical simultaneous first submissions', async () => {
      const [person] = await newPeople(await newUnit(), 1);
      const body = { personId: person, year: 2025, score: 82.5, comments: 'Đánh giá lần đầu' };
      const results = await Promise.all(Array.from({ length: 20 }, () => record(body)));
      expect(results.map((r) => r.status).sort((a, b) => b - a)).toEqual([
        201,
        ...Array(19).fill(200),
      ]);
      const ids = new Set(results.map((r) => (r.body as Evaluation).id));
      expect(ids.size).toBe(1);
      expect(await revisions(person, 2025)).toEqual([
        { revision: 1, current: true, score: '82.50' },
      ]);
      expect(await auditEntries(person)).toBe(1);
    });

    it('makes one revision of 20 identical simultaneous corrections', async () => {
      const [person] = await newPeople(await newUnit(), 1);
      await evaluate(person, 2025, 48);
      const body = { personId: person, year: 2025, score: 55 };
      const results = await Promise.all(Array.from({ length: 20 }, () => record(body)));
      expect(results.map((r) => r.status).sort((a, b) => b - a)).toEqual([
        201,
        ...Array(19).fill(200),
      ]);
      expect(await revisions(person, 2025)).toEqual([
        { revision: 1, current: false, score: '48.00' },
        { revision: 2, current: true, score: '55.00' },
      ]);
      expect(await auditEntries(person)).toBe(2);
    });
  });

  it('warns when "excellent" exceeds the cap of the subtree', async () => {
    const unit = await newUnit();
    const people = await newPeople(unit, 5);
    // One of five is 20 %: at the cap, not above it.
    for (const [i, score] of [95, 80, 75, 60, 88].entries()) await evaluate(people[i], 2025, score);
    expect((await unitList(unit, { year: 2025 })).warnings).toEqual([]);
    // Two of five is 40 %.
    await evaluate(people[1], 2025, 92);
    const list = await unitList(unit, { year: 2025 });
    expect(list.warnings).toEqual([
      { code: 'EXCELLENT_SHARE_ABOVE_CAP', share: 0.4, cap: 0.2, count: 2, total: 5 },
    ]);
    expect(list.items.map((e) => e.fullName)).toEqual(
      ['An', 'Bình', 'Cúc', 'Dung', 'Giang'].map((g) => `Trần Thị ${g}`),
    );
    // Every page carries the warnings of the whole subtree; the level filter narrows the items.
    const first = await unitList(unit, { year: 2025, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.warnings).toEqual(list.warnings);
    const second = await unitList(unit, { year: 2025, limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.personId)).toEqual([people[2], people[3]]);
    const excellent = await unitList(unit, { year: 2025, level: 'excellent' });
    expect(excellent.items.map((e) => e.personId)).toEqual([people[0], people[1]]);
    // The upper unit's subtree counts these people too.
    const upper = await unitList(await t.unitId('HN-KCN-TL'), { year: 2025, limit: 100 });
    expect(upper.items.map((e) => e.personId)).toEqual(expect.arrayContaining(people));
  });

  it('flags two consecutive "not completed" years, from current revisions only', async () => {
    const unit = await newUnit();
    const [twice, once, gap, corrected] = await newPeople(unit, 4);
    await evaluate(twice, 2024, 40);
    await evaluate(twice, 2025, 49.99);
    await evaluate(once, 2024, 75);
    await evaluate(once, 2025, 30);
    await evaluate(gap, 2023, 20);
    await evaluate(gap, 2024, 55);
    await evaluate(gap, 2025, 25);
    await evaluate(corrected, 2024, 45);
    await evaluate(corrected, 2025, 45);
    await evaluate(corrected, 2025, 52, 'Phúc tra: hoàn thành nhiệm vụ');

    const list = await unitList(unit, { year: 2025 });
    expect(list.warnings).toEqual([
      {
        code: 'CONSECUTIVE_NOT_COMPLETED',
        personId: twice,
        fullName: 'Trần Thị An',
        years: [2024, 2025],
      },
    ]);
    expect((await unitList(unit, { year: 2024 })).warnings).toEqual([]);
  });

  it('flags the seeded Bắc Ninh cadre with two "not completed" years', async () => {
    const flagged = await personByEmail('bn-ts-go-executive_member@example.vn');
    const res = await t.http
      .get(`/api/v1/org-units/${await t.unitId('BN')}/evaluations`)
      .query({ year: 2025, limit: 100 })
      .set(bearer(t.tokens.officerBacNinh))
      .expect(200);
    const body = res.body as UnitPage;
    expect(body.warnings).toContainEqual(
      expect.objectContaining({
        code: 'CONSECUTIVE_NOT_COMPLETED',
        personId: flagged,
        years: [2024, 2025],
      }),
    );
    expect(body.items.length).toBeGreaterThanOrEqual(18);
  });

  it('gives other modules the latest current evaluation per person in one call', async () => {
    const unit = await newUnit();
    const [a, b, never] = await newPeople(unit, 3);
    await evaluate(a, 2023, 95);
    await evaluate(a, 2024, 45);
    await evaluate(a, 2024, 55);
    await evaluate(b, 2025, 71);
    const latest = await t.app
      .get(EvaluationsService)
      .latestFor(t.dataSource.manager, [a, b, never]);
    expect(latest.get(a)).toEqual({
      personId: a,
      year: 2024,
      revision: 2,
      score: 55,
      level: 'completed',
    });
    expect(latest.get(b)).toMatchObject({ year: 2025, level: 'good' });
    expect(latest.has(never)).toBe(false);
  });

  it('refuses to let anyone evaluate themself', async () => {
    // hr.hanoi is a person of Hà Nội, inside their own scope.
    const res = await record({ personId: hrPersonId, year: 2025, score: 99 });
    expectError(res, 422, 'EVALUATION_SELF', ['personId']);
    expect(res.body.details).toEqual([
      { field: 'personId', message: 'Đây là hồ sơ của chính bạn; người khác phải đánh giá.' },
    ]);
  });

  describe('people out of service and impossible years (issue 11 item 14)', () => {
    const revisions = async (personId: string) =>
      (
        await t.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM evaluations WHERE person_id = $1',
          [personId],
        )
      )[0].n;

    it.each([
      ['retired', 'đã nghỉ hưu', 'retired'],
      ['inactive', 'đã thôi công tác', 'no longer in service'],
      ['deceased', 'đã từ trần', 'deceased'],
    ])(
      'refuses to evaluate a person whose status is %s, even to revise',
      async (status, vi, english) => {
        const [person] = await newPeople(await newUnit(), 1);
        await evaluate(person, 2024, 75);
        await t.http.patch(`/api/v1/people/${person}`).set(hr).send({ status }).expect(200);
        for (const year of [2024, 2025]) {
          const res = await record({ personId: person, year, score: 80 });
          expectError(res, 422, 'EVALUATION_PERSON_NOT_ACTIVE', ['personId']);
          expect(res.body.message).toBe(
            'Cán bộ không còn đang công tác nên không thể đánh giá, xếp loại.',
          );
          expect(res.body.details).toEqual([
            { field: 'personId', message: `Trạng thái của cán bộ: ${vi}.` },
          ]);
        }
        const inEnglish = await record({ personId: person, year: 2025, score: 80 }).set(
          'Accept-Language',
          'en',
        );
        expect(inEnglish.body.details).toEqual([
          { field: 'personId', message: `The person's status: ${english}.` },
        ]);
        expect(await revisions(person)).toBe(1);
        // Back in service, the person is evaluated again.
        await t.http
          .patch(`/api/v1/people/${person}`)
          .set(hr)
          .send({ status: 'active' })
          .expect(200);
        expect((await evaluate(person, 2025, 80)).revision).toBe(1);
      },
    );

    it('refuses a year before the person turned 16', async () => {
      const [person] = await newPeople(await newUnit(), 1);
      await t.http
        .patch(`/api/v1/people/${person}`)
        .set(hr)
        .send({ birthDate: '2008-03-01' })
        .expect(200);
      const res = await record({ personId: person, year: 2023, score: 70 });
      expectError(res, 422, 'EVALUATION_YEAR_BEFORE_MIN_AGE', ['year']);
      expect(res.body.message).toBe(
        'Cán bộ sinh ngày 01/03/2008 chưa đủ 16 tuổi trong năm 2023; năm đánh giá sớm nhất là 2024.',
      );
      expect(await revisions(person)).toBe(0);
      expect((await evaluate(person, 2024, 70)).year).toBe(2024);
    });

    it('refuses a score written with an exponent and too many decimals with 400, not 500', async () => {
      for (const score of [1e-7, 5e-3]) {
        expectError(
          await record({ personId: hanoiPersonId, year: 2025, score }),
          400,
          'VALIDATION_FAILED',
          ['score'],
        );
      }
    });

    it('names the allowed years in Vietnamese', async () => {
      const res = await record({ personId: hanoiPersonId, year: 1999, score: 80 });
      expectError(res, 400, 'VALIDATION_FAILED', ['year']);
      expect(res.body.details).toEqual([
        { field: 'year', message: 'Năm đánh giá phải từ năm 2000 đến năm sau.' },
      ]);
    });
  });

  describe('scope and roles', () => {
    it('answers 404 outside the caller’s scope', async () => {
      const officer = bearer(t.tokens.officerBacNinh);
      expectError(
        await t.http.get(`/api/v1/people/${hanoiPersonId}/evaluations`).set(officer),
        404,
        'PERSON_NOT_FOUND',
      );
      expectError(
        await t.http
          .get(`/api/v1/org-units/${await t.unitId('HN')}/evaluations`)
          .query({ year: 2025 })
          .set(officer),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await record({ personId: bacNinhPersonId, year: 2025, score: 80 }),
        404,
        'PERSON_NOT_FOUND',
      );
      expectError(
        await t.http
          .get(`/api/v1/org-units/${await t.unitId('BN')}/evaluations`)
          .query({ year: 2025 })
          .set(hr),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      await t.http.get(`/api/v1/people/${bacNinhPersonId}/evaluations`).set(officer).expect(200);
    });

    it('answers 403 to a learner, and to a training officer who writes', async () => {
      const learner = bearer(t.tokens.chair);
      const officer = bearer(t.tokens.officerHanoi);
      expectError(
        await record({ personId: hanoiPersonId, year: 2025, score: 80 }, t.tokens.chair),
        403,
        'FORBIDDEN',
      );
      expectError(
        await record({ personId: hanoiPersonId, year: 2025, score: 80 }, t.tokens.officerHanoi),
        403,
        'FORBIDDEN',
      );
      const chairId = await personByEmail('chutich.mayhadong@example.vn');
      for (const path of [
        `/api/v1/people/${chairId}/evaluations`,
        `/api/v1/org-units/${await t.unitId('HN-HD-MAY')}/evaluations?year=2025`,
      ]) {
        expectError(await t.http.get(path).set(learner), 403, 'FORBIDDEN');
        await t.http.get(path).set(officer).expect(200);
      }
    });
  });

  describe('bad bodies', () => {
    it('refuses bad evaluation bodies with 400 and the fields', async () => {
      const bad = async (body: object, fields: string[]) =>
        expectError(
          await record(body as Record<string, unknown>),
          400,
          'VALIDATION_FAILED',
          fields,
        );
      await bad({}, ['personId', 'year', 'score']);
      await bad({ personId: hanoiPersonId, year: 2025, score: 100.5 }, ['score']);
      await bad({ personId: hanoiPersonId, year: 2025, score: -1 }, ['score']);
      await bad({ personId: hanoiPersonId, year: 2025, score: 80.125 }, ['score']);
      await bad({ personId: hanoiPersonId, year: 2025, score: '80' }, ['score']);
      await bad({ personId: hanoiPersonId, year: 1800, score: 80 }, ['year']);
      await bad({ personId: hanoiPersonId, year: 2999, score: 80 }, ['year']);
      await bad({ personId: hanoiPersonId, year: 2025.5, score: 80 }, ['year']);
      await bad({ personId: 'nobody', year: '2025', score: 80, comments: 5 }, [
        'personId',
        'year',
        'comments',
      ]);
      await bad({ personId: hanoiPersonId, year: 2025, score: 80, level: 'excellent' }, ['level']);
      await bad({ personId: hanoiPersonId, year: 2025, score: 80, revision: 3 }, ['revision']);
    });

    it('refuses a unit list without a valid year', async () => {
      const unit = await t.unitId('HN');
      const list = (query: Record<string, string>) =>
        t.http.get(`/api/v1/org-units/${unit}/evaluations`).query(query).set(hr);
      expectError(await list({}), 400, 'VALIDATION_FAILED', ['year']);
      expectError(await list({ year: 'abc' }), 400, 'VALIDATION_FAILED', ['year']);
      expectError(await list({ year: '1800' }), 400, 'VALIDATION_FAILED', ['year']);
      expectError(await list({ year: '2025', level: 'great' }), 400, 'VALIDATION_FAILED', [
        'level',
      ]);
      expectError(await list({ year: '2025', cursor: 'garbage' }), 400, 'INVALID_CURSOR');
    });
  });
});
