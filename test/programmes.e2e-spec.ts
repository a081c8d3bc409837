import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';

interface MyItem {
  programme: { code: string };
  status: string;
  dueOn: string;
  progress: { completedCourses: number; requiredCourses: number; percent: number };
  nextCourse: { code: string; enrolmentId: string | null } | null;
}

/**
 * Programmes (issue 6, items 1, 2, 7, 8): building a programme with course sets and rules,
 * validation, scope and role refusals, audience rules and the preview, and the learner's view
 * of set-rule progress. Course completion is set directly on enrolments here: the completion
 * rule itself is covered by the journey suite.
 */
describe('programmes', () => {
  let t: TestApp;
  const courseIds: Record<string, string> = {};
  let hanoi: string;
  let chairPersonId: string;

  const officer = () => bearer(t.tokens.officerHanoi);

  const completeCourse = (personId: string, code: string) =>
    t.dataSource.query(
      `UPDATE enrolments SET status = 'completed', completed_at = now()
        WHERE person_id = $1 AND course_id = $2`,
      [personId, courseIds[code]],
    );

  const mine = async (code: string): Promise<MyItem> => {
    const res = await t.http.get('/api/v1/me/assignments').set(bearer(t.tokens.chair)).expect(200);
    const item = (res.body.items as MyItem[]).find((i) => i.programme.code === code);
    if (!item) throw new Error(`no assignment of ${code}`);
    return item;
  };

  const createProgramme = async (body: object) => {
    const res = await t.http.post('/api/v1/programmes').set(officer()).send(body);
    if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; status: string; sets: { courses: { code: string }[] }[] };
  };

  beforeAll(async () => {
    t = await createTestApp();
    hanoi = await t.unitId('HN');
    const rows = await t.dataSource.query<{ id: string; code: string }[]>(
      `SELECT id, code FROM courses WHERE code IN ('K01', 'K02', 'K03', 'K04', 'K05')`,
    );
    for (const r of rows) courseIds[r.code] = r.id;
    const [chair] = await t.dataSource.query<{ person_id: string }[]>(
      `SELECT person_id FROM user_accounts WHERE email = 'chutich.mayhadong@lms.congdoan.test'`,
    );
    chairPersonId = chair.person_id;
  });

  afterAll(async () => {
    await t.close();
  });

  it('the demo seed assigns "Bồi dưỡng chủ tịch CĐCS mới bầu" to every grassroots chair of Hà Nội', async () => {
    const [p] = await t.dataSource.query<
      {
        id: string;
        recert_programme_id: string;
        due_days: number;
        recert_validity_months: number;
      }[]
    >(`SELECT * FROM programmes WHERE title = 'Bồi dưỡng chủ tịch CĐCS mới bầu'`);
    expect(p).toMatchObject({
      due_days: 90,
      recert_validity_months: 36,
      recert_programme_id: p.id,
    });
    const [{ chairs }] = await t.dataSource.query<{ chairs: number }[]>(
      `SELECT count(DISTINCT a.person_id)::int AS chairs
         FROM appointments a JOIN posts po ON po.id = a.post_id
         JOIN org_units o ON o.id = po.org_unit_id
        WHERE po.post_type = 'chair' AND o.level = 'grassroots' AND a.status = 'active'
          AND o.path LIKE (SELECT path FROM org_units WHERE code = 'HN') || '%'`,
    );
    const [{ members, enrolled }] = await t.dataSource.query<
      { members: number; enrolled: number }[]
    >(
      `SELECT count(*)::int AS members,
              (SELECT count(*)::int FROM enrolments e JOIN assignment_members m2 ON m2.person_id = e.person_id
                 JOIN programme_assignments a2 ON a2.id = m2.assignment_id
                WHERE a2.programme_id = $1
                  AND e.course_id IN (SELECT course_id FROM programme_set_courses sc
                                        JOIN programme_course_sets s ON s.id = sc.set_id
                                       WHERE s.programme_id = $1)) AS enrolled
         FROM assignment_members m JOIN programme_assignments a ON a.id = m.assignment_id
        WHERE a.programme_id = $1`,
      [p.id],
    );
    expect(chairs).toBeGreaterThanOrEqual(6);
    expect(members).toBe(chairs);
    expect(enrolled).toBe(chairs * 3);
    const item = await mine('BD-CTCDCS-MOI');
    expect(item.progress).toEqual({ completedCourses: 0, requiredCourses: 3, percent: 0 });
    expect(item.nextCourse?.code).toBe('K01');
    expect(item.status).toBe('in_progress'); // the demo chair has started K01
  });

  it('lists the catalogue page by page, each programme with its sets, within scope', async () => {
    const made = [
      await createProgramme({
        code: 'P-LIST-A',
        title: 'Danh mục A',
        ownerOrgUnitId: hanoi,
        dueRuleKind: 'days_after_assignment',
        dueDays: 30,
        sets: [
          { rule: 'all_in_order', courseIds: [courseIds.K01, courseIds.K02] },
          { rule: 'any_order', courseIds: [courseIds.K03] },
        ],
      }),
      await createProgramme({
        code: 'P-LIST-B',
        title: 'Danh mục B',
        ownerOrgUnitId: hanoi,
        dueRuleKind: 'days_after_assignment',
        dueDays: 60,
        sets: [{ rule: 'any_order', courseIds: [courseIds.K04] }],
      }),
    ];
    type Listed = { id: string; code: string; sets: { courses: { code: string }[] }[] };
    const seen: Listed[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.http
        .get('/api/v1/programmes')
        .query({ limit: 1, ...(cursor ? { cursor } : {}) })
        .set(officer())
        .expect(200);
      const page = res.body as { items: Listed[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const codes = seen.map((p) => p.code);
    expect(codes).toEqual([...codes].sort());
    const byCode = new Map(seen.map((p) => [p.code, p]));
    expect(byCode.get('P-LIST-A')?.sets.map((set) => set.courses.map((c) => c.code))).toEqual([
      ['K01', 'K02'],
      ['K03'],
    ]);
    expect(byCode.get('P-LIST-B')?.sets.map((set) => set.courses.map((c) => c.code))).toEqual([
      ['K04'],
    ]);
    expect(byCode.get('P-LIST-A')?.id).toBe(made[0].id);
    // Drafts of Hà Nội are not in Bắc Ninh's catalogue.
    const other = await t.http
      .get('/api/v1/programmes')
      .query({ limit: 100 })
      .set(bearer(t.tokens.officerBacNinh))
      .expect(200);
    const otherCodes = (other.body as { items: Listed[] }).items.map((p) => p.code);
    expect(otherCodes).not.toContain('P-LIST-A');
    expect(otherCodes).not.toContain('P-LIST-B');
  });

  it('refuses bad bodies with details (400)', async () => {
    let res = await t.http.post('/api/v1/programmes').set(officer()).send({ title: '' });
    expectError(res, 400, 'VALIDATION_FAILED', ['code', 'title', 'ownerOrgUnitId', 'dueRuleKind']);
    res = await t.http
      .post('/api/v1/programmes')
      .set(officer())
      .send({
        code: 'P-BAD',
        title: 'Sai',
        ownerOrgUnitId: hanoi,
        dueRuleKind: 'days_after_assignment',
        dueDays: 30,
        sets: [{ rule: 'at_least_n', minCount: 3, courseIds: [courseIds.K01, courseIds.K02] }],
      });
    expectError(res, 400, 'VALIDATION_FAILED', ['sets[0].minCount']);
    res = await t.http
      .post('/api/v1/programmes')
      .set(officer())
      .send({
        code: 'P-BAD',
        title: 'Sai',
        ownerOrgUnitId: hanoi,
        dueRuleKind: 'fixed_date',
        sets: [{ rule: 'at_least_n', courseIds: ['nope'] }],
        extra: 1,
      });
    expectError(res, 400, 'VALIDATION_FAILED', ['sets.0.minCount', 'sets.0.courseIds', 'extra']);
    res = await t.http.post('/api/v1/programmes').set(officer()).send({
      code: 'P-BAD',
      title: 'Sai',
      ownerOrgUnitId: hanoi,
      dueRuleKind: 'fixed_date',
    });
    expectError(res, 400, 'VALIDATION_FAILED', ['dueDate']);
  });

  it('refuses a recertification window as long as the validity, with details in Vietnamese', async () => {
    const base = {
      code: 'P-RECERT',
      title: 'Bồi dưỡng lại định kỳ',
      ownerOrgUnitId: hanoi,
      dueRuleKind: 'days_after_assignment',
      dueDays: 30,
    };
    const post = (body: object, lang = 'vi') =>
      t.http.post('/api/v1/programmes').set(officer()).set('Accept-Language', lang).send(body);
    // One month can be as short as 28 days (February): a 28-day window would open on the day
    // of completion, so the next cycle would be assigned at once.
    let res = await post({ ...base, recertValidityMonths: 1, recertWindowDays: 28 });
    expectError(res, 400, 'VALIDATION_FAILED', ['recertWindowDays']);
    expect(res.body.details).toEqual([
      {
        field: 'recertWindowDays',
        message:
          'Thời gian mở bồi dưỡng lại (28 ngày) phải ngắn hơn thời hạn hiệu lực: 1 tháng có thể chỉ dài 28 ngày, nên tối đa là 27 ngày.',
      },
    ]);
    res = await post({ ...base, recertValidityMonths: 36, recertWindowDays: 1095 }, 'en');
    expectError(res, 400, 'VALIDATION_FAILED', ['recertWindowDays']);
    expect(res.body.details[0].message).toBe(
      'The recertification window (1095 days) must be shorter than the validity: 36 months can be as short as 1095 days, so at most 1094 days.',
    );
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM programmes WHERE code = 'P-RECERT'`,
    );
    expect(n).toBe(0);
    // Wrong types and out of range are refused field by field, as before.
    expectError(
      await post({ ...base, recertValidityMonths: '12', recertWindowDays: -1 }),
      400,
      'VALIDATION_FAILED',
      ['recertValidityMonths', 'recertWindowDays'],
    );
    const p = await createProgramme({ ...base, recertValidityMonths: 36, recertWindowDays: 1094 });
    // Shortening the validity under the window stored: the fault is on the field changed.
    const patch = (body: object, token = t.tokens.officerHanoi) =>
      t.http.patch(`/api/v1/programmes/${p.id}`).set(bearer(token)).send(body);
    res = await patch({ recertValidityMonths: 12 });
    expectError(res, 400, 'VALIDATION_FAILED', ['recertValidityMonths']);
    expect(res.body.details[0].message).toContain('tối đa là 364 ngày');
    expectError(await patch({ recertWindowDays: 1200 }), 400, 'VALIDATION_FAILED', [
      'recertWindowDays',
    ]);
    const ok = await patch({ recertValidityMonths: 12, recertWindowDays: 60 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ recertValidityMonths: 12, recertWindowDays: 60 });
    expectError(
      await patch({ recertWindowDays: 30 }, t.tokens.officerBacNinh),
      404,
      'PROGRAMME_NOT_FOUND',
    );
    expectError(await patch({ recertWindowDays: 30 }, t.tokens.chair), 403, 'FORBIDDEN');
  });

  it('refuses a fixed due date before today (422); a stored one that has passed stays editable', async () => {
    const base = {
      code: 'P-FIXED',
      title: 'Hạn cố định',
      ownerOrgUnitId: hanoi,
      dueRuleKind: 'fixed_date',
    };
    const res = await t.http
      .post('/api/v1/programmes')
      .set(officer())
      .send({ ...base, dueDate: '2020-01-31' });
    expectError(res, 422, 'DUE_DATE_IN_PAST', ['dueDate']);
    expect(res.body.message).toMatch(/^Hạn hoàn thành 31\/01\/2020 đã qua/);
    const p = await createProgramme({ ...base, dueDate: '2099-12-31' });
    expectError(
      await t.http
        .patch(`/api/v1/programmes/${p.id}`)
        .set(officer())
        .send({ dueDate: '2020-01-31' }),
      422,
      'DUE_DATE_IN_PAST',
      ['dueDate'],
    );
    await t.dataSource.query(`UPDATE programmes SET due_date = '2021-06-30' WHERE id = $1`, [p.id]);
    await t.http
      .patch(`/api/v1/programmes/${p.id}`)
      .set(officer())
      .send({ title: 'Hạn cố định (đã qua)' })
      .expect(200);
  });

  it('refuses by role (403) and by scope (404)', async () => {
    const body = {
      code: 'P-SCOPE',
      title: 'Phạm vi',
      ownerOrgUnitId: hanoi,
      dueRuleKind: 'days_after_assignment',
      dueDays: 30,
      sets: [{ rule: 'any_order', courseIds: [courseIds.K01] }],
    };
    expectError(
      await t.http.post('/api/v1/programmes').set(bearer(t.tokens.chair)).send(body),
      403,
      'FORBIDDEN',
    );
    expectError(
      await t.http.post('/api/v1/programmes').set(bearer(t.tokens.hrHanoi)).send(body),
      403,
      'FORBIDDEN',
    );
    expectError(
      await t.http.post('/api/v1/programmes').set(bearer(t.tokens.officerBacNinh)).send(body),
      404,
      'ORG_UNIT_NOT_FOUND',
    );
    const p = await createProgramme(body);
    expectError(
      await t.http.get(`/api/v1/programmes/${p.id}`).set(bearer(t.tokens.officerBacNinh)),
      404,
      'PROGRAMME_NOT_FOUND',
    );
    await t.http.get(`/api/v1/programmes/${p.id}`).set(bearer(t.tokens.hrHanoi)).expect(200);
    expectError(
      await t.http
        .post(`/api/v1/programmes/${p.id}/audience-preview`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ audience: { orgUnitId: hanoi } }),
      403,
      'FORBIDDEN',
    );
    // A draft cannot be assigned; publishing locks the sets.
    expectError(
      await t.http
        .post(`/api/v1/programmes/${p.id}/assignments`)
        .set(officer())
        .send({ audience: { orgUnitId: hanoi, postTypes: ['chair'] } }),
      409,
      'PROGRAMME_NOT_PUBLISHED',
    );
    await t.http.post(`/api/v1/programmes/${p.id}/publish`).set(officer()).expect(200);
    expectError(
      await t.http
        .patch(`/api/v1/programmes/${p.id}`)
        .set(officer())
        .send({ sets: [{ rule: 'any_order', courseIds: [courseIds.K02] }] }),
      409,
      'PROGRAMME_LOCKED',
    );
    // Bắc Ninh sees a published Hà Nội programme? No: it is not above Bắc Ninh.
    expectError(
      await t.http
        .post(`/api/v1/programmes/${p.id}/assignments`)
        .set(bearer(t.tokens.officerBacNinh))
        .send({ audience: { orgUnitId: await t.unitId('BN'), postTypes: ['chair'] } }),
      404,
      'PROGRAMME_NOT_FOUND',
    );
    // The Hà Nội officer may not target a unit outside Hà Nội.
    expectError(
      await t.http
        .post(`/api/v1/programmes/${p.id}/audience-preview`)
        .set(officer())
        .send({ audience: { orgUnitId: await t.unitId('BN') } }),
      404,
      'ORG_UNIT_NOT_FOUND',
    );
  });

  it('previews audience rules with one count and a sample by name, writing nothing', async () => {
    const p = await createProgramme({
      code: 'P-AUD',
      title: 'Đối tượng',
      ownerOrgUnitId: hanoi,
      dueRuleKind: 'days_after_assignment',
      dueDays: 30,
      sets: [{ rule: 'any_order', courseIds: [courseIds.K04] }],
    });
    const before = await t.dataSource.query<{ n: number }[]>(
      `SELECT (SELECT count(*) FROM programme_assignments) + (SELECT count(*) FROM assignment_members)
              + (SELECT count(*) FROM enrolments) AS n`,
    );
    const preview = async (audience: object) => {
      const res = await t.http
        .post(`/api/v1/programmes/${p.id}/audience-preview`)
        .set(officer())
        .send({ audience: { orgUnitId: hanoi, ...audience } })
        .expect(200);
      return res.body as { count: number; sample: { id: string; fullName: string }[] };
    };
    const chairs = await preview({ postTypes: ['chair'], orgLevels: ['grassroots'] });
    expect(chairs.count).toBe(6);
    expect(chairs.sample).toHaveLength(6);
    const sorted = [...chairs.sample].map((s) => s.fullName);
    expect(sorted.length).toBe(6);
    expect((await preview({ postTypes: ['chair'], sectors: ['private'] })).count).toBe(2);
    expect((await preview({ postTypes: ['chair'], sectors: ['fdi'] })).count).toBe(1);
    expect((await preview({ postTypes: ['vice_chair', 'chair'] })).count).toBe(12);
    expect((await preview({ postTypes: ['chair'], appointedSince: '2023-07-01' })).count).toBe(6);
    expect((await preview({ postTypes: ['chair'], appointedSince: '2023-07-02' })).count).toBe(0);
    expect((await preview({ postTypes: ['chair'], withinCurrentTerm: true })).count).toBe(6);
    expect((await preview({ orgLevels: ['grassroots'] })).count).toBe(18);
    const all = await preview({});
    expect(all.count).toBeGreaterThan(18);
    expect(all.sample).toHaveLength(20);
    const named = await preview({ personIds: [chairPersonId] });
    expect(named.count).toBe(1);
    expect(named.sample[0].id).toBe(chairPersonId);
    // Not yet completed a course: the demo chair completes K04 and drops out.
    await t.dataSource.query(
      `INSERT INTO enrolments (course_id, person_id, status, completed_at)
       VALUES ($1, $2, 'completed', now())`,
      [courseIds.K04, chairPersonId],
    );
    expect(
      (await preview({ postTypes: ['chair'], notCompletedCourseId: courseIds.K04 })).count,
    ).toBe(5);
    const after = await t.dataSource.query<{ n: number }[]>(
      `SELECT (SELECT count(*) FROM programme_assignments) + (SELECT count(*) FROM assignment_members)
              + (SELECT count(*) FROM enrolments) AS n`,
    );
    expect(Number(after[0].n)).toBe(Number(before[0].n) + 1); // only the test's own enrolment
    // Named people must lie under the root.
    const [outside] = await t.dataSource.query<{ id: string }[]>(
      `SELECT pe.id FROM people pe JOIN org_units o ON o.id = pe.home_org_unit_id
        WHERE o.code LIKE 'BN%' LIMIT 1`,
    );
    expectError(
      await t.http
        .post(`/api/v1/programmes/${p.id}/audience-preview`)
        .set(officer())
        .send({ audience: { orgUnitId: hanoi, personIds: [chairPersonId, outside.id] } }),
      404,
      'PERSON_NOT_FOUND',
      ['audience.personIds[1]'],
    );
    expectError(
      await t.http
        .post(`/api/v1/programmes/${p.id}/audience-preview`)
        .set(officer())
        .send({
          audience: { orgUnitId: hanoi, postTypes: ['king'], appointedSince: '2023-02-30' },
        }),
      400,
      'VALIDATION_FAILED',
      ['audience.postTypes', 'audience.appointedSince'],
    );
  });

  it('applies each set rule: all in order, at least N, any order', async () => {
    const p = await createProgramme({
      code: 'P-RULES',
      title: 'Quy tắc nhóm khóa học',
      ownerOrgUnitId: hanoi,
      dueRuleKind: 'days_after_assignment',
      dueDays: 30,
      sets: [
        { rule: 'all_in_order', courseIds: [courseIds.K01, courseIds.K02] },
        { rule: 'at_least_n', minCount: 1, courseIds: [courseIds.K03, courseIds.K04] },
        { rule: 'any_order', courseIds: [courseIds.K05] },
      ],
    });
    expect(p.sets.map((s) => s.courses.map((c) => c.code))).toEqual([
      ['K01', 'K02'],
      ['K03', 'K04'],
      ['K05'],
    ]);
    await t.http.post(`/api/v1/programmes/${p.id}/publish`).set(officer()).expect(200);
    const res = await t.http
      .post(`/api/v1/programmes/${p.id}/assignments`)
      .set(officer())
      .send({ audience: { orgUnitId: hanoi, personIds: [chairPersonId] } })
      .expect(201);
    expect(res.body).toMatchObject({ matched: 1, added: 1 });
    const assignmentId = res.body.assignment.id as string;
    // K04 was completed in the previous test: it already satisfies the at-least-1 set.
    let item = await mine('P-RULES');
    expect(item.progress).toEqual({ completedCourses: 1, requiredCourses: 4, percent: 25 });
    expect(item.nextCourse?.code).toBe('K01');
    expect(item.status).toBe('in_progress');
    await completeCourse(chairPersonId, 'K02'); // out of order: counts, K01 stays next
    item = await mine('P-RULES');
    expect(item.progress.completedCourses).toBe(2);
    expect(item.nextCourse?.code).toBe('K01');
    await completeCourse(chairPersonId, 'K01');
    item = await mine('P-RULES');
    expect(item.progress.completedCourses).toBe(3);
    expect(item.nextCourse?.code).toBe('K05'); // set 2 is done with K04 alone
    expect(item.nextCourse?.enrolmentId).toEqual(expect.any(String));
    await completeCourse(chairPersonId, 'K05');
    item = await mine('P-RULES');
    expect(item).toMatchObject({
      status: 'completed',
      progress: { completedCourses: 4, requiredCourses: 4, percent: 100 },
      nextCourse: null,
    });
    const progress = await t.http
      .get(`/api/v1/assignments/${assignmentId}/progress`)
      .set(officer())
      .expect(200);
    expect(progress.body.counts).toEqual({
      total: 1,
      not_started: 0,
      in_progress: 0,
      completed: 1,
      overdue: 0,
    });
  });
});
