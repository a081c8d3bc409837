import { randomBytes } from 'node:crypto';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';

interface Attempt {
  id: string;
  questions: { id: string }[];
}
interface Rating {
  competency: string;
  version_no: number;
  level: number;
  source: string;
  source_type: string;
  source_id: string;
  rated_on: string;
  valid_until: string;
}

/**
 * Evidence from learning (issue 4, item 6): a course that declares competencies appends course
 * evidence when an enrolment completes; an assessment with tagged questions and score bands
 * appends assessment evidence when an attempt is graded — both inside the grading transaction.
 */
describe('evidence from learning', () => {
  let t: TestApp;
  let hn: string;
  let seededVersion: string;
  let secondVersion: string;
  let competency: Record<string, { id: string; lineageId: string }>;
  let courseId: string;
  let assessmentId: string;
  let lessonId: string;
  const people: Record<string, string> = {};
  // Points: q1, q2 test C2 (1 point each); q3 tests C3 (2 points); q4 is untagged (6 points).
  const bands = [
    { minScore: 9, level: 4 },
    { minScore: 7, level: 3 },
    { minScore: 5, level: 2 },
  ];

  const officer = () => bearer(t.tokens.officerHanoi);
  const personOf = async (email: string) =>
    (
      await t.dataSource.query<{ person_id: string }[]>(
        'SELECT person_id FROM user_accounts WHERE email = $1',
        [email],
      )
    )[0].person_id;
  const ratingsOf = (personId: string, sourceId?: string) =>
    t.dataSource.query<Rating[]>(
      `SELECT c.code AS competency, v.version_no, r.level, r.source, r.source_type, r.source_id,
              r.rated_on::text AS rated_on, r.valid_until::text AS valid_until
         FROM competency_ratings r
         JOIN competencies c ON c.id = r.competency_id
         JOIN framework_versions v ON v.id = r.version_id
        WHERE r.person_id = $1 AND r.source IN ('course', 'assessment')
          AND ($2::uuid IS NULL OR r.source_id = $2)
        ORDER BY r.source, c.code, v.version_no`,
      [personId, sourceId ?? null],
    );
  const assessmentBody = (over: object = {}) => ({
    courseId,
    title: 'Kiểm tra cuối khóa',
    timeLimitMinutes: 20,
    maxAttempts: 3,
    passScore: 5,
    competencyVersionId: seededVersion,
    competencyBands: bands,
    questions: [
      { ...question('Luật Công đoàn quy định gì?', 1), competencyCode: 'C2' },
      { ...question('Bộ luật Lao động điều chỉnh gì?', 1), competencyCode: 'C2' },
      { ...question('Thương lượng tập thể là gì?', 2), competencyId: competency.C3.id },
      question('Đại hội công đoàn cơ sở họp mấy năm một lần?', 6),
    ],
    ...over,
  });
  const question = (prompt: string, points: number) => ({
    kind: 'single',
    prompt,
    options: [
      { key: 'a', text: 'Đúng' },
      { key: 'b', text: 'Sai' },
    ],
    correct: ['a'],
    points,
  });

  /** Enrols the account's person, completes the lesson, starts and answers an attempt. */
  const sit = async (token: string, personId: string, answers: string[]) => {
    const enrolled = await t.http
      .post('/api/v1/enrolments')
      .set(officer())
      .send({ courseId, personIds: [personId] })
      .expect(200);
    const enrolmentId = enrolled.body.items[0].id as string;
    await t.http
      .post(`/api/v1/enrolments/${enrolmentId}/lessons/${lessonId}/complete`)
      .set(bearer(token))
      .expect(200);
    const attempt = (
      await t.http
        .post(`/api/v1/assessments/${assessmentId}/attempts`)
        .set(bearer(token))
        .expect(201)
    ).body as Attempt;
    for (const [i, q] of attempt.questions.entries()) {
      await t.http
        .put(`/api/v1/attempts/${attempt.id}/answers/${q.id}`)
        .set(bearer(token))
        .send({ selected: [answers[i]] })
        .expect(200);
    }
    return { enrolmentId, attemptId: attempt.id };
  };

  beforeAll(async () => {
    t = await createTestApp();
    hn = await t.unitId('HN');
    const [v] = await t.dataSource.query<{ id: string }[]>(
      `SELECT v.id FROM framework_versions v JOIN competency_frameworks f ON f.id = v.framework_id
        WHERE f.code = 'KNL-CTCĐCS' AND v.version_no = 1`,
    );
    seededVersion = v.id;
    const rows = await t.dataSource.query<{ code: string; id: string; lineage_id: string }[]>(
      `SELECT code, id, lineage_id FROM competencies WHERE version_id = $1`,
      [seededVersion],
    );
    competency = Object.fromEntries(
      rows.map((r) => [r.code, { id: r.id, lineageId: r.lineage_id }]),
    );
    people.chair = await personOf('chutich.mayhadong@lms.congdoan.test');
    people.officer = await personOf('daotao.hanoi@lms.congdoan.test');
    people.hr = await personOf('hr.hanoi@lms.congdoan.test');
    // A second published version of the same framework: evidence goes against both.
    const copy = await t.http
      .post(`/api/v1/framework-versions/${seededVersion}/new-version`)
      .set(bearer(t.tokens.admin))
      .expect(201);
    secondVersion = copy.body.id as string;
    await t.http
      .post(`/api/v1/framework-versions/${secondVersion}/publish`)
      .set(bearer(t.tokens.admin))
      .expect(200);
  });

  afterAll(async () => {
    await t.close();
  });

  it('an officer builds a course that declares C2 (level 3) and C3 (level 2), with a tagged assessment', async () => {
    const course = await t.http
      .post('/api/v1/courses')
      .set(officer())
      .send({
        code: `LE-${randomBytes(3).toString('hex').toUpperCase()}`,
        title: 'Pháp luật và thương lượng tập thể',
        deliveryMode: 'online',
        durationHours: 8,
        ownerOrgUnitId: hn,
      })
      .expect(201);
    courseId = course.body.id as string;
    const lesson = await t.http
      .post(`/api/v1/courses/${courseId}/lessons`)
      .set(officer())
      .send({ title: 'Bài đọc', kind: 'text', content: 'Nội dung' })
      .expect(201);
    lessonId = lesson.body.id as string;
    await t.http
      .put(`/api/v1/courses/${courseId}/competencies`)
      .set(officer())
      .send({
        items: [
          { competencyId: competency.C2.id, level: 3 },
          { competencyId: competency.C3.id, level: 2 },
        ],
      })
      .expect(200);
    const res = await t.http
      .post('/api/v1/assessments')
      .set(officer())
      .send(assessmentBody())
      .expect(201);
    assessmentId = res.body.id as string;
    expect(res.body.competencyBands).toEqual(bands);
    expect(
      res.body.questions.map((q: { competencyLineageId: string | null }) => q.competencyLineageId),
    ).toEqual([competency.C2.lineageId, competency.C2.lineageId, competency.C3.lineageId, null]);
    await t.http.post(`/api/v1/courses/${courseId}/publish`).set(officer()).expect(200);
  });

  it('a passing attempt appends assessment evidence per tagged competency, and completion appends course evidence', async () => {
    // C2: 2/2 → 10 → level 4; C3: 0/2 → 0 → below every band: nothing. Overall 8/10: passed.
    const { enrolmentId, attemptId } = await sit(t.tokens.chair, people.chair, [
      'a',
      'a',
      'b',
      'a',
    ]);
    const res = await t.http
      .post(`/api/v1/attempts/${attemptId}/submit`)
      .set(bearer(t.tokens.chair))
      .expect(200);
    expect(res.body).toMatchObject({ score: 8, passed: true, enrolmentStatus: 'completed' });
    const ratings = await ratingsOf(people.chair);
    const today = ratings[0].rated_on;
    expect(
      ratings.map((r) => [
        r.source,
        r.competency,
        r.version_no,
        r.level,
        r.source_type,
        r.source_id,
      ]),
    ).toEqual([
      ['assessment', 'C2', 1, 4, 'attempt', attemptId],
      ['assessment', 'C2', 2, 4, 'attempt', attemptId],
      ['course', 'C2', 1, 3, 'enrolment', enrolmentId],
      ['course', 'C2', 2, 3, 'enrolment', enrolmentId],
      ['course', 'C3', 1, 2, 'enrolment', enrolmentId],
      ['course', 'C3', 2, 2, 'enrolment', enrolmentId],
    ]);
    expect(ratings.every((r) => r.rated_on === today)).toBe(true);
    const [y, m, d] = today.split('-');
    expect(ratings.every((r) => r.valid_until === `${Number(y) + 3}-${m}-${d}`)).toBe(true);
    // The API shows it with its source reference.
    const history = await t.http
      .get(`/api/v1/people/${people.chair}/ratings`)
      .query({ versionId: seededVersion })
      .set(bearer(t.tokens.chair))
      .expect(200);
    expect(history.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          competencyCode: 'C3',
          source: 'course',
          level: 2,
          sourceRef: { type: 'enrolment', id: enrolmentId },
        }),
      ]),
    );
    // Submitting again changes nothing.
    await t.http
      .post(`/api/v1/attempts/${attemptId}/submit`)
      .set(bearer(t.tokens.chair))
      .expect(200);
    expect(await ratingsOf(people.chair)).toEqual(ratings);
  });

  it('concurrent submits of one attempt append the evidence once', async () => {
    // C2: 1/2 → 5 → level 2; C3: 2/2 → 10 → level 4. Overall 9/10.
    const { enrolmentId, attemptId } = await sit(t.tokens.officerHanoi, people.officer, [
      'a',
      'b',
      'a',
      'a',
    ]);
    const results = await Promise.all(
      [0, 1, 2].map(() => t.http.post(`/api/v1/attempts/${attemptId}/submit`).set(officer())),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const ratings = await ratingsOf(people.officer);
    expect(
      ratings.map((r) => [r.source, r.competency, r.version_no, r.level, r.source_id]),
    ).toEqual([
      ['assessment', 'C2', 1, 2, attemptId],
      ['assessment', 'C2', 2, 2, attemptId],
      ['assessment', 'C3', 1, 4, attemptId],
      ['assessment', 'C3', 2, 4, attemptId],
      ['course', 'C2', 1, 3, enrolmentId],
      ['course', 'C2', 2, 3, enrolmentId],
      ['course', 'C3', 1, 2, enrolmentId],
      ['course', 'C3', 2, 2, enrolmentId],
    ]);
  });

  it('a failed attempt still appends assessment evidence where a band is reached, and no course evidence', async () => {
    // C2: 0/2 → none; C3: 2/2 → level 4. Overall 2/10: failed, the course is not complete.
    const { attemptId } = await sit(t.tokens.hrHanoi, people.hr, ['b', 'b', 'a', 'b']);
    const res = await t.http
      .post(`/api/v1/attempts/${attemptId}/submit`)
      .set(bearer(t.tokens.hrHanoi))
      .expect(200);
    expect(res.body).toMatchObject({ score: 2, passed: false });
    const ratings = await ratingsOf(people.hr);
    expect(ratings.map((r) => [r.source, r.competency, r.version_no, r.level])).toEqual([
      ['assessment', 'C3', 1, 4],
      ['assessment', 'C3', 2, 4],
    ]);
  });

  it('a retired version takes no new evidence', async () => {
    await t.http
      .post(`/api/v1/framework-versions/${secondVersion}/retire`)
      .set(bearer(t.tokens.admin))
      .expect(200);
    const { attemptId } = await sit(t.tokens.hrHanoi, people.hr, ['a', 'a', 'a', 'a']);
    await t.http
      .post(`/api/v1/attempts/${attemptId}/submit`)
      .set(bearer(t.tokens.hrHanoi))
      .expect(200);
    const ratings = await ratingsOf(people.hr, attemptId);
    expect(ratings.map((r) => [r.competency, r.version_no, r.level])).toEqual([
      ['C2', 1, 4],
      ['C3', 1, 4],
    ]);
  });

  describe('refusals', () => {
    const newCourse = async () => {
      const res = await t.http
        .post('/api/v1/courses')
        .set(officer())
        .send({
          code: `LE-${randomBytes(3).toString('hex').toUpperCase()}`,
          title: 'Khóa thử',
          deliveryMode: 'online',
          durationHours: 4,
          ownerOrgUnitId: hn,
        })
        .expect(201);
      return res.body.id as string;
    };

    it('bad tags and bands answer 400 with details', async () => {
      const draft = await newCourse();
      const post = (over: object) =>
        t.http
          .post('/api/v1/assessments')
          .set(officer())
          .send(assessmentBody({ courseId: draft, ...over }));
      expectError(
        await post({
          competencyBands: [
            { minScore: 7, level: 3 },
            { minScore: 9, level: 2 },
            { minScore: 5, level: 0 },
          ],
        }),
        400,
        'VALIDATION_FAILED',
        ['competencyBands.2.level'],
      );
      expectError(
        await post({
          competencyBands: [
            { minScore: 7, level: 3 },
            { minScore: 9, level: 3 },
          ],
        }),
        400,
        'VALIDATION_FAILED',
        ['competencyBands.1.minScore', 'competencyBands.1.level'],
      );
      expectError(await post({ competencyBands: undefined }), 400, 'VALIDATION_FAILED', [
        'competencyBands',
      ]);
      expectError(await post({ competencyVersionId: undefined }), 400, 'VALIDATION_FAILED', [
        'questions.0.competencyCode',
      ]);
      expectError(
        await post({
          questions: [
            { ...question('Câu hỏi', 1), competencyId: competency.C1.id, competencyCode: 'C1' },
          ],
        }),
        400,
        'VALIDATION_FAILED',
        ['questions.0'],
      );
      expectError(await post({ questions: [question('Câu hỏi', 1)] }), 400, 'VALIDATION_FAILED', [
        'competencyBands',
      ]);
      expectError(
        await post({ questions: [{ ...question('Câu hỏi', 1), competencyId: 'x' }] }),
        400,
        'VALIDATION_FAILED',
        ['questions.0.competencyId'],
      );
    });

    it('a tag naming no competency the officer reads answers 422 per question; nothing is written', async () => {
      const draft = await newCourse();
      const res = await t.http
        .post('/api/v1/assessments')
        .set(officer())
        .send(
          assessmentBody({
            courseId: draft,
            questions: [
              { ...question('Một', 1), competencyCode: 'C9' },
              { ...question('Hai', 1), competencyId: '00000000-0000-4000-8000-000000000000' },
              { ...question('Ba', 1), competencyCode: 'C1' },
            ],
          }),
        );
      expectError(res, 422, 'ASSESSMENT_COMPETENCY_UNKNOWN', [
        'questions.0.competencyCode',
        'questions.1.competencyId',
      ]);
      expect(res.body.details).toHaveLength(2);
      const rows = await t.dataSource.query('SELECT 1 FROM assessments WHERE course_id = $1', [
        draft,
      ]);
      expect(rows).toHaveLength(0);
    });

    it('a learner cannot create a tagged assessment (403), an officer elsewhere sees no course (404)', async () => {
      const draft = await newCourse();
      expectError(
        await t.http
          .post('/api/v1/assessments')
          .set(bearer(t.tokens.chair))
          .send(assessmentBody({ courseId: draft })),
        403,
        'FORBIDDEN',
      );
      const res = await t.http
        .post('/api/v1/assessments')
        .set(bearer(t.tokens.officerBacNinh))
        .send(assessmentBody({ courseId: draft }));
      expect(res.status).toBe(404);
    });
  });
});
