import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';
import { todayVn } from '../src/common/dates/vietnam-dates';

const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface Mine {
  id: string;
  course: { code: string };
  dueOn: string | null;
  overdue: boolean;
}

/**
 * Issue 11, item 3: an officer who enrols people gives them a deadline, and the learner sees it
 * (and whether it has passed) in their own list.
 */
describe('enrolment due dates', () => {
  let t: TestApp;
  let courseK04: string;
  let chairPerson: string;
  let officer: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp();
    officer = bearer(t.tokens.officerHanoi);
    [{ id: courseK04 }] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM courses WHERE code = 'K04'`,
    );
    [{ person_id: chairPerson }] = await t.dataSource.query<{ person_id: string }[]>(
      `SELECT person_id FROM user_accounts WHERE email = 'chutich.mayhadong@lms.congdoan.test'`,
    );
  });

  afterAll(async () => {
    await t.close();
  });

  const mine = async (code: string) => {
    const res = await t.http
      .get('/api/v1/me/enrolments?limit=100')
      .set(bearer(t.tokens.chair))
      .expect(200);
    return (res.body.items as Mine[]).find((e) => e.course.code === code);
  };
  const enrol = (body: Record<string, unknown>) =>
    t.http.post('/api/v1/enrolments').set(officer).send(body);

  it('refuses a due date that has passed, a malformed one and null, enrolling nobody', async () => {
    const yesterday = addDays(todayVn(), -1);
    const past = await enrol({ courseId: courseK04, personIds: [chairPerson], dueOn: yesterday });
    expectError(past, 422, 'DUE_DATE_IN_PAST', ['dueOn']);
    const [y, m, d] = yesterday.split('-');
    expect(past.body.message).toContain(`${d}/${m}/${y}`);
    expectError(
      await enrol({ courseId: courseK04, personIds: [chairPerson], dueOn: '2027-02-30' }),
      400,
      'VALIDATION_FAILED',
      ['dueOn'],
    );
    expectError(
      await enrol({ courseId: courseK04, personIds: [chairPerson], dueOn: null }),
      400,
      'VALIDATION_FAILED',
      ['dueOn'],
    );
    expectError(
      await enrol({ courseId: courseK04, personIds: [chairPerson], dueOn: 20270101 }),
      400,
      'VALIDATION_FAILED',
      ['dueOn'],
    );
    expect(await mine('K04')).toBeUndefined();
  });

  it('carries the officer’s due date to the enrolment and to the learner’s own list', async () => {
    const due = addDays(todayVn(), 30);
    const res = await enrol({ courseId: courseK04, personIds: [chairPerson], dueOn: due });
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ created: true, dueOn: due });
    expect(await mine('K04')).toMatchObject({ dueOn: due, overdue: false });
  });

  it('moves the deadline of an unfinished enrolment when the officer enrols again with a new date', async () => {
    const later = addDays(todayVn(), 60);
    const res = await enrol({ courseId: courseK04, personIds: [chairPerson], dueOn: later });
    expect(res.body.items[0]).toMatchObject({ created: false, dueOn: later });
    expect(await mine('K04')).toMatchObject({ dueOn: later });
    // Enrolling again without a date keeps the deadline.
    await enrol({ courseId: courseK04, personIds: [chairPerson] }).expect(200);
    expect(await mine('K04')).toMatchObject({ dueOn: later });
  });

  it('marks an unfinished enrolment overdue once its due date has passed', async () => {
    const e = (await mine('K04'))!;
    await t.dataSource.query(`UPDATE enrolments SET due_on = $2::date WHERE id = $1`, [
      e.id,
      addDays(todayVn(), -3),
    ]);
    expect(await mine('K04')).toMatchObject({ overdue: true });
  });
});
