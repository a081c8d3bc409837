import type { Page } from 'playwright-core';
import { lookAt, Portal, startPortal } from './support/browser';

/** Clicks what submits a form and waits for the page it leads to. */
async function submit(page: Page, button: string): Promise<void> {
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
}

/**
 * Issue 14: the training officer's pages in a real browser — a course with a lesson and a
 * one-question assessment, published; a programme of it, published; assigned to an audience
 * after a preview; its progress. Scope and rights hold as in the API.
 */
describe('portal: the training officer', () => {
  let portal: Portal;
  let courseUrl = '';

  beforeAll(async () => {
    portal = await startPortal();
  }, 120_000);

  afterAll(async () => {
    await portal?.close();
  });

  it('builds a course, publishes it, makes a programme of it and assigns it', async () => {
    const page = await portal.open('desktop', 'officerHanoi');
    await page.goto('/officer');
    expect(await page.textContent('h1')).toBe('Khóa học');
    await lookAt(page, 'officer-home');

    // A new course, as a draft owned by Hà Nội.
    await page.getByRole('link', { name: 'Tạo khóa học' }).click();
    expect(await page.textContent('h1')).toBe('Tạo khóa học');
    await lookAt(page, 'officer-course-new');
    // A refusal comes back on the form with what was typed.
    await page.getByLabel('Mã').fill('K-WEB-1');
    await page.getByLabel('Tên', { exact: true }).fill('Kỹ năng thương lượng tập thể');
    await page.getByLabel('Số giờ').fill('không rõ');
    await page
      .getByLabel('Đơn vị quản lý')
      .selectOption({ label: 'Liên đoàn Lao động Thành phố Hà Nội (HN)' });
    await submit(page, 'Tạo bản nháp');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Số giờ: Phải là số');
    expect(await page.getByLabel('Mã').inputValue()).toBe('K-WEB-1');
    await lookAt(page, 'officer-course-refused');
    await page.getByLabel('Số giờ').fill('8');
    await submit(page, 'Tạo bản nháp');
    expect(await page.textContent('h1')).toBe('K-WEB-1 · Kỹ năng thương lượng tập thể');
    courseUrl = new URL(page.url()).pathname;

    // A lesson.
    await page.getByLabel('Tên bài học').fill('Quy trình thương lượng');
    await page.getByLabel('Nội dung').fill('Các bước chuẩn bị và tiến hành thương lượng tập thể.');
    await submit(page, 'Thêm bài học');
    await expect(page.locator('.lessons').textContent()).resolves.toContain(
      'Quy trình thương lượng',
    );
    await lookAt(page, 'officer-course');

    // Its lesson page.
    await page.getByRole('link', { name: 'Quy trình thương lượng' }).click();
    expect(await page.textContent('h1')).toBe('Bài học');
    await lookAt(page, 'officer-lesson');
    await submit(page, 'Lưu bài học');

    // The assessment, with one question and its right answer.
    await page.getByRole('link', { name: 'Tạo bài kiểm tra' }).click();
    await lookAt(page, 'officer-assessment-new');
    await page.getByLabel('Tên bài kiểm tra').fill('Kiểm tra cuối khóa');
    await page.getByLabel('Nội dung câu hỏi').fill('Ai ký thỏa ước lao động tập thể?');
    await page.getByLabel('Phương án a').first().fill('Chủ tịch công đoàn cơ sở');
    await page.getByLabel('Phương án b').first().fill('Kế toán');
    await page.getByRole('radio', { name: 'Phương án a' }).check();
    await submit(page, 'Tạo bài kiểm tra');
    expect(await page.textContent('h1')).toBe('Kiểm tra cuối khóa');
    await expect(page.locator('#questions').textContent()).resolves.toBe('Câu hỏi (1)');
    await expect(page.locator('.questions').textContent()).resolves.toContain('đáp án đúng');
    await lookAt(page, 'officer-assessment');
    // A second question, added to the draft's assessment.
    await page.getByLabel('Nội dung câu hỏi').fill('Thỏa ước có hiệu lực tối đa bao lâu?');
    await page.getByLabel('Phương án a').first().fill('3 năm');
    await page.getByLabel('Phương án b').first().fill('10 năm');
    await page.getByRole('radio', { name: 'Phương án a' }).check();
    await submit(page, 'Thêm câu hỏi');
    await expect(page.locator('#questions').textContent()).resolves.toBe('Câu hỏi (2)');

    // The course's details corrected while it is a draft.
    await page.goto(courseUrl);
    await page.getByLabel('Số giờ').fill('10');
    await submit(page, 'Lưu thay đổi');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã lưu thay đổi');

    // Published: its content is locked.
    await page.goto(courseUrl);
    await submit(page, 'Công bố khóa học');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã công bố khóa học');
    await expect(page.locator('.tag').first().textContent()).resolves.toBe('Đã công bố');
    await lookAt(page, 'officer-course-published');

    // A programme of it, published.
    await page.goto('/officer/programmes');
    await lookAt(page, 'officer-programmes');
    await page.getByRole('link', { name: 'Tạo chương trình' }).click();
    await page.getByLabel('Mã').fill('P-WEB-1');
    await page.getByLabel('Tên', { exact: true }).fill('Bồi dưỡng thương lượng tập thể');
    await page
      .getByLabel('Đơn vị quản lý')
      .selectOption({ label: 'Liên đoàn Lao động Thành phố Hà Nội (HN)' });
    await page.getByLabel(/K-WEB-1/).check();
    await lookAt(page, 'officer-programme-new');
    await submit(page, 'Tạo bản nháp');
    expect(await page.textContent('h1')).toBe('P-WEB-1 · Bồi dưỡng thương lượng tập thể');
    await submit(page, 'Công bố chương trình');
    await expect(page.getByRole('status').textContent()).resolves.toContain(
      'Đã công bố chương trình',
    );
    await lookAt(page, 'officer-programme');

    // The assignment form: the audience, previewed without script, then assigned.
    await page.getByRole('link', { name: 'Giao chương trình' }).click();
    expect(await page.textContent('h1')).toBe('Giao chương trình');
    await lookAt(page, 'officer-assign');
    await page
      .getByLabel('Đơn vị (gồm các đơn vị trực thuộc)')
      .selectOption({ label: 'Liên đoàn Lao động Thành phố Hà Nội (HN)' });
    await page.getByRole('checkbox', { name: 'Chủ tịch', exact: true }).check();
    // The live preview (script) fills in the count and names as the rule changes …
    await page.locator('.preview-count').waitFor();
    // … and the plain button renders the same preview in the page.
    await submit(page, 'Xem trước');
    const count = await page.locator('.preview-count').textContent();
    expect(Number(/(\d+) người phù hợp/.exec(count ?? '')?.[1])).toBeGreaterThan(0);
    expect(await page.locator('.people li').count()).toBeGreaterThan(0);
    expect(await page.getByRole('checkbox', { name: 'Chủ tịch', exact: true }).isChecked()).toBe(
      true,
    );
    await lookAt(page, 'officer-assign-preview');
    // A due date in the past is refused on the form, the audience kept.
    await page.getByLabel('Hạn hoàn thành').fill('2020-01-01');
    const [refused] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Giao chương trình', exact: true }).click(),
    ]);
    expect(refused?.status()).toBe(422);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Hạn hoàn thành');
    expect(await page.getByRole('checkbox', { name: 'Chủ tịch', exact: true }).isChecked()).toBe(
      true,
    );
    await page.getByLabel('Hạn hoàn thành').fill('');
    await submit(page, 'Giao chương trình');

    // Its progress: counts, by unit, overdue, exports.
    expect(await page.textContent('h1')).toBe('Tiến độ lượt giao');
    await expect(page.locator('.stats').textContent()).resolves.toContain('Tổng số');
    expect(await page.getByRole('link', { name: 'Tải tệp CSV' }).count()).toBe(1);
    await lookAt(page, 'officer-assignment');
    const csv = await page.request.get(`${new URL(page.url()).pathname}/export.csv`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');

    // The outbox holds the "assigned" messages.
    await page.goto('/officer/outbox');
    expect(await page.textContent('h1')).toBe('Hộp thư đi');
    await lookAt(page, 'officer-outbox');
  }, 180_000);

  it('reads well on a phone: the course form and the assignment page', async () => {
    const page = await portal.open('phone', 'officerHanoi');
    await page.goto('/officer/courses/new');
    await lookAt(page, 'officer-course-new');
    await page.goto(courseUrl);
    await lookAt(page, 'officer-course-published');
    // A published course changes through a new draft version.
    await page
      .getByLabel('Ghi chú cho phiên bản mới (không bắt buộc)')
      .fill('Cập nhật Bộ luật Lao động');
    await submit(page, 'Tạo phiên bản mới');
    expect(new URL(page.url()).pathname).not.toBe(courseUrl);
    await expect(page.locator('main').textContent()).resolves.toContain('Phiên bản 2');
    await expect(page.locator('.tag').first().textContent()).resolves.toBe('Bản nháp');
    await lookAt(page, 'officer-course-version');
    await page.goto('/officer/programmes');
    await page.getByRole('link', { name: 'Bồi dưỡng thương lượng tập thể' }).click();
    await lookAt(page, 'officer-programme');
    await page.getByRole('link', { name: 'Giao chương trình' }).click();
    await submit(page, 'Xem trước');
    await lookAt(page, 'officer-assign-preview');
    await page.goto('/officer/programmes');
    await page.getByRole('link', { name: 'Bồi dưỡng thương lượng tập thể' }).click();
    await page.locator('table a').first().click();
    expect(await page.textContent('h1')).toBe('Tiến độ lượt giao');
    await lookAt(page, 'officer-assignment');
  }, 120_000);

  it("a Bắc Ninh officer gets 'không tìm thấy' for a Hà Nội page", async () => {
    const page = await portal.open('desktop', 'officerBacNinh');
    const res = await page.goto(courseUrl);
    expect(res?.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Không tìm thấy');
    await lookAt(page, 'officer-not-found');
  });

  it("a chair opening /officer gets 'Không có quyền'", async () => {
    const page = await portal.open('phone', 'chair');
    const res = await page.goto('/officer');
    expect(res?.status()).toBe(403);
    expect(await page.textContent('h1')).toBe('Không có quyền');
    await lookAt(page, 'officer-forbidden');
  });
});
