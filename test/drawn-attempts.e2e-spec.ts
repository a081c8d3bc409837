import { randomBytes } from 'node:crypto';
import { expectError } from './expect-error';
import { QUESTIONS_OF_EACH_KIND } from './fixtures/bank-questions';
import { bearer, createTestApp, TestApp } from './support/test-app';
import { drawLayout, loadDrawSource } from '../src/assessments/attempt-draw';
import { AttemptsService } from '../src/assessments/attempts.service';
import { DrawnAttemptsService } from '../src/assessments/drawn-attempts.service';

interface Item {
  questionId: string;
  position: number;
  section: string;
  kind: string;
  prompt: string;
  points: number;
  options: { key: string; text: string }[] | null;
  responses: { key: string; text: string }[] | null;
  response: unknown;
  savedAt: string | null;
  result: {
    pointsEarned: number | null;
    correct: boolean | null;
    correctAnswer: unknown;
  } | null;
}
interface Attempt {
  id: string;
  status: string;
  number: number;
  deadline: string;
  startedAt: string;
  drawn: boolean;
  questions: unknown[];
  items: Item[];
  result: { score: number; passed: boolean } | null;
}

/** The right response to each kind of QUESTIONS_OF_EACH_KIND, and a wrong one. */
const RIGHT: Record<string, unknown> = {
  single: 'B',
  multiple: ['A', 'C'],
  true_false: true,
  short_answer: 'dai hoi cong doan co so',
  numeric: '1,0',
  ordering: ['a', 'b', 'c'],
  matching: { p1: 'r1', p2: 'r2' },
};
const WRONG: Record<string, unknown> = {
  single: 'A',
  multiple: ['B'],
  true_false: false,
  short_answer: 'Ban chấp hành',
  numeric: 2,
  ordering: ['c', 'b', 'a'],
  matching: { p1: 'r3', p2: 'r3' },
};

/**
 * Assessments drawn from question banks (issue 16, item 2): the blueprint, the draw recorded
 * and reproducible per attempt, responses of every kind graded, the server's deadline, the
 * availability window, the grading policies and accommodations — with their refusals.
 */
