import { randomBytes } from 'node:crypto';
import { retirementDate } from '../src/planning/retirement';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';

interface Cycle {
  id: string;
  orgUnitId: string;
  termLabel: string;
  termStart: string;
  termEnd: string;
  status: string;
  rules: Record<string, unknown> & { maxNomineesPerPost: number };
  posts: { id: string; postType: string; title: string; keyPost: boolean }[];
}
interface Nomination {
  id: string;
  postId: string;
  personId: string;
  readiness: string;
  status: string;
  removalReason: string | null;
  removalNote: string | null;
  firstTime: boolean;
  proposedBy: string | null;
  approvedBy: string | null;
}
interface Target {
  count: number;
  total: number;
  share: number;
  target: number;
  met: boolean;
}
interface NominationPage {
  items: Nomination[];
  nextCursor: string | null;
  targets: { women: Target; under40: Target };
}
interface Review {
  id: string;
  nominationId: string;
  personId: string;
  reviewYear: number;
  readinessBefore: string;
  readinessAfter: string | null;
  decision: string | null;
  flags: {
    notCompletedEvaluation: boolean;
    evaluationYear: number | null;
    evaluationLevel: string | null;
    failsAgeRule: boolean;
    retirementDate: string | null;
  };
}

const TERM = { termStart: '2028-07-01', termEnd: '2033-06-30' };
const NEXT_TERM = { termStart: '2033-07-01', termEnd: '2038-06-30' };
/** Codes that must never show inside a Vietnamese sentence. */
const ENGLISH_CODES = /\b(draft|open|submitted|approved|closed|proposed|removed|ready_\w+)\b/;

/**
 * Cadre planning (issue 5 items 1 and 2) on the demo tree. Each test works in grassroots
 * unions of its own under Hà Nội, with people of its own, so it never meets the seeded list.
 */
