import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { toVnLocal } from '../../src/courses/session-time';
import { bearer, DEMO } from '../support/test-app';
import { lookAt, Portal, startPortal } from './support/browser';

/** Clicks what submits a form and waits for the page it leads to; its HTTP status. */
async function submit(page: Page, button: RegExp | string): Promise<number | undefined> {
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: button }).first().click(),
  ]);
  return response?.status();
}

const HOUR = 3_600_000;
const vnIn = (hours: number) => toVnLocal(new Date(Date.now() + hours * HOUR)).slice(0, 16);
const uniq = () => randomBytes(3).toString('hex').toUpperCase();
const width = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');

/**
 * Issue 17 in a real browser, on a 360 px phone and a 1280 px desktop: the chair opens the
 * sessions of a classroom course from its page, signs up, reads the refusal of a cancellation
 * after the cut-off and checks in with the classroom's QR address; the Hà Nội officer reads the
 * month's calendar, a session with its bookings, marks the day's attendance on a phone and shows
 * the QR screen. No serious accessibility problem on any of them, and no sideways scrolling.
 */
describe('portal: classroom sessions', () => {
  let portal: Portal;
  let courseId: string;
  let enrolmentId: string;
  let futureId: string;
  let todayId: string;
  let futureTitle: string;

  beforeAll(async () => {
    portal = await startPortal();
    const t = portal.t;
    const officer = bearer(t.tokens.officerHanoi);
    const api = (url: string, body: object = {}) => t.http.post(url).set(officer).send(body);
    const [chair] = await t.dataSource.query<{ person_id: string }[]>(
      `SELECT person_id FROM user_accounts WHERE email = $1`,
      [DEMO.chair],
    );
    const code = `LH-${uniq()}`;
    const course = await api('/api/v1/courses', {
      code,
      title: 'Nghiệp vụ công tác công đoàn cơ sở',
      deliveryMode: 'classroom',
      durationHours: 16,
      ownerOrgUnitId: await t.unitId('HN'),
    }).expect(201);
    courseId = course.body.id as string;
    await api(`/api/v1/courses/${courseId}/lessons`, {
      title: 'Bài 1: Tổ chức công đoàn cơ sở',
      kind: 'text',
      content: 'Nội dung',
    }).expect(201);
    await api(`/api/v1/courses/${courseId}/publish`).expect(200);
    const enrolled = await api('/api/v1/enrolments', {
      courseId,
      personIds: [chair.person_id],
    }).expect(200);
    enrolmentId = (
      await t.dataSource.query<{ id: string }[]>(
        `SELECT id FROM enrolments WHERE course_id = $1 AND person_id = $2`,
        [courseId, chair.person_id],
      )
    )[0].id;
    expect(enrolled.status).toBe(200);
    const session = async (over: Record<string, unknown>) => {
      const created = await api(`/api/v1/courses/${courseId}/sessions`, {
        title: `Lớp ${code} — đợt ${uniq()}`,
        venue: {
          name: 'Trường Cán bộ Công đoàn Hà Nội',
          address: '65 Quán Sứ, Hoàn Kiếm, Hà Nội',
          room: `P.${uniq()}`,
          capacity: 40,
        },
        externalTrainers: ['ThS. Phạm Thị Thu Hường'],
        signupOpensAt: vnIn(-48),
        maxSeats: 30,
        ...over,
      }).expect(201);
      await api(`/api/v1/sessions/${created.body.id}/open`).expect(200);
      return created.body as { id: string; title: string };
    };
    const future = await session({
      days: [
        { startsAt: vnIn(24 * 6), endsAt: vnIn(24 * 6 + 8) },
        { startsAt: vnIn(24 * 7), endsAt: vnIn(24 * 7 + 4) },
      ],
      signupClosesAt: vnIn(24 * 5),
    });
    futureId = future.id;
    futureTitle = future.title;
    // Under way now: its sign-up closed at its start, so another chair's place is booked by the officer.
    todayId = (
      await session({
        days: [{ startsAt: vnIn(-0.5), endsAt: vnIn(3) }],
        signupClosesAt: vnIn(-0.5),
      })
    ).id;
  }, 120_000);

  afterAll(async () => {
    await portal?.close();
  });

  it('opens the sessions from the course page and signs up, on a phone', async () => {
    const page = await portal.open('phone', 'chair');
    await page.goto(`/learn/enrolments/${enrolmentId}`);
    await page.getByRole('link', { name: 'Lịch lớp học tập trung' }).click();
    expect(await page.textContent('h1')).toBe('Lịch lớp học tập trung');
    const card = page.locator(`#s-${futureId}`);
    await expect(card.textContent()).resolves.toContain('Còn 30/30 chỗ');
    await expect(card.textContent()).resolves.toContain('Trường Cán bộ Công đoàn Hà Nội');
    await lookAt(page, 'sessions-learner');
    expect(await width(page)).toBe(360);
    expect(await submit(page, new RegExp(`^Đăng ký — ${futureTitle}`))).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đăng ký thành công');
    await expect(card.textContent()).resolves.toContain('Bạn đã có chỗ trong lớp này.');
    await lookAt(page, 'sessions-learner-booked');
    expect(await width(page)).toBe(360);
    const desktop = await portal.open('desktop', 'chair');
    await desktop.goto(`/learn/courses/${courseId}/sessions`);
    await lookAt(desktop, 'sessions-learner-booked');
  });

  it('shows my bookings and refuses a cancellation after the cut-off beside the booking', async () => {
    const t = portal.t;
    const officer = bearer(t.tokens.officerHanoi);
    const page = await portal.open('phone', 'chair');
    await page.goto('/learn/bookings');
    // Move the chair to the session under way (its cut-off long passed) through the officer.
    const [booking] = await t.dataSource.query<{ id: string }[]>(
      `SELECT b.id FROM session_bookings b JOIN user_accounts u ON u.person_id = b.person_id
        WHERE u.email = $1 AND b.session_id = $2 AND b.status = 'booked'`,
      [DEMO.chair, futureId],
    );
    await t.http
      .post(`/api/v1/bookings/${booking.id}/move`)
      .set(officer)
      .send({ toSessionId: todayId })
      .expect(200);
    await page.reload();
    await lookAt(page, 'sessions-bookings');
    const active = page.locator('.booking-card', { hasText: 'Đã có chỗ' });
    expect(await submit(page, /^Hủy đăng ký/)).toBe(409);
    await expect(page.locator('.booking-card .alert').textContent()).resolves.toContain(
      'Đã quá hạn tự hủy đăng ký',
    );
    await expect(active.count()).resolves.toBe(1);
    await lookAt(page, 'sessions-cancel-refused');
    expect(await width(page)).toBe(360);
  });

  it('lets the officer read the calendar and a session, mark attendance and show the QR', async () => {
    const desktop = await portal.open('desktop', 'officerHanoi');
    await desktop.goto('/officer');
    await desktop.getByRole('link', { name: 'Lịch lớp học' }).first().click();
    expect(await desktop.textContent('h1')).toBe('Lịch lớp học');
    await expect(desktop.locator('.calendar-entry').count()).resolves.toBeGreaterThan(0);
    await lookAt(desktop, 'sessions-calendar');
    const phone = await portal.open('phone', 'officerHanoi');
    await phone.goto('/officer/sessions');
    await lookAt(phone, 'sessions-calendar');
    expect(await width(phone)).toBe(360);

    await desktop.goto(`/officer/sessions/${todayId}`);
    await expect(desktop.locator('#booked-h + ol').textContent()).resolves.toContain(
      'Nguyễn Thị Hương',
    );
    await lookAt(desktop, 'sessions-officer-session');
    await phone.goto(`/officer/sessions/${todayId}`);
    await lookAt(phone, 'sessions-officer-session');
    expect(await width(phone)).toBe(360);

    // The QR screen, at desktop width (a classroom's screen) and on a phone.
    await desktop
      .getByRole('link', { name: /^Mã QR điểm danh/ })
      .first()
      .click();
    expect(await desktop.textContent('h1')).toBe('Quét mã để điểm danh');
    await expect(desktop.locator('svg.qr-code').count()).resolves.toBe(1);
    // The page reloads itself when the code rotates: a new code within a minute.
    const firstCode = await desktop.locator('.qr-url').textContent();
    await desktop.waitForEvent('load', { timeout: 65_000 });
    await expect(desktop.locator('.qr-url').textContent()).resolves.not.toBe(firstCode);
    await lookAt(desktop, 'sessions-qr');
    const address = (await desktop.locator('.qr-url').textContent())!;

    // The chair opens the code's address on a phone: a button to tap, then marked present.
    const chair = await portal.open('phone', 'chair');
    await chair.goto(new URL(address).pathname + new URL(address).search);
    await lookAt(chair, 'sessions-check-in-confirm');
    expect(await width(chair)).toBe(360);
    expect(await submit(chair, 'Điểm danh')).toBe(200);
    await expect(chair.getByRole('status').textContent()).resolves.toContain(
      'Đã điểm danh: Có mặt.',
    );
    await lookAt(chair, 'sessions-check-in');
    expect(await width(chair)).toBe(360);

    // The attendance sheet on a phone shows it, and takes a correction.
    await phone.goto(`/officer/sessions/${todayId}/days/1/attendance`);
    const row = phone.locator('.attendance-row', { hasText: 'Nguyễn Thị Hương' });
    await expect(row.textContent()).resolves.toContain('tự điểm danh bằng QR');
    await expect(row.getByLabel('Có mặt').isChecked()).resolves.toBe(true);
    await row.getByLabel('Đi muộn').check();
    expect(await submit(phone, 'Lưu điểm danh')).toBe(200);
    await expect(phone.getByRole('status').textContent()).resolves.toContain(
      'Đã lưu điểm danh của 1 người.',
    );
    await lookAt(phone, 'sessions-attendance');
    expect(await width(phone)).toBe(360);
    await desktop.goto(`/officer/sessions/${todayId}/days/1/attendance`);
    await lookAt(desktop, 'sessions-attendance');
  });

  it('creates a session from the form with Vietnam times, a refusal shown beside its field', async () => {
    const phone = await portal.open('phone', 'officerHanoi');
    await phone.goto(`/officer/courses/${courseId}/sessions/new`);
    await phone.getByLabel('Tên lớp học').fill('Lớp Đông Anh — đợt 2');
    await phone.getByLabel('Ngày 1: bắt đầu').fill('2031-04-02T08:00');
    await phone.getByLabel('Ngày 1: kết thúc').fill('2031-04-02T07:00');
    await phone.getByLabel('Tên địa điểm').fill('Nhà văn hóa huyện Đông Anh');
    await phone.getByLabel('Sức chứa của phòng').fill('25');
    await phone.getByLabel('Mở đăng ký từ').fill('2031-03-01T08:00');
    await phone.getByLabel('Khóa đăng ký lúc').fill('2031-03-30T17:00');
    await phone.getByLabel('Số chỗ tối đa').fill('25');
    expect(await submit(phone, 'Tạo lớp học')).toBe(400);
    await expect(phone.locator('#day0End-error').textContent()).resolves.toBe(
      'Phải sau giờ bắt đầu.',
    );
    await lookAt(phone, 'sessions-form-refused');
    expect(await width(phone)).toBe(360);
    await phone.getByLabel('Ngày 1: kết thúc').fill('2031-04-02T16:30');
    expect(await submit(phone, 'Tạo lớp học')).toBe(200);
    expect(await phone.textContent('h1')).toBe('Lớp Đông Anh — đợt 2');
    await expect(phone.locator('.session-days-officer').textContent()).resolves.toContain(
      'Thứ Tư 02/04/2031, 08:00–16:30',
    );
    await lookAt(phone, 'sessions-created');
    const desktop = await portal.open('desktop', 'officerHanoi');
    await desktop.goto(`/officer/courses/${courseId}/sessions/new`);
    await lookAt(desktop, 'sessions-form');
  });
});
