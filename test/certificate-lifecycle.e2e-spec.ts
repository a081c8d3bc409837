import { randomUUID } from 'node:crypto';
import { formatSerial } from '../src/certificates/certificate-format';
import { IssueCertificateInput } from '../src/certificates/certificates.service';
import { NotificationWorker } from '../src/notifications/notification-worker';
import { expectError } from './expect-error';
import { binary } from './support/binary-body';
import { issueTestCertificate } from './support/certificate-fixtures';
import { extractPdfText } from './support/pdf-text';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';
import { isoDateVi } from '../src/common/dates/vietnam-dates';

const COURSE_TITLE = 'Tài chính và kiểm tra công đoàn';
const ACTIONS = ['suspend', 'reinstate', 'revoke', 'reissue'] as const;
const REASON = 'Đơn vị phản ánh sai sót về điểm, cần xác minh lại';

/** Suspend, reinstate, revoke and reissue: the status machine, its history and who may act. */
describe('certificate lifecycle', () => {
  let t: TestApp;
  let chairId: string;
  let officerHanoiId: string;
  let hanoiId: string;
  const year = new Intl.DateTimeFormat('en', {
    timeZone: 'Asia/Ho_Chi_Minh',
    year: 'numeric',
  }).format(new Date());

  async function personOf(email: string): Promise<string> {
    const rows = await t.dataSource.query<{ person_id: string }[]>(
      'SELECT person_id FROM user_accounts WHERE email = $1',
      [email],
    );
    return rows[0].person_id;
  }

  const issue = (overrides: Partial<IssueCertificateInput> = {}) =>
    issueTestCertificate(t, {
      personId: chairId,
      issuerOrgUnitId: hanoiId,
      courseCode: 'K04',
      courseTitle: COURSE_TITLE,
      ...overrides,
    });

  const post = (id: string, action: string, token: string) =>
    t.http.post(`/api/v1/certificates/${id}/${action}`).set(bearer(token));
  const officer = () => t.tokens.officerHanoi;
  const pdfOf = async (id: string, token: string) =>
    (
      await t.http
        .get(`/api/v1/certificates/${id}/pdf`)
        .set(bearer(token))
        .buffer(true)
        .parse(binary)
        .expect(200)
    ).body as Buffer;
  const statusOf = async (id: string) =>
    (
      await t.dataSource.query<{ status: string }[]>(
        'SELECT status FROM certificates WHERE id = $1',
        [id],
      )
    )[0].status;

  beforeAll(async () => {
    t = await createTestApp();
    chairId = await personOf(DEMO.chair);
    officerHanoiId = await personOf(DEMO.officerHanoi);
    hanoiId = await t.unitId('HN');
  });

  afterAll(async () => {
    await t.close();
  });

  it('refuses bad bodies with 400 and the fields named, writing nothing', async () => {
    const cert = await issue();
    const cases: [string, unknown, string][] = [
      ['suspend', {}, 'reason'],
      ['suspend', { reason: '   ' }, 'reason'],
      ['suspend', { reason: 42 }, 'reason'],
      ['suspend', { reason: 'x'.repeat(501) }, 'reason'],
      ['suspend', { reason: REASON, status: 'revoked' }, 'status'],
      ['revoke', {}, 'reason'],
      ['revoke', { reason: null }, 'reason'],
      ['reissue', {}, 'reason'],
      ['reissue', { reason: ['a'] }, 'reason'],
      ['reinstate', { reason: 7 }, 'reason'],
      ['reinstate', { reason: '' }, 'reason'],
      ['reinstate', { note: 'x' }, 'note'],
    ];
    for (const [action, body, field] of cases) {
      const res = await post(cert.id, action, officer()).send(body as object);
      expectError(res, 400, 'VALIDATION_FAILED', [field]);
    }
    const broken = await post(cert.id, 'suspend', officer())
      .set('Content-Type', 'application/json')
      .send('{"reason": ');
    expect(broken.status).toBe(400);
    expect(await statusOf(cert.id)).toBe('valid');
    const history = await t.http.get(`/api/v1/certificates/${cert.id}`).set(bearer(officer()));
    // Only its issue: no refused body left a trace.
    expect(history.body.history).toEqual([
      expect.objectContaining({ action: 'issue', fromStatus: null, toStatus: 'valid' }),
    ]);
  });

  it('hides certificates out of scope (404), refuses roles without the right (403)', async () => {
    const cert = await issue();
    for (const action of ACTIONS) {
      const body = { reason: REASON };
      expectError(
        await post(cert.id, action, t.tokens.officerBacNinh).send(body),
        404,
        'CERTIFICATE_NOT_FOUND',
      );
      expectError(
        await post(randomUUID(), action, officer()).send(body),
        404,
        'CERTIFICATE_NOT_FOUND',
      );
      expectError(await post('not-a-uuid', action, officer()).send(body), 400, 'VALIDATION_FAILED');
      expectError(await post(cert.id, action, t.tokens.chair).send(body), 403, 'FORBIDDEN');
      expectError(await post(cert.id, action, t.tokens.hrHanoi).send(body), 403, 'FORBIDDEN');
      await t.http.post(`/api/v1/certificates/${cert.id}/${action}`).send(body).expect(401);
    }
    expectError(
      await t.http.get(`/api/v1/certificates/${cert.id}`).set(bearer(t.tokens.officerBacNinh)),
      404,
      'CERTIFICATE_NOT_FOUND',
    );
    expectError(
      await t.http.get(`/api/v1/certificates/${cert.id}`).set(bearer(t.tokens.chair)),
      403,
      'FORBIDDEN',
    );
    await t.http.get(`/api/v1/certificates/${cert.id}`).set(bearer(t.tokens.hrHanoi)).expect(200);
    expect(await statusOf(cert.id)).toBe('valid');
  });

  it('suspends and reinstates; verification and the holder’s list follow; the PDF stays', async () => {
    const cert = await issue();
    const before = await pdfOf(cert.id, t.tokens.chair);

    const suspended = await post(cert.id, 'suspend', officer())
      .send({ reason: REASON })
      .expect(200);
    expect(suspended.body).toMatchObject({
      id: cert.id,
      serial: cert.serial,
      status: 'suspended',
      statusChangedAt: expect.any(String),
      replacedBy: null,
    });
    const verify = await t.http.get(`/api/v1/verify/${cert.code}`).expect(200);
    expect(verify.body).toEqual({
      status: 'suspended',
      statusText: expect.stringMatching(/^Tạm đình chỉ từ ngày \d{2}\/\d{2}\/\d{4}$/),
      statusChangedOn: expect.stringMatching(/^\d{2}\/\d{2}\/\d{4}$/),
      validUntil: null,
      replacedBy: null,
      holderName: 'Nguyễn Thị Hương',
      courseTitle: COURSE_TITLE,
      issuedOn: expect.stringMatching(/^\d{2}\/\d{2}\/\d{4}$/),
      grade: 'Giỏi',
      issuer: 'Liên đoàn Lao động Thành phố Hà Nội',
      serial: cert.serial,
    });
    expect(JSON.stringify(verify.body)).not.toContain('xác minh');
    const mine = await t.http.get('/api/v1/me/certificates').set(bearer(t.tokens.chair));
    expect(mine.body.items).toContainEqual(
      expect.objectContaining({ id: cert.id, status: 'suspended' }),
    );
    expect((await pdfOf(cert.id, t.tokens.chair)).equals(before)).toBe(true);
    expect((await pdfOf(cert.id, officer())).equals(before)).toBe(true);

    expectError(
      await post(cert.id, 'suspend', officer()).send({ reason: REASON }),
      409,
      'CERTIFICATE_STATUS_INVALID',
    );
    // Reinstating needs no reason.
    const valid = await post(cert.id, 'reinstate', officer()).send({}).expect(200);
    expect(valid.body.status).toBe('valid');
    expect((await t.http.get(`/api/v1/verify/${cert.code}`).expect(200)).body.status).toBe('valid');
    expectError(
      await post(cert.id, 'reinstate', officer()).send({}),
      409,
      'CERTIFICATE_STATUS_INVALID',
    );
  });

  it('revokes for good: every later change answers 409 CERTIFICATE_REVOKED', async () => {
    const cert = await issue();
    const before = await pdfOf(cert.id, t.tokens.chair);
    await post(cert.id, 'suspend', officer()).send({ reason: REASON }).expect(200);
    const revoked = await post(cert.id, 'revoke', t.tokens.admin)
      .send({ reason: 'Gian lận trong bài kiểm tra cuối khóa' })
      .expect(200);
    expect(revoked.body.status).toBe('revoked');
    for (const action of ACTIONS) {
      expectError(
        await post(cert.id, action, officer()).send({ reason: REASON }),
        409,
        'CERTIFICATE_REVOKED',
      );
    }
    const en = await post(cert.id, 'reinstate', officer()).set('Accept-Language', 'en').send({});
    expect(en.body.message).toBe(
      'The certificate is revoked; revocation is final and cannot be changed.',
    );
    const verify = await t.http.get(`/api/v1/verify/${cert.code}`).expect(200);
    expect(verify.body).toMatchObject({
      status: 'revoked',
      statusText: expect.stringMatching(/^Đã thu hồi ngày \d{2}\/\d{2}\/\d{4}$/),
      replacedBy: null,
      serial: cert.serial,
    });
    expect(JSON.stringify(verify.body)).not.toContain('Gian lận');
    expect((await pdfOf(cert.id, t.tokens.chair)).equals(before)).toBe(true);
    const mine = await t.http.get('/api/v1/me/certificates').set(bearer(t.tokens.chair));
    expect(mine.body.items).toContainEqual(
      expect.objectContaining({ id: cert.id, status: 'revoked' }),
    );
  });

  it('records every change in the history: who, when, from, to and the reason', async () => {
    const cert = await issue();
    // An NFD reason is stored composed.
    const decomposed = 'Chờ xác minh hồ sơ gốc'.normalize('NFD');
    await post(cert.id, 'suspend', officer()).send({ reason: decomposed }).expect(200);
    await post(cert.id, 'reinstate', t.tokens.admin).send({ reason: 'Đã xác minh' }).expect(200);
    await post(cert.id, 'revoke', officer()).send({ reason: REASON }).expect(200);

    const res = await t.http
      .get(`/api/v1/certificates/${cert.id}`)
      .set(bearer(t.tokens.hrHanoi))
      .expect(200);
    const adminId = await personOf(DEMO.admin);
    expect(res.body.history).toEqual([
      {
        at: expect.any(String),
        action: 'issue',
        fromStatus: null,
        toStatus: 'valid',
        reason: null,
        actorPersonId: null, // issued by the completion rule, not by a person
        related: null,
      },
      {
        at: expect.any(String),
        action: 'suspend',
        fromStatus: 'valid',
        toStatus: 'suspended',
        reason: 'Chờ xác minh hồ sơ gốc',
        actorPersonId: officerHanoiId,
        related: null,
      },
      {
        at: expect.any(String),
        action: 'reinstate',
        fromStatus: 'suspended',
        toStatus: 'valid',
        reason: 'Đã xác minh',
        actorPersonId: adminId,
        related: null,
      },
      {
        at: expect.any(String),
        action: 'revoke',
        fromStatus: 'valid',
        toStatus: 'revoked',
        reason: REASON,
        actorPersonId: officerHanoiId,
        related: null,
      },
    ]);
    const times = (res.body.history as { at: string }[]).map((e) => e.at);
    expect([...times].sort()).toEqual(times);

    // The same entries in the audit log, readable by hr in scope, never by hr out of scope.
    const audit = await t.http
      .get('/api/v1/audit')
      .query({ entityType: 'certificate', entityId: cert.id })
      .set(bearer(t.tokens.hrHanoi))
      .expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'certificate.revoke',
      'certificate.reinstate',
      'certificate.suspend',
      'certificate.issue',
    ]);
    await expect(
      t.dataSource.query('DELETE FROM audit_log WHERE entity_id = $1', [cert.id]),
    ).rejects.toThrow();
    await expect(
      t.dataSource.query('DELETE FROM certificates WHERE id = $1', [cert.id]),
    ).rejects.toThrow();
  });

  it('reissues with a new serial and today’s names; the old code points at the new serial', async () => {
    const cert = await issue();
    // The completed enrolment the certificate was issued for (a take of its own, cycle 99).
    await t.dataSource.query(
      `INSERT INTO enrolments (id, course_id, person_id, status, score, grade, completed_at,
                               certificate_id, cycle)
       SELECT $1, c.id, $2, 'completed', 8.5, 'Giỏi', now(), $3, 99
         FROM courses c WHERE c.code = 'K04'`,
      [cert.input.enrolmentId, chairId, cert.id],
    );
    const oldPdf = await pdfOf(cert.id, t.tokens.chair);
    await t.http
      .patch(`/api/v1/people/${chairId}`)
      .set(bearer(t.tokens.hrHanoi))
      .send({ familyName: 'Trần', givenName: 'Hòa' })
      .expect(200);
    const [person] = await t.dataSource.query<{ full_name: string }[]>(
      'SELECT full_name FROM people WHERE id = $1',
      [chairId],
    );
    expect(person.full_name).toContain('Hòa');
    const [counter] = await t.dataSource.query<{ last_value: number }[]>(
      'SELECT last_value FROM certificate_serial_counters WHERE year = $1',
      [Number(year)],
    );

    const res = await post(cert.id, 'reissue', officer())
      .send({ reason: 'Đính chính họ tên theo CCCD' })
      .expect(201);
    const fresh = res.body as {
      id: string;
      serial: string;
      code: string;
      holderName: string;
      status: string;
      replaces: unknown;
      history: unknown[];
    };
    expect(fresh.serial).toBe(formatSerial(Number(year), Number(counter.last_value) + 1));
    expect(fresh.id).not.toBe(cert.id);
    expect(fresh.code).not.toBe(cert.code);
    expect(fresh.code).toMatch(/^[A-Z2-7]{24}$/);
    expect(fresh).toMatchObject({
      holderName: person.full_name,
      courseCode: 'K04',
      courseTitle: COURSE_TITLE,
      status: 'valid',
      replaces: { id: cert.id, serial: cert.serial },
      replacedBy: null,
    });
    expect(fresh.history).toEqual([
      expect.objectContaining({
        action: 'issue',
        fromStatus: null,
        toStatus: 'valid',
        reason: 'Đính chính họ tên theo CCCD',
        related: { id: cert.id, serial: cert.serial },
      }),
    ]);
    const [snap] = await t.dataSource.query<
      { snapshot: Record<string, unknown>; enrolment_id: string }[]
    >('SELECT snapshot, enrolment_id FROM certificates WHERE id = $1', [fresh.id]);
    expect(snap.enrolment_id).toBe(cert.input.enrolmentId);
    expect(snap.snapshot).toMatchObject({
      holderName: person.full_name,
      serial: fresh.serial,
      score: 8.5,
      hours: 16,
      grade: 'Giỏi',
      replacesSerial: cert.serial,
      verifyUrl: expect.stringMatching(new RegExp(`[^/]/verify/${fresh.code}$`)),
    });

    const [enrolment] = await t.dataSource.query<{ certificate_id: string }[]>(
      'SELECT certificate_id FROM enrolments WHERE id = $1',
      [cert.input.enrolmentId],
    );
    expect(enrolment.certificate_id).toBe(fresh.id);

    const old = await t.http.get(`/api/v1/certificates/${cert.id}`).set(bearer(officer()));
    expect(old.body).toMatchObject({
      status: 'replaced',
      holderName: 'Nguyễn Thị Hương',
      replacedBy: { id: fresh.id, serial: fresh.serial },
      replaces: null,
    });
    expect(old.body.history).toEqual([
      expect.objectContaining({ action: 'issue', toStatus: 'valid' }),
      expect.objectContaining({
        action: 'reissue',
        fromStatus: 'valid',
        toStatus: 'replaced',
        actorPersonId: officerHanoiId,
        related: { id: fresh.id, serial: fresh.serial },
      }),
    ]);

    // The old code: status and the successor's serial and date; no new name, no new code.
    const oldVerify = await t.http.get(`/api/v1/verify/${cert.code}`).expect(200);
    expect(oldVerify.body).toMatchObject({
      status: 'replaced',
      statusText: `Đã thay thế bằng giấy chứng nhận số hiệu ${fresh.serial} cấp ngày ${
        (oldVerify.body as { replacedBy: { issuedOn: string } }).replacedBy.issuedOn
      }`,
      replacedBy: {
        serial: fresh.serial,
        issuedOn: expect.stringMatching(/^\d{2}\/\d{2}\/\d{4}$/),
      },
      holderName: 'Nguyễn Thị Hương',
      serial: cert.serial,
    });
    const raw = JSON.stringify(oldVerify.body);
    expect(raw).not.toContain(fresh.code);
    expect(raw).not.toContain(fresh.id);
    expect(raw).not.toContain('Hòa');
    const newVerify = await t.http.get(`/api/v1/verify/${fresh.code}`).expect(200);
    expect(newVerify.body).toMatchObject({
      status: 'valid',
      holderName: person.full_name,
      serial: fresh.serial,
      replacedBy: null,
    });

    // Old PDF unchanged; the new one carries the new name and names the serial it replaces.
    expect((await pdfOf(cert.id, t.tokens.chair)).equals(oldPdf)).toBe(true);
    const text = extractPdfText(await pdfOf(fresh.id, t.tokens.chair));
    expect(text).toContain(person.full_name);
    expect(text).toContain(fresh.serial);
    expect(text).toContain(`Cấp lại, thay thế số hiệu ${cert.serial}`);

    // Holder's list shows both; the transcript names the new serial.
    const mine = await t.http.get('/api/v1/me/certificates').set(bearer(t.tokens.chair));
    expect(mine.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: cert.id, status: 'replaced' }),
        expect.objectContaining({ id: fresh.id, status: 'valid', serial: fresh.serial }),
      ]),
    );
    const [line] = await t.dataSource.query<
      { certificate_id: string; certificate_serial: string }[]
    >('SELECT certificate_id, certificate_serial FROM training_records WHERE enrolment_id = $1', [
      cert.input.enrolmentId,
    ]);
    expect(line).toEqual({ certificate_id: fresh.id, certificate_serial: fresh.serial });

    // The old one is final; its error names the successor.
    for (const action of ACTIONS) {
      const refused = await post(cert.id, action, officer()).send({ reason: REASON });
      expectError(refused, 409, 'CERTIFICATE_REPLACED');
      expect(refused.body.message).toContain(fresh.serial);
    }
    // Completion retried for the same enrolment returns the current certificate.
    const retry = await issue({ enrolmentId: cert.input.enrolmentId });
    expect(retry.id).toBe(fresh.id);
    const count = await t.dataSource.query<{ n: string }[]>(
      'SELECT count(*) AS n FROM certificates WHERE enrolment_id = $1',
      [cert.input.enrolmentId],
    );
    expect(Number(count[0].n)).toBe(2);
  });

  it('refuses to reissue a suspended certificate until it is reinstated', async () => {
    const cert = await issue();
    await post(cert.id, 'suspend', officer()).send({ reason: 'Sai họ tên' }).expect(200);
    const [counter] = await t.dataSource.query<{ last_value: number }[]>(
      'SELECT last_value FROM certificate_serial_counters WHERE year = $1',
      [Number(year)],
    );
    const refused = await post(cert.id, 'reissue', officer()).send({ reason: 'Đính chính' });
    expectError(refused, 409, 'CERTIFICATE_SUSPENDED');
    expect(refused.body.message).toBe(
      'Giấy chứng nhận đang bị tạm đình chỉ: hãy khôi phục hiệu lực trước khi cấp lại.',
    );
    const en = await post(cert.id, 'reissue', t.tokens.admin)
      .set('Accept-Language', 'en')
      .send({ reason: 'Đính chính' });
    expectError(en, 409, 'CERTIFICATE_SUSPENDED');
    expect(en.body.message).toBe('The certificate is suspended: reinstate it before reissuing it.');
    // Nothing written: no successor, no serial drawn, still suspended, no history entry.
    const rows = await t.dataSource.query<{ status: string }[]>(
      'SELECT status FROM certificates WHERE enrolment_id = $1',
      [cert.input.enrolmentId],
    );
    expect(rows).toEqual([{ status: 'suspended' }]);
    const [after] = await t.dataSource.query<{ last_value: number }[]>(
      'SELECT last_value FROM certificate_serial_counters WHERE year = $1',
      [Number(year)],
    );
    expect(after.last_value).toBe(counter.last_value);
    const detail = await t.http.get(`/api/v1/certificates/${cert.id}`).set(bearer(officer()));
    expect(detail.body.history.map((e: { action: string }) => e.action)).toEqual([
      'issue',
      'suspend',
    ]);

    // Reinstated (the reason is kept), it may be reissued — once, however many try at once.
    await post(cert.id, 'reinstate', officer()).send({ reason: 'Đã xác minh' }).expect(200);
    const [a, b] = await Promise.all([
      post(cert.id, 'reissue', officer()).send({ reason: 'Đính chính họ tên' }),
      post(cert.id, 'reissue', t.tokens.admin).send({ reason: 'Đính chính họ tên' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.code).toBe('CERTIFICATE_REPLACED');
    const statuses = await t.dataSource.query<{ status: string }[]>(
      'SELECT status FROM certificates WHERE enrolment_id = $1 ORDER BY issued_at',
      [cert.input.enrolmentId],
    );
    expect(statuses.map((r) => r.status)).toEqual(['replaced', 'valid']);
    const old = await t.http.get(`/api/v1/certificates/${cert.id}`).set(bearer(officer()));
    expect(
      old.body.history.map((e: { fromStatus: string; toStatus: string }) => [
        e.fromStatus,
        e.toStatus,
      ]),
    ).toEqual([
      [null, 'valid'],
      ['valid', 'suspended'],
      ['suspended', 'valid'],
      ['valid', 'replaced'],
    ]);
  });

  it('names statuses in Vietnamese words when refusing a move', async () => {
    const cert = await issue();
    const res = await post(cert.id, 'reinstate', officer()).send({});
    expectError(res, 409, 'CERTIFICATE_STATUS_INVALID');
    expect(res.body.message).toBe(
      'Giấy chứng nhận đang ở trạng thái “còn hiệu lực” nên không thể khôi phục hiệu lực.',
    );
    const en = await post(cert.id, 'reinstate', officer()).set('Accept-Language', 'en').send({});
    expect(en.body.message).toBe('The certificate is valid, so it cannot be reinstated.');
  });

  /** The messages written about a certificate, oldest first. */
  const messagesOf = (certificateId: string) =>
    t.dataSource.query<
      {
        id: string;
        person_id: string;
        event: string;
        topic: string;
        locale: string;
        status: string;
        channel: string;
        subject: string | null;
        payload: { fullName: string; certificates: Record<string, unknown>[] };
      }[]
    >(
      `SELECT id, person_id, event, topic, locale, status, channel, subject, payload
         FROM notification_outbox
        WHERE payload->'certificates' @> $1::jsonb
        ORDER BY created_at, id`,
      [JSON.stringify([{ certificateId }])],
    );
  /** The texts an officer reads of a message (rendered as the worker will send them). */
  const textsOf = async (messageId: string) => {
    const res = await t.http
      .get('/api/v1/notifications/outbox')
      .query({ personId: chairId, limit: 100 })
      .set(bearer(officer()))
      .expect(200);
    const item = (res.body.items as { id: string; subject: string; bodyText: string }[]).find(
      (i) => i.id === messageId,
    );
    if (!item) throw new Error(`message ${messageId} not in the outbox page`);
    return item;
  };

  it('tells the holder of the issue and of every change, each in a message of its own', async () => {
    const cert = await issue();
    const [issued] = await messagesOf(cert.id);
    expect(issued).toMatchObject({
      person_id: chairId,
      event: 'certificate_issued',
      topic: `certificate:${cert.id}:issue`,
      locale: 'vi',
      status: 'pending',
    });
    expect(issued.payload.certificates).toEqual([
      {
        certificateId: cert.id,
        serial: cert.serial,
        courseCode: 'K04',
        courseTitle: COURSE_TITLE,
        issuerName: 'Liên đoàn Lao động Thành phố Hà Nội',
        issuedOn: isoDateVi(cert.input.completedAt),
        validUntil: null,
        verifyUrl: expect.stringMatching(new RegExp(`[^/]/verify/${cert.code}$`)),
        replacesSerial: null,
        reason: null,
      },
    ]);
    const texts = await textsOf(issued.id);
    expect(texts.subject).toBe(`Đồng chí được cấp giấy chứng nhận khóa học “${COURSE_TITLE}”`);
    expect(texts.bodyText).toContain(`- Số hiệu ${cert.serial}: K04 — ${COURSE_TITLE}, cấp ngày`);
    // The link in the e-mail is the public verification page the app serves; the API's twin
    // answers the same certificate.
    const link = /Kiểm tra giấy chứng nhận: (\S+)/.exec(texts.bodyText)![1];
    const path = new URL(link).pathname;
    expect(path).toBe(`/verify/${cert.code}`);
    const page = await t.http.get(path).expect(200).expect('Content-Type', /html/);
    expect(page.text).toContain(cert.serial);
    expect((await t.http.get(`/api/v1${path}`).expect(200)).body.serial).toBe(cert.serial);

    await post(cert.id, 'suspend', officer()).send({ reason: REASON }).expect(200);
    // A refused change tells nobody (and records nothing).
    await post(cert.id, 'suspend', officer()).send({ reason: REASON }).expect(409);
    await post(cert.id, 'reinstate', officer()).send({}).expect(200);
    // Suspended again the same day: a message of its own, not lost behind the first.
    await post(cert.id, 'suspend', t.tokens.admin).send({ reason: 'Lần hai' }).expect(200);
    await post(cert.id, 'revoke', t.tokens.admin).send({ reason: 'Gian lận' }).expect(200);
    const all = await messagesOf(cert.id);
    expect(all.map((m) => m.event)).toEqual([
      'certificate_issued',
      'certificate_suspended',
      'certificate_reinstated',
      'certificate_suspended',
      'certificate_revoked',
    ]);
    expect(new Set(all.map((m) => m.topic)).size).toBe(5);
    expect(all.map((m) => m.payload.certificates[0].reason)).toEqual([
      null,
      REASON,
      null,
      'Lần hai',
      'Gian lận',
    ]);
    const suspended = await textsOf(all[1].id);
    expect(suspended.subject).toBe(
      `Giấy chứng nhận số hiệu ${cert.serial} bị tạm đình chỉ hiệu lực`,
    );
    expect(suspended.bodyText).toContain(`  Lý do: ${REASON}\n`);
    expect((await textsOf(all[2].id)).subject).toBe(
      `Giấy chứng nhận số hiệu ${cert.serial} được khôi phục hiệu lực`,
    );
    const revoked = await textsOf(all[4].id);
    expect(revoked.subject).toBe(`Giấy chứng nhận số hiệu ${cert.serial} bị thu hồi`);
    expect(revoked.bodyText).toContain('  Lý do: Gian lận\n');

    // The worker sends them as it sends every message (to the log: no SMTP server here).
    const worker = t.app.get(NotificationWorker);
    while ((await worker.runOnce()).claimed > 0);
    const sent = await messagesOf(cert.id);
    expect(sent.map((m) => [m.status, m.channel])).toEqual(
      Array.from({ length: 5 }, () => ['sent', 'log']),
    );
    expect(sent[4].subject).toBe(revoked.subject);
  });

  it('tells of a reissue as a new certificate, in the holder’s language', async () => {
    await t.http
      .put('/api/v1/me/notification-preferences')
      .set(bearer(t.tokens.chair))
      .send({ locale: 'en' })
      .expect(200);
    try {
      const cert = await issue();
      const res = await post(cert.id, 'reissue', officer())
        .send({ reason: 'Đính chính họ tên' })
        .expect(201);
      const [message] = await messagesOf(res.body.id as string);
      expect(message).toMatchObject({
        event: 'certificate_issued',
        locale: 'en',
        topic: `certificate:${res.body.id}:issue`,
      });
      expect(message.payload.certificates[0]).toMatchObject({
        serial: res.body.serial,
        replacesSerial: cert.serial,
      });
      const texts = await textsOf(message.id);
      expect(texts.subject).toBe(`You have been issued the certificate for “${COURSE_TITLE}”`);
      expect(texts.bodyText).toContain(`A reissue, replacing certificate No. ${cert.serial}`);
      // The replaced certificate has its issue message only: a reissue is not a revocation.
      expect((await messagesOf(cert.id)).map((m) => m.event)).toEqual(['certificate_issued']);
    } finally {
      await t.http
        .put('/api/v1/me/notification-preferences')
        .set(bearer(t.tokens.chair))
        .send({ locale: 'vi' })
        .expect(200);
    }
  });

  it('audits the issue and every change: actor, time, before and after', async () => {
    const cert = await issue();
    await post(cert.id, 'suspend', officer()).send({ reason: REASON }).expect(200);
    await post(cert.id, 'revoke', t.tokens.admin).send({ reason: 'Gian lận' }).expect(200);
    const [home] = await t.dataSource.query<{ home_org_unit_id: string }[]>(
      'SELECT home_org_unit_id FROM people WHERE id = $1',
      [chairId],
    );
    const res = await t.http
      .get('/api/v1/audit')
      .query({ entityType: 'certificate', entityId: cert.id })
      .set(bearer(t.tokens.hrHanoi))
      .expect(200);
    const [revoked, suspended, issued] = res.body.items as {
      at: string;
      actorUserId: string | null;
      actorPersonId: string | null;
      orgUnitId: string;
      action: string;
      before: unknown;
      after: unknown;
    }[];
    expect(res.body.items).toHaveLength(3);
    expect(issued).toMatchObject({
      action: 'certificate.issue',
      entityType: 'certificate',
      entityId: cert.id,
      orgUnitId: home.home_org_unit_id,
      actorUserId: null, // the completion rule issued it
      actorPersonId: null,
      before: null,
      after: {
        status: 'valid',
        serial: cert.serial,
        enrolmentId: cert.input.enrolmentId,
        expiresOn: null,
        reason: null,
        related: null,
      },
    });
    expect(suspended).toMatchObject({
      action: 'certificate.suspend',
      actorUserId: expect.any(String),
      actorPersonId: officerHanoiId,
      orgUnitId: home.home_org_unit_id,
      before: { status: 'valid', serial: cert.serial, expiresOn: null },
      after: { status: 'suspended', serial: cert.serial, expiresOn: null, reason: REASON },
    });
    expect(revoked).toMatchObject({
      action: 'certificate.revoke',
      actorPersonId: await personOf(DEMO.admin),
      before: { status: 'suspended', serial: cert.serial },
      after: { status: 'revoked', serial: cert.serial, reason: 'Gian lận' },
    });
    expect([issued.at, suspended.at, revoked.at]).toEqual(
      [issued.at, suspended.at, revoked.at].sort(),
    );
    // Officers do not read the audit log; hr reads its own subtree only.
    expectError(
      await t.http.get('/api/v1/audit').query({ entityId: cert.id }).set(bearer(officer())),
      403,
      'FORBIDDEN',
    );
    const [bacNinhPerson] = await t.dataSource.query<{ id: string }[]>(
      `SELECT p.id FROM people p JOIN org_units u ON u.id = p.home_org_unit_id
        WHERE u.path LIKE (SELECT path FROM org_units WHERE code = 'BN') || '%'
        ORDER BY p.id LIMIT 1`,
    );
    const far = await issue({ personId: bacNinhPerson.id, holderName: 'Trần Văn Bắc' });
    const hidden = await t.http
      .get('/api/v1/audit')
      .query({ entityType: 'certificate', entityId: far.id })
      .set(bearer(t.tokens.hrHanoi))
      .expect(200);
    expect(hidden.body.items).toEqual([]);
    const shown = await t.http
      .get('/api/v1/audit')
      .query({ entityType: 'certificate', entityId: far.id })
      .set(bearer(t.tokens.admin))
      .expect(200);
    expect(shown.body.items.map((e: { action: string }) => e.action)).toEqual([
      'certificate.issue',
    ]);
  });

  it('does not let an officer change their own certificate; another officer may', async () => {
    const own = await issue({ personId: officerHanoiId, holderName: 'Lê Văn Đào Tạo' });
    for (const action of ACTIONS) {
      expectError(
        await post(own.id, action, officer()).send({ reason: REASON }),
        403,
        'CERTIFICATE_OWN_CHANGE',
      );
    }
    await post(own.id, 'suspend', t.tokens.admin).send({ reason: REASON }).expect(200);
  });
});
