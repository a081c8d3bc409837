import { lookAt, Portal, startPortal } from './support/browser';

/**
 * Issue 16, item 4: the item statistics of a final assessment as the officer reads them — the
 * demo course K01's assessment with a few submitted attempts of Hà Nội's learners — on a phone
 * and a desktop, with no serious accessibility problem.
 */
describe('portal: item statistics', () => {
  let portal: Portal;
  let assessmentId: string;

  beforeAll(async () => {
    portal = await startPortal();
    const ds = portal.t.dataSource;
    const [a] = await ds.query<{ id: string; course_id: string }[]>(
      `SELECT a.id, a.course_id FROM assessments a JOIN courses c ON c.id = a.course_id
        WHERE c.code = 'K01' ORDER BY c.version_no DESC LIMIT 1`,
    );
    assessmentId = a.id;
    const questions = await ds.query<
      { id: string; correct: string[]; options: { key: string }[] }[]
    >(
      `SELECT id, correct, options FROM assessment_questions WHERE assessment_id = $1
        ORDER BY position`,
      [a.id],
    );
    const people = await ds.query<{ id: string }[]>(
      `SELECT p.id FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE o.path LIKE (SELECT path FROM org_units WHERE code = 'HN') || '%'
          AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = p.id
                                                      AND e.course_id = $1)
        ORDER BY p.id LIMIT 4`,
      [a.course_id],
    );
    // Four submitted attempts: the n-th learner gets the first n questions right.
    for (const [n, person] of people.entries()) {
      const [{ id: enrolment }] = await ds.query<{ id: string }[]>(
        `INSERT INTO enrolments (course_id, person_id, status) VALUES ($1, $2, 'in_progress')
         RETURNING id`,
        [a.course_id, person.id],
      );
      const [{ id: attempt }] = await ds.query<{ id: string }[]>(
        `INSERT INTO assessment_attempts (assessment_id, enrolment_id, person_id, number,
                                          started_at, deadline, submitted_at, points_earned,
                                          points_total, score, passed)
         VALUES ($1, $2, $3, 1, now() - interval '9 minutes', now() + interval '9 minutes',
                 now(), $4::int, $5::int, 5, false)
         RETURNING id`,
        [a.id, enrolment, person.id, n, questions.length],
      );
      for (const [i, q] of questions.entries()) {
        const wrong = q.options.find((o) => !q.correct.includes(o.key))?.key ?? q.correct[0];
        await ds.query(
          `INSERT INTO attempt_answers (attempt_id, question_id, selected, saved_at)
           VALUES ($1, $2, $3::jsonb, now() - interval '5 minutes')`,
          [attempt, q.id, JSON.stringify(i < n ? q.correct : [wrong])],
        );
      }
    }
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('reads the figures of each question from the assessment’s page', async () => {
    const page = await portal.open('desktop', 'officerHanoi');
    await page.goto(`/officer/assessments/${assessmentId}`);
    await page.getByRole('link', { name: 'Thống kê câu hỏi' }).click();
    await expect(page.textContent('h1')).resolves.toBe('Thống kê câu hỏi');
    await expect(page.locator('.stat-row').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('main').textContent()).resolves.toContain('Tính trên 4 bài làm');
    await lookAt(page, 'item-statistics');
  });

  it('reads on a phone', async () => {
    const page = await portal.open('phone', 'officerHanoi');
    await page.goto(`/officer/assessments/${assessmentId}/statistics`);
    await expect(page.textContent('h1')).resolves.toBe('Thống kê câu hỏi');
    await lookAt(page, 'item-statistics');
  });
});
