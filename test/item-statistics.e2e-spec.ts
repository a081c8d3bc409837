import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { expectError } from './expect-error';
import { binary } from './support/binary-body';
import { DEMO_PASSWORD } from '../src/seed/demo-data';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';

interface Item {
  position: number;
  attempts: number;
  unanswered: number;
  facility: number | null;
  correctShare: number | null;
  discrimination: number | null;
  flags: string[];
  options: { key: string; correct: boolean | null; count: number; share: number }[];
}
interface Report {
  submittedAttempts: number;
  items: Item[];
}

/**
 * Item statistics of an assessment (issue 16, item 4) checked against numbers computed by hand.
 *
 * Three questions: Q1 single (2 points, right b), Q2 multiple all-or-nothing (2 points, right
 * a+c), Q3 true/false (1 point, right true). Five learners of Hà Nội, their choices and points:
 *   P1: b, a+c, true  → 2, 2, 1 = 5
 *   P2: b, a,   true  → 2, 0, 1 = 3
 *   P3: a, a+c, false → 0, 2, 0 = 2
 *   P4: b, a+c, false → 2, 2, 0 = 4
 *   P5: a, b,   true  → 0, 0, 1 = 1
 * Q1: x = 1,1,0,1,0 (facility 0.6); rest y = 3,1,2,2,1 (mean 1.8): Σdxdy = 0.6, Σdx² = 1.2,
 *     Σdy² = 2.8 → r = 0.6/√3.36 = 0.3273. Options: a 2 (0.4), b 3 (0.6).
 * Q2: x = 1,0,1,1,0; y = 3,3,0,2,1: Σdxdy = −0.4, Σdy² = 6.8 → r = −0.4/√8.16 = −0.1400.
 *     Options: a 4 (0.8), b 1 (0.2), c 3 (0.6).
 * Q3: x = 1,1,0,0,1; y = 4,2,2,4,0: Σdxdy = −1.2, Σdy² = 11.2 → r = −1.2/√13.44 = −0.3273.
 * A sixth learner, of Bắc Ninh, is outside a Hà Nội reader's subtree and counts only for the
 * administrator.
 */
