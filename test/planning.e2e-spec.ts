import { randomBytes } from 'node:crypto';
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
        rules: {
          maxNomineesPerPost: 3,
          maxPostsPerPerson: 3,
          minWorkingYearsLeft: 10,
          retirementAge: { male: 62, female: 60 },
          womenTarget: 0.25,
          under40Target: 0.15,
        },
      });
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
          rules: { maxNomineesPerPost: 0, retirementAge: { male: 'x' } },
          extra: 1,
        });
      expectError(bad, 400, 'VALIDATION_FAILED', [
        'termEnd',
        'postIds',
        'rules.maxNomineesPerPost',
        'rules.retirementAge.male',
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
      expectError(await t.http.get('/api/v1/planning-cycles/not-a-uuid').set(hr), 404, 'NOT_FOUND');
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
        .send({ maxNomineesPerPost: 2, retirementAge: { female: 62 } });
      expect(patched.status).toBe(200);
      expect((patched.body as Cycle).rules).toMatchObject({
        maxNomineesPerPost: 2,
        maxPostsPerPerson: 3,
        retirementAge: { male: 62, female: 62 },
      });
      expectError(
        await t.http
          .patch(`/api/v1/planning-cycles/${cycle.id}/rules`)
          .set(hr)
          .send({ womenTarget: 2 }),
        400,
        'VALIDATION_FAILED',
        ['womenTarget'],
      );

      expectError(await setStatus(cycle.id, 'approved'), 409, 'PLANNING_CYCLE_STATUS', ['status']);
      expectError(await setStatus(cycle.id, 'bogus'), 400, 'VALIDATION_FAILED', ['status']);
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
      // Term from 2028-07-01: a man born 1976-06-30 retires 2038-06-30, a day short of 10 years.
      const old = await newPerson(unit, '1976-06-30', 'male');
      const res = await nominate(cycle.id, {
        postId: chair,
        personId: old,
        readiness: 'ready_now',
      });
      expectError(res, 422, 'PLANNING_AGE_RULE', ['personId']);
      expect(res.body.message).toContain('30/06/2038');
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
        retirementDate: '2030-01-01',
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
});
