import { expectError } from './expect-error';
import { binary } from './support/binary-body';
import { bearer, createTestApp, TestApp } from './support/test-app';
import { todayVn } from '../src/common/dates/vietnam-dates';

interface TranscriptItem {
  kind: string;
  courseCode: string | null;
  courseTitle: string;
  provider: string | null;
  completedOn: string;
  hours: number;
  score: number | null;
  grade: string | null;
  recognition: string;
  note: string | null;
  certificateSerial: string | null;
}

const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Issue 11, item 8: officers record learning done elsewhere — an enrolment completed by hand
 * with the reason (recognition of prior learning), and verified external training — both on
 * the transcript with their hours, both audited, neither ever deleted.
 */
describe('recognised learning: manual completion and external training', () => {
  let t: TestApp;
  let officer: { Authorization: string };
  let chairPerson: string;
  let officerPerson: string;
  let bacNinhPerson: string;
  const course: Record<string, string> = {};

  const personOf = async (email: string) =>
    (
      await t.dataSource.query<{ person_id: string }[]>(
        'SELECT person_id FROM user_accounts WHERE email = $1',
        [email],
      )
    )[0].person_id;
  const enrolmentOf = async (personId: string, code: string) =>
    (
      await t.dataSource.query<{ id: string }[]>(
        `SELECT e.id FROM enrolments e JOIN courses c ON c.id = e.course_id
          WHERE e.person_id = $1 AND c.code = $2`,
        [personId, code],
      )
    )[0]?.id;
  const transcript = async (personId: string, token = t.tokens.hrHanoi) =>
    (await t.http.get(`/api/v1/people/${personId}/transcript`).set(bearer(token)).expect(200))
      .body as { items: TranscriptItem[]; totalHours: number };
  const auditOf = async (entityId: string) =>
    (
      await t.http
        .get(`/api/v1/audit?entityId=${entityId}`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200)
    ).body.items as { action: string; before: unknown; after: Record<string, unknown> }[];

  beforeAll(async () => {
    t = await createTestApp();
    officer = bearer(t.tokens.officerHanoi);
    chairPerson = await personOf('chutich.mayhadong@lms.congdoan.test');
    officerPerson = await personOf('daotao.hanoi@lms.congdoan.test');
    bacNinhPerson = await personOf('daotao.bacninh@lms.congdoan.test');
    for (const r of await t.dataSource.query<{ id: string; code: string }[]>(
      `SELECT id, code FROM courses WHERE code IN ('K01', 'K04', 'K05')`,
    )) {
      course[r.code] = r.id;
    }
    await t.http
      .post('/api/v1/enrolments')
      .set(officer)
      .send({ courseId: course.K04, personIds: [chairPerson, officerPerson] })
      .expect(200);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('manual completion of an enrolment', () => {
    const complete = (id: string, body: unknown, token = t.tokens.officerHanoi) =>
      t.http
        .post(`/api/v1/enrolments/${id}/complete`)
        .set(bearer(token))
        .send(body as object);
    const reason = 'Đã học lớp tương đương tại Trường Cán bộ Công đoàn Hà Nội năm 2025';

    it('refuses wrong bodies with 400 and writes nothing', async () => {
      const id = await enrolmentOf(chairPerson, 'K04');
      for (const [body, field] of [
        [{}, 'reason'],
        [{ reason: 12345 }, 'reason'],
        [{ reason: 'ngắn' }, 'reason'],
        [{ reason: 'x'.repeat(1001) }, 'reason'],
        [{ reason, score: 9 }, 'score'],
      ] as const) {
        expectError(await complete(id, body), 400, 'VALIDATION_FAILED', [field]);
      }
      const [row] = await t.dataSource.query<{ status: string }[]>(
        'SELECT status FROM enrolments WHERE id = $1',
        [id],
      );
      expect(row.status).toBe('enrolled');
    });

    it('answers 403 to a learner and to HR, 404 outside the officer’s scope and for no enrolment', async () => {
      const id = await enrolmentOf(chairPerson, 'K04');
      expectError(await complete(id, { reason }, t.tokens.chair), 403, 'FORBIDDEN');
      expectError(await complete(id, { reason }, t.tokens.hrHanoi), 403, 'FORBIDDEN');
      expectError(
        await complete(id, { reason }, t.tokens.officerBacNinh),
        404,
        'ENROLMENT_NOT_FOUND',
      );
      expectError(
        await complete('00000000-0000-4000-8000-000000000000', { reason }),
        404,
        'ENROLMENT_NOT_FOUND',
      );
    });

    it('never lets an officer recognise their own learning', async () => {
      const own = await enrolmentOf(officerPerson, 'K04');
      expectError(await complete(own, { reason }), 403, 'LEARNING_SELF_RECOGNITION');
    });

    it('completes with a certificate, a recognised transcript line and an audit entry', async () => {
      const id = await enrolmentOf(chairPerson, 'K04');
      const res = await complete(id, { reason: `  ${reason}  ` }).expect(200);
      expect(res.body).toMatchObject({
        id,
        personId: chairPerson,
        status: 'completed',
        completionMethod: 'manual',
        completionReason: reason,
        score: null,
        grade: null,
        certificate: { serial: expect.stringMatching(/^GCN-\d{4}-\d{6}$/) },
      });
      const line = (await transcript(chairPerson)).items.find((l) => l.courseCode === 'K04');
      expect(line).toMatchObject({
        kind: 'course',
        hours: 16,
        recognition: 'manual',
        note: reason,
        certificateSerial: res.body.certificate.serial,
      });
      const log = await auditOf(id);
      expect(log[0]).toMatchObject({
        action: 'enrolment.complete_manual',
        before: { status: 'enrolled' },
        after: { status: 'completed', reason, certificateSerial: res.body.certificate.serial },
      });
      expectError(await complete(id, { reason }), 409, 'ENROLMENT_ALREADY_COMPLETED');
    });

    it('counts a recognised course in the learner’s programme progress at once', async () => {
      const id = await enrolmentOf(chairPerson, 'K01');
      await complete(id, { reason }).expect(200);
      const res = await t.http.get('/api/v1/me/assignments').set(bearer(t.tokens.chair));
      const [programme] = res.body.items as { progress: { completedCourses: number } }[];
      expect(programme.progress.completedCourses).toBe(1);
    });
  });

  describe('external training', () => {
    const good = () => ({
      title: 'Bồi dưỡng nghiệp vụ công tác công đoàn năm 2025',
      provider: 'Trường Cán bộ Công đoàn tỉnh Bắc Ninh',
      startOn: addDays(todayVn(), -60),
      endOn: addDays(todayVn(), -58),
      hours: 24,
      evidenceNote: 'Giấy chứng nhận số 125/GCN-TCĐ (bản sao đã đối chiếu)',
    });
    const record = (personId: string, body: unknown, token = t.tokens.officerHanoi) =>
      t.http
        .post(`/api/v1/people/${personId}/external-trainings`)
        .set(bearer(token))
        .send(body as object);
    let recordId: string;

    it('refuses wrong types, unknown and missing fields, and out-of-range values with 400', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ ...good(), title: undefined }, 'title'],
        [{ ...good(), provider: '' }, 'provider'],
        [{ ...good(), hours: '24' }, 'hours'],
        [{ ...good(), hours: 0 }, 'hours'],
        [{ ...good(), hours: 1e-7 }, 'hours'],
        [{ ...good(), hours: 2.25 }, 'hours'],
        [{ ...good(), hours: 5000 }, 'hours'],
        [{ ...good(), startOn: '2025-02-30' }, 'startOn'],
        [{ ...good(), endOn: null }, 'endOn'],
        [{ ...good(), verifiedBy: chairPerson }, 'verifiedBy'],
      ];
      for (const [body, field] of cases) {
        expectError(await record(chairPerson, body), 400, 'VALIDATION_FAILED', [field]);
      }
    });

    it('refuses impossible dates with 422 naming the field', async () => {
      expectError(
        await record(chairPerson, { ...good(), endOn: addDays(todayVn(), 1) }),
        422,
        'EXTERNAL_TRAINING_DATES',
        ['endOn'],
      );
      expectError(
        await record(chairPerson, { ...good(), startOn: good().endOn, endOn: good().startOn }),
        422,
        'EXTERNAL_TRAINING_DATES',
        ['endOn'],
      );
      expectError(
        await record(chairPerson, { ...good(), startOn: '1950-01-01' }),
        422,
        'EXTERNAL_TRAINING_DATES',
        ['startOn'],
      );
    });

    it('answers 403 to a learner, to HR and for oneself, 404 outside scope', async () => {
      expectError(await record(chairPerson, good(), t.tokens.chair), 403, 'FORBIDDEN');
      expectError(await record(chairPerson, good(), t.tokens.hrHanoi), 403, 'FORBIDDEN');
      expectError(await record(officerPerson, good()), 403, 'LEARNING_SELF_RECOGNITION');
      expectError(await record(bacNinhPerson, good()), 404, 'PERSON_NOT_FOUND');
      expectError(
        await record(chairPerson, good(), t.tokens.officerBacNinh),
        404,
        'PERSON_NOT_FOUND',
      );
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM external_trainings',
      );
      expect(n).toBe(0);
    });

    it('records it, verified by the officer, on the transcript with its hours', async () => {
      const before = await transcript(chairPerson);
      const res = await record(chairPerson, good()).expect(201);
      recordId = res.body.id as string;
      expect(res.body).toMatchObject({
        personId: chairPerson,
        title: good().title,
        provider: good().provider,
        hours: 24,
        status: 'verified',
        verifiedBy: { personId: officerPerson, fullName: expect.any(String) },
        withdrawnAt: null,
      });
      const after = await transcript(chairPerson, t.tokens.chair);
      expect(after.items).toContainEqual({
        kind: 'external',
        courseCode: null,
        courseTitle: good().title,
        provider: good().provider,
        completedOn: good().endOn,
        hours: 24,
        score: null,
        grade: null,
        recognition: 'external',
        note: good().evidenceNote,
        certificateSerial: null,
      });
      expect(after.totalHours).toBe(before.totalHours + 24);
      const csv = await t.http
        .get(`/api/v1/people/${chairPerson}/transcript?format=csv`)
        .set(bearer(t.tokens.officerHanoi))
        .buffer(true)
        .parse(binary)
        .expect(200);
      const [y, m, d] = good().endOn.split('-');
      expect((csv.body as Buffer).toString('utf8')).toContain(
        `,${good().title},${d}/${m}/${y},24,,,Đào tạo bên ngoài (đã xác minh),${good().provider},`,
      );
      expect((await auditOf(recordId))[0]).toMatchObject({ action: 'external_training.create' });
    });

    it('lets the person and staff in scope list it; others 403 or 404', async () => {
      const url = `/api/v1/people/${chairPerson}/external-trainings`;
      for (const token of [t.tokens.chair, t.tokens.officerHanoi, t.tokens.hrHanoi]) {
        const res = await t.http.get(url).set(bearer(token)).expect(200);
        expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([recordId]);
      }
      expectError(
        await t.http.get(url).set(bearer(t.tokens.officerBacNinh)),
        404,
        'PERSON_NOT_FOUND',
      );
    });

    it('withdraws it with a reason: kept in the list, gone from the transcript, audited', async () => {
      const url = `/api/v1/external-trainings/${recordId}/withdraw`;
      expectError(
        await t.http.post(url).set(bearer(t.tokens.officerHanoi)).send({}),
        400,
        'VALIDATION_FAILED',
        ['reason'],
      );
      expectError(
        await t.http.post(url).set(bearer(t.tokens.officerBacNinh)).send({ reason: 'Nhập nhầm' }),
        404,
        'EXTERNAL_TRAINING_NOT_FOUND',
      );
      expectError(
        await t.http.post(url).set(bearer(t.tokens.chair)).send({ reason: 'Nhập nhầm' }),
        403,
        'FORBIDDEN',
      );
      const res = await t.http
        .post(url)
        .set(bearer(t.tokens.officerHanoi))
        .send({ reason: 'Nhập nhầm người học' })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'withdrawn',
        withdrawnReason: 'Nhập nhầm người học',
      });
      expect((await transcript(chairPerson)).items.some((l) => l.kind === 'external')).toBe(false);
      const list = await t.http
        .get(`/api/v1/people/${chairPerson}/external-trainings`)
        .set(bearer(t.tokens.chair))
        .expect(200);
      expect(list.body.items[0]).toMatchObject({ id: recordId, status: 'withdrawn' });
      expect((await auditOf(recordId)).map((e) => e.action)).toEqual([
        'external_training.withdraw',
        'external_training.create',
      ]);
      expectError(
        await t.http.post(url).set(bearer(t.tokens.officerHanoi)).send({ reason: 'Lần nữa' }),
        409,
        'EXTERNAL_TRAINING_WITHDRAWN',
      );
    });
  });
});
