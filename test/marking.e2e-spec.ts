import { randomBytes } from 'node:crypto';
import { expectError } from './expect-error';
import { QUESTIONS_OF_EACH_KIND } from './fixtures/bank-questions';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';

type Result = { pointsEarned: number | null; feedback: string | null } | null;
type Item = { questionId: string; position: number; kind: string; result: Result };
type Attempt = { id: string; status: string; drawn: boolean; items: Item[] };
type Learner = 'chair' | 'officerHanoi';
interface Entry {
  attemptId: string;
  position: number;
  questionId: string;
  kind: string;
  prompt: string;
  rubric: { key: string; maxPoints: number }[] | null;
  response: unknown;
  learnerName: string;
  marks: { markerNo: number; points: number; mine: boolean }[];
  needs: string;
}
interface Queue {
  items: Entry[];
  nextCursor: string | null;
  readyToRelease: number;
}

const PASSWORD = 'Sen-hồng-nở-2027';
const ESSAY = QUESTIONS_OF_EACH_KIND.essay;

/**
 * The manual grading queue (issue 16, item 3): essays wait for officers in the learner's
 * subtree, marked per rubric criterion, by a second and a third marker where the assessment asks
 * for it; the result, with completion and certificate, waits for the release; overrides of
 * auto-graded answers recompute a released score; every mark is kept and audited.
 */
