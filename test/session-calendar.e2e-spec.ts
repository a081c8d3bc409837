import { createHash, randomBytes } from 'node:crypto';
import ical, { VEvent } from 'node-ical';
import type { Response } from 'supertest';
import { expectError } from './expect-error';
import { SetClock, useFixedClock } from './support/clock';
import { bearer, createTestApp, TestApp } from './support/test-app';
import { SessionNotices } from '../src/courses/session-notices';
import { toVnLocal } from '../src/courses/session-time';

interface Booking {
  id: string;
  personId: string;
  status: string;
}
interface Session {
  id: string;
  days: { startsAt: string; endsAt: string }[];
}
interface OutboxRow {
  person_id: string;
  event: string;
  event_day: string;
  topic: string;
  payload: {
    sessions: {
      bookingId: string;
      sessionId: string;
      courseTitle: string;
      sessionTitle: string;
      days: { dayNo: number; startsAt: string; endsAt: string }[];
      venue: string | null;
      changed: string[];
    }[];
  };
}

const DAY = 86_400_000;
const uniq = () => randomBytes(3).toString('hex').toUpperCase();
/** The Vietnam date `days` from now, yyyy-MM-dd. */
const vnDate = (days: number) => toVnLocal(new Date(Date.now() + days * DAY)).slice(0, 10);
/** Vietnam wall-clock time `days` from now, to the minute, as the API takes it. */
const vnIn = (days: number) => toVnLocal(new Date(Date.now() + days * DAY)).slice(0, 16);
/** The instant of a Vietnam wall-clock time, as an ISO string in UTC. */
const instant = (local: string) => new Date(`${local}:00+07:00`).toISOString();

