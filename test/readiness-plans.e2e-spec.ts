import { randomBytes } from 'node:crypto';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';

interface SuggestionGap {
  code: string;
  requiredLevel: number;
  currentLevel: number | null;
  critical: boolean;
  gap: number;
}
interface Nomination {
  id: string;
  personId: string;
  readiness: string;
  readinessOverrideReason: string | null;
  suggestedReadiness: string | null;
  suggestion: {
    readiness: string | null;
    reasons: string[];
    versionId: string | null;
    profileId: string | null;
    criticalGaps: SuggestionGap[];
    gapsOverOne: SuggestionGap[];
    maxGap: number;
    totalGap: number;
    evaluation: { year: number; level: string } | null;
  };
}
interface PlanCourse {
  id: string;
  code: string;
  level: number;
  reachesRequired: boolean;
  enrolment: { id: string; status: string; dueOn: string | null } | null;
}
interface Plan {
  nominationId: string;
  personId: string;
  versionId: string | null;
  profileId: string | null;
  totalGap: number;
  gaps: (SuggestionGap & { courses: PlanCourse[] })[];
  courses: (PlanCourse & { competencies: string[] })[];
}
interface EnrolResult {
  created: number;
  dueOn: string;
  items: {
    enrolmentId: string;
    courseId: string;
    code: string;
    dueOn: string | null;
    created: boolean;
  }[];
}

/**
 * Readiness suggestion and development plans (issue 5, items 3 and 4). The suite publishes a
 * Hà Nội framework of three competencies with a chair profile (X1 critical at 3, X2 at 2, X3 at
 * 2 not critical on a three-level scale): the newest framework applying at Hà Nội's units, so
 * it is the one the chair posts made here are measured against. People, ratings and
 * evaluations are made in the test, so each band's suggestion is known by hand.
 */
