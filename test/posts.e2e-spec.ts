import { randomBytes } from 'node:crypto';
import { AppointmentsService } from '../src/posts/appointments.service';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';

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

    it('answers 404 for a malformed or unknown id in the path', async () => {
      expectError(await t.http.get('/api/v1/posts/not-a-uuid').set(hr), 404, 'NOT_FOUND');
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
});
