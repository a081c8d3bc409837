import { DEMO_PASSWORD } from '../src/seed/demo-data';
import { personIdByEmail } from './support/programme-fixtures';
import { createTestApp, DEMO, TestApp } from './support/test-app';

/** A signed-in browser's cookies for an account. */
async function browserOf(t: TestApp, email: string): Promise<{ cookie: string; csrf: string }> {
  const page = await t.http.get('/sign-in');
  const csrf = /lms_csrf=([^;]+)/.exec(String(page.headers['set-cookie']))![1];
  const res = await t.http
    .post('/sign-in')
    .set('Cookie', `lms_csrf=${csrf}`)
    .type('form')
    .send({ _csrf: csrf, email, password: DEMO_PASSWORD });
  const session = /lms_session=([^;]+)/.exec(String(res.headers['set-cookie']))![1];
  return { cookie: `lms_session=${session}; lms_csrf=${csrf}`, csrf };
}

describe('portal: my profile and the HR queue of change requests', () => {
  let t: TestApp;
  let chair: { cookie: string; csrf: string };
  let hr: { cookie: string; csrf: string };
  let officer: { cookie: string; csrf: string };
  let chairId: string;

  beforeAll(async () => {
    t = await createTestApp();
    chair = await browserOf(t, DEMO.chair);
    hr = await browserOf(t, DEMO.hrHanoi);
    officer = await browserOf(t, DEMO.officerHanoi);
    chairId = await personIdByEmail(t.dataSource, DEMO.chair);
    await t.dataSource.query(
      `UPDATE people SET national_id = '001185000321', phone = NULL WHERE id = $1`,
      [chairId],
    );
  }, 120_000); // boots the app and signs several people in: slow on a busy machine

  afterAll(async () => {
    await t?.close();
  });

  const get = (path: string, who: { cookie: string }, lang?: string) => {
    const call = t.http.get(path).set('Cookie', who.cookie);
    return lang ? call.set('Accept-Language', lang) : call;
  };
  const post = (
    path: string,
    who: { cookie: string; csrf: string },
    form: Record<string, string>,
  ) =>
    t.http
      .post(path)
      .set('Cookie', who.cookie)
      .type('form')
      .send({ _csrf: who.csrf, ...form });

  const personRow = async () =>
    (
      await t.dataSource.query<
        { phone: string | null; email: string | null; given_name: string; full_name: string }[]
      >(`SELECT phone, email, given_name, full_name FROM people WHERE id = $1`, [chairId])
    )[0];

  it('renders "Hồ sơ của tôi" in Vietnamese with her own CCCD and a dd/mm/yyyy birth date, linked from home', async () => {
    const home = await get('/learn', chair).expect(200);
    expect(home.text).toContain('href="/learn/profile"');
    const res = await get('/learn/profile', chair).expect(200);
    expect(res.text).toContain('<h1>Hồ sơ của tôi</h1>');
    expect(res.text).toContain('Nguyễn Thị Hương');
    expect(res.text).toContain('<dd>02/09/1985</dd>');
    // The request form's birth date is typed as people write dates.
    expect(res.text).toContain('value="02/09/1985"');
    expect(res.text).toContain('001185000321');
    expect(res.text).toContain('name="_csrf"');
    expect(res.text).toContain('action="/learn/profile/contact"');
    expect(res.text).toContain('Bạn chưa gửi yêu cầu nào.');
    const en = await get('/learn/profile', chair, 'en').expect(200);
    expect(en.text).toContain('<h1>My profile</h1>');
  });

  it('changes her phone with the CSRF token (normalised), and refuses without it', async () => {
    const refused = await t.http
      .post('/learn/profile/contact')
      .set('Cookie', chair.cookie)
      .type('form')
      .send({ phone: '0912 345 678' });
    expect(refused.status).toBe(403);
    expect((await personRow()).phone).toBeNull();

    const res = await post('/learn/profile/contact', chair, {
      phone: '0912.345.678',
      email: 'huong@example.vn',
      locale: 'vi',
      emailNotifications: 'on',
    });
    expect({ status: res.status, to: res.headers.location }).toEqual({
      status: 303,
      to: '/learn/profile?done=contact',
    });
    expect(await personRow()).toMatchObject({ phone: '0912345678', email: 'huong@example.vn' });
    const page = await get('/learn/profile?done=contact', chair).expect(200);
    expect(page.text).toContain('Đã lưu thông tin liên hệ và tùy chọn thông báo.');
    expect(page.text).toContain('value="0912345678"');
  });

  it('shows a wrong phone on the form with 400, keeping what was typed and changing nothing', async () => {
    const res = await post('/learn/profile/contact', chair, {
      phone: '0123',
      email: 'huong@example.vn',
      locale: 'vi',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('class="field-error"');
    expect(res.text).toContain('value="0123"');
    expect((await personRow()).phone).toBe('0912345678');
  });

  it('sends a change request that HR approves from the queue; she can withdraw another', async () => {
    const sent = await post('/learn/profile/requests', chair, {
      familyName: 'Nguyễn',
      middleName: 'Thị',
      givenName: 'Hường',
      birthDate: '02/09/1985',
      gender: 'female',
      nationalId: '001185000321',
      note: 'Sai dấu',
    });
    expect({ status: sent.status, to: sent.headers.location }).toEqual({
      status: 303,
      to: '/learn/profile?done=requested',
    });
    const mine = await get('/learn/profile', chair).expect(200);
    expect(mine.text).toContain('Đang chờ duyệt');
    expect(mine.text).toContain('Hường');

    // HR's navigation leads to the queue, which shows the current and the requested name.
    const people = await get('/hr', hr).expect(200);
    expect(people.text).toContain('href="/hr/profile-requests"');
    const queue = await get('/hr/profile-requests', hr).expect(200);
    expect(queue.text).toContain('<h1>Yêu cầu sửa hồ sơ</h1>');
    expect(queue.text).toContain('Nguyễn Thị Hương');
    expect(queue.text).toContain('Hường');
    const [{ id }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM profile_change_requests WHERE person_id = $1 AND state = 'pending'`,
      [chairId],
    );
    expect(queue.text).toContain(`action="/hr/profile-requests/${id}/approve"`);

    // A rejection without a reason is shown on the page, nothing decided.
    const noReason = await post(`/hr/profile-requests/${id}/reject`, hr, { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('class="alert"');

    const approved = await post(`/hr/profile-requests/${id}/approve`, hr, { note: 'Đúng CCCD' });
    expect({ status: approved.status, to: approved.headers.location }).toEqual({
      status: 303,
      to: '/hr/profile-requests?done=approved',
    });
    expect(await personRow()).toMatchObject({ given_name: 'Hường', full_name: 'Nguyễn Thị Hường' });
    const after = await get('/hr/profile-requests?done=approved', hr).expect(200);
    expect(after.text).toContain('Đã duyệt yêu cầu; hồ sơ cán bộ đã được cập nhật.');
    expect(after.text).not.toContain(`/hr/profile-requests/${id}/approve`);

    // Another request, withdrawn by her.
    await post('/learn/profile/requests', chair, { givenName: 'Hương', note: 'Nhầm' }).expect(303);
    const [{ id: second }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM profile_change_requests WHERE person_id = $1 AND state = 'pending'`,
      [chairId],
    );
    const withdrawn = await post(`/learn/profile/requests/${second}/withdraw`, chair, {});
    expect(withdrawn.headers.location).toBe('/learn/profile?done=withdrawn');
    const page = await get('/learn/profile', chair).expect(200);
    expect(page.text).toContain('Đã rút');
    expect(page.text).toContain('Đã duyệt');
    expect(page.text).toContain('Đúng CCCD');
  });

  it('refuses a request that changes nothing with 400 on the form', async () => {
    const res = await post('/learn/profile/requests', chair, {
      familyName: 'Nguyễn',
      middleName: 'Thị',
      givenName: 'Hường',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('class="alert"');
    const badDay = await post('/learn/profile/requests', chair, { birthDate: '31/02/1985' });
    expect(badDay.status).toBe(400);
    expect(badDay.text).toContain('value="31/02/1985"');
    expect(badDay.text).toContain('class="field-error"');
  });

  it('answers 403 pages to a chair and a training officer on the HR queue', async () => {
    for (const who of [chair, officer]) {
      const res = await get('/hr/profile-requests', who);
      expect(res.status).toBe(403);
    }
    const [{ id }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM profile_change_requests WHERE person_id = $1 ORDER BY created_at LIMIT 1`,
      [chairId],
    );
    const res = await post(`/hr/profile-requests/${id}/approve`, officer, {});
    expect(res.status).toBe(403);
  });
});
