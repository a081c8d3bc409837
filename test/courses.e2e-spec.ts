import { randomBytes } from 'node:crypto';
import { bearer, createTestApp, TestApp } from './support/test-app';

const uniqueCode = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex').toUpperCase()}`;

const question = (over: object = {}) => ({
  kind: 'single',
  prompt: 'Câu hỏi?',
  options: [
    { key: 'a', text: 'Một' },
    { key: 'b', text: 'Hai' },
  ],
  correct: ['a'],
  points: 1,
  ...over,
});

describe('courses, lessons, assessments and enrolments', () => {
  let t: TestApp;
  let hn: string;
  let bn: string;

  beforeAll(async () => {
    t = await createTestApp();
    hn = await t.unitId('HN');
    bn = await t.unitId('BN');
  });

  afterAll(async () => {
    await t.close();
  });

  const officer = () => bearer(t.tokens.officerHanoi);

  const newCourse = async (owner = hn, token = t.tokens.officerHanoi) => {
    const res = await t.http
      .post('/api/v1/courses')
      .set(bearer(token))
      .send({
        code: uniqueCode('C'),
        title: 'Thương lượng tập thể',
        deliveryMode: 'blended',
        durationHours: 16,
        passScore: 6,
        ownerOrgUnitId: owner,
      })
      .expect(201);
    return res.body as { id: string; code: string };
  };

  const addLesson = (courseId: string, body: object, token = t.tokens.officerHanoi) =>
    t.http.post(`/api/v1/courses/${courseId}/lessons`).set(bearer(token)).send(body);

  const personOf = async (email: string) =>
    (
      await t.dataSource.query<{ person_id: string }[]>(
        'SELECT person_id FROM user_accounts WHERE email = $1',
        [email],
      )
    )[0].person_id;

  const expect400 = async (req: Promise<{ status: number; body: unknown }>, fields: string[]) => {
    const res = await req;
    expect(res.status).toBe(400);
    const body = res.body as { code: string; details: { field: string }[] };
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.details.map((d) => d.field)).toEqual(expect.arrayContaining(fields));
  };

  describe('building a course', () => {
    it('creates a course, lessons and an assessment, then publishes and locks it', async () => {
      const course = await newCourse();
      expect(course).toMatchObject({ status: 'draft', locked: false, passScore: 6 });
      const text = await addLesson(course.id, {
        title: 'Bài 1',
        kind: 'text',
        content: 'Nội dung',
      }).expect(201);
      expect(text.body).toMatchObject({ position: 1, required: true, kind: 'text' });
      const link = await addLesson(course.id, {
        title: 'Tài liệu',
        kind: 'link',
        url: 'https://example.vn/tai-lieu',
        required: false,
      }).expect(201);
      expect(link.body).toMatchObject({ position: 2, required: false });

      const assessment = await t.http
        .post('/api/v1/assessments')
        .set(officer())
        .send({
          courseId: course.id,
          title: 'Kiểm tra',
          timeLimitMinutes: 15,
          maxAttempts: 1,
          partialCredit: true,
          questions: [
            question(),
            question({
              kind: 'multiple',
              options: [
                { key: 'a', text: 'A' },
                { key: 'b', text: 'B' },
                { key: 'c', text: 'C' },
              ],
              correct: ['a', 'b'],
              points: 3,
            }),
            question({
              kind: 'true_false',
              options: [
                { key: 'true', text: 'Đúng' },
                { key: 'false', text: 'Sai' },
              ],
              correct: ['false'],
            }),
          ],
        })
        .expect(201);
      // The course pass score is the default; staff see the right answers.
      expect(assessment.body).toMatchObject({ passScore: 6, partialCredit: true });
      expect(assessment.body.questions[1].correct).toEqual(['a', 'b']);
      const read = await t.http
        .get(`/api/v1/assessments/${assessment.body.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(read.body.lessonId).toEqual(expect.any(String));

      const second = await t.http
        .post('/api/v1/assessments')
        .set(officer())
        .send({
          courseId: course.id,
          title: 'Lần hai',
          timeLimitMinutes: 15,
          maxAttempts: 1,
          passScore: 5,
          questions: [question()],
        })
        .expect(409);
      expect(second.body.code).toBe('ASSESSMENT_EXISTS');

      const published = await t.http
        .post(`/api/v1/courses/${course.id}/publish`)
        .set(officer())
        .expect(200);
      expect(published.body).toMatchObject({ status: 'published', locked: true });
      expect((published.body.lessons as { kind: string }[]).map((l) => l.kind)).toEqual([
        'text',
        'link',
        'assessment',
      ]);
      // Publishing twice is harmless.
      await t.http.post(`/api/v1/courses/${course.id}/publish`).set(officer()).expect(200);

      // LOCK: a published course's lessons and assessment no longer change.
      const locked = await addLesson(course.id, {
        title: 'Bài thêm',
        kind: 'text',
        content: 'x',
      }).expect(409);
      expect(locked.body.code).toBe('COURSE_LOCKED');
      const lockedAssessment = await t.http
        .post('/api/v1/assessments')
        .set(officer())
        .send({
          courseId: course.id,
          title: 'Muộn',
          timeLimitMinutes: 15,
          maxAttempts: 1,
          passScore: 5,
          questions: [question()],
        })
        .expect(409);
      expect(lockedAssessment.body.code).toBe('COURSE_LOCKED');
    });

    it('refuses a duplicate code, an empty publish and a hand-made assessment lesson', async () => {
      const course = await newCourse();
      const dup = await t.http
        .post('/api/v1/courses')
        .set(officer())
        .send({
          code: course.code,
          title: 'Trùng mã',
          deliveryMode: 'online',
          durationHours: 2,
          ownerOrgUnitId: hn,
        })
        .expect(409);
      expect(dup.body.code).toBe('COURSE_CODE_TAKEN');
      const empty = await t.http
        .post(`/api/v1/courses/${course.id}/publish`)
        .set(officer())
        .expect(422);
      expect(empty.body.code).toBe('COURSE_EMPTY');
      const reserved = await addLesson(course.id, { title: 'KT', kind: 'assessment' }).expect(422);
      expect(reserved.body.code).toBe('LESSON_KIND_RESERVED');
      const draft = await t.http
        .post('/api/v1/enrolments')
        .set(officer())
        .send({
          courseId: course.id,
          personIds: [await personOf('hr.hanoi@lms.congdoan.test')],
        })
        .expect(409);
      expect(draft.body.code).toBe('COURSE_NOT_PUBLISHED');
    });

    it('lists the catalogue in scope with keyset pages, national courses included', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await t.http
          .get('/api/v1/courses')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(officer())
          .expect(200);
        seen.push(...(res.body.items as { code: string }[]).map((c) => c.code));
        cursor = res.body.nextCursor as string | null;
      } while (cursor);
      expect(seen).toEqual(expect.arrayContaining(['K01', 'K02', 'K03', 'K04', 'K05']));
      expect([...seen].sort()).toEqual(seen);
      const bnList = await t.http
        .get('/api/v1/courses')
        .query({ limit: 100 })
        .set(bearer(t.tokens.officerBacNinh))
        .expect(200);
      const bnCodes = (bnList.body.items as { code: string }[]).map((c) => c.code);
      // K01 and K03 belong to Hà Nội; K02, K04, K05 are national.
      expect(bnCodes).toEqual(expect.arrayContaining(['K02', 'K04', 'K05']));
      expect(bnCodes).not.toContain('K01');
      expect(bnCodes).not.toContain('K03');
    });
  });

  describe('access', () => {
    it('answers 403 to a learner creating a course', async () => {
      const res = await t.http
        .post('/api/v1/courses')
        .set(bearer(t.tokens.chair))
        .send({
          code: uniqueCode('L'),
          title: 'Không được',
          deliveryMode: 'online',
          durationHours: 1,
          ownerOrgUnitId: hn,
        })
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      await t.http.post('/api/v1/assessments').set(bearer(t.tokens.chair)).send({}).expect(403);
      await t.http.post('/api/v1/enrolments').set(bearer(t.tokens.chair)).send({}).expect(403);
    });

    it('hides Hà Nội courses and people from the Bắc Ninh officer (404)', async () => {
      const bnOfficer = bearer(t.tokens.officerBacNinh);
      const course = await newCourse();
      await addLesson(course.id, { title: 'Bài 1', kind: 'text', content: 'x' }).expect(201);

      const notFound = (res: { body: { code: string } }) =>
        expect(res.body.code).toBe('COURSE_NOT_FOUND');
      notFound(await t.http.get(`/api/v1/courses/${course.id}`).set(bnOfficer).expect(404));
      notFound(
        await addLesson(
          course.id,
          { title: 'x', kind: 'text', content: 'x' },
          t.tokens.officerBacNinh,
        ).expect(404),
      );
      notFound(
        await t.http.post(`/api/v1/courses/${course.id}/publish`).set(bnOfficer).expect(404),
      );
      notFound(
        await t.http
          .post('/api/v1/assessments')
          .set(bnOfficer)
          .send({
            courseId: course.id,
            title: 'x',
            timeLimitMinutes: 5,
            maxAttempts: 1,
            passScore: 5,
            questions: [question()],
          })
          .expect(404),
      );
      await t.http.post(`/api/v1/courses/${course.id}/publish`).set(officer()).expect(200);
      notFound(
        await t.http
          .post('/api/v1/enrolments')
          .set(bnOfficer)
          .send({ courseId: course.id, personIds: [await personOf('hr.hanoi@lms.congdoan.test')] })
          .expect(404),
      );
      // A course owned outside the officer's subtree cannot be created either.
      await t.http
        .post('/api/v1/courses')
        .set(bnOfficer)
        .send({
          code: uniqueCode('X'),
          title: 'x',
          deliveryMode: 'online',
          durationHours: 1,
          ownerOrgUnitId: hn,
        })
        .expect(404);
    });

    it('refuses to enrol people out of scope, listing them all (404)', async () => {
      const bnCourse = await newCourse(bn, t.tokens.officerBacNinh);
      await addLesson(
        bnCourse.id,
        { title: 'Bài 1', kind: 'text', content: 'x' },
        t.tokens.officerBacNinh,
      ).expect(201);
      await t.http
        .post(`/api/v1/courses/${bnCourse.id}/publish`)
        .set(bearer(t.tokens.officerBacNinh))
        .expect(200);
      const chair = await personOf('chutich.mayhadong@lms.congdoan.test');
      const hr = await personOf('hr.hanoi@lms.congdoan.test');
      const own = await personOf('daotao.bacninh@lms.congdoan.test');
      const res = await t.http
        .post('/api/v1/enrolments')
        .set(bearer(t.tokens.officerBacNinh))
        .send({ courseId: bnCourse.id, personIds: [own, chair, hr] })
        .expect(404);
      expect(res.body).toMatchObject({ code: 'PERSON_NOT_FOUND' });
      expect(res.body.details).toEqual([
        { field: 'personIds[1]', message: chair },
        { field: 'personIds[2]', message: hr },
      ]);
      // Nothing was written.
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        'SELECT COUNT(*)::int AS n FROM enrolments WHERE course_id = $1',
        [bnCourse.id],
      );
      expect(n).toBe(0);
      const ok = await t.http
        .post('/api/v1/enrolments')
        .set(bearer(t.tokens.officerBacNinh))
        .send({ courseId: bnCourse.id, personIds: [own] })
        .expect(200);
      expect(ok.body.items).toHaveLength(1);
    });

    it('lets the Hà Nội officer enrol Hà Nội people in a national course', async () => {
      const [k02] = await t.dataSource.query<{ id: string }[]>(
        "SELECT id FROM courses WHERE code = 'K02'",
      );
      const res = await t.http
        .post('/api/v1/enrolments')
        .set(officer())
        .send({ courseId: k02.id, personIds: [await personOf('hr.hanoi@lms.congdoan.test')] })
        .expect(200);
      expect(res.body.items[0]).toMatchObject({ courseId: k02.id, created: true });
    });
  });

  describe('bad bodies answer 400 with details on every write', () => {
    let draftId: string;
    beforeAll(async () => {
      draftId = (await newCourse()).id;
    });

    it('POST /courses', async () => {
      const post = (body: object) => t.http.post('/api/v1/courses').set(officer()).send(body);
      await expect400(post({}), [
        'code',
        'title',
        'deliveryMode',
        'durationHours',
        'ownerOrgUnitId',
      ]);
      await expect400(
        post({
          code: 'k 01',
          title: 12,
          deliveryMode: 'tv',
          durationHours: '8',
          passScore: 11,
          ownerOrgUnitId: 'x',
          extra: true,
        }),
        ['code', 'title', 'deliveryMode', 'durationHours', 'passScore', 'ownerOrgUnitId', 'extra'],
      );
      await expect400(
        post({
          code: uniqueCode('B'),
          title: 't',
          deliveryMode: 'online',
          durationHours: 0,
          passScore: -1,
          ownerOrgUnitId: hn,
        }),
        ['durationHours', 'passScore'],
      );
    });

    it('POST /courses/:id/lessons', async () => {
      await expect400(addLesson(draftId, {}), ['title', 'kind']);
      await expect400(addLesson(draftId, { title: 't', kind: 'text' }), ['content']);
      await expect400(addLesson(draftId, { title: 'v', kind: 'video' }), ['url']);
      await expect400(addLesson(draftId, { title: 'l', kind: 'link', url: 'ftp://x' }), ['url']);
      await expect400(
        addLesson(draftId, { title: 'v', kind: 'quiz', required: 'yes', position: 3 }),
        ['kind', 'required', 'position'],
      );
    });

    it('POST /assessments', async () => {
      const post = (body: object) => t.http.post('/api/v1/assessments').set(officer()).send(body);
      const base = {
        courseId: draftId,
        title: 'Kiểm tra',
        timeLimitMinutes: 10,
        maxAttempts: 1,
        passScore: 5,
        questions: [question()],
      };
      await expect400(post({}), [
        'courseId',
        'title',
        'timeLimitMinutes',
        'maxAttempts',
        'questions',
      ]);
      await expect400(post({ ...base, timeLimitMinutes: 0, maxAttempts: 1.5, passScore: 11 }), [
        'timeLimitMinutes',
        'maxAttempts',
        'passScore',
      ]);
      await expect400(post({ ...base, questions: [] }), ['questions']);
      await expect400(post({ ...base, questions: ['nope'] }), ['questions.0']);
      await expect400(post({ ...base, partialCredit: 'no', secret: 1 }), [
        'partialCredit',
        'secret',
      ]);
      await expect400(
        post({
          ...base,
          questions: [
            question({ correct: ['a', 'b'] }),
            question({ correct: ['z'] }),
            question({
              kind: 'true_false',
              options: [
                { key: 'a', text: 'A' },
                { key: 'b', text: 'B' },
                { key: 'c', text: 'C' },
              ],
              correct: ['a'],
            }),
            question({ kind: 'essay', points: 0, prompt: '' }),
            question({
              options: [{ key: 'a', text: 'A' }, { key: 'a', text: 'B' }, { text: 'C' }],
            }),
          ],
        }),
        [
          'questions.0.correct',
          'questions.1.correct',
          'questions.2.options',
          'questions.3.kind',
          'questions.3.points',
          'questions.3.prompt',
          'questions.4.options',
          'questions.4.options.2.key',
        ],
      );
    });

    it('POST /enrolments', async () => {
      const post = (body: object) => t.http.post('/api/v1/enrolments').set(officer()).send(body);
      await expect400(post({}), ['courseId', 'personIds']);
      await expect400(post({ courseId: draftId, personIds: [] }), ['personIds']);
      await expect400(post({ courseId: draftId, personIds: ['x', 1], more: 1 }), [
        'personIds',
        'more',
      ]);
      const id = await personOf('hr.hanoi@lms.congdoan.test');
      await expect400(post({ courseId: draftId, personIds: [id, id] }), ['personIds']);
    });

    it('PUT /attempts/:id/answers/:questionId', async () => {
      const [k01] = await t.dataSource.query<{ id: string }[]>(
        "SELECT a.id FROM assessments a JOIN courses c ON c.id = a.course_id WHERE c.code = 'K01'",
      );
      const attempt = await t.http
        .post(`/api/v1/assessments/${k01.id}/attempts`)
        .set(bearer(t.tokens.chair))
        .expect(201);
      const url = `/api/v1/attempts/${attempt.body.id}/answers/${attempt.body.questions[0].id}`;
      const put = (body: object) => t.http.put(url).set(bearer(t.tokens.chair)).send(body);
      await expect400(put({}), ['selected']);
      await expect400(put({ selected: 'a' }), ['selected']);
      await expect400(put({ selected: [1], extra: 2 }), ['selected', 'extra']);
      await expect400(put({ selected: ['a', 'a'] }), ['selected']);
      // An unknown question of the attempt, another's attempt and a malformed id are all 404.
      await t.http
        .put(`/api/v1/attempts/${attempt.body.id}/answers/${draftId}`)
        .set(bearer(t.tokens.chair))
        .send({ selected: ['a'] })
        .expect(404);
      await t.http
        .put(url)
        .set(bearer(t.tokens.hrHanoi))
        .send({ selected: ['a'] })
        .expect(404);
      await t.http
        .put(`/api/v1/attempts/not-a-uuid/answers/x`)
        .set(bearer(t.tokens.chair))
        .send({ selected: ['a'] })
        .expect(400);
    });
  });
});
