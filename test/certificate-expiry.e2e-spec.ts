import { IssueCertificateInput } from '../src/certificates/certificates.service';
import { K01_ASSESSMENT } from '../src/courses/courses.seed';
import { DEMO_PROGRAMME } from '../src/programmes/programmes.seed';
import { expectError } from './expect-error';
import { binary } from './support/binary-body';
import { issueTestCertificate } from './support/certificate-fixtures';
import { extractPdfText } from './support/pdf-text';
import {
  createAssignment,
  createProgramme,
  peopleOf,
  personIdByEmail,
} from './support/programme-fixtures';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';
import { todayVn } from '../src/common/dates/vietnam-dates';
import { addDays, addMonths } from '../src/common/dates/calendar';

/** 2030-01-31 → 31/01/2030. */
const vi = (iso: string) => iso.split('-').reverse().join('/');

/**
 * Certificates of recertified courses: the last valid day fixed at issue, in the completion's
 * transaction; the daily scan's expiry the day after; what verification, the holder, the page,
 * the history and officers then see.
 */
describe('certificate expiry', () => {
  let t: TestApp;
  let chairId: string;
  let colleagueId: string;
  let hanoiId: string;
  let k04Id: string;
  /** Two policies over K04 for the colleague: 11 and 24 months. */
  let yearly: string;

  const post = (id: string, action: string, token = t.tokens.officerHanoi) =>
    t.http.post(`/api/v1/certificates/${id}/${action}`).set(bearer(token));
  const scan = async (today: string) => {
    const res = await t.http
      .post('/api/v1/programmes/recertification/run')
      .query({ today })
      .set(bearer(t.tokens.admin))
      .expect(200);
    return res.body as { certificatesExpired: number };
  };
  const rowOf = async (id: string) =>
    (
      await t.dataSource.query<{ status: string; expires_on: string | null; changed_on: string }[]>(
        `SELECT status, expires_on::text AS expires_on,
                (status_changed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text AS changed_on
           FROM certificates WHERE id = $1`,
        [id],
      )
    )[0];
  const pdfOf = async (id: string) =>
    (
      await t.http
        .get(`/api/v1/certificates/${id}/pdf`)
        .set(bearer(t.tokens.officerHanoi))
        .buffer(true)
        .parse(binary)
        .expect(200)
    ).body as Buffer;
  const codeOf = async (id: string) =>
    (
      await t.dataSource.query<{ code: string }[]>('SELECT code FROM certificates WHERE id = $1', [
        id,
      ])
    )[0].code;
  /** A certificate of K04 for the colleague, issued as a completion issues it. */
  const issueK04 = (overrides: Partial<IssueCertificateInput> = {}) =>
    issueTestCertificate(t, {
      personId: colleagueId,
      holderName: 'Lê Thị Mai',
      courseId: k04Id,
      issuerOrgUnitId: hanoiId,
      courseCode: 'K04',
      courseTitle: 'Tài chính và kiểm tra công đoàn',
      ...overrides,
    });

  beforeAll(async () => {
    t = await createTestApp();
    chairId = await personIdByEmail(t.dataSource, DEMO.chair);
    colleagueId = (await peopleOf(t.dataSource, 'HN-HD-MAY')).find((id) => id !== chairId)!;
    hanoiId = await t.unitId('HN');
    k04Id = await courseIdOf('K04');
    yearly = await createProgramme(t.dataSource, {
      code: 'HL-11',
      title: 'Kiểm tra tài chính công đoàn hằng năm',
      courseCodes: ['K04'],
      ownerUnit: 'HN',
      validityMonths: 11,
      windowDays: 30,
    });
    const longer = await createProgramme(t.dataSource, {
      code: 'HL-24',
      title: 'Tài chính công đoàn cơ sở',
      courseCodes: ['K03', 'K04'],
      ownerUnit: 'HN',
      validityMonths: 24,
      windowDays: 30,
    });
    await createAssignment(t.dataSource, yearly, 'HN-HD-MAY', [colleagueId], '2027-06-30');
    await createAssignment(t.dataSource, longer, 'HN-HD-MAY', [colleagueId], '2027-06-30');
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('a course completed under a recertification policy', () => {
    let certificateId: string;
    let code: string;
    let lastDay: string;
    let pdf: Buffer;

    it('is certified at completion with its last valid day: the programme’s validity', async () => {
      // The demo chair is assigned the demo programme (K01 → K02 → K03, valid 36 months) and is
      // part-way through K01: finish it through the API, as the chair would.
      const chair = bearer(t.tokens.chair);
      const [enrolment] = await t.dataSource.query<
        { id: string; course_id: string; assessment_id: string }[]
      >(
        `SELECT e.id, e.course_id, a.id AS assessment_id
           FROM enrolments e JOIN courses c ON c.id = e.course_id
           JOIN assessments a ON a.course_id = c.id
          WHERE c.code = 'K01' AND e.person_id = $1`,
        [chairId],
      );
      const todo = await t.dataSource.query<{ id: string }[]>(
        `SELECT l.id FROM course_lessons l
          WHERE l.course_id = $1 AND l.required AND l.kind <> 'assessment'
            AND NOT EXISTS (SELECT 1 FROM lesson_completions lc
                             WHERE lc.enrolment_id = $2 AND lc.lesson_id = l.id)`,
        [enrolment.course_id, enrolment.id],
      );
      for (const lesson of todo) {
        await t.http
          .post(`/api/v1/enrolments/${enrolment.id}/lessons/${lesson.id}/complete`)
          .set(chair)
          .expect(200);
      }
      const attempt = await t.http
        .post(`/api/v1/assessments/${enrolment.assessment_id}/attempts`)
        .set(chair)
        .expect(201);
      for (const q of attempt.body.questions as { id: string; prompt: string }[]) {
        const seeded = K01_ASSESSMENT.questions.find((s) => s.prompt === q.prompt)!;
        await t.http
          .put(`/api/v1/attempts/${attempt.body.id}/answers/${q.id}`)
          .set(chair)
          .send({ selected: seeded.correct })
          .expect(200);
      }
      const submitted = await t.http
        .post(`/api/v1/attempts/${attempt.body.id}/submit`)
        .set(chair)
        .expect(200);
      expect(submitted.body).toMatchObject({ passed: true, enrolmentStatus: 'completed' });
      certificateId = submitted.body.certificateId as string;
      code = await codeOf(certificateId);
      lastDay = addMonths(todayVn(), DEMO_PROGRAMME.validityMonths);

      // Set in the completion's transaction: on the row, for the holder and for staff.
      expect(await rowOf(certificateId)).toMatchObject({ status: 'valid', expires_on: lastDay });
      const mine = await t.http.get('/api/v1/me/certificates').set(chair).expect(200);
      expect(mine.body.items).toContainEqual(
        expect.objectContaining({ id: certificateId, status: 'valid', expiresOn: lastDay }),
      );
      const detail = await t.http
        .get(`/api/v1/certificates/${certificateId}`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(detail.body).toMatchObject({ status: 'valid', expiresOn: lastDay });

      // Verification, the page, the message and the audit entry all carry it.
      const verify = await t.http.get(`/api/v1/verify/${code}`).expect(200);
      expect(verify.body).toMatchObject({
        status: 'valid',
        statusText: `Còn hiệu lực đến hết ngày ${vi(lastDay)}`,
        validUntil: vi(lastDay),
        statusChangedOn: null,
      });
      pdf = await pdfOf(certificateId);
      expect(extractPdfText(pdf)).toContain(`Có giá trị đến hết ngày ${vi(lastDay)}`);
      const [message] = await t.dataSource.query<
        { payload: { certificates: { validUntil: string }[] } }[]
      >(
        `SELECT payload FROM notification_outbox
          WHERE event = 'certificate_issued' AND topic = $1`,
        [`certificate:${certificateId}:issue`],
      );
      expect(message.payload.certificates[0].validUntil).toBe(lastDay);
      const audit = await t.http
        .get('/api/v1/audit')
        .query({ entityType: 'certificate', entityId: certificateId })
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          action: 'certificate.issue',
          after: expect.objectContaining({ status: 'valid', expiresOn: lastDay }),
        }),
      ]);
    });

    it('stays valid through its last day; the daily scan expires it the day after', async () => {
      expect((await scan(lastDay)).certificatesExpired).toBe(0);
      expect((await rowOf(certificateId)).status).toBe('valid');

      const dayAfter = addDays(lastDay, 1);
      expect((await scan(dayAfter)).certificatesExpired).toBe(1);
      // Dated when validity ended, not when the scan happened to run.
      expect(await rowOf(certificateId)).toEqual({
        status: 'expired',
        expires_on: lastDay,
        changed_on: dayAfter,
      });
      expect((await scan(dayAfter)).certificatesExpired).toBe(0);
      expect((await scan(addDays(dayAfter, 30))).certificatesExpired).toBe(0);

      const verify = await t.http.get(`/api/v1/verify/${code}`).expect(200);
      expect(verify.body).toMatchObject({
        status: 'expired',
        statusText: `Hết hiệu lực từ ngày ${vi(dayAfter)}`,
        statusChangedOn: vi(dayAfter),
        validUntil: vi(lastDay),
      });
      const en = await t.http
        .get(`/api/v1/verify/${code}`)
        .set('Accept-Language', 'en')
        .expect(200);
      expect(en.body.statusText).toBe(`Expired since ${vi(dayAfter)}`);

      // History kept: the expiry is one more entry, the system's.
      const detail = await t.http
        .get(`/api/v1/certificates/${certificateId}`)
        .set(bearer(t.tokens.officerHanoi))
        .expect(200);
      expect(detail.body.status).toBe('expired');
      expect(detail.body.history).toEqual([
        expect.objectContaining({ action: 'issue', toStatus: 'valid' }),
        {
          at: expect.any(String),
          action: 'expire',
          fromStatus: 'valid',
          toStatus: 'expired',
          reason: null,
          actorPersonId: null,
          related: null,
        },
      ]);
      const audit = await t.http
        .get('/api/v1/audit')
        .query({ entityType: 'certificate', entityId: certificateId })
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(audit.body.items[0]).toMatchObject({
        action: 'certificate.expire',
        actorUserId: null,
        actorPersonId: null,
        before: { status: 'valid', expiresOn: lastDay },
        after: { status: 'expired', expiresOn: lastDay },
      });

      // The page is the paper: the same bytes; it already said until when it was valid.
      expect((await pdfOf(certificateId)).equals(pdf)).toBe(true);
      const mine = await t.http.get('/api/v1/me/certificates').set(bearer(t.tokens.chair));
      expect(mine.body.items).toContainEqual(
        expect.objectContaining({ id: certificateId, status: 'expired' }),
      );
    });

    it('can then only be revoked: recertification, not a reissue, gives a new one', async () => {
      for (const action of ['suspend', 'reissue', 'reinstate']) {
        const res = await post(certificateId, action).send({ reason: 'Thử' });
        expectError(res, 409, 'CERTIFICATE_EXPIRED');
        expect(res.body.message).toContain(`hết hiệu lực từ ngày ${vi(addDays(lastDay, 1))}`);
      }
      expect((await rowOf(certificateId)).status).toBe('expired');
      await post(certificateId, 'revoke').send({ reason: 'Hồ sơ gian lận' }).expect(200);
      const verify = await t.http.get(`/api/v1/verify/${code}`).expect(200);
      expect(verify.body.status).toBe('revoked');
      expect(verify.body.statusText).toMatch(/^Đã thu hồi ngày \d{2}\/\d{2}\/\d{4}$/);
    });
  });

  describe('which policy', () => {
    it('takes the earliest last day of the programmes that hold the course for the person', async () => {
      // 31 March + 11 months: the end of February, as the programme's own dates count it.
      const cert = await issueK04({ completedAt: new Date('2027-03-31T10:00:00+07:00') });
      const preview = await t.http
        .post('/api/v1/programmes/recertification/preview')
        .set(bearer(t.tokens.officerHanoi))
        .send({
          completedOn: '2027-03-31',
          dueRule: { kind: 'days_after_assignment', days: 30 },
          validityMonths: 11,
          windowDays: 30,
        })
        .expect(200);
      expect(preview.body.expiresOn).toBe('2028-02-29');
      expect((await rowOf(cert.id)).expires_on).toBe('2028-02-29');

      // A course no policy holds for the person: valid without end.
      const free = await issueK04({ courseId: await courseIdOf('K05') });
      expect((await rowOf(free.id)).expires_on).toBeNull();
      // Out of the audience (untargeted), the policy no longer governs the person.
      await t.dataSource.query(
        `UPDATE assignment_members SET targeted = false, untargeted_at = now()
          WHERE person_id = $1 AND assignment_id IN (
            SELECT id FROM programme_assignments WHERE programme_id = $2)`,
        [colleagueId, yearly],
      );
      const later = await issueK04({ completedAt: new Date('2027-05-10T10:00:00+07:00') });
      expect((await rowOf(later.id)).expires_on).toBe('2029-05-10');
    });
  });

  describe('a certificate past its last day before the scan records it', () => {
    it('reads as expired everywhere; an officer’s change records the expiry first', async () => {
      const cert = await issueK04({ completedAt: new Date('2020-01-15T09:00:00+07:00') });
      const lastDay = (await rowOf(cert.id)).expires_on!;
      expect(lastDay < todayVn()).toBe(true);
      expect((await rowOf(cert.id)).status).toBe('valid'); // not yet scanned

      const verify = await t.http.get(`/api/v1/verify/${cert.code}`).expect(200);
      expect(verify.body).toMatchObject({
        status: 'expired',
        statusText: `Hết hiệu lực từ ngày ${vi(addDays(lastDay, 1))}`,
        statusChangedOn: vi(addDays(lastDay, 1)),
      });
      const detail = await t.http
        .get(`/api/v1/certificates/${cert.id}`)
        .set(bearer(t.tokens.officerHanoi))
        .expect(200);
      expect(detail.body.status).toBe('expired');

      // A refused change leaves everything as it was, the expiry included.
      expectError(
        await post(cert.id, 'suspend').send({ reason: 'Thử' }),
        409,
        'CERTIFICATE_EXPIRED',
      );
      expect((await rowOf(cert.id)).status).toBe('valid');
      // A revocation goes through and the history shows both steps.
      await post(cert.id, 'revoke').send({ reason: 'Gian lận' }).expect(200);
      const after = await t.http
        .get(`/api/v1/certificates/${cert.id}`)
        .set(bearer(t.tokens.officerHanoi))
        .expect(200);
      expect(
        after.body.history.map((e: { action: string; toStatus: string }) => [e.action, e.toStatus]),
      ).toEqual([
        ['issue', 'valid'],
        ['expire', 'expired'],
        ['revoke', 'revoked'],
      ]);
    });

    it('lifting a suspension after the last day ends the suspension, not the expiry', async () => {
      const cert = await issueK04({ completedAt: new Date() });
      await post(cert.id, 'suspend').send({ reason: 'Chờ xác minh' }).expect(200);
      // Time passes while it is suspended: the scan leaves a suspended certificate alone.
      await t.dataSource.query(`UPDATE certificates SET expires_on = '2021-01-31' WHERE id = $1`, [
        cert.id,
      ]);
      expect((await scan(todayVn())).certificatesExpired).toBe(0);
      const res = await post(cert.id, 'reinstate').send({ reason: 'Đã xác minh' }).expect(200);
      expect(res.body.status).toBe('expired');
      expect(res.body.history.at(-1)).toMatchObject({
        action: 'reinstate',
        fromStatus: 'suspended',
        toStatus: 'expired',
      });
      // Nobody is told the certificate is valid again.
      const events = await t.dataSource.query<{ event: string }[]>(
        `SELECT event FROM notification_outbox WHERE topic LIKE $1 ORDER BY created_at`,
        [`certificate:${cert.id}:%`],
      );
      expect(events.map((e) => e.event)).toEqual(['certificate_issued', 'certificate_suspended']);
    });
  });

  async function courseIdOf(code: string): Promise<string> {
    const [row] = await t.dataSource.query<{ id: string }[]>(
      'SELECT id FROM courses WHERE code = $1',
      [code],
    );
    return row.id;
  }
});