describe('readiness suggestion and development plans', () => {
  let t: TestApp;
  let hr: { Authorization: string };
  let admin: { Authorization: string };
  const suffix = randomBytes(3).toString('hex').toUpperCase();
  let count = 0;
  let versionId: string;
  let courses: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp();
    hr = bearer(t.tokens.hrHanoi);
    admin = bearer(t.tokens.admin);
    const hn = await t.unitId('HN');
    const framework = await t.http
      .post('/api/v1/frameworks')
      .set(hr)
      .send({
        code: `KNL-QH-${suffix}`,
        nameVi: 'Khung quy hoạch thử',
        nameEn: 'Planning test framework',
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
    versionId = framework.body.versions[0].id;
    await t.http
      .post('/api/v1/role-profiles')
      .set(hr)
      .send({
        versionId,
        postType: 'chair',
        orgLevel: 'grassroots',
        requirements: [
          { competencyCode: 'X1', requiredLevel: 3, critical: true },
          { competencyCode: 'X2', requiredLevel: 2 },
          { competencyCode: 'X3', requiredLevel: 2 },
        ],
      })
      .expect(201);
    await t.http.post(`/api/v1/framework-versions/${versionId}/publish`).set(hr).expect(200);
    const rows = await t.dataSource.query<{ id: string; code: string }[]>(
      `SELECT id, code FROM courses WHERE code IN ('K01', 'K02', 'K03')`,
    );
    courses = Object.fromEntries(rows.map((r) => [r.code, r.id]));
    const competency = Object.fromEntries(
      (
        await t.dataSource.query<{ id: string; code: string }[]>(
          `SELECT id, code FROM competencies WHERE version_id = $1`,
          [versionId],
        )
      ).map((c) => [c.code, c.id]),
    );
    // Hà Nội's courses K01 (X1 to 3, X2 to 2) and K03 (X3 to 2); K02 (national) is elsewhere.
    const officer = bearer(t.tokens.officerHanoi);
    await t.http
      .put(`/api/v1/courses/${courses.K01}/competencies`)
      .set(officer)
      .send({
        items: [
          { competencyId: competency.X1, level: 3 },
          { competencyId: competency.X2, level: 2 },
        ],
      })
      .expect(200);
    await t.http
      .put(`/api/v1/courses/${courses.K03}/competencies`)
      .set(officer)
      .send({ items: [{ competencyId: competency.X3, level: 2 }] })
      .expect(200);
  });

  afterAll(async () => {
    await t.close();
  });

  async function ok<T>(res: { status: number; body: unknown }, status = 201): Promise<T> {
    if (res.status !== status) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  }

  /** A grassroots union under HN-HD with a chair post, and a draft cycle planning it. */
  async function newCycle(parent = 'HN-HD', as = hr) {
    const unit = await ok<{ id: string }>(
      await t.http
        .post('/api/v1/org-units')
        .set(admin)
        .send({
          code: `T5R-${suffix}-${++count}`,
          name: `Công đoàn cơ sở thử nghiệm sẵn sàng ${count}`,
          level: 'grassroots',
          sector: 'private',
          parentId: await t.unitId(parent),
        }),
    );
    const post = await ok<{ id: string }>(
      await t.http.post('/api/v1/posts').set(admin).send({ orgUnitId: unit.id, postType: 'chair' }),
    );
    const cycle = await ok<{ id: string }>(
      await t.http
        .post('/api/v1/planning-cycles')
        .set(as)
        .send({
          orgUnitId: unit.id,
          termStart: '2028-07-01',
          termEnd: '2033-06-30',
          postIds: [post.id],
          rules: { maxNomineesPerPost: 10 },
        }),
    );
    return { unit: unit.id, post: post.id, cycle: cycle.id };
  }

  /** A person with the given current levels and latest evaluation score (none when null). */
  async function person(
    unit: string,
    levels: Record<string, number>,
    score: number | null,
  ): Promise<string> {
    const p = await ok<{ id: string }>(
      await t.http
        .post('/api/v1/people')
        .set(admin)
        .send({
          familyName: 'Lê',
          givenName: `Sẵn sàng ${++count}`,
          birthDate: '1986-06-06',
          gender: 'male',
          homeOrgUnitId: unit,
        }),
    );
    const ratings = Object.entries(levels).map(([competencyCode, level]) => ({
      competencyCode,
      level,
    }));
    if (ratings.length) {
      await ok(
        await t.http.post(`/api/v1/people/${p.id}/ratings`).set(hr).send({ versionId, ratings }),
      );
    }
    if (score !== null) {
      await ok(
        await t.http
          .post('/api/v1/evaluations')
          .set(hr)
          .send({ personId: p.id, year: 2025, score }),
      );
    }
    return p.id;
  }

  const nominate = (cycle: string, body: Record<string, unknown>, as = hr) =>
    t.http.post(`/api/v1/planning-cycles/${cycle}/nominations`).set(as).send(body);
  const setReadiness = (cycle: string, id: string, body: Record<string, unknown>, as = hr) =>
    t.http.patch(`/api/v1/planning-cycles/${cycle}/nominations/${id}/readiness`).set(as).send(body);
  const auditOf = async (entityId: string) =>
    (
      await ok<{ items: { action: string; before: unknown; after: Record<string, unknown> }[] }>(
        await t.http.get('/api/v1/audit').query({ entityId }).set(hr),
        200,
      )
    ).items;

  it('suggests each band from the gaps and the latest evaluation, for the whole list', async () => {
    const { unit, post, cycle } = await newCycle();
    // X1 critical met; X3 (not critical) missing → a 2-level gap that does not hold back; excellent.
    const now = await person(unit, { X1: 3, X2: 2 }, 92);
    // Critical X1 one level short, X3 one short; "completed" (60).
    const soon = await person(unit, { X1: 2, X2: 2, X3: 1 }, 60);
    // Critical X1 two levels short; good (75).
    const later = await person(unit, { X1: 1, X2: 2, X3: 2 }, 75);
    // Every requirement met but "not completed" (30).
    const weak = await person(unit, { X1: 3, X2: 2, X3: 2 }, 30);
    // Nothing rated, never evaluated: no evidence counts as level 0.
    const blank = await person(unit, {}, null);
    const expected: [string, string, string[]][] = [
      [now, 'ready_now', []],
      [soon, 'ready_1_2_years', ['CRITICAL_GAPS', 'EVALUATION_BELOW_GOOD']],
      [later, 'ready_3_plus_years', ['CRITICAL_GAPS', 'GAP_OVER_ONE_LEVEL']],
      [weak, 'ready_3_plus_years', ['EVALUATION_BELOW_GOOD', 'NOT_COMPLETED_EVALUATION']],
      [blank, 'ready_3_plus_years', ['CRITICAL_GAPS', 'NO_EVALUATION', 'GAP_OVER_ONE_LEVEL']],
    ];
    const made: Record<string, Nomination> = {};
    for (const [personId, readiness, reasons] of expected) {
      // Following the suggestion needs no reason.
      const n = await ok<Nomination>(await nominate(cycle, { postId: post, personId, readiness }));
      expect({ personId, suggested: n.suggestedReadiness, reasons: n.suggestion.reasons }).toEqual({
        personId,
        suggested: readiness,
        reasons,
      });
      expect(n).toMatchObject({ readiness, readinessOverrideReason: null });
      expect(n.suggestion.versionId).toBe(versionId);
      made[personId] = n;
    }
    expect(made[now].suggestion).toMatchObject({
      criticalGaps: [],
      gapsOverOne: [{ code: 'X3', requiredLevel: 2, currentLevel: null, gap: 2 }],
      maxGap: 2,
      totalGap: 2,
      evaluation: { year: 2025, level: 'excellent' },
    });
    expect(made[soon].suggestion).toMatchObject({
      criticalGaps: [{ code: 'X1', requiredLevel: 3, currentLevel: 2, critical: true, gap: 1 }],
      gapsOverOne: [],
      maxGap: 1,
      totalGap: 2,
      evaluation: { level: 'completed' },
    });
    expect(made[later].suggestion.criticalGaps).toEqual([
      { code: 'X1', requiredLevel: 3, currentLevel: 1, critical: true, gap: 2 },
    ]);
    expect(made[blank].suggestion).toMatchObject({ totalGap: 7, evaluation: null });

    // The list shows the same beside HR's readiness, page by page.
    const seen = new Map<string, Nomination>();
    let cursor: string | null = null;
    do {
      const page: { items: Nomination[]; nextCursor: string | null } = await ok(
        await t.http
          .get(`/api/v1/planning-cycles/${cycle}/nominations`)
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(bearer(t.tokens.officerHanoi)),
        200,
      );
      for (const n of page.items) seen.set(n.personId, n);
      cursor = page.nextCursor;
    } while (cursor);
    expect(
      expected.map(([p]) => [seen.get(p)?.suggestedReadiness, seen.get(p)?.suggestion.reasons]),
    ).toEqual(expected.map(([, r, reasons]) => [r, reasons]));
    const one = await ok<Nomination>(
      await t.http.get(`/api/v1/planning-cycles/${cycle}/nominations/${made[soon].id}`).set(hr),
      200,
    );
    expect(one).toEqual(made[soon]);

    // A new rating moves the suggestion (computed when read, never stored).
    await ok(
      await t.http
        .post(`/api/v1/people/${soon}/ratings`)
        .set(hr)
        .send({ versionId, ratings: [{ competencyCode: 'X1', level: 3 }] }),
    );
    const after = await ok<Nomination>(
      await t.http.get(`/api/v1/planning-cycles/${cycle}/nominations/${made[soon].id}`).set(hr),
      200,
    );
    expect(after.suggestedReadiness).toBe('ready_1_2_years');
    expect(after.suggestion.reasons).toEqual(['EVALUATION_BELOW_GOOD']);
    // Each reason has its words beside the code.
    expect(after).toMatchObject({
      suggestedReadinessLabel: 'Sẵn sàng sau 1–2 năm',
      suggestion: { reasonLabels: ['Xếp loại gần nhất thấp hơn Hoàn thành tốt nhiệm vụ'] },
    });
  });

  it('needs a reason to override the suggestion, stores it and audits it', async () => {
    const { unit, post, cycle } = await newCycle();
    const blank = await person(unit, {}, null);
    const res = await nominate(cycle, { postId: post, personId: blank, readiness: 'ready_now' });
    expectError(res, 422, 'PLANNING_READINESS_OVERRIDE_REASON', ['readinessReason']);
    // The suggested band by its name, never its code, in either language.
    expect(res.body.message).toBe(
      'Mức sẵn sàng khác với mức hệ thống gợi ý ("Sẵn sàng sau 3 năm trở lên") nên phải nêu lý do.',
    );
    expect(res.body.details[0].message).toMatch(
      /^Cần nêu lý do: hệ thống gợi ý "Sẵn sàng sau 3 năm trở lên" \(.+\)\.$/,
    );
    expect(res.body.details[0].message).not.toMatch(/[A-Z]{2,}_[A-Z]+|ready_/);
    const english = await nominate(cycle, {
      postId: post,
      personId: blank,
      readiness: 'ready_now',
    }).set('Accept-Language', 'en');
    expect(english.body.message).toBe(
      'The readiness differs from the suggested one ("Ready in 3 or more years"), so a reason is required.',
    );
    expectError(
      await nominate(cycle, {
        postId: post,
        personId: blank,
        readiness: 'ready_now',
        readinessReason: '   ',
      }),
      400,
      'VALIDATION_FAILED',
      ['readinessReason'],
    );
    const n = await ok<Nomination>(
      await nominate(cycle, {
        postId: post,
        personId: blank,
        readiness: 'ready_now',
        readinessReason: 'Đã qua thực tiễn lãnh đạo, chưa được đánh giá khung năng lực',
      }),
    );
    expect(n).toMatchObject({
      readiness: 'ready_now',
      suggestedReadiness: 'ready_3_plus_years',
      readinessOverrideReason: 'Đã qua thực tiễn lãnh đạo, chưa được đánh giá khung năng lực',
    });
    expect((await auditOf(n.id))[0]).toMatchObject({
      action: 'nomination.create',
      after: {
        readiness: 'ready_now',
        readinessOverrideReason: 'Đã qua thực tiễn lãnh đạo, chưa được đánh giá khung năng lực',
        suggestedReadiness: 'ready_3_plus_years',
      },
    });

    // PATCH …/readiness: another override needs its own reason; following the suggestion clears it.
    expectError(
      await setReadiness(cycle, n.id, { readiness: 'ready_1_2_years' }),
      422,
      'PLANNING_READINESS_OVERRIDE_REASON',
      ['reason'],
    );
    expectError(
      await setReadiness(cycle, n.id, { readiness: 'soon', reason: '', extra: 1 }),
      400,
      'VALIDATION_FAILED',
      ['readiness', 'reason', 'extra'],
    );
    const changed = await ok<Nomination>(
      await setReadiness(cycle, n.id, { readiness: 'ready_1_2_years', reason: 'Cần thêm 1 năm' }),
      200,
    );
    expect(changed).toMatchObject({
      readiness: 'ready_1_2_years',
      readinessOverrideReason: 'Cần thêm 1 năm',
    });
    const followed = await ok<Nomination>(
      await setReadiness(cycle, n.id, { readiness: 'ready_3_plus_years' }),
      200,
    );
    expect(followed).toMatchObject({
      readiness: 'ready_3_plus_years',
      readinessOverrideReason: null,
    });
    // The same again changes nothing and logs nothing.
    await ok(await setReadiness(cycle, n.id, { readiness: 'ready_3_plus_years' }), 200);
    const log = await auditOf(n.id);
    expect(log.map((e) => e.action)).toEqual([
      'nomination.readiness',
      'nomination.readiness',
      'nomination.create',
    ]);
    expect(log[1]).toMatchObject({
      before: { readiness: 'ready_now' },
      after: { readiness: 'ready_1_2_years', readinessOverrideReason: 'Cần thêm 1 năm' },
    });
    expect(log[0].after).toMatchObject({
      readiness: 'ready_3_plus_years',
      readinessOverrideReason: null,
    });

    // The yearly review's decision: a new readiness off the suggestion needs readinessReason.
    await ok(
      await t.http.post(`/api/v1/planning-cycles/${cycle}/status`).set(hr).send({ status: 'open' }),
      200,
    );
    await ok(
      await t.http.post(`/api/v1/planning-cycles/${cycle}/reviews`).set(hr).send({ year: 2026 }),
      200,
    );
    const reviews = await ok<{ items: { id: string; nominationId: string }[] }>(
      await t.http.get(`/api/v1/planning-cycles/${cycle}/reviews`).set(hr),
      200,
    );
    const review = reviews.items.find((r) => r.nominationId === n.id)!;
    const decide = (body: Record<string, unknown>) =>
      t.http
        .post(`/api/v1/planning-cycles/${cycle}/reviews/${review.id}/decision`)
        .set(hr)
        .send(body);
    expectError(
      await decide({ decision: 'kept', readiness: 'ready_now' }),
      422,
      'PLANNING_READINESS_OVERRIDE_REASON',
      ['readinessReason'],
    );
    await ok(
      await decide({ decision: 'kept', readiness: 'ready_now', readinessReason: 'Bổ nhiệm sớm' }),
      200,
    );
    const kept = await ok<Nomination>(
      await t.http.get(`/api/v1/planning-cycles/${cycle}/nominations/${n.id}`).set(hr),
      200,
    );
    expect(kept).toMatchObject({ readiness: 'ready_now', readinessOverrideReason: 'Bổ nhiệm sớm' });
  });

  it('turns a development plan into enrolments with a due date, once', async () => {
    const { unit, post, cycle } = await newCycle();
    // X1 2 of 3 (critical), X2 met, X3 1 of 2.
    const nominee = await person(unit, { X1: 2, X2: 2, X3: 1 }, 80);
    const n = await ok<Nomination>(
      await nominate(cycle, { postId: post, personId: nominee, readiness: 'ready_1_2_years' }),
    );
    // Already enrolled in K03 by the training officer, with no due date: kept as it is.
    const before = await ok<{ items: { id: string }[] }>(
      await t.http
        .post('/api/v1/enrolments')
        .set(bearer(t.tokens.officerHanoi))
        .send({ courseId: courses.K03, personIds: [nominee] }),
      200,
    );
    const planUrl = `/api/v1/planning-cycles/${cycle}/nominations/${n.id}/development-plan`;
    const plan = await ok<Plan>(await t.http.get(planUrl).set(bearer(t.tokens.officerHanoi)), 200);
    expect(plan).toMatchObject({ nominationId: n.id, personId: nominee, versionId, totalGap: 2 });
    expect(
      plan.gaps.map((g) => [g.code, g.requiredLevel, g.currentLevel, g.critical, g.gap]),
    ).toEqual([
      ['X1', 3, 2, true, 1],
      ['X3', 2, 1, false, 1],
    ]);
    expect(plan.gaps[0].courses).toEqual([
      expect.objectContaining({ code: 'K01', level: 3, reachesRequired: true, enrolment: null }),
    ]);
    expect(plan.gaps[1].courses).toEqual([
      expect.objectContaining({
        code: 'K03',
        level: 2,
        reachesRequired: true,
        enrolment: { id: before.items[0].id, status: 'enrolled', dueOn: null },
      }),
    ]);
    expect(plan.courses.map((c) => [c.code, c.competencies])).toEqual([
      ['K01', ['X1']],
      ['K03', ['X3']],
    ]);

    const enrol = (body: Record<string, unknown>, as = hr) =>
      t.http.post(`${planUrl}/enrol`).set(as).send(body);
    // K02 develops none of the gaps: outside the plan, nothing enrolled.
    expectError(
      await enrol({ dueDate: '2027-06-30', courseIds: [courses.K01, courses.K02] }),
      422,
      'PLANNING_COURSE_NOT_IN_PLAN',
      ['courseIds[1]'],
    );
    const first = await ok<EnrolResult>(await enrol({ dueDate: '2027-06-30' }), 200);
    expect(first.created).toBe(1);
    expect(first.items.map((i) => [i.code, i.created, i.dueOn])).toEqual([
      ['K01', true, '2027-06-30'],
      ['K03', false, null],
    ]);
    expect(first.items[1].enrolmentId).toBe(before.items[0].id);
    const again = await ok<EnrolResult>(await enrol({ dueDate: '2027-12-31' }), 200);
    expect(again.created).toBe(0);
    expect(again.items.map((i) => [i.code, i.created, i.dueOn])).toEqual([
      ['K01', false, '2027-06-30'],
      ['K03', false, null],
    ]);
    const [{ n: rows }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM enrolments WHERE person_id = $1`,
      [nominee],
    );
    expect(rows).toBe(2);
    const log = await auditOf(n.id);
    expect(log.map((e) => e.action)).toEqual(['nomination.plan_enrol', 'nomination.create']);
    expect(log[0].after).toMatchObject({
      personId: nominee,
      dueOn: '2027-06-30',
      enrolments: [{ courseId: courses.K01, code: 'K01' }],
    });
    // The learner sees the enrolment; the plan shows it with its due date.
    const replan = await ok<Plan>(await t.http.get(planUrl).set(hr), 200);
    expect(replan.courses.map((c) => c.enrolment?.dueOn)).toEqual(['2027-06-30', null]);

    // A chosen subset: another nominee lacking only X3 — K01 is not in that plan.
    const other = await person(unit, { X1: 3, X2: 2 }, 80);
    const m = await ok<Nomination>(
      await nominate(cycle, {
        postId: post,
        personId: other,
        readiness: 'ready_3_plus_years',
        readinessReason: 'Chưa qua thực tiễn',
      }),
    );
    const otherUrl = `/api/v1/planning-cycles/${cycle}/nominations/${m.id}/development-plan/enrol`;
    expectError(
      await t.http
        .post(otherUrl)
        .set(hr)
        .send({ dueDate: '2027-06-30', courseIds: [courses.K01] }),
      422,
      'PLANNING_COURSE_NOT_IN_PLAN',
      ['courseIds[0]'],
    );
    const subset = await ok<EnrolResult>(
      await t.http
        .post(otherUrl)
        .set(hr)
        .send({ dueDate: '2027-03-31', courseIds: [courses.K03] }),
      200,
    );
    expect(subset.items.map((i) => [i.code, i.created, i.dueOn])).toEqual([
      ['K03', true, '2027-03-31'],
    ]);

    // Bad bodies → 400 with details; a removed nominee's plan is not enrolled.
    expectError(
      await enrol({ dueDate: '2027-02-30', courseIds: ['x'], extra: 1 }),
      400,
      'VALIDATION_FAILED',
      ['dueDate', 'courseIds', 'extra'],
    );
    expectError(await enrol({ courseIds: [] }), 400, 'VALIDATION_FAILED', ['dueDate', 'courseIds']);
    expectError(await enrol({ dueDate: '2020-01-01' }), 400, 'VALIDATION_FAILED', ['dueDate']);
    await ok(
      await t.http
        .post(`/api/v1/planning-cycles/${cycle}/nominations/${m.id}/remove`)
        .set(hr)
        .send({ reason: 'moved' }),
      200,
    );
    expectError(
      await t.http.post(otherUrl).set(hr).send({ dueDate: '2027-06-30' }),
      409,
      'PLANNING_NOMINATION_STATUS',
    );
  });

  it('tells the nominee, in a message of its own, which courses the plan enrolled them in', async () => {
    const { unit, post, cycle } = await newCycle();
    const nominee = await person(unit, { X1: 2, X2: 2, X3: 1 }, 80);
    const n = await ok<Nomination>(
      await nominate(cycle, { postId: post, personId: nominee, readiness: 'ready_1_2_years' }),
    );
    const url = `/api/v1/planning-cycles/${cycle}/nominations/${n.id}/development-plan/enrol`;
    const messages = () =>
      t.dataSource.query<
        { status: string; payload: { courses: { code: string; dueOn: string | null }[] } }[]
      >(
        `SELECT status, payload FROM notification_outbox
          WHERE person_id = $1 AND event = 'plan_enrolled' ORDER BY created_at`,
        [nominee],
      );
    await ok(
      await t.http
        .post(url)
        .set(hr)
        .send({ dueDate: '2027-06-30', courseIds: [courses.K01] }),
      200,
    );
    expect((await messages()).map((m) => m.payload.courses)).toEqual([
      [expect.objectContaining({ code: 'K01', dueOn: '2027-06-30' })],
    ]);
    // The rest of the plan the same day joins the message that has not gone yet.
    await ok(await t.http.post(url).set(hr).send({ dueDate: '2027-09-30' }), 200);
    // Nothing new enrolled: nothing new told.
    await ok(await t.http.post(url).set(hr).send({ dueDate: '2027-12-31' }), 200);
    const [message] = await messages();
    expect((await messages()).length).toBe(1);
    expect(message.status).toBe('pending');
    expect(
      message.payload.courses
        .map((c) => [c.code, c.dueOn])
        .sort(([a], [b]) => a!.localeCompare(b!)),
    ).toEqual([
      ['K01', '2027-06-30'],
      ['K03', '2027-09-30'],
    ]);
    const outbox = await ok<{ items: { event: string; subject: string; bodyText: string }[] }>(
      await t.http
        .get('/api/v1/notifications/outbox')
        .query({ personId: nominee })
        .set(bearer(t.tokens.officerHanoi)),
      200,
    );
    const read = outbox.items.find((i) => i.event === 'plan_enrolled')!;
    expect(read.subject).toBe('Đồng chí được ghi danh 2 khóa học theo kế hoạch phát triển');
    expect(read.bodyText).toContain('hoàn thành trước ngày 30/06/2027');
  });

  it('refuses out of scope (404) and without the role (403)', async () => {
    const { unit, post, cycle } = await newCycle();
    const nominee = await person(unit, {}, null);
    const n = await ok<Nomination>(
      await nominate(cycle, { postId: post, personId: nominee, readiness: 'ready_3_plus_years' }),
    );
    const base = `/api/v1/planning-cycles/${cycle}/nominations/${n.id}`;
    const officer = bearer(t.tokens.officerHanoi);
    const chair = bearer(t.tokens.chair);
    expectError(
      await setReadiness(cycle, n.id, { readiness: 'ready_3_plus_years' }, officer),
      403,
      'FORBIDDEN',
    );
    expectError(
      await t.http
        .post(`${base}/development-plan/enrol`)
        .set(officer)
        .send({ dueDate: '2027-06-30' }),
      403,
      'FORBIDDEN',
    );
    expectError(await t.http.get(`${base}/development-plan`).set(chair), 403, 'FORBIDDEN');
    expectError(await t.http.get(base).set(chair), 403, 'FORBIDDEN');

    // A Bắc Ninh cycle (made by the administrator) does not exist for Hà Nội's HR.
    const bn = await newCycle('BN', admin);
    const bnPerson = await person(bn.unit, {}, null);
    const bnNomination = await ok<Nomination>(
      await nominate(
        bn.cycle,
        { postId: bn.post, personId: bnPerson, readiness: 'ready_3_plus_years' },
        admin,
      ),
    );
    const bnBase = `/api/v1/planning-cycles/${bn.cycle}/nominations/${bnNomination.id}`;
    expectError(await t.http.get(bnBase).set(hr), 404, 'PLANNING_CYCLE_NOT_FOUND');
    expectError(
      await t.http.get(`${bnBase}/development-plan`).set(hr),
      404,
      'PLANNING_CYCLE_NOT_FOUND',
    );
    expectError(
      await t.http
        .patch(`${bnBase}/readiness`)
        .set(hr)
        .send({ readiness: 'ready_now', reason: 'x' }),
      404,
      'PLANNING_CYCLE_NOT_FOUND',
    );
    expectError(
      await t.http.post(`${bnBase}/development-plan/enrol`).set(hr).send({ dueDate: '2027-06-30' }),
      404,
      'PLANNING_CYCLE_NOT_FOUND',
    );
    // A nomination of another cycle is not found under this one.
    expectError(
      await t.http.get(`/api/v1/planning-cycles/${cycle}/nominations/${bnNomination.id}`).set(hr),
      404,
      'NOMINATION_NOT_FOUND',
    );
    expectError(
      await t.http
        .get(`/api/v1/planning-cycles/${cycle}/nominations/not-a-uuid/development-plan`)
        .set(hr),
      400,
      'VALIDATION_FAILED',
    );
  });
});
