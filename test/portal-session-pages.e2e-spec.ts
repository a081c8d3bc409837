import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';
import { toVnLocal } from '../src/courses/session-time';
import { DEMO_PASSWORD } from '../src/seed/demo-data';
import { binary } from './support/binary-body';
import { useFixedClock } from './support/clock';
import { extractPdfText } from './support/pdf-text';
import { bearer, createTestApp, DEMO, DemoAccount, TestApp } from './support/test-app';

jest.setTimeout(90_000);

interface Cookies {
  cookie: string;
  csrf: string;
}

/** A signed-in browser's cookies for a demo account. */
async function sessionOf(t: TestApp, account: DemoAccount): Promise<Cookies> {
  const page = await t.http.get('/sign-in');
  const csrf = /lms_csrf=([^;]+)/.exec(String(page.headers['set-cookie']))![1];
  const res = await t.http
    .post('/sign-in')
    .set('Cookie', `lms_csrf=${csrf}`)
    .type('form')
    .send({ _csrf: csrf, email: DEMO[account], password: DEMO_PASSWORD });
  const session = /lms_session=([^;]+)/.exec(String(res.headers['set-cookie']))![1];
  return { cookie: `lms_session=${session}; lms_csrf=${csrf}`, csrf };
}

/** The text of a page: tags dropped, entities of quotes read, spaces folded. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** The card of the page whose id is given: up to the next card. */
function cardOf(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return '';
  const end = html.indexOf('<li class="card', start);
  return html.slice(start, end < 0 ? undefined : end);
}

const HOUR = 3_600_000;
const vnIn = (hours: number) => toVnLocal(new Date(Date.now() + hours * HOUR)).slice(0, 16);
const uniq = () => randomBytes(3).toString('hex').toUpperCase();

/**
 * Issue 17 in the portal: the learner's sessions of a course (days in Vietnam time, venue, seats
 * left), sign-up (booked, or waitlisted with a place), cancellation and its cut-off, and the QR
 * check-in address; the officer's month calendar, session page with confirmed status actions
 * and bookings, the session form with refusals beside each field, the attendance sheet and the
 * QR screen. Scope and rights are the API's: another province's session is the not-found page,
 * a learner gets the forbidden page on officer pages.
 */
