import { addDays } from '../src/common/dates/calendar';
import { Clock } from '../src/common/clock/clock';
import { expectError } from './expect-error';
import { issueTestCertificate } from './support/certificate-fixtures';
import { useFixedClock, SetClock } from './support/clock';
import {
  createProgramme,
  createAssignment,
  peopleOf,
  personIdByEmail,
} from './support/programme-fixtures';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';

const vi = (iso: string) => iso.split('-').reverse().join('/');

/**
 * Issue 12, item 7: the date is the app's Clock, not the machine's. A test sets it and every rule
 * that decides by the date follows — expiry, overdue, "no due date in the past", the daily scan —
 * without sleeping and whatever the hour the suite runs.
 */
describe('the injected clock', () => {
  let t: TestApp;
  let set: SetClock;
  let chairPerson: string;
  let colleague: string;
  let hanoi: string;
  let k04: string;

  beforeAll(async () => {
    t = await createTestApp();
    set = useFixedClock(t.app, '2031-03-10');
    chairPerson = await personIdByEmail(t.dataSource, DEMO.chair);
    colleague = (await peopleOf(t.dataSource, 'HN-HD-MAY')).find((id) => id !== chairPerson)!;
    hanoi = await t.unitId('HN');
    [{ id: k04 }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM courses WHERE code = 'K04'`,
    );
  });

  afterAll(async () => {
    set?.restore();
    await t?.close();
  });

  it('is one global provider that services read', () => {
    expect(t.app.get(Clock).todayVn()).toBe('2031-03-10');
    set.clock.set('2031-03-10T23:30:00+07:00');
    expect(t.app.get(Clock).todayVn()).toBe('2031-03-10');
    set.clock.advance(60 * 60 * 1000); // 00:30 the next day in Hà Nội, still 10 March in UTC
    expect(t.app.get(Clock).todayVn()).toBe('2031-03-11');
    set.clock.set('2031-03-10');
  });

  it('decides overdue and "not in the past" by the clock’s day', async () => {
    const officer = bearer(t.tokens.officerHanoi);
    const dueOn = '2031-03-15';
    await t.http
      .post('/api/v1/enrolments')
      .set(officer)
      .send({ courseId: k04, personIds: [chairPerson], dueOn })
      .expect(200);
    const mine = async () => {
      const res = await t.http
        .get('/api/v1/me/enrolments?limit=100')
        .set(bearer(t.tokens.chair))
        .expect(200);
      return (
        res.body.items as { course: { code: string }; dueOn: string; overdue: boolean }[]
      ).find((e) => e.course.code === 'K04')!;
    };
    expect(await mine()).toMatchObject({ dueOn, overdue: false });

    set.clock.set(dueOn); // the last day is still in time
    expect((await mine()).overdue).toBe(false);
    set.clock.advanceDays(1);
    expect((await mine()).overdue).toBe(true);

    // The same date is now refused as a new deadline, and the message names the clock's today.
    const refused = await t.http
      .post('/api/v1/enrolments')
      .set(officer)
      .send({ courseId: k04, personIds: [colleague], dueOn });
    expectError(refused, 422, 'DUE_DATE_IN_PAST', ['dueOn']);
    expect(refused.body.message).toContain(vi('2031-03-16'));
  });

  it('expires a certificate the day after its last valid day, before and through the scan', async () => {
    set.clock.set('2031-03-10');
    const programme = await createProgramme(t.dataSource, {
      code: 'CLOCK-11',
      title: 'Kiểm tra tài chính công đoàn hằng năm',
      courseCodes: ['K04'],
      ownerUnit: 'HN',
      validityMonths: 11,
      windowDays: 30,
    });
    await createAssignment(t.dataSource, programme, 'HN-HD-MAY', [colleague], '2031-06-30');
    const cert = await issueTestCertificate(t, {
      personId: colleague,
      holderName: 'Lê Thị Mai',
      courseId: k04,
      issuerOrgUnitId: hanoi,
      courseCode: 'K04',
      courseTitle: 'Tài chính và kiểm tra công đoàn',
      completedAt: set.clock.now(),
    });
    const lastDay = '2032-02-10';
    const verify = async () => (await t.http.get(`/api/v1/verify/${cert.code}`).expect(200)).body;
    expect(await verify()).toMatchObject({ status: 'valid', validUntil: vi(lastDay) });

    set.clock.set(lastDay);
    expect((await verify()).status).toBe('valid');

    // The day after: expired for everyone who reads it, though the scan has not run yet …
    set.clock.set(addDays(lastDay, 1));
    expect(await verify()).toMatchObject({
      status: 'expired',
      statusChangedOn: vi(addDays(lastDay, 1)),
    });
    const detail = await t.http
      .get(`/api/v1/certificates/${cert.id}`)
      .set(bearer(t.tokens.officerHanoi))
      .expect(200);
    expect(detail.body.status).toBe('expired');
    const [before] = await t.dataSource.query<{ status: string }[]>(
      'SELECT status FROM certificates WHERE id = $1',
      [cert.id],
    );
    expect(before.status).toBe('valid');

    // … and the daily scan, run without a date, takes the clock's day and records it.
    const scan = await t.http
      .post('/api/v1/programmes/recertification/run')
      .set(bearer(t.tokens.admin))
      .expect(200);
    expect(scan.body.certificatesExpired).toBeGreaterThanOrEqual(1);
    const [after] = await t.dataSource.query<{ status: string; changed_on: string }[]>(
      `SELECT status, (status_changed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text AS changed_on
         FROM certificates WHERE id = $1`,
      [cert.id],
    );
    expect(after).toEqual({ status: 'expired', changed_on: addDays(lastDay, 1) });
  });
});
