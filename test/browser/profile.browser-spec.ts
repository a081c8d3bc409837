import type { Page } from 'playwright-core';
import { DEMO } from '../support/test-app';
import { lookAt, Portal, startPortal } from './support/browser';

/**
 * Issue 15, item 5, in a real browser: the chair corrects her phone on "Hồ sơ của tôi" and asks
 * to correct her name; HR approves it from "Yêu cầu sửa hồ sơ". Both pages pass axe at a phone's
 * and a desktop's width.
 */
describe('portal: my profile and HR change requests', () => {
  let portal: Portal;

  beforeAll(async () => {
    portal = await startPortal();
  });

  afterAll(async () => {
    await portal?.close();
  });

  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  const submit = async (page: Page, button: string) => {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: button }).click(),
    ]);
    await page.waitForLoadState();
    return response.status();
  };

  it('lets the chair correct her phone and ask for a name change that HR approves', async () => {
    const chair = await portal.open('phone', 'chair');
    await chair.goto('/learn');
    await chair.getByRole('link', { name: 'Hồ sơ của tôi' }).click();
    await expect(heading(chair)).resolves.toBe('Hồ sơ của tôi');
    await lookAt(chair, 'learn-profile');

    // A wrong number is refused beside its field, what was typed kept.
    await chair.getByLabel('Số điện thoại').fill('0123');
    expect(await submit(chair, 'Lưu')).toBe(400);
    await expect(chair.locator('.field-error').count()).resolves.toBe(1);
    await expect(chair.getByLabel('Số điện thoại').inputValue()).resolves.toBe('0123');
    await chair.getByLabel('Số điện thoại').fill('0912 345 678');
    expect(await submit(chair, 'Lưu')).toBe(303);
    await expect(chair.getByLabel('Số điện thoại').inputValue()).resolves.toBe('0912345678');

    await chair.getByLabel('Tên', { exact: true }).fill('Hường');
    await chair.getByLabel('Ghi chú').fill('Sai dấu trong tên');
    expect(await submit(chair, 'Gửi yêu cầu')).toBe(303);
    await expect(chair.getByText('Đang chờ duyệt').count()).resolves.toBe(1);
    await lookAt(chair, 'learn-profile-requested');

    const hr = await portal.open('desktop', 'hrHanoi');
    await hr.goto('/hr');
    await hr.getByRole('link', { name: 'Yêu cầu sửa hồ sơ' }).click();
    await expect(heading(hr)).resolves.toBe('Yêu cầu sửa hồ sơ');
    await lookAt(hr, 'hr-profile-requests');
    expect(await submit(hr, 'Duyệt và cập nhật hồ sơ')).toBe(303);
    await expect(hr.getByText('Không có yêu cầu nào đang chờ duyệt.').count()).resolves.toBe(1);

    await chair.reload();
    await expect(chair.getByRole('heading', { level: 2 }).first().textContent()).resolves.toBe(
      'Nguyễn Thị Hường',
    );
    const [account] = await portal.t.dataSource.query<{ email: string }[]>(
      `SELECT email FROM user_accounts WHERE email = $1`,
      [DEMO.chair],
    );
    expect(account.email).toBe(DEMO.chair);
  });
});