/** The VEVENTs of an .ics text, parsed back by node-ical, in start order. */
function events(ics: string): VEvent[] {
  return Object.values(ical.sync.parseICS(ics))
    .filter((c): c is VEvent => c?.type === 'VEVENT')
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** supertest keeps a text/calendar body as text. */
const icsOf = (res: Response) => res.text;

/**
 * The calendar of classroom sessions (issue 17, item 5): a booking as an .ics file parsed back
 * by node-ical (days and times, Vietnamese text, stable UIDs, SEQUENCE, statuses), the secret
 * feed URL (create, rotate, revoke, 404 after, nothing but the person's own sessions), the
 * reminder scan (once per person and day, with the clock) and the change and cancellation
 * notices in the outbox (booked people only; a change of seats tells nobody).
 */
describe('session calendar', () => {
  let t: TestApp;
  let time: SetClock | undefined;
  const officer = () => bearer(t.tokens.officerHanoi);
  const learners: { personId: string; token: string }[] = [];
  let officerPerson: string;
  let officerName: string;
  let courseId: string;
  let courseTitle: string;
  /** Session A: two days (08:00–11:30 and 13:30–17:00), two seats, a waitlist. */
  let sessionA: Session;
  /** The Vietnam dates 10, 11 and 12 days from the start of the suite. */
  let dayOne: string;
  let dayTwo: string;
  let dayThree: string;
  let bookingsA: Booking[];

  const post = (url: string, body: object = {}, auth = officer()) =>
    t.http.post(url).set(auth).send(body);
  const patch = (id: string, body: object) =>
    t.http.patch(`/api/v1/sessions/${id}`).set(officer()).send(body);
  const bookingIcs = (bookingId: string, auth = officer()) =>
    t.http.get(`/api/v1/bookings/${bookingId}/calendar.ics`).set(auth);
  const outbox = (event: string, sessionId: string) =>
    t.dataSource.query<OutboxRow[]>(
      `SELECT person_id, event, event_day::text AS event_day, topic, payload
         FROM notification_outbox
        WHERE event = $1 AND payload->'sessions' @> jsonb_build_array(jsonb_build_object('sessionId', $2::text))
        ORDER BY created_at, person_id`,
      [event, sessionId],
    );

  /** A published course with `people` enrolled: one active booking per course and person. */
  const createCourse = async (title: string, people: string[]) => {
    const code = `LH-${uniq()}`;
    const course = await post('/api/v1/courses', {
      code,
      title: `${title} ${code}`,
      deliveryMode: 'classroom',
      durationHours: 8,
      ownerOrgUnitId: await t.unitId('HN'),
    }).expect(201);
    const id = course.body.id as string;
    await post(`/api/v1/courses/${id}/lessons`, {
      title: 'Bài 1',
      kind: 'text',
      content: 'Nội dung',
    }).expect(201);
    await post(`/api/v1/courses/${id}/publish`).expect(200);
    await post('/api/v1/enrolments', { courseId: id, personIds: people }).expect(200);
    return { id, title: `${title} ${code}` };
  };

  const createSession = async (over: Record<string, unknown> = {}, course = courseId) => {
    const made = await post(`/api/v1/courses/${course}/sessions`, {
      title: `Lớp Đối thoại — đợt ${uniq()}`,
      days: [{ startsAt: vnIn(20), endsAt: vnIn(20.2) }],
      venue: { name: 'Nhà văn hóa Lao động Hà Nội', room: `P.${uniq()}`, capacity: 40 },
      signupOpensAt: vnIn(-1),
      signupClosesAt: vnIn(5),
      maxSeats: 10,
      ...over,
    }).expect(201);
    await post(`/api/v1/sessions/${made.body.id}/open`).expect(200);
    return made.body as Session;
  };

  beforeAll(async () => {
    t = await createTestApp();
    const [officerRow] = await t.dataSource.query<{ person_id: string; full_name: string }[]>(
      `SELECT u.person_id, p.full_name FROM user_accounts u JOIN people p ON p.id = u.person_id
        WHERE u.email = 'daotao.hanoi@lms.congdoan.test'`,
    );
    officerPerson = officerRow.person_id;
    officerName = officerRow.full_name;
    const [chair] = await t.dataSource.query<{ person_id: string }[]>(
      `SELECT person_id FROM user_accounts WHERE email = 'chutich.mayhadong@lms.congdoan.test'`,
    );
    // Six learners of the chair's grassroots union, with accounts that sign in like the chair's.
    const tag = uniq().toLowerCase();
    const made = await t.dataSource.query<{ id: string; email: string }[]>(
      `WITH chair AS (SELECT p.home_org_unit_id, u.password_hash FROM people p
                        JOIN user_accounts u ON u.person_id = p.id WHERE p.id = $1),
            made AS (
       INSERT INTO people (family_name, middle_name, given_name, full_name, search_name, sort_key,
                           home_org_unit_id)
       SELECT 'Lê', 'Thị', 'Lịch ' || n, 'Lê Thị Lịch ' || n, 'le thi lich ' || n,
              'lich ' || lpad(n::text, 2, '0'), home_org_unit_id
         FROM chair, generate_series(1, 6) AS n
       RETURNING id, given_name),
            acc AS (
       INSERT INTO user_accounts (email, password_hash, person_id)
       SELECT 'lich' || right(m.given_name, 1) || '.' || $2 || '@lms.congdoan.test', c.password_hash, m.id
         FROM made m, chair c
       RETURNING id, email, person_id)
       SELECT a.person_id AS id, a.email FROM acc a ORDER BY a.email`,
      [chair.person_id, tag],
    );
    await t.dataSource.query(
      `INSERT INTO role_grants (user_id, role, org_unit_id)
       SELECT u.id, 'learner', p.home_org_unit_id FROM user_accounts u
         JOIN people p ON p.id = u.person_id WHERE u.person_id = ANY($1::uuid[])`,
      [made.map((m) => m.id)],
    );
    for (const m of made) learners.push({ personId: m.id, token: await t.login(m.email) });

    const course = await createCourse(
      'Kỹ năng đối thoại, thương lượng tập thể ở cơ sở',
      learners.map((l) => l.personId),
    );
    courseId = course.id;
    courseTitle = course.title;

    dayOne = vnDate(10);
    dayTwo = vnDate(11);
    dayThree = vnDate(12);
    sessionA = await createSession({
      title: 'Lớp Thương lượng — đợt 1',
      days: [
        { startsAt: `${dayOne}T08:00`, endsAt: `${dayOne}T11:30` },
        { startsAt: `${dayTwo}T13:30`, endsAt: `${dayTwo}T17:00` },
      ],
      venue: {
        name: 'Trường Cán bộ Công đoàn Hà Nội',
        address: '65 Quán Sứ, Hoàn Kiếm, Hà Nội',
        room: `P.${uniq()}`,
        capacity: 40,
      },
      instructorPersonIds: [officerPerson],
      externalTrainers: ['TS. Nguyễn Văn Ấn'],
      maxSeats: 2,
    });
    bookingsA = [];
    for (const l of learners.slice(0, 3)) {
      const res = await post(`/api/v1/sessions/${sessionA.id}/bookings`, {}, bearer(l.token));
      expect(res.status).toBe(201);
      bookingsA.push(res.body as Booking);
    }
    expect(bookingsA.map((b) => b.status)).toEqual(['booked', 'booked', 'waitlisted']);
  });

  afterAll(async () => {
    time?.restore();
    await t.close();
  });

  it('gives a booking as an .ics file: one event per day, the same instants, Vietnamese intact', async () => {
    const res = await bookingIcs(bookingsA[0].id, bearer(learners[0].token)).expect(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".+\.ics"$/);
    const text = icsOf(res);
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text).toMatch(/\r\nDTSTART:\d{8}T\d{6}Z\r\n/); // UTC
    const [first, second] = events(text);
    expect(events(text)).toHaveLength(2);
    // 08:00–11:30 in Hà Nội parses back to the same instants.
    expect(first.start.toISOString()).toBe(instant(`${dayOne}T08:00`));
    expect(first.end!.toISOString()).toBe(instant(`${dayOne}T11:30`));
    expect(second.start.toISOString()).toBe(instant(`${dayTwo}T13:30`));
    expect(first.summary).toBe(courseTitle);
    expect(first.location).toMatch(/^Trường Cán bộ Công đoàn Hà Nội, P\.\w+, 65 Quán Sứ/);
    expect(first.description).toContain('TS. Nguyễn Văn Ấn');
    expect(first.description).toContain(officerName);
    expect(first.description).toContain('Lớp Thương lượng — đợt 1');
    expect(first.status).toBe('CONFIRMED');
    expect(first.uid).toBe(`class-session-${sessionA.id}-day-1@cadre-lms`);
    expect(second.uid).toBe(`class-session-${sessionA.id}-day-2@cadre-lms`);
    expect(first.sequence).toBe(1);

    // Waitlisted: tentative. The officer whose scope holds the person reads it too.
    const waiting = events(icsOf(await bookingIcs(bookingsA[2].id).expect(200)));
    expect(waiting.map((e) => e.status)).toEqual(['TENTATIVE', 'TENTATIVE']);
    expect(waiting[0].description).toContain('danh sách chờ');
  });

  it('refuses another person’s booking (404), a role without the right (403), a bad id (400)', async () => {
    expectError(
      await bookingIcs(bookingsA[0].id, bearer(learners[1].token)),
      404,
      'BOOKING_NOT_FOUND',
    );
    expectError(
      await bookingIcs(bookingsA[0].id, bearer(t.tokens.officerBacNinh)),
      404,
      'BOOKING_NOT_FOUND',
    );
    // A person of Bắc Ninh booked on this Hà Nội course: Bắc Ninh's officer holds the person
    // but does not manage the course, so the booking is not theirs (as for every booking route).
    const [bn] = await t.dataSource.query<{ id: string }[]>(
      `SELECT p.id FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
         JOIN org_units r ON r.id = $1 WHERE o.path LIKE r.path || '%'
          AND NOT EXISTS (SELECT 1 FROM user_accounts u WHERE u.person_id = p.id) LIMIT 1`,
      [await t.unitId('BN')],
    );
    const [{ id: bnBooking }] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO session_bookings (session_id, course_id, person_id, status, request_seq)
       VALUES ($1, $2, $3, 'cancelled', nextval('session_booking_request_seq')) RETURNING id`,
      [sessionA.id, courseId, bn.id],
    );
    expectError(
      await bookingIcs(bnBooking, bearer(t.tokens.officerBacNinh)),
      404,
      'BOOKING_NOT_FOUND',
    );
    expectError(await bookingIcs('00000000-0000-4000-8000-000000000000'), 404, 'BOOKING_NOT_FOUND');
    expectError(await bookingIcs('not-a-uuid'), 400, 'VALIDATION_FAILED', ['id']);
    expectError(
      await t.http.get(`/api/v1/bookings/${bookingsA[0].id}/calendar.ics`),
      401,
      'UNAUTHENTICATED',
    );
    // The session's own file is for its officers: a learner lacks training:manage.
    const sessionIcs = (auth: Record<string, string>) =>
      t.http.get(`/api/v1/sessions/${sessionA.id}/calendar.ics`).set(auth);
    expectError(await sessionIcs(bearer(learners[0].token)), 403, 'FORBIDDEN');
    expectError(await sessionIcs(bearer(t.tokens.officerBacNinh)), 404, 'SESSION_NOT_FOUND');
    const own = events(icsOf(await sessionIcs(officer()).expect(200)));
    expect(own.map((e) => [e.uid, e.status, e.sequence])).toEqual([
      [`class-session-${sessionA.id}-day-1@cadre-lms`, 'CONFIRMED', 0],
      [`class-session-${sessionA.id}-day-2@cadre-lms`, 'CONFIRMED', 0],
    ]);
  });

  it('tells people booked of new days, keeps the UIDs and raises SEQUENCE; seats tell nobody', async () => {
    const before = events(icsOf(await bookingIcs(bookingsA[0].id).expect(200)));
    // Seats only: nobody is told, calendars see nothing new.
    await patch(sessionA.id, { minSeats: 2 }).expect(200);
    expect(await outbox('session_changed', sessionA.id)).toEqual([]);
    const same = events(icsOf(await bookingIcs(bookingsA[0].id).expect(200)));
    expect(same.map((e) => e.sequence)).toEqual(before.map((e) => e.sequence));

    // A bad body is refused before anything is written or told.
    expectError(
      await patch(sessionA.id, { days: [{ startsAt: `${dayThree}T25:00`, endsAt: 'x' }] }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await patch(sessionA.id, { days: 'tomorrow' }), 400, 'VALIDATION_FAILED', ['days']);
    expectError(await patch(sessionA.id, { onlineUrl: 'ftp://meet' }), 400, 'VALIDATION_FAILED', [
      'onlineUrl',
    ]);
    expect(await outbox('session_changed', sessionA.id)).toEqual([]);

    // The second day moves: the two booked are told, the waitlisted one is not.
    const moved = { startsAt: `${dayThree}T09:00`, endsAt: `${dayThree}T12:00` };
    const res = await patch(sessionA.id, {
      days: [{ startsAt: `${dayOne}T08:00`, endsAt: `${dayOne}T11:30` }, moved],
    }).expect(200);
    sessionA = res.body as Session;
    const told = await outbox('session_changed', sessionA.id);
    expect(told.map((m) => m.person_id).sort()).toEqual(
      [learners[0].personId, learners[1].personId].sort(),
    );
    const item = told[0].payload.sessions[0];
    expect(item.changed).toEqual(['days']);
    expect(item.courseTitle).toBe(courseTitle);
    expect(item.days[1]).toEqual({
      dayNo: 2,
      startsAt: instant(moved.startsAt).replace('.000', ''),
      endsAt: instant(moved.endsAt).replace('.000', ''),
    });
    // The learner reads it in Vietnamese, with the new day in Vietnam time.
    const mine = await t.http
      .get('/api/v1/me/notifications')
      .set(bearer(learners[0].token))
      .expect(200);
    const changed = (
      mine.body.items as { event: string; subject: string; bodyText: string }[]
    ).find((m) => m.event === 'session_changed')!;
    expect(changed.subject).toBe(`Thay đổi lịch lớp học “${courseTitle}”`);
    const [y, m, d] = dayThree.split('-');
    expect(changed.bodyText).toContain(`${d}/${m}/${y}, 09:00–12:00`);
    expect(changed.bodyText).toContain('(đã thay đổi)');

    const after = events(icsOf(await bookingIcs(bookingsA[0].id).expect(200)));
    expect(after.map((e) => e.uid)).toEqual(before.map((e) => e.uid));
    expect(after.map((e) => e.sequence)).toEqual(before.map((e) => e.sequence! + 1));
    expect(after[1].start.toISOString()).toBe(instant(moved.startsAt));

    // A new venue is a change too; a day taken away stays in calendars as cancelled.
    await patch(sessionA.id, {
      venue: { name: 'Cung Văn hóa Lao động Hữu nghị', room: `H.${uniq()}`, capacity: 40 },
      days: [{ startsAt: `${dayOne}T08:00`, endsAt: `${dayOne}T11:30` }],
    }).expect(200);
    const venueTold = (await outbox('session_changed', sessionA.id)).slice(2);
    expect(venueTold).toHaveLength(2);
    expect(venueTold[0].payload.sessions[0].changed).toEqual(['days', 'venue']);
    expect(venueTold[0].payload.sessions[0].venue).toMatch(/^Cung Văn hóa Lao động Hữu nghị/);
    const shrunk = events(icsOf(await bookingIcs(bookingsA[0].id).expect(200)));
    expect(shrunk.map((e) => [e.uid, e.status])).toEqual([
      [`class-session-${sessionA.id}-day-1@cadre-lms`, 'CONFIRMED'],
      [`class-session-${sessionA.id}-day-2@cadre-lms`, 'CANCELLED'],
    ]);
    expect(shrunk[1].start.toISOString()).toBe(instant(moved.startsAt));
    expect(shrunk[0].sequence).toBe(after[0].sequence! + 1);
    // The second day back: live again, with its new times.
    const res2 = await patch(sessionA.id, {
      days: [
        { startsAt: `${dayOne}T08:00`, endsAt: `${dayOne}T11:30` },
        { startsAt: `${dayTwo}T13:30`, endsAt: `${dayTwo}T17:00` },
      ],
    }).expect(200);
    sessionA = res2.body as Session;
    const back = events(icsOf(await bookingIcs(bookingsA[0].id).expect(200)));
    expect(back.map((e) => e.status)).toEqual(['CONFIRMED', 'CONFIRMED']);
    expect(back[1].start.toISOString()).toBe(instant(`${dayTwo}T13:30`));
  });

  it('gives a secret feed URL: shown once, hashed, rotated and revoked, 404 after', async () => {
    const me = bearer(learners[0].token);
    expect((await t.http.get('/api/v1/me/calendar-feed').set(me).expect(200)).body).toEqual({
      active: false,
      createdAt: null,
    });
    expectError(await t.http.post('/api/v1/me/calendar-feed'), 401, 'UNAUTHENTICATED');

    const created = await post('/api/v1/me/calendar-feed', {}, me).expect(201);
    const url = created.body.url as string;
    const match = /\/api\/v1\/calendar\/([A-Za-z0-9_-]{43})\.ics$/.exec(url);
    expect(match).not.toBeNull();
    const token = match![1];
    expect(Buffer.from(token, 'base64url')).toHaveLength(32); // 256 random bits
    expect(created.body.webcalUrl).toBe(url.replace(/^https?:/, 'webcal:'));
    // Only the hash is kept.
    const rows = await t.dataSource.query<{ token_hash: string; revoked_at: Date | null }[]>(
      `SELECT token_hash, revoked_at FROM calendar_feeds WHERE person_id = $1`,
      [learners[0].personId],
    );
    expect(rows).toEqual([
      { token_hash: createHash('sha256').update(token).digest('hex'), revoked_at: null },
    ]);
    expect(JSON.stringify(await t.dataSource.query(`SELECT * FROM calendar_feeds`))).not.toContain(
      token,
    );
    const status = (await t.http.get('/api/v1/me/calendar-feed').set(me).expect(200)).body;
    expect(status).toEqual({ active: true, createdAt: created.body.createdAt });
    expect(JSON.stringify(status)).not.toContain(token);

    // Another learner's session, and a session of the learner long past, stay out of the feed;
    // one that ended a month ago is in.
    const other = await createCourse('Tài chính công đoàn', [
      learners[1].personId,
      learners[3].personId,
    ]);
    const earlier = await createCourse('Pháp luật lao động', [learners[3].personId]);
    const others = await createSession({}, other.id);
    await post(`/api/v1/sessions/${others.id}/bookings`, {}, bearer(learners[1].token)).expect(201);
    const longAgo = await createSession(
      {
        days: [{ startsAt: vnIn(-120), endsAt: vnIn(-119.9) }],
        signupOpensAt: vnIn(-150),
        signupClosesAt: vnIn(-121),
      },
      other.id,
    );
    const monthAgo = await createSession(
      {
        days: [{ startsAt: vnIn(-30), endsAt: vnIn(-29.9) }],
        signupOpensAt: vnIn(-50),
        signupClosesAt: vnIn(-31),
      },
      earlier.id,
    );
    for (const s of [longAgo, monthAgo]) {
      await post(`/api/v1/sessions/${s.id}/bookings/bulk`, {
        personIds: [learners[3].personId],
      }).expect(200);
    }
    const feedPath = `/api/v1/calendar/${token}.ics`;
    const feed = await t.http.get(feedPath).expect(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(feed.headers['cache-control']).toBe('private, no-store');
    const fed = events(icsOf(feed));
    expect(fed.map((e) => e.uid)).toEqual([
      `class-session-${sessionA.id}-day-1@cadre-lms`,
      `class-session-${sessionA.id}-day-2@cadre-lms`,
    ]);
    expect(fed[0].summary).toBe(courseTitle);
    expect(icsOf(feed)).not.toContain('Lê Thị Lịch 2'); // nobody else's name

    // The learner of the past sessions: only the one within 90 days.
    const pastToken = /([A-Za-z0-9_-]{43})\.ics$/.exec(
      (await post('/api/v1/me/calendar-feed', {}, bearer(learners[3].token)).expect(201)).body
        .url as string,
    )![1];
    const past = events(icsOf(await t.http.get(`/api/v1/calendar/${pastToken}.ics`).expect(200)));
    expect(past.map((e) => e.uid)).toEqual([`class-session-${monthAgo.id}-day-1@cadre-lms`]);

    // Rotating: the old URL is 404 with the stable body, the new one works.
    const rotated = await post('/api/v1/me/calendar-feed', {}, me).expect(201);
    expect(rotated.body.url).not.toBe(url);
    expectError(await t.http.get(feedPath), 404, 'CALENDAR_FEED_NOT_FOUND');
    const newPath = new URL(rotated.body.url as string).pathname;
    await t.http.get(newPath).expect(200);

    // Revoking: the URL is 404; history is kept, nothing is deleted.
    const revoked = await post('/api/v1/me/calendar-feed/revoke', {}, me).expect(200);
    expect(revoked.body).toEqual({ active: false, createdAt: null });
    expectError(await t.http.get(newPath), 404, 'CALENDAR_FEED_NOT_FOUND');
    const history = await t.dataSource.query<{ revoked_reason: string }[]>(
      `SELECT revoked_reason FROM calendar_feeds WHERE person_id = $1 ORDER BY created_at`,
      [learners[0].personId],
    );
    expect(history.map((h) => h.revoked_reason)).toEqual(['rotated', 'revoked']);
    const audit = await t.dataSource.query<{ action: string }[]>(
      `SELECT action FROM audit_log WHERE entity_type = 'calendar_feed' AND actor_person_id = $1
        ORDER BY at`,
      [learners[0].personId],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'calendar_feed.create',
      'calendar_feed.rotate',
      'calendar_feed.create',
      'calendar_feed.revoke',
    ]);
    // Revoking again changes nothing.
    await post('/api/v1/me/calendar-feed/revoke', {}, me).expect(200);

    // Tokens that are no token, or none of ours: the same 404.
    for (const bad of ['x', 'A'.repeat(43), `${token.slice(0, 42)}%2F`, '..%2F..%2Fetc']) {
      expectError(await t.http.get(`/api/v1/calendar/${bad}.ics`), 404, 'CALENDAR_FEED_NOT_FOUND');
    }
  });

  it('tells a cancellation to booked and waitlisted people and shows it cancelled', async () => {
    const c = await createSession({ maxSeats: 1 });
    const [left, booked, waiting] = learners.slice(3, 6);
    const leftBooking = (
      await post(`/api/v1/sessions/${c.id}/bookings`, {}, bearer(left.token)).expect(201)
    ).body as Booking;
    await post(`/api/v1/bookings/${leftBooking.id}/cancel`, {}, bearer(left.token)).expect(200);
    const bookedBooking = (
      await post(`/api/v1/sessions/${c.id}/bookings`, {}, bearer(booked.token)).expect(201)
    ).body as Booking;
    const waitingBooking = (
      await post(`/api/v1/sessions/${c.id}/bookings`, {}, bearer(waiting.token)).expect(201)
    ).body as Booking;
    expect(waitingBooking.status).toBe('waitlisted');
    const before = events(icsOf(await bookingIcs(bookedBooking.id).expect(200)));

    await post(`/api/v1/sessions/${c.id}/cancel`).expect(200);
    const told = await outbox('session_cancelled', c.id);
    expect(told.map((m) => m.person_id).sort()).toEqual([booked.personId, waiting.personId].sort());
    expect(told.map((m) => m.payload.sessions[0].bookingId).sort()).toEqual(
      [bookedBooking.id, waitingBooking.id].sort(),
    );
    const after = events(icsOf(await bookingIcs(bookedBooking.id).expect(200)));
    expect(after.map((e) => [e.uid, e.status])).toEqual([[before[0].uid, 'CANCELLED']]);
    expect(after[0].sequence!).toBeGreaterThan(before[0].sequence!);
    // The learner who left on their own shows cancelled too, and was not told.
    expect(events(icsOf(await bookingIcs(leftBooking.id).expect(200)))[0].status).toBe('CANCELLED');
    // A feed shows a cancelled session cancelled, so a subscribed calendar drops its days.
    const feedUrl = (await post('/api/v1/me/calendar-feed', {}, bearer(booked.token)).expect(201))
      .body.url as string;
    const fed = events(icsOf(await t.http.get(new URL(feedUrl).pathname).expect(200)));
    expect(fed.find((e) => e.uid === before[0].uid)?.status).toBe('CANCELLED');
  });

  it('reminds each booked person of each day once, the day before (the scan run twice)', async () => {
    const notices = t.app.get(SessionNotices);
    const first = new Date(instant(`${dayOne}T08:00`));
    // 20 hours before the first day: it is reminded; the second day (a day later) is not yet.
    time = useFixedClock(t.app, new Date(first.getTime() - 20 * 3_600_000));
    expect(await notices.sendReminders()).toBe(2);
    expect(await notices.sendReminders()).toBe(0);
    const reminded = await outbox('session_reminder', sessionA.id);
    expect(reminded.map((m) => m.person_id).sort()).toEqual(
      [learners[0].personId, learners[1].personId].sort(),
    );
    expect(reminded[0].event_day).toBe(dayOne);
    expect(reminded[0].payload.sessions[0].days).toEqual([
      {
        dayNo: 1,
        startsAt: instant(`${dayOne}T08:00`).replace('.000', ''),
        endsAt: instant(`${dayOne}T11:30`).replace('.000', ''),
      },
    ]);
    const mine = await t.http
      .get('/api/v1/me/notifications')
      .set(bearer(learners[0].token))
      .expect(200);
    const reminder = (mine.body.items as { event: string; subject: string }[]).find(
      (m) => m.event === 'session_reminder',
    )!;
    const [y, m, d] = dayOne.split('-');
    expect(reminder.subject).toBe(
      `Nhắc lịch học: lớp “${courseTitle}”, ${d}/${m}/${y}, 08:00–11:30`,
    );

    // Ten hours before the second day: that day, once more once.
    time.clock.set(new Date(new Date(instant(`${dayTwo}T13:30`)).getTime() - 10 * 3_600_000));
    expect(await notices.sendReminders()).toBe(2);
    expect(await notices.sendReminders()).toBe(0);
    expect(await outbox('session_reminder', sessionA.id)).toHaveLength(4);
    // The waitlisted learner was never reminded.
    expect(
      (await outbox('session_reminder', sessionA.id)).some(
        (r) => r.person_id === learners[2].personId,
      ),
    ).toBe(false);
    time.restore();
    time = undefined;
  });

  it('a seat granted from the waitlist names the course, the session and its first day', async () => {
    await post(`/api/v1/bookings/${bookingsA[1].id}/cancel`).expect(200);
    const [granted] = await t.dataSource.query<
      { person_id: string; payload: { courses: { title: string }[] } }[]
    >(
      `SELECT person_id, payload FROM notification_outbox WHERE event = 'session_seat_granted'
        AND payload->'courses' @> jsonb_build_array(jsonb_build_object('enrolmentId', $1::text))`,
      [bookingsA[2].id],
    );
    expect(granted.person_id).toBe(learners[2].personId);
    const [y, m, d] = dayOne.split('-');
    expect(granted.payload.courses[0].title).toBe(
      `${courseTitle} — Lớp Thương lượng — đợt 1 (08:00 ${d}/${m}/${y})`,
    );
    // Promoted: the waitlisted learner's events are confirmed, with a higher SEQUENCE.
    const now = events(icsOf(await bookingIcs(bookingsA[2].id).expect(200)));
    expect(now.map((e) => e.status)).toEqual(['CONFIRMED', 'CONFIRMED']);
  });
});

describe('calendar feed throttle', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_LIMIT_PER_MINUTE: '2' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 429 past the per-minute limit of one address, like every public route', async () => {
    const url = (
      await t.http.post('/api/v1/me/calendar-feed').set(bearer(t.tokens.chair)).expect(201)
    ).body.url as string;
    const path = new URL(url).pathname;
    await t.http.get(path).expect(200);
    expectError(
      await t.http.get(`/api/v1/calendar/${'B'.repeat(43)}.ics`),
      404,
      'CALENDAR_FEED_NOT_FOUND',
    );
    expectError(await t.http.get(path), 429, 'TOO_MANY_REQUESTS');
  });
});
