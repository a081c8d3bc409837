import { randomBytes } from 'node:crypto';
import { MarkingService } from '../../src/assessments/marking.service';
import { AuthService } from '../../src/auth/auth.service';
import { QUESTIONS_OF_EACH_KIND } from '../fixtures/bank-questions';
import { bearer, DEMO, DemoAccount, TestApp } from './test-app';

/** The two sections of the blueprint, each with fixed questions of these kinds, in order. */
export const DRAWN_SECTIONS = [
  { title: 'Phần 1 — Trắc nghiệm', kinds: ['single', 'multiple', 'true_false', 'numeric'] },
  {
    title: 'Phần 2 — Tự luận và sắp xếp',
    kinds: ['short_answer', 'ordering', 'matching', 'essay'],
  },
] as const;

export interface DrawnCourse {
  courseId: string;
  courseTitle: string;
  assessmentId: string;
  /** The enrolment of each learner. */
  enrolments: Record<string, string>;
  /** The bank question of each kind. */
  questions: Record<string, string>;
}

/**
 * A published course whose final assessment is drawn from a question bank (issue 16): one
 * question of every kind (test/fixtures/bank-questions.ts) fixed in two sections, the learners
 * enrolled with the lesson done. Made through the API, as an officer would.
 */
export async function drawnCourse(
  t: TestApp,
  learners: DemoAccount[],
  settings: { reviewPolicy?: string; maxAttempts?: number; secondMarking?: boolean } = {},
): Promise<DrawnCourse> {
  const officer = bearer(t.tokens.officerHanoi);
  const hn = await t.unitId('HN');
  const code = `D-${randomBytes(3).toString('hex').toUpperCase()}`;
  const bank = await t.http
    .post('/api/v1/question-banks')
    .set(officer)
    .send({ ownerOrgUnitId: hn, name: `Ngân hàng ${code}` })
    .expect(201);
  const questions: Record<string, string> = {};
  for (const [kind, content] of Object.entries(QUESTIONS_OF_EACH_KIND)) {
    const q = await t.http
      .post(`/api/v1/question-banks/${bank.body.id}/questions`)
      .set(officer)
      .send(content)
      .expect(201);
    questions[kind] = q.body.id as string;
  }
  const courseTitle = `Đối thoại tại nơi làm việc ${code}`;
  const course = await t.http
    .post('/api/v1/courses')
    .set(officer)
    .send({
      code,
      title: courseTitle,
      deliveryMode: 'online',
      durationHours: 4,
      ownerOrgUnitId: hn,
    })
    .expect(201);
  const courseId = course.body.id as string;
  const lesson = await t.http
    .post(`/api/v1/courses/${courseId}/lessons`)
    .set(officer)
    .send({ title: 'Bài 1', kind: 'text', content: 'Nội dung' })
    .expect(201);
  const assessment = await t.http
    .post('/api/v1/assessments')
    .set(officer)
    .send({
      courseId,
      title: 'Kiểm tra rút từ ngân hàng',
      timeLimitMinutes: 30,
      maxAttempts: settings.maxAttempts ?? 2,
      passScore: 5,
      reviewPolicy: settings.reviewPolicy ?? 'after_submission',
      // Replaced by the blueprint below; an assessment is created with a question.
      questions: [
        {
          kind: 'true_false',
          prompt: 'Tạm',
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
  const assessmentId = assessment.body.id as string;
  await t.http
    .put(`/api/v1/assessments/${assessmentId}/blueprint`)
    .set(officer)
    .send({
      sections: DRAWN_SECTIONS.map((s) => ({
        title: s.title,
        rules: s.kinds.map((k) => ({ bankId: bank.body.id as string, questionId: questions[k] })),
      })),
      ...(settings.secondMarking ? { secondMarking: true, markerThreshold: 2 } : {}),
    })
    .expect(200);
  await t.http.post(`/api/v1/courses/${courseId}/publish`).set(officer).expect(200);
  const people = await t.dataSource.query<{ email: string; person_id: string }[]>(
    `SELECT email, person_id FROM user_accounts WHERE email = ANY($1::text[])`,
    [learners.map((l) => DEMO[l])],
  );
  const personOf = new Map(people.map((p) => [p.email, p.person_id]));
  const enrolled = await t.http
    .post('/api/v1/enrolments')
    .set(officer)
    .send({ courseId, personIds: learners.map((l) => personOf.get(DEMO[l])) })
    .expect(200);
  const byPerson = new Map<string, string>(
    (enrolled.body.items as { id: string; personId: string }[]).map((e) => [e.personId, e.id]),
  );
  const enrolments: Record<string, string> = {};
  for (const l of learners) {
    enrolments[l] = byPerson.get(personOf.get(DEMO[l])!)!;
    await t.http
      .post(`/api/v1/enrolments/${enrolments[l]}/lessons/${lesson.body.id}/complete`)
      .set(bearer(t.tokens[l]))
      .expect(200);
  }
  return { courseId, courseTitle, assessmentId, enrolments, questions };
}

/**
 * What an officer does for a submitted attempt: a mark on every answer of it that waits in the
 * grading queue — an essay's points spread over its rubric criteria in order, each criterion up
 * to its own maximum — with the feedback, then the release of that attempt. Through
 * MarkingService as the Hà Nội officer, so the rules, audit and release are the real ones.
 */
export async function markWaitingAnswers(
  t: TestApp,
  assessmentId: string,
  attemptId: string,
  points: number,
  feedback: string,
): Promise<void> {
  const officer = (await t.app.get(AuthService).authenticate(t.tokens.officerHanoi))!;
  const marking = t.app.get(MarkingService);
  const queue = await marking.queue(officer, assessmentId, { limit: 100 });
  const waiting = queue.items.filter((e) => e.attemptId === attemptId);
  if (!waiting.length) throw new Error(`attempt ${attemptId} has no answer waiting for a mark`);
  for (const entry of waiting) {
    let left = points;
    const criteria = Object.fromEntries(
      (entry.rubric ?? []).map((c) => {
        const given = Math.min(left, c.maxPoints);
        left -= given;
        return [c.key, given];
      }),
    );
    await marking.mark(
      officer,
      attemptId,
      String(entry.position),
      entry.rubric ? { criteria, feedback } : { points, feedback, reason: 'Chấm lại' },
    );
  }
  const outcome = await marking.release(officer, assessmentId, { attemptIds: [attemptId] });
  if (outcome.released !== 1) throw new Error(`attempt ${attemptId} not released`);
}
