import { randomBytes } from 'node:crypto';
import { bearer, createTestApp, TestApp } from './support/test-app';

interface Lesson {
  id: string;
  kind: string;
  required: boolean;
  assessmentId: string | null;
}
interface AttemptBody {
  id: string;
  deadline: string;
  questions: { id: string; kind: string; prompt: string; options: { key: string }[] }[];
}

/**
 * The chair's journey of issue 3 with the demo accounts: an officer builds and publishes a
 * course, enrols the chair; the chair learns, passes, holds a certificate anyone can verify, and
 * HR sees it on the transcript. Officers also act as learners at their home unit here.
 */
describe('journey: course → enrolment → assessment → certificate', () => {
  let t: TestApp;
  let courseId: string;
  let assessmentId: string;
  let lessons: Lesson[];
  const code = `J-${randomBytes(3).toString('hex').toUpperCase()}`;
  const title = 'Kỹ năng đối thoại của chủ tịch công đoàn';
  // The right answers, by question position: single b; multiple a+c; true_false true.
  const right = [['b'], ['a', 'c'], ['true']];

  const personIdOf = async (email: string) => {
    const rows = await t.dataSource.query<{ person_id: string }[]>(
      'SELECT person_id FROM user_accounts WHERE email = $1',
      [email],
    );
    return rows[0].person_id;
  };

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  /** Enrols, completes every required non-assessment lesson, starts an attempt. */
  const readyToSit = async (token: string, enrolmentId: string, skipLast = false) => {
    const todo = lessons.filter((l) => l.kind !== 'assessment' && l.required);
    for (const l of skipLast ? todo.slice(0, -1) : todo) {
      await t.http
        .post(`/api/v1/enrolments/${enrolmentId}/lessons/${l.id}/complete`)
        .set(bearer(token))
        .expect(200);
    }
    const res = await t.http
      .post(`/api/v1/assessments/${assessmentId}/attempts`)
      .set(bearer(token))
      .expect(201);
    return res.body as AttemptBody;
  };

  const answerAll = async (token: string, attempt: AttemptBody, answers = right) => {
    for (const [i, q] of attempt.questions.entries()) {
      await t.http
        .put(`/api/v1/attempts/${attempt.id}/answers/${q.id}`)
        .set(bearer(token))
        .send({ selected: answers[i] })
        .expect(200);
    }
  };

  const enrol = async (token: string, personIds: string[]) => {
    const res = await t.http
      .post('/api/v1/enrolments')
      .set(bearer(token))
      .send({ courseId, personIds })
      .expect(200);
    return res.body as { items: { id: string; personId: string; created: boolean }[] };
  };

  it('the Hà Nội officer builds and publishes a course with lessons and a final assessment', async () => {
    const officer = bearer(t.tokens.officerHanoi);
    const course = await t.http
      .post('/api/v1/courses')
      .set(officer)
      .send({
        code,
        title,
        description: 'Khóa học thử cho hành trình của chủ tịch CĐCS.',
        deliveryMode: 'online',
        durationHours: 8,
        ownerOrgUnitId: await t.unitId('HN'),
      })
      .expect(201);
    expect(course.body).toMatchObject({ code, title, status: 'draft', passScore: 5 });
    courseId = course.body.id as string;

    const add = (body: object) =>
      t.http.post(`/api/v1/courses/${courseId}/lessons`).set(officer).send(body).expect(201);
    await add({ title: 'Đối thoại định kỳ là gì', kind: 'text', content: 'Nội dung bài 1' });
    await add({ title: 'Video tình huống', kind: 'video', url: 'https://example.vn/v.mp4' });
    await add({
      title: 'Đọc thêm',
      kind: 'link',
      url: 'https://example.vn/doc',
      required: false,
    });

    const assessment = await t.http
      .post('/api/v1/assessments')
      .set(officer)
      .send({
        courseId,
        title: 'Kiểm tra cuối khóa',
        timeLimitMinutes: 20,
        maxAttempts: 2,
        passScore: 5,
        questions: [
          {
            kind: 'single',
            prompt: 'Đối thoại định kỳ tổ chức ít nhất mấy lần một năm?',
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
              { key: 'a', text: 'Đại diện người sử dụng lao động' },
              { key: 'b', text: 'Cơ quan thuế' },
              { key: 'c', text: 'Đại diện tập thể người lao động' },
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
      })
      .expect(201);
    assessmentId = assessment.body.id as string;
    expect(assessment.body.questions).toHaveLength(3);

    const published = await t.http
      .post(`/api/v1/courses/${courseId}/publish`)
      .set(officer)
      .expect(200);
    expect(published.body).toMatchObject({ status: 'published', locked: true });
    lessons = published.body.lessons as Lesson[];
    expect(lessons.map((l) => l.kind)).toEqual(['text', 'video', 'link', 'assessment']);
    expect(lessons[3].assessmentId).toBe(assessmentId);
  });

  it('enrols the demo chair; enrolling again returns the same enrolment', async () => {
    const chair = await personIdOf('chutich.mayhadong@lms.congdoan.test');
    const first = await enrol(t.tokens.officerHanoi, [chair]);
    const again = await enrol(t.tokens.officerHanoi, [chair]);
    expect(first.items[0]).toMatchObject({ personId: chair, created: true });
    expect(again.items[0]).toMatchObject({ id: first.items[0].id, created: false });
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      'SELECT COUNT(*)::int AS n FROM enrolments WHERE course_id = $1',
      [courseId],
    );
    expect(n).toBe(1);
  });

  it('walks the chair through lessons, an attempt, autosave and a passing submit', async () => {
    const chair = bearer(t.tokens.chair);
    const mine = await t.http.get('/api/v1/me/enrolments').set(chair).expect(200);
    const items = mine.body.items as {
      id: string;
      course: { id: string; code: string; title: string };
      status: string;
      progress: { completedLessons: number; totalLessons: number };
      assessmentId: string | null;
    }[];
    // The seed already put the chair part-way through K01.
    expect(items.map((i) => i.course.code)).toEqual(expect.arrayContaining([code, 'K01']));
    const item = items.find((i) => i.course.id === courseId)!;
    expect(item).toMatchObject({
      course: { id: courseId, code, title },
      status: 'enrolled',
      progress: { completedLessons: 0, totalLessons: 4 },
      assessmentId,
    });
    const k01 = items.find((i) => i.course.code === 'K01')!;
    expect(k01.status).toBe('in_progress');
    expect(k01.progress.completedLessons).toBeGreaterThan(0);

    // The chair reads the course through the enrolment.
    await t.http.get(`/api/v1/courses/${courseId}`).set(chair).expect(200);

    // Marking is idempotent; the assessment lesson cannot be marked by hand.
    const first = lessons[0].id;
    await t.http
      .post(`/api/v1/enrolments/${item.id}/lessons/${first}/complete`)
      .set(chair)
      .expect(200);
    const twice = await t.http
      .post(`/api/v1/enrolments/${item.id}/lessons/${first}/complete`)
      .set(chair)
      .expect(200);
    expect(twice.body).toMatchObject({ status: 'in_progress', progress: { completedLessons: 1 } });
    const manual = await t.http
      .post(`/api/v1/enrolments/${item.id}/lessons/${lessons[3].id}/complete`)
      .set(chair)
      .expect(422);
    expect(manual.body.code).toBe('LESSON_NOT_MANUAL');
    // Somebody else's enrolment is not found.
    await t.http
      .post(`/api/v1/enrolments/${item.id}/lessons/${first}/complete`)
      .set(bearer(t.tokens.hrHanoi))
      .expect(404);

    const attempt = await readyToSit(t.tokens.chair, item.id);
    expect(attempt.questions).toHaveLength(3);
    expect(new Date(attempt.deadline).getTime()).toBeGreaterThan(Date.now() + 19 * 60_000);
    expect(JSON.stringify(attempt)).not.toMatch(/correct/);
    for (const q of attempt.questions) expect(Object.keys(q)).not.toContain('correct');

    // Starting again while the attempt is open resumes the same attempt.
    const resumed = await t.http
      .post(`/api/v1/assessments/${assessmentId}/attempts`)
      .set(chair)
      .expect(201);
    expect(resumed.body.id).toBe(attempt.id);

    // Autosave: the same PUT twice gives the same answer, saved once.
    const q0 = attempt.questions[0].id;
    const put1 = await t.http
      .put(`/api/v1/attempts/${attempt.id}/answers/${q0}`)
      .set(chair)
      .send({ selected: ['a'] })
      .expect(200);
    const put2 = await t.http
      .put(`/api/v1/attempts/${attempt.id}/answers/${q0}`)
      .set(chair)
      .send({ selected: ['a'] })
      .expect(200);
    expect(put2.body).toEqual(put1.body);
    const bad = await t.http
      .put(`/api/v1/attempts/${attempt.id}/answers/${q0}`)
      .set(chair)
      .send({ selected: ['z'] })
      .expect(422);
    expect(bad.body.code).toBe('ANSWER_INVALID');
    await answerAll(t.tokens.chair, attempt);

    // Another person's attempt is not found, whatever they try.
    const other = bearer(t.tokens.hrHanoi);
    await t.http.get(`/api/v1/attempts/${attempt.id}`).set(other).expect(404);
    await t.http
      .put(`/api/v1/attempts/${attempt.id}/answers/${q0}`)
      .set(other)
      .send({ selected: ['b'] })
      .expect(404);
    await t.http.post(`/api/v1/attempts/${attempt.id}/submit`).set(other).expect(404);

    // Two simultaneous submits grade once and issue exactly one certificate.
    const [s1, s2] = await Promise.all([
      t.http.post(`/api/v1/attempts/${attempt.id}/submit`).set(chair),
      t.http.post(`/api/v1/attempts/${attempt.id}/submit`).set(chair),
    ]);
    expect(s1.status).toBe(200);
    expect(s2.status).toBe(200);
    expect(s1.body).toMatchObject({
      score: 10,
      passed: true,
      grade: 'Xuất sắc',
      enrolmentStatus: 'completed',
      certificateId: expect.any(String) as string,
    });
    expect(s2.body).toEqual(s1.body);
    const again = await t.http.post(`/api/v1/attempts/${attempt.id}/submit`).set(chair).expect(200);
    expect(again.body).toEqual(s1.body);
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      'SELECT COUNT(*)::int AS n FROM certificates WHERE enrolment_id = $1',
      [item.id],
    );
    expect(n).toBe(1);
    const [{ r }] = await t.dataSource.query<{ r: number }[]>(
      'SELECT COUNT(*)::int AS r FROM training_records WHERE enrolment_id = $1',
      [item.id],
    );
    expect(r).toBe(1);

    // After submit the attempt is closed, and a passed assessment takes no new attempt.
    const closed = await t.http
      .put(`/api/v1/attempts/${attempt.id}/answers/${q0}`)
      .set(chair)
      .send({ selected: ['b'] })
      .expect(409);
    expect(closed.body.code).toBe('ATTEMPT_CLOSED');
    const passedAlready = await t.http
      .post(`/api/v1/assessments/${assessmentId}/attempts`)
      .set(chair)
      .expect(409);
    expect(passedAlready.body.code).toBe('ASSESSMENT_ALREADY_PASSED');

    const done = await t.http.get('/api/v1/me/enrolments').set(chair).expect(200);
    expect((done.body.items as { id: string }[]).find((i) => i.id === item.id)).toMatchObject({
      status: 'completed',
      score: 10,
      grade: 'Xuất sắc',
      progress: { percent: 75 },
    });
  });

  it('shows the certificate to its holder, to the public by code, and on the transcript', async () => {
    const certs = await t.http
      .get('/api/v1/me/certificates')
      .set(bearer(t.tokens.chair))
      .expect(200);
    const cert = (
      certs.body.items as { id: string; serial: string; code: string; courseTitle: string }[]
    ).find((c) => c.courseTitle === title)!;
    expect(cert).toMatchObject({ status: 'valid' });
    expect(cert.serial).toMatch(/^GCN-\d{4}-\d{6}$/);

    const verify = await t.http.get(`/api/v1/verify/${cert.code}`).expect(200);
    expect(verify.body).toMatchObject({
      status: 'valid',
      holderName: 'Nguyễn Thị Hương',
      courseTitle: title,
      grade: 'Xuất sắc',
      issuer: 'Liên đoàn Lao động Thành phố Hà Nội',
    });
    await t.http.get('/api/v1/verify/KHONG-CO-MA-NAY').expect(404);

    const chairId = await personIdOf('chutich.mayhadong@lms.congdoan.test');
    for (const token of [t.tokens.chair, t.tokens.hrHanoi]) {
      const transcript = await t.http
        .get(`/api/v1/people/${chairId}/transcript`)
        .set(bearer(token))
        .expect(200);
      expect(transcript.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            courseCode: code,
            courseTitle: title,
            hours: 8,
            grade: 'Xuất sắc',
            certificateSerial: cert.serial,
          }),
        ]),
      );
    }
  });

  it('refuses an attempt beyond the maximum with ASSESSMENT_ATTEMPTS_EXHAUSTED', async () => {
    const hr = t.tokens.hrHanoi;
    const [e] = (
      await enrol(t.tokens.officerHanoi, [await personIdOf('hr.hanoi@lms.congdoan.test')])
    ).items;
    for (let i = 0; i < 2; i++) {
      const attempt =
        i === 0
          ? await readyToSit(hr, e.id)
          : ((
              await t.http
                .post(`/api/v1/assessments/${assessmentId}/attempts`)
                .set(bearer(hr))
                .expect(201)
            ).body as AttemptBody);
      await answerAll(hr, attempt, [['a'], ['b'], ['false']]);
      const res = await t.http.post(`/api/v1/attempts/${attempt.id}/submit`).set(bearer(hr));
      expect(res.body).toMatchObject({ score: 0, passed: false, grade: 'Không đạt' });
    }
    const refused = await t.http
      .post(`/api/v1/assessments/${assessmentId}/attempts`)
      .set(bearer(hr))
      .expect(409);
    expect(refused.body).toMatchObject({ code: 'ASSESSMENT_ATTEMPTS_EXHAUSTED' });
  });

  it('after the deadline grades only the answers saved before it', async () => {
    const me = t.tokens.officerHanoi;
    const [e] = (
      await enrol(t.tokens.officerHanoi, [await personIdOf('daotao.hanoi@lms.congdoan.test')])
    ).items;
    const attempt = await readyToSit(me, e.id);
    const [q0, q1, q2] = attempt.questions;
    const save = (q: { id: string }, selected: string[]) =>
      t.http
        .put(`/api/v1/attempts/${attempt.id}/answers/${q.id}`)
        .set(bearer(me))
        .send({ selected });
    const first = await save(q0, ['b']).expect(200);
    await new Promise((r) => setTimeout(r, 30));
    await save(q1, ['a', 'c']).expect(200);
    await save(q2, ['true']).expect(200);
    // The clock runs out just after the first answer was saved.
    await t.dataSource.query(
      `UPDATE assessment_attempts SET deadline = $2::timestamptz + interval '5 milliseconds'
        WHERE id = $1`,
      [attempt.id, first.body.savedAt],
    );
    const late = await save(q2, ['false']).expect(409);
    expect(late.body.code).toBe('ATTEMPT_CLOSED');
    const res = await t.http
      .post(`/api/v1/attempts/${attempt.id}/submit`)
      .set(bearer(me))
      .expect(200);
    // Only q0 (2 of 5 points) counts: 4/10.
    expect(res.body).toMatchObject({ score: 4, passed: false, grade: 'Không đạt' });
  });

  it('completes when the last lesson is marked after the assessment was passed', async () => {
    const admin = t.tokens.admin;
    const [e] = (await enrol(admin, [await personIdOf('admin@lms.congdoan.test')])).items;
    const attempt = await readyToSit(admin, e.id, true);
    await answerAll(admin, attempt);
    const res = await t.http
      .post(`/api/v1/attempts/${attempt.id}/submit`)
      .set(bearer(admin))
      .expect(200);
    expect(res.body).toMatchObject({
      passed: true,
      enrolmentStatus: 'in_progress',
      certificateId: null,
    });
    const last = lessons.filter((l) => l.kind !== 'assessment' && l.required).at(-1)!;
    const done = await t.http
      .post(`/api/v1/enrolments/${e.id}/lessons/${last.id}/complete`)
      .set(bearer(admin))
      .expect(200);
    expect(done.body).toMatchObject({
      status: 'completed',
      score: 10,
      grade: 'Xuất sắc',
      certificateId: expect.any(String) as string,
    });
  });
});