describe('manual grading queue', () => {
  let t: TestApp;
  let bankId: string;
  const persons = {} as Record<Learner, string>;
  let thirdToken: string;
  const q: Record<string, string> = {};

  const officer = () => bearer(t.tokens.officerHanoi);
  const admin = () => bearer(t.tokens.admin);
  const chair = () => bearer(t.tokens.chair);

  const addQuestion = async (
    name: string,
    content: { prompt: string; points: number; body: object },
  ) => {
    const res = await t.http
      .post(`/api/v1/question-banks/${bankId}/questions`)
      .set(officer())
      .send(content);
    if (res.status !== 201) throw new Error(`question: ${res.status} ${JSON.stringify(res.body)}`);
    q[name] = res.body.id as string;
  };

  /** A call of the API as `as` (the Hà Nội officer by default), expecting `status` if given. */
  const call = async (
    method: 'get' | 'post' | 'put',
    url: string,
    body?: object,
    as = officer(),
  ) => {
    const req = t.http[method](`/api/v1${url}`).set(as);
    return body === undefined ? req : req.send(body);
  };

  const ok = async (status: number, method: 'post' | 'put', url: string, body: object) => {
    const res = await call(method, url, body);
    if (res.status !== status) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; items: { id: string }[] };
  };

  /** A published course whose final assessment draws `questions`; the chair enrolled. */
  const drawnCourse = async (
    questions: string[],
    settings: object = {},
    learners: Learner[] = ['chair'],
  ) => {
    const code = `MK-${randomBytes(3).toString('hex').toUpperCase()}`;
    const ownerOrgUnitId = await t.unitId('HN');
    const course = { code, title: `Chấm bài ${code}`, deliveryMode: 'online', durationHours: 4 };
    const courseId = (await ok(201, 'post', '/courses', { ...course, ownerOrgUnitId })).id;
    const lesson = { title: 'Bài 1', kind: 'text', content: 'Nội dung' };
    const lessonId = (await ok(201, 'post', `/courses/${courseId}/lessons`, lesson)).id;
    // Created with a placeholder question, which the blueprint then replaces.
    const placeholder = { kind: 'true_false', prompt: 'Câu tạm', correct: ['true'], points: 1 };
    const options = [
      { key: 'true', text: 'Đúng' },
      { key: 'false', text: 'Sai' },
    ];
    const assessmentId = (
      await ok(201, 'post', '/assessments', {
        ...{ courseId, title: 'Kiểm tra cuối khóa', timeLimitMinutes: 30, maxAttempts: 2 },
        ...{ passScore: 5, reviewPolicy: 'after_submission' },
        questions: [{ ...placeholder, options }],
      })
    ).id;
    const rules = questions.map((id) => ({ bankId, questionId: q[id] }));
    await ok(200, 'put', `/assessments/${assessmentId}/blueprint`, {
      sections: [{ title: 'Phần 1', rules }],
      ...settings,
    });
    await ok(200, 'post', `/courses/${courseId}/publish`, {});
    const personIds = learners.map((l) => persons[l]);
    const enrolled = await ok(200, 'post', '/enrolments', { courseId, personIds });
    for (const [i, e] of enrolled.items.entries()) {
      await t.http
        .post(`/api/v1/enrolments/${e.id}/lessons/${lessonId}/complete`)
        .set(bearer(t.tokens[learners[i]]))
        .expect(200);
    }
    return { courseId, assessmentId, enrolmentId: enrolled.items[0].id };
  };

  /** A learner (the chair) sits the assessment: a response per question name, then submits. */
  const sit = async (
    assessmentId: string,
    responses: Record<string, unknown>,
    who: Learner = 'chair',
    submit = true,
  ) => {
    const as = bearer(t.tokens[who]);
    const started = await t.http
      .post(`/api/v1/assessments/${assessmentId}/attempts`)
      .set(as)
      .expect(201);
    const attempt = started.body as Attempt;
    expect(attempt.drawn).toBe(true);
    for (const [name, response] of Object.entries(responses)) {
      await t.http
        .put(`/api/v1/attempts/${attempt.id}/responses/${q[name]}`)
        .set(as)
        .send({ response })
        .expect(200);
    }
    if (submit) await t.http.post(`/api/v1/attempts/${attempt.id}/submit`).set(as).expect(200);
    const seen = (await t.http.get(`/api/v1/attempts/${attempt.id}`).set(as).expect(200))
      .body as Attempt;
    if (!seen.items?.length) throw new Error(`no items: ${JSON.stringify(seen)}`);
    const positions = Object.fromEntries(
      seen.items.map((i) => [Object.keys(q).find((k) => q[k] === i.questionId)!, i.position]),
    );
    return { id: attempt.id, status: seen.status, positions };
  };

  const queue = async (assessmentId: string, as = officer()) =>
    (await t.http.get(`/api/v1/assessments/${assessmentId}/marking`).set(as).expect(200))
      .body as Queue;

  const mark = (attemptId: string, position: number, body: object, as = officer()) =>
    t.http.put(`/api/v1/attempts/${attemptId}/items/${position}/mark`).set(as).send(body);

  const enrolment = async (id: string) =>
    (
      await t.dataSource.query<{ status: string; certificate_id: string | null }[]>(
        `SELECT status, certificate_id FROM enrolments WHERE id = $1`,
        [id],
      )
    )[0];

  const attemptRow = async (id: string) =>
    (
      await t.dataSource.query<
        { score: string | null; passed: boolean | null; released_at: Date | null }[]
      >(`SELECT score, passed, released_at FROM assessment_attempts WHERE id = $1`, [id])
    )[0];

  const audits = (entityId: string) =>
    t.dataSource.query<{ action: string; before: unknown; after: unknown }[]>(
      `SELECT action, before, after FROM audit_log WHERE entity_id = $1 ORDER BY at`,
      [entityId],
    );

  beforeAll(async () => {
    t = await createTestApp();
    const rows = await t.dataSource.query<{ email: string; person_id: string }[]>(
      `SELECT email, person_id FROM user_accounts WHERE email = ANY($1::text[])`,
      [[DEMO.chair, DEMO.officerHanoi]],
    );
    for (const r of rows) persons[r.email === DEMO.chair ? 'chair' : 'officerHanoi'] = r.person_id;
    const hn = await t.unitId('HN');
    const bank = await t.http
      .post('/api/v1/question-banks')
      .set(officer())
      .send({ ownerOrgUnitId: hn, name: 'Kỹ năng đối thoại — tự luận' })
      .expect(201);
    bankId = bank.body.id as string;
    await addQuestion('essay', ESSAY);
    await addQuestion('essay2', { ...ESSAY, prompt: 'Nêu các bước tổ chức đại hội công đoàn.' });
    await addQuestion('essay3', { ...ESSAY, prompt: 'Trình bày vai trò của tổ công đoàn.' });
    await addQuestion('trueFalse', QUESTIONS_OF_EACH_KIND.true_false);
    await addQuestion('single', QUESTIONS_OF_EACH_KIND.single);
    // A third training officer of Hà Nội, for the third marker.
    const person = await t.http
      .post('/api/v1/people')
      .set(admin())
      .send({ familyName: 'Trịnh', middleName: 'Văn', givenName: 'Chấm', homeOrgUnitId: hn })
      .expect(201);
    const email = 'nguoicham.ba@lms.congdoan.test';
    const account = await t.http
      .post('/api/v1/accounts')
      .set(admin())
      .send({ personId: person.body.id, email, password: PASSWORD })
      .expect(201);
    await t.http
      .post(`/api/v1/accounts/${account.body.id}/grants`)
      .set(admin())
      .send({ role: 'training_officer', orgUnitId: hn })
      .expect(200);
    thirdToken = await t.login(email, PASSWORD);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('one marker', () => {
    let c: Awaited<ReturnType<typeof drawnCourse>>;
    let attempt: Awaited<ReturnType<typeof sit>>;

    beforeAll(async () => {
      c = await drawnCourse(['essay', 'trueFalse']);
      attempt = await sit(c.assessmentId, {
        essay: 'Thu thập ý kiến người lao động, gửi nội dung trước, lập biên bản.',
        trueFalse: true,
      });
    });

    it('holds the essay in the queue; the result, completion and certificate wait', async () => {
      expect(attempt.status).toBe('marking');
      expect(await enrolment(c.enrolmentId)).toEqual({
        status: 'in_progress',
        certificate_id: null,
      });
      const page = await queue(c.assessmentId);
      expect(page.readyToRelease).toBe(0);
      expect(page.nextCursor).toBeNull();
      expect(page.items).toEqual([
        expect.objectContaining({
          attemptId: attempt.id,
          position: attempt.positions.essay,
          questionId: q.essay,
          kind: 'essay',
          prompt: ESSAY.prompt,
          rubric: [
            { key: 'noi-dung', title: 'Nội dung', maxPoints: 6 },
            { key: 'trinh-bay', title: 'Trình bày', maxPoints: 4 },
          ],
          response: 'Thu thập ý kiến người lao động, gửi nội dung trước, lập biên bản.',
          marks: [],
          needs: 'first',
        }),
      ]);
      expect(page.items[0].learnerName).toEqual(expect.stringMatching(/\S/));
    });

    it('a mark makes the essay final, seen by the learner only after release', async () => {
      const res = await mark(attempt.id, attempt.positions.essay, {
        criteria: { 'noi-dung': 5, 'trinh-bay': 3 },
        feedback: 'Nêu đủ các bước, cần ví dụ cụ thể hơn.',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        markerNo: 1,
        points: 8,
        finalPoints: 8,
        needs: null,
        released: false,
        score: null,
      });
      const page = await queue(c.assessmentId);
      expect(page.items).toEqual([]);
      expect(page.readyToRelease).toBe(1);
      const seen = (await t.http.get(`/api/v1/attempts/${attempt.id}`).set(chair()).expect(200))
        .body as Attempt;
      expect(seen.status).toBe('marking');
      expect(seen.items.every((i) => i.result === null)).toBe(true);
      expect(await enrolment(c.enrolmentId)).toEqual({
        status: 'in_progress',
        certificate_id: null,
      });
      expect((await audits(res.body.id as string)).map((a) => a.action)).toEqual([
        'attempt_mark.mark',
      ]);
    });

    it('release scores the attempt, completes the enrolment and issues the certificate', async () => {
      const res = await t.http
        .post(`/api/v1/assessments/${c.assessmentId}/marking/release`)
        .set(officer())
        .send({})
        .expect(200);
      expect(res.body).toEqual({ released: 1, waiting: 0, remaining: 0 });
      // 8 of 10 on the essay and 1 of 1 on the true/false: 9 of 11 points.
      expect(await attemptRow(attempt.id)).toMatchObject({ score: '8.18', passed: true });
      const e = await enrolment(c.enrolmentId);
      expect(e.status).toBe('completed');
      expect(e.certificate_id).toEqual(expect.any(String));
      expect((await audits(attempt.id)).map((a) => a.action)).toEqual([
        'assessment_attempt.release',
      ]);
      const seen = (await t.http.get(`/api/v1/attempts/${attempt.id}`).set(chair()).expect(200))
        .body as Attempt;
      const essay = seen.items.find((i) => i.questionId === q.essay)!;
      expect(essay.result).toMatchObject({
        pointsEarned: 8,
        feedback: 'Nêu đủ các bước, cần ví dụ cụ thể hơn.',
      });
      // Nothing more to release.
      const again = await t.http
        .post(`/api/v1/assessments/${c.assessmentId}/marking/release`)
        .set(officer())
        .send({ attemptIds: [attempt.id] })
        .expect(200);
      expect(again.body).toEqual({ released: 0, waiting: 0, remaining: 0 });
    });
  });

  describe('second and third markers', () => {
    let c: Awaited<ReturnType<typeof drawnCourse>>;
    let attempt: Awaited<ReturnType<typeof sit>>;

    beforeAll(async () => {
      c = await drawnCourse(['essay2', 'essay3'], { secondMarking: true, markerThreshold: 2 });
      attempt = await sit(c.assessmentId, {
        essay2: 'Bài làm thứ nhất.',
        essay3: 'Bài làm thứ hai.',
      });
    });

    it('pages the queue by a keyset cursor, oldest submission first', async () => {
      const url = `/api/v1/assessments/${c.assessmentId}/marking`;
      const first = (await t.http.get(`${url}?limit=1`).set(officer()).expect(200)).body as Queue;
      expect(first.items.map((e) => e.position)).toEqual([1]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const next = (
        await t.http
          .get(url)
          .query({ limit: 1, cursor: first.nextCursor })
          .set(officer())
          .expect(200)
      ).body as Queue;
      expect(next.items.map((e) => e.position)).toEqual([2]);
      expect(next.nextCursor).toBeNull();
    });

    it('two marks within the threshold: their average; one person never takes two slots', async () => {
      const at = attempt.positions.essay2;
      const first = await mark(attempt.id, at, { criteria: { 'noi-dung': 4, 'trinh-bay': 2 } });
      expect(first.body).toMatchObject({
        markerNo: 1,
        points: 6,
        finalPoints: null,
        needs: 'second',
      });
      const refused = await mark(attempt.id, at, {
        criteria: { 'noi-dung': 4, 'trinh-bay': 2 },
        markerNo: 2,
      });
      expectError(refused, 409, 'MARKER_HOLDS_SLOT');
      const entry = (await queue(c.assessmentId)).items.find((e) => e.position === at)!;
      expect(entry).toMatchObject({
        needs: 'second',
        marks: [{ markerNo: 1, points: 6, mine: true }],
      });
      const adminView = (await queue(c.assessmentId, admin())).items.find(
        (e) => e.position === at,
      )!;
      expect(adminView.marks).toEqual([expect.objectContaining({ markerNo: 1, mine: false })]);
      const second = await mark(
        attempt.id,
        at,
        { criteria: { 'noi-dung': 4, 'trinh-bay': 3 } },
        admin(),
      );
      expect(second.body).toMatchObject({ markerNo: 2, points: 7, finalPoints: 6.5, needs: null });
      const third = await mark(
        attempt.id,
        at,
        { criteria: { 'noi-dung': 1, 'trinh-bay': 1 } },
        bearer(thirdToken),
      );
      expectError(third, 409, 'MARK_NOT_NEEDED');
    });

    it('re-marking supersedes the marker’s own mark and keeps the old one', async () => {
      const at = attempt.positions.essay2;
      const res = await mark(attempt.id, at, { criteria: { 'noi-dung': 5, 'trinh-bay': 2 } });
      expect(res.body).toMatchObject({ markerNo: 1, points: 7, finalPoints: 7 });
      const rows = await t.dataSource.query<
        { marker_no: number; points: string; superseded: boolean }[]
      >(
        `SELECT marker_no, points, superseded_at IS NOT NULL AS superseded FROM attempt_marks
          WHERE attempt_id = $1 AND position = $2 ORDER BY created_at`,
        [attempt.id, at],
      );
      expect(rows).toEqual([
        { marker_no: 1, points: '6.00', superseded: true },
        { marker_no: 2, points: '7.00', superseded: false },
        { marker_no: 1, points: '7.00', superseded: false },
      ]);
      const [trail] = await audits(res.body.id as string);
      expect(trail).toMatchObject({
        action: 'attempt_mark.mark',
        before: { finalPoints: 6.5, mark: { markerNo: 1, points: 6 } },
        after: { finalPoints: 7, mark: { markerNo: 1, points: 7 } },
      });
    });

    it('two marks beyond the threshold go to a third marker, whose mark is final', async () => {
      const at = attempt.positions.essay3;
      await mark(attempt.id, at, { criteria: { 'noi-dung': 6, 'trinh-bay': 3 } }).expect(200);
      const second = await mark(
        attempt.id,
        at,
        { criteria: { 'noi-dung': 2, 'trinh-bay': 1 } },
        admin(),
      );
      expect(second.body).toMatchObject({ markerNo: 2, finalPoints: null, needs: 'third' });
      const entry = (await queue(c.assessmentId)).items.find((e) => e.position === at)!;
      expect(entry.needs).toBe('third');
      expectError(
        await mark(attempt.id, at, { criteria: { 'noi-dung': 3, 'trinh-bay': 2 }, markerNo: 3 }),
        409,
        'MARKER_HOLDS_SLOT',
      );
      const third = await mark(
        attempt.id,
        at,
        { criteria: { 'noi-dung': 3, 'trinh-bay': 2 } },
        bearer(thirdToken),
      );
      expect(third.body).toMatchObject({ markerNo: 3, points: 5, finalPoints: 5, needs: null });
      const page = await queue(c.assessmentId);
      expect(page.items).toEqual([]);
      expect(page.readyToRelease).toBe(1);
      const released = await t.http
        .post(`/api/v1/assessments/${c.assessmentId}/marking/release`)
        .set(bearer(thirdToken))
        .send({ attemptIds: [attempt.id] })
        .expect(200);
      expect(released.body).toEqual({ released: 1, waiting: 0, remaining: 0 });
      // 7 + 5 of 20 points.
      expect(await attemptRow(attempt.id)).toMatchObject({ score: '6.00', passed: true });
      expect((await enrolment(c.enrolmentId)).status).toBe('completed');
    });
  });

  describe('overriding an auto-graded answer', () => {
    let c: Awaited<ReturnType<typeof drawnCourse>>;
    let attempt: Awaited<ReturnType<typeof sit>>;

    beforeAll(async () => {
      c = await drawnCourse(['trueFalse', 'single']);
      attempt = await sit(c.assessmentId, { trueFalse: false, single: 'A' });
    });

    it('changes the released score and passes the learner, audited', async () => {
      expect(attempt.status).toBe('submitted');
      expect(await attemptRow(attempt.id)).toMatchObject({ score: '0.00', passed: false });
      expect((await enrolment(c.enrolmentId)).status).toBe('in_progress');
      const at = attempt.positions.trueFalse;
      expectError(await mark(attempt.id, at, { points: 1 }), 400, 'VALIDATION_FAILED', ['reason']);
      expectError(
        await mark(attempt.id, at, { points: 2, reason: 'Quá điểm' }),
        400,
        'VALIDATION_FAILED',
        ['points'],
      );
      expectError(
        await mark(attempt.id, at, { criteria: { a: 1 }, reason: 'Theo tiêu chí' }),
        400,
        'VALIDATION_FAILED',
        ['criteria', 'points'],
      );
      const res = await mark(attempt.id, at, {
        points: 1,
        reason: 'Đáp án theo Điều lệ mới được chấp nhận',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        markerNo: 1,
        points: 1,
        finalPoints: 1,
        released: true,
        score: 5,
        passed: true,
      });
      expect(await attemptRow(attempt.id)).toMatchObject({ score: '5.00', passed: true });
      // The overridden answer now counts as right (item statistics read it so).
      const [item] = await t.dataSource.query<{ correct: boolean; auto_points: string }[]>(
        `SELECT correct, auto_points FROM attempt_items WHERE attempt_id = $1 AND position = $2`,
        [attempt.id, at],
      );
      expect(item).toEqual({ correct: true, auto_points: '0.00' });
      expect((await enrolment(c.enrolmentId)).status).toBe('completed');
      expect(await audits(res.body.id as string)).toEqual([
        expect.objectContaining({
          action: 'attempt_mark.override',
          before: { attemptId: attempt.id, position: at, mark: null, finalPoints: 0 },
          after: expect.objectContaining({
            finalPoints: 1,
            reason: 'Đáp án theo Điều lệ mới được chấp nhận',
          }),
        }),
      ]);
      expect(await audits(attempt.id)).toEqual([
        expect.objectContaining({
          action: 'assessment_attempt.rescore',
          before: { score: 0, passed: false },
          after: expect.objectContaining({ score: 5, passed: true }),
        }),
      ]);
    });
  });

  describe('refusals', () => {
    let c: Awaited<ReturnType<typeof drawnCourse>>;
    let attempt: Awaited<ReturnType<typeof sit>>;
    let at: number;
    const good = { criteria: { 'noi-dung': 3, 'trinh-bay': 2 } };

    beforeAll(async () => {
      c = await drawnCourse(['essay']);
      attempt = await sit(c.assessmentId, { essay: 'Bài làm.' });
      at = attempt.positions.essay;
    });

    it('answers 400 with details to a bad body, writing no mark', async () => {
      const cases: [object, string[]][] = [
        [{ ...good, extra: 1 }, ['extra']],
        [{ criteria: 'năm điểm' }, ['criteria']],
        [{ criteria: [3, 2] }, ['criteria']],
        [{ ...good, feedback: 5 }, ['feedback']],
        [{ ...good, markerNo: 4 }, ['markerNo']],
        [{}, ['criteria']],
        [{ criteria: { 'noi-dung': 3 } }, ['criteria.trinh-bay']],
        [{ criteria: { 'noi-dung': 7, 'trinh-bay': 2 } }, ['criteria.noi-dung']],
        [{ criteria: { 'noi-dung': -1, 'trinh-bay': 2 } }, ['criteria.noi-dung']],
        [
          { criteria: { 'noi-dung': 1.234, 'trinh-bay': '2' } },
          ['criteria.noi-dung', 'criteria.trinh-bay'],
        ],
        [{ criteria: { 'noi-dung': 3, 'trinh-bay': 2, khac: 1 } }, ['criteria.khac']],
        [{ ...good, points: 5 }, ['points']],
      ];
      for (const [body, fields] of cases) {
        expectError(await mark(attempt.id, at, body), 400, 'VALIDATION_FAILED', fields);
      }
      const abc = await call('put', `/attempts/${attempt.id}/items/abc/mark`, good);
      expectError(abc, 400, 'VALIDATION_FAILED', ['position']);
      expectError(await mark(attempt.id, 99, good), 404, 'QUESTION_NOT_FOUND');
      const cursor = await call('get', `/assessments/${c.assessmentId}/marking?cursor=!!!`);
      expectError(cursor, 400, 'INVALID_CURSOR', ['cursor']);
      const [n] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM attempt_marks WHERE attempt_id = $1`,
        [attempt.id],
      );
      expect(n.n).toBe(0);
    });

    it('refuses to mark an attempt still open, or one’s own', async () => {
      const both = await drawnCourse(['essay'], {}, ['chair', 'officerHanoi']);
      const open = await sit(both.assessmentId, { essay: 'Chưa nộp.' }, 'chair', false);
      expect(open.status).toBe('in_progress');
      const refused = await mark(open.id, open.positions.essay, good);
      expectError(refused, 409, 'ATTEMPT_NOT_SUBMITTED');
      const own = await sit(both.assessmentId, { essay: 'Bài của tôi.' }, 'officerHanoi');
      expectError(await mark(own.id, own.positions.essay, good), 403, 'MARK_OWN_ATTEMPT');
      await mark(own.id, own.positions.essay, good, admin()).expect(200);
    });

    it('hides another subtree’s assessment and attempt (404) and refuses roles without the right (403)', async () => {
      const bacNinh = bearer(t.tokens.officerBacNinh);
      const queueUrl = `/assessments/${c.assessmentId}/marking`;
      const releaseUrl = `${queueUrl}/release`;
      const nowhere = '00000000-0000-4000-8000-000000000000';
      expectError(await call('get', queueUrl, undefined, bacNinh), 404, 'ASSESSMENT_NOT_FOUND');
      expectError(await mark(attempt.id, at, good, bacNinh), 404, 'ATTEMPT_NOT_FOUND');
      expectError(await call('post', releaseUrl, {}, bacNinh), 404, 'ASSESSMENT_NOT_FOUND');
      expectError(await mark(nowhere, 1, good), 404, 'ATTEMPT_NOT_FOUND');
      expectError(
        await call('get', `/assessments/${nowhere}/marking`),
        404,
        'ASSESSMENT_NOT_FOUND',
      );
      const named = await call('post', releaseUrl, { attemptIds: [nowhere] });
      expectError(named, 404, 'ATTEMPT_NOT_FOUND');
      for (const who of [chair(), bearer(t.tokens.hrHanoi)]) {
        expectError(await call('get', queueUrl, undefined, who), 403, 'FORBIDDEN');
        expectError(await mark(attempt.id, at, good, who), 403, 'FORBIDDEN');
        expectError(await call('post', releaseUrl, {}, who), 403, 'FORBIDDEN');
      }
      // Still waiting: nothing was marked or released by the refused calls.
      const page = await queue(c.assessmentId);
      expect(page.items.map((e) => [e.attemptId, e.needs])).toEqual([[attempt.id, 'first']]);
      expect((await attemptRow(attempt.id)).released_at).toBeNull();
    });
  });
});
