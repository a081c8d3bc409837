import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/seed/demo-data';
import { drawnCourse, DrawnCourse } from '../support/drawn-assessment';
import { DEMO, DemoAccount } from '../support/test-app';
import { lookAt, Portal, startPortal } from './support/browser';

/** Clicks what submits a form and waits for the page it leads to; its HTTP status. */
async function submit(page: Page, button: RegExp | string): Promise<number | undefined> {
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: button }).first().click(),
  ]);
  return response?.status();
}

const ESSAY =
  'Trước hết, ban chấp hành thu thập ý kiến của người lao động ở từng tổ sản xuất.\n\n' +
  'Sau đó, công đoàn gửi nội dung đối thoại cho người sử dụng lao động ít nhất năm ngày trước.\n\n' +
  'Cuối cùng, hai bên tổ chức đối thoại và ghi biên bản, công khai kết quả cho người lao động.';

/**
 * Issue 16 in a real browser: the Hà Nội officer opens the grading queue from the assessment
 * page, reads each learner's essay as paragraphs with its rubric, marks one with decimal commas
 * as a Vietnamese browser types them, sees a refusal beside its criterion on a phone, and
 * releases the marked attempt; at 360 and 1280 px, with no serious accessibility problem.
 */
describe('portal: the grading queue', () => {
  let portal: Portal;
  let course: DrawnCourse;
  const queue = () => `/officer/assessments/${course.assessmentId}/marking`;

  beforeAll(async () => {
    portal = await startPortal();
    const t = portal.t;
    course = await drawnCourse(t, ['chair', 'hrHanoi']);
    for (const learner of ['chair', 'hrHanoi'] as DemoAccount[]) {
      const signIn = await t.http.get('/sign-in');
      const csrf = /lms_csrf=([^;]+)/.exec(String(signIn.headers['set-cookie']))![1];
      const res = await t.http
        .post('/sign-in')
        .set('Cookie', `lms_csrf=${csrf}`)
        .type('form')
        .send({ _csrf: csrf, email: DEMO[learner], password: DEMO_PASSWORD });
      const session = /lms_session=([^;]+)/.exec(String(res.headers['set-cookie']))![1];
      const cookie = `lms_session=${session}; lms_csrf=${csrf}`;
      const started = await t.http
        .post(`/learn/enrolments/${course.enrolments[learner]}/attempts`)
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrf })
        .expect(303);
      await t.http
        .post(`${started.headers.location}/submit`)
        .set('Cookie', cookie)
        .type('form')
        .send({
          _csrf: csrf,
          [`r_${course.questions.single}`]: 'B',
          [`r_${course.questions.essay}`]: learner === 'chair' ? ESSAY : 'Thu thập ý kiến.',
        })
        .expect(303);
    }
  }, 120_000);

  afterAll(async () => {
    await portal?.close();
  });

  it('opens from the assessment page and reads each essay with its rubric', async () => {
    const page = await portal.open('desktop', 'officerHanoi');
    await page.goto(`/officer/assessments/${course.assessmentId}`);
    await page.getByRole('link', { name: 'Chấm bài (hàng chờ chấm)' }).click();
    expect(await page.textContent('h1')).toBe('Chấm bài tự luận');
    await expect(page.locator('.marking-entry').count()).resolves.toBe(2);
    const first = page.locator('.marking-entry').first();
    await expect(first.locator('.marking-response p').count()).resolves.toBe(3);
    await expect(first.textContent()).resolves.toContain('Cần người chấm thứ nhất');
    await expect(
      page.getByRole('button', { name: 'Công bố kết quả (0)' }).isDisabled(),
    ).resolves.toBe(true);
    await lookAt(page, 'marking');
  });

  it('shows a refusal beside its criterion on a phone', async () => {
    const page = await portal.open('phone', 'officerHanoi');
    await page.goto(queue());
    const first = page.locator('.marking-entry').first();
    // The input takes any number with two decimals; the range is the service's to refuse.
    await first.getByLabel(/^Nội dung/).fill('7');
    await first.getByLabel(/^Trình bày/).fill('2');
    expect(await submit(page, /^Lưu điểm/)).toBe(400);
    const refused = page.locator('.marking-entry').first();
    await expect(refused.locator('.field-error').textContent()).resolves.toBe(
      'Phải từ 0 đến 6 điểm.',
    );
    await expect(refused.getByLabel(/^Nội dung/).getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await lookAt(page, 'marking-refused');
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBe(360);
  });

  it('marks with decimal commas and releases the attempt', async () => {
    const page = await portal.open('desktop', 'officerHanoi');
    await page.goto(queue());
    const first = page.locator('.marking-entry').first();
    const name = (await first.locator('.marking-learner').textContent())!.split('·')[0].trim();
    await first.getByLabel(/^Nội dung/).pressSequentially('5,5');
    await first.getByLabel(/^Trình bày/).pressSequentially('2,5');
    await first.getByLabel('Nhận xét cho học viên').fill('Đủ các bước, trình bày mạch lạc.');
    expect(await submit(page, /^Lưu điểm/)).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toContain(
      'Câu trả lời đã có điểm cuối cùng',
    );
    await expect(page.locator('.marking-entry').count()).resolves.toBe(1);
    await expect(page.locator('.marking-entry').first().textContent()).resolves.not.toContain(name);
    expect(await submit(page, 'Công bố kết quả (1)')).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toContain(
      'Đã công bố 1 lượt làm bài. Còn 1 lượt chờ chấm.',
    );
    await lookAt(page, 'marking-released');
    const phone = await portal.open('phone', 'officerHanoi');
    await phone.goto(`${queue()}?released=1&waiting=1&remaining=0`);
    await lookAt(phone, 'marking-released');
    await expect(phone.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBe(360);
  });

  it('opens a learner’s attempt from the queue and overrides an answer on a phone', async () => {
    const page = await portal.open('phone', 'officerHanoi');
    await page.goto(queue());
    // The one answer left in the queue is the other learner's; the link opens their attempt.
    await page
      .getByRole('link', { name: /^Xem cả bài làm và sửa điểm/ })
      .first()
      .click();
    await page.waitForLoadState();
    expect(await page.textContent('h1')).toMatch(/^Bài làm của /);
    const single = page.locator('.attempt-item', {
      hasText: 'Công đoàn cơ sở được thành lập khi có ít nhất bao nhiêu đoàn viên?',
    });
    await expect(single.textContent()).resolves.toContain('5 đoàn viên');
    await expect(single.locator('.attempt-final').textContent()).resolves.toContain('1 điểm');
    await lookAt(page, 'override');
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBe(360);
    // Points above the item's are the service's to refuse, beside the field.
    // The form is folded under "Sửa điểm" until opened.
    await expect(single.getByLabel(/^Điểm mới/).isVisible()).resolves.toBe(false);
    await single.locator('summary', { hasText: 'Sửa điểm' }).click();
    await single.getByLabel(/^Điểm mới/).fill('2');
    await single.getByLabel('Lý do sửa điểm').fill('Phúc khảo theo đơn của học viên');
    expect(await submit(page, /^Lưu điểm đã sửa — Câu 1$/)).toBe(400);
    const refused = page.locator('.attempt-item', {
      hasText: 'Công đoàn cơ sở được thành lập khi có ít nhất bao nhiêu đoàn viên?',
    });
    await expect(refused.locator('.field-error').textContent()).resolves.toBe(
      'Không được vượt quá 1 điểm của câu.',
    );
    // Refused, the form stays open at the answer it was for.
    await expect(refused.locator('details').getAttribute('open')).resolves.toBe('');
    await expect(page.evaluate<string>('location.hash')).resolves.toBe(
      await refused.getAttribute('id').then((id) => `#${id!}`),
    );
    await lookAt(page, 'override-refused');
    await refused.getByLabel(/^Điểm mới/).fill('');
    await refused.getByLabel(/^Điểm mới/).pressSequentially('0,5');
    expect(await submit(page, /^Lưu điểm đã sửa — Câu 1$/)).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã sửa điểm câu 1.');
    const saved = page.locator('.attempt-item', {
      hasText: 'Công đoàn cơ sở được thành lập khi có ít nhất bao nhiêu đoàn viên?',
    });
    await expect(saved.locator('.attempt-final').textContent()).resolves.toContain('0,5 điểm');
    await expect(saved.locator('.attempt-marks').textContent()).resolves.toContain(
      'Phúc khảo theo đơn của học viên',
    );
    await lookAt(page, 'override-saved');
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBe(360);
    const desktop = await portal.open('desktop', 'officerHanoi');
    await desktop.goto(page.url());
    await lookAt(desktop, 'override-saved');
    await desktop
      .getByRole('link', { name: 'Các lượt làm bài đã nộp', exact: true })
      .first()
      .click();
    await desktop.waitForLoadState();
    expect(await desktop.textContent('h1')).toBe('Các lượt làm bài đã nộp');
    await expect(desktop.locator('.attempts-table tbody tr').count()).resolves.toBe(2);
    await lookAt(desktop, 'attempts');
  });
});
