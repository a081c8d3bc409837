import { randomBytes } from 'node:crypto';
import { AppointmentsService } from '../src/posts/appointments.service';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';
import { addYears } from '../src/common/dates/calendar';

interface Post {
  id: string;
  orgUnitId: string;
  postType: string;
  title: string;
  employment: string;
  singleHolder: boolean;
  keyPost: boolean;
  status: string;
}
interface Term {
  id: string;
  orgUnitId: string;
  name: string;
  startDate: string;
  endDate: string;
}
interface Appointment {
  id: string;
  personId: string;
  postId: string;
  termId: string | null;
  method: string;
  startDate: string;
  endDate: string | null;
  status: string;
  endReason: string | null;
}
interface CurrentPost {
  appointmentId: string;
  startDate: string;
  post: { id: string; postType: string; title: string; keyPost: boolean };
  orgUnit: { id: string; code: string; name: string };
  term: { id: string; name: string; startDate: string; endDate: string } | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Today in Vietnam (yyyy-MM-dd), a date as people read it, and a date some years from today. */
const todayVn = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
const dmy = (iso: string) => iso.split('-').reverse().join('/');
const yearsAhead = (years: number) => addYears(todayVn(), years);

/** Words that give away English inside a Vietnamese text (as the catalogue test has them). */
const ENGLISH =
  /\b(the|must|should|is|are|not|only|one|missing|after|before|invalid|required|with|and)\b/i;

/** A calendar date some days from now (yyyy-MM-dd). */
const daysAhead = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Posts, terms and appointments of issue 4 on the demo tree. Each test that writes works in a
 * grassroots union of its own under Hà Nội, so that it never meets the seeded cadres.
 */
describe('posts, terms and appointments', () => {
  let t: TestApp;
  let hr: { Authorization: string };
  let hanoiPersonId: string;
  let bacNinhPersonId: string;
  let bacNinhPostId: string;
  let bacNinhAppointmentId: string;
  const suffix = randomBytes(3).toString('hex').toUpperCase();
  let unitCount = 0;
  let idCount = 0;

  beforeAll(async () => {
    t = await createTestApp();
    hr = bearer(t.tokens.hrHanoi);
    hanoiPersonId = await personByEmail('hn-hd-may-vice_chair@example.vn');
    bacNinhPersonId = await personByEmail('bn-ts-bv-chair@example.vn');
    const [row] = await t.dataSource.query<{ id: string; appointment_id: string }[]>(
      `SELECT p.id, a.id AS appointment_id FROM posts p
         JOIN org_units o ON o.id = p.org_unit_id
         JOIN appointments a ON a.post_id = p.id
        WHERE o.code = 'BN-TS-BV' AND p.post_type = 'chair'`,
    );
    bacNinhPostId = row.id;
    bacNinhAppointmentId = row.appointment_id;
  });

  afterAll(async () => {
    await t.close();
  });

  async function personByEmail(email: string): Promise<string> {
    const rows = await t.dataSource.query<{ id: string }[]>(
      'SELECT id FROM people WHERE email = $1',
      [email],
    );
    if (!rows[0]) throw new Error(`no person ${email}`);
    return rows[0].id;
  }

  async function newUnit(): Promise<string> {
    const res = await t.http
      .post('/api/v1/org-units')
      .set(hr)
      .send({
        code: `T4P-${suffix}-${++unitCount}`,
        name: `Công đoàn cơ sở thử nghiệm chức danh ${unitCount}`,
        level: 'grassroots',
        sector: 'private',
        parentId: await t.unitId('HN-HD'),
      });
    if (res.status !== 201) throw new Error(`unit: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  async function newPerson(unitId: string, givenName = 'Thử'): Promise<string> {
    const res = await t.http
      .post('/api/v1/people')
      .set(hr)
      .send({
        familyName: 'Lê',
        middleName: 'Văn',
        givenName,
        homeOrgUnitId: unitId,
        nationalId: `0014${String(80_000_000 + ++idCount).padStart(8, '0')}`,
      });
    if (res.status !== 201) throw new Error(`person: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  async function newPost(orgUnitId: string, body: Record<string, unknown>): Promise<Post> {
    const res = await t.http
      .post('/api/v1/posts')
      .set(hr)
      .send({ orgUnitId, ...body });
    if (res.status !== 201) throw new Error(`post: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Post;
  }

  async function newTerm(orgUnitId: string, startDate = '2023-07-01', endDate = '2028-06-30') {
    const res = await t.http
      .post('/api/v1/terms')
      .set(hr)
      .send({
        orgUnitId,
        name: `Nhiệm kỳ ${startDate.slice(0, 4)}–${endDate.slice(0, 4)}`,
        startDate,
        endDate,
      });
    if (res.status !== 201) throw new Error(`term: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Term;
  }

  const appoint = (body: Record<string, unknown>, token = t.tokens.hrHanoi) =>
    t.http
      .post('/api/v1/appointments')
      .set(bearer(token))
      .send({ method: 'elected', startDate: '2023-07-01', ...body });

  const currentPosts = async (personId: string) =>
    (
      (await t.http.get(`/api/v1/people/${personId}/posts`).set(hr).expect(200)).body as {
        items: CurrentPost[];
      }
    ).items;

  const holders = async (postId: string, query: Record<string, string | number> = {}) =>
    (await t.http.get(`/api/v1/posts/${postId}/holders`).query(query).set(hr).expect(200))
      .body as Page<Appointment & { fullName: string; term: Term | null }>;

  describe('the demo seed', () => {
    it('gives every demo grassroots union its term and posts, chair first', async () => {
      const unit = await t.unitId('HN-HD-MAY');
      const posts = (await t.http.get(`/api/v1/org-units/${unit}/posts`).set(hr).expect(200))
        .body as Page<Post>;
      expect(posts.items.map((p) => [p.postType, p.title, p.singleHolder, p.keyPost])).toEqual([
        ['chair', 'Chủ tịch', true, true],
        ['vice_chair', 'Phó Chủ tịch', false, true],
        ['executive_member', 'Ủy viên Ban Chấp hành', false, false],
      ]);
      const terms = (await t.http.get(`/api/v1/org-units/${unit}/terms`).set(hr).expect(200))
        .body as Page<Term>;
      expect(terms.items).toEqual([
        expect.objectContaining({
          name: 'Nhiệm kỳ 2023–2028',
          startDate: '2023-07-01',
          endDate: '2028-06-30',
        }),
      ]);
    });

    it('elects the demo chair to the chair post of CĐCS May Hà Đông for the 2023–2028 term', async () => {
      const chairId = await personByEmail('chutich.mayhadong@example.vn');
      const posts = await currentPosts(chairId);
      expect(posts).toEqual([
        expect.objectContaining({
          startDate: '2023-07-01',
          post: expect.objectContaining({ postType: 'chair', title: 'Chủ tịch', keyPost: true }),
          orgUnit: expect.objectContaining({ code: 'HN-HD-MAY' }),
          term: expect.objectContaining({ name: 'Nhiệm kỳ 2023–2028' }),
        }),
      ]);
    });
  });

  describe('posts', () => {
    it('creates posts with defaults from the post type', async () => {
      const unit = await newUnit();
      const chair = await newPost(unit, { postType: 'chair' });
      expect(chair).toMatchObject({
        orgUnitId: unit,
        postType: 'chair',
        title: 'Chủ tịch',
        employment: 'part_time',
        singleHolder: true,
        keyPost: true,
        status: 'active',
      });
      expect(await newPost(unit, { postType: 'vice_chair' })).toMatchObject({
        title: 'Phó Chủ tịch',
        singleHolder: false,
        keyPost: true,
      });
      expect(await newPost(unit, { postType: 'women_head' })).toMatchObject({
        title: 'Trưởng Ban Nữ công',
        singleHolder: true,
        keyPost: false,
      });
      expect(
        await newPost(unit, {
          postType: 'inspection_member',
          title: '  Ủy viên UBKT (kiêm nhiệm)  ',
          employment: 'full_time',
          singleHolder: true,
          keyPost: true,
        }),
      ).toMatchObject({
        title: 'Ủy viên UBKT (kiêm nhiệm)',
        employment: 'full_time',
        singleHolder: true,
        keyPost: true,
      });
      const res = await t.http.get(`/api/v1/posts/${chair.id}`).set(hr).expect(200);
      expect(res.body).toEqual(chair);
    });

    it('refuses a second active post of the same type and title in a unit', async () => {
      const unit = await newUnit();
      await newPost(unit, { postType: 'chair' });
      const res = await t.http
        .post('/api/v1/posts')
        .set(hr)
        .send({ orgUnitId: unit, postType: 'chair' });
      expectError(res, 409, 'POST_TITLE_TAKEN', ['title']);
      // Another title of the same type is another post (two vice-chair posts with own titles).
      await newPost(unit, { postType: 'vice_chair', title: 'Phó Chủ tịch thường trực' });
      await newPost(unit, { postType: 'vice_chair' });
    });

    it('lists the posts of a unit chair first, keyset paged, archived ones on request', async () => {
      const unit = await newUnit();
      const made = [];
      for (const postType of ['women_head', 'executive_member', 'chair', 'vice_chair']) {
        made.push(await newPost(unit, { postType }));
      }
      const seen: Post[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Post> = (
          await t.http
            .get(`/api/v1/org-units/${unit}/posts`)
            .query({ limit: 1, ...(cursor ? { cursor } : {}) })
            .set(hr)
            .expect(200)
        ).body as Page<Post>;
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.map((p) => p.postType)).toEqual([
        'chair',
        'vice_chair',
        'executive_member',
        'women_head',
      ]);

      const women = made[0];
      await t.http
        .patch(`/api/v1/posts/${women.id}`)
        .set(hr)
        .send({ status: 'archived' })
        .expect(200);
      const active = (await t.http.get(`/api/v1/org-units/${unit}/posts`).set(hr).expect(200))
        .body as Page<Post>;
      expect(active.items.map((p) => p.id)).not.toContain(women.id);
      const all = (
        await t.http
          .get(`/api/v1/org-units/${unit}/posts`)
          .query({ includeArchived: 'true' })
          .set(hr)
          .expect(200)
      ).body as Page<Post>;
      expect(all.items.find((p) => p.id === women.id)?.status).toBe('archived');

      const bad = await t.http
        .get(`/api/v1/org-units/${unit}/posts`)
        .query({ cursor: Buffer.from('["king","x"]').toString('base64url') })
        .set(hr);
      expectError(bad, 400, 'INVALID_CURSOR');
    });

    it('changes title, employment and flags; never the unit or the type', async () => {
      const unit = await newUnit();
      const post = await newPost(unit, { postType: 'standing_member' });
      expect(post).toMatchObject({ title: 'Ủy viên Ban Thường vụ', singleHolder: false });
      const res = await t.http
        .patch(`/api/v1/posts/${post.id}`)
        .set(hr)
        .send({
          title: 'Ủy viên Ban Thường vụ phụ trách tuyên giáo',
          employment: 'full_time',
          keyPost: true,
        })
        .expect(200);
      expect(res.body).toMatchObject({
        title: 'Ủy viên Ban Thường vụ phụ trách tuyên giáo',
        employment: 'full_time',
        keyPost: true,
        postType: 'standing_member',
      });
      const moved = await t.http
        .patch(`/api/v1/posts/${post.id}`)
        .set(hr)
        .send({ orgUnitId: await t.unitId('HN'), postType: 'chair' });
      expectError(moved, 400, 'VALIDATION_FAILED', ['orgUnitId', 'postType']);
    });

    it('refuses to archive a post someone holds, or to make a shared post single-holder', async () => {
      const unit = await newUnit();
      const post = await newPost(unit, { postType: 'vice_chair' });
      const a = await newPerson(unit, 'An');
      const b = await newPerson(unit, 'Bình');
      await appoint({ personId: a, postId: post.id }).expect(201);
      await appoint({ personId: b, postId: post.id, startDate: '2024-01-01' }).expect(201);
      expectError(
        await t.http.patch(`/api/v1/posts/${post.id}`).set(hr).send({ singleHolder: true }),
        409,
        'POST_HOLDERS_OVERLAP',
      );
      expectError(
        await t.http.patch(`/api/v1/posts/${post.id}`).set(hr).send({ status: 'archived' }),
        409,
        'POST_HAS_HOLDERS',
      );
    });

    it('appoints nobody to an archived post', async () => {
      const unit = await newUnit();
      const post = await newPost(unit, { postType: 'inspection_chair' });
      const person = await newPerson(unit);
      await t.http
        .patch(`/api/v1/posts/${post.id}`)
        .set(hr)
        .send({ status: 'archived' })
        .expect(200);
      expectError(await appoint({ personId: person, postId: post.id }), 409, 'POST_ARCHIVED');
    });
  });

  describe('terms', () => {
    it('adds terms that do not overlap and lists them newest first', async () => {
      const unit = await newUnit();
      const current = await newTerm(unit, '2023-07-01', '2028-06-30');
      expect(current).toMatchObject({
        orgUnitId: unit,
        name: 'Nhiệm kỳ 2023–2028',
        startDate: '2023-07-01',
        endDate: '2028-06-30',
      });
      // The previous term ends the day before; a shifted next term (30 months longer) fits too.
      const previous = await newTerm(unit, '2018-07-01', '2023-06-30');
      const next = await newTerm(unit, '2028-07-01', '2035-12-31');
      const res = await t.http.get(`/api/v1/org-units/${unit}/terms`).set(hr).expect(200);
      expect((res.body as Page<Term>).items.map((x) => x.id)).toEqual([
        next.id,
        current.id,
        previous.id,
      ]);
      const page = (
        await t.http.get(`/api/v1/org-units/${unit}/terms`).query({ limit: 2 }).set(hr).expect(200)
      ).body as Page<Term>;
      expect(page.items).toHaveLength(2);
      const rest = (
        await t.http
          .get(`/api/v1/org-units/${unit}/terms`)
          .query({ limit: 2, cursor: page.nextCursor! })
          .set(hr)
          .expect(200)
      ).body as Page<Term>;
      expect(rest).toEqual({
        items: [expect.objectContaining({ id: previous.id })],
        nextCursor: null,
      });
    });

    it('refuses an overlapping term with 409 and a too long one with 422', async () => {
      const unit = await newUnit();
      await newTerm(unit, '2023-07-01', '2028-06-30');
      const overlap = await t.http.post('/api/v1/terms').set(hr).send({
        orgUnitId: unit,
        name: 'Nhiệm kỳ chồng lấn',
        startDate: '2028-06-30',
        endDate: '2033-06-29',
      });
      expectError(overlap, 409, 'TERM_OVERLAP');
      expect(overlap.body.message).toContain('Nhiệm kỳ 2023–2028');
      const long = await t.http
        .post('/api/v1/terms')
        .set(hr)
        .send({ orgUnitId: unit, name: 'Quá dài', startDate: '2028-07-01', endDate: '2036-01-01' });
      expectError(long, 422, 'TERM_TOO_LONG', ['endDate']);
    });

    it('serialises concurrent terms of one unit: one of two overlapping terms lands', async () => {
      const unit = await newUnit();
      const [r1, r2] = await Promise.all(
        ['2023-01-01', '2023-06-01'].map((start) =>
          t.http
            .post('/api/v1/terms')
            .set(hr)
            .send({
              orgUnitId: unit,
              name: `Nhiệm kỳ ${start}`,
              startDate: start,
              endDate: '2027-12-31',
            }),
        ),
      );
      expect([r1.status, r2.status].sort()).toEqual([201, 409]);
    });
  });

  describe('appointments', () => {
    it('keeps a single-holder post to one holder at a time, and the history after an end', async () => {
      const unit = await newUnit();
      const chair = await newPost(unit, { postType: 'chair' });
      const term = await newTerm(unit);
      const first = await newPerson(unit, 'Hải');
      const second = await newPerson(unit, 'Hà');

      const res = await appoint({ personId: first, postId: chair.id, termId: term.id }).expect(201);
      const appointment = res.body as Appointment;
      expect(appointment).toMatchObject({
        personId: first,
        postId: chair.id,
        termId: term.id,
        method: 'elected',
        startDate: '2023-07-01',
        endDate: null,
        status: 'active',
        endReason: null,
      });

      const clash = await appoint({ personId: second, postId: chair.id, startDate: '2025-01-01' });
      expectError(clash, 409, 'APPOINTMENT_OVERLAP', ['startDate']);
      expect(clash.body.message).toContain('Chủ tịch');

      const ended = await t.http
        .post(`/api/v1/appointments/${appointment.id}/end`)
        .set(hr)
        .send({ endDate: '2025-12-31', reason: 'Nghỉ hưu' })
        .expect(200);
      expect(ended.body).toMatchObject({
        id: appointment.id,
        endDate: '2025-12-31',
        status: 'ended',
        endReason: 'Nghỉ hưu',
      });
      // The last day still belongs to the first holder; the next day is free.
      expectError(
        await appoint({
          personId: second,
          postId: chair.id,
          startDate: '2025-12-31',
          method: 'appointed',
        }),
        409,
        'APPOINTMENT_OVERLAP',
      );
      const next = (
        await appoint({
          personId: second,
          postId: chair.id,
          startDate: '2026-01-01',
          method: 'appointed',
          termId: term.id,
        }).expect(201)
      ).body as Appointment;

      const history = await holders(chair.id);
      expect(history.items.map((h) => [h.id, h.personId, h.status, h.endDate])).toEqual([
        [next.id, second, 'active', null],
        [appointment.id, first, 'ended', '2025-12-31'],
      ]);
      expect(history.items[1]).toMatchObject({
        fullName: 'Lê Văn Hải',
        endReason: 'Nghỉ hưu',
        term: expect.objectContaining({ id: term.id, name: 'Nhiệm kỳ 2023–2028' }),
      });
      const firstPage = await holders(chair.id, { limit: 1 });
      expect(firstPage.items.map((h) => h.id)).toEqual([next.id]);
      const secondPage = await holders(chair.id, { limit: 1, cursor: firstPage.nextCursor! });
      expect(secondPage).toMatchObject({ items: [{ id: appointment.id }], nextCursor: null });

      expect(await currentPosts(first)).toEqual([]);
      expect((await currentPosts(second)).map((p) => p.post.id)).toEqual([chair.id]);

      expectError(
        await t.http
          .post(`/api/v1/appointments/${appointment.id}/end`)
          .set(hr)
          .send({ endDate: '2026-01-31', reason: 'Lần nữa' }),
        409,
        'APPOINTMENT_NOT_ACTIVE',
      );
    });

    it('refuses an end before the start with 400 and the field', async () => {
      const unit = await newUnit();
      const post = await newPost(unit, { postType: 'executive_member' });
      const person = await newPerson(unit);
      const a = (
        await appoint({ personId: person, postId: post.id, startDate: '2024-03-01' }).expect(201)
      ).body as Appointment;
      const res = await t.http
        .post(`/api/v1/appointments/${a.id}/end`)
        .set(hr)
        .send({ endDate: '2024-02-29', reason: 'Nhầm ngày' });
      expectError(res, 400, 'DATE_RANGE_INVALID', ['endDate']);
      // Ending on the first day is a one-day appointment, allowed.
      await t.http
        .post(`/api/v1/appointments/${a.id}/end`)
        .set(hr)
        .send({ endDate: '2024-03-01', reason: 'Chuyển công tác' })
        .expect(200);
    });

    it('lets two concurrent appointments to one chair post yield exactly one holder', async () => {
      const unit = await newUnit();
      const chair = await newPost(unit, { postType: 'chair' });
      const people = [await newPerson(unit, 'Một'), await newPerson(unit, 'Hai')];
      const results = await Promise.all(
        people.map((personId) => appoint({ personId, postId: chair.id, startDate: '2024-05-01' })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expectError(
        results.find((r) => r.status === 409)!,
        409,
        'APPOINTMENT_OVERLAP',
      );
      expect((await holders(chair.id)).items).toHaveLength(1);
    });

    it('lets a multi-holder post have several holders at once, but not the same person twice', async () => {
      const unit = await newUnit();
      const vice = await newPost(unit, { postType: 'vice_chair' });
      const a = await newPerson(unit, 'Anh');
      const b = await newPerson(unit, 'Bảo');
      await appoint({ personId: a, postId: vice.id }).expect(201);
      await appoint({ personId: b, postId: vice.id, startDate: '2024-01-01' }).expect(201);
      expectError(
        await appoint({ personId: a, postId: vice.id, startDate: '2025-01-01' }),
        409,
        'APPOINTMENT_OVERLAP',
      );
      expect((await holders(vice.id)).items).toHaveLength(2);
    });

    it('lets a person hold several posts at once, the key posts listed first', async () => {
      const unit = await newUnit();
      const member = await newPost(unit, { postType: 'executive_member' });
      const standing = await newPost(unit, { postType: 'standing_member' });
      const vice = await newPost(unit, { postType: 'vice_chair' });
      const person = await newPerson(unit);
      for (const post of [member, standing, vice]) {
        await appoint({ personId: person, postId: post.id }).expect(201);
      }
      // A finished appointment and a future one are not current.
      const women = await newPost(unit, { postType: 'women_head' });
      await appoint({
        personId: person,
        postId: women.id,
        startDate: '2019-01-01',
        endDate: '2020-12-31',
        endReason: 'Hết nhiệm kỳ',
      }).expect(201);
      const chair = await newPost(unit, { postType: 'chair' });
      await appoint({ personId: person, postId: chair.id, startDate: daysAhead(180) }).expect(201);
      const posts = await currentPosts(person);
      expect(posts.map((p) => p.post.postType)).toEqual([
        'vice_chair',
        'standing_member',
        'executive_member',
      ]);
      expect(posts[0]).toMatchObject({ orgUnit: { id: unit }, term: null });
    });

    it('records a past appointment as ended', async () => {
      const unit = await newUnit();
      const post = await newPost(unit, { postType: 'chair' });
      const person = await newPerson(unit);
      const res = await appoint({
        personId: person,
        postId: post.id,
        startDate: '2013-07-01',
        endDate: '2018-06-30',
        endReason: 'Hết nhiệm kỳ',
      }).expect(201);
      expect(res.body).toMatchObject({
        status: 'ended',
        endDate: '2018-06-30',
        endReason: 'Hết nhiệm kỳ',
      });
    });

    it('cancels a mistaken appointment: kept, but it frees the post', async () => {
      const unit = await newUnit();
      const chair = await newPost(unit, { postType: 'chair' });
      const wrong = await newPerson(unit, 'Nhầm');
      const right = await newPerson(unit, 'Đúng');
      const a = (await appoint({ personId: wrong, postId: chair.id }).expect(201))
        .body as Appointment;
      const cancelled = await t.http
        .post(`/api/v1/appointments/${a.id}/cancel`)
        .set(hr)
        .send({ reason: 'Nhập nhầm cán bộ' })
        .expect(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', endReason: 'Nhập nhầm cán bộ' });
      await appoint({ personId: right, postId: chair.id }).expect(201);
      expect((await holders(chair.id)).items.map((h) => h.personId)).toEqual([right]);
      const [kept] = await t.dataSource.query<{ status: string }[]>(
        'SELECT status FROM appointments WHERE id = $1',
        [a.id],
      );
      expect(kept.status).toBe('cancelled');
      expectError(
        await t.http.post(`/api/v1/appointments/${a.id}/cancel`).set(hr).send({ reason: 'x' }),
        409,
        'APPOINTMENT_NOT_ACTIVE',
      );
    });

    it('takes a term only of the post’s unit, and a start inside it', async () => {
      const unit = await newUnit();
      const other = await newUnit();
      const post = await newPost(unit, { postType: 'executive_member' });
      const term = await newTerm(unit);
      const foreign = await newTerm(other);
      const person = await newPerson(unit);
      expectError(
        await appoint({ personId: person, postId: post.id, termId: foreign.id }),
        422,
        'TERM_UNIT_MISMATCH',
        ['termId'],
      );
      expectError(
        await appoint({
          personId: person,
          postId: post.id,
          termId: term.id,
          startDate: '2023-06-30',
        }),
        422,
        'APPOINTMENT_OUTSIDE_TERM',
        ['startDate'],
      );
      expectError(
        await appoint({
          personId: person,
          postId: post.id,
          termId: '00000000-0000-4000-8000-000000000000',
        }),
        404,
        'TERM_NOT_FOUND',
      );
    });

    it('appoints only active people', async () => {
      const unit = await newUnit();
      const post = await newPost(unit, { postType: 'executive_member' });
      const person = await newPerson(unit);
      await t.http
        .patch(`/api/v1/people/${person}`)
        .set(hr)
        .send({ status: 'retired' })
        .expect(200);
      expectError(await appoint({ personId: person, postId: post.id }), 422, 'PERSON_NOT_ACTIVE');
    });

    it('exports the current holders of a subtree and a person’s posts for other modules', async () => {
      const unit = await newUnit();
      const chair = await newPost(unit, { postType: 'chair' });
      const member = await newPost(unit, { postType: 'executive_member' });
      const a = await newPerson(unit);
      const b = await newPerson(unit);
      await appoint({ personId: a, postId: chair.id }).expect(201);
      await appoint({ personId: b, postId: member.id }).expect(201);
      const [{ path }] = await t.dataSource.query<{ path: string }[]>(
        'SELECT path FROM org_units WHERE id = $1',
        [unit],
      );
      const service = t.app.get(AppointmentsService);
      const em = t.dataSource.manager;
      const all = await service.currentHoldersInSubtree(em, path);
      expect(all.map((h) => [h.personId, h.postType, h.orgUnitPath])).toEqual([
        [a, 'chair', path],
        [b, 'executive_member', path],
      ]);
      const chairs = await service.currentHoldersInSubtree(em, path, ['chair', 'vice_chair']);
      expect(chairs.map((h) => h.personId)).toEqual([a]);
      expect(await service.currentHoldersInSubtree(em, path, ['chair'], '2020-01-01')).toEqual([]);
      // The whole Hà Nội subtree holds the seeded chairs too, in one query.
      const [{ path: hanoi }] = await t.dataSource.query<{ path: string }[]>(
        `SELECT path FROM org_units WHERE code = 'HN'`,
      );
      const hanoiChairs = await service.currentHoldersInSubtree(em, hanoi, ['chair']);
      expect(hanoiChairs.length).toBeGreaterThanOrEqual(6);
      expect(hanoiChairs.every((h) => h.orgUnitPath.startsWith(hanoi))).toBe(true);
      expect((await service.currentPostsOf(em, a)).map((p) => p.post.id)).toEqual([chair.id]);
    });
  });

  describe('scope and roles', () => {
    it('answers 404 for posts, terms and holders outside the caller’s scope', async () => {
      const officer = bearer(t.tokens.officerBacNinh);
      const hanoiUnit = await t.unitId('HN-HD-MAY');
      const [{ id: hanoiPost }] = await t.dataSource.query<{ id: string }[]>(
        `SELECT p.id FROM posts p WHERE p.org_unit_id = $1 AND p.post_type = 'chair'`,
        [hanoiUnit],
      );
      expectError(
        await t.http.get(`/api/v1/org-units/${hanoiUnit}/posts`).set(officer),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await t.http.get(`/api/v1/org-units/${hanoiUnit}/terms`).set(officer),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await t.http.get(`/api/v1/posts/${hanoiPost}`).set(officer),
        404,
        'POST_NOT_FOUND',
      );
      expectError(
        await t.http.get(`/api/v1/posts/${hanoiPost}/holders`).set(officer),
        404,
        'POST_NOT_FOUND',
      );
      expectError(
        await t.http.get(`/api/v1/people/${hanoiPersonId}/posts`).set(officer),
        404,
        'PERSON_NOT_FOUND',
      );
      // …while the Bắc Ninh officer reads Bắc Ninh.
      await t.http.get(`/api/v1/posts/${bacNinhPostId}/holders`).set(officer).expect(200);
      await t.http.get(`/api/v1/people/${bacNinhPersonId}/posts`).set(officer).expect(200);
    });

    it('answers 404 when hr.hanoi writes in Bắc Ninh', async () => {
      const bacNinhUnit = await t.unitId('BN-TS-BV');
      expectError(
        await t.http
          .post('/api/v1/posts')
          .set(hr)
          .send({ orgUnitId: bacNinhUnit, postType: 'women_head' }),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await t.http
          .patch(`/api/v1/posts/${bacNinhPostId}`)
          .set(hr)
          .send({ title: 'Chủ tịch CĐCS' }),
        404,
        'POST_NOT_FOUND',
      );
      expectError(
        await t.http.post('/api/v1/terms').set(hr).send({
          orgUnitId: bacNinhUnit,
          name: 'Nhiệm kỳ 2028–2033',
          startDate: '2028-07-01',
          endDate: '2033-06-30',
        }),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await appoint({ personId: bacNinhPersonId, postId: bacNinhPostId }),
        404,
        'PERSON_NOT_FOUND',
      );
      const unit = await newUnit();
      const hanoiPerson = await newPerson(unit);
      expectError(
        await appoint({ personId: hanoiPerson, postId: bacNinhPostId }),
        404,
        'POST_NOT_FOUND',
      );
      expectError(
        await t.http
          .post(`/api/v1/appointments/${bacNinhAppointmentId}/end`)
          .set(hr)
          .send({ endDate: '2026-01-01', reason: 'Chuyển công tác' }),
        404,
        'APPOINTMENT_NOT_FOUND',
      );
      expectError(
        await t.http
          .post(`/api/v1/appointments/${bacNinhAppointmentId}/cancel`)
          .set(hr)
          .send({ reason: 'x' }),
        404,
        'APPOINTMENT_NOT_FOUND',
      );
    });

    it('answers 403 to a learner for every route, and to a training officer for writes', async () => {
      const unit = await t.unitId('HN-HD-MAY');
      const [{ id: post }] = await t.dataSource.query<{ id: string }[]>(
        `SELECT id FROM posts WHERE org_unit_id = $1 AND post_type = 'vice_chair'`,
        [unit],
      );
      const [{ id: appointment }] = await t.dataSource.query<{ id: string }[]>(
        `SELECT id FROM appointments WHERE post_id = $1`,
        [post],
      );
      const learner = bearer(t.tokens.chair);
      const officer = bearer(t.tokens.officerHanoi);
      for (const who of [learner, officer]) {
        expectError(
          await t.http
            .post('/api/v1/posts')
            .set(who)
            .send({ orgUnitId: unit, postType: 'women_head' }),
          403,
          'FORBIDDEN',
        );
        expectError(
          await t.http.patch(`/api/v1/posts/${post}`).set(who).send({ title: 'X' }),
          403,
          'FORBIDDEN',
        );
        expectError(
          await t.http
            .post('/api/v1/terms')
            .set(who)
            .send({ orgUnitId: unit, name: 'N', startDate: '2030-01-01', endDate: '2034-12-31' }),
          403,
          'FORBIDDEN',
        );
        expectError(
          await t.http.post('/api/v1/appointments').set(who).send({
            personId: hanoiPersonId,
            postId: post,
            method: 'elected',
            startDate: '2030-01-01',
          }),
          403,
          'FORBIDDEN',
        );
        expectError(
          await t.http
            .post(`/api/v1/appointments/${appointment}/end`)
            .set(who)
            .send({ endDate: '2030-01-01', reason: 'x' }),
          403,
          'FORBIDDEN',
        );
        expectError(
          await t.http
            .post(`/api/v1/appointments/${appointment}/cancel`)
            .set(who)
            .send({ reason: 'x' }),
          403,
          'FORBIDDEN',
        );
      }
      for (const path of [
        `/api/v1/org-units/${unit}/posts`,
        `/api/v1/org-units/${unit}/terms`,
        `/api/v1/posts/${post}`,
        `/api/v1/posts/${post}/holders`,
        `/api/v1/people/${hanoiPersonId}/posts`,
      ]) {
        expectError(await t.http.get(path).set(learner), 403, 'FORBIDDEN');
        await t.http.get(path).set(officer).expect(200);
      }
      expectError(await t.http.get(`/api/v1/posts/${post}`), 401, 'UNAUTHENTICATED');
    });

    it('answers 400 for a malformed id and 404 for an unknown one in the path', async () => {
      expectError(await t.http.get('/api/v1/posts/not-a-uuid').set(hr), 400, 'VALIDATION_FAILED');
      expectError(
        await t.http.get('/api/v1/posts/00000000-0000-4000-8000-000000000000/holders').set(hr),
        404,
        'POST_NOT_FOUND',
      );
      expectError(
        await t.http
          .post('/api/v1/appointments/00000000-0000-4000-8000-000000000000/end')
          .set(hr)
          .send({ endDate: '2026-01-01', reason: 'x' }),
        404,
        'APPOINTMENT_NOT_FOUND',
      );
    });
  });

  describe('bad bodies', () => {
    it('refuses bad post bodies with 400 and the fields', async () => {
      const unit = await t.unitId('HN-HD-MAY');
      const post = (b: unknown) =>
        t.http
          .post('/api/v1/posts')
          .set(hr)
          .send(b as object);
      expectError(await post({}), 400, 'VALIDATION_FAILED', ['orgUnitId', 'postType']);
      expectError(
        await post({
          orgUnitId: unit,
          postType: 'king',
          employment: 'sometimes',
          singleHolder: 'yes',
          keyPost: 1,
        }),
        400,
        'VALIDATION_FAILED',
        ['postType', 'employment', 'singleHolder', 'keyPost'],
      );
      expectError(
        await post({ orgUnitId: 'x', postType: 'chair', title: '   ' }),
        400,
        'VALIDATION_FAILED',
        ['orgUnitId', 'title'],
      );
      expectError(
        await post({ orgUnitId: unit, postType: 'chair', salary: 1 }),
        400,
        'VALIDATION_FAILED',
        ['salary'],
      );
      expectError(
        await post({ orgUnitId: unit, postType: 'chair', title: null }),
        400,
        'VALIDATION_FAILED',
        ['title'],
      );
      const [{ id }] = await t.dataSource.query<{ id: string }[]>(
        `SELECT id FROM posts WHERE org_unit_id = $1 LIMIT 1`,
        [unit],
      );
      expectError(
        await t.http
          .patch(`/api/v1/posts/${id}`)
          .set(hr)
          .send({ title: null, singleHolder: null, status: 'deleted' }),
        400,
        'VALIDATION_FAILED',
        ['title', 'singleHolder', 'status'],
      );
    });

    it('refuses bad term bodies with 400 and the fields', async () => {
      const unit = await t.unitId('HN-HD-MAY');
      const term = (b: object) => t.http.post('/api/v1/terms').set(hr).send(b);
      expectError(await term({}), 400, 'VALIDATION_FAILED', [
        'orgUnitId',
        'name',
        'startDate',
        'endDate',
      ]);
      expectError(
        await term({ orgUnitId: unit, name: 7, startDate: '2030-02-30', endDate: '01/07/2035' }),
        400,
        'VALIDATION_FAILED',
        ['name', 'startDate', 'endDate'],
      );
      expectError(
        await term({
          orgUnitId: unit,
          name: 'Nhiệm kỳ',
          startDate: '2035-07-01',
          endDate: '2030-06-30',
        }),
        400,
        'VALIDATION_FAILED',
        ['endDate'],
      );
      expectError(
        await term({
          orgUnitId: unit,
          name: 'Nhiệm kỳ',
          startDate: '2035-07-01',
          endDate: '2035-07-01',
        }),
        400,
        'VALIDATION_FAILED',
        ['endDate'],
      );
      expectError(
        await term({
          orgUnitId: unit,
          name: 'Nhiệm kỳ',
          startDate: '2035-07-01',
          endDate: '2040-06-30',
          active: true,
        }),
        400,
        'VALIDATION_FAILED',
        ['active'],
      );
    });

    it('refuses bad appointment bodies with 400 and the fields', async () => {
      const a = (b: object) => t.http.post('/api/v1/appointments').set(hr).send(b);
      expectError(await a({}), 400, 'VALIDATION_FAILED', [
        'personId',
        'postId',
        'method',
        'startDate',
      ]);
      expectError(
        await a({
          personId: hanoiPersonId,
          postId: bacNinhPostId,
          method: 'voted',
          startDate: 20230701,
          termId: 'x',
        }),
        400,
        'VALIDATION_FAILED',
        ['method', 'startDate', 'termId'],
      );
      expectError(
        await a({
          personId: hanoiPersonId,
          postId: bacNinhPostId,
          method: 'elected',
          startDate: '2024-01-01',
          endDate: '2023-12-31',
        }),
        400,
        'VALIDATION_FAILED',
        ['endDate'],
      );
      expectError(
        await a({
          personId: hanoiPersonId,
          postId: bacNinhPostId,
          method: 'elected',
          startDate: '2024-01-01',
          status: 'ended',
        }),
        400,
        'VALIDATION_FAILED',
        ['status'],
      );
      const end = (b: object) =>
        t.http.post(`/api/v1/appointments/${bacNinhAppointmentId}/end`).set(hr).send(b);
      expectError(await end({}), 400, 'VALIDATION_FAILED', ['endDate', 'reason']);
      expectError(await end({ endDate: '2026-13-01', reason: '' }), 400, 'VALIDATION_FAILED', [
        'endDate',
        'reason',
      ]);
      expectError(
        await end({ endDate: '2026-01-01', reason: 'x', note: 'y' }),
        400,
        'VALIDATION_FAILED',
        ['note'],
      );
    });
  });

  describe('impossible dates (issue 11 item 14)', () => {
    const termsOf = async (unit: string) =>
      (
        await t.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM terms WHERE org_unit_id = $1',
          [unit],
        )
      )[0].n;

    it('refuses a term starting before 1950 or over five years ahead, or ending in 9999', async () => {
      const unit = await newUnit();
      const term = (startDate: string, endDate: string) =>
        t.http
          .post('/api/v1/terms')
          .set(hr)
          .send({ orgUnitId: unit, name: 'Nhiệm kỳ', startDate, endDate });
      const latest = yearsAhead(5);
      const dayAfter = new Date(Date.parse(`${latest}T00:00:00Z`) + 86_400_000)
        .toISOString()
        .slice(0, 10);
      for (const start of ['1800-01-01', '1949-12-31', dayAfter]) {
        const res = await term(start, addYears(start, 4));
        expectError(res, 422, 'TERM_START_OUT_OF_RANGE', ['startDate']);
        expect(res.body.message).toBe(
          `Ngày bắt đầu nhiệm kỳ phải từ 01/01/1950 đến ${dmy(latest)}.`,
        );
      }
      const ahead = await term(yearsAhead(6), yearsAhead(11));
      expectError(ahead, 422, 'TERM_START_OUT_OF_RANGE', ['startDate']);
      const endless = await term('2025-07-01', '9999-12-31');
      expectError(endless, 422, 'TERM_TOO_LONG', ['endDate']);
      expect(endless.body.details).toEqual([
        {
          field: 'endDate',
          message: 'Tối đa 90 tháng kể từ ngày bắt đầu: kết thúc muộn nhất ngày 31/12/2032.',
        },
      ]);
      const english = await term('2025-07-01', '9999-12-31').set('Accept-Language', 'en');
      expect(english.body.details).toEqual([
        {
          field: 'endDate',
          message: 'At most 90 months from the start: the latest end is 31/12/2032.',
        },
      ]);
      expect(await termsOf(unit)).toBe(0);
      // The first and the last day allowed are allowed.
      expect((await term('1950-01-01', '1954-12-31')).status).toBe(201);
      expect((await term(latest, addYears(latest, 5))).status).toBe(201);
    });

    it('refuses an appointment starting before 1950 or over a year ahead, or ending in 9999', async () => {
      const unit = await newUnit();
      const post = await newPost(unit, { postType: 'executive_member' });
      const person = await newPerson(unit);
      const latest = yearsAhead(1);
      const latestEnd = yearsAhead(10);
      for (const [body, field] of [
        [{ startDate: '1800-01-01' }, 'startDate'],
        [{ startDate: yearsAhead(2) }, 'startDate'],
        [{ startDate: '2024-01-01', endDate: '9999-12-31', endReason: 'x' }, 'endDate'],
      ] as const) {
        const res = await appoint({ personId: person, postId: post.id, ...body });
        expectError(res, 422, 'APPOINTMENT_DATE_OUT_OF_RANGE', [field]);
        expect(res.body.message).toBe(
          `Ngày bắt đầu đảm nhiệm phải từ 01/01/1950 đến ${dmy(latest)}, ngày kết thúc không sau ${dmy(latestEnd)}.`,
        );
      }
      expect((await holders(post.id)).items).toEqual([]);
      const a = (
        await appoint({ personId: person, postId: post.id, startDate: latest }).expect(201)
      ).body as Appointment;
      const end = await t.http
        .post(`/api/v1/appointments/${a.id}/end`)
        .set(hr)
        .send({ endDate: '9999-12-31', reason: 'Nhầm năm' });
      expectError(end, 422, 'APPOINTMENT_DATE_OUT_OF_RANGE', ['endDate']);
      expect(end.body.details).toEqual([
        { field: 'endDate', message: `Phải từ 01/01/1950 đến ${dmy(latestEnd)}.` },
      ]);
      expect((await holders(post.id)).items[0]).toMatchObject({ status: 'active', endDate: null });
    });

    it('refuses an appointment starting before the person turned 16', async () => {
      const unit = await newUnit();
      const post = await newPost(unit, { postType: 'executive_member' });
      const person = await newPerson(unit);
      await t.http
        .patch(`/api/v1/people/${person}`)
        .set(hr)
        .send({ birthDate: '2000-05-10' })
        .expect(200);
      const res = await appoint({ personId: person, postId: post.id, startDate: '2016-05-09' });
      expectError(res, 422, 'APPOINTMENT_BEFORE_MIN_AGE', ['startDate']);
      expect(res.body.message).toBe(
        'Cán bộ sinh ngày 10/05/2000 đủ 16 tuổi từ ngày 10/05/2016; không thể đảm nhiệm chức danh trước ngày đó.',
      );
      expect(res.body.details).toEqual([
        {
          field: 'startDate',
          message: 'Không được sớm hơn ngày 10/05/2016, khi cán bộ đủ 16 tuổi.',
        },
      ]);
      await appoint({ personId: person, postId: post.id, startDate: '2016-05-10' }).expect(201);
    });
  });

  describe('messages in the caller’s language (issue 11 item 13)', () => {
    /** Every detail reads as Vietnamese: no English word outside names, ids and dates. */
    const expectVietnamese = (body: { details: { field: string; message: string }[] }) => {
      expect(body.details.length).toBeGreaterThan(0);
      for (const d of body.details)
        expect({ [d.field]: ENGLISH.test(d.message) }).toEqual({ [d.field]: false });
    };

    it('words the details of term and appointment refusals in Vietnamese, English on request', async () => {
      const unit = await newUnit();
      const other = await newUnit();
      const chair = await newPost(unit, { postType: 'chair' });
      const term = await newTerm(unit);
      const foreign = await newTerm(other);
      const [first, second] = [await newPerson(unit, 'Một'), await newPerson(unit, 'Hai')];

      const overlapTerm = await t.http.post('/api/v1/terms').set(hr).send({
        orgUnitId: unit,
        name: 'Chồng lấn',
        startDate: '2028-06-30',
        endDate: '2033-06-29',
      });
      expect(overlapTerm.body.details).toEqual([
        {
          field: 'startDate',
          message: 'Trùng với nhiệm kỳ "Nhiệm kỳ 2023–2028" (01/07/2023 – 30/06/2028).',
        },
      ]);
      const sameDay = await t.http.post('/api/v1/terms').set(hr).send({
        orgUnitId: unit,
        name: 'Một ngày',
        startDate: '2035-07-01',
        endDate: '2035-07-01',
      });
      expectError(sameDay, 400, 'VALIDATION_FAILED', ['endDate']);
      expect(sameDay.body.details).toEqual([
        { field: 'endDate', message: 'Phải sau ngày ở trường startDate.' },
      ]);
      const mismatch = await appoint({ personId: first, postId: chair.id, termId: foreign.id });
      expect(mismatch.body.details).toEqual([
        { field: 'termId', message: 'Nhiệm kỳ của một đơn vị khác.' },
      ]);
      const outside = await appoint({
        personId: first,
        postId: chair.id,
        termId: term.id,
        startDate: '2023-06-30',
      });
      expect(outside.body.details).toEqual([
        { field: 'startDate', message: 'Ngoài nhiệm kỳ 01/07/2023 – 30/06/2028.' },
      ]);
      const held = (
        await appoint({ personId: first, postId: chair.id, startDate: '2024-03-01' }).expect(201)
      ).body as Appointment;
      const clash = await appoint({ personId: second, postId: chair.id, startDate: '2024-06-01' });
      expectError(clash, 409, 'APPOINTMENT_OVERLAP', ['startDate']);
      expect(clash.body.details).toEqual([
        {
          field: 'startDate',
          message: `Trùng thời gian với quyết định ${held.id} (01/03/2024 – …).`,
        },
      ]);
      const early = await t.http
        .post(`/api/v1/appointments/${held.id}/end`)
        .set(hr)
        .send({ endDate: '2024-02-29', reason: 'Nhầm ngày' });
      expect(early.body.details).toEqual([
        { field: 'endDate', message: 'Không được trước ngày bắt đầu 01/03/2024.' },
      ]);
      const cursor = await t.http
        .get(`/api/v1/posts/${chair.id}/holders`)
        .query({ cursor: Buffer.from(JSON.stringify(['x', held.id])).toString('base64url') })
        .set(hr);
      expectError(cursor, 400, 'INVALID_CURSOR', ['cursor']);
      const title = await t.http
        .post('/api/v1/posts')
        .set(hr)
        .send({ orgUnitId: unit, postType: 'chair' });
      expectError(title, 409, 'POST_TITLE_TAKEN', ['title']);
      for (const res of [overlapTerm, sameDay, mismatch, outside, clash, early, cursor, title]) {
        expectVietnamese(res.body);
      }

      const en = await t.http
        .post(`/api/v1/appointments/${held.id}/end`)
        .set(hr)
        .set('Accept-Language', 'en')
        .send({ endDate: '2024-02-29', reason: 'Nhầm ngày' });
      expect(en.body.details).toEqual([
        { field: 'endDate', message: 'Cannot be before the start date 01/03/2024.' },
      ]);
      const enClash = await appoint({
        personId: second,
        postId: chair.id,
        startDate: '2024-06-01',
      }).set('Accept-Language', 'en');
      expect(enClash.body.details).toEqual([
        { field: 'startDate', message: `Overlaps appointment ${held.id} (01/03/2024 – …).` },
      ]);
    });
  });

  describe('term corrections (PATCH /terms/:id)', () => {
    const patchTerm = (id: string, body: Record<string, unknown>, as = hr) =>
      t.http.patch(`/api/v1/terms/${id}`).set(as).send(body);
    const termById = async (id: string) =>
      (
        await t.dataSource.query<{ name: string; start_date: string; end_date: string }[]>(
          `SELECT name, start_date::text, end_date::text FROM terms WHERE id = $1`,
          [id],
        )
      )[0];

    it('corrects the name and dates of a term under the rules of a new one', async () => {
      const unit = await newUnit();
      const term = await newTerm(unit, '2023-07-01', '2028-06-30');
      // An upper level shifts the term by 30 months to align it: 90 months in all.
      const shifted = await patchTerm(term.id, { name: 'Nhiệm kỳ VIII', endDate: '2030-12-31' });
      expect(shifted.status).toBe(200);
      expect(shifted.body).toEqual({ ...term, name: 'Nhiệm kỳ VIII', endDate: '2030-12-31' });
      const listed = await t.http.get(`/api/v1/org-units/${unit}/terms`).set(hr).expect(200);
      expect((listed.body as Page<Term>).items).toEqual([shifted.body]);
      expectError(await patchTerm(term.id, { endDate: '2031-01-01' }), 422, 'TERM_TOO_LONG', [
        'endDate',
      ]);
      expectError(
        await patchTerm(term.id, { startDate: '1800-07-01' }),
        422,
        'TERM_START_OUT_OF_RANGE',
        ['startDate'],
      );
      const inverted = await patchTerm(term.id, { startDate: '2031-01-01' });
      expectError(inverted, 400, 'VALIDATION_FAILED', ['startDate']);
      expect(inverted.body.details).toEqual([
        {
          field: 'startDate',
          message: 'Ngày kết thúc nhiệm kỳ (31/12/2030) phải sau ngày bắt đầu (01/01/2031).',
        },
      ]);
      expect((await patchTerm(term.id, {})).body).toEqual(shifted.body);
      expect(await termById(term.id)).toEqual({
        name: 'Nhiệm kỳ VIII',
        start_date: '2023-07-01',
        end_date: '2030-12-31',
      });
    });

    it('refuses to overlap another term or to leave the term’s appointments outside it', async () => {
      const unit = await newUnit();
      await newTerm(unit, '2018-07-01', '2023-06-30');
      const term = await newTerm(unit, '2023-07-01', '2028-06-30');
      expectError(await patchTerm(term.id, { startDate: '2023-06-01' }), 409, 'TERM_OVERLAP', [
        'startDate',
      ]);
      const post = await newPost(unit, { postType: 'vice_chair' });
      const person = await newPerson(unit);
      const a = (await appoint({ personId: person, postId: post.id, termId: term.id }).expect(201))
        .body as Appointment;
      const res = await patchTerm(term.id, { startDate: '2023-08-01' });
      expectError(res, 409, 'TERM_APPOINTMENTS_OUTSIDE', ['startDate']);
      expect(res.body.message).toBe(
        'Có 1 người được bầu, bổ nhiệm trong nhiệm kỳ từ ngày nằm ngoài thời gian mới; hãy sửa các quyết định đó trước.',
      );
      expect((await termById(term.id)).start_date).toBe('2023-07-01');
      // A cancelled appointment no longer holds the term to its dates.
      await t.http
        .post(`/api/v1/appointments/${a.id}/cancel`)
        .set(hr)
        .send({ reason: 'Nhập nhầm' })
        .expect(200);
      await patchTerm(term.id, { startDate: '2023-08-01' }).expect(200);
    });

    it('answers 404 outside scope or for an unknown term, 403 to roles that may not write', async () => {
      const [{ id: bacNinhTerm }] = await t.dataSource.query<{ id: string }[]>(
        `SELECT t.id FROM terms t JOIN org_units o ON o.id = t.org_unit_id WHERE o.code = 'BN-TS-BV'`,
      );
      expectError(await patchTerm(bacNinhTerm, { name: 'Khác' }), 404, 'TERM_NOT_FOUND');
      const term = await newTerm(await newUnit());
      for (const token of [t.tokens.officerHanoi, t.tokens.chair]) {
        expectError(await patchTerm(term.id, { name: 'Khác' }, bearer(token)), 403, 'FORBIDDEN');
      }
      expectError(
        await patchTerm(term.id, { name: 'Khác' }, {} as { Authorization: string }),
        401,
        'UNAUTHENTICATED',
      );
      expectError(
        await patchTerm('00000000-0000-4000-8000-000000000000', { name: 'Khác' }),
        404,
        'TERM_NOT_FOUND',
      );
      expectError(await patchTerm('abc', { name: 'Khác' }), 400, 'VALIDATION_FAILED');
      expect(await termById(bacNinhTerm)).not.toMatchObject({ name: 'Khác' });
      expect((await termById(term.id)).name).toBe(term.name);
    });

    it('refuses a term of an archived unit with 409', async () => {
      const unit = await newUnit();
      const term = await newTerm(unit);
      await t.http.post(`/api/v1/org-units/${unit}/archive`).set(hr).expect(200);
      expectError(await patchTerm(term.id, { name: 'Sau lưu trữ' }), 409, 'ORG_UNIT_ARCHIVED');
    });

    it.each([
      ['a name of the wrong type', { name: 5 }, ['name']],
      ['a null name', { name: null }, ['name']],
      ['a blank name', { name: '   ' }, ['name']],
      ['a long name', { name: 'x'.repeat(121) }, ['name']],
      ['an impossible date', { startDate: '2023-02-30' }, ['startDate']],
      ['a date of the wrong type', { endDate: 20280630 }, ['endDate']],
      ['a null date', { endDate: null }, ['endDate']],
      ['an end on the start', { startDate: '2024-01-01', endDate: '2024-01-01' }, ['endDate']],
      ['another unit', { orgUnitId: '00000000-0000-4000-8000-000000000000' }, ['orgUnitId']],
      ['an unknown field', { active: false }, ['active']],
    ])('refuses a correction with %s: 400, nothing changed', async (_, body, fields) => {
      const term = await newTerm(await newUnit());
      expectError(await patchTerm(term.id, body), 400, 'VALIDATION_FAILED', fields);
      expect(await termById(term.id)).toEqual({
        name: term.name,
        start_date: term.startDate,
        end_date: term.endDate,
      });
    });
  });
});
