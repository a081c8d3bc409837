import { Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../src/config/app-config';
import { LogTransport, SmtpTransport } from '../src/notifications/mail-transport';
import { NotificationWorker } from '../src/notifications/notification-worker';
import { NotificationsService } from '../src/notifications/notifications.service';
import { expectError } from './expect-error';
import { FakeSmtpServer } from './support/fake-smtp-server';
import {
  createAssignment,
  createProgramme,
  peopleOf,
  personIdByEmail,
} from './support/programme-fixtures';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';
import { todayVn } from '../src/common/dates/vietnam-dates';

const P1_TITLE = 'Bồi dưỡng nghiệp vụ chủ tịch công đoàn cơ sở';
const P2_TITLE = 'Đối thoại và thương lượng tập thể tại doanh nghiệp';
const SCAN_DAY = '2031-03-10';

function addDaysIso(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('notifications: outbox, templates, worker', () => {
  let t: TestApp;
  let smtp: FakeSmtpServer;
  let service: NotificationsService;
  let worker: NotificationWorker;
  let config: AppConfig;
  let chairId: string;
  let colleagueId: string;
  let bacNinhPersonId: string;
  let a1: string;
  let a2: string;

  const enqueueAssigned = (assignmentId: string) =>
    t.dataSource.transaction((em) => service.enqueueAssigned(em, assignmentId));

  const outboxOf = (personId: string, event: string) =>
    t.dataSource.query<
      {
        id: string;
        subject: string | null;
        body_text: string | null;
        payload: { programmes: { code: string }[] };
        status: string;
        attempts: number;
        channel: string;
        locale: string;
        to_address: string | null;
        last_error: string | null;
        backoff_seconds: number | null;
      }[]
    >(
      `SELECT id, subject, body_text, payload, status, attempts, channel, locale, to_address,
              last_error,
              round(extract(epoch FROM next_attempt_at - now()))::int AS backoff_seconds
         FROM notification_outbox WHERE person_id = $1 AND event = $2 ORDER BY created_at`,
      [personId, event],
    );

  /** The texts an officer reads in the outbox (rendered on the fly until the message is sent). */
  const readTexts = async (personId: string, event: string) => {
    const res = await t.http
      .get('/api/v1/notifications/outbox')
      .query({ personId, limit: 100 })
      .set(bearer(t.tokens.officerHanoi));
    expect(res.status).toBe(200);
    return (res.body.items as { event: string; subject: string; bodyText: string }[]).filter(
      (i) => i.event === event,
    );
  };

  beforeAll(async () => {
    smtp = await new FakeSmtpServer({ tls: true, auth: { user: 'lms', pass: 'mật khẩu' } }).start();
    t = await createTestApp({
      SMTP_URL: smtp.url,
      SMTP_FROM: 'daotao@lms.congdoan.test',
      SMTP_TIMEOUT_MS: '5000',
      NOTIFY_MAX_ATTEMPTS: '3',
      NOTIFY_RETRY_BASE_SECONDS: '10',
      NOTIFY_LEASE_SECONDS: '120',
    });
    service = t.app.get(NotificationsService);
    worker = t.app.get(NotificationWorker);
    config = t.app.get<AppConfig>(APP_CONFIG);
    chairId = await personIdByEmail(t.dataSource, DEMO.chair);
    const may = await peopleOf(t.dataSource, 'HN-HD-MAY');
    colleagueId = may.find((id) => id !== chairId)!;
    [bacNinhPersonId] = await peopleOf(t.dataSource, 'BN');
    // The demo programme's due date follows the day the template was seeded, so its reminders
    // would fall on some scan days and not others: take its whole audience out of it. The
    // suite's own assignments, made below, are then the only ones the scans see.
    await t.dataSource.query(`UPDATE assignment_members SET targeted = FALSE`);
    const p1 = await createProgramme(t.dataSource, {
      code: 'TB-P1',
      title: P1_TITLE,
      courseCodes: ['K01'],
      ownerUnit: 'HN',
    });
    const p2 = await createProgramme(t.dataSource, {
      code: 'TB-P2',
      title: P2_TITLE,
      courseCodes: ['K02'],
      ownerUnit: 'HN',
    });
    // Two overlapping assignments: both people are in both.
    a1 = await createAssignment(
      t.dataSource,
      p1,
      'HN-HD-MAY',
      [chairId, colleagueId],
      '2031-03-17',
    );
    a2 = await createAssignment(
      t.dataSource,
      p2,
      'HN-HD-MAY',
      [chairId, colleagueId],
      '2031-03-17',
    );
    // The demo data assigns its programme to Hà Nội's chairs, due 90 days after the day the
    // test runs: on one day in seven its overdue cadence would land on the scan days below.
    // Only the two assignments above are under test (this suite owns its database).
    await t.dataSource.query(
      `UPDATE assignment_members SET targeted = false, untargeted_at = now()
        WHERE assignment_id <> ALL($1::uuid[])`,
      [[a1, a2]],
    );
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('merges overlapping assignments into one message per person, event and day', async () => {
    expect(await enqueueAssigned(a1)).toBe(2);
    expect(await enqueueAssigned(a2)).toBe(2); // merged into the two pending messages
    expect(await enqueueAssigned(a1)).toBe(0); // nobody newly assigned
    expect(await enqueueAssigned(a2)).toBe(0);
    for (const person of [chairId, colleagueId]) {
      const rows = await outboxOf(person, 'assigned');
      expect(rows).toHaveLength(1);
      expect(rows[0].payload.programmes.map((p) => p.code)).toEqual(['TB-P1', 'TB-P2']);
      // Queued with its facts only: the texts are rendered when it is sent (or read).
      expect(rows[0]).toMatchObject({ subject: null, body_text: null, status: 'pending' });
      const [read] = await readTexts(person, 'assigned');
      expect(read.subject).toBe('Đồng chí được giao 2 chương trình bồi dưỡng mới');
      expect(read.bodyText).toContain(`- TB-P2 — ${P2_TITLE}`);
    }
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM notification_outbox
        WHERE event = 'assigned' AND event_day = $1 AND person_id = ANY($2::uuid[])`,
      [todayVn(), [chairId, colleagueId]],
    );
    expect(n).toBe(2);
  });

  it('the daily scan writes one due-soon message listing both programmes, idempotently', async () => {
    const run = () => t.dataSource.transaction((em) => service.enqueueDueSoon(em, SCAN_DAY));
    expect(await run()).toBe(2);
    expect(await run()).toBe(0);
    const [row] = await outboxOf(chairId, 'due_in_7_days');
    const [read] = await readTexts(chairId, 'due_in_7_days');
    expect(read.subject).toBe('Còn 7 ngày để hoàn thành 2 chương trình bồi dưỡng');
    expect(read.bodyText).toBe(
      [
        'Kính gửi đồng chí Nguyễn Thị Hương,',
        '',
        'Các chương trình bồi dưỡng sau sẽ đến hạn hoàn thành sau 7 ngày:',
        `- TB-P1 — ${P1_TITLE}: hạn 17/03/2031`,
        `- TB-P2 — ${P2_TITLE}: hạn 17/03/2031`,
        '',
        // The portal's learner home, which this app serves (PORTAL_URL unset).
        `Đồng chí vui lòng sắp xếp thời gian hoàn thành các khóa học còn lại: ${config.portalUrl}`,
        '',
        'Trân trọng,',
        'Hệ thống đào tạo cán bộ công đoàn',
        '',
      ].join('\n'),
    );
    expect(row.locale).toBe('vi');
    expect(row.to_address).toMatch(/@/);
  });

  it('renders in English for a person who prefers it', async () => {
    const res = await t.http
      .put('/api/v1/me/notification-preferences')
      .set(bearer(t.tokens.chair))
      .send({ locale: 'en' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ locale: 'en' });
    // Overdue on the first day after the due date.
    await t.dataSource.transaction((em) => service.enqueueOverdue(em, '2031-03-18'));
    const [en] = await outboxOf(chairId, 'overdue');
    expect(en.locale).toBe('en');
    const [enText] = await readTexts(chairId, 'overdue');
    expect(enText.subject).toBe('2 training programmes are overdue');
    expect(enText.bodyText).toContain('Dear Nguyễn Thị Hương,');
    expect(enText.bodyText).toContain(`- TB-P1 — ${P1_TITLE}: due 17/03/2031, 1 days overdue`);
    const [vi] = await outboxOf(colleagueId, 'overdue');
    expect(vi.locale).toBe('vi');
    const [viText] = await readTexts(colleagueId, 'overdue');
    expect(viText.subject).toBe('2 chương trình bồi dưỡng đã quá hạn hoàn thành');
    // Reminded again 7 days later, not on the days between.
    expect(await t.dataSource.transaction((em) => service.enqueueOverdue(em, '2031-03-19'))).toBe(
      0,
    );
    expect(await t.dataSource.transaction((em) => service.enqueueOverdue(em, '2031-03-25'))).toBe(
      2,
    );
  });

  it('sends each message once over SMTP, with the Vietnamese text decoded exactly', async () => {
    const before = await readTexts(chairId, 'due_in_7_days');
    let run = await worker.runOnce();
    while (run.claimed > 0) run = await worker.runOnce();
    const [assigned] = await outboxOf(chairId, 'assigned');
    expect(assigned).toMatchObject({ status: 'sent', attempts: 1, channel: 'email' });
    const mails = smtp.received.filter((m) =>
      m.headers['message-id'].startsWith(`<${assigned.id}@`),
    );
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Đồng chí được giao 2 chương trình bồi dưỡng mới');
    // Rendered when claimed, and stored: the outbox keeps exactly what went out.
    expect(assigned.subject).toBe(mails[0].subject);
    expect(mails[0].text).toBe(assigned.body_text);
    expect(mails[0].text).toContain(`- TB-P2 — ${P2_TITLE}`);
    // What a reader saw before sending is what was sent.
    const [dueSoon] = await outboxOf(chairId, 'due_in_7_days');
    expect({ subject: dueSoon.subject, bodyText: dueSoon.body_text }).toEqual({
      subject: before[0].subject,
      bodyText: before[0].bodyText,
    });
    expect(mails[0].from).toBe('daotao@lms.congdoan.test');
    expect(mails[0].auth).toBe('PLAIN lms');
    // 2 people × (assigned, due soon, overdue twice): each received exactly once.
    const sent = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM notification_outbox WHERE person_id = ANY($1::uuid[]) AND status = 'sent'`,
      [[chairId, colleagueId]],
    );
    expect(sent).toHaveLength(8);
    const received = (id: string) =>
      smtp.received.filter((m) => m.headers['message-id'] === `<${id}@lms.congdoan.test>`).length;
    expect(sent.map((r) => received(r.id))).toEqual(sent.map(() => 1));
    const total = smtp.received.length;
    expect((await worker.runOnce()).claimed).toBe(0);
    expect(smtp.received).toHaveLength(total);
  });

  it('retries a refused message with exponential backoff, then gives up (dead)', async () => {
    smtp.options.rejectDataWith = 451;
    await t.dataSource.transaction((em) => service.enqueueOverdue(em, '2031-04-01'));
    const expected = [
      { status: 'failed', attempts: 1, backoff: 20 },
      { status: 'failed', attempts: 2, backoff: 40 },
      { status: 'dead', attempts: 3, backoff: 80 },
    ];
    for (const step of expected) {
      const run = await worker.runOnce();
      expect(run.claimed).toBe(2);
      const [row] = (await outboxOf(chairId, 'overdue')).filter((r) => r.status !== 'sent');
      expect(row).toMatchObject({ status: step.status, attempts: step.attempts });
      expect(row.last_error).toMatch(/451/);
      expect(row.backoff_seconds).toBeGreaterThanOrEqual(step.backoff - 2);
      expect(row.backoff_seconds).toBeLessThanOrEqual(step.backoff);
      // Not due yet: nothing is claimed until the backoff has passed.
      expect((await worker.runOnce()).claimed).toBe(0);
      await t.dataSource.query(
        `UPDATE notification_outbox SET next_attempt_at = now() - interval '1 second'
          WHERE status = 'failed'`,
      );
    }
    expect((await worker.runOnce()).claimed).toBe(0);
    smtp.options.rejectDataWith = undefined;
  });

  it('a permanent refusal is dead at once', async () => {
    smtp.options.rejectDataWith = 550;
    await t.dataSource.transaction((em) => service.enqueueOverdue(em, '2031-04-08'));
    await worker.runOnce();
    const rows = (await outboxOf(colleagueId, 'overdue')).filter((r) => r.status === 'dead');
    expect(rows.at(-1)).toMatchObject({ status: 'dead', attempts: 1 });
    smtp.options.rejectDataWith = undefined;
  });

  it('never re-sends a message left sending by a crash while its lease runs; after it, once', async () => {
    await t.dataSource.transaction((em) => service.enqueueOverdue(em, '2031-04-15'));
    // The crash: a worker claimed the chair's message (attempt 1, lease running) and died.
    await t.dataSource.query(
      `UPDATE notification_outbox SET status = 'sending', attempts = 1,
              lease_until = now() + interval '120 seconds'
        WHERE person_id = $1 AND event = 'overdue' AND event_day = '2031-04-15'`,
      [chairId],
    );
    const [crashed] = (await outboxOf(chairId, 'overdue')).filter((r) => r.status === 'sending');
    const before = smtp.received.length;
    // The restarted process: a new worker over the same database.
    const transport = new SmtpTransport({
      url: config.smtpUrl!,
      timeoutMs: 5000,
      from: config.smtpFrom,
      fromName: config.smtpFromName,
    });
    const restarted = new NotificationWorker(t.dataSource, config, transport);
    const run = await restarted.runOnce();
    expect(run.claimed).toBe(1); // the colleague's message only
    expect(smtp.received).toHaveLength(before + 1);
    expect(smtp.received.some((m) => m.headers['message-id'].includes(crashed.id))).toBe(false);
    expect((await outboxOf(chairId, 'overdue')).find((r) => r.id === crashed.id)?.status).toBe(
      'sending',
    );
    // The lease runs out: the message is sent (again, as attempt 2) — the documented residual risk.
    await t.dataSource.query(
      `UPDATE notification_outbox SET lease_until = now() - interval '1 second' WHERE id = $1`,
      [crashed.id],
    );
    expect((await restarted.runOnce()).sent).toBe(1);
    const after = (await outboxOf(chairId, 'overdue')).find((r) => r.id === crashed.id);
    expect(after).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.received.filter((m) => m.headers['message-id'].includes(crashed.id))).toHaveLength(
      1,
    );
    await transport.close();
  });

  describe('a bad day at the mail server', () => {
    const day = '2031-05-13';
    const mine = async () =>
      await t.dataSource.query<
        { id: string; person_id: string; status: string; attempts: number; last_error: string }[]
      >(
        `SELECT id, person_id, status, attempts, last_error FROM notification_outbox
          WHERE event = 'overdue' AND event_day = $1 ORDER BY person_id`,
        [day],
      );
    let warn: jest.SpyInstance;

    beforeAll(async () => {
      expect(await t.dataSource.transaction((em) => service.enqueueOverdue(em, day))).toBe(2);
    });
    beforeEach(() => {
      warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    });
    afterEach(() => {
      warn.mockRestore();
      smtp.options = { tls: true, auth: { user: 'lms', pass: 'mật khẩu' } };
    });

    it.each([
      ['535 at AUTH', { rejectAuth: true }, /535/],
      ['421 at connect', { greetWith: 421 }, /421/],
      ['a stripped STARTTLS', { stripStartTls: true }, /STARTTLS/],
    ])(
      '%s stops the batch: the messages stay pending, attempts not counted, one log line',
      async (_, failure, reason) => {
        smtp.dropConnections(); // the pool reconnects, and meets the failure
        Object.assign(smtp.options, failure);
        const received = smtp.received.length;
        const logins = smtp.logins.length;
        // More runs than NOTIFY_MAX_ATTEMPTS (3): an outage never kills a message.
        for (let i = 0; i < 4; i++) {
          expect(await worker.runOnce()).toMatchObject({
            claimed: 2,
            sent: 0,
            failed: 0,
            dead: 0,
            deferred: 2,
          });
        }
        expect(smtp.received).toHaveLength(received);
        for (const row of await mine()) {
          expect(row).toMatchObject({ status: 'pending', attempts: 0 });
          expect(row.last_error).toMatch(/server unavailable/);
          expect(row.last_error).toMatch(reason);
        }
        // One clear line for the outage, not one per run or per message.
        const lines = warn.mock.calls.filter((c) => /mail server unavailable/.test(String(c[0])));
        expect(lines.length).toBeLessThanOrEqual(1);
        // The password never crossed the wire in clear.
        expect(smtp.logins.slice(logins).every((l) => l.tls)).toBe(true);
      },
    );

    it('550 at RCPT kills that message only; the server back, the rest goes', async () => {
      const rows = await mine();
      const [refused] = await t.dataSource.query<{ to_address: string }[]>(
        `SELECT to_address FROM notification_outbox WHERE id = $1`,
        [rows[0].id],
      );
      smtp.dropConnections();
      smtp.options.rejectRecipients = { [refused.to_address]: 550 };
      expect(await worker.runOnce()).toMatchObject({ claimed: 2, sent: 1, dead: 1, deferred: 0 });
      const after = await mine();
      expect(after[0]).toMatchObject({ status: 'dead', attempts: 1 });
      expect(after[0].last_error).toMatch(/550/);
      expect(after[1]).toMatchObject({ status: 'sent', attempts: 1 });
      expect(smtp.received.at(-1)?.headers['message-id']).toBe(
        `<${after[1].id}@lms.congdoan.test>`,
      );
      expect(warn).not.toHaveBeenCalled();
    });
  });

  it('without SMTP_URL a message goes to the log and is marked sent on channel log', async () => {
    await t.dataSource.transaction((em) => service.enqueueOverdue(em, '2031-04-22'));
    const logWorker = new NotificationWorker(t.dataSource, config, new LogTransport());
    expect((await logWorker.runOnce()).sent).toBe(2);
    const rows = await t.dataSource.query<{ channel: string; status: string }[]>(
      `SELECT channel, status FROM notification_outbox WHERE event_day = '2031-04-22'`,
    );
    expect(rows).toEqual([
      { channel: 'log', status: 'sent' },
      { channel: 'log', status: 'sent' },
    ]);
  });

  it('a merge into a pending message drops any texts it carried, so none goes out stale', async () => {
    const day = '2031-04-29';
    await t.dataSource.transaction((em) => service.enqueueOverdue(em, day));
    // A pending message that knew only TB-P1 and carries texts (as rows queued by an earlier
    // version did): the next scan of the day merges TB-P2 in.
    await t.dataSource.query(
      `UPDATE notification_outbox
          SET payload = jsonb_set(payload, '{programmes}', jsonb_path_query_array(
                payload->'programmes', '$[*] ? (@.code == "TB-P1")')),
              subject = 'Chương trình “cũ”', body_text = 'cũ'
        WHERE person_id = $1 AND event = 'overdue' AND event_day = $2`,
      [chairId, day],
    );
    expect(await t.dataSource.transaction((em) => service.enqueueOverdue(em, day))).toBe(1);
    const [row] = (await outboxOf(chairId, 'overdue')).filter((r) => r.status === 'pending');
    expect(row.payload.programmes.map((p) => p.code).sort()).toEqual(['TB-P1', 'TB-P2']);
    expect(row).toMatchObject({ subject: null, body_text: null });
    const logWorker = new NotificationWorker(t.dataSource, config, new LogTransport());
    expect((await logWorker.runOnce()).sent).toBe(2);
    const [sent] = (await outboxOf(chairId, 'overdue')).filter((r) => r.id === row.id);
    expect(sent.subject).toBe('2 training programmes are overdue'); // the chair reads English
  });

  it('a message that cannot be rendered is dead at once; the rest of the batch goes out', async () => {
    const day = '2031-05-06';
    await t.dataSource.transaction((em) => service.enqueueOverdue(em, day));
    const [broken] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO notification_outbox (person_id, event, event_day, locale, payload)
       VALUES ($1, 'assigned', $2, 'vi', '{"fullName": "Trần Văn Bình", "programmes": []}')
       RETURNING id`,
      [colleagueId, day],
    );
    const logWorker = new NotificationWorker(t.dataSource, config, new LogTransport());
    expect(await logWorker.runOnce()).toMatchObject({ claimed: 3, sent: 2, dead: 1 });
    const [row] = (await outboxOf(colleagueId, 'assigned')).filter((r) => r.id === broken.id);
    expect(row).toMatchObject({ status: 'dead', attempts: 1, subject: null });
    expect(row.last_error).toMatch(/cannot render/);
    expect((await logWorker.runOnce()).claimed).toBe(0);
    // Readers still get the page (without texts for it): never a 500.
    const read = await t.http
      .get('/api/v1/notifications/outbox')
      .query({ personId: colleagueId, status: 'dead' })
      .set(bearer(t.tokens.officerHanoi));
    expect(read.status).toBe(200);
    expect(read.body.items.find((i: { id: string }) => i.id === broken.id)).toMatchObject({
      subject: '',
      bodyText: '',
      lastError: expect.stringMatching(/cannot render/),
    });
  });

  it('a sent message reads as it was sent, not as its facts would render today', async () => {
    const [sent] = (await outboxOf(chairId, 'assigned')).filter((r) => r.status === 'sent');
    await t.dataSource.query(
      `UPDATE notification_outbox SET payload = jsonb_set(payload, '{fullName}', '"Người khác"')
        WHERE id = $1`,
      [sent.id],
    );
    const mine = await t.http.get('/api/v1/me/notifications').set(bearer(t.tokens.chair));
    const item = mine.body.items.find((i: { id: string }) => i.id === sent.id);
    expect(item).toMatchObject({ subject: sent.subject, bodyText: sent.body_text });
    expect(item.bodyText).toContain('Nguyễn Thị Hương');
  });

  describe('no message is lost', () => {
    let people: string[];
    const assign = (programmeId: string) =>
      t.http
        .post(`/api/v1/programmes/${programmeId}/assignments`)
        .set(bearer(t.tokens.officerHanoi))
        .send({ audience: { orgUnitId: thpt } })
        .expect(201);
    let thpt: string;
    const logWorker = () => new NotificationWorker(t.dataSource, config, new LogTransport());
    const codesOf = async (personId: string, event: string) =>
      (await outboxOf(personId, event)).map((r) => ({
        status: r.status,
        codes: (r.payload.programmes ?? []).map((p) => p.code).sort(),
      }));

    beforeAll(async () => {
      thpt = await t.unitId('HN-HD-THPT');
      people = await peopleOf(t.dataSource, 'HN-HD-THPT');
      // Whatever earlier steps queued is out of the way: only what this block writes is pending.
      await logWorker().runOnce();
    });

    it('a second assignment the same day joins the unsent message, or gets its own once it is sent', async () => {
      const ids: string[] = [];
      for (const code of ['NL-1', 'NL-2', 'NL-3']) {
        ids.push(
          await createProgramme(t.dataSource, {
            code,
            title: `Chương trình ${code}`,
            courseCodes: ['K03'],
            ownerUnit: 'HN',
          }),
        );
      }
      await assign(ids[0]);
      await assign(ids[1]);
      for (const person of people) {
        expect(await codesOf(person, 'assigned')).toEqual([
          { status: 'pending', codes: ['NL-1', 'NL-2'] },
        ]);
      }
      expect((await logWorker().runOnce()).sent).toBe(people.length);
      // The day's message has gone: the third programme is told in a second message.
      await assign(ids[2]);
      for (const person of people) {
        expect(await codesOf(person, 'assigned')).toEqual([
          { status: 'sent', codes: ['NL-1', 'NL-2'] },
          { status: 'pending', codes: ['NL-3'] },
        ]);
      }
      const [read] = await readTexts(people[0], 'assigned');
      expect(read.subject).toBe('Đồng chí được giao chương trình “Chương trình NL-3”');
      expect((await logWorker().runOnce()).sent).toBe(people.length);
      // An hourly scan after a sent reminder never repeats it the same day.
      const day = addDaysIso(todayVn(), 83);
      const scan = () => t.dataSource.transaction((em) => service.enqueueDueSoon(em, day));
      expect(await scan()).toBe(people.length);
      expect((await logWorker().runOnce()).sent).toBe(people.length);
      expect(await scan()).toBe(0);
      expect(await codesOf(people[0], 'due_in_7_days')).toEqual([
        { status: 'sent', codes: ['NL-1', 'NL-2', 'NL-3'] },
      ]);
    });

    it('any module may queue a message of a kind for a person in its own transaction', async () => {
      const course = {
        enrolmentId: '00000000-0000-4000-8000-000000000001',
        courseId: '00000000-0000-4000-8000-000000000002',
        code: 'K05',
        title: 'Kỹ năng số cho cán bộ công đoàn',
        dueOn: '2031-06-30',
      };
      const queue = (items: (typeof course)[]) =>
        t.dataSource.transaction((em) =>
          service.enqueueForPerson(em, {
            event: 'plan_enrolled',
            personId: people[0],
            list: 'courses',
            items,
            today: '2031-01-05',
          }),
        );
      expect(await queue([course])).toBe(1);
      expect(await queue([course])).toBe(0); // already told that day
      expect(await queue([])).toBe(0);
      // Rolled back with the caller's transaction: nothing queued.
      await expect(
        t.dataSource.transaction(async (em) => {
          await service.enqueueForPerson(em, {
            event: 'plan_enrolled',
            personId: people[1],
            list: 'courses',
            items: [course],
          });
          throw new Error('the caller fails');
        }),
      ).rejects.toThrow('the caller fails');
      expect(await outboxOf(people[1], 'plan_enrolled')).toHaveLength(0);
      const [row] = await outboxOf(people[0], 'plan_enrolled');
      expect(row.payload).toMatchObject({ courses: [course] });
      const [read] = await readTexts(people[0], 'plan_enrolled');
      expect(read.subject).toBe(
        'Đồng chí được ghi danh khóa học “Kỹ năng số cho cán bộ công đoàn” theo kế hoạch phát triển',
      );
      expect(read.bodyText).toContain(
        '- K05 — Kỹ năng số cho cán bộ công đoàn: hoàn thành trước ngày 30/06/2031',
      );
    });

    it('links to the portal this app serves, or to the page PORTAL_URL names', async () => {
      const rows = await t.dataSource.query<{ body_text: string }[]>(
        `SELECT body_text FROM notification_outbox WHERE status = 'sent' AND body_text IS NOT NULL`,
      );
      expect(rows.length).toBeGreaterThan(10);
      const links = new Set(rows.flatMap((r) => r.body_text.match(/https?:\/\/\S+/g) ?? []));
      expect([...links]).toEqual([config.portalUrl]);
      // The link opens a page of this app: the learner's home, after signing in.
      const path = new URL(config.portalUrl).pathname;
      expect(path).toBe('/learn');
      const res = await t.http.get(path).expect(303);
      expect(res.headers.location).toBe('/sign-in?next=%2Flearn');
      const withPortal = new NotificationWorker(
        t.dataSource,
        { ...config, portalUrl: 'https://daotao.congdoan.vn' },
        new LogTransport(),
      );
      expect((await withPortal.runOnce()).sent).toBe(1); // the plan_enrolled message above
      const [row] = await outboxOf(people[0], 'plan_enrolled');
      expect(row.body_text).toContain(
        'Đồng chí vui lòng đăng nhập hệ thống để bắt đầu học: https://daotao.congdoan.vn',
      );
    });
  });

  describe('API', () => {
    it('the outbox for officers in scope, filtered by person and status', async () => {
      const res = await t.http
        .get('/api/v1/notifications/outbox')
        .query({ personId: chairId, status: 'dead' })
        .set(bearer(t.tokens.officerHanoi));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThanOrEqual(1);
      for (const item of res.body.items) {
        expect(item).toMatchObject({ personId: chairId, status: 'dead' });
      }
      const all = await t.http
        .get('/api/v1/notifications/outbox')
        .query({ limit: 3 })
        .set(bearer(t.tokens.admin));
      expect(all.status).toBe(200);
      expect(all.body.items).toHaveLength(3);
      expect(all.body.nextCursor).toEqual(expect.any(String));
      const next = await t.http
        .get('/api/v1/notifications/outbox')
        .query({ limit: 3, cursor: all.body.nextCursor })
        .set(bearer(t.tokens.admin));
      expect(next.body.items[0].id).not.toBe(all.body.items[0].id);
    });

    it('a person outside the officer’s scope answers 404; a role without the right 403', async () => {
      expectError(
        await t.http
          .get('/api/v1/notifications/outbox')
          .query({ personId: chairId })
          .set(bearer(t.tokens.officerBacNinh)),
        404,
        'PERSON_NOT_FOUND',
      );
      const bn = await t.http
        .get('/api/v1/notifications/outbox')
        .set(bearer(t.tokens.officerBacNinh));
      expect(bn.status).toBe(200);
      expect(bn.body.items.every((i: { personId: string }) => i.personId !== chairId)).toBe(true);
      expect(bacNinhPersonId).toBeDefined();
      for (const token of [t.tokens.hrHanoi, t.tokens.chair]) {
        expectError(
          await t.http.get('/api/v1/notifications/outbox').set(bearer(token)),
          403,
          'FORBIDDEN',
        );
      }
    });

    it('bad queries and bodies answer 400 with details', async () => {
      expectError(
        await t.http
          .get('/api/v1/notifications/outbox')
          .query({ personId: 'x', status: 'lost' })
          .set(bearer(t.tokens.admin)),
        400,
        'VALIDATION_FAILED',
        ['personId', 'status'],
      );
      expectError(
        await t.http
          .put('/api/v1/me/notification-preferences')
          .set(bearer(t.tokens.chair))
          .send({ locale: 'fr', extra: 1 }),
        400,
        'VALIDATION_FAILED',
        ['locale', 'extra'],
      );
    });

    it('the learner reads their own messages', async () => {
      const res = await t.http.get('/api/v1/me/notifications').set(bearer(t.tokens.chair));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThanOrEqual(4);
      const assigned = res.body.items.find((i: { event: string }) => i.event === 'assigned');
      expect(assigned).toMatchObject({
        subject: 'Đồng chí được giao 2 chương trình bồi dưỡng mới',
        delivered: true,
      });
      expect(assigned.programmes.map((p: { title: string }) => p.title)).toEqual([
        P1_TITLE,
        P2_TITLE,
      ]);
      const other = await t.http.get('/api/v1/me/notifications').set(bearer(t.tokens.officerHanoi));
      expect(other.body.items.some((i: { id: string }) => i.id === assigned.id)).toBe(false);
      const pref = await t.http
        .get('/api/v1/me/notification-preferences')
        .set(bearer(t.tokens.chair));
      expect(pref.body).toEqual({ locale: 'en' });
    });
  });
});
