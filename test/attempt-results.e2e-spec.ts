import { randomBytes } from 'node:crypto';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';

interface AttemptBody {
  id: string;
  status: string;
  questions: { id: string }[];
  result: {
    score: number;
    passed: boolean;
    grade: string;
    pointsEarned: number;
    pointsTotal: number;
    passScore: number;
    submittedAt: string;
  } | null;
  reviewPolicy: string;
  review:
    | {
        questionId: string;
        selected: string[];
        correctOptions: string[];
        outcome: string;
        pointsEarned: number;
        points: number;
      }[]
    | null;
}
interface MyAttempt {
  id: string;
  number: number;
  status: string;
  startedAt: string;
  score: number | null;
  passed: boolean | null;
  grade: string | null;
  reviewAvailable: boolean;
  course: { id: string; code: string; title: string; versionNo: number };
  assessment: { id: string; title: string };
}

/**
 * Issue 11, item 2: after submitting, the learner sees the result of the attempt — score, pass
 * or fail, grade word, time — and, as the assessment's review policy allows, which questions
 * they got right and the right options; GET /me/attempts lists their attempts. The right answers
 * never reach a learner earlier, through any endpoint.
 */
describe('attempt results and the review policy', () => {
  let t: TestApp;
  const people: Record<string, string> = {};
  // Right answers by position: single b (2 points); multiple a+c (2); true_false true (1).
  const right = [['b'], ['a', 'c'], ['true']];
  // Only the first question right: 2 of 5 points, 4/10.
  const mostlyWrong = [['b'], ['b'], ['false']];

  const officer = () => bearer(t.tokens.officerHanoi);

  /** A published course with one text lesson and a final assessment; `people` enrolled. */
  const publishedCourse = async (assessment: object, learners: string[]) => {
    const code = `R-${randomBytes(3).toString('hex').toUpperCase()}`;
    const course = await t.http
      .post('/api/v1/courses')
      .set(officer())
      .send({
        code,
        title: `Kỹ năng đối thoại ${code}`,
        deliveryMode: 'online',
        durationHours: 4,
        ownerOrgUnitId: await t.unitId('HN'),
      })
      .expect(201);
    const courseId = course.body.id as string;
    const lesson = await t.http
      .post(`/api/v1/courses/${courseId}/lessons`)
      .set(officer())
      .send({ title: 'Bài 1', kind: 'text', content: 'Nội dung' })
      .expect(201);
    const created = await t.http
      .post('/api/v1/assessments')
      .set(officer())
      .send({
        courseId,
        title: 'Kiểm tra cuối khóa',
        timeLimitMinutes: 20,
        maxAttempts: 2,
        passScore: 5,
        questions: [
          {
            kind: 'single',
            prompt: 'Đối thoại định kỳ ít nhất mấy lần một năm?',
            options: [
              { key: 'a', text: 'Hai lần' },
              { key: 'b', text: 'Một lần' },
            ],
            correct: ['b'],
            points: 2,
          },
          {
            kind: 'multiple',
            prompt: 'Ai tham gia đối thoại?',
            options: [
              { key: 'a', text: 'Người sử dụng lao động' },
              { key: 'b', text: 'Cơ quan thuế' },
              { key: 'c', text: 'Tập thể người lao động' },
            ],
            correct: ['a', 'c'],
            points: 2,
          },
          {
            kind: 'true_false',
            prompt: 'Kết quả đối thoại phải được ghi biên bản.',
            options: [
              { key: 'true', text: 'Đúng' },
              { key: 'false', text: 'Sai' },
            ],
            correct: ['true'],
            points: 1,
          },
        ],
        ...assessment,
      })
      .expect(201);
    await t.http.post(`/api/v1/courses/${courseId}/publish`).set(officer()).expect(200);
    const enrolled = await t.http
      .post('/api/v1/enrolments')
      .set(officer())
      .send({ courseId, personIds: learners.map((l) => people[l]) })
      .expect(200);
    const enrolments = new Map<string, string>(
      (enrolled.body.items as { id: string; personId: string }[]).map((e) => [e.personId, e.id]),
    );
    for (const l of learners) {
      await t.http
        .post(`/api/v1/enrolments/${enrolments.get(people[l])}/lessons/${lesson.body.id}/complete`)
        .set(bearer(t.tokens[l as keyof typeof t.tokens]))
        .expect(200);
    }
    return {
      code,
      courseId,
      assessmentId: created.body.id as string,
      reviewPolicy: created.body.reviewPolicy as string,
    };
  };

  /** Starts an attempt, saves the answers, submits; returns the attempt id and the result. */
  const sit = async (token: string, assessmentId: string, answers: string[][]) => {
    const attempt = await t.http
      .post(`/api/v1/assessments/${assessmentId}/attempts`)
      .set(bearer(token))
      .expect(201);
    const body = attempt.body as AttemptBody;
    expect(body).toMatchObject({ status: 'in_progress', result: null, review: null });
    for (const [i, q] of body.questions.entries()) {
      await t.http
        .put(`/api/v1/attempts/${body.id}/answers/${q.id}`)
        .set(bearer(token))
        .send({ selected: answers[i] })
        .expect(200);
    }
    const submitted = await t.http
      .post(`/api/v1/attempts/${body.id}/submit`)
      .set(bearer(token))
      .expect(200);
    expect(JSON.stringify(submitted.body)).not.toMatch(/correct/i);
    return { id: body.id, submit: submitted.body as { submittedAt: string; score: number } };
  };

  const view = async (token: string, attemptId: string) =>
    (await t.http.get(`/api/v1/attempts/${attemptId}`).set(bearer(token)).expect(200))
      .body as AttemptBody;

  beforeAll(async () => {
    t = await createTestApp();
    const rows = await t.dataSource.query<{ email: string; person_id: string }[]>(
      `SELECT email, person_id FROM user_accounts WHERE email = ANY($1::text[])`,
      [
        [
          'chutich.mayhadong@lms.congdoan.test',
          'hr.hanoi@lms.congdoan.test',
          'daotao.hanoi@lms.congdoan.test',
        ],
      ],
    );
    const byEmail = new Map(rows.map((r) => [r.email, r.person_id]));
    people.chair = byEmail.get('chutich.mayhadong@lms.congdoan.test')!;
    people.hrHanoi = byEmail.get('hr.hanoi@lms.congdoan.test')!;
    people.officerHanoi = byEmail.get('daotao.hanoi@lms.congdoan.test')!;
  });

  afterAll(async () => {
    await t.close();
  });

  describe('after_close, the default', () => {
    let course: Awaited<ReturnType<typeof publishedCourse>>;
    let first: string;

    beforeAll(async () => {
      course = await publishedCourse({}, ['chair', 'hrHanoi']);
    });

    it('is what an assessment gets when none is given', () => {
      expect(course.reviewPolicy).toBe('after_close');
    });

    it('shows a failed attempt’s score, fail, grade word and time, but no answers while an attempt is left', async () => {
      const sat = await sit(t.tokens.chair, course.assessmentId, mostlyWrong);
      first = sat.id;
      const body = await view(t.tokens.chair, first);
      expect(body).toMatchObject({
        status: 'submitted',
        result: {
          score: 4,
          passed: false,
          grade: 'Không đạt',
          pointsEarned: 2,
          pointsTotal: 5,
          passScore: 5,
          submittedAt: sat.submit.submittedAt,
        },
        reviewPolicy: 'after_close',
        review: null,
      });
      expect(JSON.stringify(body)).not.toMatch(/correct/i);
    });

    it('keeps the right answers from a learner who is also staff (HR reads the assessment without them)', async () => {
      const hr = await t.http
        .get(`/api/v1/assessments/${course.assessmentId}`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      const questions = hr.body.questions as { correct: string[] | null; prompt: string }[];
      expect(questions).toHaveLength(3);
      expect(questions.map((q) => q.correct)).toEqual([null, null, null]);
      // The course's author still reads them; a learner without staff rights reads nothing.
      const author = await t.http
        .get(`/api/v1/assessments/${course.assessmentId}`)
        .set(officer())
        .expect(200);
      expect((author.body.questions as { correct: string[] }[]).map((q) => q.correct)).toEqual(
        right,
      );
      expectError(
        await t.http.get(`/api/v1/assessments/${course.assessmentId}`).set(bearer(t.tokens.chair)),
        403,
        'FORBIDDEN',
      );
    });

    it('opens the review of every attempt once the learner passes', async () => {
      const second = await sit(t.tokens.chair, course.assessmentId, right);
      const passed = await view(t.tokens.chair, second.id);
      expect(passed.result).toMatchObject({ score: 10, passed: true, grade: 'Xuất sắc' });
      expect(passed.review?.map((q) => q.outcome)).toEqual(['correct', 'correct', 'correct']);
      const failed = await view(t.tokens.chair, first);
      expect(failed.review).toEqual([
        {
          questionId: failed.questions[0].id,
          selected: ['b'],
          correctOptions: ['b'],
          outcome: 'correct',
          pointsEarned: 2,
          points: 2,
        },
        {
          questionId: failed.questions[1].id,
          selected: ['b'],
          correctOptions: ['a', 'c'],
          outcome: 'incorrect',
          pointsEarned: 0,
          points: 2,
        },
        {
          questionId: failed.questions[2].id,
          selected: ['false'],
          correctOptions: ['true'],
          outcome: 'incorrect',
          pointsEarned: 0,
          points: 1,
        },
      ]);
    });

    it('opens the review when every attempt is used without a pass', async () => {
      const one = await sit(t.tokens.hrHanoi, course.assessmentId, mostlyWrong);
      expect((await view(t.tokens.hrHanoi, one.id)).review).toBeNull();
      const two = await sit(t.tokens.hrHanoi, course.assessmentId, [['a'], [], ['true']]);
      const last = await view(t.tokens.hrHanoi, two.id);
      expect(last.result).toMatchObject({ score: 2, passed: false, grade: 'Không đạt' });
      expect(last.review?.map((q) => q.outcome)).toEqual(['incorrect', 'unanswered', 'correct']);
      expect((await view(t.tokens.hrHanoi, one.id)).review).toHaveLength(3);
    });

    it('answers 404 for another person’s attempt', async () => {
      expectError(
        await t.http.get(`/api/v1/attempts/${first}`).set(bearer(t.tokens.hrHanoi)),
        404,
        'ATTEMPT_NOT_FOUND',
      );
    });
  });

  it('after_submission: each submitted attempt shows its review at once, an open one never', async () => {
    const course = await publishedCourse({ reviewPolicy: 'after_submission' }, ['chair']);
    expect(course.reviewPolicy).toBe('after_submission');
    const failed = await sit(t.tokens.chair, course.assessmentId, mostlyWrong);
    const body = await view(t.tokens.chair, failed.id);
    expect(body.result).toMatchObject({ passed: false, score: 4 });
    expect(body.review?.map((q) => q.correctOptions)).toEqual(right);
    const open = await t.http
      .post(`/api/v1/assessments/${course.assessmentId}/attempts`)
      .set(bearer(t.tokens.chair))
      .expect(201);
    expect(open.body).toMatchObject({ status: 'in_progress', result: null, review: null });
    expect(JSON.stringify(open.body)).not.toMatch(/correct/i);
  });

  it('never: a pass shows the result and no review', async () => {
    const course = await publishedCourse({ reviewPolicy: 'never' }, ['chair']);
    const passed = await sit(t.tokens.chair, course.assessmentId, right);
    const body = await view(t.tokens.chair, passed.id);
    expect(body).toMatchObject({
      status: 'submitted',
      result: { passed: true, score: 10, grade: 'Xuất sắc' },
      reviewPolicy: 'never',
      review: null,
    });
    expect(JSON.stringify(body)).not.toMatch(/correct/i);
  });

  it('an attempt whose time ran out shows as expired, without a result until it is submitted', async () => {
    const course = await publishedCourse({ reviewPolicy: 'after_submission' }, ['officerHanoi']);
    const me = t.tokens.officerHanoi;
    const attempt = await t.http
      .post(`/api/v1/assessments/${course.assessmentId}/attempts`)
      .set(bearer(me))
      .expect(201);
    const q0 = (attempt.body as AttemptBody).questions[0].id;
    await t.http
      .put(`/api/v1/attempts/${attempt.body.id}/answers/${q0}`)
      .set(bearer(me))
      .send({ selected: ['b'] })
      .expect(200);
    // The clock runs out just after that answer was saved.
    await new Promise((r) => setTimeout(r, 30));
    await t.dataSource.query(
      `UPDATE assessment_attempts t SET deadline = a.saved_at + interval '5 milliseconds'
         FROM attempt_answers a WHERE a.attempt_id = t.id AND t.id = $1`,
      [attempt.body.id],
    );
    const expired = await view(me, attempt.body.id as string);
    expect(expired).toMatchObject({ status: 'expired', result: null, review: null });
    await t.http.post(`/api/v1/attempts/${attempt.body.id}/submit`).set(bearer(me)).expect(200);
    const graded = await view(me, attempt.body.id as string);
    expect(graded).toMatchObject({ status: 'submitted', result: { score: 4, passed: false } });
    expect(graded.review?.map((q) => q.outcome)).toEqual(['correct', 'unanswered', 'unanswered']);
  });

  describe('GET /me/attempts', () => {
    const list = (token: string, query: Record<string, string | number> = {}) =>
      t.http.get('/api/v1/me/attempts').query(query).set(bearer(token));

    it('lists the learner’s attempts newest first, with course and assessment, page by page', async () => {
      const all = await list(t.tokens.chair, { limit: 100 }).expect(200);
      const items = all.body.items as MyAttempt[];
      // after_close (2), after_submission (1 submitted + 1 open), never (1).
      expect(items).toHaveLength(5);
      const starts = items.map((i) => i.startedAt);
      expect([...starts].sort().reverse()).toEqual(starts);
      expect(items[0]).toMatchObject({ status: 'submitted', passed: true, reviewAvailable: false });
      expect(items[1]).toMatchObject({ status: 'in_progress', score: null, grade: null });
      for (const i of items) {
        expect(i.course).toEqual({
          id: expect.any(String),
          code: expect.stringMatching(/^R-/),
          title: `Kỹ năng đối thoại ${i.course.code}`,
          versionNo: 1,
        });
        expect(i.assessment).toEqual({ id: expect.any(String), title: 'Kiểm tra cuối khóa' });
      }
      const failed = items.find((i) => i.passed === false && i.reviewAvailable);
      expect(failed).toMatchObject({ score: 4, grade: 'Không đạt', number: 1 });
      expect(JSON.stringify(all.body)).not.toMatch(/correctOptions/);

      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await list(t.tokens.chair, { limit: 2, ...(cursor ? { cursor } : {}) }).expect(
          200,
        );
        paged.push(...(res.body.items as MyAttempt[]).map((i) => i.id));
        cursor = res.body.nextCursor as string | null;
      } while (cursor);
      expect(paged).toEqual(items.map((i) => i.id));

      const one = await list(t.tokens.chair, { assessmentId: items[0].assessment.id }).expect(200);
      expect((one.body.items as MyAttempt[]).map((i) => i.assessment.id)).toEqual([
        items[0].assessment.id,
      ]);
    });

    it('shows nobody else’s attempts', async () => {
      const chairs = new Set(
        ((await list(t.tokens.chair, { limit: 100 }).expect(200)).body.items as MyAttempt[]).map(
          (i) => i.id,
        ),
      );
      const hr = (await list(t.tokens.hrHanoi, { limit: 100 }).expect(200)).body
        .items as MyAttempt[];
      expect(hr).toHaveLength(2);
      expect(hr.some((i) => chairs.has(i.id))).toBe(false);
      const admin = await list(t.tokens.admin).expect(200);
      expect(admin.body).toEqual({ items: [], nextCursor: null });
    });

    it('refuses bad queries with 400', async () => {
      expectError(await list(t.tokens.chair, { limit: 0 }), 400, 'VALIDATION_FAILED', ['limit']);
      expectError(await list(t.tokens.chair, { limit: 101 }), 400, 'VALIDATION_FAILED', ['limit']);
      expectError(await list(t.tokens.chair, { limit: 'x' }), 400, 'VALIDATION_FAILED', ['limit']);
      expectError(await list(t.tokens.chair, { assessmentId: 'x' }), 400, 'VALIDATION_FAILED', [
        'assessmentId',
      ]);
      expectError(await list(t.tokens.chair, { sort: 'old' }), 400, 'VALIDATION_FAILED', ['sort']);
      expectError(
        await list(t.tokens.chair, { cursor: 'bm90LWEtY3Vyc29y' }),
        400,
        'INVALID_CURSOR',
      );
      await t.http.get('/api/v1/me/attempts').expect(401);
    });
  });

  it('refuses an unknown review policy when an assessment is created or corrected', async () => {
    const course = await t.http
      .post('/api/v1/courses')
      .set(officer())
      .send({
        code: `R-${randomBytes(3).toString('hex').toUpperCase()}`,
        title: 'Nháp',
        deliveryMode: 'online',
        durationHours: 1,
        ownerOrgUnitId: await t.unitId('HN'),
      })
      .expect(201);
    const body = {
      courseId: course.body.id,
      title: 'Kiểm tra',
      timeLimitMinutes: 10,
      maxAttempts: 1,
      questions: [
        {
          kind: 'single',
          prompt: 'Câu hỏi?',
          options: [
            { key: 'a', text: 'Một' },
            { key: 'b', text: 'Hai' },
          ],
          correct: ['a'],
          points: 1,
        },
      ],
    };
    for (const reviewPolicy of ['sometimes', 1, null]) {
      expectError(
        await t.http
          .post('/api/v1/assessments')
          .set(officer())
          .send({ ...body, reviewPolicy }),
        400,
        'VALIDATION_FAILED',
        ['reviewPolicy'],
      );
    }
    const created = await t.http.post('/api/v1/assessments').set(officer()).send(body).expect(201);
    const patch = await t.http
      .patch(`/api/v1/assessments/${created.body.id}`)
      .set(officer())
      .send({ reviewPolicy: 'after_submission' })
      .expect(200);
    expect(patch.body.reviewPolicy).toBe('after_submission');
    expectError(
      await t.http
        .patch(`/api/v1/assessments/${created.body.id}`)
        .set(officer())
        .send({ reviewPolicy: 'later' }),
      400,
      'VALIDATION_FAILED',
      ['reviewPolicy'],
    );
  });
});
