import { randomBytes } from 'node:crypto';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';
import { toVnLocal } from '../src/courses/session-time';

interface Booking {
  id: string;
  sessionId: string;
  personId: string;
  status: string;
  waitlistPosition: number | null;
  movedToBookingId: string | null;
}
interface Session {
  id: string;
  status: string;
  days: { startsAt: string; endsAt: string }[];
  bookedSeats: number;
  waitlisted: number;
}

const HOUR = 3_600_000;
/** Vietnam wall-clock time `hours` from now, to the minute, as the API takes it. */
const vnIn = (hours: number) => toVnLocal(new Date(Date.now() + hours * HOUR)).slice(0, 16);
const uniq = () => randomBytes(3).toString('hex').toUpperCase();

/**
 * Classroom sessions and their bookings (issue 17, items 1 and 2): clashes of rooms and
 * instructors, the race for the last seat, the waitlist in request order and its promotion
 * with a message, the cut-off, one booking per course, moves that keep history, scope and
 * role refusals and bad bodies.
 */
describe('classroom sessions and bookings', () => {
  let t: TestApp;
  const officer = () => bearer(t.tokens.officerHanoi);
  /** Learners made for this suite: person ids and access tokens, in creation order. */
  const learners: { personId: string; token: string }[] = [];
  let chairPerson: string;
  let officerPerson: string;
  let bacNinhPerson: string;
  let courseId: string;

  const post = (url: string, body: object = {}, auth = officer()) =>
    t.http.post(url).set(auth).send(body);

  const sessionBody = (over: Record<string, unknown> = {}) => ({
    title: `Lớp K01 — đợt ${uniq()}`,
    days: [
      { startsAt: vnIn(24 * 10), endsAt: vnIn(24 * 10 + 8) },
      { startsAt: vnIn(24 * 11), endsAt: vnIn(24 * 11 + 8) },
    ],
    venue: {
      name: 'Trường Cán bộ Công đoàn Hà Nội',
      address: '65 Quán Sứ, Hoàn Kiếm, Hà Nội',
      room: `P.${uniq()}`,
      capacity: 40,
    },
    externalTrainers: ['TS. Nguyễn Văn An'],
    signupOpensAt: vnIn(-24),
    signupClosesAt: vnIn(24 * 5),
    minSeats: 1,
    maxSeats: 2,
    ...over,
  });

  const openSession = async (over: Record<string, unknown> = {}, course = courseId) => {
    const created = await post(`/api/v1/courses/${course}/sessions`, sessionBody(over)).expect(201);
    const opened = await post(`/api/v1/sessions/${created.body.id}/open`).expect(200);
    return opened.body as Session;
  };

  const bookings = async (sessionId: string) =>
    (await t.http.get(`/api/v1/sessions/${sessionId}/bookings`).set(officer()).expect(200)).body
      .items as Booking[];

  beforeAll(async () => {
    t = await createTestApp();
    const accounts = await t.dataSource.query<{ email: string; person_id: string }[]>(
      `SELECT email, person_id FROM user_accounts WHERE email = ANY($1::text[])`,
      [
        [
          'chutich.mayhadong@lms.congdoan.test',
          'daotao.hanoi@lms.congdoan.test',
          'daotao.bacninh@lms.congdoan.test',
        ],
      ],
    );
    const byEmail = new Map(accounts.map((a) => [a.email, a.person_id]));
    chairPerson = byEmail.get('chutich.mayhadong@lms.congdoan.test')!;
    officerPerson = byEmail.get('daotao.hanoi@lms.congdoan.test')!;
    bacNinhPerson = byEmail.get('daotao.bacninh@lms.congdoan.test')!;
    // Six learners of the chair's grassroots union, with accounts that sign in like the chair's.
    const tag = uniq().toLowerCase();
    const made = await t.dataSource.query<{ id: string; email: string }[]>(
      `WITH chair AS (SELECT p.home_org_unit_id, u.password_hash FROM people p
                        JOIN user_accounts u ON u.person_id = p.id WHERE p.id = $1),
            made AS (
       INSERT INTO people (family_name, middle_name, given_name, full_name, search_name, sort_key,
                           home_org_unit_id)
       SELECT 'Trần', 'Thị', 'Học viên ' || n, 'Trần Thị Học viên ' || n,
              'tran thi hoc vien ' || n, 'hoc vien ' || lpad(n::text, 2, '0'), home_org_unit_id
         FROM chair, generate_series(1, 6) AS n
       RETURNING id, given_name),
            acc AS (
       INSERT INTO user_accounts (email, password_hash, person_id)
       SELECT 'hv' || right(m.given_name, 1) || '.' || $2 || '@lms.congdoan.test', c.password_hash, m.id
         FROM made m, chair c
       RETURNING id, email, person_id)
       SELECT a.person_id AS id, a.email FROM acc a ORDER BY a.email`,
      [chairPerson, tag],
    );
    await t.dataSource.query(
      `INSERT INTO role_grants (user_id, role, org_unit_id)
       SELECT u.id, 'learner', p.home_org_unit_id FROM user_accounts u
         JOIN people p ON p.id = u.person_id WHERE u.person_id = ANY($1::uuid[])`,
      [made.map((m) => m.id)],
    );
    for (const m of made) learners.push({ personId: m.id, token: await t.login(m.email) });

    const code = `SS-${uniq()}`;
    const course = await post('/api/v1/courses', {
      code,
      title: `Nghiệp vụ chủ tịch CĐCS mới bầu ${code}`,
      deliveryMode: 'classroom',
      durationHours: 16,
      ownerOrgUnitId: await t.unitId('HN'),
    }).expect(201);
    courseId = course.body.id as string;
    await post(`/api/v1/courses/${courseId}/lessons`, {
      title: 'Bài 1',
      kind: 'text',
      content: 'Nội dung',
    }).expect(201);
    await post(`/api/v1/courses/${courseId}/publish`).expect(200);
    await post('/api/v1/enrolments', {
      courseId,
      personIds: [chairPerson, ...learners.map((l) => l.personId)],
    }).expect(200);
  });

  afterAll(async () => {
    await t.close();
  });

  it('creates a session in Vietnam time, shows it back with the offset, and opens it', async () => {
    const body = sessionBody({ instructorPersonIds: [officerPerson] });
    const created = await post(`/api/v1/courses/${courseId}/sessions`, body).expect(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      courseId,
      maxSeats: 2,
      cancelCutoffHours: 24,
      instructorPersonIds: [officerPerson],
      externalTrainers: ['TS. Nguyễn Văn An'],
      bookedSeats: 0,
    });
    expect((created.body as Session).days[0]).toEqual({
      startsAt: `${body.days[0].startsAt}:00+07:00`,
      endsAt: `${body.days[0].endsAt}:00+07:00`,
    });
    const [stored] = await t.dataSource.query<{ starts_at: Date }[]>(
      `SELECT starts_at FROM class_session_days WHERE session_id = $1 AND day_no = 1`,
      [created.body.id],
    );
    expect(new Date(stored.starts_at).toISOString()).toBe(
      new Date(`${body.days[0].startsAt}:00+07:00`).toISOString(),
    );
    // A draft is the officers' alone: an enrolled learner neither sees it nor signs up to it.
    const draft = await post(
      `/api/v1/sessions/${created.body.id}/bookings`,
      {},
      bearer(learners[0].token),
    );
    expectError(draft, 404, 'SESSION_NOT_FOUND');
    const opened = await post(`/api/v1/sessions/${created.body.id}/open`).expect(200);
    expect(opened.body.status).toBe('open');
    expectError(
      await post(`/api/v1/sessions/${created.body.id}/open`),
      409,
      'SESSION_STATUS_CONFLICT',
    );
    const listed = await t.http
      .get(`/api/v1/courses/${courseId}/sessions`)
      .set(officer())
      .expect(200);
    expect((listed.body.items as Session[]).map((s) => s.id)).toContain(created.body.id);
    // The enrolled chair reads it too.
    await t.http.get(`/api/v1/sessions/${created.body.id}`).set(bearer(t.tokens.chair)).expect(200);
    // Cancelling the session cancels its bookings and frees the instructor for other sessions.
    await post(`/api/v1/sessions/${created.body.id}/cancel`).expect(200);
  });

  it('refuses a room or an instructor booked twice at overlapping times (409 with details)', async () => {
    const room = `P.${uniq()}`;
    const first = sessionBody({
      venue: { name: 'Nhà văn hóa Lao động', room, capacity: 30 },
      instructorPersonIds: [officerPerson],
      days: [{ startsAt: vnIn(24 * 20), endsAt: vnIn(24 * 20 + 4) }],
    });
    await post(`/api/v1/courses/${courseId}/sessions`, first).expect(201);
    // The same room (other case), two hours later: overlaps.
    const sameRoom = await post(
      `/api/v1/courses/${courseId}/sessions`,
      sessionBody({
        venue: { name: 'NHÀ VĂN HÓA LAO ĐỘNG', room: room.toLowerCase(), capacity: 30 },
        days: [{ startsAt: vnIn(24 * 20 + 2), endsAt: vnIn(24 * 20 + 6) }],
      }),
    );
    expectError(sameRoom, 409, 'SESSION_CLASH', ['venue.room']);
    // The same instructor in another room at the same time.
    const sameInstructor = await post(
      `/api/v1/courses/${courseId}/sessions`,
      sessionBody({
        instructorPersonIds: [chairPerson, officerPerson],
        days: [{ startsAt: vnIn(24 * 20 + 1), endsAt: vnIn(24 * 20 + 3) }],
      }),
    );
    expectError(sameInstructor, 409, 'SESSION_CLASH', ['instructorPersonIds[1]']);
    // Back to back in the same room is no clash.
    await post(
      `/api/v1/courses/${courseId}/sessions`,
      sessionBody({
        venue: { name: 'Nhà văn hóa Lao động', room, capacity: 30 },
        instructorPersonIds: [officerPerson],
        days: [{ startsAt: vnIn(24 * 20 + 4), endsAt: vnIn(24 * 20 + 8) }],
      }),
    ).expect(201);
    // Two racing creations of the same room: the advisory lock lets exactly one through.
    const raceRoom = `P.${uniq()}`;
    const racing = await Promise.all(
      [0, 1].map(() =>
        post(
          `/api/v1/courses/${courseId}/sessions`,
          sessionBody({
            venue: { name: 'Nhà văn hóa Lao động', room: raceRoom, capacity: 30 },
            days: [{ startsAt: vnIn(24 * 30), endsAt: vnIn(24 * 30 + 4) }],
          }),
        ),
      ),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('gives the last seat to exactly one of many racing sign-ups; the rest wait in request order', async () => {
    const session = await openSession({ maxSeats: 1, minSeats: 0 });
    const racers = learners.slice(0, 5);
    const answers = await Promise.all(
      racers.map((l) =>
        post(`/api/v1/sessions/${session.id}/bookings`, {}, bearer(l.token)).expect(201),
      ),
    );
    const statuses = answers.map((a) => (a.body as Booking).status);
    expect(statuses.filter((s) => s === 'booked')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(4);
    const list = await bookings(session.id);
    expect(list.map((b) => b.status)).toEqual([
      'booked',
      'waitlisted',
      'waitlisted',
      'waitlisted',
      'waitlisted',
    ]);
    expect(list.map((b) => b.waitlistPosition)).toEqual([null, 1, 2, 3, 4]);
    const shown = await t.http.get(`/api/v1/sessions/${session.id}`).set(officer()).expect(200);
    expect(shown.body).toMatchObject({ status: 'full', bookedSeats: 1, waitlisted: 4 });

    // The booked one cancels: the first waiting is promoted, told through the outbox; the
    // session stays full, and the others move up.
    const holder = racers.find((l) => l.personId === list[0].personId)!;
    const cancelled = await post(`/api/v1/bookings/${list[0].id}/cancel`, {}, bearer(holder.token));
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const after = await bookings(session.id);
    expect(after.map((b) => [b.id, b.status, b.waitlistPosition])).toEqual([
      [list[0].id, 'cancelled', null],
      [list[1].id, 'booked', null],
      [list[2].id, 'waitlisted', 1],
      [list[3].id, 'waitlisted', 2],
      [list[4].id, 'waitlisted', 3],
    ]);
    const messages = await t.dataSource.query<
      { person_id: string; payload: { courses: { title: string }[] } }[]
    >(
      `SELECT person_id, payload FROM notification_outbox WHERE event = 'session_seat_granted'
        AND payload->'courses' @> jsonb_build_array(jsonb_build_object('enrolmentId', $1::text))`,
      [list[1].id],
    );
    expect(messages).toHaveLength(1);
    expect(messages[0].person_id).toBe(list[1].personId);
    expect(messages[0].payload.courses[0].title).toContain(' — Lớp K01');
    const audit = await t.dataSource.query<{ action: string }[]>(
      `SELECT action FROM audit_log WHERE entity_id = ANY($1::uuid[]) ORDER BY at`,
      [[list[0].id, list[1].id]],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'session_booking.create',
      'session_booking.create',
      'session_booking.cancel',
      'session_booking.promote',
    ]);
    // A cancelled booking cannot be cancelled again; the officer clears the rest in a body.
    expectError(
      await post(`/api/v1/bookings/${list[0].id}/cancel`, {}, bearer(holder.token)),
      409,
      'BOOKING_NOT_ACTIVE',
    );
    await post(`/api/v1/sessions/${session.id}/cancel`).expect(200);
    expect((await bookings(session.id)).every((b) => b.status === 'cancelled')).toBe(true);
  });

  it('holds one active booking per person and course; a move keeps history', async () => {
    const a = await openSession({ maxSeats: 1 });
    const b = await openSession({ maxSeats: 1 });
    const [l0, l1] = learners;
    const first = await post(`/api/v1/sessions/${a.id}/bookings`, {}, bearer(l0.token)).expect(201);
    expectError(
      await post(`/api/v1/sessions/${b.id}/bookings`, {}, bearer(l0.token)),
      409,
      'BOOKING_ALREADY_ACTIVE',
    );
    const waiting = await post(`/api/v1/sessions/${a.id}/bookings`, {}, bearer(l1.token)).expect(
      201,
    );
    expect(waiting.body.status).toBe('waitlisted');
    // l0 moves to b: the old booking is kept as moved, pointing to the new one; l1 gets a's seat.
    const moved = await post(
      `/api/v1/bookings/${first.body.id}/move`,
      { toSessionId: b.id },
      bearer(l0.token),
    );
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ sessionId: b.id, status: 'booked' });
    const inA = await bookings(a.id);
    expect(inA.map((x) => [x.personId, x.status, x.movedToBookingId])).toEqual([
      [l0.personId, 'moved', moved.body.id],
      [l1.personId, 'booked', null],
    ]);
    const mine = await t.http.get('/api/v1/me/bookings').set(bearer(l0.token)).expect(200);
    expect(
      (mine.body.items as Booking[])
        .filter((x) => [a.id, b.id].includes(x.sessionId))
        .map((x) => x.status),
    ).toEqual(['moved', 'booked']);
    // The database holds the rule even against a direct insert.
    await expect(
      t.dataSource.query(
        `INSERT INTO session_bookings (session_id, course_id, person_id, status)
         VALUES ($1, $2, $3, 'waitlisted')`,
        [a.id, courseId, l0.personId],
      ),
    ).rejects.toThrow(/ux_session_bookings_active/);
    // A move must go to another session of the course: its own session is refused.
    expectError(
      await post(
        `/api/v1/bookings/${moved.body.id}/move`,
        { toSessionId: moved.body.sessionId },
        bearer(l0.token),
      ),
      409,
      'BOOKING_MOVE_INVALID',
    );
  });

  it('corrects a session: clash-checked, seats never below the booked, added seats to the waitlist', async () => {
    const s = await openSession({ maxSeats: 1 });
    const [, , , l3, l4, l5] = learners;
    await post(`/api/v1/sessions/${s.id}/bookings/bulk`, {
      personIds: [l3.personId, l4.personId, l5.personId],
    }).expect(200);
    const patch = (body: object, auth = officer()) =>
      t.http.patch(`/api/v1/sessions/${s.id}`).set(auth).send(body);
    expectError(await patch({}), 400, 'VALIDATION_FAILED', ['body']);
    expectError(await patch({ maxSeats: null }), 400, 'VALIDATION_FAILED', ['maxSeats']);
    expectError(await patch({ maxSeats: 0 }), 400, 'VALIDATION_FAILED', ['maxSeats']);
    // Two more seats: both waiting people get one, in request order, and are told.
    const grown = await patch({ maxSeats: 3, title: 'Lớp K01 — đợt bổ sung' }).expect(200);
    expect(grown.body).toMatchObject({ status: 'full', bookedSeats: 3, waitlisted: 0 });
    const told = await t.dataSource.query<{ person_id: string }[]>(
      `SELECT person_id FROM notification_outbox
        WHERE event = 'session_seat_granted' AND person_id = ANY($1::uuid[])`,
      [[l4.personId, l5.personId]],
    );
    expect(told.map((m) => m.person_id).sort()).toEqual([l4.personId, l5.personId].sort());
    expectError(await patch({ maxSeats: 2 }), 409, 'SESSION_SEATS_BELOW_BOOKED', ['maxSeats']);
    // Days moved onto another session's room and time clash; its own days do not.
    const other = await openSession();
    const otherDays = other.days.map((d) => ({
      startsAt: d.startsAt.slice(0, 16),
      endsAt: d.endsAt.slice(0, 16),
    }));
    const [room] = await t.dataSource.query<{ venue_name: string; venue_room: string }[]>(
      `SELECT venue_name, venue_room FROM class_sessions WHERE id = $1`,
      [other.id],
    );
    expectError(
      await patch({
        venue: { name: room.venue_name, room: room.venue_room, capacity: 40 },
        days: otherDays,
        signupClosesAt: vnIn(24 * 5),
      }),
      409,
      'SESSION_CLASH',
      ['venue.room'],
    );
    await t.http
      .patch(`/api/v1/sessions/${other.id}`)
      .set(officer())
      .send({ days: otherDays, cancelCutoffHours: 48 })
      .expect(200);
    // Scope and role.
    const bacNinh = bearer(await t.login('daotao.bacninh@lms.congdoan.test'));
    expectError(await patch({ title: 'x' }, bacNinh), 404, 'SESSION_NOT_FOUND');
    expectError(await patch({ title: 'x' }, bearer(t.tokens.hrHanoi)), 403, 'FORBIDDEN');
    await post(`/api/v1/sessions/${s.id}/cancel`).expect(200);
    expectError(await patch({ title: 'x' }), 409, 'SESSION_STATUS_CONFLICT');
    await post(`/api/v1/sessions/${other.id}/cancel`).expect(200);
  });

  it('clears the venue, the link or the outside trainers given null, never leaving neither', async () => {
    const s = await openSession({
      onlineUrl: 'https://meet.congdoan.vn/k01-xoa',
      externalTrainers: ['TS. Nguyễn Văn An', 'ThS. Lê Thị Hà'],
    });
    const patch = (body: object) =>
      t.http.patch(`/api/v1/sessions/${s.id}`).set(officer()).send(body);
    const rowOf = async () =>
      (
        await t.dataSource.query<
          {
            venue_name: string | null;
            venue_capacity: number | null;
            online_url: string | null;
            external_trainers: string[];
          }[]
        >(
          `SELECT venue_name, venue_capacity, online_url, external_trainers
             FROM class_sessions WHERE id = $1`,
          [s.id],
        )
      )[0];
    // Wrong types are still 400, null or not.
    expectError(await patch({ venue: 'Hà Nội' }), 400, 'VALIDATION_FAILED', ['venue']);
    expectError(await patch({ venue: [] }), 400, 'VALIDATION_FAILED', ['venue']);
    expectError(await patch({ onlineUrl: 42 }), 400, 'VALIDATION_FAILED', ['onlineUrl']);
    expectError(await patch({ onlineUrl: 'http://meet.congdoan.vn/x' }), 400, 'VALIDATION_FAILED', [
      'onlineUrl',
    ]);
    expectError(await patch({ externalTrainers: 'TS. An' }), 400, 'VALIDATION_FAILED', [
      'externalTrainers',
    ]);
    expectError(await patch({ externalTrainers: [null] }), 400, 'VALIDATION_FAILED');
    expectError(await patch({ title: null }), 400, 'VALIDATION_FAILED', ['title']);
    expectError(await patch({ days: null }), 400, 'VALIDATION_FAILED', ['days']);

    const cleared = await patch({ onlineUrl: null, externalTrainers: null }).expect(200);
    expect(cleared.body).toMatchObject({ onlineUrl: null, externalTrainers: [] });
    expect(cleared.body.venue.name).toBe('Trường Cán bộ Công đoàn Hà Nội');
    expect(await rowOf()).toEqual({
      venue_name: 'Trường Cán bộ Công đoàn Hà Nội',
      venue_capacity: 40,
      online_url: null,
      external_trainers: [],
    });
    // Neither a venue nor a link: 400 naming the venue, nothing written (not the table's CHECK).
    const neither = await patch({ venue: null });
    expectError(neither, 400, 'VALIDATION_FAILED', ['venue']);
    const both = await patch({ venue: null, onlineUrl: null });
    expectError(both, 400, 'VALIDATION_FAILED', ['venue']);
    expect((await rowOf()).venue_name).toBe('Trường Cán bộ Công đoàn Hà Nội');
    // The venue cleared for a link given at the same time.
    const online = await patch({ venue: null, onlineUrl: 'https://meet.congdoan.vn/k01-moi' });
    expect(online.status).toBe(200);
    expect(online.body).toMatchObject({
      venue: null,
      onlineUrl: 'https://meet.congdoan.vn/k01-moi',
    });
    expect(await rowOf()).toEqual({
      venue_name: null,
      venue_capacity: null,
      online_url: 'https://meet.congdoan.vn/k01-moi',
      external_trainers: [],
    });
    // Left out, a field keeps its value.
    const kept = await patch({ title: 'Lớp K01 — trực tuyến' }).expect(200);
    expect(kept.body).toMatchObject({ venue: null, onlineUrl: 'https://meet.congdoan.vn/k01-moi' });
  });

  it('takes sign-ups only while open and inside the window', async () => {
    const l = learners[5];
    const notYet = await openSession({ signupOpensAt: vnIn(24), signupClosesAt: vnIn(48) });
    expectError(
      await post(`/api/v1/sessions/${notYet.id}/bookings`, {}, bearer(l.token)),
      409,
      'SESSION_SIGNUP_CLOSED',
    );
    const closed = await openSession();
    const done = await post(`/api/v1/sessions/${closed.id}/close`).expect(200);
    expect(done.body.status).toBe('closed');
    expectError(
      await post(`/api/v1/sessions/${closed.id}/bookings`, {}, bearer(l.token)),
      409,
      'SESSION_SIGNUP_CLOSED',
    );
    expectError(
      await post(`/api/v1/sessions/${closed.id}/bookings/bulk`, { personIds: [l.personId] }),
      409,
      'SESSION_SIGNUP_CLOSED',
    );
    await post(`/api/v1/sessions/${closed.id}/complete`).expect(200);
    expectError(await post(`/api/v1/sessions/${closed.id}/cancel`), 409, 'SESSION_STATUS_CONFLICT');
    await post(`/api/v1/sessions/${notYet.id}/cancel`).expect(200);
  });

  it('lets the learner cancel only until the cut-off; an officer any time', async () => {
    const soon = await openSession({
      days: [{ startsAt: vnIn(10), endsAt: vnIn(14) }],
      signupOpensAt: vnIn(-24),
      signupClosesAt: vnIn(5),
      maxSeats: 5,
    });
    const l = learners[2];
    const booked = await post(`/api/v1/sessions/${soon.id}/bookings`, {}, bearer(l.token)).expect(
      201,
    );
    expectError(
      await post(`/api/v1/bookings/${booked.body.id}/cancel`, {}, bearer(l.token)),
      409,
      'BOOKING_CUTOFF_PASSED',
    );
    const byOfficer = await post(`/api/v1/bookings/${booked.body.id}/cancel`).expect(200);
    expect(byOfficer.body.status).toBe('cancelled');
    // With a cut-off of 2 hours the learner may cancel 10 hours ahead.
    const later = await openSession({
      days: [{ startsAt: vnIn(10), endsAt: vnIn(14) }],
      signupOpensAt: vnIn(-24),
      signupClosesAt: vnIn(5),
      cancelCutoffHours: 2,
    });
    const again = await post(`/api/v1/sessions/${later.id}/bookings`, {}, bearer(l.token)).expect(
      201,
    );
    await post(`/api/v1/bookings/${again.body.id}/cancel`, {}, bearer(l.token)).expect(200);
  });

  it('books people in bulk in list order, seats first; refuses people outside scope or not enrolled', async () => {
    const s = await openSession({ maxSeats: 2 });
    const ids = learners.slice(3, 6).map((l) => l.personId);
    const res = await post(`/api/v1/sessions/${s.id}/bookings/bulk`, { personIds: ids }).expect(
      200,
    );
    expect((res.body.items as Booking[]).map((b) => [b.personId, b.status])).toEqual([
      [ids[0], 'booked'],
      [ids[1], 'booked'],
      [ids[2], 'waitlisted'],
    ]);
    const other = await openSession({ maxSeats: 2 });
    expectError(
      await post(`/api/v1/sessions/${other.id}/bookings/bulk`, {
        personIds: [chairPerson, bacNinhPerson],
      }),
      404,
      'PERSON_NOT_FOUND',
      ['personIds[1]'],
    );
    expectError(
      await post(`/api/v1/sessions/${other.id}/bookings/bulk`, { personIds: [officerPerson] }),
      409,
      'SESSION_NOT_ENROLLED',
      ['personIds[0]'],
    );
    // Nothing was written by the refused requests.
    expect(await bookings(other.id)).toEqual([]);
  });

  it('answers 404 outside the subtree and 403 to a role without the right', async () => {
    const s = await openSession();
    const bacNinh = bearer(await t.login('daotao.bacninh@lms.congdoan.test'));
    expectError(
      await t.http.get(`/api/v1/sessions/${s.id}`).set(bacNinh),
      404,
      'SESSION_NOT_FOUND',
    );
    expectError(
      await post(`/api/v1/sessions/${s.id}/close`, {}, bacNinh),
      404,
      'SESSION_NOT_FOUND',
    );
    expectError(
      await post(`/api/v1/courses/${courseId}/sessions`, sessionBody(), bacNinh),
      404,
      'COURSE_NOT_FOUND',
    );
    expectError(
      await post(`/api/v1/sessions/${s.id}/bookings/bulk`, { personIds: [chairPerson] }, bacNinh),
      404,
      'SESSION_NOT_FOUND',
    );
    const mine = await post(`/api/v1/sessions/${s.id}/bookings`, {}, bearer(t.tokens.chair)).expect(
      201,
    );
    expectError(
      await post(`/api/v1/bookings/${mine.body.id}/cancel`, {}, bacNinh),
      404,
      'BOOKING_NOT_FOUND',
    );
    expectError(
      await post(`/api/v1/bookings/${mine.body.id}/cancel`, {}, bearer(learners[0].token)),
      404,
      'BOOKING_NOT_FOUND',
    );
    // Roles without training:manage.
    for (const who of [t.tokens.hrHanoi, t.tokens.chair]) {
      expectError(
        await post(`/api/v1/courses/${courseId}/sessions`, sessionBody(), bearer(who)),
        403,
        'FORBIDDEN',
      );
      expectError(await post(`/api/v1/sessions/${s.id}/open`, {}, bearer(who)), 403, 'FORBIDDEN');
    }
    expectError(
      await t.http.get(`/api/v1/sessions/${s.id}/bookings`).set(bearer(t.tokens.chair)),
      403,
      'FORBIDDEN',
    );
    // A learner not enrolled in the course does not see its sessions.
    const code = `SX-${uniq()}`;
    const course = await post('/api/v1/courses', {
      code,
      title: `Khóa khác ${code}`,
      deliveryMode: 'classroom',
      durationHours: 8,
      ownerOrgUnitId: await t.unitId('HN'),
    }).expect(201);
    await post(`/api/v1/courses/${course.body.id}/lessons`, {
      title: 'Bài 1',
      kind: 'text',
      content: 'Nội dung',
    }).expect(201);
    await post(`/api/v1/courses/${course.body.id}/publish`).expect(200);
    const foreign = await openSession({}, course.body.id as string);
    expectError(
      await post(`/api/v1/sessions/${foreign.id}/bookings`, {}, bearer(learners[0].token)),
      404,
      'SESSION_NOT_FOUND',
    );
  });

  it('answers 400 with details to bad bodies', async () => {
    const url = `/api/v1/courses/${courseId}/sessions`;
    expectError(await post(url, { ...sessionBody(), maxSeats: 'ten' }), 400, 'VALIDATION_FAILED', [
      'maxSeats',
    ]);
    expectError(await post(url, { ...sessionBody(), seats: 3 }), 400, 'VALIDATION_FAILED', [
      'seats',
    ]);
    const noTitle: Record<string, unknown> = sessionBody();
    delete noTitle.title;
    expectError(await post(url, noTitle), 400, 'VALIDATION_FAILED', ['title']);
    expectError(await post(url, { ...sessionBody(), maxSeats: 0 }), 400, 'VALIDATION_FAILED', [
      'maxSeats',
    ]);
    expectError(
      await post(url, sessionBody({ days: [{ startsAt: vnIn(240), endsAt: vnIn(239) }] })),
      400,
      'VALIDATION_FAILED',
      ['days[0].endsAt'],
    );
    expectError(
      await post(
        url,
        sessionBody({ days: [{ startsAt: '2027-02-30T08:00', endsAt: '2027-03-01T08:00' }] }),
      ),
      400,
      'VALIDATION_FAILED',
      ['days[0].startsAt'],
    );
    expectError(
      await post(
        url,
        sessionBody({ days: [{ startsAt: '2027-03-10T08:00+07:00', endsAt: vnIn(240) }] }),
      ),
      400,
      'VALIDATION_FAILED',
      ['days.0.startsAt'],
    );
    expectError(
      await post(url, sessionBody({ signupClosesAt: vnIn(24 * 12) })),
      400,
      'VALIDATION_FAILED',
      ['signupClosesAt'],
    );
    expectError(await post(url, sessionBody({ maxSeats: 41 })), 400, 'VALIDATION_FAILED', [
      'maxSeats',
    ]);
    expectError(await post(url, sessionBody({ venue: undefined })), 400, 'VALIDATION_FAILED', [
      'venue',
    ]);
    expectError(
      await post(url, sessionBody({ instructorPersonIds: [bacNinhPerson] })),
      404,
      'PERSON_NOT_FOUND',
      ['instructorPersonIds[0]'],
    );
    const s = await openSession();
    expectError(
      await post(`/api/v1/sessions/${s.id}/bookings/bulk`, { personIds: ['nope'] }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await post(`/api/v1/sessions/${s.id}/bookings/bulk`, { personIds: [] }),
      400,
      'VALIDATION_FAILED',
      ['personIds'],
    );
    expectError(
      await post(`/api/v1/bookings/${s.id}/move`, { toSessionId: 12 }),
      400,
      'VALIDATION_FAILED',
      ['toSessionId'],
    );
  });

  it('lets a learner enrolled in the course list its sessions out of draft; anyone else gets 404', async () => {
    // A second course in which only the chair is enrolled: learner 0 is not.
    const code = `SL-${uniq()}`;
    const other = await post('/api/v1/courses', {
      code,
      title: `Kỹ năng thương lượng tập thể ${code}`,
      deliveryMode: 'blended',
      durationHours: 8,
      ownerOrgUnitId: await t.unitId('HN'),
    }).expect(201);
    const otherId = other.body.id as string;
    await post(`/api/v1/courses/${otherId}/lessons`, {
      title: 'Bài 1',
      kind: 'text',
      content: 'Nội dung',
    }).expect(201);
    await post(`/api/v1/courses/${otherId}/publish`).expect(200);
    await post('/api/v1/enrolments', { courseId: otherId, personIds: [chairPerson] }).expect(200);
    const draft = await post(`/api/v1/courses/${otherId}/sessions`, sessionBody()).expect(201);
    const open = await openSession({}, otherId);
    const cancelled = await openSession({}, otherId);
    await post(`/api/v1/sessions/${cancelled.id}/cancel`).expect(200);
    const list = (auth: Record<string, string>) =>
      t.http.get(`/api/v1/courses/${otherId}/sessions`).set(auth);

    const chair = await list(bearer(t.tokens.chair)).expect(200);
    const seen = chair.body.items as (Session & { maxSeats: number; courseCode: string })[];
    expect(seen.map((s) => s.id).sort()).toEqual([open.id, cancelled.id].sort());
    expect(seen.find((s) => s.id === open.id)).toMatchObject({
      status: 'open',
      bookedSeats: 0,
      maxSeats: 2,
      courseCode: code,
    });
    const staff = await list(officer()).expect(200);
    expect((staff.body.items as Session[]).map((s) => s.id)).toContain(draft.body.id);
    expect(staff.body.items).toHaveLength(3);

    expectError(await list(bearer(learners[0].token)), 404, 'COURSE_NOT_FOUND');
    expectError(
      await list(bearer(await t.login('daotao.bacninh@lms.congdoan.test'))),
      404,
      'COURSE_NOT_FOUND',
    );
    expectError(
      await t.http
        .get('/api/v1/courses/00000000-0000-4000-8000-000000000000/sessions')
        .set(bearer(t.tokens.chair)),
      404,
      'COURSE_NOT_FOUND',
    );
  });

  it('shows officers the calendar of a month: the sessions of their scope with a day in it', async () => {
    const s = await openSession({
      days: [
        { startsAt: '2031-05-31T08:00', endsAt: '2031-05-31T16:00' },
        { startsAt: '2031-06-01T08:00', endsAt: '2031-06-01T16:00' },
      ],
      signupClosesAt: vnIn(24),
    });
    const draft = await post(
      `/api/v1/courses/${courseId}/sessions`,
      sessionBody({
        days: [{ startsAt: '2031-06-30T23:00', endsAt: '2031-06-30T23:59' }],
        signupClosesAt: vnIn(24),
      }),
    ).expect(201);
    const month = (m: string, auth = officer(), query: Record<string, unknown> = {}) =>
      t.http
        .get('/api/v1/sessions')
        .query({ month: m, ...query })
        .set(auth);
    const ids = (res: { body: { items: Session[] } }) => res.body.items.map((x) => x.id);

    // A session of two days, 31 May and 1 June in Vietnam: in both months.
    expect(ids(await month('2031-05').expect(200))).toContain(s.id);
    const june = await month('2031-06').expect(200);
    expect(ids(june)).toEqual(expect.arrayContaining([s.id, draft.body.id]));
    // 30 June 23:00 in Hà Nội is 16:00 UTC the same day: June, not July.
    expect(ids(await month('2031-07').expect(200))).not.toContain(draft.body.id);
    // Keyset pages: one at a time, in first-day order, none twice.
    const first = await month('2031-06', officer(), { limit: 1 }).expect(200);
    expect(ids(first)).toEqual([s.id]);
    const second = await month('2031-06', officer(), {
      limit: 1,
      cursor: first.body.nextCursor as string,
    }).expect(200);
    expect(ids(second)).toEqual([draft.body.id]);

    const bacNinh = bearer(await t.login('daotao.bacninh@lms.congdoan.test'));
    expect(ids(await month('2031-06', bacNinh).expect(200))).not.toContain(s.id);
    expectError(await month('2031-06', bearer(t.tokens.chair)), 403, 'FORBIDDEN');
    for (const bad of ['2031-13', '2031-6', '31-06', '2031-06-01']) {
      expectError(await month(bad), 400, 'VALIDATION_FAILED', ['month']);
    }
    expectError(await t.http.get('/api/v1/sessions').set(officer()), 400, 'VALIDATION_FAILED', [
      'month',
    ]);
  });

  it('names the person and the session of each booking', async () => {
    const mine = await t.http.get('/api/v1/me/bookings').set(bearer(learners[5].token)).expect(200);
    const items = mine.body.items as { personName: string; sessionTitle: string }[];
    expect(items.length).toBeGreaterThan(0);
    for (const b of items) {
      expect(b.personName).toBe('Trần Thị Học viên 6');
      expect(b.sessionTitle).toMatch(/^Lớp K01 — đợt /);
    }
  });
});
