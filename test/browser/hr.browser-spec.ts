import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { todayVn } from '../../src/common/dates/vietnam-dates';
import { bearer } from '../support/test-app';
import { lookAt, Portal, startPortal } from './support/browser';

/**
 * Issue 14: the organisation department's pages and the administrator's in a real browser —
 * people search without diacritics, a person's evaluations, a planning cycle where the fourth
 * nominee of a post is refused in place, the pipeline with its nine-box and CSV, the
 * administrator's accounts; and the scope (404) and role (403) refusals as pages.
 */
describe('portal: HR and admin pages', () => {
  let portal: Portal;
  const suffix = randomBytes(3).toString('hex').toUpperCase();
  const unitName = `Công đoàn cơ sở thử nghiệm trang quy hoạch ${suffix}`;
  const nominees = ['An', 'Bình', 'Cường', 'Dũng'].map((given) => `Trương Kế ${given}`);
  let cycleId: string;
  let chairPost: string;

  beforeAll(async () => {
    portal = await startPortal();
    const { t } = portal;
    const hr = bearer(t.tokens.hrHanoi);
    const created = async (url: string, body: Record<string, unknown>): Promise<string> => {
      const res = await t.http.post(url).set(hr).send(body);
      if (res.status !== 201) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
      return (res.body as { id: string }).id;
    };
    // A grassroots union of its own with a chair and a vice-chair post, four people who may be
    // planned (born 1985, so the age rule holds) and a draft cycle planning both posts.
    const unit = await created('/api/v1/org-units', {
      code: `T14HR-${suffix}`,
      name: unitName,
      level: 'grassroots',
      sector: 'private',
      parentId: await t.unitId('HN-HD'),
    });
    chairPost = await created('/api/v1/posts', { orgUnitId: unit, postType: 'chair' });
    const vice = await created('/api/v1/posts', { orgUnitId: unit, postType: 'vice_chair' });
    for (const [i, name] of nominees.entries()) {
      await created('/api/v1/people', {
        familyName: 'Trương',
        middleName: 'Kế',
        givenName: name.split(' ').pop(),
        gender: i % 2 === 0 ? 'female' : 'male',
        birthDate: `198${5 + i}-03-10`,
        homeOrgUnitId: unit,
      });
    }
    cycleId = await created('/api/v1/planning-cycles', {
      orgUnitId: unit,
      termStart: '2028-07-01',
      termEnd: '2033-06-30',
      postIds: [chairPost, vice],
    });
  });

  afterAll(async () => {
    await portal?.close();
  });

  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  /** Nominates one of the test's people for the chair post through the form. */
  async function nominate(page: Page, name: string): Promise<number> {
    await page.goto(`/hr/cycles/${cycleId}/nominate`);
    await page.getByLabel('Tìm cán bộ theo họ tên').fill('truong ke');
    await page.getByRole('button', { name: 'Tìm' }).click();
    await page.getByLabel(name).check();
    await page.getByLabel('Chức danh quy hoạch').selectOption(chairPost);
    await page.getByLabel('Mức sẵn sàng', { exact: true }).selectOption('ready_3_plus_years');
    await page.getByLabel(/Lý do chọn mức sẵn sàng/).fill('Ý kiến của cấp ủy');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Đưa vào quy hoạch' }).click(),
    ]);
    await page.waitForURL((url) => !url.pathname.endsWith('/nominate'));
    return response.status();
  }

  it('walks the HR journey: search, a person, a cycle, three nominees and a refused fourth, the pipeline', async () => {
    const page = await portal.open('desktop', 'hrHanoi');

    // People of the subtree, found by a name typed without diacritics.
    await page.goto('/hr');
    await expect(heading(page)).resolves.toBe('Cán bộ trong phạm vi phụ trách');
    await lookAt(page, 'hr-people');
    await page.getByLabel('Tìm theo họ tên').fill('nguyen');
    await page.getByRole('button', { name: 'Tìm' }).click();
    const found = await page.locator('.person-name').allTextContents();
    expect(found.length).toBeGreaterThan(0);
    for (const name of found) expect(name).toMatch(/Nguyễn/);
    await lookAt(page, 'hr-people-search');

    // A person's page: posts, evaluations, and one added through the form.
    await page.getByLabel('Tìm theo họ tên').fill('truong ke dung');
    await page.getByRole('button', { name: 'Tìm' }).click();
    await page.getByRole('link', { name: nominees[3] }).click();
    await expect(heading(page)).resolves.toBe(nominees[3]);
    await page.getByLabel('Năm').fill(todayVn().slice(0, 4));
    // A score over 100 is refused beside its field, with what was typed kept.
    await page.getByLabel('Điểm').fill('150');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Ghi kết quả' }).click(),
    ]);
    expect(refused.status()).toBe(400);
    await expect(page.locator('.field-error').count()).resolves.toBe(1);
    await expect(page.getByLabel('Điểm').inputValue()).resolves.toBe('150');
    await page.getByLabel('Điểm').fill('86,5');
    await page.getByLabel('Nhận xét').fill('Hoàn thành tốt nhiệm vụ được giao.');
    await page.getByRole('button', { name: 'Ghi kết quả' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain(
      'Đã ghi kết quả đánh giá.',
    );
    await expect(page.locator('#evaluations + .table-wrap').textContent()).resolves.toContain(
      '86.5',
    );
    await lookAt(page, 'hr-person');

    // The planning cycles and the test's own cycle.
    await page.goto('/hr/cycles');
    await lookAt(page, 'hr-cycles');
    await page.getByRole('link', { name: unitName }).click();
    expect(new URL(page.url()).pathname).toBe(`/hr/cycles/${cycleId}`);
    await lookAt(page, 'hr-cycle');
    await page.getByRole('link', { name: 'Đưa cán bộ vào quy hoạch' }).click();
    await expect(heading(page)).resolves.toBe('Đưa cán bộ vào danh sách quy hoạch');

    // Three nominees for the chair post are taken …
    for (const name of nominees.slice(0, 3)) {
      expect(await nominate(page, name)).toBe(303);
      expect(new URL(page.url()).pathname).toBe(`/hr/cycles/${cycleId}`);
      await expect(page.getByRole('status').textContent()).resolves.toContain(
        'Đã đưa cán bộ vào danh sách quy hoạch.',
      );
      await expect(page.getByRole('link', { name }).count()).resolves.toBe(1);
    }
    await lookAt(page, 'hr-cycle-nominated');

    // … the fourth is refused in place by the rule "at most 3 per post", with what was entered.
    expect(await nominate(page, nominees[3])).toBe(422);
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'Mỗi chức danh quy hoạch tối đa 3 cán bộ.',
    );
    await expect(page.getByLabel(nominees[3]).isChecked()).resolves.toBe(true);
    await lookAt(page, 'hr-nominate-refused');
    await page.goto(`/hr/cycles/${cycleId}`);
    await expect(page.getByRole('link', { name: nominees[3] }).count()).resolves.toBe(0);

    // A readiness other than the suggested one needs a reason: refused in place, then given.
    const row = () => page.getByRole('row', { name: new RegExp(nominees[0]) });
    await row().getByText('Đổi mức sẵn sàng').click();
    await row().getByLabel('Mức sẵn sàng', { exact: true }).selectOption('ready_now');
    const [unreasoned] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      row().getByRole('button', { name: 'Lưu mức sẵn sàng' }).click(),
    ]);
    expect(unreasoned.status()).toBe(422);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('phải nêu lý do');
    await lookAt(page, 'hr-cycle-readiness-refused');
    await row()
      .getByLabel(/Lý do chọn mức sẵn sàng/)
      .fill('Đã qua thực tiễn phụ trách công đoàn bộ phận');
    await row().getByRole('button', { name: 'Lưu mức sẵn sàng' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã đổi mức sẵn sàng.');
    await expect(row().textContent()).resolves.toContain('Sẵn sàng ngay');

    // The pipeline: summary, the nine-box drawn as a 3×3 grid with names, and its exports.
    await page.goto('/hr/pipeline');
    await expect(heading(page)).resolves.toBe('Nguồn cán bộ kế cận');
    const boxes = page.locator('.grid9 > div');
    await expect(boxes.count()).resolves.toBe(9);
    expect((await page.locator('.grid9 li').allTextContents()).length).toBeGreaterThan(0);
    await lookAt(page, 'hr-pipeline');
    const csv = await page.request.get('/hr/pipeline/csv');
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const body = await csv.body();
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(body.toString('utf8').slice(1).split('\r\n')[0]).toMatch(
      /^Mã đơn vị,Đơn vị,Chức danh,Người đảm nhiệm/,
    );
    const pdf = await page.request.get('/hr/pipeline/pdf');
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // The competency heatmap and the audit log (the nominations above are in it).
    await page.goto('/hr/heatmap');
    await expect(heading(page)).resolves.toBe('Bản đồ khoảng trống năng lực');
    await lookAt(page, 'hr-heatmap');
    await page.goto('/hr/audit');
    await expect(page.locator('table').textContent()).resolves.toContain('Đề xuất quy hoạch');
    await lookAt(page, 'hr-audit');
  });

  it('reads well on a phone: the people list, the nomination form and the pipeline', async () => {
    const page = await portal.open('phone', 'hrHanoi');
    await page.goto('/hr?q=nguyen');
    await lookAt(page, 'hr-people');
    await page.goto(`/hr/cycles/${cycleId}/nominate?q=truong+ke`);
    await expect(page.getByLabel(nominees[0]).count()).resolves.toBe(1);
    await lookAt(page, 'hr-nominate');
    await page.goto('/hr/pipeline');
    await expect(page.locator('.grid9 > div').count()).resolves.toBe(9);
    await lookAt(page, 'hr-pipeline');
    // The same page in English through the header's switch.
    await page.getByRole('link', { name: 'EN' }).click();
    await expect(heading(page)).resolves.toBe('Cadre pipeline');
    await expect(page.getByRole('link', { name: 'Download CSV' }).count()).resolves.toBe(1);
    await lookAt(page, 'hr-pipeline-en');
  });

  it('shows the administrator the accounts with their roles, and the union units', async () => {
    const page = await portal.open('desktop', 'admin');
    await page.goto('/admin');
    await expect(heading(page)).resolves.toBe('Tài khoản đăng nhập');
    const table = await page.locator('table').textContent();
    expect(table).toContain('hr.hanoi@lms.congdoan.test');
    expect(table).toContain('Tổ chức cán bộ');
    await lookAt(page, 'admin-accounts');
    await page.getByRole('link', { name: 'hr.hanoi@lms.congdoan.test' }).click();
    await expect(heading(page)).resolves.toBe('hr.hanoi@lms.congdoan.test');
    await lookAt(page, 'admin-account');
    await page.goto('/admin/org-units');
    await lookAt(page, 'admin-org-units');
  });

  it('lets the administrator grant and revoke a role, and lift a sign-in hold', async () => {
    const { t } = portal;
    const page = await portal.open('desktop', 'admin');
    // Grant the chair the training officer's role over their own union, then take it back.
    const [chair] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM user_accounts WHERE email = 'chutich.mayhadong@lms.congdoan.test'`,
    );
    await page.goto(`/admin/accounts/${chair.id}`);
    await page.getByLabel('Vai trò', { exact: true }).selectOption('training_officer');
    await page.getByLabel('Phạm vi đơn vị').selectOption(await t.unitId('HN-HD-MAY'));
    await page.getByRole('button', { name: 'Cấp vai trò' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã cấp vai trò.');
    await expect(page.locator('table').textContent()).resolves.toContain('Cán bộ đào tạo');
    await lookAt(page, 'admin-account-granted');
    await page.getByRole('button', { name: /^Thu hồi/ }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã thu hồi vai trò.');
    await expect(page.locator('table').count()).resolves.toBe(0);

    // A hold set by wrong passwords, lifted from the account's page.
    const [held] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM user_accounts WHERE email = 'daotao.bacninh@lms.congdoan.test'`,
    );
    await t.dataSource.query(
      `UPDATE user_accounts SET failed_logins = 5, locked_until = now() + interval '10 minutes'
        WHERE id = $1`,
      [held.id],
    );
    await page.goto('/admin');
    await expect(page.locator('table').textContent()).resolves.toContain('Tạm dừng đăng nhập');
    await page.goto(`/admin/accounts/${held.id}`);
    await lookAt(page, 'admin-account-held');
    await page.getByRole('button', { name: 'Mở lại đăng nhập' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain(
      'Đã mở lại đăng nhập cho tài khoản.',
    );
    await expect(page.getByRole('button', { name: 'Mở lại đăng nhập' }).count()).resolves.toBe(0);
  });

  it("answers a Bắc Ninh person's page with 404 to Hà Nội's HR, and /hr with 403 to a chair", async () => {
    const [outside] = await portal.t.dataSource.query<{ id: string }[]>(
      `SELECT p.id FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE o.code LIKE 'BN%' ORDER BY p.id LIMIT 1`,
    );
    const hr = await portal.open('desktop', 'hrHanoi');
    const notFound = await hr.goto(`/hr/people/${outside.id}`);
    expect(notFound?.status()).toBe(404);
    await expect(heading(hr)).resolves.toBe('Không tìm thấy');
    await lookAt(hr, 'hr-not-found');

    const chair = await portal.open('desktop', 'chair');
    const forbidden = await chair.goto('/hr');
    expect(forbidden?.status()).toBe(403);
    await expect(heading(chair)).resolves.toBe('Không có quyền');
    await lookAt(chair, 'hr-forbidden');
  });
});
