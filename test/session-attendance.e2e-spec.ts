import { randomBytes } from 'node:crypto';
import { expectError } from './expect-error';
import { SetClock, useFixedClock } from './support/clock';
import { bearer, createTestApp, TestApp } from './support/test-app';
import { toVnLocal } from '../src/courses/session-time';

interface Mark {
  personId: string;
  status: string;
  previousStatus: string | null;
  completed: boolean;
}

const MINUTE = 60_000;
const uniq = () => randomBytes(3).toString('hex').toUpperCase();
const vn = (at: Date) => toVnLocal(at).slice(0, 16);

/**
 * Attendance per session day and completion from attendance (issue 17, items 3 and 4). One
 * session of three days whose lengths make the shares exact: day 1 is 79 minutes, day 2 one
 * minute, day 3 twenty (100 minutes in all). Time is the app's clock, set per test relative to
 * the first day's start (`base`); nothing waits on the real time.
 */
describe('session attendance and QR check-in', () => {
  let t: TestApp;
  let time: SetClock;
  const officer = () => bearer(t.tokens.officerHanoi);
  /** Learners, all enrolled; 0–5 booked on the session, 6 not booked. */
  const learners: { personId: string; token: string }[] = [];
  let courseId: string;
  let sessionId: string;
  let otherSessionId: string;
  let base: number;
  const at = (minutes: number) => time.clock.set(new Date(base + minutes * MINUTE));

  const put = (day: number | string, body: object, auth = officer(), session = sessionId) =>
    t.http.put(`/api/v1/sessions/${session}/days/${day}/attendance`).set(auth).send(body);
  const codeOf = async (day: number, session = sessionId) =>
    (
      await t.http
        .get(`/api/v1/sessions/${session}/days/${day}/check-in-code`)
        .set(officer())
        .expect(200)
    ).body.code as string;
  const checkIn = (who: number, code: unknown) =>
    t.http.post('/api/v1/me/check-in').set(bearer(learners[who].token)).send({ code });
  const marksOf = (who: number) =>
    t.dataSource.query<{ day_no: number; status: string; source: string }[]>(
      `SELECT day_no, status, source FROM session_attendance
        WHERE session_id = $1 AND person_id = $2 ORDER BY day_no`,
      [sessionId, learners[who].personId],
    );
  const enrolmentStatus = async (who: number) =>
    (
      await t.dataSource.query<{ status: string }[]>(
        `SELECT status FROM enrolments WHERE course_id = $1 AND person_id = $2`,
        [courseId, learners[who].personId],
      )
    )[0].status;

  beforeAll(async () => {
    t = await createTestApp();
    const [chair] = await t.dataSource.query<{ person_id: string }[]>(
      `SELECT person_id FROM user_accounts WHERE email = 'chutich.mayhadong@lms.congdoan.test'`,
    );
    const tag = uniq().toLowerCase();
    const made = await t.dataSource.query<{ id: string; email: string }[]>(
      `WITH chair AS (SELECT p.home_org_unit_id, u.password_hash FROM people p
                        JOIN user_accounts u ON u.person_id = p.id WHERE p.id = $1),
            made AS (
       INSERT INTO people (family_name, middle_name, given_name, full_name, search_name, sort_key,
                           home_org_unit_id)
       SELECT 'Lê', 'Văn', 'Học viên ' || n, 'Lê Văn Học viên ' || n,
              'le van hoc vien ' || n, 'hoc vien ' || lpad(n::text, 2, '0'), home_org_unit_id
         FROM chair, generate_series(1, 7) AS n
       RETURNING id, given_name),
            acc AS (
       INSERT INTO user_accounts (email, password_hash, person_id)
       SELECT 'dd' || right(m.given_name, 1) || '.' || $2 || '@lms.congdoan.test', c.password_hash, m.id
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

    const code = `SA-${uniq()}`;
    const course = await t.http
      .post('/api/v1/courses')
      .set(officer())
      .send({
        code,
        title: `Kỹ năng chủ tịch CĐCS ${code}`,
        deliveryMode: 'classroom',
        durationHours: 2,
        ownerOrgUnitId: await t.unitId('HN'),
      })
      .expect(201);
    courseId = course.body.id as string;
    expect(course.body.attendanceMinPercent).toBe(80);
    // An optional lesson: the completion rule is then the attendance share alone.
    await t.http
      .post(`/api/v1/courses/${courseId}/lessons`)
      .set(officer())
      .send({ title: 'Tài liệu', kind: 'text', content: 'Đọc thêm', required: false })
      .expect(201);
    await t.http.post(`/api/v1/courses/${courseId}/publish`).set(officer()).expect(200);
    await t.http
      .post('/api/v1/enrolments')
      .set(officer())
      .send({ courseId, personIds: learners.map((l) => l.personId) })
      .expect(200);

    base = Math.floor((Date.now() + 10 * 86_400_000) / MINUTE) * MINUTE;
    const day = (from: number, minutes: number) => ({
      startsAt: vn(new Date(base + from * MINUTE)),
      endsAt: vn(new Date(base + (from + minutes) * MINUTE)),
    });
    const create = async (days: object[]) => {
      const made = await t.http
        .post(`/api/v1/courses/${courseId}/sessions`)
        .set(officer())
        .send({
          title: `Lớp điểm danh ${uniq()}`,
          days,
          venue: { name: 'Trường Cán bộ Công đoàn Hà Nội', capacity: 40 },
          signupOpensAt: vn(new Date(Date.now() - 86_400_000)),
          signupClosesAt: vn(new Date(Date.now() + 5 * 86_400_000)),
          maxSeats: 20,
        })
        .expect(201);
      await t.http.post(`/api/v1/sessions/${made.body.id}/open`).set(officer()).expect(200);
      return made.body.id as string;
    };
    sessionId = await create([day(0, 79), day(90, 1), day(120, 20)]);
    otherSessionId = await create([day(0, 60)]);
    await t.http
      .post(`/api/v1/sessions/${sessionId}/bookings/bulk`)
      .set(officer())
      .send({ personIds: learners.slice(0, 6).map((l) => l.personId) })
      .expect(200);
    time = useFixedClock(t.app, new Date(base));
  });

  afterAll(async () => {
    time?.restore();
    await t.close();
  });

  it('marks booked people of a day in bulk; a later mark replaces one and keeps it in the log', async () => {
    at(5);
    const first = await put(1, {
      marks: [
        { personId: learners[0].personId, status: 'present' },
        { personId: learners[1].personId, status: 'late' },
        { personId: learners[2].personId, status: 'absent' },
        { personId: learners[3].personId, status: 'excused' },
      ],
    }).expect(200);
    expect(first.body.dayNo).toBe(1);
    expect(
      (first.body.items as Mark[]).map((m) => [m.status, m.previousStatus, m.completed]).sort(),
    ).toEqual([
      ['absent', null, false],
      ['excused', null, false],
      ['late', null, false],
      ['present', null, false],
    ]);
    const again = await put(1, {
      marks: [{ personId: learners[2].personId, status: 'late' }],
    }).expect(200);
    expect(again.body.items).toEqual([
      {
        personId: learners[2].personId,
        status: 'late',
        previousStatus: 'absent',
        completed: false,
      },
    ]);
    expect(await marksOf(2)).toEqual([{ day_no: 1, status: 'late', source: 'officer' }]);
    const log = await t.dataSource.query<{ previous_status: string | null; status: string }[]>(
      `SELECT previous_status, status FROM session_attendance_changes
        WHERE session_id = $1 AND person_id = $2 ORDER BY id`,
      [sessionId, learners[2].personId],
    );
    expect(log).toEqual([
      { previous_status: null, status: 'absent' },
      { previous_status: 'absent', status: 'late' },
    ]);
  });

  it('keeps an unbroken chain of marks when officers mark the same person at once', async () => {
    at(5);
    const who = learners[3].personId;
    const statuses = ['present', 'absent', 'late', 'excused', 'present', 'absent'];
    await Promise.all(
      statuses.map((status) => put(1, { marks: [{ personId: who, status }] }).expect(200)),
    );
    const log = await t.dataSource.query<{ previous_status: string | null; status: string }[]>(
      `SELECT previous_status, status FROM session_attendance_changes
        WHERE session_id = $1 AND day_no = 1 AND person_id = $2 ORDER BY id`,
      [sessionId, who],
    );
    // The first test marked this person excused; each later entry replaces the one before it.
    expect(log).toHaveLength(statuses.length + 1);
    for (let i = 1; i < log.length; i++) expect(log[i].previous_status).toBe(log[i - 1].status);
    const [current] = await t.dataSource.query<{ status: string }[]>(
      `SELECT status FROM session_attendance WHERE session_id = $1 AND day_no = 1 AND person_id = $2`,
      [sessionId, who],
    );
    expect(current.status).toBe(log[log.length - 1].status);
  });

  it('refuses people not booked on the session, naming each, and writes nothing', async () => {
    at(5);
    const before = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM session_attendance_changes WHERE session_id = $1`,
      [sessionId],
    );
    const res = await put(1, {
      marks: [
        { personId: learners[0].personId, status: 'absent' },
        { personId: learners[6].personId, status: 'present' },
        { personId: '00000000-0000-4000-8000-000000000000', status: 'present' },
      ],
    });
    expectError(res, 422, 'ATTENDANCE_NOT_BOOKED', ['marks[1].personId', 'marks[2].personId']);
    expect(res.body.details).toHaveLength(2);
    const after = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM session_attendance_changes WHERE session_id = $1`,
      [sessionId],
    );
    expect(after).toEqual(before);
    expect(await marksOf(0)).toEqual([{ day_no: 1, status: 'present', source: 'officer' }]);
  });

  it('reads the sheet of a day: everyone booked, by name, with the current mark and its source', async () => {
    at(5);
    const sheet = (auth = officer(), day: number | string = 1) =>
      t.http.get(`/api/v1/sessions/${sessionId}/days/${day}/attendance`).set(auth);
    const res = await sheet().expect(200);
    expect(res.body).toMatchObject({ sessionId, dayNo: 1 });
    expect(res.body.startsAt).toBe(toVnLocal(new Date(base)));
    const items = res.body.items as {
      personId: string;
      fullName: string;
      status: string | null;
      source: string | null;
    }[];
    const byPerson = new Map(items.map((i) => [i.personId, i]));
    // Learners 0–5 are booked; 6 is enrolled but holds no seat.
    expect(items).toHaveLength(6);
    expect(byPerson.has(learners[6].personId)).toBe(false);
    expect(byPerson.get(learners[2].personId)).toMatchObject({
      status: 'late',
      source: 'officer',
      fullName: expect.stringMatching(/^Lê Văn Học viên \d$/) as unknown,
    });
    expect(byPerson.get(learners[5].personId)).toMatchObject({ status: null, source: null });
    expectError(await sheet(officer(), 9), 404, 'SESSION_DAY_NOT_FOUND');
    expectError(await sheet(officer(), 'x'), 400, 'VALIDATION_FAILED', ['dayId']);
    const bacNinh = bearer(await t.login('daotao.bacninh@lms.congdoan.test'));
    expectError(await sheet(bacNinh), 404, 'SESSION_NOT_FOUND');
    for (const who of [t.tokens.hrHanoi, learners[0].token]) {
      expectError(await sheet(bearer(who)), 403, 'FORBIDDEN');
    }
  });

  it('refuses a day not begun, a day that does not exist and a day that is not a number', async () => {
    at(5);
    const one = { marks: [{ personId: learners[0].personId, status: 'present' }] };
    expectError(await put(3, one), 409, 'ATTENDANCE_DAY_NOT_STARTED');
    expectError(await put(9, one), 404, 'SESSION_DAY_NOT_FOUND');
    expectError(await put('x', one), 400, 'VALIDATION_FAILED', ['dayId']);
    expectError(await put(0, one), 400, 'VALIDATION_FAILED', ['dayId']);
  });

  it('answers bad bodies 400 with the fields named', async () => {
    at(5);
    const p = learners[0].personId;
    const cases: [object, string][] = [
      [{}, 'marks'],
      [{ marks: [] }, 'marks'],
      [{ marks: 'present' }, 'marks'],
      [{ marks: [p] }, 'marks.0'],
      [{ marks: [{ personId: p }] }, 'marks.0.status'],
      [{ marks: [{ personId: p, status: 'sick' }] }, 'marks.0.status'],
      [{ marks: [{ personId: 42, status: 'present' }] }, 'marks.0.personId'],
      [{ marks: [{ personId: p, status: 'present', note: 'x' }] }, 'marks.0.note'],
      [{ marks: [{ personId: p, status: 'present' }], extra: true }, 'extra'],
      [
        { marks: Array.from({ length: 1001 }, () => ({ personId: p, status: 'present' })) },
        'marks',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await put(1, body);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect((res.body.details as { field: string }[]).map((d) => d.field).join(' ')).toContain(
        field,
      );
    }
    const twice = await put(1, {
      marks: [
        { personId: p, status: 'present' },
        { personId: p, status: 'absent' },
      ],
    });
    expectError(twice, 400, 'VALIDATION_FAILED', ['marks[1].personId']);
  });

  it('answers 404 outside the subtree and 403 to a role without the right', async () => {
    at(5);
    const one = { marks: [{ personId: learners[0].personId, status: 'present' }] };
    const bacNinh = bearer(await t.login('daotao.bacninh@lms.congdoan.test'));
    expectError(await put(1, one, bacNinh), 404, 'SESSION_NOT_FOUND');
    expectError(
      await t.http.get(`/api/v1/sessions/${sessionId}/days/1/check-in-code`).set(bacNinh),
      404,
      'SESSION_NOT_FOUND',
    );
    for (const who of [t.tokens.hrHanoi, learners[0].token]) {
      expectError(await put(1, one, bearer(who)), 403, 'FORBIDDEN');
      expectError(
        await t.http.get(`/api/v1/sessions/${sessionId}/days/1/check-in-code`).set(bearer(who)),
        403,
        'FORBIDDEN',
      );
    }
  });

  it('checks a booked learner in with the code of this or the last minute, not an older one', async () => {
    at(85); // day 2 (90–91) opens for check-in at 60
    const code = await codeOf(2);
    const res = await checkIn(0, code).expect(200);
    // Present on day 1 (79 minutes) and now day 2 (1 minute): 80 %, but day 3 is still to
    // come, so the share waits for the session's end (the certificate counts every day).
    expect(res.body).toEqual({ sessionId, dayNo: 2, status: 'present', completed: false });
    expect((await marksOf(0))[1]).toEqual({ day_no: 2, status: 'present', source: 'check_in' });
    time.clock.advance(MINUTE); // the code has rotated once: still accepted
    expect(await codeOf(2)).not.toBe(code);
    await checkIn(1, code).expect(200);
    time.clock.advance(MINUTE); // two windows old: a screenshot passed on
    expectError(await checkIn(2, code), 422, 'CHECK_IN_CODE_EXPIRED');
    expect(await marksOf(2)).toEqual([{ day_no: 1, status: 'late', source: 'officer' }]);
    // A second scan changes nothing and logs nothing.
    await checkIn(0, await codeOf(2)).expect(200);
    const log = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM session_attendance_changes
        WHERE session_id = $1 AND day_no = 2 AND person_id = $2`,
      [sessionId, learners[0].personId],
    );
    expect(log).toEqual([{ n: 1 }]);
  });

  it('refuses check-in outside the window, for another session or day, and bad codes', async () => {
    at(85);
    // Day 3 (120–140) opens for check-in at 90.
    expectError(await checkIn(0, await codeOf(3)), 409, 'CHECK_IN_OUTSIDE_WINDOW');
    // A session the learner is not booked on, and a learner booked on none.
    expectError(await checkIn(0, await codeOf(1, otherSessionId)), 409, 'CHECK_IN_NOT_BOOKED');
    expectError(await checkIn(6, await codeOf(2)), 409, 'CHECK_IN_NOT_BOOKED');
    // A code altered to name another day.
    const code = await codeOf(2);
    expectError(
      await checkIn(0, code.replace(`${sessionId}.2.`, `${sessionId}.3.`)),
      422,
      'CHECK_IN_CODE_INVALID',
    );
    expectError(await checkIn(0, 'not-a-code'), 422, 'CHECK_IN_CODE_INVALID');
    // After the day has ended.
    at(141);
    expectError(await checkIn(0, await codeOf(3)), 409, 'CHECK_IN_OUTSIDE_WINDOW');
    // Bad bodies.
    expectError(await checkIn(0, 42), 400, 'VALIDATION_FAILED', ['code']);
    expectError(
      await t.http.post('/api/v1/me/check-in').set(bearer(learners[0].token)).send({}),
      400,
      'VALIDATION_FAILED',
      ['code'],
    );
    expectError(
      await t.http
        .post('/api/v1/me/check-in')
        .set(bearer(learners[0].token))
        .send({ code: 'x', extra: 1 }),
      400,
      'VALIDATION_FAILED',
      ['extra'],
    );
  });

  it('completes at 80 % of session time attended and not at 79 % (excused is not attended)', async () => {
    at(150);
    const [a, b] = [learners[4].personId, learners[5].personId];
    // Day 1 (79 of 100 minutes): both present — 79 %, not yet.
    const day1 = await put(1, {
      marks: [
        { personId: a, status: 'present' },
        { personId: b, status: 'present' },
      ],
    }).expect(200);
    expect((day1.body.items as Mark[]).map((m) => m.completed)).toEqual([false, false]);
    // Day 3 absent for both.
    await put(3, {
      marks: [
        { personId: a, status: 'absent' },
        { personId: b, status: 'absent' },
      ],
    }).expect(200);
    // Day 2 (1 minute): late counts, excused does not — 80 % and 79 %.
    const day2 = await put(2, {
      marks: [
        { personId: a, status: 'late' },
        { personId: b, status: 'excused' },
      ],
    }).expect(200);
    const done = new Map((day2.body.items as Mark[]).map((m) => [m.personId, m.completed]));
    expect(done.get(a)).toBe(true);
    expect(done.get(b)).toBe(false);
    expect(await enrolmentStatus(4)).toBe('completed');
    expect(await enrolmentStatus(5)).not.toBe('completed');
    // The course shows the share in its completion rule now that it has sessions.
    const shown = await t.http.get(`/api/v1/courses/${courseId}`).set(officer()).expect(200);
    expect(shown.body.completionRule.minAttendancePercent).toBe(80);
    // The share is the course's setting: at 79 % the second learner completes on the next mark.
    await t.dataSource.query(`UPDATE courses SET attendance_min_percent = 79 WHERE id = $1`, [
      courseId,
    ]);
    const again = await put(3, { marks: [{ personId: b, status: 'absent' }] }).expect(200);
    expect(again.body.items[0].completed).toBe(true);
    expect(await enrolmentStatus(5)).toBe('completed');
    // Each certificate states the hours attended (80 and 79 minutes), beside the course's own.
    const certs = await t.dataSource.query<
      { person_id: string; hours: number; attended: number }[]
    >(
      `SELECT person_id, (snapshot->>'hours')::float AS hours,
              (snapshot->>'attendedHours')::float AS attended
         FROM certificates WHERE person_id = ANY($1::uuid[]) AND status = 'valid'`,
      [[a, b]],
    );
    const attended = new Map(certs.map((c) => [c.person_id, c.attended]));
    expect(attended.get(a)).toBe(1.33);
    expect(attended.get(b)).toBe(1.32);
  });

  it('takes the attendance share as a course setting, 0 to 100 whole percent', async () => {
    const code = `SB-${uniq()}`;
    const body = {
      code,
      title: `Khóa thiết lập ${code}`,
      deliveryMode: 'classroom',
      durationHours: 8,
      ownerOrgUnitId: await t.unitId('HN'),
    };
    const create = (over: object) =>
      t.http
        .post('/api/v1/courses')
        .set(officer())
        .send({ ...body, ...over });
    for (const bad of [101, -1, 79.5, '80']) {
      expectError(await create({ attendanceMinPercent: bad }), 400, 'VALIDATION_FAILED', [
        'attendanceMinPercent',
      ]);
    }
    const made = await create({ attendanceMinPercent: 90 }).expect(201);
    expect(made.body.attendanceMinPercent).toBe(90);
    // No sessions yet: the rule has no attendance share.
    expect(made.body.completionRule.minAttendancePercent).toBeNull();
    const patched = await t.http
      .patch(`/api/v1/courses/${made.body.id}`)
      .set(officer())
      .send({ attendanceMinPercent: 75 })
      .expect(200);
    expect(patched.body.attendanceMinPercent).toBe(75);
    expectError(
      await t.http
        .patch(`/api/v1/courses/${made.body.id}`)
        .set(officer())
        .send({ attendanceMinPercent: 101 }),
      400,
      'VALIDATION_FAILED',
      ['attendanceMinPercent'],
    );
  });
  it('keeps attendance through a correction of days and refuses to remove an attended day', async () => {
    const slot = (from: number) => ({
      startsAt: vn(new Date(base + from * MINUTE)),
      endsAt: vn(new Date(base + (from + 60) * MINUTE)),
    });
    const made = await t.http
      .post(`/api/v1/courses/${courseId}/sessions`)
      .set(officer())
      .send({
        title: `Lớp sửa ngày ${uniq()}`,
        days: [slot(1000), slot(1100), slot(1200)],
        venue: { name: 'Nhà văn hóa xã', capacity: 30 },
        signupOpensAt: vn(new Date(base - 86_400_000)),
        signupClosesAt: vn(new Date(base + 900 * MINUTE)),
        maxSeats: 10,
      })
      .expect(201);
    const id = made.body.id as string;
    at(0);
    await t.http.post(`/api/v1/sessions/${id}/open`).set(officer()).expect(200);
    await t.http
      .post(`/api/v1/sessions/${id}/bookings/bulk`)
      .set(officer())
      .send({ personIds: [learners[6].personId] })
      .expect(200);
    at(1300);
    await put(
      2,
      { marks: [{ personId: learners[6].personId, status: 'present' }] },
      officer(),
      id,
    ).expect(200);
    const patch = (body: object) =>
      t.http.patch(`/api/v1/sessions/${id}`).set(officer()).send(body);
    // The same days with another title (what the portal's edit form sends): accepted.
    await patch({ title: 'Lớp sửa tên', days: [slot(1000), slot(1100), slot(1200)] }).expect(200);
    // Day 2's hours corrected: its mark stays with it.
    const moved = await patch({ days: [slot(1000), slot(1130), slot(1200)] }).expect(200);
    expect(moved.body.days[1].startsAt).toBe(`${vn(new Date(base + 1130 * MINUTE))}:00+07:00`);
    const kept = await t.dataSource.query<{ day_no: number; status: string }[]>(
      `SELECT day_no, status FROM session_attendance WHERE session_id = $1`,
      [id],
    );
    expect(kept).toEqual([{ day_no: 2, status: 'present' }]);
    // Day 3 (unmarked) may go; day 2 (marked) may not.
    const shorter = await patch({ days: [slot(1000), slot(1130)] }).expect(200);
    expect(shorter.body.days).toHaveLength(2);
    expectError(await patch({ days: [slot(1000)] }), 409, 'SESSION_DAY_ATTENDED', ['days']);
    const after = await t.http.get(`/api/v1/sessions/${id}`).set(officer()).expect(200);
    expect(after.body.days).toHaveLength(2);
  });
  it('completes the learners booked, at 80 %, when the officer completes the session', async () => {
    at(200);
    // Learner 0 reached 80 % on day 2 while day 3 was still to come: still in progress.
    expect(await enrolmentStatus(0)).not.toBe('completed');
    await t.http.post(`/api/v1/sessions/${sessionId}/close`).set(officer()).expect(200);
    expect(await enrolmentStatus(0)).not.toBe('completed');
    await t.http.post(`/api/v1/sessions/${sessionId}/complete`).set(officer()).expect(200);
    expect(await enrolmentStatus(0)).toBe('completed');
    const [cert] = await t.dataSource.query<{ attended: number }[]>(
      `SELECT (snapshot->>'attendedHours')::float AS attended FROM certificates
        WHERE person_id = $1 AND status = 'valid' AND course_id = $2`,
      [learners[0].personId, courseId],
    );
    expect(cert.attended).toBe(1.33);
  });
});