describe('portal: classroom sessions', () => {
  let t: TestApp;
  let officer: Cookies;
  let chair: Cookies;
  let chairPerson: string;
  let officerPerson: string;
  let courseId: string;
  let waitCourseId: string;
  /** A: in March 2031, two seats; draft: never shown to learners; today: its day under way. */
  const ids = {} as Record<'a' | 'draft' | 'today' | 'full', string>;
  let aTitle: string;

  const officerApi = () => bearer(t.tokens.officerHanoi);
  const api = (url: string, body: object = {}) => t.http.post(url).set(officerApi()).send(body);
  const get = (path: string, who: Cookies = chair) => t.http.get(path).set('Cookie', who.cookie);
  const post = (path: string, form: Record<string, string> = {}, who: Cookies = chair) =>
    t.http
      .post(path)
      .set('Cookie', who.cookie)
      .type('form')
      .send({ _csrf: who.csrf, ...form });

  /** A file the portal streams, as bytes with its headers. */
  const download = async (path: string, who: Cookies) => {
    const res = await t.http
      .get(path)
      .set('Cookie', who.cookie)
      .buffer(true)
      .parse(binary)
      .expect(200);
    return res as unknown as { body: Buffer; headers: Record<string, string> };
  };

  const newCourse = async (mode: string) => {
    const code = `SP-${uniq()}`;
    const course = await api('/api/v1/courses', {
      code,
      title: `Kỹ năng tổ chức đối thoại ${code}`,
      deliveryMode: mode,
      durationHours: 16,
      ownerOrgUnitId: await t.unitId('HN'),
    }).expect(201);
    const id = course.body.id as string;
    await api(`/api/v1/courses/${id}/lessons`, {
      title: 'Bài 1',
      kind: 'text',
      content: 'Nội dung',
    }).expect(201);
    await api(`/api/v1/courses/${id}/publish`).expect(200);
    return id;
  };

  const session = (over: Record<string, unknown> = {}) => ({
    title: `Lớp đối thoại — đợt ${uniq()}`,
    days: [
      { startsAt: '2031-03-12T08:00', endsAt: '2031-03-12T16:30' },
      { startsAt: '2031-03-13T08:00', endsAt: '2031-03-13T11:30' },
    ],
    venue: {
      name: 'Trường Cán bộ Công đoàn Hà Nội',
      address: '65 Quán Sứ, Hoàn Kiếm',
      room: `P.${uniq()}`,
      capacity: 30,
    },
    externalTrainers: ['TS. Nguyễn Văn Ánh'],
    signupOpensAt: vnIn(-24),
    signupClosesAt: '2031-03-01T08:00',
    maxSeats: 2,
    ...over,
  });

  const open = async (course: string, over: Record<string, unknown> = {}) => {
    const created = await api(`/api/v1/courses/${course}/sessions`, session(over)).expect(201);
    await api(`/api/v1/sessions/${created.body.id}/open`).expect(200);
    return { id: created.body.id as string, title: created.body.title as string };
  };

  const bookingOf = async (sessionId: string, person = chairPerson) =>
    (
      await t.dataSource.query<{ id: string; status: string }[]>(
        `SELECT id, status FROM session_bookings WHERE session_id = $1 AND person_id = $2
          ORDER BY request_seq DESC LIMIT 1`,
        [sessionId, person],
      )
    )[0];

  beforeAll(async () => {
    t = await createTestApp();
    officer = await sessionOf(t, 'officerHanoi');
    chair = await sessionOf(t, 'chair');
    const people = await t.dataSource.query<{ email: string; person_id: string }[]>(
      `SELECT email, person_id FROM user_accounts WHERE email = ANY($1::text[])`,
      [[DEMO.chair, DEMO.officerHanoi]],
    );
    chairPerson = people.find((p) => p.email === DEMO.chair)!.person_id;
    officerPerson = people.find((p) => p.email === DEMO.officerHanoi)!.person_id;
    courseId = await newCourse('classroom');
    await api('/api/v1/enrolments', { courseId, personIds: [chairPerson] }).expect(200);
    const a = await open(courseId);
    ids.a = a.id;
    aTitle = a.title;
    ids.draft = (
      await api(`/api/v1/courses/${courseId}/sessions`, session({ title: 'Lớp nháp chưa mở' }))
    ).body.id as string;
    // A day under way: sign-up closed at its start, so the officer books the chair.
    ids.today = (
      await open(courseId, {
        days: [{ startsAt: vnIn(-0.25), endsAt: vnIn(4) }],
        venue: undefined,
        onlineUrl: 'https://meet.congdoan.vn/doi-thoai',
        signupClosesAt: vnIn(-0.25),
      })
    ).id;
    // A second course whose only seat the officer holds: the chair joins its waitlist.
    waitCourseId = await newCourse('blended');
    await api('/api/v1/enrolments', {
      courseId: waitCourseId,
      personIds: [chairPerson, officerPerson],
    }).expect(200);
    ids.full = (await open(waitCourseId, { maxSeats: 1 })).id;
    await api(`/api/v1/sessions/${ids.full}/bookings/bulk`, {
      personIds: [officerPerson],
    }).expect(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('links the course page to its sessions, shown with Vietnam days, venue and seats left', async () => {
    const [enrolment] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM enrolments WHERE course_id = $1 AND person_id = $2`,
      [courseId, chairPerson],
    );
    const course = await get(`/learn/enrolments/${enrolment.id}`).expect(200);
    expect(course.text).toContain(`href="/learn/courses/${courseId}/sessions"`);
    const res = await get(`/learn/courses/${courseId}/sessions`).expect(200);
    const text = textOf(res.text);
    expect(text).toContain('Lịch lớp học tập trung');
    expect(text).toContain(aTitle);
    expect(text).toContain('Ngày 1: Thứ Tư 12/03/2031, 08:00–16:30');
    expect(text).toContain('Ngày 2: Thứ Năm 13/03/2031, 08:00–11:30');
    expect(text).toContain('Trường Cán bộ Công đoàn Hà Nội');
    expect(text).toContain('65 Quán Sứ, Hoàn Kiếm');
    expect(text).toContain('TS. Nguyễn Văn Ánh');
    expect(text).toContain('Còn 2/2 chỗ');
    expect(text).toContain('https://meet.congdoan.vn/doi-thoai');
    // A draft is the officers' alone.
    expect(text).not.toContain('Lớp nháp chưa mở');
    expect(res.text).toContain(`action="/learn/sessions/${ids.a}/book"`);
  });

  it('books a seat through the sign-up form and cancels it before the cut-off', async () => {
    const res = await post(`/learn/sessions/${ids.a}/book`).expect(303);
    const booking = await bookingOf(ids.a);
    expect(booking.status).toBe('booked');
    expect(res.headers.location).toBe(
      `/learn/courses/${courseId}/sessions?booked=${booking.id}#mine`,
    );
    const page = await get(res.headers.location.split('#')[0]).expect(200);
    expect(textOf(page.text)).toContain(`Đăng ký thành công: bạn đã có chỗ trong lớp “${aTitle}”.`);
    expect(textOf(page.text)).toContain('Còn 1/2 chỗ');
    expect(textOf(page.text)).toContain('Bạn đã có chỗ trong lớp này.');
    // One booking per course: no sign-up button any more.
    expect(page.text).not.toContain(`action="/learn/sessions/${ids.a}/book"`);
    // Signing up twice is the API's refusal, beside the session.
    const twice = await post(`/learn/sessions/${ids.a}/book`);
    expect(twice.status).toBe(409);
    expect(textOf(twice.text)).toContain('Mỗi người chỉ giữ một đăng ký lớp học của một khóa');

    const mine = await get('/learn/bookings').expect(200);
    expect(textOf(mine.text)).toContain(aTitle);
    expect(textOf(mine.text)).toContain('Đã có chỗ');
    const cancelled = await post(`/learn/bookings/${booking.id}/cancel`).expect(303);
    expect(cancelled.headers.location).toBe('/learn/bookings?cancelled=1');
    expect((await bookingOf(ids.a)).status).toBe('cancelled');
    const after = await get(cancelled.headers.location).expect(200);
    expect(textOf(after.text)).toContain('Đã hủy đăng ký.');
  });

  it('puts the chair on the waitlist of a full session and says at which place', async () => {
    const res = await post(`/learn/sessions/${ids.full}/book`).expect(303);
    const page = await get(res.headers.location.split('#')[0]).expect(200);
    expect(textOf(page.text)).toContain('đã hết chỗ: bạn ở vị trí 1 trong danh sách chờ');
    expect((await bookingOf(ids.full)).status).toBe('waitlisted');
    const mine = await get('/learn/bookings').expect(200);
    expect(textOf(mine.text)).toContain('Trong danh sách chờ · vị trí chờ 1');
  });

  it('refuses a cancellation after the cut-off with the API’s message beside the booking', async () => {
    await api(`/api/v1/sessions/${ids.today}/bookings/bulk`, { personIds: [chairPerson] }).expect(
      200,
    );
    const booking = await bookingOf(ids.today);
    const res = await post(`/learn/bookings/${booking.id}/cancel`);
    expect(res.status).toBe(409);
    const card = cardOf(res.text, `b-${booking.id}`);
    expect(textOf(card)).toContain('Đã quá hạn tự hủy đăng ký');
    expect(card).toContain('role="alert"');
    expect((await bookingOf(ids.today)).status).toBe('booked');
    // From the course's page, the refusal stays beside that session.
    const fromCourse = await post(`/learn/bookings/${booking.id}/cancel`, { courseId });
    expect(fromCourse.status).toBe(409);
    expect(textOf(cardOf(fromCourse.text, `s-${ids.today}`))).toContain(
      'Đã quá hạn tự hủy đăng ký',
    );
  });

  it('checks in through the QR code’s address, and says why not when it cannot', async () => {
    const qr = await get(`/officer/sessions/${ids.today}/days/1/qr`, officer).expect(200);
    expect(qr.text).toContain('<svg role="img" aria-labelledby="qr-caption" class="qr-code"');
    // Reloaded when the code rotates: by portal.js, or by a meta refresh without script.
    expect(qr.text).toMatch(/<section class="qr-screen" data-reload-in="([1-9]|[1-5]\d|60)">/);
    expect(qr.text).toMatch(
      /<noscript><meta http-equiv="refresh" content="([1-9]|[1-5]\d|60)"><\/noscript>/,
    );
    expect(textOf(qr.text)).toContain('Quét mã để điểm danh');
    const address = /<code class="qr-url">([^<]+)<\/code>/
      .exec(qr.text)![1]
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    const path = new URL(address).pathname + new URL(address).search;
    expect(path).toMatch(/^\/learn\/check-in\?code=/);

    // Not signed in: sign in first, then back to the same address.
    const anonymous = await t.http.get(path).expect(303);
    expect(anonymous.headers.location).toBe(`/sign-in?next=${encodeURIComponent(path)}`);

    // The address only shows a button: a GET (a link on another site) writes nothing.
    const markOf = async () =>
      (
        await t.dataSource.query<{ status: string; source: string }[]>(
          `SELECT status, source FROM session_attendance
            WHERE session_id = $1 AND day_no = 1 AND person_id = $2`,
          [ids.today, chairPerson],
        )
      )[0];
    const confirm = await get(path).expect(200);
    expect(confirm.text).toContain('<form method="post" action="/learn/check-in"');
    expect(confirm.text).toContain(`<input type="hidden" name="_csrf" value="${chair.csrf}">`);
    expect(textOf(confirm.text)).toContain('Bấm nút dưới đây để điểm danh.');
    expect(textOf(/<button type="submit">(.*?)<\/button>/s.exec(confirm.text)![1])).toBe(
      'Điểm danh',
    );
    const code = decodeURIComponent(new URL(address).searchParams.get('code')!);
    const hidden = /<input type="hidden" name="code" value="([^"]*)">/
      .exec(confirm.text)![1]
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
    expect(hidden).toBe(code);
    expect(await markOf()).toBeUndefined();

    // Posted without the portal's CSRF field: refused, nothing written.
    const forged = await t.http
      .post('/learn/check-in')
      .set('Cookie', chair.cookie)
      .type('form')
      .send({ code });
    expect(forged.status).toBe(403);
    expect(await markOf()).toBeUndefined();

    const done = await post('/learn/check-in', { code: hidden }).expect(200);
    expect(textOf(done.text)).toContain('Đã điểm danh: Có mặt.');
    expect(await markOf()).toEqual({ status: 'present', source: 'check_in' });

    // Someone without a seat in the session.
    const hr = await sessionOf(t, 'hrHanoi');
    const notBooked = await post('/learn/check-in', { code }, hr);
    expect(notBooked.status).toBe(409);
    expect(textOf(notBooked.text)).toContain(
      'Bạn không có chỗ trong lớp học của mã điểm danh này.',
    );
    // A code that is no code, and one read three minutes ago (rotated twice since).
    const bad = await post('/learn/check-in', { code: 'abc' });
    expect(bad.status).toBe(422);
    expect(textOf(bad.text)).toContain('Mã điểm danh không hợp lệ.');
    const time = useFixedClock(t.app, new Date(Date.now() + 3 * 60_000));
    try {
      const old = await post('/learn/check-in', { code });
      expect(old.status).toBe(422);
      expect(textOf(old.text)).toContain('Mã điểm danh đã hết hạn');
      expect(textOf(old.text)).toContain('Mã QR đổi mỗi phút');
    } finally {
      time.restore();
    }
    // Without a code: a field to type it, which posts too; posted blank, asked again.
    const form = await get('/learn/check-in').expect(200);
    expect(form.text).toContain('<form method="post" action="/learn/check-in" class="stack">');
    expect(form.text).toContain('<input id="code" name="code" required');
    const blank = await post('/learn/check-in', { code: '  ' });
    expect(blank.status).toBe(400);
    expect(textOf(blank.text)).toContain('Hãy nhập mã điểm danh.');
  });

  it('shows the attendance sheet with the check-in and saves a bulk mark', async () => {
    const sheetPath = `/officer/sessions/${ids.today}/days/1/attendance`;
    const sheet = await get(sheetPath, officer).expect(200);
    const text = textOf(sheet.text);
    expect(text).toContain('Điểm danh');
    expect(text).toContain('Có mặt (tự điểm danh bằng QR)');
    expect(sheet.text).toMatch(new RegExp(`name="m_${chairPerson}" value="present" checked`));
    const saved = await post(sheetPath, { [`m_${chairPerson}`]: 'late' }, officer).expect(303);
    expect(saved.headers.location).toBe(`${sheetPath}?saved=1`);
    const after = await get(saved.headers.location, officer).expect(200);
    expect(textOf(after.text)).toContain('Đã lưu điểm danh của 1 người.');
    expect(after.text).toMatch(new RegExp(`name="m_${chairPerson}" value="late" checked`));
    // A value that is no mark: the API's refusal beside the row, nothing written.
    const refused = await post(sheetPath, { [`m_${chairPerson}`]: 'sleeping' }, officer);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(`id="m_${chairPerson}-error"`);
    const [mark] = await t.dataSource.query<{ status: string }[]>(
      `SELECT status FROM session_attendance WHERE session_id = $1 AND person_id = $2`,
      [ids.today, chairPerson],
    );
    expect(mark.status).toBe('late');
  });

  it('shows the officer a month’s calendar and a session with its bookings and waitlist', async () => {
    const calendar = await get('/officer/sessions?month=2031-03', officer).expect(200);
    const text = textOf(calendar.text);
    expect(text).toContain('Lịch lớp học');
    expect(text).toContain('Tháng 03/2031');
    expect(text).toContain('Thứ Tư 12/03/2031');
    expect(text).toContain('Thứ Năm 13/03/2031');
    expect(text).toContain('Lớp nháp chưa mở');
    expect(calendar.text).toContain(`href="/officer/sessions/${ids.a}"`);
    expect(calendar.text).toContain('href="/officer/sessions?month=2031-04"');
    // The tab of the officer's pages leads to it.
    expect((await get('/officer', officer).expect(200)).text).toContain('href="/officer/sessions"');

    const full = await get(`/officer/sessions/${ids.full}`, officer).expect(200);
    const names = await t.dataSource.query<{ id: string; full_name: string }[]>(
      `SELECT id, full_name FROM people WHERE id = ANY($1::uuid[])`,
      [[chairPerson, officerPerson]],
    );
    const nameOf = (id: string) => names.find((n) => n.id === id)!.full_name;
    const booked = full.text.slice(
      full.text.indexOf('id="booked-h"'),
      full.text.indexOf('id="waitlist-h"'),
    );
    const waitlist = full.text.slice(full.text.indexOf('id="waitlist-h"'));
    expect(booked).toContain(nameOf(officerPerson));
    expect(waitlist).toContain(`<li value="1">${nameOf(chairPerson)}`);
    // Its only seat is taken: full, and the chair waits.
    expect(textOf(full.text)).toContain('Đã đủ chỗ');
  });

  it('changes a status only once confirmed, and says what it did', async () => {
    const page = `/officer/sessions/${ids.a}`;
    const unconfirmed = await post(`${page}/status`, { action: 'close' }, officer);
    expect(unconfirmed.status).toBe(400);
    expect(textOf(unconfirmed.text)).toContain('Hãy đánh dấu ô xác nhận trước khi thực hiện.');
    const closed = await post(`${page}/status`, { action: 'close', confirm: 'yes' }, officer);
    expect(closed.status).toBe(303);
    expect(closed.headers.location).toBe(`${page}?done=close`);
    expect(textOf((await get(closed.headers.location, officer)).text)).toContain(
      'Đã khóa đăng ký.',
    );
    // An action that is none: 400, nothing changed.
    expect(
      (await post(`${page}/status`, { action: 'delete', confirm: 'yes' }, officer)).status,
    ).toBe(400);
    // Not from this state: the API's 409 on the page.
    const again = await post(`${page}/status`, { action: 'open', confirm: 'yes' }, officer);
    expect(again.status).toBe(409);
    const [row] = await t.dataSource.query<{ status: string }[]>(
      `SELECT status FROM class_sessions WHERE id = $1`,
      [ids.a],
    );
    expect(row.status).toBe('closed');
  });

  it('creates a session from the form, refusing bad values beside their fields', async () => {
    const form = await get(`/officer/courses/${courseId}/sessions/new`, officer).expect(200);
    expect(form.text).toContain('type="datetime-local" id="day0Start" name="day0Start"');
    const fields = {
      title: 'Lớp đối thoại — Sóc Sơn',
      day0Start: '2031-04-02T08:00',
      day0End: '2031-04-02T07:00',
      venueName: 'Nhà văn hóa huyện Sóc Sơn',
      venueCapacity: '20',
      signupOpensAt: '2031-03-01T08:00',
      signupClosesAt: '2031-03-30T17:00',
      maxSeats: '25',
      minSeats: '0',
      cancelCutoffHours: '24',
    };
    const refused = await post(`/officer/courses/${courseId}/sessions`, fields, officer);
    expect(refused.status).toBe(400);
    expect(textOf(/id="day0End-error">(.*?)<\/p>/s.exec(refused.text)![1])).toBe(
      'Phải sau giờ bắt đầu.',
    );
    expect(textOf(/id="maxSeats-error">(.*?)<\/p>/s.exec(refused.text)![1])).toBe(
      'Không được lớn hơn sức chứa của phòng học.',
    );
    expect(refused.text).toContain('value="Lớp đối thoại — Sóc Sơn"');
    const created = await post(
      `/officer/courses/${courseId}/sessions`,
      { ...fields, day0End: '2031-04-02T16:00', maxSeats: '20' },
      officer,
    ).expect(303);
    const id = /\/officer\/sessions\/([0-9a-f-]{36})\?saved=1$/.exec(created.headers.location)![1];
    const [row] = await t.dataSource.query<{ title: string; starts_at: Date; status: string }[]>(
      `SELECT s.title, d.starts_at, s.status FROM class_sessions s
         JOIN class_session_days d ON d.session_id = s.id WHERE s.id = $1`,
      [id],
    );
    expect(row.title).toBe('Lớp đối thoại — Sóc Sơn');
    expect(row.status).toBe('draft');
    // Entered in Vietnam time: 08:00 in Hà Nội is 01:00 UTC.
    expect(new Date(row.starts_at).toISOString()).toBe('2031-04-02T01:00:00.000Z');
    const edit = await get(`/officer/sessions/${id}/edit`, officer).expect(200);
    expect(edit.text).toContain('name="day0Start" value="2031-04-02T08:00"');
    const saved = await post(
      `/officer/sessions/${id}/edit`,
      {
        ...fields,
        day0End: '2031-04-02T16:00',
        maxSeats: '15',
        title: 'Lớp đối thoại — Sóc Sơn (sửa)',
      },
      officer,
    ).expect(303);
    expect(saved.headers.location).toBe(`/officer/sessions/${id}?saved=1`);
    const page = await get(saved.headers.location, officer).expect(200);
    expect(textOf(page.text)).toContain('Lớp đối thoại — Sóc Sơn (sửa)');
    expect(textOf(page.text)).toContain('Đã lưu lớp học.');
  });

  it('clears the online link emptied on the edit form, keeping the venue; refuses clearing both', async () => {
    const body = session({
      onlineUrl: 'https://meet.congdoan.vn/xoa-duong-dan',
      externalTrainers: ['TS. Nguyễn Văn Ánh', 'ThS. Lê Thị Hà'],
    });
    const created = await api(`/api/v1/courses/${courseId}/sessions`, body).expect(201);
    const id = created.body.id as string;
    const fields = {
      title: body.title,
      day0Start: '2031-03-12T08:00',
      day0End: '2031-03-12T16:30',
      day1Start: '2031-03-13T08:00',
      day1End: '2031-03-13T11:30',
      venueName: body.venue.name,
      venueAddress: body.venue.address,
      venueRoom: body.venue.room,
      venueCapacity: '30',
      onlineUrl: '',
      externalTrainers: '',
      signupOpensAt: body.signupOpensAt,
      signupClosesAt: body.signupClosesAt,
      minSeats: '0',
      maxSeats: '2',
      cancelCutoffHours: '24',
    };
    const rowOf = async () =>
      (
        await t.dataSource.query<
          { venue_name: string | null; online_url: string | null; external_trainers: string[] }[]
        >(`SELECT venue_name, online_url, external_trainers FROM class_sessions WHERE id = $1`, [
          id,
        ])
      )[0];
    await post(`/officer/sessions/${id}/edit`, fields, officer).expect(303);
    expect(await rowOf()).toEqual({
      venue_name: 'Trường Cán bộ Công đoàn Hà Nội',
      online_url: null,
      external_trainers: [],
    });

    // The venue emptied too: neither a venue nor a link, refused beside the venue's name.
    const refused = await post(
      `/officer/sessions/${id}/edit`,
      { ...fields, venueName: '', venueAddress: '', venueRoom: '', venueCapacity: '' },
      officer,
    );
    expect(refused.status).toBe(400);
    expect(textOf(/id="venueName-error">(.*?)<\/p>/s.exec(refused.text)![1])).toBe(
      'Cần địa điểm hoặc đường dẫn học trực tuyến.',
    );
    expect((await rowOf()).venue_name).toBe('Trường Cán bộ Công đoàn Hà Nội');

    // A link given instead of the venue: the venue is cleared.
    await post(
      `/officer/sessions/${id}/edit`,
      {
        ...fields,
        venueName: '',
        venueAddress: '',
        venueRoom: '',
        venueCapacity: '',
        onlineUrl: 'https://meet.congdoan.vn/truc-tuyen',
      },
      officer,
    ).expect(303);
    expect(await rowOf()).toEqual({
      venue_name: null,
      online_url: 'https://meet.congdoan.vn/truc-tuyen',
      external_trainers: [],
    });
  });

  it('downloads a booking’s .ics and the attendance sheet as PDF, CSV and XLSX', async () => {
    const bookings = await get('/learn/bookings').expect(200);
    const booking = await bookingOf(ids.today);
    expect(bookings.text).toContain(`href="/learn/bookings/${booking.id}/calendar.ics"`);
    expect(textOf(bookings.text)).toContain('Thêm vào lịch (.ics)');
    const ics = await download(`/learn/bookings/${booking.id}/calendar.ics`, chair);
    expect(ics.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(ics.headers['content-disposition']).toBe(
      `attachment; filename="lop-hoc-${booking.id}.ics"`,
    );
    const [today] = await t.dataSource.query<{ title: string }[]>(
      `SELECT title FROM class_sessions WHERE id = $1`,
      [ids.today],
    );
    const unfolded = ics.body.toString('utf8').replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain('BEGIN:VCALENDAR');
    expect(unfolded).toContain(today.title);

    const [chairName] = await t.dataSource.query<{ full_name: string }[]>(
      `SELECT full_name FROM people WHERE id = $1`,
      [chairPerson],
    );
    const page = await get(`/officer/sessions/${ids.today}`, officer).expect(200);
    const base = `/officer/sessions/${ids.today}/attendance-sheet`;
    for (const ext of ['pdf', 'csv', 'xlsx']) expect(page.text).toContain(`href="${base}.${ext}"`);
    expect(textOf(page.text)).toContain('Danh sách điểm danh');

    const pdf = await download(`${base}.pdf`, officer);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdfText = extractPdfText(pdf.body);
    expect(pdfText).toContain('DANH SÁCH ĐIỂM DANH HỌC VIÊN');
    expect(pdfText).toContain(chairName.full_name);

    const csv = await download(`${base}.csv`, officer);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="attendance-sheet-${ids.today}.csv"`,
    );
    const rows: string[][] = parse(csv.body, { bom: true });
    expect(rows[0].slice(0, 4)).toEqual(['STT', 'Họ và tên', 'Đơn vị', 'Chức vụ']);
    expect(rows.find((r) => r[1] === chairName.full_name)).toBeDefined();

    const xlsx = await download(`${base}.xlsx`, officer);
    expect(xlsx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.name).toBe('Điểm danh');
    expect(sheet.getRow(1).getCell(2).value).toBe('Họ và tên');
    expect(sheet.getRow(2).getCell(2).value).toBe(chairName.full_name);

    // Another extension is no download.
    expect((await get(`${base}.doc`, officer)).status).toBe(404);
  });

  it('keeps another province’s officer, and learners, out, as the API does', async () => {
    const bacNinh = await sessionOf(t, 'officerBacNinh');
    for (const path of [
      `/officer/sessions/${ids.a}`,
      `/officer/sessions/${ids.today}/days/1/attendance`,
      `/officer/sessions/${ids.today}/days/1/qr`,
      `/officer/courses/${courseId}/sessions`,
      `/officer/sessions/${ids.a}/edit`,
      `/officer/sessions/${ids.today}/attendance-sheet.pdf`,
      `/officer/sessions/${ids.today}/attendance-sheet.csv`,
      `/officer/sessions/${ids.today}/attendance-sheet.xlsx`,
      // Another person's booking: not found, as in the API.
      `/learn/bookings/${(await bookingOf(ids.today)).id}/calendar.ics`,
    ]) {
      const res = await get(path, bacNinh);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(textOf(res.text)).toMatch(/Không tìm thấy/);
    }
    const calendar = await get('/officer/sessions?month=2031-03', bacNinh).expect(200);
    expect(calendar.text).not.toContain(ids.a);
    const marked = await post(
      `/officer/sessions/${ids.today}/days/1/attendance`,
      { [`m_${chairPerson}`]: 'absent' },
      bacNinh,
    );
    expect(marked.status).toBe(404);
    // Someone not enrolled in the course does not see its sessions.
    expect((await get(`/learn/courses/${courseId}/sessions`, bacNinh)).status).toBe(404);
    for (const path of [
      '/officer/sessions',
      `/officer/sessions/${ids.a}`,
      `/officer/sessions/${ids.today}/attendance-sheet.csv`,
    ]) {
      const res = await get(path, chair);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
    const closed = await post(
      `/officer/sessions/${ids.full}/status`,
      { action: 'close', confirm: 'yes' },
      chair,
    );
    expect(closed.status).toBe(403);
    const [row] = await t.dataSource.query<{ status: string }[]>(
      `SELECT status FROM class_sessions WHERE id = $1`,
      [ids.full],
    );
    expect(row.status).toBe('full');
  });
});
