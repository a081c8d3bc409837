import { randomBytes } from 'node:crypto';
import { K01_ASSESSMENT, STARTER_COURSES } from '../src/courses/courses.seed';
import { EnrolmentsService } from '../src/courses/enrolments.service';
import { DEMO_PROGRAMME } from '../src/programmes/programmes.seed';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';
import { todayVn } from '../src/common/dates/vietnam-dates';

interface Lesson {
  id: string;
  position: number;
  title: string;
  kind: string;
  content: string | null;
  url: string | null;
  required: boolean;
  assessmentId: string | null;
}
interface Course {
  id: string;
  code: string;
  versionNo: number;
  basedOnId: string | null;
  title: string;
  status: string;
  locked: boolean;
  ownerOrgUnitId: string;
  publishedAt: string | null;
  supersededAt: string | null;
  retiredAt: string | null;
  lessons: Lesson[];
}
interface Assessment {
  id: string;
  reviewPolicy: string;
  maxAttempts: number;
  questions: { id: string; prompt: string; correct: string[] | null; points: number }[];
}
interface MyEnrolment {
  id: string;
  course: { id: string; code: string; title: string };
  status: string;
  assessmentId: string | null;
  completedLessonIds: string[];
  certificateId: string | null;
}
interface AuditEntry {
  action: string;
  entityId: string;
  actorPersonId: string | null;
  after: Record<string, unknown> | null;
}

const uniqueCode = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex').toUpperCase()}`;
const K01 = STARTER_COURSES.find((c) => c.code === 'K01')!;

/**
 * Issue 11, item 5 (versions): a published course changes by a new version — a draft copy of
 * its lessons, final assessment and competencies under the same code — that supersedes it when
 * published; enrolments and certificates keep the version they were made on and new enrolments
 * (the officer's, a programme's) go to the current version, while any version completed counts
 * for a programme; a course is retired (no new enrolments, learners finish) and copied to a new
 * code. Publishing, versions, retirement and copies are in the audit log.
 */
