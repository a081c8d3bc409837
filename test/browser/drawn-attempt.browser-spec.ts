import type { Page } from 'playwright-core';
import { drawnCourse, DrawnCourse, markWaitingAnswers } from '../support/drawn-assessment';
import { lookAt, Portal, startPortal } from './support/browser';

/**
 * Issue 16 in a real browser: the chair sits an assessment drawn from question banks on a 360 px
 * phone — every kind of question in its section, a refused answer shown beside its question,
 * the save button and the autosave, the submit, "being marked", then the result with each
 * question's review — and the pages read well at 1280 px too. axe checks each page.
 */
describe('portal: a drawn attempt on a phone and a desktop', () => {
  let portal: Portal;
  let page: Page;
  let course: DrawnCourse;
  let attemptPath: string;

  beforeAll(async () => {
    portal = await startPortal();
    course = await drawnCourse(portal.t, ['chair']);
    page = await portal.open('phone', 'chair');
  });

  afterAll(async () => {
    await portal?.close();
  });

  const h1 = () => page.getByRole('heading', { level: 1 }).textContent();
  const question = (p: Page, prompt: string) => p.locator('fieldset', { hasText: prompt });

  it('starts the attempt from the course and shows each kind of question by section', async () => {
    await page.goto(`/learn/enrolments/${course.enrolments.chair}`);
    await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
    expect(new URL(page.url()).pathname).toMatch(/^\/learn\/attempts\/[0-9a-f-]{36}$/);
    attemptPath = new URL(page.url()).pathname;
    await expect(h1()).resolves.toBe('Kiểm tra rút từ ngân hàng');
    await expect(page.getByRole('heading', { level: 2 }).allTextContents()).resolves.toEqual([
      'Phần 1 — Trắc nghiệm',
      'Phần 2 — Tự luận và sắp xếp',
    ]);
    await expect(page.locator('main').textContent()).resolves.toContain('Nộp bài trước');
    await lookAt(page, 'drawn-exam');
  });

  it('answers every kind; a refused one shows beside its question and the others are kept', async () => {
    await question(page, 'ít nhất bao nhiêu đoàn viên').getByLabel('5 đoàn viên').check();
    const duties = question(page, 'nhiệm vụ của chủ tịch');
    await duties.getByLabel('Đại diện đối thoại với người sử dụng lao động').check();
    await duties.getByLabel('Tổ chức đại hội công đoàn cơ sở').check();
    await question(page, 'đóng đoàn phí hằng tháng').getByLabel('Đúng', { exact: true }).check();
    await question(page, 'bao nhiêu phần trăm').getByLabel('Câu trả lời của bạn').fill('một');
    await question(page, 'Cơ quan lãnh đạo cao nhất')
      .getByLabel('Câu trả lời của bạn')
      .fill('Đại hội công đoàn cơ sở');
    const steps = question(page, 'Sắp xếp các bước');
    await steps.getByLabel('Thu thập ý kiến người lao động').selectOption('1');
    await steps.getByLabel('Gửi nội dung đối thoại').selectOption('2');
    await steps.getByLabel('Tổ chức đối thoại', { exact: true }).selectOption('3');
    const pairs = question(page, 'Nối mỗi văn bản');
    await pairs.getByLabel('Luật Công đoàn').selectOption({ label: '2024' });
    await pairs.getByLabel('Bộ luật Lao động').selectOption({ label: '2019' });
    await question(page, 'Trình bày cách chuẩn bị')
      .getByLabel('Câu trả lời của bạn')
      .fill(
        'Thu thập ý kiến người lao động, gửi nội dung trước, tổ chức đối thoại và ghi biên bản.',
      );
    // The script counts the essay's words as the server does, beside the limit.
    await expect(page.locator('.word-count').textContent()).resolves.toBe('Đã viết 19/400 từ.');
    // The autosave says it could not save (the number is refused); the button shows where.
    await page.locator('[data-saved]', { hasText: 'Chưa lưu được' }).waitFor();
    await page.getByRole('button', { name: 'Lưu câu trả lời' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain(
      'Một số câu trả lời chưa được lưu',
    );
    const numeric = question(page, 'bao nhiêu phần trăm');
    await expect(numeric.locator('.field-error').count()).resolves.toBe(1);
    await expect(numeric.getByLabel('Câu trả lời của bạn').inputValue()).resolves.toBe('một');
    await expect(
      question(page, 'ít nhất bao nhiêu đoàn viên').getByLabel('5 đoàn viên').isChecked(),
    ).resolves.toBe(true);
    await lookAt(page, 'drawn-exam-refused');

    await numeric.getByLabel('Câu trả lời của bạn').fill('1,0');
    await page.getByRole('button', { name: 'Lưu câu trả lời' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      'Đã lưu câu trả lời.',
    );
    await expect(page.locator('main').textContent()).resolves.toContain('Đã trả lời 8/8 câu.');
    await expect(
      question(page, 'Sắp xếp các bước').getByLabel('Gửi nội dung đối thoại').inputValue(),
    ).resolves.toBe('2');
    await lookAt(page, 'drawn-exam-saved');
  });

  it('submits and says a person is marking; then shows the score and the review', async () => {
    await page.getByRole('button', { name: 'Nộp bài' }).click();
    await expect(h1()).resolves.toBe('Bài làm đang được chấm');
    await lookAt(page, 'drawn-marking');

    const attemptId = attemptPath.split('/').pop()!;
    await markWaitingAnswers(
      portal.t,
      course.assessmentId,
      attemptId,
      8,
      'Đủ ý, nên nêu thêm ví dụ thực tế.',
    );
    await page.reload();
    await expect(h1()).resolves.toBe('Kết quả bài kiểm tra');
    const result = await page.locator('.result').textContent();
    expect(result).toContain('Đạt');
    expect(result).toContain('9,09/10');
    const review = page.locator('.drawn-review');
    await expect(review.locator('li.card').count()).resolves.toBe(8);
    await expect(review.first().textContent()).resolves.toContain('Đáp án đúng');
    await expect(page.locator('main').textContent()).resolves.toContain(
      'Đủ ý, nên nêu thêm ví dụ thực tế.',
    );
    await lookAt(page, 'drawn-result');
  });

  it('reads well on a desktop too', async () => {
    const desktop = await portal.open('desktop', 'chair');
    await desktop.goto(attemptPath);
    await expect(desktop.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Kết quả bài kiểm tra',
    );
    await lookAt(desktop, 'drawn-result');

    // A second learner's open attempt, for the form at this width.
    const other = await drawnCourse(portal.t, ['officerHanoi']);
    const officer = await portal.open('desktop', 'officerHanoi');
    await officer.goto(`/learn/enrolments/${other.enrolments.officerHanoi}`);
    await officer.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
    await expect(officer.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Kiểm tra rút từ ngân hàng',
    );
    await lookAt(officer, 'drawn-exam');
  });
});
