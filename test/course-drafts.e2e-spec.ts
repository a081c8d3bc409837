import { randomBytes } from 'node:crypto';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';

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
  title: string;
  description: string | null;
  status: string;
  ownerOrgUnitId: string;
  lessons: Lesson[];
  completionRule: { requiredLessons: number; finalAssessment: string };
}
interface Assessment {
  id: string;
  title: string;
  maxAttempts: number;
  timeLimitMinutes: number;
  passScore: number;
  partialCredit: boolean;
  reviewPolicy: string;
  lessonId: string;
  questions: {
    id: string;
    kind: string;
    prompt: string;
    options: { key: string; text: string }[];
    correct: string[] | null;
    points: number;
  }[];
}

const uniqueCode = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex').toUpperCase()}`;

const question = (over: object = {}) => ({
  kind: 'single',
  prompt: 'Nhiệm kỳ của Ban Chấp hành CĐCS là mấy năm?',
  options: [
    { key: 'a', text: '3 năm' },
    { key: 'b', text: '5 năm' },
  ],
  correct: ['b'],
  points: 1,
  ...over,
});

/**
 * Issue 11, item 5 (drafts): a draft course is corrected — the course, its lessons and their
 * order, its final assessment and questions — and nothing of it changes once published.
 */
describe('correcting a draft course', () => {
  let t: TestApp;
  let hn: string;

  const officer = () => bearer(t.tokens.officerHanoi);
  const bnOfficer = () => bearer(t.tokens.officerBacNinh);
  const learner = () => bearer(t.tokens.chair);

  /** A draft with a text, a video and a link lesson, then a final assessment (position 4). */
  const draft = async () => {
    const created = await t.http
      .post('/api/v1/courses')
      .set(officer())
      .send({
        code: uniqueCode('D'),
        title: 'Thương lượng tập thể',
        description: 'Bản nháp',
        deliveryMode: 'blended',
        durationHours: 16,
        ownerOrgUnitId: hn,
      })
      .expect(201);
    const id = created.body.id as string;
    for (const body of [
      { title: 'Bài 1', kind: 'text', content: 'Nội dung bài 1' },
      { title: 'Bài 2', kind: 'video', url: 'https://example.vn/bai-2.mp4' },
      { title: 'Bài 3', kind: 'link', url: 'https://example.vn/bai-3', required: false },
    ]) {
      await t.http.post(`/api/v1/courses/${id}/lessons`).set(officer()).send(body).expect(201);
    }
    const assessment = await t.http
      .post('/api/v1/assessments')
      .set(officer())
      .send({
        courseId: id,
        title: 'Kiểm tra cuối khóa',
        timeLimitMinutes: 15,
        maxAttempts: 2,
        questions: [
          question(),
          question({
            kind: 'multiple',
            prompt: 'Ai tham gia thương lượng?',
            options: [
              { key: 'a', text: 'Người sử dụng lao động' },
              { key: 'b', text: 'Cơ quan thuế' },
              { key: 'c', text: 'Công đoàn cơ sở' },
            ],
            correct: ['a', 'c'],
            points: 2,
          }),
        ],
      })
      .expect(201);
    return { id, code: created.body.code as string, assessment: assessment.body as Assessment };
  };

  const get = async (id: string) =>
    (await t.http.get(`/api/v1/courses/${id}`).set(officer()).expect(200)).body as Course;
  const publish = (id: string) =>
    t.http.post(`/api/v1/courses/${id}/publish`).set(officer()).expect(200);

  beforeAll(async () => {
    t = await createTestApp();
    hn = await t.unitId('HN');
  });

  afterAll(async () => {
    await t.close();
  });

  describe('PATCH /courses/:id', () => {
    it('corrects a draft: texts in NFC, description cleared with null, code and owner of a first version', async () => {
      const d = await draft();
      const code = uniqueCode('D');
      const upper = await t.unitId('HN-HD');
      const res = await t.http
        .patch(`/api/v1/courses/${d.id}`)
        .set(officer())
        .send({
          title: 'Đối thoại tại nơi làm việc'.normalize('NFD'),
          description: null,
          deliveryMode: 'classroom',
          durationHours: 12.5,
          passScore: 6,
          code,
          ownerOrgUnitId: upper,
        })
        .expect(200);
      expect(res.body).toMatchObject({
        id: d.id,
        code,
        versionNo: 1,
        title: 'Đối thoại tại nơi làm việc',
        description: null,
        deliveryMode: 'classroom',
        durationHours: 12.5,
        passScore: 6,
        ownerOrgUnitId: upper,
        status: 'draft',
      });
      expect((res.body.title as string) === 'Đối thoại tại nơi làm việc'.normalize('NFC')).toBe(
        true,
      );
      expect(res.body.lessons).toHaveLength(4);
      // Only what is given changes.
      const again = await t.http
        .patch(`/api/v1/courses/${d.id}`)
        .set(officer())
        .send({ description: 'Mô tả mới' })
        .expect(200);
      expect(again.body).toMatchObject({ title: 'Đối thoại tại nơi làm việc', passScore: 6 });
      expect(again.body.description).toBe('Mô tả mới');
    });

    it('refuses empty, unknown, wrongly typed, missing-valued and out-of-range bodies with 400; nothing changes', async () => {
      const d = await draft();
      const before = await get(d.id);
      const patch = (body: object) =>
        t.http.patch(`/api/v1/courses/${d.id}`).set(officer()).send(body);
      expectError(await patch({}), 400, 'VALIDATION_FAILED', ['body']);
      expectError(await patch({ status: 'published' }), 400, 'VALIDATION_FAILED', ['status']);
      expectError(
        await patch({
          title: 12,
          durationHours: '8',
          deliveryMode: 'tv',
          passScore: '5',
          code: 'k 01',
          ownerOrgUnitId: 'x',
        }),
        400,
        'VALIDATION_FAILED',
        ['title', 'durationHours', 'deliveryMode', 'passScore', 'code', 'ownerOrgUnitId'],
      );
      expectError(await patch({ durationHours: 0, passScore: 11 }), 400, 'VALIDATION_FAILED', [
        'durationHours',
        'passScore',
      ]);
      expectError(await patch({ durationHours: 2001, passScore: -1 }), 400, 'VALIDATION_FAILED', [
        'durationHours',
        'passScore',
      ]);
      expectError(
        await patch({ title: '   ', code: null, deliveryMode: null }),
        400,
        'VALIDATION_FAILED',
        ['title', 'code', 'deliveryMode'],
      );
      const english = await t.http
        .patch(`/api/v1/courses/${d.id}`)
        .set(officer())
        .set('Accept-Language', 'en')
        .send({});
      expect(english.body.details).toEqual([
        { field: 'body', message: 'give at least one field to change' },
      ]);
      expect(await get(d.id)).toEqual(before);
    });

    it('refuses a code another course has (409) and an owner outside the officer’s scope (404)', async () => {
      const d = await draft();
      expectError(
        await t.http.patch(`/api/v1/courses/${d.id}`).set(officer()).send({ code: 'K02' }),
        409,
        'COURSE_CODE_TAKEN',
        ['code'],
      );
      expectError(
        await t.http
          .patch(`/api/v1/courses/${d.id}`)
          .set(officer())
          .send({ ownerOrgUnitId: await t.unitId('BN') }),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expect((await get(d.id)).code).toBe(d.code);
    });

    it('answers 403 to a learner, 404 to the Bắc Ninh officer and for unknown ids, 409 once published', async () => {
      const d = await draft();
      const body = { title: 'Không được' };
      expectError(
        await t.http.patch(`/api/v1/courses/${d.id}`).set(learner()).send(body),
        403,
        'FORBIDDEN',
      );
      expectError(
        await t.http.patch(`/api/v1/courses/${d.id}`).set(bnOfficer()).send(body),
        404,
        'COURSE_NOT_FOUND',
      );
      expectError(
        await t.http.patch(`/api/v1/courses/${hn}`).set(officer()).send(body),
        404,
        'COURSE_NOT_FOUND',
      );
      expectError(
        await t.http.patch(`/api/v1/courses/not-an-id`).set(officer()).send(body),
        400,
        'VALIDATION_FAILED',
      );
      await publish(d.id);
      const locked = await t.http.patch(`/api/v1/courses/${d.id}`).set(officer()).send(body);
      expectError(locked, 409, 'COURSE_LOCKED');
      expect(locked.body.message).toContain(d.code);
      expect((await get(d.id)).title).toBe('Thương lượng tập thể');
    });
  });

  describe('lessons of a draft', () => {
    it('corrects a lesson: title, required, kind with its url; the assessment lesson takes title and required only', async () => {
      const d = await draft();
      const [text, , link, final] = (await get(d.id)).lessons;
      const url = `/api/v1/courses/${d.id}/lessons`;
      const res = await t.http
        .patch(`${url}/${text.id}`)
        .set(officer())
        .send({
          title: 'Bài 1 (sửa)',
          kind: 'link',
          url: 'https://example.vn/bai-1',
          required: false,
        })
        .expect(200);
      expect(res.body).toMatchObject({
        id: text.id,
        position: 1,
        title: 'Bài 1 (sửa)',
        kind: 'link',
        url: 'https://example.vn/bai-1',
        required: false,
        content: 'Nội dung bài 1',
      });
      await t.http
        .patch(`${url}/${link.id}`)
        .set(officer())
        .send({ kind: 'text', content: 'Đọc thêm', url: null })
        .expect(200);
      const renamed = await t.http
        .patch(`${url}/${final.id}`)
        .set(officer())
        .send({ title: 'Bài kiểm tra thử', required: false })
        .expect(200);
      expect(renamed.body).toMatchObject({
        kind: 'assessment',
        required: false,
        assessmentId: d.assessment.id,
      });
      const after = await get(d.id);
      expect(after.lessons.map((l) => [l.kind, l.required])).toEqual([
        ['link', false],
        ['video', true],
        ['text', false],
        ['assessment', false],
      ]);
      // An optional final assessment is practice: the course completes on its lessons.
      expect(after.completionRule).toMatchObject({
        requiredLessons: 1,
        finalAssessment: 'optional',
      });
      expectError(
        await t.http
          .patch(`${url}/${final.id}`)
          .set(officer())
          .send({ kind: 'text', content: 'x' }),
        422,
        'LESSON_IS_ASSESSMENT',
      );
    });

    it('refuses a lesson left without its content or url, and bad bodies (400); nothing changes', async () => {
      const d = await draft();
      const [text, video] = (await get(d.id)).lessons;
      const before = await get(d.id);
      const patch = (lessonId: string, body: object) =>
        t.http.patch(`/api/v1/courses/${d.id}/lessons/${lessonId}`).set(officer()).send(body);
      expectError(await patch(text.id, { content: null }), 400, 'VALIDATION_FAILED', ['content']);
      expectError(await patch(text.id, { kind: 'video' }), 400, 'VALIDATION_FAILED', ['url']);
      expectError(await patch(video.id, { url: null }), 400, 'VALIDATION_FAILED', ['url']);
      expectError(await patch(text.id, {}), 400, 'VALIDATION_FAILED', ['body']);
      expectError(
        await patch(text.id, {
          title: 7,
          required: 'yes',
          kind: 'quiz',
          url: 'ftp://x',
          position: 2,
        }),
        400,
        'VALIDATION_FAILED',
        ['title', 'required', 'kind', 'url', 'position'],
      );
      expectError(await patch(text.id, { kind: 'assessment' }), 400, 'VALIDATION_FAILED', ['kind']);
      expectError(
        await patch(text.id, { title: '', content: '', url: `https://x.vn/${'a'.repeat(2000)}` }),
        400,
        'VALIDATION_FAILED',
        ['title', 'content', 'url'],
      );
      const vi = await patch(text.id, { content: null });
      expect(vi.body.details).toEqual([
        { field: 'content', message: 'Bài học dạng văn bản cần có nội dung.' },
      ]);
      expect(await get(d.id)).toEqual(before);
    });

    it('deletes a lesson for good and renumbers the rest; the final assessment’s lesson goes only with it (422)', async () => {
      const d = await draft();
      const [, video, link, final] = (await get(d.id)).lessons;
      const res = await t.http
        .delete(`/api/v1/courses/${d.id}/lessons/${video.id}`)
        .set(officer())
        .expect(200);
      expect((res.body.lessons as Lesson[]).map((l) => [l.position, l.title])).toEqual([
        [1, 'Bài 1'],
        [2, 'Bài 3'],
        [3, 'Kiểm tra cuối khóa'],
      ]);
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM course_lessons WHERE id = $1`,
        [video.id],
      );
      expect(n).toBe(0);
      expectError(
        await t.http.delete(`/api/v1/courses/${d.id}/lessons/${video.id}`).set(officer()),
        404,
        'LESSON_NOT_FOUND',
      );
      expectError(
        await t.http.delete(`/api/v1/courses/${d.id}/lessons/${final.id}`).set(officer()),
        422,
        'LESSON_IS_ASSESSMENT',
      );
      await publish(d.id);
      expectError(
        await t.http.delete(`/api/v1/courses/${d.id}/lessons/${link.id}`).set(officer()),
        409,
        'COURSE_LOCKED',
      );
      expect((await get(d.id)).lessons).toHaveLength(3);
    });

    it('reorders with the full list of lessons; missing, unknown and repeated ids are refused with details', async () => {
      const d = await draft();
      const other = await draft();
      const ids = (await get(d.id)).lessons.map((l) => l.id);
      const order = (lessonIds: unknown, extra: object = {}) =>
        t.http
          .put(`/api/v1/courses/${d.id}/lessons/order`)
          .set(officer())
          .send({ lessonIds, ...extra });
      const reordered = await order([ids[3], ids[0], ids[2], ids[1]]).expect(200);
      expect((reordered.body.lessons as Lesson[]).map((l) => [l.position, l.id])).toEqual([
        [1, ids[3]],
        [2, ids[0]],
        [3, ids[2]],
        [4, ids[1]],
      ]);
      const now = [ids[3], ids[0], ids[2], ids[1]];
      const foreign = (await get(other.id)).lessons[0].id;
      const bad = await order([ids[0], ids[0], foreign, ids[2]]);
      expectError(bad, 400, 'VALIDATION_FAILED', ['lessonIds[1]', 'lessonIds[2]', 'lessonIds']);
      const details = bad.body.details as { field: string; message: string }[];
      // The missing ones, in the course's present order.
      expect(details.filter((x) => x.field === 'lessonIds').map((x) => x.message)).toEqual([
        expect.stringContaining(ids[3]),
        expect.stringContaining(ids[1]),
      ]);
      expect(details.find((x) => x.field === 'lessonIds[1]')?.message).toContain(
        'nhiều lần trong danh sách',
      );
      expect(details.find((x) => x.field === 'lessonIds[2]')?.message).toContain(
        'không phải bài học của khóa học này',
      );
      expectError(await order(ids.slice(0, 3)), 400, 'VALIDATION_FAILED', ['lessonIds']);
      expectError(await order([]), 400, 'VALIDATION_FAILED', ['lessonIds']);
      expectError(await order(['x', 1]), 400, 'VALIDATION_FAILED', ['lessonIds']);
      expectError(await order('abc'), 400, 'VALIDATION_FAILED', ['lessonIds']);
      expectError(await order(undefined), 400, 'VALIDATION_FAILED', ['lessonIds']);
      expectError(await order(now, { positions: [1] }), 400, 'VALIDATION_FAILED', ['positions']);
      expect((await get(d.id)).lessons.map((l) => l.id)).toEqual(now);
      await publish(d.id);
      expectError(await order(ids), 409, 'COURSE_LOCKED');
    });

    it('answers 404 for a lesson of another course, 403 to a learner and 404 to the Bắc Ninh officer', async () => {
      const d = await draft();
      const other = await draft();
      const [lesson] = (await get(d.id)).lessons;
      const [foreign] = (await get(other.id)).lessons;
      expectError(
        await t.http
          .patch(`/api/v1/courses/${d.id}/lessons/${foreign.id}`)
          .set(officer())
          .send({ title: 'x' }),
        404,
        'LESSON_NOT_FOUND',
      );
      expectError(
        await t.http.delete(`/api/v1/courses/${d.id}/lessons/${foreign.id}`).set(officer()),
        404,
        'LESSON_NOT_FOUND',
      );
      for (const [who, status, code] of [
        [learner(), 403, 'FORBIDDEN'],
        [bnOfficer(), 404, 'COURSE_NOT_FOUND'],
      ] as const) {
        expectError(
          await t.http
            .patch(`/api/v1/courses/${d.id}/lessons/${lesson.id}`)
            .set(who)
            .send({ title: 'x' }),
          status,
          code,
        );
        expectError(
          await t.http.delete(`/api/v1/courses/${d.id}/lessons/${lesson.id}`).set(who),
          status,
          code,
        );
        expectError(
          await t.http
            .put(`/api/v1/courses/${d.id}/lessons/order`)
            .set(who)
            .send({ lessonIds: [lesson.id] }),
          status,
          code,
        );
      }
      expect((await get(d.id)).lessons[0].title).toBe('Bài 1');
    });
  });

  describe('the final assessment of a draft', () => {
    it('corrects its settings and one question; a question that no longer fits its kind is refused', async () => {
      const d = await draft();
      const url = `/api/v1/assessments/${d.assessment.id}`;
      const settings = await t.http
        .patch(url)
        .set(officer())
        .send({ maxAttempts: 3, passScore: 7, reviewPolicy: 'never', title: 'Kiểm tra (sửa)' })
        .expect(200);
      expect(settings.body).toMatchObject({
        maxAttempts: 3,
        passScore: 7,
        reviewPolicy: 'never',
        title: 'Kiểm tra (sửa)',
        timeLimitMinutes: 15,
      });
      const [q1, q2] = d.assessment.questions;
      const edited = await t.http
        .patch(`${url}/questions/${q2.id}`)
        .set(officer())
        .send({
          correct: ['c', 'a', 'b'],
          points: 3,
          prompt: 'Những ai tham gia?'.normalize('NFD'),
        })
        .expect(200);
      expect((edited.body as Assessment).questions[1]).toMatchObject({
        id: q2.id,
        correct: ['a', 'b', 'c'],
        points: 3,
        prompt: 'Những ai tham gia?',
      });
      const toTrueFalse = await t.http
        .patch(`${url}/questions/${q1.id}`)
        .set(officer())
        .send({
          kind: 'true_false',
          options: [
            { key: 'true', text: 'Đúng' },
            { key: 'false', text: 'Sai' },
          ],
          correct: ['true'],
        })
        .expect(200);
      expect((toTrueFalse.body as Assessment).questions[0]).toMatchObject({
        kind: 'true_false',
        correct: ['true'],
      });
      const q = (body: object) =>
        t.http.patch(`${url}/questions/${q1.id}`).set(officer()).send(body);
      // Three options for a true/false question; a right key that is not an option.
      expectError(
        await q({
          options: [
            { key: 'true', text: 'Đúng' },
            { key: 'false', text: 'Sai' },
            { key: 'x', text: 'Khác' },
          ],
        }),
        400,
        'VALIDATION_FAILED',
        ['options'],
      );
      const maybe = await q({ correct: ['maybe'] });
      expectError(maybe, 400, 'VALIDATION_FAILED', ['correct']);
      expect(maybe.body.details).toEqual([
        {
          field: 'correct',
          message:
            'Đáp án đúng phải là khóa của phương án đã có; câu một lựa chọn và câu đúng/sai có đúng một đáp án.',
        },
      ]);
      expectError(
        await q({ kind: 'single', correct: ['true', 'false'] }),
        400,
        'VALIDATION_FAILED',
        ['correct'],
      );
      expectError(await q({}), 400, 'VALIDATION_FAILED', ['body']);
      expectError(
        await q({ points: 0, prompt: '', kind: 'essay', options: [{ key: 'a' }], extra: 1 }),
        400,
        'VALIDATION_FAILED',
        ['points', 'prompt', 'kind', 'options', 'extra'],
      );
      expectError(await q({ points: 101, correct: 'true' }), 400, 'VALIDATION_FAILED', [
        'points',
        'correct',
      ]);
      expectError(
        await t.http.patch(url).set(officer()).send({ maxAttempts: 0, timeLimitMinutes: 601 }),
        400,
        'VALIDATION_FAILED',
        ['maxAttempts', 'timeLimitMinutes'],
      );
      expectError(
        await t.http
          .patch(url)
          .set(officer())
          .send({ maxAttempts: '2', partialCredit: 'no', x: 1 }),
        400,
        'VALIDATION_FAILED',
        ['maxAttempts', 'partialCredit', 'x'],
      );
      expectError(await t.http.patch(url).set(officer()).send({}), 400, 'VALIDATION_FAILED', [
        'body',
      ]);
      const other = await draft();
      expectError(
        await t.http
          .patch(`${url}/questions/${other.assessment.questions[0].id}`)
          .set(officer())
          .send({ points: 2 }),
        404,
        'ASSESSMENT_QUESTION_NOT_FOUND',
      );
      const now = (await t.http.get(url).set(officer()).expect(200)).body as Assessment;
      expect(now.questions[0]).toMatchObject({ kind: 'true_false', points: 1 });
    });

    it('replaces it whole, keeping its id and its lesson', async () => {
      const d = await draft();
      const res = await t.http
        .put(`/api/v1/assessments/${d.assessment.id}`)
        .set(officer())
        .send({
          title: 'Kiểm tra mới',
          timeLimitMinutes: 30,
          maxAttempts: 1,
          reviewPolicy: 'after_submission',
          questions: [
            question({ prompt: 'Câu mới 1' }),
            question({ prompt: 'Câu mới 2' }),
            question({ prompt: 'Câu mới 3' }),
          ],
        })
        .expect(200);
      const replaced = res.body as Assessment;
      expect(replaced).toMatchObject({
        id: d.assessment.id,
        lessonId: d.assessment.lessonId,
        title: 'Kiểm tra mới',
        timeLimitMinutes: 30,
        maxAttempts: 1,
        reviewPolicy: 'after_submission',
        passScore: 5,
      });
      expect(replaced.questions.map((q) => q.prompt)).toEqual([
        'Câu mới 1',
        'Câu mới 2',
        'Câu mới 3',
      ]);
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM assessment_questions WHERE assessment_id = $1`,
        [d.assessment.id],
      );
      expect(n).toBe(3);
      const put = (body: object) =>
        t.http.put(`/api/v1/assessments/${d.assessment.id}`).set(officer()).send(body);
      expectError(await put({}), 400, 'VALIDATION_FAILED', [
        'title',
        'timeLimitMinutes',
        'maxAttempts',
        'questions',
      ]);
      expectError(
        await put({
          title: 'x',
          timeLimitMinutes: 10,
          maxAttempts: 1,
          questions: [question()],
          courseId: d.id,
        }),
        400,
        'VALIDATION_FAILED',
        ['courseId'],
      );
      expectError(
        await put({
          title: 5,
          timeLimitMinutes: '10',
          maxAttempts: 1.5,
          reviewPolicy: 'always',
          questions: 'q',
        }),
        400,
        'VALIDATION_FAILED',
        ['title', 'timeLimitMinutes', 'maxAttempts', 'reviewPolicy', 'questions'],
      );
      expectError(
        await put({ title: 'x', timeLimitMinutes: 0, maxAttempts: 21, questions: [] }),
        400,
        'VALIDATION_FAILED',
        ['timeLimitMinutes', 'maxAttempts', 'questions'],
      );
    });

    it('deletes it with its questions and lesson (204); the course then completes on its lessons', async () => {
      const d = await draft();
      await t.http.delete(`/api/v1/assessments/${d.assessment.id}`).set(officer()).expect(204);
      const after = await get(d.id);
      expect(after.lessons.map((l) => [l.position, l.kind])).toEqual([
        [1, 'text'],
        [2, 'video'],
        [3, 'link'],
      ]);
      expect(after.completionRule.finalAssessment).toBe('none');
      const [{ a, q }] = await t.dataSource.query<{ a: number; q: number }[]>(
        `SELECT (SELECT count(*)::int FROM assessments WHERE id = $1) AS a,
                (SELECT count(*)::int FROM assessment_questions WHERE assessment_id = $1) AS q`,
        [d.assessment.id],
      );
      expect({ a, q }).toEqual({ a: 0, q: 0 });
      expectError(
        await t.http.get(`/api/v1/assessments/${d.assessment.id}`).set(officer()),
        404,
        'ASSESSMENT_NOT_FOUND',
      );
      // A new one can be made in its place.
      await t.http
        .post('/api/v1/assessments')
        .set(officer())
        .send({
          courseId: d.id,
          title: 'Kiểm tra lại',
          timeLimitMinutes: 10,
          maxAttempts: 1,
          questions: [question()],
        })
        .expect(201);
    });

    it('answers 403 to a learner, 404 to the Bắc Ninh officer, 409 once the course is published', async () => {
      const d = await draft();
      const url = `/api/v1/assessments/${d.assessment.id}`;
      const qUrl = `${url}/questions/${d.assessment.questions[0].id}`;
      const body = {
        title: 'x',
        timeLimitMinutes: 10,
        maxAttempts: 1,
        questions: [question()],
      };
      for (const [who, status, code] of [
        [learner(), 403, 'FORBIDDEN'],
        [bnOfficer(), 404, 'ASSESSMENT_NOT_FOUND'],
      ] as const) {
        expectError(await t.http.put(url).set(who).send(body), status, code);
        expectError(await t.http.patch(url).set(who).send({ maxAttempts: 2 }), status, code);
        expectError(await t.http.patch(qUrl).set(who).send({ points: 2 }), status, code);
        expectError(await t.http.delete(url).set(who), status, code);
      }
      expectError(
        await t.http.delete(`/api/v1/assessments/${d.id}`).set(officer()),
        404,
        'ASSESSMENT_NOT_FOUND',
      );
      await publish(d.id);
      expectError(await t.http.put(url).set(officer()).send(body), 409, 'COURSE_LOCKED');
      expectError(
        await t.http.patch(url).set(officer()).send({ maxAttempts: 2 }),
        409,
        'COURSE_LOCKED',
      );
      expectError(
        await t.http.patch(qUrl).set(officer()).send({ points: 2 }),
        409,
        'COURSE_LOCKED',
      );
      expectError(await t.http.delete(url).set(officer()), 409, 'COURSE_LOCKED');
      const still = (await t.http.get(url).set(officer()).expect(200)).body as Assessment;
      expect(still).toMatchObject({ maxAttempts: 2, title: 'Kiểm tra cuối khóa' });
      expect(still.questions).toHaveLength(2);
    });
  });
});