describe('planning cycles, nominations and yearly reviews', () => {
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

  async function newUnit(parent = 'HN-HD'): Promise<string> {
    const res = await t.http
      .post('/api/v1/org-units')
      .set(admin)
      .send({
        code: `T5P-${suffix}-${++count}`,
        name: `Công đoàn cơ sở thử nghiệm quy hoạch ${count}`,
        level: 'grassroots',
        sector: 'private',
        parentId: await t.unitId(parent),
      });
    if (res.status !== 201) throw new Error(`unit: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  async function newPost(orgUnitId: string, postType: string, title?: string): Promise<string> {
    const res = await t.http
      .post('/api/v1/posts')
      .set(admin)
      .send({ orgUnitId, postType, ...(title ? { title } : {}) });
    if (res.status !== 201) throw new Error(`post: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  async function newPerson(
    unitId: string,
    birthDate: string | null = '1985-03-10',
    gender: 'male' | 'female' | null = 'male',
  ): Promise<string> {
    const res = await t.http
      .post('/api/v1/people')
      .set(admin)
      .send({
        familyName: 'Trần',
        middleName: gender === 'female' ? 'Thị' : 'Văn',
        givenName: `Quy hoạch ${++count}`,
        homeOrgUnitId: unitId,
        ...(birthDate ? { birthDate } : {}),
        ...(gender ? { gender } : {}),
      });
    if (res.status !== 201) throw new Error(`person: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  /** A unit with a chair and a vice-chair post and a cycle planning both. */
  async function newCycle(
    body: Record<string, unknown> = {},
    as = hr,
    parent = 'HN-HD',
  ): Promise<{ cycle: Cycle; unit: string; chair: string; vice: string }> {
    const unit = await newUnit(parent);
    const chair = await newPost(unit, 'chair');
    const vice = await newPost(unit, 'vice_chair');
    const res = await t.http
      .post('/api/v1/planning-cycles')
      .set(as)
      .send({ orgUnitId: unit, ...TERM, postIds: [chair, vice], ...body });
    if (res.status !== 201) throw new Error(`cycle: ${res.status} ${JSON.stringify(res.body)}`);
    return { cycle: res.body as Cycle, unit, chair, vice };
  }

  /**
   * The people made here have no competency evidence, so the suggested readiness is 3+ years
   * and any other needs a reason (readiness-plans.e2e-spec.ts tests that rule): one is sent.
   */
  const nominate = (cycleId: string, body: Record<string, unknown>, as = hr) =>
    t.http
      .post(`/api/v1/planning-cycles/${cycleId}/nominations`)
      .set(as)
      .send({ readinessReason: 'Ý kiến của cấp ủy', ...body });

  async function nominated(cycleId: string, body: Record<string, unknown>): Promise<Nomination> {
    const res = await nominate(cycleId, { readiness: 'ready_now', ...body });
    if (res.status !== 201) throw new Error(`nominate: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Nomination;
  }

  const setStatus = (cycleId: string, status: string, as = hr) =>
    t.http.post(`/api/v1/planning-cycles/${cycleId}/status`).set(as).send({ status });

  it('seeds the 2028–2033 list of LĐLĐ TP Hà Nội with approved nominees in every band', async () => {
    const hanoi = await t.unitId('HN');
    const res = await t.http
      .get('/api/v1/planning-cycles')
      .query({ orgUnitId: hanoi, status: 'approved', limit: 100 })
      .set(hr);
    const cycle = (res.body as { items: Cycle[] }).items.find(
      (c) => c.orgUnitId === hanoi && c.termLabel === '2028–2033',
    )!;
    expect(cycle).toBeDefined();
    const hanoiPosts = cycle.posts.filter((p) => ['chair', 'vice_chair'].includes(p.postType));
    expect(hanoiPosts.length).toBeGreaterThanOrEqual(2);
    const list = await t.http
      .get(`/api/v1/planning-cycles/${cycle.id}/nominations`)
      .query({ limit: 100 })
      .set(hr);
    const mine = (list.body as NominationPage).items.filter((n) =>
      hanoiPosts.some((p) => p.id === n.postId),
    );
    expect(new Set(mine.map((n) => n.readiness))).toEqual(
      new Set(['ready_now', 'ready_1_2_years', 'ready_3_plus_years']),
    );
    for (const n of mine) {
      expect(n.status).toBe('approved');
      expect(n.approvedBy).not.toBe(n.proposedBy);
    }
  });

  describe('cycles', () => {
    it('creates a draft cycle with default rules, the planned posts and a term label', async () => {
      const { cycle, unit, chair, vice } = await newCycle();
      expect(cycle).toMatchObject({
        orgUnitId: unit,
        termLabel: '2028–2033',
        termStart: '2028-07-01',
        termEnd: '2033-06-30',
        status: 'draft',
        statusLabel: 'Dự thảo',
        // No flat retirement age: it is the law's roadmap, not a rule of the list.
        rules: {
          maxNomineesPerPost: 3,
          maxPostsPerPerson: 3,
          minWorkingYearsLeft: 10,
          womenTarget: 0.25,
          under40Target: 0.15,
        },
      });
      expect(Object.keys(cycle.rules)).not.toContain('retirementAge');
      expect(cycle.posts.map((p) => p.id)).toEqual([chair, vice]);
      expect(cycle.posts[0]).toMatchObject({ postType: 'chair', keyPost: true });

      const got = await t.http.get(`/api/v1/planning-cycles/${cycle.id}`).set(hr);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(cycle);
    });

    it('refuses posts of another unit and bad bodies with details', async () => {
      const unit = await newUnit();
      const other = await newUnit();
      const foreign = await newPost(other, 'chair');
      const res = await t.http
        .post('/api/v1/planning-cycles')
        .set(hr)
        .send({ orgUnitId: unit, ...TERM, postIds: [foreign] });
      expectError(res, 422, 'PLANNING_POST_NOT_IN_UNIT', ['postIds[0]']);

      const bad = await t.http
        .post('/api/v1/planning-cycles')
        .set(hr)
        .send({
          orgUnitId: unit,
          termStart: '2028-07-01',
          termEnd: '2027-01-01',
          postIds: [],
          rules: { maxNomineesPerPost: 0, retirementAge: { male: 62 } },
          extra: 1,
        });
      expectError(bad, 400, 'VALIDATION_FAILED', [
        'termEnd',
        'postIds',
        'rules.maxNomineesPerPost',
        'rules.retirementAge',
        'extra',
      ]);
    });

    it('answers 404 outside scope and 403 without the role', async () => {
      const bn = await t.unitId('BN');
      const bnPost = await newPost(bn, 'vice_chair', `Phó Chủ tịch thử ${suffix}`);
      const res = await t.http
        .post('/api/v1/planning-cycles')
        .set(hr)
        .send({ orgUnitId: bn, ...TERM, postIds: [bnPost] });
      expectError(res, 404, 'ORG_UNIT_NOT_FOUND');

      const bnCycle = await t.http
        .post('/api/v1/planning-cycles')
        .set(admin)
        .send({ orgUnitId: bn, ...TERM, postIds: [bnPost] });
      expect(bnCycle.status).toBe(201);
      const id = (bnCycle.body as Cycle).id;
      expectError(
        await t.http.get(`/api/v1/planning-cycles/${id}`).set(hr),
        404,
        'PLANNING_CYCLE_NOT_FOUND',
      );
      expectError(
        await t.http
          .patch(`/api/v1/planning-cycles/${id}/rules`)
          .set(hr)
          .send({ womenTarget: 0.3 }),
        404,
        'PLANNING_CYCLE_NOT_FOUND',
      );
      expectError(await setStatus(id, 'open'), 404, 'PLANNING_CYCLE_NOT_FOUND');
      expectError(
        await t.http
          .post(
            `/api/v1/planning-cycles/${id}/nominations/00000000-0000-4000-8000-000000000000/approve`,
          )
          .set(hr),
        404,
        'PLANNING_CYCLE_NOT_FOUND',
      );
      expectError(
        await t.http.get(`/api/v1/planning-cycles/${id}/nominations`).set(hr),
        404,
        'PLANNING_CYCLE_NOT_FOUND',
      );
      expectError(
        await t.http.get(`/api/v1/planning-cycles/${id}/reviews`).set(hr),
        404,
        'PLANNING_CYCLE_NOT_FOUND',
      );
      const listed = await t.http.get('/api/v1/planning-cycles?limit=100').set(hr);
      expect((listed.body as { items: Cycle[] }).items.map((c) => c.id)).not.toContain(id);

      const { cycle, unit } = await newCycle();
      const officer = bearer(t.tokens.officerHanoi);
      const chairToken = bearer(t.tokens.chair);
      expectError(
        await t.http
          .post('/api/v1/planning-cycles')
          .set(officer)
          .send({ orgUnitId: unit, ...TERM, postIds: [cycle.posts[0].id] }),
        403,
        'FORBIDDEN',
      );
      expect((await t.http.get(`/api/v1/planning-cycles/${cycle.id}`).set(officer)).status).toBe(
        200,
      );
      expectError(await setStatus(cycle.id, 'open', officer), 403, 'FORBIDDEN');
      expectError(
        await nominate(
          cycle.id,
          { postId: cycle.posts[0].id, personId: unit, readiness: 'ready_now' },
          officer,
        ),
        403,
        'FORBIDDEN',
      );
      expectError(await t.http.get('/api/v1/planning-cycles').set(chairToken), 403, 'FORBIDDEN');
      expectError(
        await t.http.get(`/api/v1/planning-cycles/${cycle.id}/nominations`).set(chairToken),
        403,
        'FORBIDDEN',
      );
      expectError(
        await t.http.get('/api/v1/planning-cycles/not-a-uuid').set(hr),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('lists cycles of a subtree newest term first, keyset paged', async () => {
      const upper = await t.http
        .post('/api/v1/org-units')
        .set(admin)
        .send({
          code: `T5P-${suffix}-U${++count}`,
          name: `Công đoàn phường thử nghiệm ${count}`,
          level: 'upper',
          parentId: await t.unitId('HN'),
        });
      expect(upper.status).toBe(201);
      const parent = (upper.body as { id: string }).id;
      const code = (upper.body as { code: string }).code;
      const made: string[] = [];
      for (const start of ['2028-07-01', '2033-07-01', '2038-07-01']) {
        const unit = await newUnit(code);
        const post = await newPost(unit, 'chair');
        const res = await t.http
          .post('/api/v1/planning-cycles')
          .set(hr)
          .send({
            orgUnitId: unit,
            termStart: start,
            termEnd: `${Number(start.slice(0, 4)) + 5}-06-30`,
            postIds: [post],
          });
        made.push((res.body as Cycle).id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await t.http
          .get('/api/v1/planning-cycles')
          .query({ orgUnitId: parent, limit: 2, ...(cursor ? { cursor } : {}) })
          .set(hr);
        expect(res.status).toBe(200);
        const page = res.body as { items: Cycle[]; nextCursor: string | null };
        seen.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...made].reverse());
      expectError(
        await t.http.get('/api/v1/planning-cycles').query({ cursor: 'garbage' }).set(hr),
        400,
        'INVALID_CURSOR',
      );
    });

    it('changes rules while draft or open, and only the allowed status steps', async () => {
      const { cycle } = await newCycle();
      const patched = await t.http
        .patch(`/api/v1/planning-cycles/${cycle.id}/rules`)
        .set(hr)
        .send({ maxNomineesPerPost: 2 });
      expect(patched.status).toBe(200);
      expect((patched.body as Cycle).rules).toMatchObject({
        maxNomineesPerPost: 2,
        maxPostsPerPerson: 3,
      });
      // The retirement age cannot be bent per list.
      expectError(
        await t.http
          .patch(`/api/v1/planning-cycles/${cycle.id}/rules`)
          .set(hr)
          .send({ retirementAge: { female: 62 } }),
        400,
        'VALIDATION_FAILED',
        ['retirementAge'],
      );
      expectError(
        await t.http
          .patch(`/api/v1/planning-cycles/${cycle.id}/rules`)
          .set(hr)
          .send({ womenTarget: 2 }),
        400,
        'VALIDATION_FAILED',
        ['womenTarget'],
      );
      // A number written in exponent form is a bad value, not a server error.
      expectError(
        await t.http
          .patch(`/api/v1/planning-cycles/${cycle.id}/rules`)
          .set(hr)
          .send({ minWorkingYearsLeft: 1e-7, womenTarget: '0.3' }),
        400,
        'VALIDATION_FAILED',
        ['minWorkingYearsLeft', 'womenTarget'],
      );

      expectError(await setStatus(cycle.id, 'approved'), 409, 'PLANNING_CYCLE_STATUS', ['status']);
      expectError(await setStatus(cycle.id, 'bogus'), 400, 'VALIDATION_FAILED', ['status']);
      const statusUrl = `/api/v1/planning-cycles/${cycle.id}/status`;
      for (const [body, fields] of [
        [{}, ['status']],
        [{ status: 5 }, ['status']],
        [{ status: 'open', warnings: [] }, ['warnings']],
      ] as [Record<string, unknown>, string[]][]) {
        expectError(
          await t.http.post(statusUrl).set(hr).send(body),
          400,
          'VALIDATION_FAILED',
          fields,
        );
      }
      for (const s of ['open', 'submitted', 'open', 'submitted', 'approved']) {
        const res = await setStatus(cycle.id, s);
        expect({ s, status: res.status }).toEqual({ s, status: 200 });
        expect((res.body as Cycle).status).toBe(s);
      }
      expectError(
        await t.http
          .patch(`/api/v1/planning-cycles/${cycle.id}/rules`)
          .set(hr)
          .send({ maxNomineesPerPost: 3 }),
        409,
        'PLANNING_CYCLE_STATUS',
      );
      expect((await setStatus(cycle.id, 'closed')).status).toBe(200);
      expectError(await setStatus(cycle.id, 'open'), 409, 'PLANNING_CYCLE_STATUS');
    });
  });

  describe('nominations', () => {
    it('refuses the fourth nominee of a post with PLANNING_MAX_NOMINEES_PER_POST', async () => {
      const { cycle, unit, chair } = await newCycle();
      for (let i = 0; i < 3; i++) {
        await nominated(cycle.id, { postId: chair, personId: await newPerson(unit) });
      }
      const res = await nominate(cycle.id, {
        postId: chair,
        personId: await newPerson(unit),
        readiness: 'ready_3_plus_years',
      });
      expectError(res, 422, 'PLANNING_MAX_NOMINEES_PER_POST');
      expect(res.body.message).toContain('3');
    });

    it('lets exactly one of two racing requests take the last place of a post', async () => {
      const { cycle, unit, chair } = await newCycle();
      for (let i = 0; i < 2; i++) {
        await nominated(cycle.id, { postId: chair, personId: await newPerson(unit) });
      }
      const racers = [await newPerson(unit), await newPerson(unit)];
      const results = await Promise.all(
        racers.map((personId) =>
          nominate(cycle.id, { postId: chair, personId, readiness: 'ready_1_2_years' }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
      expectError(
        results.find((r) => r.status === 422)!,
        422,
        'PLANNING_MAX_NOMINEES_PER_POST',
      );
      const [row] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM nominations
          WHERE cycle_id = $1 AND post_id = $2 AND status <> 'removed'`,
        [cycle.id, chair],
      );
      expect(Number(row.n)).toBe(3);
    });

    it('refuses a fourth post of the same level with PLANNING_MAX_POSTS_PER_PERSON', async () => {
      const a = await newCycle();
      const b = await newCycle();
      const person = await newPerson(a.unit);
      await nominated(a.cycle.id, { postId: a.chair, personId: person });
      await nominated(a.cycle.id, { postId: a.vice, personId: person });
      expect((await setStatus(a.cycle.id, 'open')).status).toBe(200);
      await nominated(b.cycle.id, { postId: b.chair, personId: person });
      // b is a draft: its own nominations count for it, and a's (open) count too.
      expectError(
        await nominate(b.cycle.id, { postId: b.vice, personId: person, readiness: 'ready_now' }),
        422,
        'PLANNING_MAX_POSTS_PER_PERSON',
      );
      // A cycle of another level (the upper union above) does not count.
      const upper = await t.dataSource.query<{ id: string }[]>(
        `SELECT id FROM org_units WHERE code = 'HN-KCN-TL'`,
      );
      const upperPost = await newPost(
        upper[0].id,
        'vice_chair',
        `Phó Chủ tịch ${suffix}-${++count}`,
      );
      const c = await t.http
        .post('/api/v1/planning-cycles')
        .set(hr)
        .send({ orgUnitId: upper[0].id, ...TERM, postIds: [upperPost] });
      expect(c.status).toBe(201);
      expect(
        (
          await nominate((c.body as Cycle).id, {
            postId: upperPost,
            personId: person,
            readiness: 'ready_now',
          })
        ).status,
      ).toBe(201);
    });

    it('applies the age rule to first-time nominees only, with clear codes', async () => {
      const { cycle, unit, chair, vice } = await newCycle();
      // Term from 2028-07-01: a man born 1976-06-30 retires at the end of June 2038 (at 62), a
      // day short of 10 years.
      const old = await newPerson(unit, '1976-06-30', 'male');
      const res = await nominate(cycle.id, {
        postId: chair,
        personId: old,
        readiness: 'ready_now',
      });
      expectError(res, 422, 'PLANNING_AGE_RULE', ['personId']);
      expect(res.body.message).toBe(
        'Cán bộ quy hoạch lần đầu phải còn ít nhất 10 năm công tác khi bắt đầu nhiệm kỳ ' +
          '(còn 9,9 năm, nghỉ hưu ngày 30/06/2038).',
      );
      // Exactly ten years passes; a woman of the same birth date does not (retires at 60).
      expect(
        (
          await nominate(cycle.id, {
            postId: chair,
            personId: await newPerson(unit, '1976-07-01', 'male'),
            readiness: 'ready_now',
          })
        ).status,
      ).toBe(201);
      expectError(
        await nominate(cycle.id, {
          postId: chair,
          personId: await newPerson(unit, '1976-07-01', 'female'),
          readiness: 'ready_now',
        }),
        422,
        'PLANNING_AGE_RULE',
      );
      expectError(
        await nominate(cycle.id, {
          postId: vice,
          personId: await newPerson(unit, null, 'male'),
          readiness: 'ready_now',
        }),
        422,
        'PLANNING_BIRTH_DATE_MISSING',
      );
      expectError(
        await nominate(cycle.id, {
          postId: vice,
          personId: await newPerson(unit, '1990-01-01', null),
          readiness: 'ready_now',
        }),
        422,
        'PLANNING_GENDER_MISSING',
      );

      // Once approved on some list (under relaxed rules), the older cadre is no longer first-time.
      const relaxed = await newCycle({ rules: { minWorkingYearsLeft: 5 } });
      const first = await nominated(relaxed.cycle.id, { postId: relaxed.chair, personId: old });
      expect(first.firstTime).toBe(true);
      const approved = await t.http
        .post(`/api/v1/planning-cycles/${relaxed.cycle.id}/nominations/${first.id}/approve`)
        .set(admin);
      expect(approved.status).toBe(200);
      const again = await nominated(cycle.id, { postId: vice, personId: old });
      expect(again.firstTime).toBe(false);
    });

    it('refuses duplicates, unplanned posts, people out of scope and closed lists', async () => {
      const { cycle, unit, chair } = await newCycle();
      const person = await newPerson(unit);
      await nominated(cycle.id, { postId: chair, personId: person });
      expectError(
        await nominate(cycle.id, { postId: chair, personId: person, readiness: 'ready_now' }),
        409,
        'PLANNING_NOMINATION_DUPLICATE',
      );
      const otherPost = await newPost(unit, 'executive_member');
      expectError(
        await nominate(cycle.id, { postId: otherPost, personId: person, readiness: 'ready_now' }),
        422,
        'PLANNING_POST_NOT_PLANNED',
        ['postId'],
      );
      const bnPerson = await newPerson(await t.unitId('BN-TS'));
      expectError(
        await nominate(cycle.id, { postId: chair, personId: bnPerson, readiness: 'ready_now' }),
        404,
        'PERSON_NOT_FOUND',
      );
      expectError(
        await nominate(cycle.id, { postId: 'x', personId: person, readiness: 'soon', more: 1 }),
        400,
        'VALIDATION_FAILED',
        ['postId', 'readiness', 'more'],
      );
      for (const s of ['open', 'submitted'])
        expect((await setStatus(cycle.id, s)).status).toBe(200);
      expectError(
        await nominate(cycle.id, {
          postId: chair,
          personId: await newPerson(unit),
          readiness: 'ready_now',
        }),
        409,
        'PLANNING_CYCLE_STATUS',
      );
    });

    it('needs a second person to approve (four eyes), once', async () => {
      const { cycle, unit, chair } = await newCycle();
      const n = await nominated(cycle.id, { postId: chair, personId: await newPerson(unit) });
      const url = `/api/v1/planning-cycles/${cycle.id}/nominations/${n.id}/approve`;
      expectError(await t.http.post(url).set(hr), 422, 'PLANNING_FOUR_EYES');
      const ok = await t.http.post(url).set(admin);
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ status: 'approved', approvedBy: expect.any(String) });
      expect((ok.body as Nomination).approvedBy).not.toBe(n.proposedBy);
      expectError(await t.http.post(url).set(admin), 409, 'PLANNING_NOMINATION_STATUS');
      // A nomination of another cycle is not found under this one.
      const other = await newCycle();
      expectError(
        await t.http
          .post(`/api/v1/planning-cycles/${other.cycle.id}/nominations/${n.id}/approve`)
          .set(admin),
        404,
        'NOMINATION_NOT_FOUND',
      );
    });

    it('removes with a reason and keeps the history; the place frees up', async () => {
      const { cycle, unit, chair } = await newCycle({ rules: { maxNomineesPerPost: 1 } });
      const person = await newPerson(unit);
      const n = await nominated(cycle.id, { postId: chair, personId: person });
      const url = `/api/v1/planning-cycles/${cycle.id}/nominations/${n.id}/remove`;
      expectError(
        await t.http.post(url).set(hr).send({ reason: 'other' }),
        400,
        'VALIDATION_FAILED',
        ['note'],
      );
      expectError(
        await t.http.post(url).set(hr).send({ reason: 'tired' }),
        400,
        'VALIDATION_FAILED',
        ['reason'],
      );
      const removed = await t.http
        .post(url)
        .set(hr)
        .send({ reason: 'moved', note: 'Chuyển công tác' });
      expect(removed.status).toBe(200);
      expect(removed.body).toMatchObject({
        status: 'removed',
        removalReason: 'moved',
        removalNote: 'Chuyển công tác',
      });
      expectError(
        await t.http.post(url).set(hr).send({ reason: 'moved' }),
        409,
        'PLANNING_NOMINATION_STATUS',
      );
      // The same person may be named again; both rows stay.
      const again = await nominated(cycle.id, { postId: chair, personId: person });
      const all = await t.http.get(`/api/v1/planning-cycles/${cycle.id}/nominations`).set(hr);
      expect((all.body as NominationPage).items.map((i) => [i.id, i.status]).sort()).toEqual(
        [
          [n.id, 'removed'],
          [again.id, 'proposed'],
        ].sort(),
      );
      const onlyRemoved = await t.http
        .get(`/api/v1/planning-cycles/${cycle.id}/nominations`)
        .query({ status: 'removed' })
        .set(hr);
      expect((onlyRemoved.body as NominationPage).items.map((i) => i.id)).toEqual([n.id]);
    });

    it('reports the women and under-40 targets over distinct current nominees', async () => {
      const { cycle, unit, chair, vice } = await newCycle({ rules: { under40Target: 0.5 } });
      const thisYear = new Date().getUTCFullYear();
      const young = `${thisYear - 30}-01-15`;
      const woman1 = await newPerson(unit, '1980-02-02', 'female');
      const woman2 = await newPerson(unit, young, 'female');
      const man = await newPerson(unit, '1982-05-05', 'male');
      const man2 = await newPerson(unit, '1983-05-05', 'male');
      await nominated(cycle.id, { postId: chair, personId: woman1 });
      await nominated(cycle.id, { postId: vice, personId: woman1 });
      await nominated(cycle.id, {
        postId: chair,
        personId: woman2,
        readiness: 'ready_3_plus_years',
      });
      await nominated(cycle.id, { postId: vice, personId: man, readiness: 'ready_1_2_years' });
      const gone = await nominated(cycle.id, { postId: vice, personId: man2 });
      await t.http
        .post(`/api/v1/planning-cycles/${cycle.id}/nominations/${gone.id}/remove`)
        .set(hr)
        .send({ reason: 'discipline' });
      const res = await t.http
        .get(`/api/v1/planning-cycles/${cycle.id}/nominations`)
        .query({ limit: 2 })
        .set(hr);
      expect(res.status).toBe(200);
      const page = res.body as NominationPage;
      // 3 distinct current nominees (woman1 twice, man2 removed): 2 women, 1 under 40.
      expect(page.targets).toEqual({
        women: { count: 2, total: 3, share: 0.6667, target: 0.25, met: true },
        under40: { count: 1, total: 3, share: 0.3333, target: 0.5, met: false },
      });
      // Keyset over the whole list: by post, readiness, id.
      const ids = page.items.map((i) => i.id);
      let cursor = page.nextCursor;
      while (cursor) {
        const next = await t.http
          .get(`/api/v1/planning-cycles/${cycle.id}/nominations`)
          .query({ limit: 2, cursor })
          .set(hr);
        const p = next.body as NominationPage;
        expect(p.targets).toEqual(page.targets);
        ids.push(...p.items.map((i) => i.id));
        cursor = p.nextCursor;
      }
      expect(new Set(ids).size).toBe(5);
      const byPost = await t.http
        .get(`/api/v1/planning-cycles/${cycle.id}/nominations`)
        .query({ postId: chair })
        .set(hr);
      expect((byPost.body as NominationPage).items.map((i) => i.readiness)).toEqual([
        'ready_now',
        'ready_3_plus_years',
      ]);
    });
  });

  describe('yearly review', () => {
    it('flags "not completed" evaluations and failing the age rule, then records decisions', async () => {
      const { cycle, unit, chair, vice } = await newCycle();
      const weak = await newPerson(unit, '1985-01-01', 'male');
      const aging = await newPerson(unit, '1984-01-01', 'female');
      const fine = await newPerson(unit, '1986-01-01', 'male');
      const nWeak = await nominated(cycle.id, { postId: chair, personId: weak });
      const nAging = await nominated(cycle.id, {
        postId: chair,
        personId: aging,
        readiness: 'ready_1_2_years',
      });
      const nFine = await nominated(cycle.id, {
        postId: vice,
        personId: fine,
        readiness: 'ready_3_plus_years',
      });
      const removed = await nominated(cycle.id, { postId: vice, personId: await newPerson(unit) });
      await t.http
        .post(`/api/v1/planning-cycles/${cycle.id}/nominations/${removed.id}/remove`)
        .set(hr)
        .send({ reason: 'moved' });

      const evaluate = (personId: string, year: number, score: number) =>
        t.http.post('/api/v1/evaluations').set(hr).send({ personId, year, score });
      expect((await evaluate(weak, 2024, 80)).status).toBe(201);
      expect((await evaluate(weak, 2025, 40)).status).toBe(201);
      expect((await evaluate(fine, 2025, 40)).status).toBe(201);
      expect((await evaluate(fine, 2025, 75)).status).toBe(201); // corrected: latest revision counts
      // The birth date is corrected after nomination: she now has under 10 years at the term start.
      const patched = await t.http
        .patch(`/api/v1/people/${aging}`)
        .set(admin)
        .send({ birthDate: '1970-01-01' });
      expect(patched.status).toBe(200);

      const review = (body: Record<string, unknown>, as = hr) =>
        t.http.post(`/api/v1/planning-cycles/${cycle.id}/reviews`).set(as).send(body);
      expectError(await review({ year: 2026 }), 409, 'PLANNING_CYCLE_STATUS'); // still a draft
      expect((await setStatus(cycle.id, 'open')).status).toBe(200);
      expectError(await review({ year: 'next' }), 400, 'VALIDATION_FAILED', ['year']);
      expectError(await review({ year: 2026 }, bearer(t.tokens.officerHanoi)), 403, 'FORBIDDEN');
      const opened = await review({ year: 2026 });
      expect(opened.status).toBe(200);
      expect(opened.body).toEqual({ year: 2026, created: 3, total: 3, flagged: 2 });
      expect((await review({ year: 2026 })).body).toEqual({
        year: 2026,
        created: 0,
        total: 3,
        flagged: 2,
      });

      const list = await t.http
        .get(`/api/v1/planning-cycles/${cycle.id}/reviews`)
        .query({ year: 2026 })
        .set(hr);
      expect(list.status).toBe(200);
      const entries = (list.body as { items: Review[] }).items;
      const by = (n: Nomination) => entries.find((e) => e.nominationId === n.id)!;
      expect(entries).toHaveLength(3);
      expect(by(nWeak)).toMatchObject({
        readinessBefore: 'ready_now',
        decision: null,
        flags: { notCompletedEvaluation: true, evaluationYear: 2025, failsAgeRule: false },
      });
      expect(by(nAging).flags).toMatchObject({
        notCompletedEvaluation: false,
        evaluationYear: null,
        failsAgeRule: true,
        // Born 01/1970: 57 years 4 months on the roadmap, not a flat 60.
        retirementDate: '2027-05-31',
      });
      expect(by(nFine).flags).toMatchObject({
        notCompletedEvaluation: false,
        evaluationLevel: 'good',
        failsAgeRule: false,
      });

      const decide = (id: string, body: Record<string, unknown>) =>
        t.http
          .post(`/api/v1/planning-cycles/${cycle.id}/reviews/${id}/decision`)
          .set(hr)
          .send(body);
      expectError(await decide(by(nWeak).id, { decision: 'removed' }), 400, 'VALIDATION_FAILED', [
        'reason',
      ]);
      const out = await decide(by(nWeak).id, {
        decision: 'removed',
        reason: 'not_completed_evaluation',
      });
      expect(out.status).toBe(200);
      expect(out.body).toMatchObject({ decision: 'removed', readinessAfter: null });
      const kept = await decide(by(nFine).id, {
        decision: 'kept',
        readiness: 'ready_1_2_years',
        readinessReason: 'Tiến bộ rõ trong năm',
      });
      expect(kept.body).toMatchObject({
        decision: 'kept',
        readinessBefore: 'ready_3_plus_years',
        readinessAfter: 'ready_1_2_years',
      });
      expectError(await decide(by(nFine).id, { decision: 'kept' }), 409, 'PLANNING_REVIEW_DECIDED');
      expectError(
        await decide('00000000-0000-4000-8000-000000000000', { decision: 'kept' }),
        404,
        'PLANNING_REVIEW_NOT_FOUND',
      );

      const now = await t.http.get(`/api/v1/planning-cycles/${cycle.id}/nominations`).set(hr);
      const state = Object.fromEntries(
        (now.body as NominationPage).items.map((i) => [
          i.id,
          [i.status, i.readiness, i.removalReason],
        ]),
      );
      expect(state[nWeak.id]).toEqual(['removed', 'ready_now', 'not_completed_evaluation']);
      expect(state[nFine.id]).toEqual(['proposed', 'ready_1_2_years', null]);
      expect(state[nAging.id]).toEqual(['proposed', 'ready_1_2_years', null]);
    });
  });
  describe('rules that cannot be bypassed (issue 11, item 10)', () => {
    const en = { 'Accept-Language': 'en' };
    const approve = (cycleId: string, id: string, as = admin) =>
      t.http.post(`/api/v1/planning-cycles/${cycleId}/nominations/${id}/approve`).set(as);
    const createCycle = (
      orgUnitId: string,
      postIds: string[],
      term: { termStart: string; termEnd: string },
      headers: Record<string, string> = {},
    ) =>
      t.http
        .post('/api/v1/planning-cycles')
        .set(hr)
        .set(headers)
        .send({ orgUnitId, postIds, ...term });
    /** draft → open → submitted → approved → closed. */
    async function close(cycleId: string) {
      for (const s of ['open', 'submitted', 'approved', 'closed']) {
        expect({ s, status: (await setStatus(cycleId, s)).status }).toEqual({ s, status: 200 });
      }
    }

    it('computes retirement dates in SQL exactly as in JS, over every birth month', async () => {
      const births: string[] = [];
      for (let y = 1940; y <= 2000; y += 1) {
        for (let m = 1; m <= 12; m += 1) births.push(`${y}-${String(m).padStart(2, '0')}-15`);
      }
      births.push('1965-03-01', '1965-03-31', '1966-03-31', '1966-04-01', '1975-04-30');
      const rows = await t.dataSource.query<
        { birth: string; gender: 'male' | 'female'; retires: string }[]
      >(
        `SELECT b AS birth, g AS gender, retirement_date(b::date, g::person_gender)::text AS retires
           FROM unnest($1::text[]) b CROSS JOIN unnest(ARRAY['male', 'female']) g`,
        [births],
      );
      expect(rows).toHaveLength(births.length * 2);
      const mismatches = rows.filter((r) => r.retires !== retirementDate(r.birth, r.gender));
      expect(mismatches).toEqual([]);
      // The worked example of docs/domain.md#retirement-roadmap: born 03/1965, 61 years 6 months, in 09/2026.
      const [one] = await t.dataSource.query<{ d: string; none: string | null }[]>(
        `SELECT retirement_date('1965-03-15', 'male')::text AS d,
                retirement_date(NULL, 'male')::text AS none`,
      );
      expect(one).toEqual({ d: '2026-09-30', none: null });
    });

    it('applies the age rule on the statutory roadmap, in Vietnamese with a decimal comma', async () => {
      const { cycle, unit, chair } = await newCycle({ rules: { minWorkingYearsLeft: 3 } });
      // Born 08/1972: 58 years 4 months on the roadmap, so retiring 31/12/2030 — 2.4 years after
      // the term starts. A flat 60 would have given 08/2032 and passed.
      const woman = await newPerson(unit, '1972-08-15', 'female');
      const res = await nominate(cycle.id, {
        postId: chair,
        personId: woman,
        readiness: 'ready_now',
      });
      expectError(res, 422, 'PLANNING_AGE_RULE', ['personId']);
      expect(res.body.message).toBe(
        'Cán bộ quy hoạch lần đầu phải còn ít nhất 3 năm công tác khi bắt đầu nhiệm kỳ ' +
          '(còn 2,4 năm, nghỉ hưu ngày 31/12/2030).',
      );
      expect(res.body.details[0].message).toBe(
        'Nghỉ hưu ngày 31/12/2030 theo lộ trình tuổi nghỉ hưu: còn 2,4 năm kể từ ngày bắt đầu ' +
          'nhiệm kỳ 01/07/2028.',
      );
      const inEnglish = await nominate(cycle.id, {
        postId: chair,
        personId: woman,
        readiness: 'ready_now',
      }).set(en);
      expect(inEnglish.body.message).toBe(
        'A first-time nominee needs at least 3 working years when the term starts ' +
          '(2.4 left, retiring on 31/12/2030).',
      );
    });

    it('keeps one list per unit and term: a second or overlapping one is 409, in any writer', async () => {
      const unit = await newUnit();
      const chair = await newPost(unit, 'chair');
      const first = await createCycle(unit, [chair], TERM);
      expect(first.status).toBe(201);
      const again = await createCycle(unit, [chair], TERM);
      expectError(again, 409, 'PLANNING_CYCLE_EXISTS', ['termStart']);
      expect(again.body.message).toBe(
        'Đơn vị đã có danh sách quy hoạch nhiệm kỳ 2028–2033 (Dự thảo); mỗi đơn vị chỉ có một ' +
          'danh sách quy hoạch cho một nhiệm kỳ.',
      );
      expect(again.body.details[0].message).toContain((first.body as Cycle).id);
      const overlapping = await createCycle(
        unit,
        [chair],
        { termStart: '2030-01-01', termEnd: '2034-12-31' },
        en,
      );
      expectError(overlapping, 409, 'PLANNING_CYCLE_EXISTS');
      expect(overlapping.body.message).toBe(
        'The unit already has a planning list for the 2028–2033 term (Draft); a unit has one ' +
          'list per term.',
      );
      // The next term is another list; once the first is closed its term may be planned again.
      expect((await createCycle(unit, [chair], NEXT_TERM)).status).toBe(201);
      await close((first.body as Cycle).id);
      expect((await createCycle(unit, [chair], TERM)).status).toBe(201);

      // The database refuses it too, whoever writes.
      await expect(
        t.dataSource.query(
          `INSERT INTO planning_cycles (org_unit_id, term_label, term_start, term_end, status, rules)
           VALUES ($1, 'x', '2029-01-01', '2029-12-31', 'open', '{}'::jsonb)`,
          [unit],
        ),
      ).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23P01' }) });

      // Two racing creates for one unit and term: exactly one gets through.
      const other = await newUnit();
      const post = await newPost(other, 'chair');
      const racing = await Promise.all([
        createCycle(other, [post], TERM),
        createCycle(other, [post], TERM),
      ]);
      expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM planning_cycles WHERE org_unit_id = $1`,
        [other],
      );
      expect(Number(n)).toBe(1);
    });

    it('refuses to open a second list of a term that slipped in before the rule', async () => {
      const unit = await newUnit();
      const chair = await newPost(unit, 'chair');
      const first = (await createCycle(unit, [chair], TERM)).body as Cycle;
      await t.dataSource.query(
        `ALTER TABLE planning_cycles DISABLE TRIGGER tr_planning_cycles_one_per_term`,
      );
      let legacy: string;
      try {
        [{ id: legacy }] = await t.dataSource.query<{ id: string }[]>(
          `INSERT INTO planning_cycles (org_unit_id, term_label, term_start, term_end, status, rules)
           VALUES ($1, '2028–2033', '2028-07-01', '2033-06-30', 'draft', '{}'::jsonb) RETURNING id`,
          [unit],
        );
      } finally {
        await t.dataSource.query(
          `ALTER TABLE planning_cycles ENABLE TRIGGER tr_planning_cycles_one_per_term`,
        );
      }
      expectError(await setStatus(legacy, 'open'), 409, 'PLANNING_CYCLE_EXISTS', ['status']);
      expectError(await setStatus(first.id, 'open'), 409, 'PLANNING_CYCLE_EXISTS', ['status']);
      // Dropping one of the two drafts (closed, kept on record) lets the other proceed.
      const dropped = await setStatus(first.id, 'closed');
      expect(dropped.body).toMatchObject({ status: 'closed', statusLabel: 'Đã kết thúc' });
      expect((await setStatus(legacy, 'open')).status).toBe(200);
    });

    it('counts the per-person cap over every live list; a draft is checked when it opens', async () => {
      const a = await newCycle();
      const b = await newCycle();
      const c = await newCycle();
      const person = await newPerson(a.unit);
      await nominated(a.cycle.id, { postId: a.chair, personId: person });
      await nominated(a.cycle.id, { postId: a.vice, personId: person });
      expect((await setStatus(a.cycle.id, 'open')).status).toBe(200);
      // Each draft is a sketch: it counts the live list and itself.
      await nominated(b.cycle.id, { postId: b.chair, personId: person });
      const inC = await nominated(c.cycle.id, { postId: c.chair, personId: person });
      expect((await setStatus(b.cycle.id, 'open')).status).toBe(200);
      // Opening c would put the person on four posts of the same level across live lists.
      const res = await setStatus(c.cycle.id, 'open');
      expectError(res, 409, 'PLANNING_CYCLE_LIMITS_EXCEEDED', [`nominations[${inC.id}]`]);
      expect(res.body.message).toBe(
        'Không thể mở danh sách quy hoạch: 1 trường hợp vượt quy định khi tính cùng các danh ' +
          'sách quy hoạch đang có hiệu lực.',
      );
      expect(res.body.details[0].message).toMatch(
        /^Trần Văn Quy hoạch \d+ – Chủ tịch: cán bộ sẽ được quy hoạch 4 chức danh cùng cấp, vượt mức tối đa 3\.$/,
      );
      const english = await setStatus(c.cycle.id, 'open').set(en);
      expect(english.body.details[0].message).toContain(
        'the person would be planned for 4 posts of the same level, over the maximum of 3',
      );
      const still = await t.http.get(`/api/v1/planning-cycles/${c.cycle.id}`).set(hr);
      expect(still.body).toMatchObject({ status: 'draft', statusLabel: 'Dự thảo' });
      // Nominating in an open list counts the other open lists as before.
      const d = await newCycle();
      expect((await setStatus(d.cycle.id, 'open')).status).toBe(200);
      expectError(
        await nominate(d.cycle.id, { postId: d.chair, personId: person, readiness: 'ready_now' }),
        422,
        'PLANNING_MAX_POSTS_PER_PERSON',
      );
      // Taken off c, the rest of c opens.
      await t.http
        .post(`/api/v1/planning-cycles/${c.cycle.id}/nominations/${inC.id}/remove`)
        .set(hr)
        .send({ reason: 'other', note: 'Đã quy hoạch ở đơn vị khác' });
      expect((await setStatus(c.cycle.id, 'open')).status).toBe(200);
    });

    it('counts the per-post cap and "once per post" over every live list of the post', async () => {
      const unit = await newUnit();
      const chair = await newPost(unit, 'chair');
      const current = (await createCycle(unit, [chair], TERM)).body as Cycle;
      const next = (await createCycle(unit, [chair], NEXT_TERM)).body as Cycle;
      const named: Nomination[] = [];
      for (let i = 0; i < 3; i++) {
        named.push(await nominated(current.id, { postId: chair, personId: await newPerson(unit) }));
      }
      expect((await setStatus(current.id, 'open')).status).toBe(200);
      const twice = await nominate(next.id, {
        postId: chair,
        personId: named[0].personId,
        readiness: 'ready_now',
      });
      expectError(twice, 409, 'PLANNING_NOMINATION_DUPLICATE', ['personId']);
      expect(twice.body.details[0].message).toMatch(
        /^Cán bộ đã có tên cho chức danh này trong danh sách quy hoạch nhiệm kỳ 2028–2033 của Công đoàn cơ sở thử nghiệm quy hoạch \d+\.$/,
      );
      expectError(
        await nominate(next.id, {
          postId: chair,
          personId: await newPerson(unit),
          readiness: 'ready_now',
        }),
        422,
        'PLANNING_MAX_NOMINEES_PER_POST',
      );
      await t.http
        .post(`/api/v1/planning-cycles/${current.id}/nominations/${named[2].id}/remove`)
        .set(hr)
        .send({ reason: 'moved' });
      expect(
        (
          await nominate(next.id, {
            postId: chair,
            personId: await newPerson(unit),
            readiness: 'ready_now',
          })
        ).status,
      ).toBe(201);
    });

    it('lets exactly one of two racing nominations to one post in two live lists through', async () => {
      const unit = await newUnit();
      const chair = await newPost(unit, 'chair');
      const current = (await createCycle(unit, [chair], TERM)).body as Cycle;
      const next = (await createCycle(unit, [chair], NEXT_TERM)).body as Cycle;
      for (let i = 0; i < 2; i++) {
        await nominated(current.id, { postId: chair, personId: await newPerson(unit) });
      }
      // Both lists live, so each counts the other's (a draft would count only itself).
      expect((await setStatus(current.id, 'open')).status).toBe(200);
      expect((await setStatus(next.id, 'open')).status).toBe(200);
      const [y, z] = [await newPerson(unit), await newPerson(unit)];
      const results = await Promise.all([
        nominate(current.id, { postId: chair, personId: y, readiness: 'ready_now' }),
        nominate(next.id, { postId: chair, personId: z, readiness: 'ready_now' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM nominations WHERE post_id = $1 AND status <> 'removed'`,
        [chair],
      );
      expect(Number(n)).toBe(3);
    });

    it('keeps every nominee of the post from approving a rival (four eyes)', async () => {
      const { cycle, unit, chair, vice } = await newCycle();
      const rivalPerson = await newPerson(unit, '1985-03-10', 'male');
      const email = `doi.thu.${suffix.toLowerCase()}@lms.congdoan.test`;
      const account = await t.http
        .post('/api/v1/accounts')
        .set(admin)
        .send({ personId: rivalPerson, email, password: 'Matkhau2026moi' });
      expect(account.status).toBe(201);
      expect(
        (
          await t.http
            .post(`/api/v1/accounts/${(account.body as { id: string }).id}/grants`)
            .set(admin)
            .send({ role: 'hr', orgUnitId: await t.unitId('HN-HD') })
        ).status,
      ).toBe(200);
      const rival = bearer(await t.login(email, 'Matkhau2026moi'));

      const n = await nominated(cycle.id, { postId: chair, personId: await newPerson(unit) });
      const onVice = await nominated(cycle.id, { postId: vice, personId: await newPerson(unit) });
      const rivalNomination = await nominated(cycle.id, { postId: chair, personId: rivalPerson });
      const refused = await approve(cycle.id, n.id, rival);
      expectError(refused, 422, 'PLANNING_FOUR_EYES', ['approver']);
      expect(refused.body.details[0].message).toBe(
        'Bạn cũng có tên trong danh sách quy hoạch chức danh Chủ tịch (nhiệm kỳ 2028–2033).',
      );
      // A nominee of another post is no rival for it.
      expect((await approve(cycle.id, onVice.id, rival)).status).toBe(200);
      // Off the list, the former rival may approve.
      await t.http
        .post(`/api/v1/planning-cycles/${cycle.id}/nominations/${rivalNomination.id}/remove`)
        .set(hr)
        .send({ reason: 'other', note: 'Xin rút khỏi danh sách' });
      const approved = await approve(cycle.id, n.id, rival);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'approved', statusLabel: 'Đã phê duyệt' });
    });

    it('answers the women and under-40 warnings when a list is submitted, in Vietnamese', async () => {
      const { cycle, unit, chair } = await newCycle({
        rules: { womenTarget: 0.5, under40Target: 0.4 },
      });
      await nominated(cycle.id, { postId: chair, personId: await newPerson(unit, '1980-02-02') });
      await nominated(cycle.id, {
        postId: chair,
        personId: await newPerson(unit, '1982-04-04', 'female'),
      });
      await nominated(cycle.id, { postId: chair, personId: await newPerson(unit, '1983-06-06') });
      const opened = await setStatus(cycle.id, 'open');
      expect(opened.body).toMatchObject({ status: 'open', warnings: [] });
      const submitted = await setStatus(cycle.id, 'submitted');
      expect(submitted.status).toBe(200);
      expect(submitted.body).toMatchObject({
        status: 'submitted',
        statusLabel: 'Đã trình cấp trên',
        warnings: [
          {
            code: 'women_below_target',
            message:
              'Tỷ lệ cán bộ nữ trong danh sách quy hoạch là 33,3% (1/3), thấp hơn mục tiêu 50%.',
          },
          {
            code: 'under40_below_target',
            message:
              'Tỷ lệ cán bộ dưới 40 tuổi trong danh sách quy hoạch là 0% (0/3), thấp hơn mục tiêu 40%.',
          },
          {
            code: 'post_without_nominees',
            message: 'Chức danh Phó Chủ tịch chưa có cán bộ quy hoạch.',
          },
        ],
      });
      // The same warnings with the list, and in English on request.
      const list = await t.http.get(`/api/v1/planning-cycles/${cycle.id}/nominations`).set(hr);
      expect(list.body.warnings).toEqual(submitted.body.warnings);
      expect((await setStatus(cycle.id, 'open')).status).toBe(200);
      const english = await setStatus(cycle.id, 'submitted').set(en);
      expect(english.body.statusLabel).toBe('Submitted');
      expect(english.body.warnings[0]).toEqual({
        code: 'women_below_target',
        message: 'Women are 33.3% of the nominees (1 of 3), below the 50% target.',
      });
    });

    it('labels codes and words status errors in Vietnamese, never with the code', async () => {
      const { cycle, unit, chair } = await newCycle();
      const n = await nominated(cycle.id, { postId: chair, personId: await newPerson(unit) });
      expect(n).toMatchObject({
        readiness: 'ready_now',
        readinessLabel: 'Sẵn sàng ngay',
        status: 'proposed',
        statusLabel: 'Đề xuất',
        removalReasonLabel: null,
      });
      const got = await t.http
        .get(`/api/v1/planning-cycles/${cycle.id}/nominations/${n.id}`)
        .set(hr)
        .set(en);
      expect(got.body).toMatchObject({ readinessLabel: 'Ready now', statusLabel: 'Proposed' });
      const suggestion = got.body.suggestion as { reasons: string[]; reasonLabels: string[] };
      expect(suggestion.reasonLabels).toHaveLength(suggestion.reasons.length);
      expect(got.body.suggestedReadinessLabel).toEqual(expect.any(String));

      for (const s of ['open', 'submitted']) {
        expect((await setStatus(cycle.id, s)).status).toBe(200);
      }
      const closed = await nominate(cycle.id, {
        postId: chair,
        personId: await newPerson(unit),
        readiness: 'ready_now',
      });
      expectError(closed, 409, 'PLANNING_CYCLE_STATUS');
      expect(closed.body.message).toBe(
        'Kỳ quy hoạch đang ở trạng thái "Đã trình cấp trên" nên không thể thực hiện thao tác này.',
      );
      const wrongStep = await setStatus(cycle.id, 'closed');
      expectError(wrongStep, 409, 'PLANNING_CYCLE_STATUS', ['status']);
      expect(wrongStep.body.details[0].message).toBe(
        'Không được chuyển từ "Đã trình cấp trên" sang "Đã kết thúc".',
      );
      for (const res of [closed, wrongStep]) {
        expect(res.body.message).not.toMatch(ENGLISH_CODES);
        for (const d of res.body.details as { message: string }[]) {
          expect(d.message).not.toMatch(ENGLISH_CODES);
        }
      }
      const english = await setStatus(cycle.id, 'closed').set(en);
      expect(english.body.message).toBe(
        'The planning cycle is "Submitted", which does not allow this.',
      );
    });
  });
});
