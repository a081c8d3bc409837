import type { Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { bearer } from '../support/test-app';
import { lookAt, Portal, startPortal } from './support/browser';

/** Clicks what submits a form and waits for the page it leads to; its HTTP status. */
async function submit(page: Page, button: string): Promise<number | undefined> {
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  return response?.status();
}

/**
 * Issue 16: the officer builds a final assessment drawn from Hà Nội's question bank in a real
 * browser — a rule refused for a short pool beside its field, then saved; a fixed question
 * picked from the bank; sitting and grading; the window in Vietnam time — and grants a learner
 * extra time; on a phone and a desktop, with no serious accessibility problem on any page.
 */
describe('portal: the assessment builder', () => {
  let portal: Portal;
  let assessmentId = '';
  const bankId = async () =>
    (
      await portal.t.dataSource.query<{ id: string }[]>(
        `SELECT b.id FROM question_banks b JOIN org_units o ON o.id = b.owner_org_unit_id
          WHERE o.code = 'HN' ORDER BY b.created_at LIMIT 1`,
      )
    )[0].id;

  beforeAll(async () => {
    portal = await startPortal();
    const t = portal.t;
    const api = bearer(t.tokens.officerHanoi);
    const code = `BP-${randomBytes(3).toString('hex').toUpperCase()}`;
    const course = await t.http
      .post('/api/v1/courses')
      .set(api)
      .send({
        code,
        title: `Đối thoại tại nơi làm việc ${code}`,
        deliveryMode: 'online',
        durationHours: 4,
        ownerOrgUnitId: await t.unitId('HN'),
      })
      .expect(201);
    const courseId = course.body.id as string;
    await t.http
      .post(`/api/v1/courses/${courseId}/lessons`)
      .set(api)
      .send({ title: 'Bài 1', kind: 'text', content: 'Nội dung' })
      .expect(201);
    const assessment = await t.http
      .post('/api/v1/assessments')
      .set(api)
      .send({
        courseId,
        title: 'Kiểm tra cuối khóa',
        timeLimitMinutes: 20,
        maxAttempts: 2,
        questions: [
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
  }, 120_000);

  afterAll(async () => {
    await portal?.close();
  });

  it('builds the blueprint from the assessment page', async () => {
    const page = await portal.open('desktop', 'officerHanoi');
    await page.goto(`/officer/assessments/${assessmentId}`);
    await page.getByRole('link', { name: 'Cấu trúc đề (rút câu từ ngân hàng)' }).click();
    expect(await page.textContent('h1')).toBe('Cấu trúc đề rút từ ngân hàng');
    await lookAt(page, 'blueprint-empty');

    // More questions than the bank holds: refused beside the count, what was typed kept.
    const bank = page.getByLabel('Ngân hàng câu hỏi', { exact: true }).first();
    await page.getByLabel('Phần', { exact: true }).fill('Phần 1 — Pháp luật');
    await bank.selectOption({ index: 1 });
    await page.getByLabel('Nhãn', { exact: true }).fill('C2');
    await page.getByLabel('Số câu rút').fill('150');
    expect(await submit(page, 'Thêm quy tắc')).toBe(422);
    await expect(page.locator('#add-count-error').textContent()).resolves.toContain(
      'Không đủ câu hỏi',
    );
    await expect(page.getByLabel('Số câu rút').inputValue()).resolves.toBe('150');
    await lookAt(page, 'blueprint-refused');

    await page.getByLabel('Số câu rút').fill('2');
    expect(await submit(page, 'Thêm quy tắc')).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã thêm quy tắc');

    // A fixed question picked from the bank's list.
    await submit(page, 'Xem câu hỏi');
    await page.locator('.bp-pick button').first().click();
    await page.waitForLoadState();
    await expect(page.locator('.bp-rule').count()).resolves.toBe(2);
    await expect(page.locator('main').textContent()).resolves.toContain('Câu cố định');

    // Sitting and grading.
    await page.getByLabel('Đảo thứ tự câu hỏi trong mỗi phần').check();
    await page.getByLabel('Điểm được tính theo').selectOption('average');
    await page.getByLabel('Câu tự luận cần hai người chấm').check();
    await page.getByLabel('Chênh lệch tối đa giữa hai người chấm (điểm)').fill('1,5');
    expect(await submit(page, 'Lưu cách làm bài')).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã lưu cách làm');

    // The window, in Vietnam time.
    await page.getByLabel('Mở lúc').fill('2026-12-10T08:00');
    await page.getByLabel('Đóng lúc').fill('2026-12-10T10:30');
    expect(await submit(page, 'Lưu thời gian mở bài')).toBe(200);
    await expect(page.locator('main').textContent()).resolves.toContain(
      'Mở từ 10/12/2026 08:00 · đóng lúc 10/12/2026 10:30',
    );
    await lookAt(page, 'blueprint');
  });

  it('edits on a phone, a refusal beside its field', async () => {
    const page = await portal.open('phone', 'officerHanoi');
    await page.goto(`/officer/assessments/${assessmentId}/blueprint`);
    await page.getByLabel('Ngân hàng câu hỏi', { exact: true }).first().selectOption({ index: 1 });
    await page.getByLabel('Số câu rút').fill('150');
    expect(await submit(page, 'Thêm quy tắc')).toBe(422);
    await expect(page.locator('#add-count-error').textContent()).resolves.toContain(
      'Không đủ câu hỏi',
    );
    await lookAt(page, 'blueprint-refused');
    await page.goto(`/officer/assessments/${assessmentId}/blueprint?pick=${await bankId()}#pick`);
    await lookAt(page, 'blueprint');
  });

  it('grants a learner extra time and revokes it', async () => {
    const t = portal.t;
    const [person] = await t.dataSource.query<{ id: string; name: string }[]>(
      `SELECT p.id, p.full_name AS name FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE o.path LIKE (SELECT path FROM org_units WHERE code = 'HN') || '%'
        ORDER BY p.sort_key LIMIT 1`,
    );
    const [{ course_id: courseId }] = await t.dataSource.query<{ course_id: string }[]>(
      `SELECT course_id FROM assessments WHERE id = $1`,
      [assessmentId],
    );
    await t.http
      .post(`/api/v1/courses/${courseId}/publish`)
      .set(bearer(t.tokens.officerHanoi))
      .expect(200);
    await t.http
      .post('/api/v1/enrolments')
      .set(bearer(t.tokens.officerHanoi))
      .send({ courseId, personIds: [person.id] })
      .expect(200);

    const page = await portal.open('desktop', 'officerHanoi');
    await page.goto(`/officer/assessments/${assessmentId}/blueprint`);
    await expect(page.locator('main').textContent()).resolves.toContain('chỉ xem được');
    await lookAt(page, 'blueprint-published');
    await page.getByRole('link', { name: 'Điều chỉnh riêng (thêm giờ, thêm lượt)' }).click();
    expect(await page.textContent('h1')).toBe('Điều chỉnh riêng cho học viên');
    await page.getByLabel('Học viên', { exact: true }).selectOption(person.id);
    await page.getByLabel('Thêm phút').fill('15');
    await page.getByLabel('Lý do').fill('Thị lực kém, cần thêm thời gian đọc đề');
    expect(await submit(page, 'Cấp điều chỉnh')).toBe(200);
    await expect(page.locator('.acc-row').first().textContent()).resolves.toContain('Đang áp dụng');
    await lookAt(page, 'accommodations');
    await page.getByRole('button', { name: `Thu hồi — ${person.name}` }).click();
    await page.waitForLoadState();
    await expect(page.locator('.acc-row').first().textContent()).resolves.toContain('Đã thu hồi');
  });

  it('reads on a phone', async () => {
    const page = await portal.open('phone', 'officerHanoi');
    await page.goto(`/officer/assessments/${assessmentId}/blueprint`);
    expect(await page.textContent('h1')).toBe('Cấu trúc đề rút từ ngân hàng');
    await lookAt(page, 'blueprint-published');
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBe(360);
    await page.goto(`/officer/assessments/${assessmentId}/accommodations`);
    await lookAt(page, 'accommodations');
    // Nothing wider than the phone: a wide table scrolls inside its own box.
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBe(360);
  });
});
