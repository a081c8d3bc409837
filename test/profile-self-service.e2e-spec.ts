import { personSortKey } from '../src/common/text/vietnamese';
import { NotificationsService } from '../src/notifications/notifications.service';
import { expectError } from './expect-error';
import { createAssignment, createProgramme, personIdByEmail } from './support/programme-fixtures';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';

const PASSWORD = 'Matkhau2026moi';
/** A scan day far from the demo data's own due dates. */
const SCAN_DAY = '2032-05-10';

interface Request {
  id: string;
  personId: string;
  personName: string;
  state: string;
  requested: Record<string, unknown>;
  current: Record<string, unknown>;
  note: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  supersededById: string | null;
}

describe('self-service profile and HR-approved change requests', () => {
  let t: TestApp;
  let chairId: string;
  let hrBacNinh: string;
  let nidCount = 0;

  /** A 12-digit CCCD no demo person has. */
  const newNationalId = () => `0791${String(++nidCount).padStart(8, '0')}`;

  const auditOf = (entityId: string) =>
    t.dataSource.query<{ action: string; before: unknown; after: unknown; actor: string }[]>(
      `SELECT action, before, after, actor_person_id AS actor FROM audit_log
        WHERE entity_id = $1 ORDER BY at`,
      [entityId],
    );

  const personRow = async (id: string) =>
    (
      await t.dataSource.query<
        {
          family_name: string;
          middle_name: string | null;
          given_name: string;
          full_name: string;
          search_name: string;
          sort_key: string;
          national_id: string | null;
          phone: string | null;
          email: string | null;
          birth_date: string | null;
          gender: string | null;
        }[]
      >(
        `SELECT family_name, middle_name, given_name, full_name, search_name, sort_key,
                national_id, phone, email, birth_date::text AS birth_date, gender
           FROM people WHERE id = $1`,
        [id],
      )
    )[0];

  const request = (token: string, body: Record<string, unknown>) =>
    t.http.post('/api/v1/me/profile/change-requests').set(bearer(token)).send(body);

  /** A learner of its own in a unit (its requests do not disturb the chair's). */
  async function newLearner(
    unitCode: string,
    email: string,
  ): Promise<{ id: string; token: string }> {
    const person = await t.http
      .post('/api/v1/people')
      .set(bearer(t.tokens.admin))
      .send({
        familyName: 'Trần',
        middleName: 'Văn',
        givenName: 'Bình',
        homeOrgUnitId: await t.unitId(unitCode),
      })
      .expect(201);
    await t.http
      .post('/api/v1/accounts')
      .set(bearer(t.tokens.admin))
      .send({ personId: person.body.id, email, password: PASSWORD })
      .expect(201);
    return { id: person.body.id as string, token: await t.login(email, PASSWORD) };
  }

  beforeAll(async () => {
    t = await createTestApp();
    chairId = await personIdByEmail(t.dataSource, DEMO.chair);
    // HR of Bắc Ninh: an account with an hr grant at the province of Bắc Ninh.
    const bn = await newLearner('BN', 'hr.bacninh.profile@lms.congdoan.test');
    const [account] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM user_accounts WHERE person_id = $1`,
      [bn.id],
    );
    await t.http
      .post(`/api/v1/accounts/${account.id}/grants`)
      .set(bearer(t.tokens.admin))
      .send({ role: 'hr', orgUnitId: await t.unitId('BN') })
      .expect(200);
    hrBacNinh = await t.login('hr.bacninh.profile@lms.congdoan.test', PASSWORD);
  }, 120_000); // boots the app and signs several people in: slow on a busy machine

  afterAll(async () => {
    await t?.close();
  });

  describe('GET and PATCH /me/profile', () => {
    it('shows the chair her record with her own CCCD whole, her preferences and no pending request', async () => {
      await t.dataSource.query(`UPDATE people SET national_id = '001185000777' WHERE id = $1`, [
        chairId,
      ]);
      const res = await t.http.get('/api/v1/me/profile').set(bearer(t.tokens.chair)).expect(200);
      expect(res.body).toEqual({
        person: expect.objectContaining({
          id: chairId,
          fullName: 'Nguyễn Thị Hương',
          nationalId: '001185000777',
        }),
        signInEmail: DEMO.chair,
        notificationPreferences: { locale: 'vi', emailNotifications: true },
        pendingChangeRequest: null,
      });
      // Others outside HR still read it masked.
      const officer = await t.http
        .get(`/api/v1/people/${chairId}`)
        .set(bearer(t.tokens.officerHanoi))
        .expect(200);
      expect(officer.body.nationalId).toBe('********0777');
    });

    it('lets a chair correct her own phone (normalised) and contact e-mail, audited', async () => {
      const res = await t.http
        .patch('/api/v1/me/profile')
        .set(bearer(t.tokens.chair))
        .send({ phone: '+84 912 345 678', email: 'Huong.Nguyen@Example.vn' })
        .expect(200);
      expect(res.body.person).toMatchObject({
        phone: '0912345678',
        email: 'huong.nguyen@example.vn',
      });
      // The sign-in e-mail is the account's and stays.
      expect(res.body.signInEmail).toBe(DEMO.chair);
      const [account] = await t.dataSource.query<{ email: string }[]>(
        `SELECT email FROM user_accounts WHERE person_id = $1`,
        [chairId],
      );
      expect(account.email).toBe(DEMO.chair);
      expect(await personRow(chairId)).toMatchObject({
        phone: '0912345678',
        email: 'huong.nguyen@example.vn',
      });
      const entries = (await auditOf(chairId)).filter((e) => e.action === 'person.update');
      expect(entries.at(-1)).toMatchObject({
        actor: chairId,
        after: expect.objectContaining({ phone: '0912345678', email: 'huong.nguyen@example.vn' }),
      });
    });

    it('sets the language and turns reminder e-mails off and on, audited', async () => {
      const off = await t.http
        .patch('/api/v1/me/profile')
        .set(bearer(t.tokens.chair))
        .send({ locale: 'en', emailNotifications: false })
        .expect(200);
      expect(off.body.notificationPreferences).toEqual({ locale: 'en', emailNotifications: false });
      // The notifications API reads the same language.
      const prefs = await t.http
        .get('/api/v1/me/notification-preferences')
        .set(bearer(t.tokens.chair))
        .expect(200);
      expect(prefs.body.locale).toBe('en');
      const on = await t.http
        .patch('/api/v1/me/profile')
        .set(bearer(t.tokens.chair))
        .send({ locale: 'vi', emailNotifications: true })
        .expect(200);
      expect(on.body.notificationPreferences).toEqual({ locale: 'vi', emailNotifications: true });
      const entries = (await auditOf(chairId)).filter(
        (e) => e.action === 'notification_preferences.update',
      );
      expect(entries.map((e) => e.after)).toEqual([
        { locale: 'en', emailNotifications: false },
        { locale: 'vi', emailNotifications: true },
      ]);
    });

    it('refuses an invalid phone or e-mail with 400 and the field named, changing nothing', async () => {
      const before = await personRow(chairId);
      for (const body of [
        { phone: '0123' },
        { phone: '1900 1234' },
        { email: 'không phải email' },
        { phone: '0912345678', email: 'a@' },
      ]) {
        const res = await t.http.patch('/api/v1/me/profile').set(bearer(t.tokens.chair)).send(body);
        expectError(res, 400, 'VALIDATION_FAILED', [Object.keys(body).at(-1)!]);
      }
      expect(await personRow(chairId)).toEqual(before);
    });

    it('refuses unknown fields, wrong types and an empty body with 400', async () => {
      // Her name is HR's to change: not a field of the self-service profile.
      expectError(
        await t.http
          .patch('/api/v1/me/profile')
          .set(bearer(t.tokens.chair))
          .send({ givenName: 'Hường' }),
        400,
        'VALIDATION_FAILED',
        ['givenName'],
      );
      expectError(
        await t.http
          .patch('/api/v1/me/profile')
          .set(bearer(t.tokens.chair))
          .send({ nationalId: '001185999999' }),
        400,
        'VALIDATION_FAILED',
        ['nationalId'],
      );
      for (const body of [
        { emailNotifications: 'no' },
        { locale: 'fr' },
        { phone: 912345678 },
        { emailNotifications: null },
      ]) {
        const res = await t.http.patch('/api/v1/me/profile').set(bearer(t.tokens.chair)).send(body);
        expectError(res, 400, 'VALIDATION_FAILED', Object.keys(body));
      }
      expectError(
        await t.http.patch('/api/v1/me/profile').set(bearer(t.tokens.chair)).send({}),
        400,
        'VALIDATION_FAILED',
        ['body'],
      );
      expect((await personRow(chairId)).given_name).toBe('Hương');
    });

    it('answers 401 without a token', async () => {
      expectError(await t.http.get('/api/v1/me/profile'), 401, 'UNAUTHENTICATED');
      expectError(
        await t.http.patch('/api/v1/me/profile').send({ phone: '0912345678' }),
        401,
        'UNAUTHENTICATED',
      );
    });
  });

  describe('change requests', () => {
    it('goes to HR in scope, who approves: the record changes with its derived names, audited', async () => {
      const nid = newNationalId();
      const created = await request(t.tokens.chair, {
        givenName: 'Hường',
        middleName: '  ',
        nationalId: nid,
        note: 'Sai dấu trong tên',
      }).expect(201);
      const req = created.body as Request;
      expect(req).toMatchObject({
        personId: chairId,
        state: 'pending',
        requested: { givenName: 'Hường', middleName: null, nationalId: nid },
        current: expect.objectContaining({ givenName: 'Hương', middleName: 'Thị' }),
        note: 'Sai dấu trong tên',
      });
      // Nothing changed yet.
      expect((await personRow(chairId)).given_name).toBe('Hương');
      const mine = await t.http.get('/api/v1/me/profile').set(bearer(t.tokens.chair)).expect(200);
      expect(mine.body.pendingChangeRequest.id).toBe(req.id);

      const queue = await t.http
        .get('/api/v1/profile-change-requests')
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect((queue.body.items as Request[]).map((r) => r.id)).toContain(req.id);
      const one = await t.http
        .get(`/api/v1/profile-change-requests/${req.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(one.body).toMatchObject({
        personName: 'Nguyễn Thị Hương',
        requested: { givenName: 'Hường', nationalId: nid },
        current: { givenName: 'Hương', middleName: 'Thị', nationalId: '001185000777' },
      });

      const approved = await t.http
        .post(`/api/v1/profile-change-requests/${req.id}/approve`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ note: 'Đã đối chiếu CCCD' })
        .expect(200);
      expect(approved.body).toMatchObject({
        state: 'approved',
        decisionNote: 'Đã đối chiếu CCCD',
        decidedAt: expect.any(String),
        personName: 'Nguyễn Hường',
      });
      expect(await personRow(chairId)).toMatchObject({
        family_name: 'Nguyễn',
        middle_name: null,
        given_name: 'Hường',
        full_name: 'Nguyễn Hường',
        search_name: 'nguyen huong',
        national_id: nid,
      });
      expect((await personRow(chairId)).sort_key).toBe(
        personSortKey({ givenName: 'Hường', middleName: null, familyName: 'Nguyễn' }),
      );
      const personAudit = (await auditOf(chairId)).filter((e) => e.action === 'person.update');
      expect(personAudit.at(-1)).toMatchObject({
        before: expect.objectContaining({ givenName: 'Hương', fullName: 'Nguyễn Thị Hương' }),
        after: expect.objectContaining({
          givenName: 'Hường',
          fullName: 'Nguyễn Hường',
          nationalIdChanged: true,
        }),
      });
      const requestAudit = await auditOf(req.id);
      expect(requestAudit.map((e) => e.action)).toEqual([
        'profile_change_request.create',
        'profile_change_request.approve',
      ]);
      expect(requestAudit[1]).toMatchObject({
        before: expect.objectContaining({ state: 'pending' }),
        after: expect.objectContaining({ state: 'approved', decisionNote: 'Đã đối chiếu CCCD' }),
      });
      // The audit log never holds a whole CCCD.
      expect(JSON.stringify(requestAudit)).not.toContain(nid);
      // Decided once: a second decision is refused, and the queue no longer lists it.
      expectError(
        await t.http
          .post(`/api/v1/profile-change-requests/${req.id}/reject`)
          .set(bearer(t.tokens.hrHanoi))
          .send({ reason: 'Muộn' }),
        409,
        'PROFILE_CHANGE_REQUEST_NOT_PENDING',
      );
      const after = await t.http
        .get('/api/v1/profile-change-requests')
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect((after.body.items as Request[]).map((r) => r.id)).not.toContain(req.id);
      const approvedList = await t.http
        .get('/api/v1/profile-change-requests')
        .query({ state: 'approved' })
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect((approvedList.body.items as Request[]).map((r) => r.id)).toContain(req.id);
    });

    it('keeps one pending request a person: a new one supersedes it', async () => {
      const first = await request(t.tokens.chair, { birthDate: '1985-09-03' }).expect(201);
      const second = await request(t.tokens.chair, { gender: 'male' }).expect(201);
      const mine = await t.http
        .get('/api/v1/me/profile/change-requests')
        .set(bearer(t.tokens.chair))
        .expect(200);
      const byId = new Map((mine.body.items as Request[]).map((r) => [r.id, r]));
      expect(byId.get(first.body.id)).toMatchObject({
        state: 'superseded',
        supersededById: second.body.id,
      });
      expect(byId.get(second.body.id)).toMatchObject({ state: 'pending' });
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM profile_change_requests WHERE person_id = $1 AND state = 'pending'`,
        [chairId],
      );
      expect(n).toBe(1);
      expect((await auditOf(first.body.id)).map((e) => e.action)).toEqual([
        'profile_change_request.create',
        'profile_change_request.supersede',
      ]);
      // The database holds the rule too.
      await expect(
        t.dataSource.query(`UPDATE profile_change_requests SET state = 'pending' WHERE id = $1`, [
          first.body.id,
        ]),
      ).rejects.toThrow();
    });

    it('lets the person withdraw a pending request (kept, withdrawn), once', async () => {
      const pending = await request(t.tokens.chair, { familyName: 'Nguyễn Đình' }).expect(201);
      const res = await t.http
        .post(`/api/v1/me/profile/change-requests/${pending.body.id}/withdraw`)
        .set(bearer(t.tokens.chair))
        .expect(200);
      expect(res.body).toMatchObject({ id: pending.body.id, state: 'withdrawn' });
      expectError(
        await t.http
          .post(`/api/v1/me/profile/change-requests/${pending.body.id}/withdraw`)
          .set(bearer(t.tokens.chair))
          .expect(409),
        409,
        'PROFILE_CHANGE_REQUEST_NOT_PENDING',
      );
      // Someone else's request is not found.
      expectError(
        await t.http
          .post(`/api/v1/me/profile/change-requests/${pending.body.id}/withdraw`)
          .set(bearer(t.tokens.hrHanoi)),
        404,
        'PROFILE_CHANGE_REQUEST_NOT_FOUND',
      );
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM profile_change_requests WHERE id = $1`,
        [pending.body.id],
      );
      expect(n).toBe(1);
      const mine = await t.http.get('/api/v1/me/profile').set(bearer(t.tokens.chair)).expect(200);
      expect(mine.body.pendingChangeRequest).toBeNull();
    });

    it('needs a reason to reject, and then leaves the record as it was', async () => {
      const pending = await request(t.tokens.chair, { birthDate: '1985-02-09' }).expect(201);
      const url = `/api/v1/profile-change-requests/${pending.body.id}/reject`;
      for (const body of [{}, { reason: '   ' }, { reason: 42 }]) {
        expectError(
          await t.http.post(url).set(bearer(t.tokens.hrHanoi)).send(body),
          400,
          'VALIDATION_FAILED',
          ['reason'],
        );
      }
      const res = await t.http
        .post(url)
        .set(bearer(t.tokens.hrHanoi))
        .send({ reason: 'Chưa có giấy khai sinh' })
        .expect(200);
      expect(res.body).toMatchObject({ state: 'rejected', decisionNote: 'Chưa có giấy khai sinh' });
      expect((await personRow(chairId)).birth_date).toBe('1985-09-02');
      expect((await auditOf(pending.body.id)).map((e) => e.action)).toEqual([
        'profile_change_request.create',
        'profile_change_request.reject',
      ]);
    });

    it('refuses bad requests with 400 or 422, writing nothing', async () => {
      const count = async () =>
        (
          await t.dataSource.query<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM profile_change_requests WHERE person_id = $1`,
            [chairId],
          )
        )[0].n;
      const before = await count();
      const cases: [Record<string, unknown>, string[]][] = [
        [{}, ['body']],
        [{ note: 'Chỉ có ghi chú' }, ['body']],
        [{ nationalId: '12345' }, ['nationalId']],
        [{ gender: 'other' }, ['gender']],
        [{ birthDate: '1985-02-30' }, ['birthDate']],
        [{ familyName: '' }, ['familyName']],
        [{ familyName: null }, ['familyName']],
        [{ givenName: 7 }, ['givenName']],
        [{ phone: '0912345678' }, ['phone']],
        [{ givenName: 'Hường' }, ['givenName']], // the record already says so
      ];
      for (const [body, fields] of cases) {
        expectError(await request(t.tokens.chair, body), 400, 'VALIDATION_FAILED', fields);
      }
      expectError(
        await request(t.tokens.chair, { birthDate: '2030-01-01' }),
        422,
        'PERSON_BIRTH_DATE_OUT_OF_RANGE',
        ['birthDate'],
      );
      expect(await count()).toBe(before);
    });

    it('answers 409 for a CCCD taken, at the request and again at approval', async () => {
      const [other] = await t.dataSource.query<{ id: string }[]>(
        `SELECT p.id FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
          WHERE o.code = 'HN-HD-MAY' AND p.id <> $1 ORDER BY p.id LIMIT 1`,
        [chairId],
      );
      const taken = newNationalId();
      await t.dataSource.query(`UPDATE people SET national_id = $2 WHERE id = $1`, [
        other.id,
        taken,
      ]);
      expectError(
        await request(t.tokens.chair, { nationalId: taken }),
        409,
        'PERSON_NATIONAL_ID_TAKEN',
        ['nationalId'],
      );
      // Free when asked, taken before HR decides.
      const later = newNationalId();
      const pending = await request(t.tokens.chair, { nationalId: later }).expect(201);
      await t.http
        .patch(`/api/v1/people/${other.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ nationalId: later })
        .expect(200);
      const before = await personRow(chairId);
      expectError(
        await t.http
          .post(`/api/v1/profile-change-requests/${pending.body.id}/approve`)
          .set(bearer(t.tokens.hrHanoi))
          .send({}),
        409,
        'PERSON_NATIONAL_ID_TAKEN',
      );
      // Nothing half written: the record and the request are as they were.
      expect(await personRow(chairId)).toEqual(before);
      const still = await t.http
        .get(`/api/v1/profile-change-requests/${pending.body.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(still.body.state).toBe('pending');
      await t.http
        .post(`/api/v1/me/profile/change-requests/${pending.body.id}/withdraw`)
        .set(bearer(t.tokens.chair))
        .expect(200);
    });

    it('answers 404 to HR of another province, 403 to a learner and a training officer', async () => {
      const pending = await request(t.tokens.chair, { givenName: 'Hương' }).expect(201);
      const id = pending.body.id as string;
      expectError(
        await t.http.get(`/api/v1/profile-change-requests/${id}`).set(bearer(hrBacNinh)),
        404,
        'PROFILE_CHANGE_REQUEST_NOT_FOUND',
      );
      expectError(
        await t.http
          .post(`/api/v1/profile-change-requests/${id}/approve`)
          .set(bearer(hrBacNinh))
          .send({}),
        404,
        'PROFILE_CHANGE_REQUEST_NOT_FOUND',
      );
      expectError(
        await t.http
          .post(`/api/v1/profile-change-requests/${id}/reject`)
          .set(bearer(hrBacNinh))
          .send({ reason: 'Không thuộc tỉnh' }),
        404,
        'PROFILE_CHANGE_REQUEST_NOT_FOUND',
      );
      const queue = await t.http
        .get('/api/v1/profile-change-requests')
        .set(bearer(hrBacNinh))
        .expect(200);
      expect((queue.body.items as Request[]).map((r) => r.id)).not.toContain(id);
      for (const token of [t.tokens.chair, t.tokens.officerHanoi]) {
        expectError(
          await t.http.get('/api/v1/profile-change-requests').set(bearer(token)),
          403,
          'FORBIDDEN',
        );
        expectError(
          await t.http.get(`/api/v1/profile-change-requests/${id}`).set(bearer(token)),
          403,
          'FORBIDDEN',
        );
        expectError(
          await t.http
            .post(`/api/v1/profile-change-requests/${id}/approve`)
            .set(bearer(token))
            .send({}),
          403,
          'FORBIDDEN',
        );
        expectError(
          await t.http
            .post(`/api/v1/profile-change-requests/${id}/reject`)
            .set(bearer(token))
            .send({ reason: 'x' }),
          403,
          'FORBIDDEN',
        );
      }
      expectError(
        await t.http
          .get('/api/v1/profile-change-requests/not-a-uuid')
          .set(bearer(t.tokens.hrHanoi)),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await t.http
          .get('/api/v1/profile-change-requests')
          .query({ state: 'done' })
          .set(bearer(t.tokens.hrHanoi)),
        400,
        'VALIDATION_FAILED',
        ['state'],
      );
      const res = await t.http
        .get(`/api/v1/profile-change-requests/${id}`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(res.body.state).toBe('pending');
    });

    it('lets nobody decide their own request', async () => {
      const hrId = await personIdByEmail(t.dataSource, DEMO.hrHanoi);
      const own = await request(t.tokens.hrHanoi, { givenName: 'Lan Anh' }).expect(201);
      expect(own.body.personId).toBe(hrId);
      expectError(
        await t.http
          .post(`/api/v1/profile-change-requests/${own.body.id}/approve`)
          .set(bearer(t.tokens.hrHanoi))
          .send({}),
        403,
        'FORBIDDEN',
      );
      // The administrator may.
      await t.http
        .post(`/api/v1/profile-change-requests/${own.body.id}/reject`)
        .set(bearer(t.tokens.admin))
        .send({ reason: 'Cần bản sao giấy tờ' })
        .expect(200);
    });

    it('pages the HR queue oldest first with a keyset cursor', async () => {
      const people = await Promise.all(
        [1, 2, 3].map((i) => newLearner('HN-HD-MAY', `hoc.vien.ho.so.${i}@lms.congdoan.test`)),
      );
      const ids: string[] = [];
      for (const p of people) {
        ids.push((await request(p.token, { givenName: 'Bình An' }).expect(201)).body.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await t.http
          .get('/api/v1/profile-change-requests')
          .query({ limit: 1, ...(cursor ? { cursor } : {}) })
          .set(bearer(t.tokens.hrHanoi))
          .expect(200);
        seen.push(...(page.body.items as Request[]).map((r) => r.id));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
      expect(new Set(seen).size).toBe(seen.length);
    });
  });

  describe('emailNotifications', () => {
    it('stops reminders from being enqueued for a person who turned them off', async () => {
      const service = t.app.get(NotificationsService);
      const colleague = await newLearner('HN-HD-MAY', 'dong.nghiep.ho.so@lms.congdoan.test');
      const programme = await createProgramme(t.dataSource, {
        code: 'HS-P1',
        title: 'Kỹ năng thương lượng tập thể',
        courseCodes: ['K01'],
        ownerUnit: 'HN',
      });
      const dueOn = new Date(Date.parse(`${SCAN_DAY}T00:00:00Z`) + 7 * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const assignment = await createAssignment(
        t.dataSource,
        programme,
        'HN-HD-MAY',
        [chairId, colleague.id],
        dueOn,
      );
      // Only this suite's assignment is due on the scan day.
      await t.dataSource.query(
        `UPDATE assignment_members SET targeted = false WHERE assignment_id <> $1`,
        [assignment],
      );
      await t.http
        .patch('/api/v1/me/profile')
        .set(bearer(t.tokens.chair))
        .send({ emailNotifications: false })
        .expect(200);
      const messages = (personId: string) =>
        t.dataSource.query<{ event: string }[]>(
          `SELECT event FROM notification_outbox WHERE person_id = $1 AND event IN ('assigned', 'due_in_7_days')`,
          [personId],
        );
      expect(await t.dataSource.transaction((em) => service.enqueueAssigned(em, assignment))).toBe(
        1,
      );
      expect(await t.dataSource.transaction((em) => service.enqueueDueSoon(em, SCAN_DAY))).toBe(1);
      expect(await messages(chairId)).toEqual([]);
      expect((await messages(colleague.id)).map((m) => m.event).sort()).toEqual([
        'assigned',
        'due_in_7_days',
      ]);
      // Turned back on, the next scan tells her.
      await t.http
        .patch('/api/v1/me/profile')
        .set(bearer(t.tokens.chair))
        .send({ emailNotifications: true })
        .expect(200);
      expect(await t.dataSource.transaction((em) => service.enqueueDueSoon(em, SCAN_DAY))).toBe(1);
      expect((await messages(chairId)).map((m) => m.event)).toEqual(['due_in_7_days']);
    });
  });
});
