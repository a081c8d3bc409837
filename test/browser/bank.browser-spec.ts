import type { Page } from 'playwright-core';
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
 * Issue 16: the training officer's question bank in a real browser — a bank made for Hà Nội, a
 * category, a single-choice question refused in place then saved, an essay, the single choice
 * edited into version 2, the list filtered; looked at on a phone and a desktop, with no serious
 * accessibility problem on any page.
 */
describe('portal: the question bank', () => {
  let portal: Portal;
  let bankUrl = '';
  let questionUrl = '';

  beforeAll(async () => {
    portal = await startPortal();
  }, 120_000);

  afterAll(async () => {
    await portal?.close();
  });

  it('builds a bank with questions of two kinds, edits one and filters the list', async () => {
    const page = await portal.open('desktop', 'officerHanoi');
    await page.goto('/officer');
    await page.getByRole('link', { name: 'Ngân hàng câu hỏi', exact: true }).click();
    expect(await page.textContent('h1')).toBe('Ngân hàng câu hỏi');
    await lookAt(page, 'bank-list');

    // A new bank, owned by Hà Nội.
    await page.getByLabel('Tên ngân hàng').fill('Thương lượng tập thể');
    await page
      .getByLabel('Đơn vị quản lý')
      .selectOption({ label: 'Liên đoàn Lao động Thành phố Hà Nội (HN)' });
    await submit(page, 'Tạo ngân hàng');
    expect(await page.textContent('h1')).toBe('Thương lượng tập thể');
    bankUrl = new URL(page.url()).pathname;

    // A category.
    await page.getByLabel('Tên nhóm mới').fill('Thỏa ước lao động');
    await submit(page, 'Thêm nhóm');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã thêm nhóm');
    await lookAt(page, 'bank');

    // A single choice without its right option: refused in place, what was typed kept.
    await page.getByRole('link', { name: 'Một lựa chọn', exact: true }).click();
    expect(await page.textContent('h1')).toBe('Câu hỏi mới: Một lựa chọn');
    await page.getByLabel('Nội dung câu hỏi').fill('Ai ký thỏa ước lao động tập thể?');
    await page.getByLabel('Phương án A', { exact: true }).fill('Chủ tịch công đoàn cơ sở');
    await page.getByLabel('Phương án B', { exact: true }).fill('Kế toán trưởng');
    await page.getByLabel('Nhóm câu hỏi').selectOption({ label: 'Thỏa ước lao động' });
    await page.getByLabel('Thẻ').fill('Thỏa ước, C2');
    expect(await submit(page, 'Tạo câu hỏi')).toBe(400);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Câu hỏi chưa được lưu');
    await expect(page.locator('#right-error').textContent()).resolves.toContain(
      'Hãy đánh dấu phương án đúng.',
    );
    expect(await page.getByLabel('Phương án B', { exact: true }).inputValue()).toBe(
      'Kế toán trưởng',
    );
    await lookAt(page, 'bank-question-refused');
    await page.getByRole('radio', { name: 'Đúng — Phương án A' }).check();
    expect(await submit(page, 'Tạo câu hỏi')).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toContain('phiên bản 1');
    questionUrl = new URL(page.url()).pathname;

    // An essay, scored by its rubric.
    await page.goto(bankUrl);
    await page.getByRole('link', { name: 'Tự luận', exact: true }).click();
    await page
      .getByLabel('Nội dung câu hỏi')
      .fill('Trình bày cách chuẩn bị một phiên thương lượng tập thể.');
    await page.getByLabel('Giới hạn số từ').fill('400');
    await page.getByLabel('Tiêu chí chấm').fill('Nội dung | 6\nTrình bày | 4');
    await lookAt(page, 'bank-question-essay');
    expect(await submit(page, 'Tạo câu hỏi')).toBe(200);
    await expect(page.locator('main').textContent()).resolves.toContain('Phiên bản 1');

    // The single choice edited: version 2, both versions listed, newest first.
    await page.goto(questionUrl);
    await page
      .getByLabel('Nội dung câu hỏi')
      .fill('Ai ký thỏa ước lao động tập thể thay mặt người lao động?');
    await submit(page, 'Lưu câu hỏi');
    await expect(page.getByRole('status').textContent()).resolves.toContain('phiên bản 2');
    const versions = await page.locator('.versions li').allTextContents();
    expect(versions).toHaveLength(2);
    expect(versions[0]).toContain('Phiên bản 2');
    expect(versions[0]).toContain('thay mặt người lao động');
    expect(versions[1]).toContain('Phiên bản 1');
    await lookAt(page, 'bank-question');

    // The list, filtered by kind.
    await page.goto(bankUrl);
    expect(await page.locator('.bank-questions tbody tr').count()).toBe(2);
    await page.getByLabel('Loại câu hỏi').selectOption({ label: 'Tự luận' });
    await submit(page, 'Lọc');
    const rows = page.locator('.bank-questions tbody tr');
    expect(await rows.count()).toBe(1);
    await expect(rows.first().textContent()).resolves.toContain('Tự luận');
    await lookAt(page, 'bank-filtered');
  }, 180_000);

  it('reads well on a phone: the list, the bank and the editor', async () => {
    const page = await portal.open('phone', 'officerHanoi');
    await page.goto('/officer/banks');
    await lookAt(page, 'bank-list');
    await page.goto(bankUrl);
    await lookAt(page, 'bank');
    await page.goto(questionUrl);
    await lookAt(page, 'bank-question');
    await page.goto(`${bankUrl}/questions/new?kind=multiple`);
    await lookAt(page, 'bank-question-multiple');
    // Refused on a phone too: the message beside the options.
    await page.getByLabel('Nội dung câu hỏi').fill('Những việc nào là nhiệm vụ của chủ tịch?');
    await page.getByLabel('Phương án A', { exact: true }).fill('Đối thoại');
    expect(await submit(page, 'Tạo câu hỏi')).toBe(400);
    await expect(page.locator('#options-error').textContent()).resolves.toContain(
      'Phải có từ 2 đến 20 phương án',
    );
    await lookAt(page, 'bank-question-refused');
  }, 120_000);

  it("a Bắc Ninh officer gets 'không tìm thấy' for the Hà Nội bank", async () => {
    const page = await portal.open('desktop', 'officerBacNinh');
    const response = await page.goto(bankUrl);
    expect(response?.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Không tìm thấy');
  });
});
