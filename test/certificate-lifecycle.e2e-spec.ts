import { randomUUID } from 'node:crypto';
import { formatSerial } from '../src/certificates/certificate-format';
import { IssueCertificateInput } from '../src/certificates/certificates.service';
import { expectError } from './expect-error';
import { binary } from './support/binary-body';
import { issueTestCertificate } from './support/certificate-fixtures';
import { extractPdfText } from './support/pdf-text';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';

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
    expect(history.body.history).toEqual([]);
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
      expectError(await post('not-a-uuid', action, officer()).send(body), 404, 'NOT_FOUND');
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
      statusChangedOn: expect.stringMatching(/^\d{2}\/\d{2}\/\d{4}$/),
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
    expect(verify.body).toMatchObject({ status: 'revoked', replacedBy: null, serial: cert.serial });
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
      verifyUrl: expect.stringContaining(`/api/v1/verify/${fresh.code}`),
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

  it('reissues a suspended certificate, and only one of two racing reissues wins', async () => {
    const cert = await issue();
    await post(cert.id, 'suspend', officer()).send({ reason: 'Sai họ tên' }).expect(200);
    const [a, b] = await Promise.all([
      post(cert.id, 'reissue', officer()).send({ reason: 'Đính chính họ tên' }),
      post(cert.id, 'reissue', t.tokens.admin).send({ reason: 'Đính chính họ tên' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.code).toBe('CERTIFICATE_REPLACED');
    const rows = await t.dataSource.query<{ status: string }[]>(
      'SELECT status FROM certificates WHERE enrolment_id = $1 ORDER BY issued_at',
      [cert.input.enrolmentId],
    );
    expect(rows.map((r) => r.status)).toEqual(['replaced', 'valid']);
    const old = await t.http.get(`/api/v1/certificates/${cert.id}`).set(bearer(officer()));
    expect(
      old.body.history.map((e: { fromStatus: string; toStatus: string }) => [
        e.fromStatus,
        e.toStatus,
      ]),
    ).toEqual([
      ['valid', 'suspended'],
      ['suspended', 'replaced'],
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
