import { expectError } from './expect-error';
import {
  completeCourses,
  createAssignment,
  createProgramme,
  peopleOf,
  personIdByEmail,
} from './support/programme-fixtures';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';
import { todayVn } from '../src/common/dates/vietnam-dates';

interface MemberRow {
  cycle: number;
  assigned_on: string;
  due_on: string;
  completed_on: string | null;
  expires_on: string | null;
  targeted: boolean;
}

describe('recertification', () => {
  let t: TestApp;
  let chairId: string;
  let colleagueId: string;

  const preview = (token: string, body: object) =>
    t.http.post('/api/v1/programmes/recertification/preview').set(bearer(token)).send(body);
  const scan = async (today: string) => {
    const res = await t.http
      .post('/api/v1/programmes/recertification/run')
      .query({ today })
      .set(bearer(t.tokens.admin));
    expect(res.status).toBe(200);
    return res.body as {
      completed: number;
      cyclesAssigned: number;
      enrolments: number;
      notifications: {
        assigned: number;
        recertWindowOpen: number;
        dueIn7Days: number;
        overdue: number;
      };
    };
  };
  const membersOf = (assignmentId: string, personId: string) =>
    t.dataSource.query<MemberRow[]>(
      `SELECT cycle, (assigned_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text AS assigned_on,
              due_on::text AS due_on,
              (completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text AS completed_on,
              expires_on::text AS expires_on, targeted
         FROM assignment_members WHERE assignment_id = $1 AND person_id = $2 ORDER BY cycle`,
      [assignmentId, personId],
    );
  const takesOf = (personId: string, code: string) =>
    t.dataSource.query<{ cycle: number; status: string }[]>(
      `SELECT e.cycle, e.status FROM enrolments e JOIN courses c ON c.id = e.course_id
        WHERE e.person_id = $1 AND c.code = $2 ORDER BY e.cycle`,
      [personId, code],
    );

  beforeAll(async () => {
    t = await createTestApp();
    chairId = await personIdByEmail(t.dataSource, DEMO.chair);
    colleagueId = (await peopleOf(t.dataSource, 'HN-HD-MAY')).find((id) => id !== chairId)!;
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('preview', () => {
    it('answers the dates of a policy, month ends clamped', async () => {
      const res = await preview(t.tokens.officerHanoi, {
        assignedOn: '2026-12-01',
        completedOn: '2027-01-31',
        dueRule: { kind: 'days_after_assignment', days: 30 },
        validityMonths: 13,
        windowDays: 30,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        dueOn: '2026-12-31',
        expiresOn: '2028-02-29',
        windowOpensOn: '2028-01-30',
        nextDueOn: '2028-02-29', // 30 days after the window opens: the expiry itself
      });
      const fixed = await preview(t.tokens.admin, {
        completedOn: '2027-03-31',
        dueRule: { kind: 'fixed_date', date: '2027-06-30' },
        validityMonths: 11,
        windowDays: 0,
      });
      expect(fixed.body).toEqual({
        dueOn: '2027-06-30',
        expiresOn: '2028-02-29',
        windowOpensOn: '2028-02-29',
        nextDueOn: '2028-02-29',
      });
    });

    it('refuses bad bodies with details, and roles without training:manage', async () => {
      expectError(
        await preview(t.tokens.officerHanoi, {
          completedOn: '2027-02-30',
          dueRule: { kind: 'days_after_assignment' },
          validityMonths: 0,
          windowDays: -1,
          extra: true,
        }),
        400,
        'VALIDATION_FAILED',
        ['completedOn', 'dueRule.days', 'validityMonths', 'windowDays', 'extra'],
      );
      expectError(
        await preview(t.tokens.officerHanoi, {
          completedOn: '2027-01-31',
          dueRule: { kind: 'fixed_date', days: 3 },
          validityMonths: 12,
          windowDays: 10,
        }),
        400,
        'VALIDATION_FAILED',
        ['dueRule.date'],
      );
      expectError(
        await preview(t.tokens.officerHanoi, {
          completedOn: '2027-01-31',
          dueRule: 'soon',
          validityMonths: 12,
          windowDays: 10,
        }),
        400,
        'VALIDATION_FAILED',
        ['dueRule'],
      );
      // A window as long as the validity would open before the completion it renews.
      const tooLong = await preview(t.tokens.officerHanoi, {
        completedOn: '2027-01-31',
        dueRule: { kind: 'days_after_assignment', days: 30 },
        validityMonths: 12,
        windowDays: 365,
      });
      expectError(tooLong, 400, 'VALIDATION_FAILED', ['windowDays']);
      expect(tooLong.body.details[0].message).toBe(
        'Thời gian mở bồi dưỡng lại (365 ngày) phải ngắn hơn thời hạn hiệu lực: 12 tháng có thể chỉ dài 365 ngày, nên tối đa là 364 ngày.',
      );
      const body = {
        completedOn: '2027-01-31',
        dueRule: { kind: 'days_after_assignment', days: 30 },
        validityMonths: 12,
        windowDays: 10,
      };
      for (const token of [t.tokens.chair, t.tokens.hrHanoi]) {
        expectError(await preview(token, body), 403, 'FORBIDDEN');
      }
    });
  });

  describe('the scan', () => {
    let programmeId: string;
    let assignmentId: string;
    const policy = {
      dueRule: { kind: 'days_after_assignment', days: 90 },
      validityMonths: 36,
      windowDays: 60,
    };

    beforeAll(async () => {
      programmeId = await createProgramme(t.dataSource, {
        code: 'RC-SELF',
        title: 'Bồi dưỡng lại nghiệp vụ công đoàn',
        courseCodes: ['K03', 'K04'],
        ownerUnit: 'HN',
        dueDays: policy.dueRule.days,
        validityMonths: policy.validityMonths,
        windowDays: policy.windowDays,
      });
      assignmentId = await createAssignment(
        t.dataSource,
        programmeId,
        'HN-HD-MAY',
        [chairId, colleagueId],
        '2027-03-31',
      );
    });

    it('tells the newly assigned once (safety net for assignments made elsewhere)', async () => {
      const today = todayVn();
      // Everyone assigned in the last 7 days: ours, and the demo programme of the seed.
      expect((await scan(today)).notifications.assigned).toBeGreaterThanOrEqual(2);
      expect((await scan(today)).notifications.assigned).toBe(0);
      for (const person of [chairId, colleagueId]) {
        const rows = await t.dataSource.query<{ payload: { programmes: { code: string }[] } }[]>(
          `SELECT payload FROM notification_outbox WHERE person_id = $1 AND event = 'assigned'`,
          [person],
        );
        expect(rows).toHaveLength(1);
        expect(rows[0].payload.programmes.map((p) => p.code)).toContain('RC-SELF');
      }
    });

    it('stamps the completion and the expiry the preview announces', async () => {
      // 10:00 on 31 January in Hà Nội: the completion date is Vietnam's calendar date.
      await completeCourses(t.dataSource, chairId, ['K03', 'K04'], '2027-01-31T10:00:00+07:00');
      await completeCourses(t.dataSource, colleagueId, ['K03'], '2027-01-31T10:00:00+07:00');
      const res = await preview(t.tokens.officerHanoi, { ...policy, completedOn: '2027-01-31' });
      const first = await scan('2027-02-01');
      expect(first.completed).toBeGreaterThanOrEqual(1);
      const [member] = await membersOf(assignmentId, chairId);
      expect(member).toMatchObject({
        cycle: 1,
        completed_on: '2027-01-31',
        expires_on: res.body.expiresOn,
      });
      expect(res.body.expiresOn).toBe('2030-01-31');
      const [colleague] = await membersOf(assignmentId, colleagueId);
      expect(colleague.completed_on).toBeNull();
    });

    it('assigns the next cycle the day the window opens, with the previewed due date', async () => {
      const res = await preview(t.tokens.officerHanoi, { ...policy, completedOn: '2027-01-31' });
      const { windowOpensOn, nextDueOn } = res.body as { windowOpensOn: string; nextDueOn: string };
      expect(windowOpensOn).toBe('2029-12-02');
      const dayBefore = await scan('2029-12-01');
      expect(dayBefore.cyclesAssigned).toBe(0);
      expect(await membersOf(assignmentId, chairId)).toHaveLength(1);

      const opening = await scan(windowOpensOn);
      expect(opening.cyclesAssigned).toBe(1);
      expect(opening.enrolments).toBe(2); // a new take of K03 and of K04
      expect(opening.notifications.recertWindowOpen).toBe(1);
      const cycles = await membersOf(assignmentId, chairId);
      expect(cycles).toHaveLength(2);
      expect(cycles[1]).toMatchObject({
        cycle: 2,
        assigned_on: windowOpensOn,
        due_on: nextDueOn,
        completed_on: null,
        expires_on: null,
        targeted: true,
      });
      expect(await takesOf(chairId, 'K03')).toEqual([
        { cycle: 1, status: 'completed' },
        { cycle: 2, status: 'enrolled' },
      ]);
      // Rendered when read (the worker renders and stores it when it sends it).
      const outbox = await t.http
        .get('/api/v1/notifications/outbox')
        .query({ personId: chairId })
        .set(bearer(t.tokens.admin))
        .expect(200);
      const message = (
        outbox.body.items as { event: string; subject: string; bodyText: string }[]
      ).find((i) => i.event === 'recert_window_open')!;
      expect(message.subject).toBe(
        'Đã đến thời gian bồi dưỡng lại chương trình “Bồi dưỡng lại nghiệp vụ công đoàn”',
      );
      expect(message.bodyText).toContain(
        'kết quả hiện tại hết hiệu lực ngày 31/01/2030, hoàn thành chu kỳ mới trước ngày 31/01/2030',
      );
    });

    it('running the scan again adds nothing, that day or later', async () => {
      for (const day of ['2029-12-02', '2029-12-03', '2030-02-15']) {
        const again = await scan(day);
        expect(again).toMatchObject({
          cyclesAssigned: 0,
          enrolments: 0,
          notifications: { recertWindowOpen: 0 },
        });
      }
      expect(await membersOf(assignmentId, chairId)).toHaveLength(2);
      expect(await takesOf(chairId, 'K04')).toHaveLength(2);
    });

    it('the new cycle completes only with courses taken again', async () => {
      const later = await scan('2030-01-10');
      expect(later.completed).toBe(0);
      await completeCourses(t.dataSource, chairId, ['K03', 'K04'], '2029-12-20T09:00:00+07:00');
      await scan('2030-01-10');
      const cycles = await membersOf(assignmentId, chairId);
      expect(cycles[1]).toMatchObject({ completed_on: '2029-12-20', expires_on: '2032-12-20' });
      expect(cycles[0].expires_on).toBe('2030-01-31');
    });
  });

  describe('recertified by another programme', () => {
    it('creates one assignment of the recertifying programme and assigns the next cycles there', async () => {
      const refresher = await createProgramme(t.dataSource, {
        code: 'RC-REFRESH',
        title: 'Cập nhật kiến thức pháp luật lao động',
        courseCodes: ['K05'],
        ownerUnit: 'HN',
        dueDays: 20,
        validityMonths: 24,
        windowDays: 30,
      });
      const base = await createProgramme(t.dataSource, {
        code: 'RC-BASE',
        title: 'Tài chính công đoàn cơ sở',
        courseCodes: ['K02'],
        ownerUnit: 'HN',
        validityMonths: 12,
        windowDays: 15,
        recertProgrammeId: refresher,
      });
      const assignment = await createAssignment(
        t.dataSource,
        base,
        'HN-HD-MAY',
        [chairId, colleagueId],
        '2027-06-30',
      );
      await completeCourses(t.dataSource, chairId, ['K02'], '2027-05-31T08:00:00+07:00');
      await completeCourses(t.dataSource, colleagueId, ['K02'], '2027-05-31T08:00:00+07:00');
      const res = await preview(t.tokens.officerHanoi, {
        completedOn: '2027-05-31',
        dueRule: { kind: 'days_after_assignment', days: 20 },
        validityMonths: 12,
        windowDays: 15,
      });
      expect(res.body).toMatchObject({
        expiresOn: '2028-05-31',
        windowOpensOn: '2028-05-16',
        nextDueOn: '2028-05-31',
      });
      expect((await scan('2027-06-01')).completed).toBe(2);
      expect((await scan('2028-05-15')).cyclesAssigned).toBe(0);
      const opened = await scan('2028-05-16');
      expect(opened.cyclesAssigned).toBe(2);
      expect(opened.enrolments).toBe(2); // K05, never taken: first take for both
      const again = await scan('2028-05-16');
      expect(again.cyclesAssigned).toBe(0);

      const targets = await t.dataSource.query<{ target_assignment_id: string }[]>(
        `SELECT target_assignment_id FROM recertification_targets WHERE source_assignment_id = $1`,
        [assignment],
      );
      expect(targets).toHaveLength(1);
      const target = targets[0].target_assignment_id;
      const [row] = await t.dataSource.query<{ programme_id: string }[]>(
        'SELECT programme_id FROM programme_assignments WHERE id = $1',
        [target],
      );
      expect(row.programme_id).toBe(refresher);
      expect(await membersOf(target, chairId)).toEqual([
        expect.objectContaining({ cycle: 2, assigned_on: '2028-05-16', due_on: '2028-05-31' }),
      ]);
      expect(await membersOf(assignment, chairId)).toHaveLength(1);
      // Its rule is empty (the scan fills it): a manual re-run would reach the whole subtree.
      const rerun = await t.http
        .post(`/api/v1/assignments/${target}/run`)
        .set(bearer(t.tokens.officerHanoi))
        .expect(409);
      expect(rerun.body.code).toBe('ASSIGNMENT_RECERT_MANAGED');
    });
  });

  describe('one live membership of the recertifying programme', () => {
    it('is never given twice: someone who holds it through another assignment takes it there', async () => {
      const refresher = await createProgramme(t.dataSource, {
        code: 'RC-REFRESH-2',
        title: 'Cập nhật kỹ năng số',
        courseCodes: ['K05'],
        ownerUnit: 'HN',
        dueDays: 20,
      });
      const base = await createProgramme(t.dataSource, {
        code: 'RC-BASE-2',
        title: 'Kiểm tra công đoàn cơ sở',
        courseCodes: ['K04'],
        ownerUnit: 'HN',
        validityMonths: 12,
        windowDays: 15,
        recertProgrammeId: refresher,
      });
      const assignment = await createAssignment(
        t.dataSource,
        base,
        'HN-HD-MAY',
        [chairId, colleagueId],
        '2031-06-30',
      );
      // The colleague already holds the refresher through an assignment of its own.
      const direct = await createAssignment(
        t.dataSource,
        refresher,
        'HN-HD-MAY',
        [colleagueId],
        '2032-06-30',
      );
      await completeCourses(t.dataSource, chairId, ['K04'], '2031-05-31T08:00:00+07:00');
      await completeCourses(t.dataSource, colleagueId, ['K04'], '2031-05-31T08:00:00+07:00');
      await scan('2031-06-01');
      const opened = await scan('2032-05-16');
      expect(opened.cyclesAssigned).toBe(1);
      const [{ target_assignment_id: target }] = await t.dataSource.query<
        { target_assignment_id: string }[]
      >(
        `SELECT target_assignment_id FROM recertification_targets WHERE source_assignment_id = $1`,
        [assignment],
      );
      expect(await membersOf(target, chairId)).toEqual([expect.objectContaining({ cycle: 2 })]);
      expect(await membersOf(target, colleagueId)).toEqual([]);
      expect(await membersOf(direct, colleagueId)).toEqual([
        expect.objectContaining({ cycle: 1, targeted: true }),
      ]);
      const live = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(DISTINCT assignment_id)::int AS n FROM assignment_members
          WHERE programme_id = $1 AND targeted GROUP BY person_id`,
        [refresher],
      );
      expect(live.map((r) => r.n)).toEqual([1, 1]);
      // The assignment the scan made has finished its targeting: "assigned".
      const made = await t.http
        .get(`/api/v1/assignments/${target}`)
        .set(bearer(t.tokens.officerHanoi))
        .expect(200);
      expect(made.body.status).toBe('assigned');
    });
  });

  describe('run endpoint', () => {
    it('is for administrators, and checks its date', async () => {
      for (const token of [t.tokens.officerHanoi, t.tokens.chair, t.tokens.hrHanoi]) {
        expectError(
          await t.http.post('/api/v1/programmes/recertification/run').set(bearer(token)),
          403,
          'FORBIDDEN',
        );
      }
      expectError(
        await t.http
          .post('/api/v1/programmes/recertification/run')
          .query({ today: '2030-02-31' })
          .set(bearer(t.tokens.admin)),
        400,
        'VALIDATION_FAILED',
        ['today'],
      );
    });
  });
});