describe('assessments drawn from question banks', () => {
  let t: TestApp;
  const people: Record<string, string> = {};
  let bankId: string;
  let categoryId: string;
  /** Question ids by kind (one of each), and ten more single-choice ones tagged C2. */
  const byKind: Record<string, string> = {};
  const officer = () => bearer(t.tokens.officerHanoi);

  const post = (url: string, body: object, auth = officer()) =>
    t.http.post(url).set(auth).send(body);

  /**
   * A course of Hà Nội with one text lesson and an assessment drawn by `blueprint`, published,
   * with `learners` enrolled and their lesson done.
   */
  const drawnCourse = async (
    blueprint: object,
    learners: string[],
    settings: Record<string, unknown> = {},
  ) => {
    const code = `DR-${randomBytes(3).toString('hex').toUpperCase()}`;
    const course = await post('/api/v1/courses', {
      code,
      title: `Đề rút từ ngân hàng ${code}`,
      deliveryMode: 'online',
      durationHours: 2,
      ownerOrgUnitId: await t.unitId('HN'),
    }).expect(201);
    const courseId = course.body.id as string;
    const lesson = await post(`/api/v1/courses/${courseId}/lessons`, {
      title: 'Bài 1',
      kind: 'text',
      content: 'Nội dung',
    }).expect(201);
    const created = await post('/api/v1/assessments', {
      courseId,
      title: 'Kiểm tra cuối khóa',
      timeLimitMinutes: 30,
      maxAttempts: 2,
      passScore: 5,
      questions: [
        {
          kind: 'true_false',
          prompt: 'Câu hỏi riêng, sẽ được thay bằng đề rút',
          options: [
            { key: 'true', text: 'Đúng' },
            { key: 'false', text: 'Sai' },
          ],
          correct: ['true'],
          points: 1,
        },
      ],
      reviewPolicy: 'after_submission',
      ...settings,
    }).expect(201);
    const assessmentId = created.body.id as string;
    await t.http
      .put(`/api/v1/assessments/${assessmentId}/blueprint`)
      .set(officer())
      .send(blueprint)
      .expect(200);
    await post(`/api/v1/courses/${courseId}/publish`, {}).expect(200);
    if (learners.length) {
      const enrolled = await post('/api/v1/enrolments', {
        courseId,
        personIds: learners.map((l) => people[l]),
      }).expect(200);
      for (const e of enrolled.body.items as { id: string; personId: string }[]) {
        const who = learners.find((l) => people[l] === e.personId)!;
        await t.http
          .post(`/api/v1/enrolments/${e.id}/lessons/${lesson.body.id}/complete`)
          .set(bearer(t.tokens[who as keyof typeof t.tokens]))
          .expect(200);
      }
    }
    return { courseId, assessmentId };
  };

  const start = async (who: string, assessmentId: string) =>
    (
      await t.http
        .post(`/api/v1/assessments/${assessmentId}/attempts`)
        .set(bearer(t.tokens[who as keyof typeof t.tokens]))
        .expect(201)
    ).body as Attempt;

  const save = (who: string, attemptId: string, questionId: string, response: unknown) =>
    t.http
      .put(`/api/v1/attempts/${attemptId}/responses/${questionId}`)
      .set(bearer(t.tokens[who as keyof typeof t.tokens]))
      .send({ response });

  const submit = (who: string, attemptId: string) =>
    t.http
      .post(`/api/v1/attempts/${attemptId}/submit`)
      .set(bearer(t.tokens[who as keyof typeof t.tokens]));

  const view = async (who: string, attemptId: string) =>
    (
      await t.http
        .get(`/api/v1/attempts/${attemptId}`)
        .set(bearer(t.tokens[who as keyof typeof t.tokens]))
        .expect(200)
    ).body as Attempt;

  /** Every auto-graded kind, fixed, in one section. */
  const everyKind = () => ({
    sections: [
      {
        title: 'Phần 1 — Mọi dạng câu hỏi',
        rules: Object.keys(RIGHT).map((k) => ({ bankId, questionId: byKind[k] })),
      },
    ],
  });

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

    const bank = await post('/api/v1/question-banks', {
      ownerOrgUnitId: await t.unitId('HN'),
      name: `Ngân hàng đề thi ${randomBytes(2).toString('hex')}`,
    }).expect(201);
    bankId = bank.body.id as string;
    const withCategory = await post(`/api/v1/question-banks/${bankId}/categories`, {
      name: 'Pháp luật',
    }).expect(201);
    categoryId = (withCategory.body as { categories: { id: string }[] }).categories[0].id;
    for (const [kind, content] of Object.entries(QUESTIONS_OF_EACH_KIND)) {
      const q = await post(`/api/v1/question-banks/${bankId}/questions`, content).expect(201);
      byKind[kind] = q.body.id as string;
    }
    for (let i = 1; i <= 10; i += 1) {
      await post(`/api/v1/question-banks/${bankId}/questions`, {
        prompt: `Câu hỏi pháp luật số ${i}: Luật Công đoàn quy định điều ${i} thế nào?`,
        points: 1,
        categoryId,
        tags: ['C2'],
        difficulty: i <= 6 ? 2 : 3,
        body: {
          kind: 'single',
          options: [
            { key: 'A', text: 'Đúng quy định' },
            { key: 'B', text: 'Sai quy định' },
            { key: 'C', text: 'Không quy định' },
          ],
          correct: 'A',
        },
      }).expect(201);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  describe('the blueprint', () => {
    it('draws every attempt from the rules, records the draw, and replays it from the seed', async () => {
      const { assessmentId } = await drawnCourse(
        {
          sections: [
            { title: 'Phần 1', rules: [{ bankId, questionId: byKind.true_false }] },
            {
              title: 'Phần 2 — Pháp luật',
              rules: [{ bankId, categoryId, tag: 'C2', difficulty: 2, count: 5, points: 2 }],
            },
          ],
          shuffleQuestions: true,
          shuffleOptions: true,
        },
        ['chair', 'hrHanoi'],
      );
      const bp = await t.http
        .get(`/api/v1/assessments/${assessmentId}/blueprint`)
        .set(officer())
        .expect(200);
      expect(bp.body).toMatchObject({
        drawn: true,
        questionCount: 6,
        shuffleQuestions: true,
        shuffleOptions: true,
        gradingPolicy: 'highest',
      });
      expect(bp.body.sections[1].rules[0]).toMatchObject({ count: 5, points: 2, available: 6 });

      const a = await start('chair', assessmentId);
      expect(a.drawn).toBe(true);
      expect(a.questions).toEqual([]);
      expect(a.items.map((i) => i.section)).toEqual([
        'Phần 1',
        ...Array<string>(5).fill('Phần 2 — Pháp luật'),
      ]);
      expect(a.items[0].questionId).toBe(byKind.true_false);
      expect(a.items.slice(1).every((i) => i.points === 2 && i.kind === 'single')).toBe(true);
      // No right answer travels to the learner before the review.
      expect(JSON.stringify(a)).not.toMatch(/"correct|accepted|pairs"/);
      expect(a.items.every((i) => i.result === null)).toBe(true);

      // The attempt's layout is the draw of its seed: replayed, the same questions in order.
      const em = t.dataSource.manager;
      const [{ seed }] = await em.query<{ seed: string }[]>(
        `SELECT seed FROM assessment_attempts WHERE id = $1`,
        [a.id],
      );
      expect(seed).toBe(a.id);
      const { rules, pools } = await loadDrawSource(em, assessmentId);
      const replay = drawLayout(rules, pools, seed, true, () => 'x');
      expect(replay.map((i) => i.questionId)).toEqual(a.items.map((i) => i.questionId));
      // Shown again, the attempt keeps its questions and option order: the start answers
      // (from its draw) exactly what the attempt's own view reads back.
      const again = await view('chair', a.id);
      expect(again).toEqual(a);
      // Another learner's attempt has its own seed (and, almost surely, its own draw).
      const b = await start('hrHanoi', assessmentId);
      const [{ seed: other }] = await em.query<{ seed: string }[]>(
        `SELECT seed FROM assessment_attempts WHERE id = $1`,
        [b.id],
      );
      expect(other).not.toBe(seed);
      expect(new Set(b.items.map((i) => i.questionId)).size).toBe(6);
    });

    it('keeps the version an attempt showed when the question is revised; a later start shows the revision', async () => {
      const { assessmentId } = await drawnCourse(
        { sections: [{ title: 'Một câu', rules: [{ bankId, questionId: byKind.single }] }] },
        ['chair', 'hrHanoi'],
      );
      const a = await start('chair', assessmentId);
      const before = a.items[0].prompt;
      await t.http
        .put(`/api/v1/question-banks/${bankId}/questions/${byKind.single}`)
        .set(officer())
        .send({ ...QUESTIONS_OF_EACH_KIND.single, prompt: `${before} (sửa đổi)` })
        .expect(200);
      expect((await view('chair', a.id)).items[0].prompt).toBe(before);
      const [{ version }] = await t.dataSource.query<{ version: number }[]>(
        `SELECT version FROM attempt_items WHERE attempt_id = $1`,
        [a.id],
      );
      expect(version).toBe(1);
      // The process has this question's first version in hand; a new start draws the second.
      const later = await start('hrHanoi', assessmentId);
      expect(later.items[0].prompt).toBe(`${before} (sửa đổi)`);
      expect((await view('hrHanoi', later.id)).items[0].prompt).toBe(`${before} (sửa đổi)`);
    });

    it('refuses a rule its pool cannot fill, and banks, questions and categories it may not use', async () => {
      const code = `DX-${randomBytes(3).toString('hex').toUpperCase()}`;
      const course = await post('/api/v1/courses', {
        code,
        title: `Đề lỗi ${code}`,
        deliveryMode: 'online',
        durationHours: 1,
        ownerOrgUnitId: await t.unitId('HN'),
      }).expect(201);
      const created = await post('/api/v1/assessments', {
        courseId: course.body.id,
        title: 'Kiểm tra',
        timeLimitMinutes: 10,
        maxAttempts: 1,
        passScore: 5,
        questions: [
          {
            kind: 'true_false',
            prompt: 'Câu?',
            options: [
              { key: 'true', text: 'Đúng' },
              { key: 'false', text: 'Sai' },
            ],
            correct: ['true'],
            points: 1,
          },
        ],
      }).expect(201);
      const url = `/api/v1/assessments/${created.body.id}/blueprint`;
      const put = (body: unknown, auth = officer()) =>
        t.http
          .put(url)
          .set(auth)
          .send(body as object);
      expectError(
        await put({
          sections: [{ title: 'A', rules: [{ bankId, categoryId, difficulty: 3, count: 5 }] }],
        }),
        422,
        'ASSESSMENT_POOL_SHORT',
        ['sections.0.rules.0'],
      );
      // Overlapping rules: the fixed question is taken first, so the draw of 10 is short.
      const first10 = await t.dataSource.query<{ id: string }[]>(
        `SELECT id FROM bank_questions WHERE category_id = $1 ORDER BY id LIMIT 1`,
        [categoryId],
      );
      expectError(
        await put({
          sections: [
            {
              title: 'A',
              rules: [
                { bankId, questionId: first10[0].id },
                { bankId, categoryId, count: 10 },
              ],
            },
          ],
        }),
        422,
        'ASSESSMENT_POOL_SHORT',
        ['sections.0.rules.1'],
      );
      const other = await post(
        '/api/v1/question-banks',
        { ownerOrgUnitId: await t.unitId('BN'), name: 'Ngân hàng Bắc Ninh riêng' },
        bearer(t.tokens.officerBacNinh),
      ).expect(201);
      const otherCategory = await post(
        `/api/v1/question-banks/${other.body.id}/categories`,
        { name: 'Riêng' },
        bearer(t.tokens.officerBacNinh),
      ).expect(201);
      expectError(
        await put({ sections: [{ title: 'A', rules: [{ bankId: other.body.id, count: 1 }] }] }),
        422,
        'BLUEPRINT_RULE_UNKNOWN',
        ['sections.0.rules.0.bankId'],
      );
      expectError(
        await put({
          sections: [
            {
              title: 'A',
              rules: [
                { bankId, categoryId: otherCategory.body.categories[0].id, count: 1 },
                { bankId, questionId: '00000000-0000-4000-8000-000000000000' },
              ],
            },
          ],
        }),
        422,
        'BLUEPRINT_RULE_UNKNOWN',
        ['sections.0.rules.0.categoryId', 'sections.0.rules.1.questionId'],
      );
      // Bad bodies: 400 with the fields named, nothing written.
      for (const [body, fields] of [
        [{}, ['sections']],
        [{ sections: [] }, ['sections']],
        [{ sections: 'Phần 1' }, ['sections']],
        [{ sections: [{ title: '', rules: [{ bankId }] }] }, ['sections.0.title']],
        [
          { sections: [{ title: 'A', rules: [{ bankId, count: 0 }] }] },
          ['sections.0.rules.0.count'],
        ],
        [
          { sections: [{ title: 'A', rules: [{ bankId, count: 1.5 }] }] },
          ['sections.0.rules.0.count'],
        ],
        [{ sections: [{ title: 'A', rules: [{ bankId: 'x' }] }] }, ['sections.0.rules.0.bankId']],
        [
          { sections: [{ title: 'A', rules: [{ bankId, difficulty: 4 }] }] },
          ['sections.0.rules.0.difficulty'],
        ],
        [
          { sections: [{ title: 'A', rules: [{ bankId, kind: 'poem' }] }] },
          ['sections.0.rules.0.kind'],
        ],
        [
          { sections: [{ title: 'A', rules: [{ bankId }] }], gradingPolicy: 'best' },
          ['gradingPolicy'],
        ],
        [
          { sections: [{ title: 'A', rules: [{ bankId }] }], markerThreshold: -1 },
          ['markerThreshold'],
        ],
        [{ sections: [{ title: 'A', rules: [{ bankId }] }], colour: 'red' }, ['colour']],
        [
          { sections: [{ title: 'A', rules: [{ bankId, weight: 2 }] }] },
          ['sections.0.rules.0.weight'],
        ],
      ] as [object, string[]][]) {
        expectError(await put(body), 400, 'VALIDATION_FAILED', fields);
      }
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM assessment_rules WHERE assessment_id = $1`,
        [created.body.id],
      );
      expect(n).toBe(0);
      // Another subtree's officer: 404; a chair: 403.
      expectError(
        await put(everyKind(), bearer(t.tokens.officerBacNinh)),
        404,
        'ASSESSMENT_NOT_FOUND',
      );
      expectError(await put(everyKind(), bearer(t.tokens.chair)), 403, 'FORBIDDEN');
      expectError(
        await t.http.get(url).set(bearer(t.tokens.officerBacNinh)),
        404,
        'ASSESSMENT_NOT_FOUND',
      );
      // A published course's blueprint is locked.
      await put(everyKind()).expect(200);
      await post(`/api/v1/courses/${course.body.id}/lessons`, {
        title: 'Bài 1',
        kind: 'text',
        content: 'Nội dung',
      }).expect(201);
      await post(`/api/v1/courses/${course.body.id}/publish`, {}).expect(200);
      expectError(await put(everyKind()), 409, 'COURSE_LOCKED');
    });
  });

  describe('responses and grading', () => {
    it('grades every kind right and wrong, with partial credit and diacritics folded', async () => {
      const { assessmentId } = await drawnCourse(everyKind(), ['chair', 'hrHanoi']);
      const right = await start('chair', assessmentId);
      // Every kind (matching, ordering, essay…) is shown at the start as its view reads it.
      expect(await view('chair', right.id)).toEqual(right);
      for (const item of right.items) {
        const res = await save('chair', right.id, item.questionId, RIGHT[item.kind]);
        expect({ kind: item.kind, status: res.status }).toEqual({ kind: item.kind, status: 200 });
      }
      const done = await submit('chair', right.id).expect(200);
      expect(done.body).toMatchObject({ released: true, score: 10, passed: true });
      const reviewed = await view('chair', right.id);
      expect(reviewed.status).toBe('submitted');
      expect(reviewed.items.every((i) => i.result?.correct === true)).toBe(true);
      expect(reviewed.items.find((i) => i.kind === 'single')!.result!.correctAnswer).toBe('B');

      const wrong = await start('hrHanoi', assessmentId);
      for (const item of wrong.items) {
        await save('hrHanoi', wrong.id, item.questionId, WRONG[item.kind]).expect(200);
      }
      // The ordering c,b,a has b in its place: a third of 2 points; everything else 0.
      const failed = await submit('hrHanoi', wrong.id).expect(200);
      const total = Object.keys(RIGHT).reduce((n, k) => n + QUESTIONS_OF_EACH_KIND[k].points, 0);
      expect(failed.body).toMatchObject({
        released: true,
        passed: false,
        pointsEarned: 0.67,
        pointsTotal: total,
      });
      const items = await t.dataSource.query<{ kind: string; final_points: string }[]>(
        `SELECT q.kind, i.final_points FROM attempt_items i
           JOIN bank_questions q ON q.id = i.question_id
          WHERE i.attempt_id = $1 ORDER BY i.position`,
        [wrong.id],
      );
      expect(items.find((i) => i.kind === 'ordering')!.final_points).toBe('0.67');
    });

    it('refuses responses of the wrong shape, other questions and other people’s attempts', async () => {
      const { assessmentId } = await drawnCourse(everyKind(), ['chair']);
      const a = await start('chair', assessmentId);
      const id = (k: string) => a.items.find((i) => i.kind === k)!.questionId;
      for (const [kind, response] of [
        ['single', 'Z'],
        ['single', ['A']],
        ['multiple', 'A'],
        ['multiple', ['A', 'Q']],
        ['true_false', 'yes'],
        ['numeric', 'một'],
        ['ordering', ['a', 'b']],
        ['matching', { p1: 'r9' }],
        ['short_answer', 42],
      ] as [string, unknown][]) {
        const res = await save('chair', a.id, id(kind), response);
        expect({ kind, response, status: res.status }).toEqual({ kind, response, status: 422 });
        expectError(res, 422, 'RESPONSE_INVALID');
      }
      expectError(
        await t.http
          .put(`/api/v1/attempts/${a.id}/responses/${id('single')}`)
          .set(bearer(t.tokens.chair))
          .send({}),
        400,
        'VALIDATION_FAILED',
        ['response'],
      );
      expectError(
        await t.http
          .put(`/api/v1/attempts/${a.id}/responses/${id('single')}`)
          .set(bearer(t.tokens.chair))
          .send({ response: 'A', extra: 1 }),
        400,
        'VALIDATION_FAILED',
        ['extra'],
      );
      expectError(await save('chair', a.id, byKind.essay, 'Bài viết'), 404, 'QUESTION_NOT_FOUND');
      expectError(await save('hrHanoi', a.id, id('single'), 'A'), 404, 'ATTEMPT_NOT_FOUND');
      // Vietnamese survives, in NFC.
      const saved = await save('chair', a.id, id('short_answer'), 'Đại hội'.normalize('NFD'));
      expect(saved.body.response).toBe('Đại hội');
    });

    it('refuses answers after the server deadline and the scan submits the attempt', async () => {
      const { assessmentId } = await drawnCourse(everyKind(), ['chair']);
      const a = await start('chair', assessmentId);
      const single = a.items.find((i) => i.kind === 'single')!.questionId;
      await save('chair', a.id, single, 'B').expect(200);
      await t.dataSource.query(
        `UPDATE assessment_attempts SET deadline = now() - interval '1 second' WHERE id = $1`,
        [a.id],
      );
      expectError(await save('chair', a.id, single, 'A'), 409, 'ATTEMPT_CLOSED');
      expect((await view('chair', a.id)).status).toBe('expired');
      const attempts = t.app.get(AttemptsService);
      expect(await attempts.closeExpired()).toBeGreaterThanOrEqual(1);
      const closed = await view('chair', a.id);
      expect(closed.status).toBe('submitted');
      // The answer saved in time counted: the single question's point.
      expect(closed.result).toMatchObject({ pointsEarned: 1 });
      expect(closed.items.find((i) => i.kind === 'single')!.response).toBe('B');
    });
  });

  describe('the exam’s hot path (the everyday autosave before the router)', () => {
    it('answers a known attempt’s valid save itself, exactly as the full route would', async () => {
      const { assessmentId } = await drawnCourse(everyKind(), ['chair']);
      const a = await start('chair', assessmentId);
      const single = a.items.find((i) => i.kind === 'single')!.questionId;
      const drawn = t.app.get(DrawnAttemptsService);
      const full = jest.spyOn(drawn, 'saveResponse');
      try {
        // The process that drew the attempt keeps its layout: even the first save is fast.
        await save('chair', a.id, single, 'B').expect(200);
        expect(full).toHaveBeenCalledTimes(0);
        // Started on another replica (nothing kept here): the full route reads the layout once.
        (drawn as unknown as { layouts: Map<string, unknown> }).layouts.delete(a.id);
        const first = await save('chair', a.id, single, 'A').expect(200);
        expect(full).toHaveBeenCalledTimes(1);
        const again = await t.http
          .put(`/api/v1/attempts/${a.id}/responses/${single}`)
          .set(bearer(t.tokens.chair))
          .set('X-Request-Id', 'exam-hot-path-0001')
          .send({ response: 'B' })
          .expect(200);
        expect(full).toHaveBeenCalledTimes(1); // answered before the router
        expect(Object.keys(again.body).sort()).toEqual(Object.keys(first.body).sort());
        expect(again.body).toEqual({
          questionId: single,
          response: 'B',
          savedAt: expect.any(String),
        });
        expect(again.headers['x-request-id']).toBe('exam-hot-path-0001');
        expect(again.headers['content-type']).toMatch(/^application\/json/);
        expect(again.headers['content-security-policy']).toContain("default-src 'self'");
        const viewed = await view('chair', a.id);
        expect(viewed.items.find((i) => i.questionId === single)!.response).toBe('B');
      } finally {
        full.mockRestore();
      }
    });

    it('leaves every refusal to the full route, with its usual answer and nothing written', async () => {
      const { assessmentId } = await drawnCourse(everyKind(), ['chair']);
      const a = await start('chair', assessmentId);
      const single = a.items.find((i) => i.kind === 'single')!.questionId;
      await save('chair', a.id, single, 'B').expect(200); // the layout is now kept
      const url = `/api/v1/attempts/${a.id}/responses/${single}`;
      expectError(await t.http.put(url).send({ response: 'A' }), 401, 'UNAUTHENTICATED');
      expectError(
        await t.http.put(url).set(bearer('not.a.token')).send({ response: 'A' }),
        401,
        'UNAUTHENTICATED',
      );
      expectError(await save('hrHanoi', a.id, single, 'A'), 404, 'ATTEMPT_NOT_FOUND');
      expectError(await save('chair', a.id, single, 'Z'), 422, 'RESPONSE_INVALID');
      expectError(await save('chair', a.id, single, null), 400, 'VALIDATION_FAILED', ['response']);
      expectError(
        await t.http.put(url).set(bearer(t.tokens.chair)).send({ response: 'A', extra: 1 }),
        400,
        'VALIDATION_FAILED',
        ['extra'],
      );
      expectError(
        await t.http.put(url).set(bearer(t.tokens.chair)).send(['A']),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await t.http
          .put(`/api/v1/attempts/${a.id}/responses/not-a-uuid`)
          .set(bearer(t.tokens.chair))
          .send({ response: 'A' }),
        400,
        'VALIDATION_FAILED',
      );
      await t.dataSource.query(
        `UPDATE assessment_attempts SET deadline = now() - interval '1 second' WHERE id = $1`,
        [a.id],
      );
      expectError(await save('chair', a.id, single, 'A'), 409, 'ATTEMPT_CLOSED');
      const [stored] = await t.dataSource.query<{ response: unknown }[]>(
        `SELECT response FROM attempt_items WHERE attempt_id = $1 AND question_id = $2`,
        [a.id, single],
      );
      expect(stored.response).toBe('B');
    });

    it('refuses a session signed out since the layout was kept', async () => {
      const { assessmentId } = await drawnCourse(everyKind(), ['hrHanoi']);
      const token = await t.login('hr.hanoi@lms.congdoan.test');
      const a = (
        await t.http
          .post(`/api/v1/assessments/${assessmentId}/attempts`)
          .set(bearer(token))
          .expect(201)
      ).body as Attempt;
      const single = a.items.find((i) => i.kind === 'single')!.questionId;
      const url = `/api/v1/attempts/${a.id}/responses/${single}`;
      await t.http.put(url).set(bearer(token)).send({ response: 'A' }).expect(200);
      await t.http.post('/api/v1/auth/logout').set(bearer(token)).expect(204);
      expectError(
        await t.http.put(url).set(bearer(token)).send({ response: 'B' }),
        401,
        'UNAUTHENTICATED',
      );
    });
  });

  describe('integrity', () => {
    it('gives two racing starts the one open attempt, and one draw', async () => {
      const { assessmentId } = await drawnCourse(
        { sections: [{ title: 'A', rules: [{ bankId, categoryId, count: 4 }] }] },
        ['chair'],
      );
      const [x, y] = await Promise.all([
        t.http.post(`/api/v1/assessments/${assessmentId}/attempts`).set(bearer(t.tokens.chair)),
        t.http.post(`/api/v1/assessments/${assessmentId}/attempts`).set(bearer(t.tokens.chair)),
      ]);
      expect([x.status, y.status]).toEqual([201, 201]);
      expect(x.body.id).toBe(y.body.id);
      const [{ attempts, items }] = await t.dataSource.query<{ attempts: number; items: number }[]>(
        `SELECT count(DISTINCT t.id)::int AS attempts, count(i.*)::int AS items
           FROM assessment_attempts t LEFT JOIN attempt_items i ON i.attempt_id = t.id
          WHERE t.assessment_id = $1`,
        [assessmentId],
      );
      expect({ attempts, items }).toEqual({ attempts: 1, items: 4 });
    });

    it('grades once when two submits race, and both answer the same result', async () => {
      const { assessmentId } = await drawnCourse(
        { sections: [{ title: 'A', rules: [{ bankId, categoryId, count: 4 }] }] },
        ['chair'],
      );
      const a = await start('chair', assessmentId);
      await save('chair', a.id, a.items[0].questionId, 'A').expect(200);
      const [x, y] = await Promise.all([submit('chair', a.id), submit('chair', a.id)]);
      expect([x.status, y.status]).toEqual([200, 200]);
      expect(x.body).toEqual(y.body);
      expect(x.body).toMatchObject({ released: true, pointsTotal: 4, attemptsUsed: 1 });
      const [{ graded, closed }] = await t.dataSource.query<{ graded: number; closed: number }[]>(
        `SELECT count(*) FILTER (WHERE i.auto_points IS NOT NULL)::int AS graded,
                (SELECT count(*)::int FROM assessment_attempts WHERE id = $1
                    AND submitted_at IS NOT NULL AND released_at IS NOT NULL) AS closed
           FROM attempt_items i WHERE i.attempt_id = $1`,
        [a.id],
      );
      expect({ graded, closed }).toEqual({ graded: 4, closed: 1 });
    });

    it('keeps the right answers from the learner when the review policy says never', async () => {
      const { assessmentId } = await drawnCourse(everyKind(), ['chair'], { reviewPolicy: 'never' });
      const a = await start('chair', assessmentId);
      for (const item of a.items) await save('chair', a.id, item.questionId, RIGHT[item.kind]);
      const done = await submit('chair', a.id).expect(200);
      expect(done.body).toMatchObject({ released: true, score: 10 });
      const seen = await view('chair', a.id);
      expect(seen.result).toMatchObject({ score: 10, passed: true });
      expect(seen.items.every((i) => i.result === null)).toBe(true);
      expect(JSON.stringify(seen)).not.toMatch(/correctAnswer|"accepted"|"pairs"/);
    });
  });

  describe('grading policies', () => {
    const sitTwice = async (policy: string, scores: ['right' | 'wrong', 'right' | 'wrong']) => {
      const { assessmentId } = await drawnCourse(
        {
          sections: [{ title: 'Một câu', rules: [{ bankId, questionId: byKind.true_false }] }],
          gradingPolicy: policy,
        },
        ['chair'],
        { passScore: 6 },
      );
      for (const s of scores) {
        const a = await start('chair', assessmentId);
        await save('chair', a.id, byKind.true_false, s === 'right').expect(200);
        await submit('chair', a.id).expect(200);
      }
      const [e] = await t.dataSource.query<{ status: string; assessment_score: string | null }[]>(
        `SELECT e.status, e.assessment_score FROM enrolments e
           JOIN assessments a ON a.course_id = e.course_id
          WHERE a.id = $1 AND e.person_id = $2`,
        [assessmentId, people.chair],
      );
      return e;
    };

    it('highest: a later pass counts', async () => {
      expect(await sitTwice('highest', ['wrong', 'right'])).toMatchObject({
        status: 'completed',
        assessment_score: '10.00',
      });
    });

    it('latest: the last attempt counts', async () => {
      expect(await sitTwice('latest', ['wrong', 'right'])).toMatchObject({
        status: 'completed',
        assessment_score: '10.00',
      });
    });

    it('first: only the first attempt counts, later ones are practice', async () => {
      expect(await sitTwice('first', ['wrong', 'right'])).toMatchObject({
        assessment_score: null,
      });
    });

    it('average: 0 and 10 average 5, below a pass mark of 6', async () => {
      const e = await sitTwice('average', ['wrong', 'right']);
      expect(e.status).not.toBe('completed');
      expect(e.assessment_score).toBeNull();
    });
  });

  describe('window and accommodations', () => {
    it('opens and closes by the server clock, and cuts the deadline at the close', async () => {
      const { assessmentId } = await drawnCourse(everyKind(), ['chair']);
      const url = `/api/v1/assessments/${assessmentId}/window`;
      const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
      await t.http.put(url).set(officer()).send({ opensAt: inAnHour }).expect(200);
      expectError(
        await t.http
          .post(`/api/v1/assessments/${assessmentId}/attempts`)
          .set(bearer(t.tokens.chair)),
        409,
        'ASSESSMENT_NOT_OPEN',
      );
      const inTenMinutes = new Date(Date.now() + 600_000).toISOString();
      await t.http
        .put(url)
        .set(officer())
        .send({ opensAt: null, closesAt: inTenMinutes })
        .expect(200);
      const a = await start('chair', assessmentId);
      // 30 minutes of time limit, but the window closes in 10.
      expect(new Date(a.deadline).getTime()).toBe(new Date(inTenMinutes).getTime());
      await submit('chair', a.id).expect(200);
      await t.http
        .put(url)
        .set(officer())
        .send({ closesAt: new Date(Date.now() - 1000).toISOString() })
        .expect(200);
      expectError(
        await t.http
          .post(`/api/v1/assessments/${assessmentId}/attempts`)
          .set(bearer(t.tokens.chair)),
        409,
        'ASSESSMENT_WINDOW_CLOSED',
      );
      // Refusals.
      expectError(
        await t.http.put(url).set(officer()).send({ opensAt: inAnHour, closesAt: inTenMinutes }),
        400,
        'VALIDATION_FAILED',
        ['closesAt'],
      );
      expectError(
        await t.http.put(url).set(officer()).send({ opensAt: 'tomorrow' }),
        400,
        'VALIDATION_FAILED',
        ['opensAt'],
      );
      expectError(
        await t.http.put(url).set(bearer(t.tokens.officerBacNinh)).send({ opensAt: null }),
        404,
        'ASSESSMENT_NOT_FOUND',
      );
      expectError(
        await t.http.put(url).set(bearer(t.tokens.chair)).send({ opensAt: null }),
        403,
        'FORBIDDEN',
      );
    });

    it('gives one person extra time and an extra attempt, with a reason, and keeps the history', async () => {
      const { assessmentId } = await drawnCourse(
        {
          sections: [{ title: 'Một câu', rules: [{ bankId, questionId: byKind.true_false }] }],
        },
        ['chair'],
        { maxAttempts: 1 },
      );
      const url = `/api/v1/assessments/${assessmentId}/accommodations/${people.chair}`;
      const granted = await t.http
        .put(url)
        .set(officer())
        .send({ extraMinutes: 15, extraAttempts: 1, reason: 'Thị lực kém, cần thêm thời gian' })
        .expect(200);
      expect(granted.body).toMatchObject({
        extraMinutes: 15,
        extraAttempts: 1,
        reason: 'Thị lực kém, cần thêm thời gian',
        revokedAt: null,
      });
      const a = await start('chair', assessmentId);
      const minutes = (Date.parse(a.deadline) - Date.parse(a.startedAt)) / 60_000;
      expect(minutes).toBeCloseTo(45, 3);
      await save('chair', a.id, byKind.true_false, false).expect(200);
      await submit('chair', a.id).expect(200);
      // The extra attempt: a second sitting of a one-attempt assessment.
      const b = await start('chair', assessmentId);
      expect(b.number).toBe(2);
      await submit('chair', b.id).expect(200);
      expectError(
        await t.http
          .post(`/api/v1/assessments/${assessmentId}/attempts`)
          .set(bearer(t.tokens.chair)),
        409,
        'ASSESSMENT_ATTEMPTS_EXHAUSTED',
      );
      // Replaced, then revoked: nothing deleted.
      await t.http
        .put(url)
        .set(officer())
        .send({ extraMinutes: 30, extraAttempts: 0, reason: 'Điều chỉnh lại' })
        .expect(200);
      await t.http.post(`${url}/revoke`).set(officer()).expect(200);
      expectError(
        await t.http.post(`${url}/revoke`).set(officer()),
        409,
        'ACCOMMODATION_NOT_ACTIVE',
      );
      const list = await t.http
        .get(`/api/v1/assessments/${assessmentId}/accommodations`)
        .set(officer())
        .expect(200);
      expect(list.body).toHaveLength(2);
      expect((list.body as { revokedAt: string | null }[]).every((x) => x.revokedAt)).toBe(true);
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM audit_log
          WHERE action LIKE 'assessment_accommodation.%' AND entity_id = ANY($1::uuid[])`,
        [(list.body as { id: string }[]).map((x) => x.id)],
      );
      expect(n).toBe(3);
      // Refusals.
      for (const [body, fields] of [
        [{ extraMinutes: 10, extraAttempts: 0 }, ['reason']],
        [{ extraMinutes: 0, extraAttempts: 0, reason: 'Không có gì' }, ['extraMinutes']],
        [{ extraMinutes: 601, extraAttempts: 0, reason: 'Quá nhiều' }, ['extraMinutes']],
        [{ extraMinutes: '10', extraAttempts: 0, reason: 'Sai kiểu' }, ['extraMinutes']],
        [{ extraMinutes: 10, extraAttempts: 11, reason: 'Quá nhiều' }, ['extraAttempts']],
        [{ extraMinutes: 10, extraAttempts: 0, reason: 'Lý do', note: 'x' }, ['note']],
      ] as [object, string[]][]) {
        expectError(
          await t.http.put(url).set(officer()).send(body),
          400,
          'VALIDATION_FAILED',
          fields,
        );
      }
      const ok = { extraMinutes: 5, extraAttempts: 0, reason: 'Lý do hợp lệ' };
      // A person not enrolled in the course, or outside the officer's subtree: 404.
      const [bn] = await t.dataSource.query<{ id: string }[]>(
        `SELECT p.id FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
          WHERE o.path LIKE (SELECT path FROM org_units WHERE code = 'BN') || '%' LIMIT 1`,
      );
      expectError(
        await t.http
          .put(`/api/v1/assessments/${assessmentId}/accommodations/${bn.id}`)
          .set(officer())
          .send(ok),
        404,
        'PERSON_NOT_FOUND',
      );
      expectError(
        await t.http
          .put(`/api/v1/assessments/${assessmentId}/accommodations/${people.hrHanoi}`)
          .set(officer())
          .send(ok),
        404,
        'PERSON_NOT_FOUND',
      );
      expectError(
        await t.http.put(url).set(bearer(t.tokens.officerBacNinh)).send(ok),
        404,
        'ASSESSMENT_NOT_FOUND',
      );
      expectError(await t.http.put(url).set(bearer(t.tokens.chair)).send(ok), 403, 'FORBIDDEN');
    });
  });

  describe('item statistics per question version', () => {
    /**
     * Three learners, a true/false (right: true) and a single choice (right: B), 1 point each:
     *   chair:  true, B → 1, 1      hrHanoi: true, A → 1, 0      officer: false, A → 0, 0
     * True/false: x = 1,1,0 against the rest y = 1,0,0: Σdxdy = 1/3, Σdx² = Σdy² = 2/3, so
     * r = (1/3)/(2/3) = 0.5; facility 2/3. The single choice mirrors it: r = 0.5, facility 1/3.
     * Then the single choice is revised and the officer sits again: its new version is its own
     * item, with one attempt.
     */
    it('reports each version drawn, checked by hand, and the bank question across assessments', async () => {
      const { assessmentId } = await drawnCourse(
        {
          sections: [
            {
              title: 'Hai câu',
              rules: [
                { bankId, questionId: byKind.true_false },
                { bankId, questionId: byKind.single },
              ],
            },
          ],
        },
        ['chair', 'hrHanoi', 'officerHanoi'],
      );
      for (const [who, tf, single] of [
        ['chair', true, 'B'],
        ['hrHanoi', true, 'A'],
        ['officerHanoi', false, 'A'],
      ] as [string, boolean, string][]) {
        const a = await start(who, assessmentId);
        await save(who, a.id, byKind.true_false, tf).expect(200);
        await save(who, a.id, byKind.single, single).expect(200);
        await submit(who, a.id).expect(200);
      }
      const [{ current_version: before }] = await t.dataSource.query<{ current_version: number }[]>(
        `SELECT current_version FROM bank_questions WHERE id = $1`,
        [byKind.single],
      );
      await t.http
        .put(`/api/v1/question-banks/${bankId}/questions/${byKind.single}`)
        .set(officer())
        .send({ ...QUESTIONS_OF_EACH_KIND.single, prompt: 'Phiên bản mới của câu một lựa chọn?' })
        .expect(200);
      const again = await start('officerHanoi', assessmentId);
      await save('officerHanoi', again.id, byKind.single, 'B').expect(200);
      await submit('officerHanoi', again.id).expect(200);

      const report = await t.http
        .get(`/api/v1/assessments/${assessmentId}/item-statistics`)
        .set(officer())
        .expect(200);
      type Row = {
        questionId: string;
        version: number;
        attempts: number;
        facility: number;
        discrimination: number | null;
        options: { key: string; count: number; correct: boolean | null }[];
      };
      const items = report.body.items as Row[];
      expect(report.body.submittedAttempts).toBe(4);
      const find = (id: string, version: number) =>
        items.find((i) => i.questionId === id && i.version === version)!;
      const tf = items.find((i) => i.questionId === byKind.true_false)!;
      expect(tf).toMatchObject({ attempts: 4, facility: 0.5 });
      const old = find(byKind.single, before);
      expect(old).toMatchObject({ attempts: 3, facility: 0.3333, discrimination: 0.5 });
      expect(old.options).toEqual([
        expect.objectContaining({ key: 'A', count: 2, correct: false }),
        expect.objectContaining({ key: 'B', count: 1, correct: true }),
      ]);
      expect(find(byKind.single, before + 1)).toMatchObject({ attempts: 1, facility: 1 });
      // The same, as a spreadsheet row per version, in Vietnamese.
      const csv = await t.http
        .get(`/api/v1/assessments/${assessmentId}/item-statistics.csv`)
        .set(officer())
        .expect(200);
      expect(csv.text).toContain(`(phiên bản ${before + 1})`);

      // The bank question, per version, over every assessment that drew it.
      const bankStats = await t.http
        .get(`/api/v1/question-banks/${bankId}/questions/${byKind.single}/statistics`)
        .set(officer())
        .expect(200);
      const versions = (bankStats.body.items as Row[]).map((i) => i.version).sort();
      expect(versions).toEqual(expect.arrayContaining([before, before + 1]));
      expect((bankStats.body.items as Row[]).find((i) => i.version === before + 1)!.attempts).toBe(
        1,
      );
      // Another subtree's officer sees no learner of Hà Nội, and no bank of it.
      const bn = await t.http
        .get(`/api/v1/assessments/${assessmentId}/item-statistics`)
        .set(bearer(t.tokens.officerBacNinh));
      expectError(bn, 404, 'ASSESSMENT_NOT_FOUND');
      expectError(
        await t.http
          .get(`/api/v1/question-banks/${bankId}/questions/${byKind.single}/statistics`)
          .set(bearer(t.tokens.officerBacNinh)),
        404,
        'QUESTION_BANK_NOT_FOUND',
      );
      expectError(
        await t.http
          .get(`/api/v1/question-banks/${bankId}/questions/${byKind.single}/statistics`)
          .set(bearer(t.tokens.chair)),
        403,
        'FORBIDDEN',
      );
    });
  });
});
