import type { Page } from 'playwright-core';
import { K01_ASSESSMENT } from '../../src/courses/courses.seed';
import { bearer } from '../support/test-app';
import { lookAt, Portal, startPortal } from './support/browser';

const K01_TITLE = 'Nghiệp vụ chủ tịch CĐCS mới bầu';

/**
 * Issue 14: the chair's week in the portal, on a 360 px phone — home, the flagship course K01,
 * its lessons marked done, the final assessment answered (autosaved) and passed, the
 * certificate's PDF, the transcript, competencies and gaps — and someone else's enrolment or
 * attempt "not found".
 */
describe('portal: the chair learns, passes the final assessment and gets the certificate', () => {
  let portal: Portal;
  let page: Page;

  // A real browser on two shared cores: each step loads a few pages and runs axe on them.

  beforeAll(async () => {
    portal = await startPortal();
    page = await portal.open('phone', 'chair');
  });

  afterAll(async () => {
    await portal?.close();
  });

  const h1 = () => page.getByRole('heading', { level: 1 }).textContent();

  it('shows my programmes and courses on the home page', async () => {
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/learn');
    await expect(h1()).resolves.toBe('Học tập của tôi');
    await expect(page.getByRole('main').textContent()).resolves.toContain('Chương trình được giao');
    await expect(page.getByRole('link', { name: K01_TITLE, exact: true }).count()).resolves.toBe(1);
    await lookAt(page, 'learn-home');
  });

  it('opens K01 and marks each of its lessons done', async () => {
    await page.getByRole('link', { name: K01_TITLE, exact: true }).click();
    await expect(h1()).resolves.toBe(K01_TITLE);
    await expect(page.title()).resolves.toContain(K01_TITLE);
    await lookAt(page, 'learn-course');
    const lessons = page.locator('ol.lessons > li');
    const count = await lessons.count();
    const toDo: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const href = await lessons.nth(i).locator('a').getAttribute('href');
      if (href && href.includes('/lessons/')) toDo.push(href);
    }
    expect(toDo).toHaveLength(4);
    let marked = 0;
    for (const href of toDo) {
      await page.goto(href);
      const button = page.getByRole('button', { name: 'Đã học xong' });
      // The demo chair has read the first lessons already: those say so instead.
      if ((await button.count()) === 0) {
        await expect(page.locator('main').textContent()).resolves.toContain(
          'Bạn đã học xong bài này.',
        );
        continue;
      }
      if (marked === 0) await lookAt(page, 'learn-lesson');
      await button.click();
      marked += 1;
      expect(new URL(page.url()).pathname).toMatch(/^\/learn\/enrolments\/[0-9a-f-]{36}$/);
      await expect(page.getByRole('status').first().textContent()).resolves.toContain(
        'Đã ghi nhận bài học.',
      );
    }
    expect(marked).toBeGreaterThan(0);
    await expect(page.locator('ol.lessons').textContent()).resolves.not.toContain('Chưa học');
    await expect(page.locator('main').textContent()).resolves.toContain('4/5 bài học');
    await lookAt(page, 'learn-course-lessons-done');
  });

  it('starts the assessment, answers every question (autosaved) and passes', async () => {
    await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
    expect(new URL(page.url()).pathname).toMatch(/^\/learn\/attempts\/[0-9a-f-]{36}$/);
    await expect(h1()).resolves.toBe(K01_ASSESSMENT.title);
    const deadline = await page.locator('[data-deadline]').getAttribute('data-deadline');
    // The server's deadline: about the assessment's time limit from now.
    const left = Date.parse(deadline!) - Date.now();
    expect(left).toBeGreaterThan((K01_ASSESSMENT.timeLimitMinutes - 2) * 60_000);
    expect(left).toBeLessThanOrEqual(K01_ASSESSMENT.timeLimitMinutes * 60_000 + 5_000);
    await lookAt(page, 'learn-exam');

    for (const q of K01_ASSESSMENT.questions) {
      const fieldset = page.locator('fieldset', { hasText: q.prompt });
      for (const key of q.correct) {
        const text = q.options.find((o) => o.key === key)!.text;
        await fieldset.getByLabel(text, { exact: true }).check();
      }
    }
    // The script saved the answers on its own (the countdown runs too).
    await page.locator('[data-saved]', { hasText: 'Đã tự động lưu.' }).waitFor();
    const attemptId = new URL(page.url()).pathname.split('/').pop();
    const saved = await portal.t.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM attempt_answers WHERE attempt_id = $1',
      [attemptId],
    );
    expect(saved[0].n).toBeGreaterThan(0);
    await expect(page.locator('[data-left]').textContent()).resolves.toMatch(/^\d+:\d{2}$/);

    // Without the script, the save button keeps them too and comes back to the same form.
    await page.getByRole('button', { name: 'Lưu câu trả lời' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      'Đã lưu câu trả lời.',
    );
    const first = K01_ASSESSMENT.questions[0];
    const firstRight = first.options.find((o) => o.key === first.correct[0])!.text;
    await expect(
      page
        .locator('fieldset', { hasText: first.prompt })
        .getByLabel(firstRight, { exact: true })
        .isChecked(),
    ).resolves.toBe(true);

    await page.getByRole('button', { name: 'Nộp bài' }).click();
    await expect(h1()).resolves.toBe('Kết quả bài kiểm tra');
    const result = await page.locator('.result').textContent();
    expect(result).toContain('Đạt');
    expect(result).toContain('10/10');
    expect(result).toContain('Xuất sắc');
    await lookAt(page, 'learn-result');
  });

  it('lists the new certificate and downloads its PDF with the session', async () => {
    await page.getByRole('link', { name: 'Xem giấy chứng nhận của tôi' }).click();
    await expect(h1()).resolves.toBe('Giấy chứng nhận của tôi');
    const card = page.locator('.cert-list > li', { hasText: K01_TITLE });
    await expect(card.count()).resolves.toBe(1);
    await expect(card.textContent()).resolves.toContain('Còn hiệu lực');
    await lookAt(page, 'learn-certificates');
    const href = await card.getByRole('link', { name: /Tải PDF/ }).getAttribute('href');
    const pdf = await page.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const body = await pdf.body();
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('shows my transcript and gives it as CSV', async () => {
    await page.goto('/learn/transcript');
    await expect(h1()).resolves.toBe('Quá trình đào tạo của tôi');
    await expect(page.locator('table').textContent()).resolves.toContain(K01_TITLE);
    await lookAt(page, 'learn-transcript');
    const csv = await page.request.get('/learn/transcript/csv');
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(await csv.text()).toContain('K01');
  });

  it('shows my competencies and gaps, and takes a self-rating', async () => {
    await page.goto('/learn/competencies');
    await expect(h1()).resolves.toBe('Năng lực của tôi');
    await lookAt(page, 'learn-competencies');
    const rate = page.getByRole('link', { name: 'Tự đánh giá năng lực' }).first();
    if ((await rate.count()) === 0) return;
    await rate.click();
    await expect(h1()).resolves.toBe('Tự đánh giá năng lực');
    await lookAt(page, 'learn-self-rating');
    // Sending it incomplete is refused on the form itself, with what is missing.
    await page.locator('select').first().selectOption('');
    await page.getByRole('button', { name: 'Gửi tự đánh giá' }).click();
    await expect(page.getByRole('alert').count()).resolves.toBe(1);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/C\d+/);
    await lookAt(page, 'learn-self-rating-refused');
    const selects = page.locator('select');
    for (let i = 0; i < (await selects.count()); i += 1) {
      await selects.nth(i).selectOption({ index: 2 });
    }
    await page.getByRole('button', { name: 'Gửi tự đánh giá' }).click();
    expect(new URL(page.url()).pathname).toBe('/learn/competencies');
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      'Đã ghi nhận tự đánh giá',
    );
  });

  it('reads well on a desktop too', async () => {
    const desktop = await portal.open('desktop', 'chair');
    await desktop.goto('/learn');
    await expect(desktop.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Học tập của tôi',
    );
    await lookAt(desktop, 'learn-home');
    await desktop.getByRole('link', { name: 'EN' }).click();
    await expect(desktop.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'My learning',
    );
    await expect(desktop.getByRole('main').textContent()).resolves.toContain('Completed courses');
    await lookAt(desktop, 'learn-home-en');
  });

  it("answers 'Không tìm thấy' for someone else's enrolment and attempt", async () => {
    const { t } = portal;
    const officer = bearer(t.tokens.officerHanoi);
    const me = await t.http.get('/api/v1/me').set(officer).expect(200);
    const [k01] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM courses WHERE code = 'K01' AND status = 'published'`,
    );
    const enrolled = await t.http
      .post('/api/v1/enrolments')
      .set(officer)
      .send({ courseId: k01.id, personIds: [me.body.person.id] })
      .expect(200);
    const enrolmentId = enrolled.body.items[0].id as string;
    const [{ assessment_id: assessmentId }] = await t.dataSource.query<{ assessment_id: string }[]>(
      `SELECT assessment_id FROM course_lessons WHERE course_id = $1 AND kind = 'assessment'`,
      [k01.id],
    );
    const attempt = await t.http
      .post(`/api/v1/assessments/${assessmentId}/attempts`)
      .set(officer)
      .expect(201);

    for (const path of [`/learn/enrolments/${enrolmentId}`, `/learn/attempts/${attempt.body.id}`]) {
      const res = await page.goto(path);
      expect(res?.status()).toBe(404);
      await expect(h1()).resolves.toBe('Không tìm thấy');
    }
    await lookAt(page, 'learn-not-found');
    // Nor can the form change it.
    const refused = await page.request.post(`/learn/attempts/${attempt.body.id}/submit`, {
      form: { _csrf: (await page.locator('input[name="_csrf"]').first().inputValue()) ?? '' },
    });
    expect(refused.status()).toBe(404);
  });
});
