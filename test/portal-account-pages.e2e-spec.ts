import { DEMO_PASSWORD } from '../src/seed/demo-data';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';

const GOOD = 'Sen-hồng-nở-2027';
const OTHER_GOOD = 'Trăng-rằm-sáng-2028';

interface Browser {
  cookie: string;
  csrf: string;
}

describe('portal: password and account pages', () => {
  let t: TestApp;
  let count = 0;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: 'https://lms.congdoan.test' });
  });

  afterAll(async () => {
    await t.close();
  });

  /** A browser that has opened the sign-in page: its CSRF cookie, no session. */
  async function anonymous(): Promise<Browser> {
    const page = await t.http.get('/sign-in').expect(200);
    const csrf = /lms_csrf=([^;]+)/.exec(String(page.headers['set-cookie']))![1];
    return { cookie: `lms_csrf=${csrf}`, csrf };
  }

  async function signedIn(email: string, password = DEMO_PASSWORD): Promise<Browser> {
    const browser = await anonymous();
    const res = await t.http
      .post('/sign-in')
      .set('Cookie', browser.cookie)
      .type('form')
      .send({ _csrf: browser.csrf, email, password });
    expect(res.status).toBe(303);
    const session = /lms_session=([^;]+)/.exec(String(res.headers['set-cookie']))![1];
    return { cookie: `lms_session=${session}; ${browser.cookie}`, csrf: browser.csrf };
  }

  const post = (browser: Browser, path: string, form: Record<string, string>) =>
    t.http
      .post(path)
      .set('Cookie', browser.cookie)
      .type('form')
      .send({ _csrf: browser.csrf, ...form });

  const get = (browser: Browser, path: string) => t.http.get(path).set('Cookie', browser.cookie);

  async function invitedPerson(email: string): Promise<{ personId: string; token: string }> {
    count += 1;
    const person = await t.http
      .post('/api/v1/people')
      .set(bearer(t.tokens.admin))
      .send({
        familyName: 'Vũ',
        middleName: 'Thị',
        givenName: `Lan${count}`,
        homeOrgUnitId: await t.unitId('HN-HD-MAY'),
        email,
      })
      .expect(201);
    const personId = person.body.id as string;
    await t.http
      .post('/api/v1/accounts/invitations')
      .set(bearer(t.tokens.admin))
      .send({ personId })
      .expect(201);
    return { personId, token: await linkToken(personId, 'account_invited') };
  }

  async function linkToken(personId: string, event: string): Promise<string> {
    const [row] = await t.dataSource.query<{ payload: { link: { url: string } } }[]>(
      `SELECT payload FROM notification_outbox WHERE person_id = $1 AND event = $2
        ORDER BY created_at DESC, id DESC LIMIT 1`,
      [personId, event],
    );
    const url = row.payload.link.url;
    return url.slice(url.lastIndexOf('/') + 1);
  }

  it('the sign-in page links to the forgotten-password page, in both languages', async () => {
    const vi = await t.http.get('/sign-in').expect(200);
    expect(vi.text).toContain('<a href="/forgot-password">Quên mật khẩu?</a>');
    const en = await t.http.get('/sign-in').set('Cookie', 'lms_lang=en').expect(200);
    expect(en.text).toContain('<a href="/forgot-password">Forgot your password?</a>');
  });

  it('forgotten password: one page, the same answer for a known and an unknown e-mail', async () => {
    const browser = await anonymous();
    const page = await get(browser, '/forgot-password').expect(200);
    expect(page.text).toContain('<h1>Quên mật khẩu</h1>');
    expect(page.text).toContain('<label for="email">Email</label>');
    expect(page.text).toContain('name="_csrf"');

    const known = await post(browser, '/forgot-password', { email: DEMO.hrHanoi }).expect(200);
    const unknown = await post(browser, '/forgot-password', {
      email: 'khong.ai.ca@lms.congdoan.test',
    }).expect(200);
    const answer =
      'Nếu email này có tài khoản đang hoạt động, hệ thống đã gửi đường dẫn đặt lại mật khẩu (hiệu lực 1 giờ).';
    expect(known.text).toContain(answer);
    expect(unknown.text).toContain(answer);
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '');
    expect(strip(known.text)).toBe(strip(unknown.text));

    const bad = await post(browser, '/forgot-password', { email: 'khong-phai-email' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Dữ liệu gửi lên không hợp lệ.');

    // Without the CSRF token: refused, nothing sent.
    const before = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM notification_outbox WHERE event = 'password_reset'`,
    );
    const forged = await t.http.post('/forgot-password').type('form').send({ email: DEMO.hrHanoi });
    expect(forged.status).toBe(403);
    const after = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM notification_outbox WHERE event = 'password_reset'`,
    );
    expect(after).toEqual(before);
  });

  it('an invitation link opens the set-password page; the password is set and signs in', async () => {
    const { token } = await invitedPerson('vu.lan.moi@lms.congdoan.test');
    const browser = await anonymous();
    const page = await get(browser, `/set-password/${token}`).expect(200);
    expect(page.text).toContain('<h1>Đặt mật khẩu cho tài khoản</h1>');
    expect(page.text).toContain('Tài khoản: vu.lan.moi@lms.congdoan.test');
    expect(page.text).toContain('<label for="password">Mật khẩu mới</label>');
    expect(page.text).toContain('<label for="confirm">Nhập lại mật khẩu mới</label>');
    const en = await get(
      { ...browser, cookie: `${browser.cookie}; lms_lang=en` },
      `/set-password/${token}`,
    ).expect(200);
    expect(en.text).toContain('<h1>Set the password of your account</h1>');

    const mismatch = await post(browser, `/set-password/${token}`, {
      password: GOOD,
      confirm: OTHER_GOOD,
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('Hai lần nhập mật khẩu mới không giống nhau.');
    const weak = await post(browser, `/set-password/${token}`, {
      password: 'matkhau123',
      confirm: 'matkhau123',
    });
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('Mật khẩu này quá phổ biến, dễ bị đoán: hãy chọn mật khẩu khác.');

    const done = await post(browser, `/set-password/${token}`, { password: GOOD, confirm: GOOD });
    expect({ status: done.status, to: done.headers.location }).toEqual({
      status: 303,
      to: '/sign-in?done=password',
    });
    const signIn = await get(browser, '/sign-in?done=password').expect(200);
    expect(signIn.text).toContain('Đã lưu mật khẩu. Mời đồng chí đăng nhập bằng mật khẩu mới.');
    await signedIn('vu.lan.moi@lms.congdoan.test', GOOD);

    // The spent link: the page says so and offers a new one.
    const spent = await get(browser, `/set-password/${token}`);
    expect(spent.status).toBe(400);
    expect(spent.text).toContain(
      'Đường dẫn đặt mật khẩu này đã được dùng hoặc đã được thay bằng đường dẫn mới hơn.',
    );
    expect(spent.text).toContain('<a href="/forgot-password">Yêu cầu đường dẫn mới</a>');
    const nonsense = await get(browser, '/set-password/abc');
    expect(nonsense.status).toBe(400);
    expect(nonsense.text).toContain('Đường dẫn đặt mật khẩu không hợp lệ.');
  });

  it('a reset link opens the reset page; an expired one says so', async () => {
    const { personId, token: invite } = await invitedPerson('vu.lan.quen@lms.congdoan.test');
    await t.http
      .post('/api/v1/auth/password/set')
      .send({ token: invite, password: GOOD })
      .expect(204);
    const browser = await anonymous();
    await post(browser, '/forgot-password', { email: 'vu.lan.quen@lms.congdoan.test' }).expect(200);
    const token = await linkToken(personId, 'password_reset');
    const page = await get(browser, `/reset-password/${token}`).expect(200);
    expect(page.text).toContain('<h1>Đặt lại mật khẩu</h1>');
    await t.dataSource.query(
      `UPDATE account_tokens SET created_at = now() - interval '2 hours',
              expires_at = now() - interval '1 hour' WHERE token_hash IS NOT NULL
          AND user_id = (SELECT id FROM user_accounts WHERE person_id = $1) AND purpose = 'reset'`,
      [personId],
    );
    const expired = await post(browser, `/reset-password/${token}`, {
      password: OTHER_GOOD,
      confirm: OTHER_GOOD,
    });
    expect(expired.status).toBe(400);
    expect(expired.text).toContain('Đường dẫn đặt mật khẩu đã hết hạn: hãy yêu cầu đường dẫn mới.');
    await signedIn('vu.lan.quen@lms.congdoan.test', GOOD);
  });

  it('the signed-in user changes their password; other sessions end', async () => {
    const { token } = await invitedPerson('vu.lan.doi@lms.congdoan.test');
    await t.http.post('/api/v1/auth/password/set').send({ token, password: GOOD }).expect(204);
    const here = await signedIn('vu.lan.doi@lms.congdoan.test', GOOD);
    const elsewhere = await signedIn('vu.lan.doi@lms.congdoan.test', GOOD);
    const page = await get(here, '/password').expect(200);
    expect(page.text).toContain('<h1>Đổi mật khẩu</h1>');
    expect(page.text).toContain('<label for="currentPassword">Mật khẩu hiện tại</label>');
    expect(page.text).toContain('<a href="/password" class="who">Đổi mật khẩu</a>');

    const wrong = await post(here, '/password', {
      currentPassword: 'Sai-mật-khẩu-1',
      newPassword: OTHER_GOOD,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Mật khẩu hiện tại không đúng.');

    const done = await post(here, '/password', {
      currentPassword: GOOD,
      newPassword: OTHER_GOOD,
    });
    expect({ status: done.status, to: done.headers.location }).toEqual({
      status: 303,
      to: '/password?done=changed',
    });
    const after = await get(here, '/password?done=changed').expect(200);
    expect(after.text).toContain('Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.');
    const gone = await get(elsewhere, '/password');
    expect({ status: gone.status, to: gone.headers.location }).toEqual({
      status: 303,
      to: '/sign-in?next=%2Fpassword',
    });
    // Without a session, the page asks to sign in first.
    const visitor = await anonymous();
    expect((await get(visitor, '/password')).status).toBe(303);
  });

  describe('administrator actions', () => {
    it('lists accounts with their status and filters; invites, deactivates and reactivates', async () => {
      const admin = await signedIn(DEMO.admin);
      const list = await get(admin, '/admin?q=nguyen%20thi%20huong').expect(200);
      expect(list.text).toContain('chutich.mayhadong@lms.congdoan.test');
      expect(list.text).not.toContain('hr.hanoi@lms.congdoan.test</a>');
      expect(list.text).toContain('<h2>Mời một cán bộ</h2>');
      expect(list.text).toContain('<h2>Mời hàng loạt người giữ chức danh chưa có tài khoản</h2>');
      expect(list.text).toContain('<option value="chair" selected>Chủ tịch</option>');
      const badFilter = await get(admin, '/admin?status=asleep');
      expect(badFilter.status).toBe(400);

      count += 1;
      const person = await t.http
        .post('/api/v1/people')
        .set(bearer(t.tokens.admin))
        .send({
          familyName: 'Phạm',
          givenName: `Mời${count}`,
          homeOrgUnitId: await t.unitId('HN-HD-MAY'),
        })
        .expect(201);
      const personId = person.body.id as string;
      const noEmail = await post(admin, '/admin/invitations', { personId, email: '' });
      expect(noEmail.status).toBe(422);
      expect(noEmail.text).toContain(
        'Cán bộ này chưa có địa chỉ email: hãy nhập email cho lời mời.',
      );
      const invited = await post(admin, '/admin/invitations', {
        personId,
        email: 'pham.moi@lms.congdoan.test',
      });
      expect(invited.status).toBe(303);
      const accountPath = String(invited.headers.location).replace(/\?.*$/, '');
      const page = await get(admin, `${accountPath}?done=invited`).expect(200);
      expect(page.text).toContain('Đã gửi lời mời kèm đường dẫn đặt mật khẩu (hiệu lực 7 ngày).');
      expect(page.text).toContain('Chờ đặt mật khẩu');
      expect(page.text).toContain('Gửi lại lời mời');
      const first = await linkToken(personId, 'account_invited');
      await post(admin, `${accountPath}/reinvite`, {}).expect(303);
      const second = await linkToken(personId, 'account_invited');
      expect(second).not.toBe(first);
      await t.http
        .post('/api/v1/auth/password/set')
        .send({ token: second, password: GOOD })
        .expect(204);
      const owner = await signedIn('pham.moi@lms.congdoan.test', GOOD);
      await get(owner, '/learn').expect(200);

      const noReason = await post(admin, `${accountPath}/deactivate`, { reason: '' });
      expect(noReason.status).toBe(400);
      await get(owner, '/learn').expect(200);
      await post(admin, `${accountPath}/deactivate`, { reason: 'Nghỉ hưu' }).expect(303);
      const deactivated = await get(admin, `${accountPath}?done=deactivated`).expect(200);
      expect(deactivated.text).toContain(
        'Đã vô hiệu hóa tài khoản; mọi phiên đăng nhập của tài khoản đã kết thúc.',
      );
      expect(deactivated.text).toContain('Kích hoạt lại');
      // The owner's browser session ended at once.
      const ended = await get(owner, '/learn');
      expect(ended.status).toBe(303);
      await post(admin, `${accountPath}/reactivate`, {}).expect(303);
      await signedIn('pham.moi@lms.congdoan.test', GOOD);

      const dry = await post(admin, '/admin/invitations/bulk', {
        orgUnitId: await t.unitId('HN-HD'),
        postType: 'vice_chair',
        dryRun: 'on',
      }).expect(200);
      expect(dry.text).toContain(
        'Chạy thử — sẽ mời: 3; thiếu email: 0; email đã được dùng: 0; đã có tài khoản: 0.',
      );
    });

    it('the forms refuse other roles and forged requests', async () => {
      const hr = await signedIn(DEMO.hrHanoi);
      const [account] = await t.dataSource.query<{ id: string }[]>(
        `SELECT id FROM user_accounts WHERE email = $1`,
        [DEMO.chair],
      );
      const refused = await post(hr, `/admin/accounts/${account.id}/deactivate`, {
        reason: 'Không có quyền',
      });
      expect(refused.status).toBe(403);
      const admin = await signedIn(DEMO.admin);
      const forged = await t.http
        .post(`/admin/accounts/${account.id}/deactivate`)
        .set('Cookie', admin.cookie)
        .type('form')
        .send({ reason: 'Giả mạo' });
      expect(forged.status).toBe(403);
      const [still] = await t.dataSource.query<{ active: boolean }[]>(
        `SELECT active FROM user_accounts WHERE id = $1`,
        [account.id],
      );
      expect(still.active).toBe(true);
    });
  });
});
