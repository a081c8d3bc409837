import { lookAt, Portal, startPortal } from './support/browser';

/** Issue 14: the public pages and the session in a real browser. */
describe('portal: signing in, the language switch, verification', () => {
  let portal: Portal;

  beforeAll(async () => {
    portal = await startPortal();
  });

  afterAll(async () => {
    await portal?.close();
  });

  it.each(['phone', 'desktop'] as const)(
    'refuses a wrong password in Vietnamese on a %s',
    async (width) => {
      const page = await portal.open(width);
      await page.goto('/');
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      await lookAt(page, 'sign-in');
      await page.getByLabel('Email').fill('chutich.mayhadong@lms.congdoan.test');
      await page.getByLabel('Mật khẩu').fill('sai mật khẩu');
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toContain(
        'Email hoặc mật khẩu không đúng',
      );
      await lookAt(page, 'sign-in-refused');
    },
  );

  it('switches to English and back', async () => {
    const page = await portal.open('phone');
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'EN' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('link', { name: 'VI' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Đăng nhập');
  });
});