describe('course versions, retirement and copies', () => {
  let t: TestApp;
  let hn: string;
  let bn: string;
  const ids: Record<string, string> = {};
  const people: Record<string, string> = {};
  let newcomer: string;
  let planned: string;
  let officerUser: string;

  const officer = () => bearer(t.tokens.officerHanoi);
  const bnOfficer = () => bearer(t.tokens.officerBacNinh);
  const learner = () => bearer(t.tokens.chair);

  const get = async (id: string, token = t.tokens.officerHanoi) =>
    (await t.http.get(`/api/v1/courses/${id}`).set(bearer(token)).expect(200)).body as Course;
  const assessment = async (id: string) =>
    (await t.http.get(`/api/v1/assessments/${id}`).set(officer()).expect(200)).body as Assessment;
  const myEnrolments = async (token: string) => {
    const res = await t.http.get('/api/v1/me/enrolments?limit=100').set(bearer(token)).expect(200);
    return res.body.items as MyEnrolment[];
  };
  const audit = async (entityId: string) => {
    const res = await t.http
      .get('/api/v1/audit')
      .query({ entityType: 'course', entityId })
      .set(bearer(t.tokens.hrHanoi))
      .expect(200);
    return res.body.items as AuditEntry[];
  };
  const enrol = (courseId: string, personIds: string[]) =>
    t.http.post('/api/v1/enrolments').set(officer()).send({ courseId, personIds });
  const enrolmentsIn = async (courseId: string, personId: string) =>
    (
      await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM enrolments WHERE course_id = $1 AND person_id = $2`,
        [courseId, personId],
      )
    )[0].n;
  const publishedK01 = async () => {
    const res = await t.http
      .get('/api/v1/courses')
      .query({ status: 'published', limit: 100 })
      .set(officer())
      .expect(200);
    return (res.body.items as Course[]).filter((c) => c.code === 'K01');
  };

  beforeAll(async () => {
    t = await createTestApp();
    hn = await t.unitId('HN');
    bn = await t.unitId('BN');
    for (const r of await t.dataSource.query<{ id: string; code: string }[]>(
      `SELECT id, code FROM courses WHERE code IN ('K01', 'K02')`,
    )) {
      ids[r.code] = r.id;
    }
    for (const r of await t.dataSource.query<{ email: string; person_id: string }[]>(
      `SELECT email, person_id FROM user_accounts`,
    )) {
      people[r.email.split('@')[0]] = r.person_id;
    }
    // A Hà Nội cadre without an account or any K01 enrolment.
    const [row] = await t.dataSource.query<{ id: string }[]>(
      `SELECT p.id FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE o.path LIKE (SELECT path FROM org_units WHERE code = 'HN') || '%'
          AND NOT EXISTS (SELECT 1 FROM user_accounts u WHERE u.person_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = p.id)
        ORDER BY p.id LIMIT 1`,
    );
    newcomer = row.id;
    const [second] = await t.dataSource.query<{ id: string }[]>(
      `SELECT p.id FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE o.path LIKE (SELECT path FROM org_units WHERE code = 'HN') || '%'
          AND NOT EXISTS (SELECT 1 FROM user_accounts u WHERE u.person_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = p.id)
          AND p.id <> $1
        ORDER BY p.id LIMIT 1`,
      [newcomer],
    );
    planned = second.id;
    const [user] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM user_accounts WHERE email = 'daotao.hanoi@lms.congdoan.test'`,
    );
    officerUser = user.id;
  });

  /** A development plan's enrolments (planning calls this in its own transaction). */
  const planEnrol = (personId: string, courseIds: string[]) =>
    t.dataSource.transaction((em) =>
      t.app.get(EnrolmentsService).enrolInCourses(em, {
        personId,
        courseIds,
        dueOn: todayVn(),
        enrolledBy: officerUser,
      }),
    );

  afterAll(async () => {
    await t.close();
  });

  it('makes version 2 of K01 as a draft copy of its lessons, final assessment and competencies, under the same code', async () => {
    const res = await t.http
      .post(`/api/v1/courses/${ids.K01}/versions`)
      .set(officer())
      .send({ note: 'Cập nhật theo Luật Công đoàn 2024' })
      .expect(201);
    const v2 = res.body as Course;
    ids.v2 = v2.id;
    expect(v2).toMatchObject({
      code: 'K01',
      versionNo: 2,
      basedOnId: ids.K01,
      title: K01.title,
      status: 'draft',
      locked: false,
      publishedAt: null,
    });
    const v1 = await get(ids.K01);
    const shape = (l: Lesson) => [l.position, l.title, l.kind, l.content, l.url, l.required];
    expect(v2.lessons.map(shape)).toEqual(v1.lessons.map(shape));
    expect(v2.lessons.filter((l) => v1.lessons.some((o) => o.id === l.id))).toEqual([]);
    const [oldFinal, newFinal] = [v1.lessons.at(-1)!, v2.lessons.at(-1)!];
    expect(newFinal.kind).toBe('assessment');
    expect(newFinal.assessmentId).not.toBe(oldFinal.assessmentId);
    const [a1, a2] = [
      await assessment(oldFinal.assessmentId!),
      await assessment(newFinal.assessmentId!),
    ];
    expect(a2.questions.map((q) => [q.prompt, q.correct, q.points])).toEqual(
      a1.questions.map((q) => [q.prompt, q.correct, q.points]),
    );
    expect(a2).toMatchObject({ reviewPolicy: a1.reviewPolicy, maxAttempts: a1.maxAttempts });
    const competencies = async (id: string) =>
      (
        (await t.http.get(`/api/v1/courses/${id}/competencies`).set(officer()).expect(200)).body
          .items as { competencyLineageId: string; level: number; code: string }[]
      ).map((c) => [c.code, c.competencyLineageId, c.level]);
    expect(await competencies(ids.v2)).toEqual(await competencies(ids.K01));
    expect(await competencies(ids.v2)).toHaveLength(3);

    // One draft per course at a time: the answer names the draft to edit.
    for (const from of [ids.K01, ids.v2]) {
      const again = await t.http.post(`/api/v1/courses/${from}/versions`).set(officer());
      expectError(again, 409, 'COURSE_DRAFT_EXISTS');
      expect(again.body.details).toEqual([{ field: 'id', message: ids.v2 }]);
    }
  });

  it('changes only the draft: version 1 keeps its content, and the code stays the course’s', async () => {
    await t.http
      .patch(`/api/v1/courses/${ids.v2}`)
      .set(officer())
      .send({ title: `${K01.title} (2026)`, durationHours: 28 })
      .expect(200);
    await t.http
      .post(`/api/v1/courses/${ids.v2}/lessons`)
      .set(officer())
      .send({ title: 'Luật Công đoàn 2024: điểm mới', kind: 'text', content: 'Những điểm mới.' })
      .expect(201);
    expectError(
      await t.http.patch(`/api/v1/courses/${ids.v2}`).set(officer()).send({ code: 'K01-MOI' }),
      409,
      'COURSE_CODE_FIXED',
    );
    expectError(
      await t.http
        .patch(`/api/v1/courses/${ids.v2}`)
        .set(officer())
        .send({ ownerOrgUnitId: await t.unitId('HN-HD') }),
      409,
      'COURSE_CODE_FIXED',
    );
    expectError(
      await t.http.patch(`/api/v1/courses/${ids.K01}`).set(officer()).send({ title: 'x' }),
      409,
      'COURSE_LOCKED',
    );
    const v1 = await get(ids.K01);
    expect(v1).toMatchObject({ title: K01.title, status: 'published', versionNo: 1 });
    expect(v1.lessons).toHaveLength(5);
    expect((await get(ids.v2)).lessons).toHaveLength(6);
  });

  it('publishing version 2 supersedes version 1, and both steps are in the audit log', async () => {
    const published = await t.http
      .post(`/api/v1/courses/${ids.v2}/publish`)
      .set(officer())
      .expect(200);
    expect(published.body).toMatchObject({ status: 'published', locked: true, versionNo: 2 });
    const v1 = await get(ids.K01);
    expect(v1).toMatchObject({ status: 'superseded', locked: true });
    expect(Date.parse(v1.supersededAt!)).toBeGreaterThan(0);
    expect((await publishedK01()).map((c) => c.id)).toEqual([ids.v2]);

    const versions = await t.http
      .get(`/api/v1/courses/${ids.v2}/versions`)
      .set(officer())
      .expect(200);
    expect((versions.body.items as Course[]).map((c) => [c.versionNo, c.status])).toEqual([
      [1, 'superseded'],
      [2, 'published'],
    ]);
    const all = await t.http.get('/api/v1/courses?limit=100').set(officer()).expect(200);
    expect(
      (all.body.items as Course[]).filter((c) => c.code === 'K01').map((c) => c.versionNo),
    ).toEqual([1, 2]);

    const v2Log = await audit(ids.v2);
    expect(v2Log.map((e) => e.action)).toEqual(['course.publish', 'course.version']);
    expect(v2Log[1].after).toMatchObject({
      code: 'K01',
      versionNo: 2,
      note: 'Cập nhật theo Luật Công đoàn 2024',
    });
    expect(v2Log[0].after).toMatchObject({ supersedes: { id: ids.K01, versionNo: 1 } });
    for (const e of v2Log) expect(e.actorPersonId).toBe(people['daotao.hanoi']);
    const v1Log = await audit(ids.K01);
    expect(v1Log.map((e) => [e.action, e.after?.supersededById])).toEqual([
      ['course.supersede', ids.v2],
    ]);
    // One published version per code, whoever writes: the database refuses a second.
    await expect(
      t.dataSource.query(`UPDATE courses SET status = 'published' WHERE id = $1`, [ids.K01]),
    ).rejects.toThrow(/ux_courses_published_code/);
    // A superseded version is not published again.
    expectError(
      await t.http.post(`/api/v1/courses/${ids.K01}/publish`).set(officer()),
      409,
      'COURSE_LOCKED',
    );
  });

  it('keeps enrolments on their version; a new enrolment goes to the current version', async () => {
    const chairK01 = (await myEnrolments(t.tokens.chair)).find((e) => e.course.code === 'K01')!;
    expect(chairK01.course.id).toBe(ids.K01);
    const res = await enrol(ids.K01, [people['chutich.mayhadong'], people['hr.hanoi']]).expect(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ id: chairK01.id, courseId: ids.K01, created: false }),
      expect.objectContaining({ courseId: ids.v2, created: true }),
    ]);
    const again = await enrol(ids.v2, [people['hr.hanoi']]).expect(200);
    expect(again.body.items[0]).toMatchObject({ courseId: ids.v2, created: false });
    expect(await enrolmentsIn(ids.v2, people['chutich.mayhadong'])).toBe(0);
  });

  it('lets the chair finish version 1 after version 2 is out; the certificate names what was taught', async () => {
    const chair = learner();
    const e = (await myEnrolments(t.tokens.chair)).find((x) => x.course.id === ids.K01)!;
    const v1 = await get(ids.K01, t.tokens.chair);
    expect(v1).toMatchObject({ status: 'superseded', versionNo: 1 });
    for (const l of v1.lessons.filter((x) => x.kind !== 'assessment')) {
      await t.http
        .post(`/api/v1/enrolments/${e.id}/lessons/${l.id}/complete`)
        .set(chair)
        .expect(200);
    }
    const attempt = await t.http
      .post(`/api/v1/assessments/${e.assessmentId}/attempts`)
      .set(chair)
      .expect(201);
    for (const [i, q] of (attempt.body.questions as { id: string }[]).entries()) {
      await t.http
        .put(`/api/v1/attempts/${attempt.body.id}/answers/${q.id}`)
        .set(chair)
        .send({ selected: K01_ASSESSMENT.questions[i].correct })
        .expect(200);
    }
    const result = await t.http
      .post(`/api/v1/attempts/${attempt.body.id}/submit`)
      .set(chair)
      .expect(200);
    expect(result.body).toMatchObject({ passed: true, enrolmentStatus: 'completed' });
    const certs = await t.http.get('/api/v1/me/certificates').set(chair).expect(200);
    const k01 = (certs.body.items as { id: string; courseTitle: string }[]).find(
      (c) => c.id === result.body.certificateId,
    );
    expect(k01?.courseTitle).toBe(K01.title);
    const [cert] = await t.dataSource.query<{ course_id: string }[]>(
      `SELECT course_id FROM certificates WHERE id = $1`,
      [result.body.certificateId],
    );
    expect(cert.course_id).toBe(ids.K01);
  });

  it('programmes: a run enrols people in the current version unless they hold another; any version done counts', async () => {
    const created = await t.http
      .post('/api/v1/programmes')
      .set(officer())
      .send({
        code: uniqueCode('PV'),
        title: 'Cập nhật nghiệp vụ chủ tịch',
        ownerOrgUnitId: hn,
        dueRuleKind: 'days_after_assignment',
        dueDays: 30,
        sets: [{ rule: 'any_order', courseIds: [ids.v2] }],
      })
      .expect(201);
    await t.http.post(`/api/v1/programmes/${created.body.id}/publish`).set(officer()).expect(200);
    const run = await t.http
      .post(`/api/v1/programmes/${created.body.id}/assignments`)
      .set(officer())
      .send({
        audience: { orgUnitId: hn, personIds: [people['chutich.mayhadong'], newcomer] },
      })
      .expect(201);
    expect(run.body).toMatchObject({ matched: 2, added: 2 });
    // The chair completed version 1: no second enrolment, and the programme counts it done.
    expect(await enrolmentsIn(ids.v2, people['chutich.mayhadong'])).toBe(0);
    expect(await enrolmentsIn(ids.v2, newcomer)).toBe(1);
    const mine = await t.http.get('/api/v1/me/assignments').set(learner()).expect(200);
    const item = (
      mine.body.items as {
        programme: { id: string };
        status: string;
        progress: { completedCourses: number; requiredCourses: number };
      }[]
    ).find((i) => i.programme.id === created.body.id);
    expect(item).toMatchObject({
      status: 'completed',
      progress: { completedCourses: 1, requiredCourses: 1 },
    });

    // The demo programme names version 1: re-running its assignment still works, and its
    // members, who all hold version 1, are not enrolled again.
    const [demo] = await t.dataSource.query<{ id: string }[]>(
      `SELECT a.id FROM programme_assignments a JOIN programmes p ON p.id = a.programme_id
        WHERE p.code = $1`,
      [DEMO_PROGRAMME.code],
    );
    const rerun = await t.http
      .post(`/api/v1/assignments/${demo.id}/run`)
      .set(officer())
      .expect(200);
    expect(rerun.body).toMatchObject({ added: 0 });
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM enrolments e JOIN assignment_members m
           ON m.person_id = e.person_id AND m.assignment_id = $1
        WHERE e.course_id = $2`,
      [demo.id, ids.v2],
    );
    expect(n).toBe(0);
    ids.demoAssignment = demo.id;
  });

  describe('retiring', () => {
    it('refuses bad bodies, learners (403), other provinces (404) and drafts (409)', async () => {
      const retire = (id: string, body: object, who = officer()) =>
        t.http.post(`/api/v1/courses/${id}/retire`).set(who).send(body);
      expectError(await retire(ids.v2, { reason: 12 }), 400, 'VALIDATION_FAILED', ['reason']);
      expectError(await retire(ids.v2, { reason: 'x'.repeat(1001) }), 400, 'VALIDATION_FAILED', [
        'reason',
      ]);
      expectError(await retire(ids.v2, { reason: '  ' }), 400, 'VALIDATION_FAILED', ['reason']);
      expectError(await retire(ids.v2, { when: 'now' }), 400, 'VALIDATION_FAILED', ['when']);
      expectError(await retire(ids.v2, {}, learner()), 403, 'FORBIDDEN');
      expectError(await retire(ids.v2, {}, bnOfficer()), 404, 'COURSE_NOT_FOUND');
      // A national course is in the Bắc Ninh catalogue, but only its owners retire it.
      expectError(await retire(ids.K02, {}, bnOfficer()), 404, 'COURSE_NOT_FOUND');
      expectError(await retire(ids.K01, {}), 409, 'COURSE_SUPERSEDED');
      const draft = await t.http
        .post('/api/v1/courses')
        .set(officer())
        .send({
          code: uniqueCode('RT'),
          title: 'Nháp',
          deliveryMode: 'online',
          durationHours: 1,
          ownerOrgUnitId: hn,
        })
        .expect(201);
      expectError(await retire(draft.body.id as string, {}), 409, 'COURSE_NOT_PUBLISHED');
      expect((await get(ids.v2)).status).toBe('published');
    });

    it('retires the course: no new enrolments (409), enrolled learners finish, and it is logged', async () => {
      const res = await t.http
        .post(`/api/v1/courses/${ids.v2}/retire`)
        .set(officer())
        .send({ reason: 'Thay bằng chương trình bồi dưỡng mới' })
        .expect(200);
      expect(res.body).toMatchObject({ status: 'archived', locked: true });
      const retiredAt = res.body.retiredAt as string;
      expect(Date.parse(retiredAt)).toBeGreaterThan(0);
      const again = await t.http.post(`/api/v1/courses/${ids.v2}/retire`).set(officer()).send({});
      expect(again.status).toBe(200);
      expect(again.body.retiredAt).toBe(retiredAt);

      for (const id of [ids.v2, ids.K01]) {
        const refused = await enrol(id, [newcomer]);
        expectError(refused, 409, 'COURSE_RETIRED');
        expect(refused.body.message).toContain('K01');
      }
      expect(await publishedK01()).toEqual([]);
      // A development plan skips the retired course and enrols the rest.
      const plan = await planEnrol(planned, [ids.K01, ids.K02]);
      expect(plan.map((p) => [p.code, p.created])).toEqual([['K02', true]]);
      // HR was enrolled in version 2 before it was retired, and goes on.
      const hrK01 = (await myEnrolments(t.tokens.hrHanoi)).find((e) => e.course.id === ids.v2)!;
      const lesson = (await get(ids.v2)).lessons[0];
      await t.http
        .post(`/api/v1/enrolments/${hrK01.id}/lessons/${lesson.id}/complete`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      const log = await audit(ids.v2);
      expect(log[0]).toMatchObject({
        action: 'course.retire',
        after: { status: 'archived', reason: 'Thay bằng chương trình bồi dưỡng mới' },
      });
      // A programme that names the course takes nobody new.
      expectError(
        await t.http.post(`/api/v1/assignments/${ids.demoAssignment}/run`).set(officer()),
        409,
        'PROGRAMME_COURSE_UNAVAILABLE',
      );
    });

    it('offers the course again when a new version of it is published', async () => {
      const v3 = await t.http
        .post(`/api/v1/courses/${ids.v2}/versions`)
        .set(officer())
        .send({})
        .expect(201);
      expect(v3.body).toMatchObject({ code: 'K01', versionNo: 3, basedOnId: ids.v2 });
      expect((v3.body.lessons as Lesson[]).map((l) => l.title)).toEqual(
        (await get(ids.v2)).lessons.map((l) => l.title),
      );
      expectError(await enrol(ids.K01, [newcomer]), 409, 'COURSE_RETIRED');
      await t.http.post(`/api/v1/courses/${v3.body.id}/publish`).set(officer()).expect(200);
      expect((await get(ids.v2)).status).toBe('archived');
      const newcomerV2 = await enrol(ids.K01, [newcomer]).expect(200);
      // The newcomer already holds version 2 (from the programme): they keep it.
      expect(newcomerV2.body.items[0]).toMatchObject({ courseId: ids.v2, created: false });
      const hr = await enrol(v3.body.id as string, [people['hr.hanoi']]).expect(200);
      expect(hr.body.items[0]).toMatchObject({ courseId: ids.v2, created: false });
      const versions = await t.http
        .get(`/api/v1/courses/${ids.K01}/versions`)
        .set(officer())
        .expect(200);
      expect((versions.body.items as Course[]).map((c) => c.status)).toEqual([
        'superseded',
        'archived',
        'published',
      ]);
      // A development plan naming version 1 enrols in version 3 now, once; HR keeps version 2.
      const plan = await planEnrol(planned, [ids.K01, ids.v2, ids.K02]);
      expect(plan.map((p) => [p.code, p.courseId, p.created])).toEqual([
        ['K01', v3.body.id, true],
        ['K02', ids.K02, false],
      ]);
      const hrPlan = await planEnrol(people['hr.hanoi'], [ids.K01]);
      expect(hrPlan.map((p) => [p.courseId, p.created])).toEqual([[ids.v2, false]]);
    });
  });

  it('refuses new versions and version lists to learners (403) and other provinces (404), and bad bodies (400)', async () => {
    const post = (id: string, body: object, who = officer()) =>
      t.http.post(`/api/v1/courses/${id}/versions`).set(who).send(body);
    expectError(await post(ids.K02, {}, learner()), 403, 'FORBIDDEN');
    expectError(await post(ids.K01, {}, bnOfficer()), 404, 'COURSE_NOT_FOUND');
    expectError(await post(ids.K02, {}, bnOfficer()), 404, 'COURSE_NOT_FOUND');
    expectError(await post(hn, {}), 404, 'COURSE_NOT_FOUND');
    expectError(await post('K01', {}), 400, 'VALIDATION_FAILED');
    expectError(await post(ids.K02, { note: 5 }), 400, 'VALIDATION_FAILED', ['note']);
    expectError(await post(ids.K02, { note: '' }), 400, 'VALIDATION_FAILED', ['note']);
    expectError(await post(ids.K02, { note: 'x'.repeat(1001) }), 400, 'VALIDATION_FAILED', [
      'note',
    ]);
    expectError(await post(ids.K02, { versionNo: 9 }), 400, 'VALIDATION_FAILED', ['versionNo']);
    expectError(
      await t.http.get(`/api/v1/courses/${ids.K01}/versions`).set(learner()),
      403,
      'FORBIDDEN',
    );
    expectError(
      await t.http.get(`/api/v1/courses/${ids.K01}/versions`).set(bnOfficer()),
      404,
      'COURSE_NOT_FOUND',
    );
    // Nothing was made.
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM courses WHERE code = 'K02'`,
    );
    expect(n).toBe(1);
  });

  describe('copying', () => {
    it('copies a national course into a province under a new code, with lessons and competencies', async () => {
      const code = uniqueCode('BN-K02');
      const res = await t.http
        .post(`/api/v1/courses/${ids.K02}/copy`)
        .set(bnOfficer())
        .send({ code, ownerOrgUnitId: bn })
        .expect(201);
      const copy = res.body as Course;
      const k02 = await get(ids.K02);
      expect(copy).toMatchObject({
        code,
        versionNo: 1,
        basedOnId: ids.K02,
        title: k02.title,
        status: 'draft',
        ownerOrgUnitId: bn,
      });
      expect(copy.lessons.map((l) => [l.position, l.title, l.kind])).toEqual(
        k02.lessons.map((l) => [l.position, l.title, l.kind]),
      );
      const competencies = await t.http
        .get(`/api/v1/courses/${copy.id}/competencies`)
        .set(bnOfficer())
        .expect(200);
      expect((competencies.body.items as { code: string }[]).map((c) => c.code)).toEqual(['C3']);
      // The copy is the Bắc Ninh officer's to change; K02 is untouched.
      await t.http
        .patch(`/api/v1/courses/${copy.id}`)
        .set(bnOfficer())
        .send({ title: 'Đối thoại và thương lượng tập thể (Bắc Ninh)' })
        .expect(200);
      expect((await get(ids.K02)).title).toBe(k02.title);
      const log = await t.http
        .get('/api/v1/audit')
        .query({ entityType: 'course', entityId: copy.id })
        .set(bearer(t.tokens.admin))
        .expect(200);
      expect(log.body.items).toEqual([
        expect.objectContaining({
          action: 'course.copy',
          after: expect.objectContaining({
            code,
            copiedFrom: { id: ids.K02, code: 'K02', versionNo: 1 },
          }),
        }),
      ]);
    });

    it('copies a course with its final assessment; the copy has versions of its own', async () => {
      const code = uniqueCode('K01-CT');
      const res = await t.http
        .post(`/api/v1/courses/${ids.K01}/copy`)
        .set(officer())
        .send({ code, title: 'Nghiệp vụ chủ tịch CĐCS (khu công nghiệp)' })
        .expect(201);
      const copy = res.body as Course;
      expect(copy).toMatchObject({
        code,
        title: 'Nghiệp vụ chủ tịch CĐCS (khu công nghiệp)',
        ownerOrgUnitId: hn,
        versionNo: 1,
      });
      const final = copy.lessons.at(-1)!;
      const v1Final = (await get(ids.K01)).lessons.at(-1)!;
      expect(final.assessmentId).not.toBe(v1Final.assessmentId);
      const copied = await assessment(final.assessmentId!);
      expect(copied.questions.map((q) => q.correct)).toEqual(
        K01_ASSESSMENT.questions.map((q) => [...q.correct].sort()),
      );
      const versions = await t.http
        .get(`/api/v1/courses/${copy.id}/versions`)
        .set(officer())
        .expect(200);
      expect((versions.body.items as Course[]).map((c) => c.id)).toEqual([copy.id]);
    });

    it('leaves the final assessment out of a copy by someone who may not read its answers', async () => {
      const admin = bearer(t.tokens.admin);
      const national = await t.http
        .post('/api/v1/courses')
        .set(admin)
        .send({
          code: uniqueCode('QG'),
          title: 'An toàn, vệ sinh lao động',
          deliveryMode: 'online',
          durationHours: 8,
          ownerOrgUnitId: await t.unitId('VGCL'),
        })
        .expect(201);
      const id = national.body.id as string;
      await t.http
        .post(`/api/v1/courses/${id}/lessons`)
        .set(admin)
        .send({ title: 'Bài 1', kind: 'text', content: 'Nội dung' })
        .expect(201);
      await t.http
        .post('/api/v1/assessments')
        .set(admin)
        .send({
          courseId: id,
          title: 'Kiểm tra',
          timeLimitMinutes: 10,
          maxAttempts: 1,
          questions: [
            {
              kind: 'true_false',
              prompt: 'Người lao động được trang bị bảo hộ lao động.',
              options: [
                { key: 'true', text: 'Đúng' },
                { key: 'false', text: 'Sai' },
              ],
              correct: ['true'],
              points: 1,
            },
          ],
        })
        .expect(201);
      await t.http
        .post(`/api/v1/courses/${id}/lessons`)
        .set(admin)
        .send({ title: 'Tài liệu', kind: 'link', url: 'https://example.vn/atvsld' })
        .expect(201);
      await t.http.post(`/api/v1/courses/${id}/publish`).set(admin).expect(200);

      const mine = await t.http
        .post(`/api/v1/courses/${id}/copy`)
        .set(bnOfficer())
        .send({ code: uniqueCode('BN-QG'), ownerOrgUnitId: bn })
        .expect(201);
      expect((mine.body.lessons as Lesson[]).map((l) => [l.position, l.kind])).toEqual([
        [1, 'text'],
        [2, 'link'],
      ]);
      expect(mine.body.completionRule).toMatchObject({ finalAssessment: 'none' });
      const theirs = await t.http
        .post(`/api/v1/courses/${id}/copy`)
        .set(admin)
        .send({ code: uniqueCode('QG') })
        .expect(201);
      expect((theirs.body.lessons as Lesson[]).map((l) => l.kind)).toEqual([
        'text',
        'assessment',
        'link',
      ]);
    });

    it('refuses bad bodies (400), a taken code (409), an owner out of scope (404), learners (403) and courses out of scope (404)', async () => {
      const copy = (id: string, body: object, who = officer()) =>
        t.http.post(`/api/v1/courses/${id}/copy`).set(who).send(body);
      expectError(await copy(ids.K02, {}), 400, 'VALIDATION_FAILED', ['code']);
      expectError(
        await copy(ids.K02, { code: 'k 1', title: 5, ownerOrgUnitId: 'x', extra: 1 }),
        400,
        'VALIDATION_FAILED',
        ['code', 'title', 'ownerOrgUnitId', 'extra'],
      );
      expectError(
        await copy(ids.K02, { code: `K${'1'.repeat(40)}`, title: '' }),
        400,
        'VALIDATION_FAILED',
        ['code', 'title'],
      );
      // The Bắc Ninh officer does not manage the owner of a national course: name one.
      expectError(
        await copy(ids.K02, { code: uniqueCode('BN') }, bnOfficer()),
        400,
        'VALIDATION_FAILED',
        ['ownerOrgUnitId'],
      );
      expectError(
        await copy(ids.K02, { code: 'K01', ownerOrgUnitId: hn }),
        409,
        'COURSE_CODE_TAKEN',
      );
      expectError(
        await copy(ids.K02, { code: uniqueCode('X'), ownerOrgUnitId: bn }),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(await copy(ids.K02, { code: uniqueCode('X') }, learner()), 403, 'FORBIDDEN');
      expectError(
        await copy(ids.K01, { code: uniqueCode('X'), ownerOrgUnitId: bn }, bnOfficer()),
        404,
        'COURSE_NOT_FOUND',
      );
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM courses WHERE code LIKE 'X-%'`,
      );
      expect(n).toBe(0);
    });
  });
});