describe('item statistics of an assessment', () => {
  let t: TestApp;
  let assessmentId: string;
  const officer = () => bearer(t.tokens.officerHanoi);

  beforeAll(async () => {
    t = await createTestApp();
    const code = `IS-${randomBytes(3).toString('hex').toUpperCase()}`;
    const course = await t.http
      .post('/api/v1/courses')
      .set(officer())
      .send({
        code,
        title: `Thống kê câu hỏi ${code}`,
        deliveryMode: 'online',
        durationHours: 2,
        ownerOrgUnitId: await t.unitId('HN'),
      })
      .expect(201);
    const courseId = course.body.id as string;
    await t.http
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
        maxAttempts: 1,
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
      })
      .expect(201);
    assessmentId = created.body.id as string;
    await t.http.post(`/api/v1/courses/${courseId}/publish`).set(officer()).expect(200);
    const questions = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM assessment_questions WHERE assessment_id = $1 ORDER BY position`,
      [assessmentId],
    );
    const people = await t.dataSource.query<{ id: string; province: string }[]>(
      `(SELECT p.id, 'HN' AS province FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
         WHERE o.path LIKE (SELECT path FROM org_units WHERE code = 'HN') || '%'
         ORDER BY p.id LIMIT 5)
       UNION ALL
       (SELECT p.id, 'BN' FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
         WHERE o.path LIKE (SELECT path FROM org_units WHERE code = 'BN') || '%'
         ORDER BY p.id LIMIT 1)`,
    );
    const sittings: [string[][], number][] = [
      [[['b'], ['a', 'c'], ['true']], 5],
      [[['b'], ['a'], ['true']], 3],
      [[['a'], ['a', 'c'], ['false']], 2],
      [[['b'], ['a', 'c'], ['false']], 4],
      [[['a'], ['b'], ['true']], 1],
      // Bắc Ninh's learner: all wrong.
      [[['a'], ['b'], ['false']], 0],
    ];
    // The attempts as submission leaves them (the grading itself is another suite's subject).
    for (const [i, [answers, points]] of sittings.entries()) {
      const [{ id: enrolmentId }] = await t.dataSource.query<{ id: string }[]>(
        `INSERT INTO enrolments (course_id, person_id, status) VALUES ($1, $2, 'in_progress')
         RETURNING id`,
        [courseId, people[i].id],
      );
      const [{ id: attemptId }] = await t.dataSource.query<{ id: string }[]>(
        `INSERT INTO assessment_attempts (assessment_id, enrolment_id, person_id, number,
                                          started_at, deadline, submitted_at, points_earned,
                                          points_total, score, passed)
         VALUES ($1, $2, $3, 1, now() - interval '10 minutes', now() + interval '10 minutes',
                 now(), $4::int, 5, $4::int * 2, $4::int >= 3)
         RETURNING id`,
        [assessmentId, enrolmentId, people[i].id, points],
      );
      for (const [q, selected] of answers.entries()) {
        await t.dataSource.query(
          `INSERT INTO attempt_answers (attempt_id, question_id, selected, saved_at)
           VALUES ($1, $2, $3::jsonb, now() - interval '5 minutes')`,
          [attemptId, questions[q].id, JSON.stringify(selected)],
        );
      }
    }
  });

  afterAll(async () => {
    await t.close();
  });

  it('gives facility, discrimination and option use as computed by hand', async () => {
    const res = await t.http
      .get(`/api/v1/assessments/${assessmentId}/item-statistics`)
      .set(officer())
      .expect(200);
    const report = res.body as Report;
    expect(report.submittedAttempts).toBe(5);
    const [q1, q2, q3] = report.items;
    expect(q1).toMatchObject({ attempts: 5, unanswered: 0, facility: 0.6, correctShare: 0.6 });
    expect(q1.discrimination).toBeCloseTo(0.3273, 4);
    expect(q1.options).toEqual([
      { key: 'a', text: 'Hai lần', correct: false, count: 2, share: 0.4 },
      { key: 'b', text: 'Một lần', correct: true, count: 3, share: 0.6 },
    ]);
    expect(q2.facility).toBe(0.6);
    expect(q2.discrimination).toBeCloseTo(-0.14, 4);
    expect(q2.options.map((o) => [o.key, o.count, o.share])).toEqual([
      ['a', 4, 0.8],
      ['b', 1, 0.2],
      ['c', 3, 0.6],
    ]);
    expect(q3.discrimination).toBeCloseTo(-0.3273, 4);
    // Five attempts are too few to flag anything.
    expect(report.items.flatMap((i) => i.flags)).toEqual([]);
  });

  it('counts the learners of the reader’s subtree only', async () => {
    const res = await t.http
      .get(`/api/v1/assessments/${assessmentId}/item-statistics`)
      .set(bearer(t.tokens.admin))
      .expect(200);
    expect((res.body as Report).submittedAttempts).toBe(6);
    expect((res.body as Report).items[0].facility).toBe(0.5);
    // HR reads the course but may not change it: the right options are not marked.
    const hr = await t.http
      .get(`/api/v1/assessments/${assessmentId}/item-statistics`)
      .set(bearer(t.tokens.hrHanoi))
      .expect(200);
    expect((hr.body as Report).items[0].options.map((o) => o.correct)).toEqual([null, null]);
  });

  it('exports the same figures as CSV with BOM and as Excel', async () => {
    const csv = await t.http
      .get(`/api/v1/assessments/${assessmentId}/item-statistics.csv`)
      .set(officer())
      .buffer(true)
      .parse(binary)
      .expect(200);
    const body = csv.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toMatch(/^Câu,Loại,Nội dung câu hỏi,Điểm,Lượt làm/);
    expect(lines[1]).toContain('Đối thoại định kỳ ít nhất mấy lần một năm?');
    expect(lines[1]).toContain('b: 3 (60%)');
    const xlsx = await t.http
      .get(`/api/v1/assessments/${assessmentId}/item-statistics.xlsx`)
      .set(officer())
      .buffer(true)
      .parse(binary)
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    const sheet = book.getWorksheet('Thống kê câu hỏi')!;
    expect(sheet.getRow(2).getCell(3).value).toBe('Đối thoại định kỳ ít nhất mấy lần một năm?');
    expect(sheet.getRow(2).getCell(7).value).toBe(0.6);
    expect(sheet.getRow(2).getCell(11).value).toBe('b');
  });

  it('keeps another subtree out (404) and a chair out (403)', async () => {
    expectError(
      await t.http
        .get(`/api/v1/assessments/${assessmentId}/item-statistics`)
        .set(bearer(t.tokens.officerBacNinh)),
      404,
      'ASSESSMENT_NOT_FOUND',
    );
    expectError(
      await t.http
        .get(`/api/v1/assessments/${assessmentId}/item-statistics.csv`)
        .set(bearer(t.tokens.chair)),
      403,
      'FORBIDDEN',
    );
    expectError(
      await t.http
        .get('/api/v1/assessments/00000000-0000-4000-8000-000000000000/item-statistics')
        .set(officer()),
      404,
      'ASSESSMENT_NOT_FOUND',
    );
  });

  it('shows the same figures on the officer’s page, with the downloads', async () => {
    const page = await t.http.get('/sign-in');
    const csrf = /lms_csrf=([^;]+)/.exec(String(page.headers['set-cookie']))![1];
    const signedIn = await t.http
      .post('/sign-in')
      .set('Cookie', `lms_csrf=${csrf}`)
      .type('form')
      .send({ _csrf: csrf, email: DEMO.officerHanoi, password: DEMO_PASSWORD });
    const session = /lms_session=([^;]+)/.exec(String(signedIn.headers['set-cookie']))![1];
    const cookie = `lms_session=${session}; lms_csrf=${csrf}`;
    const res = await t.http
      .get(`/officer/assessments/${assessmentId}/statistics`)
      .set('Cookie', cookie)
      .expect(200);
    expect(res.text).toContain('Thống kê câu hỏi');
    expect(res.text).toContain('Tính trên 5 bài làm đã nộp');
    expect(res.text).toContain('Đối thoại định kỳ ít nhất mấy lần một năm?');
    expect(res.text).toContain('60,0 %');
    expect(res.text).toContain('0,33');
    expect(res.text).toContain('-0,14');
    const csv = await t.http
      .get(`/officer/assessments/${assessmentId}/statistics.csv`)
      .set('Cookie', cookie)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).toContain('b: 3 (60%)');
    // The assessment's page links to it.
    const assessment = await t.http
      .get(`/officer/assessments/${assessmentId}`)
      .set('Cookie', cookie)
      .expect(200);
    expect(assessment.text).toContain(`/officer/assessments/${assessmentId}/statistics`);
    // Bắc Ninh's officer: the portal's "not found" page.
    const bnPage = await t.http.get('/sign-in');
    const bnCsrf = /lms_csrf=([^;]+)/.exec(String(bnPage.headers['set-cookie']))![1];
    const bn = await t.http
      .post('/sign-in')
      .set('Cookie', `lms_csrf=${bnCsrf}`)
      .type('form')
      .send({ _csrf: bnCsrf, email: DEMO.officerBacNinh, password: DEMO_PASSWORD });
    const bnSession = /lms_session=([^;]+)/.exec(String(bn.headers['set-cookie']))![1];
    const refused = await t.http
      .get(`/officer/assessments/${assessmentId}/statistics`)
      .set('Cookie', `lms_session=${bnSession}; lms_csrf=${bnCsrf}`);
    expect(refused.status).toBe(404);
    expect(refused.text).toContain('Không tìm thấy');
  });
});
