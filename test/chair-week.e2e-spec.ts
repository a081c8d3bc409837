import { writeFileSync } from 'node:fs';
import { K01_ASSESSMENT } from '../src/courses/courses.seed';
import { DEMO_PROGRAMME } from '../src/programmes/programmes.seed';
import { expectError } from './expect-error';
import { binary } from './support/binary-body';
import { extractPdfText } from './support/pdf-text';
import { bearer, createTestApp, TestApp } from './support/test-app';
import { todayVn } from '../src/common/dates/vietnam-dates';

interface MyEnrolment {
  id: string;
  course: { id: string; code: string; title: string };
  status: string;
  assessmentId: string | null;
  completedLessonIds: string[];
  score: number | null;
  grade: string | null;
  certificateId: string | null;
}
interface CourseBody {
  lessons: { id: string; kind: string; required: boolean }[];
  completionRule: { requiredLessons: number; finalAssessment: string };
}
interface MyAssignment {
  programme: { code: string };
  status: string;
  progress: { completedCourses: number; requiredCourses: number; percent: number };
  expiresOn: string | null;
  nextCourse: { code: string } | null;
}

const addMonths = (iso: string, months: number) => {
  const [y, m, d] = iso.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  t.setUTCDate(Math.min(d, last));
  return t.toISOString().slice(0, 10);
};

/**
 * Issue 11, item 1: the demo chair finishes the flagship programme through the API alone —
 * K01 (lessons and the final assessment), then K02 and K03, which have no final assessment and
 * complete on their lessons — and sees the programme completed with three certificates and the
 * recertification expiry set at once. The programme's one set is "in order": K02 stays closed
 * until K01 is done.
 */
describe('a chair finishes the flagship programme', () => {
  let t: TestApp;
  let chair: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp();
    chair = bearer(t.tokens.chair);
  });

  afterAll(async () => {
    await t.close();
  });

  const myEnrolments = async (): Promise<Map<string, MyEnrolment>> => {
    const res = await t.http.get('/api/v1/me/enrolments?limit=100').set(chair).expect(200);
    const items = res.body.items as MyEnrolment[];
    return new Map(items.map((e) => [e.course.code, e]));
  };
  const course = async (id: string): Promise<CourseBody> =>
    (await t.http.get(`/api/v1/courses/${id}`).set(chair).expect(200)).body as CourseBody;
  const finishLessons = async (e: MyEnrolment) => {
    const c = await course(e.course.id);
    let last: MyEnrolment = e;
    for (const l of c.lessons.filter((x) => x.kind !== 'assessment')) {
      const res = await t.http
        .post(`/api/v1/enrolments/${e.id}/lessons/${l.id}/complete`)
        .set(chair)
        .expect(200);
      last = res.body as MyEnrolment;
    }
    return last;
  };

  it('shows each course its completion rule: K01 must pass its assessment, K02 has none', async () => {
    const mine = await myEnrolments();
    const k01 = await course(mine.get('K01')!.course.id);
    const k02 = await course(mine.get('K02')!.course.id);
    expect(k01.completionRule).toEqual({
      requiredLessons: 4,
      finalAssessment: 'must_pass',
      minAttendancePercent: null,
    });
    expect(k02.completionRule).toMatchObject({ finalAssessment: 'none' });
  });

  it('keeps K02 closed while K01, before it in the programme, is not done', async () => {
    const k02 = (await myEnrolments()).get('K02')!;
    const c = await course(k02.course.id);
    const res = await t.http
      .post(`/api/v1/enrolments/${k02.id}/lessons/${c.lessons[0].id}/complete`)
      .set(chair);
    expectError(res, 409, 'COURSE_NOT_OPEN_YET');
    expect(res.body.message).toContain('K01');
    expect(res.body.message).toContain(DEMO_PROGRAMME.title);
    const after = (await myEnrolments()).get('K02')!;
    expect(after.completedLessonIds).toEqual([]);
    expect(after.status).toBe('enrolled');
  });

  it('completes K01 by its lessons and a passed assessment, with a certificate and a score', async () => {
    const k01 = (await myEnrolments()).get('K01')!;
    const done = await finishLessons(k01);
    expect(done.status).toBe('in_progress');
    const attempt = await t.http
      .post(`/api/v1/assessments/${k01.assessmentId}/attempts`)
      .set(chair)
      .expect(201);
    const questions = attempt.body.questions as { id: string }[];
    for (const [i, q] of questions.entries()) {
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
    expect(result.body).toMatchObject({ passed: true, score: 10, enrolmentStatus: 'completed' });
    const after = (await myEnrolments()).get('K01')!;
    expect(after).toMatchObject({ status: 'completed', score: 10, grade: 'Xuất sắc' });
    expect(after.certificateId).toEqual(expect.any(String));
  });

  it('completes K02 and K03 on their lessons alone: no score, a certificate each', async () => {
    for (const code of ['K02', 'K03']) {
      const e = (await myEnrolments()).get(code)!;
      const done = await finishLessons(e);
      expect(done).toMatchObject({ status: 'completed', score: null, grade: null });
      expect(done.certificateId).toEqual(expect.any(String));
    }
  });

  it('shows the programme completed with its recertification expiry set at once', async () => {
    const res = await t.http.get('/api/v1/me/assignments').set(chair).expect(200);
    const mine = (res.body.items as MyAssignment[]).filter(
      (a) => a.programme.code === DEMO_PROGRAMME.code,
    );
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      status: 'completed',
      progress: { completedCourses: 3, requiredCourses: 3, percent: 100 },
      nextCourse: null,
      expiresOn: addMonths(todayVn(), DEMO_PROGRAMME.validityMonths),
    });
  });

  it('holds three certificates, and a transcript of three lines with hours', async () => {
    const certs = await t.http.get('/api/v1/me/certificates').set(chair).expect(200);
    const items = certs.body.items as { status: string; expiresOn: string | null }[];
    // Valid until the recertification date of the programme, set when issued.
    const until = addMonths(todayVn(), DEMO_PROGRAMME.validityMonths);
    expect(items.map((c) => [c.status, c.expiresOn])).toEqual([
      ['valid', until],
      ['valid', until],
      ['valid', until],
    ]);
    const me = await t.http.get('/api/v1/me').set(chair).expect(200);
    const transcript = await t.http
      .get(`/api/v1/people/${me.body.person.id}/transcript`)
      .set(chair)
      .expect(200);
    const lines = transcript.body.items as { courseCode: string; hours: number; grade: unknown }[];
    expect(lines.map((l) => [l.courseCode, l.hours, l.grade]).sort()).toEqual([
      ['K01', 24, 'Xuất sắc'],
      ['K02', 16, null],
      ['K03', 8, null],
    ]);
  });

  it('prints a certificate without an assessment as completed, with no score line', async () => {
    const k02 = (await myEnrolments()).get('K02')!;
    const res = await t.http
      .get(`/api/v1/certificates/${k02.certificateId}/pdf`)
      .set(chair)
      .buffer(true)
      .parse(binary)
      .expect(200);
    if (process.env.LMS_KEEP_PDF) writeFileSync(process.env.LMS_KEEP_PDF, res.body as Buffer);
    const text = extractPdfText(res.body as Buffer).replace(/\s+/g, ' ');
    expect(text).toContain('Đối thoại và thương lượng tập thể');
    expect(text).toContain('Thời lượng: 16 giờ');
    expect(text).toContain('Kết quả: Hoàn thành');
    expect(text).not.toContain('Điểm');
    expect(text).not.toContain('Xếp loại');
  });
});
