import { randomBytes } from 'node:crypto';
import { ROTATION_POLICY, RotationPolicy } from '../src/rotations/rotation.types';
import { DEMO_ROTATION } from '../src/rotations/rotations.seed';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';
import { addDays, addMonths } from '../src/common/dates/calendar';
import { todayVn } from '../src/common/dates/vietnam-dates';

interface Rotation {
  id: string;
  personId: string;
  fromPost: { id: string; title: string; orgUnitId: string } | null;
  fromOrgUnitId: string;
  toPost: { id: string; title: string; orgUnitId: string };
  startDate: string;
  plannedEndDate: string;
  actualEndDate: string | null;
  status: string;
  statusLabel: string;
  fromAppointmentId: string | null;
  toAppointmentId: string | null;
  returnAppointmentId: string | null;
  endEvaluation: string | null;
  endScore: number | null;
  endLevel: string | null;
  earlyEndReason: string | null;
  cancelReason: string | null;
  retirementDate: string | null;
  serviceYearsLeftAtStart: number | null;
}
interface CurrentPost {
  appointmentId: string;
  startDate: string;
  post: { id: string; postType: string };
}

/**
 * Rotations (issue 5, item 5). Each test works in grassroots unions of its own under Hà Nội
 * (Hà Đông), so it never meets the seeded cadres; nominations are written straight into the
 * planning tables of one approved test cycle.
 */
describe('rotations', () => {
  let t: TestApp;
  let hr: { Authorization: string };
  let cycleId: string;
  let hrPersonId: string;
  const suffix = randomBytes(3).toString('hex').toUpperCase();
  let unitCount = 0;
  let idCount = 0;
  const today = todayVn();
  // Starts in the past so that "current posts" (today) show the effect of a start.
  const start = addMonths(today, -6);
  const minEnd = addDays(addMonths(start, 36), -1);

  beforeAll(async () => {
    t = await createTestApp();
    hr = bearer(t.tokens.hrHanoi);
    const [cycle] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO planning_cycles (org_unit_id, term_label, term_start, term_end, status, rules)
       VALUES ($1, 'T5R', '2028-07-01', '2033-06-30', 'approved', '{}'::jsonb) RETURNING id`,
      [await t.unitId('HN-HD')],
    );
    cycleId = cycle.id;
    const [p] = await t.dataSource.query<{ id: string }[]>(
      `SELECT person_id AS id FROM user_accounts WHERE email = 'hr.hanoi@lms.congdoan.test'`,
    );
    hrPersonId = p.id;
    // Boots the app and builds its fixtures over the API: generous on a loaded machine.
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  async function newUnit(parent = 'HN-HD', token = t.tokens.hrHanoi): Promise<string> {
    const res = await t.http
      .post('/api/v1/org-units')
      .set(bearer(token))
      .send({
        code: `T5R-${suffix}-${++unitCount}`,
        name: `Công đoàn cơ sở thử nghiệm luân chuyển ${unitCount}`,
        level: 'grassroots',
        sector: 'private',
        parentId: await t.unitId(parent),
      });
    if (res.status !== 201) throw new Error(`unit: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  async function newPerson(
    unitId: string,
    token = t.tokens.hrHanoi,
    born: { gender?: 'male' | 'female'; birthDate?: string } = {
      gender: 'female',
      birthDate: '1986-04-12',
    },
  ): Promise<string> {
    const res = await t.http
      .post('/api/v1/people')
      .set(bearer(token))
      .send({
        familyName: 'Trần',
        middleName: 'Thị',
        givenName: 'Luân',
        ...born,
        homeOrgUnitId: unitId,
        nationalId: `0015${String(70_000_000 + ++idCount).padStart(8, '0')}`,
      });
    if (res.status !== 201) throw new Error(`person: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  async function newPost(unitId: string, postType: string, token = t.tokens.hrHanoi) {
    const res = await t.http
      .post('/api/v1/posts')
      .set(bearer(token))
      .send({ orgUnitId: unitId, postType });
    if (res.status !== 201) throw new Error(`post: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  async function appoint(personId: string, postId: string, startDate = '2023-07-01') {
    const res = await t.http
      .post('/api/v1/appointments')
      .set(hr)
      .send({ personId, postId, method: 'elected', startDate });
    if (res.status !== 201) throw new Error(`appoint: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  async function approveNominee(personId: string, postId: string): Promise<void> {
    await t.dataSource.query(
      `INSERT INTO planning_cycle_posts (cycle_id, post_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [cycleId, postId],
    );
    await t.dataSource.query(
      `INSERT INTO nominations (cycle_id, post_id, person_id, readiness, status, proposed_by,
                                approved_by, approved_at, first_time)
       VALUES ($1, $2, $3, 'ready_1_2_years', 'approved', $4, $4, now(), TRUE)`,
      [cycleId, postId, personId, hrPersonId],
    );
  }

  /** A cadre holding the vice-chair post of one new union, approved for its chair. */
  async function nominee(born?: Parameters<typeof newPerson>[2]) {
    const home = await newUnit();
    const person = await newPerson(home, t.tokens.hrHanoi, born);
    const homePost = await newPost(home, 'vice_chair');
    const chair = await newPost(home, 'chair');
    const homeAppointment = await appoint(person, homePost);
    await approveNominee(person, chair);
    const away = await newUnit();
    const toPost = await newPost(away, 'vice_chair');
    return { home, person, homePost, homeAppointment, away, toPost, chair };
  }

  const create = (body: Record<string, unknown>, token = t.tokens.hrHanoi) =>
    t.http
      .post('/api/v1/rotations')
      .set(bearer(token))
      .send({ startDate: start, purpose: 'Rèn luyện thực tiễn ở cơ sở', ...body });

  const currentPosts = async (personId: string) =>
    (
      (await t.http.get(`/api/v1/people/${personId}/posts`).set(hr).expect(200)).body as {
        items: CurrentPost[];
      }
    ).items;

  const auditOf = async (id: string) =>
    (
      (await t.http.get('/api/v1/audit').query({ entityId: id }).set(hr).expect(200)).body as {
        items: { action: string; before: unknown; after: { status: string } | null }[];
      }
    ).items;

  it('plans a rotation from the current post, with the planned end defaulting to 36 months', async () => {
    const n = await nominee();
    const res = await create({ personId: n.person, toPostId: n.toPost }).expect(201);
    const r = res.body as Rotation;
    expect(r).toMatchObject({
      personId: n.person,
      fromPost: { id: n.homePost, orgUnitId: n.home },
      fromOrgUnitId: n.home,
      toPost: { id: n.toPost, orgUnitId: n.away },
      startDate: start,
      plannedEndDate: minEnd,
      status: 'planned',
      statusLabel: 'Đã lên kế hoạch',
      fromAppointmentId: null,
      toAppointmentId: null,
      // Born 04/1986, she retires at 60 (the roadmap's end) on 30/04/2046.
      retirementDate: '2046-04-30',
      serviceYearsLeftAtStart: expect.any(Number),
      earlyEndReason: null,
    });
    expect(await auditOf(r.id)).toEqual([
      expect.objectContaining({
        action: 'rotation.create',
        before: null,
        after: expect.objectContaining({ status: 'planned' }),
      }),
    ]);
    const got = await t.http.get(`/api/v1/rotations/${r.id}`).set(hr).expect(200);
    expect(got.body).toEqual(r);
  });

  it('refuses a planned end under 36 months: 422 ROTATION_TOO_SHORT (the minimum is inclusive)', async () => {
    const n = await nominee();
    const short = await create({
      personId: n.person,
      toPostId: n.toPost,
      plannedEndDate: addDays(minEnd, -1),
    });
    expectError(short, 422, 'ROTATION_TOO_SHORT', ['plannedEndDate']);
    await create({ personId: n.person, toPostId: n.toPost, plannedEndDate: minEnd }).expect(201);
  });

  it('refuses a person who is not an approved nominee (422 ROTATION_NOT_NOMINEE), unless configured off', async () => {
    const home = await newUnit();
    const person = await newPerson(home);
    await appoint(person, await newPost(home, 'vice_chair'));
    const toPost = await newPost(await newUnit(), 'vice_chair');
    expectError(await create({ personId: person, toPostId: toPost }), 422, 'ROTATION_NOT_NOMINEE');

    // A proposed (not yet approved) nomination is not enough either.
    const chair = await newPost(home, 'chair');
    await t.dataSource.query(
      `INSERT INTO planning_cycle_posts (cycle_id, post_id) VALUES ($1, $2)`,
      [cycleId, chair],
    );
    await t.dataSource.query(
      `INSERT INTO nominations (cycle_id, post_id, person_id, readiness, status, first_time)
       VALUES ($1, $2, $3, 'ready_now', 'proposed', TRUE)`,
      [cycleId, chair, person],
    );
    expectError(await create({ personId: person, toPostId: toPost }), 422, 'ROTATION_NOT_NOMINEE');

    const policy = t.app.get<RotationPolicy>(ROTATION_POLICY);
    policy.requireApprovedNominee = false;
    try {
      await create({ personId: person, toPostId: toPost }).expect(201);
    } finally {
      policy.requireApprovedNominee = true;
    }
  });

  it('refuses overlapping rotations of one person (409 ROTATION_OVERLAP) but takes the next one', async () => {
    const n = await nominee();
    await create({ personId: n.person, toPostId: n.toPost }).expect(201);
    const other = await newPost(await newUnit(), 'vice_chair');
    const overlap = await create({
      personId: n.person,
      toPostId: other,
      startDate: addMonths(start, 12),
      plannedEndDate: addMonths(start, 60),
    });
    expectError(overlap, 409, 'ROTATION_OVERLAP', ['startDate']);
    await create({
      personId: n.person,
      toPostId: other,
      startDate: addDays(minEnd, 1),
    }).expect(201);
  });

  it('lets exactly one of two concurrent overlapping creates through', async () => {
    const n = await nominee();
    const other = await newPost(await newUnit(), 'vice_chair');
    const results = await Promise.all([
      create({ personId: n.person, toPostId: n.toPost }),
      create({ personId: n.person, toPostId: other }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expectError(
      results.find((r) => r.status === 409)!,
      409,
      'ROTATION_OVERLAP',
    );
    const [{ count }] = await t.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM rotations WHERE person_id = $1`,
      [n.person],
    );
    expect(Number(count)).toBe(1);
  });

  it('refuses the post already held (422 ROTATION_SAME_POST) and a from-post not held (422)', async () => {
    const n = await nominee();
    expectError(
      await create({ personId: n.person, toPostId: n.homePost }),
      422,
      'ROTATION_SAME_POST',
      ['toPostId'],
    );
    expectError(
      await create({ personId: n.person, fromPostId: n.chair, toPostId: n.toPost }),
      422,
      'ROTATION_FROM_POST_NOT_HELD',
      ['fromPostId'],
    );
  });

  it('starts: ends the home appointment the day before and appoints to the to-post, in one go', async () => {
    const n = await nominee();
    expect((await currentPosts(n.person)).map((c) => c.post.id)).toEqual([n.homePost]);
    const planned = (await create({ personId: n.person, toPostId: n.toPost }).expect(201))
      .body as Rotation;
    const started = (await t.http.post(`/api/v1/rotations/${planned.id}/start`).set(hr).expect(200))
      .body as Rotation;
    expect(started).toMatchObject({
      status: 'active',
      fromAppointmentId: n.homeAppointment,
      toAppointmentId: expect.any(String),
    });
    const now = await currentPosts(n.person);
    expect(now.map((c) => [c.post.id, c.appointmentId, c.startDate])).toEqual([
      [n.toPost, started.toAppointmentId, start],
    ]);
    const [home] = await t.dataSource.query<{ status: string; end_date: string }[]>(
      `SELECT status, end_date::text FROM appointments WHERE id = $1`,
      [n.homeAppointment],
    );
    expect(home).toEqual({ status: 'ended', end_date: addDays(start, -1) });
    expectError(
      await t.http.post(`/api/v1/rotations/${planned.id}/start`).set(hr),
      409,
      'ROTATION_STATUS_INVALID',
    );
    expect((await auditOf(planned.id)).map((a) => a.action)).toEqual([
      'rotation.start',
      'rotation.create',
    ]);
  });

  it('refuses the whole start when the single-holder to-post is taken: nothing is written', async () => {
    const n = await nominee();
    const chairAway = await newPost(n.away, 'chair');
    await appoint(await newPerson(n.away), chairAway);
    const planned = (await create({ personId: n.person, toPostId: chairAway }).expect(201))
      .body as Rotation;
    const res = await t.http.post(`/api/v1/rotations/${planned.id}/start`).set(hr);
    expectError(res, 409, 'APPOINTMENT_OVERLAP');
    expect((await currentPosts(n.person)).map((c) => c.appointmentId)).toEqual([n.homeAppointment]);
    const [home] = await t.dataSource.query<{ status: string; end_date: string | null }[]>(
      `SELECT status, end_date::text FROM appointments WHERE id = $1`,
      [n.homeAppointment],
    );
    expect(home).toEqual({ status: 'active', end_date: null });
    const again = (await t.http.get(`/api/v1/rotations/${planned.id}`).set(hr).expect(200))
      .body as Rotation;
    expect(again.status).toBe('planned');
    expect((await auditOf(planned.id)).map((a) => a.action)).toEqual(['rotation.create']);
  });

  it('completes with the end evaluation: the to-post appointment ends, home is not restored by default', async () => {
    const n = await nominee();
    const r = (await create({ personId: n.person, toPostId: n.toPost }).expect(201))
      .body as Rotation;
    const started = (await t.http.post(`/api/v1/rotations/${r.id}/start`).set(hr).expect(200))
      .body as Rotation;
    const endDate = addDays(today, -1);
    const done = await t.http
      .post(`/api/v1/rotations/${r.id}/complete`)
      .set(hr)
      .send({
        endDate,
        evaluation: { text: 'Hoàn thành tốt nhiệm vụ luân chuyển', score: 86.5 },
        earlyEndReason: 'Được điều động về cơ quan LĐLĐ',
      })
      .expect(200);
    expect(done.body).toMatchObject({
      status: 'completed',
      actualEndDate: endDate,
      endEvaluation: 'Hoàn thành tốt nhiệm vụ luân chuyển',
      endScore: 86.5,
      endLevel: 'good',
      endLevelLabel: 'Hoàn thành tốt nhiệm vụ',
      returnAppointmentId: null,
      earlyEndReason: 'Được điều động về cơ quan LĐLĐ',
      statusLabel: 'Đã hoàn thành',
    });
    expect(await currentPosts(n.person)).toEqual([]);
    const [away] = await t.dataSource.query<{ status: string; end_date: string }[]>(
      `SELECT status, end_date::text FROM appointments WHERE id = $1`,
      [started.toAppointmentId],
    );
    expect(away).toEqual({ status: 'ended', end_date: endDate });
    expectError(
      await t.http
        .post(`/api/v1/rotations/${r.id}/cancel`)
        .set(hr)
        .send({ reason: 'Muộn', endDate }),
      409,
      'ROTATION_STATUS_INVALID',
    );
  });

  it('completes with returnToHomePost: the person holds the home post again from the next day', async () => {
    const n = await nominee();
    const r = (await create({ personId: n.person, toPostId: n.toPost }).expect(201))
      .body as Rotation;
    await t.http.post(`/api/v1/rotations/${r.id}/start`).set(hr).expect(200);
    const endDate = addDays(today, -1);
    const done = (
      await t.http
        .post(`/api/v1/rotations/${r.id}/complete`)
        .set(hr)
        .send({
          endDate,
          evaluation: { text: 'Xuất sắc', level: 'excellent' },
          returnToHomePost: true,
          earlyEndReason: 'Trở lại đảm nhiệm chức danh cũ theo yêu cầu của đơn vị',
        })
        .expect(200)
    ).body as Rotation;
    expect(done).toMatchObject({ endLevel: 'excellent', endScore: null });
    expect(
      (await currentPosts(n.person)).map((c) => [c.post.id, c.appointmentId, c.startDate]),
    ).toEqual([[n.homePost, done.returnAppointmentId, today]]);
  });

  it('checks the end evaluation: a level that contradicts the score is 400 with details', async () => {
    const n = await nominee();
    const r = (await create({ personId: n.person, toPostId: n.toPost }).expect(201))
      .body as Rotation;
    await t.http.post(`/api/v1/rotations/${r.id}/start`).set(hr).expect(200);
    const res = await t.http
      .post(`/api/v1/rotations/${r.id}/complete`)
      .set(hr)
      .send({ endDate: today, evaluation: { text: 'x', score: 40, level: 'excellent' } });
    expectError(res, 400, 'VALIDATION_FAILED', ['evaluation.level']);
    expect(res.body.details[0].message).toBe('Điểm 40 là mức "Không hoàn thành nhiệm vụ".');
    const early = await t.http
      .post(`/api/v1/rotations/${r.id}/complete`)
      .set(hr)
      .send({ endDate: addDays(start, -1), evaluation: { text: 'x' } });
    expectError(early, 400, 'DATE_RANGE_INVALID', ['endDate']);
  });

  it('cancels: planned without touching appointments, active with an end date (required)', async () => {
    const a = await nominee();
    const planned = (await create({ personId: a.person, toPostId: a.toPost }).expect(201))
      .body as Rotation;
    expectError(
      await t.http
        .post(`/api/v1/rotations/${planned.id}/complete`)
        .set(hr)
        .send({ endDate: today, evaluation: { text: 'x' } }),
      409,
      'ROTATION_STATUS_INVALID',
    );
    const cancelled = await t.http
      .post(`/api/v1/rotations/${planned.id}/cancel`)
      .set(hr)
      .send({ reason: 'Thay đổi kế hoạch' })
      .expect(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Thay đổi kế hoạch',
    });
    expect((await currentPosts(a.person)).map((c) => c.post.id)).toEqual([a.homePost]);
    expectError(
      await t.http.post(`/api/v1/rotations/${planned.id}/start`).set(hr),
      409,
      'ROTATION_STATUS_INVALID',
    );
    // A cancelled rotation no longer blocks its period.
    await create({ personId: a.person, toPostId: a.toPost }).expect(201);

    const b = await nominee();
    const r = (await create({ personId: b.person, toPostId: b.toPost }).expect(201))
      .body as Rotation;
    await t.http.post(`/api/v1/rotations/${r.id}/start`).set(hr).expect(200);
    expectError(
      await t.http.post(`/api/v1/rotations/${r.id}/cancel`).set(hr).send({ reason: 'Dừng' }),
      400,
      'VALIDATION_FAILED',
      ['endDate'],
    );
    await t.http
      .post(`/api/v1/rotations/${r.id}/cancel`)
      .set(hr)
      .send({ reason: 'Dừng', endDate: addDays(today, -1), returnToHomePost: true })
      .expect(200);
    expect((await currentPosts(b.person)).map((c) => c.post.id)).toEqual([b.homePost]);
  });

  it('answers 400 with details for bad bodies', async () => {
    const n = await nominee();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ personId: 'x', toPostId: n.toPost }, ['personId']],
      [{ personId: n.person }, ['toPostId']],
      [{ personId: n.person, toPostId: n.toPost, startDate: '2026-02-30' }, ['startDate']],
      [
        { personId: n.person, toPostId: n.toPost, plannedEndDate: addDays(start, -1) },
        ['plannedEndDate'],
      ],
      [{ personId: n.person, toPostId: n.toPost, purpose: '   ' }, ['purpose']],
      [{ personId: n.person, toPostId: n.toPost, status: 'active' }, ['status']],
    ];
    for (const [body, fields] of cases) {
      expectError(await create(body), 400, 'VALIDATION_FAILED', fields);
    }
    const r = (await create({ personId: n.person, toPostId: n.toPost }).expect(201))
      .body as Rotation;
    await t.http.post(`/api/v1/rotations/${r.id}/start`).set(hr).expect(200);
    for (const [body, fields] of [
      [{ endDate: today }, ['evaluation']],
      [{ endDate: today, evaluation: { text: '' } }, ['evaluation.text']],
      [{ endDate: today, evaluation: { text: 'x', score: 101 } }, ['evaluation.score']],
      [{ endDate: today, evaluation: { text: 'x', score: 1e-7 } }, ['evaluation.score']],
      [{ endDate: 'hôm nay', evaluation: { text: 'x' } }, ['endDate']],
    ] as [Record<string, unknown>, string[]][]) {
      expectError(
        await t.http.post(`/api/v1/rotations/${r.id}/complete`).set(hr).send(body),
        400,
        'VALIDATION_FAILED',
        fields,
      );
    }
    expectError(
      await t.http.post(`/api/v1/rotations/${r.id}/cancel`).set(hr).send({}),
      400,
      'VALIDATION_FAILED',
      ['reason'],
    );
  });

  it('answers 404 outside the HR scope and 403 without the HR role', async () => {
    const admin = t.tokens.admin;
    // A Bắc Ninh cadre holding no post (so the rotation has no from-post), set up by the admin.
    const bnUnit = await newUnit('BN-TS', admin);
    const bnPerson = await newPerson(bnUnit, admin);
    const bnAway = await newPost(await newUnit('BN-TS', admin), 'vice_chair', admin);
    await approveNominee(bnPerson, await newPost(bnUnit, 'chair', admin));
    const bnRotation = (await create({ personId: bnPerson, toPostId: bnAway }, admin).expect(201))
      .body as Rotation;
    expect(bnRotation.fromPost).toBeNull();

    const n = await nominee();
    expectError(await create({ personId: bnPerson, toPostId: n.toPost }), 404, 'PERSON_NOT_FOUND');
    expectError(await create({ personId: n.person, toPostId: bnAway }), 404, 'POST_NOT_FOUND');
    for (const path of ['', '/start']) {
      const res = path
        ? await t.http.post(`/api/v1/rotations/${bnRotation.id}${path}`).set(hr)
        : await t.http.get(`/api/v1/rotations/${bnRotation.id}`).set(hr);
      expectError(res, 404, 'ROTATION_NOT_FOUND');
    }
    expectError(
      await t.http.post(`/api/v1/rotations/${bnRotation.id}/cancel`).set(hr).send({ reason: 'x' }),
      404,
      'ROTATION_NOT_FOUND',
    );
    expectError(
      await t.http
        .post(`/api/v1/rotations/${bnRotation.id}/complete`)
        .set(hr)
        .send({ endDate: today, evaluation: { text: 'x' }, earlyEndReason: 'Lý do' }),
      404,
      'ROTATION_NOT_FOUND',
    );
    expectError(
      await t.http.get(`/api/v1/people/${bnPerson}/rotations`).set(hr),
      404,
      'PERSON_NOT_FOUND',
    );
    expectError(await t.http.get('/api/v1/rotations/not-a-uuid').set(hr), 400, 'VALIDATION_FAILED');

    const r = (await create({ personId: n.person, toPostId: n.toPost }).expect(201))
      .body as Rotation;
    for (const token of [t.tokens.officerHanoi, t.tokens.chair]) {
      expectError(
        await create({ personId: n.person, toPostId: n.toPost }, token),
        403,
        'FORBIDDEN',
      );
      expectError(
        await t.http.get(`/api/v1/rotations/${r.id}`).set(bearer(token)),
        403,
        'FORBIDDEN',
      );
      for (const path of ['start', 'complete', 'cancel']) {
        expectError(
          await t.http.post(`/api/v1/rotations/${r.id}/${path}`).set(bearer(token)).send({}),
          403,
          'FORBIDDEN',
        );
      }
      expectError(
        await t.http.get(`/api/v1/people/${n.person}/rotations`).set(bearer(token)),
        403,
        'FORBIDDEN',
      );
    }
    expectError(await t.http.get(`/api/v1/rotations/${r.id}`), 401, 'UNAUTHENTICATED');
  });

  it('lists a person’s rotations, latest first, keyset paged', async () => {
    const n = await nominee();
    const first = (await create({ personId: n.person, toPostId: n.toPost }).expect(201))
      .body as Rotation;
    const second = (
      await create({
        personId: n.person,
        toPostId: n.toPost,
        startDate: addDays(minEnd, 1),
      }).expect(201)
    ).body as Rotation;
    const page1 = await t.http
      .get(`/api/v1/people/${n.person}/rotations`)
      .query({ limit: 1 })
      .set(hr)
      .expect(200);
    expect(page1.body.items.map((r: Rotation) => r.id)).toEqual([second.id]);
    const page2 = await t.http
      .get(`/api/v1/people/${n.person}/rotations`)
      .query({ limit: 1, cursor: page1.body.nextCursor })
      .set(hr)
      .expect(200);
    expect(page2.body.items.map((r: Rotation) => r.id)).toEqual([first.id]);
    expect(page2.body.nextCursor).toBeNull();
  });

  describe('the minimum length and the years of service left (issue 11)', () => {
    const policy = () => t.app.get<RotationPolicy>(ROTATION_POLICY);
    const dmy = (iso: string) => iso.split('-').reverse().join('/');

    async function activeRotation(startDate = start) {
      const n = await nominee();
      const r = (await create({ personId: n.person, toPostId: n.toPost, startDate }).expect(201))
        .body as Rotation;
      await t.http.post(`/api/v1/rotations/${r.id}/start`).set(hr).expect(200);
      return { n, r };
    }

    const complete = (id: string, body: Record<string, unknown>, headers = {}) =>
      t.http
        .post(`/api/v1/rotations/${id}/complete`)
        .set(hr)
        .set(headers)
        .send({ evaluation: { text: 'Hoàn thành nhiệm vụ', score: 75 }, ...body });

    it('refuses to complete before the minimum length without a reason; nothing is written', async () => {
      const { r } = await activeRotation();
      const endDate = addDays(today, -1);
      const res = await complete(r.id, { endDate });
      expectError(res, 422, 'ROTATION_EARLY_END_REASON', ['earlyEndReason']);
      expect(res.body.message).toBe(
        `Kết thúc luân chuyển ngày ${dmy(endDate)}, trước thời hạn tối thiểu 36 tháng ` +
          `(từ ngày ${dmy(minEnd)}), phải nêu lý do.`,
      );
      const english = await complete(r.id, { endDate }, { 'Accept-Language': 'en' });
      expect(english.body.message).toBe(
        `Ending the rotation on ${dmy(endDate)}, before its minimum of 36 months ` +
          `(from ${dmy(minEnd)}), needs a reason.`,
      );
      const still = (await t.http.get(`/api/v1/rotations/${r.id}`).set(hr).expect(200))
        .body as Rotation;
      expect(still).toMatchObject({ status: 'active', actualEndDate: null, earlyEndReason: null });
      const [away] = await t.dataSource.query<{ status: string }[]>(
        `SELECT status FROM appointments WHERE id = $1`,
        [still.toAppointmentId],
      );
      expect(away.status).toBe('active');
      for (const [body, fields] of [
        [{ endDate, earlyEndReason: '   ' }, ['earlyEndReason']],
        [{ endDate, earlyEndReason: 5 }, ['earlyEndReason']],
        [{ endDate, earlyEndReason: 'x'.repeat(1001) }, ['earlyEndReason']],
        [{ endDate, earlyEndReason: 'Lý do', early: true }, ['early']],
      ] as [Record<string, unknown>, string[]][]) {
        expectError(await complete(r.id, body), 400, 'VALIDATION_FAILED', fields);
      }
    });

    it('completes early with a reason, recorded on the rotation and in the audit log', async () => {
      const { r } = await activeRotation();
      const endDate = addDays(today, -1);
      const reason = 'Được bầu làm Chủ tịch công đoàn cơ sở tại đơn vị cũ';
      const done = await complete(r.id, { endDate, earlyEndReason: reason }).expect(200);
      expect(done.body).toMatchObject({
        status: 'completed',
        actualEndDate: endDate,
        earlyEndReason: reason,
      });
      const [entry] = await auditOf(r.id);
      expect(entry).toMatchObject({
        action: 'rotation.complete',
        before: expect.objectContaining({ status: 'active', earlyEndReason: null }),
        after: expect.objectContaining({ status: 'completed', earlyEndReason: reason }),
      });
    });

    it('completes a rotation that ran its length without a reason, and refuses one given', async () => {
      // Started 37 months ago: the minimum (inclusive) ends a month ago.
      const started = addMonths(today, -37);
      const fullEnd = addDays(addMonths(started, 36), -1);
      const a = await activeRotation(started);
      expectError(
        await complete(a.r.id, { endDate: fullEnd, earlyEndReason: 'Không cần' }),
        400,
        'VALIDATION_FAILED',
        ['earlyEndReason'],
      );
      const done = await complete(a.r.id, { endDate: fullEnd }).expect(200);
      expect(done.body).toMatchObject({ status: 'completed', earlyEndReason: null });
      // One day short of the minimum is early.
      const b = await activeRotation(started);
      expectError(
        await complete(b.r.id, { endDate: addDays(fullEnd, -1) }),
        422,
        'ROTATION_EARLY_END_REASON',
      );
    });

    it('needs 10 years of service left at the start, to the statutory retirement date', async () => {
      // A man born 02/1970 reaches 62 in 02/2032: about 5 years after the start.
      const n = await nominee({ gender: 'male', birthDate: '1970-02-10' });
      const res = await create({ personId: n.person, toPostId: n.toPost });
      expectError(res, 422, 'ROTATION_SERVICE_YEARS', ['startDate']);
      expect(res.body.message).toMatch(
        /^Cán bộ luân chuyển phải còn ít nhất 10 năm công tác khi bắt đầu luân chuyển \(nghỉ hưu ngày 29\/02\/2032, còn \d+(,\d)? năm\)\.$/,
      );
      // A woman born 03/1970 retires at 57 years 4 months (07/2027), not at a flat 60.
      const w = await nominee({ gender: 'female', birthDate: '1970-03-20' });
      const refused = await create({ personId: w.person, toPostId: w.toPost });
      expectError(refused, 422, 'ROTATION_SERVICE_YEARS');
      expect(refused.body.message).toContain('nghỉ hưu ngày 31/07/2027');
      const noBirth = await nominee({ gender: 'male' });
      expectError(
        await create({ personId: noBirth.person, toPostId: noBirth.toPost }),
        422,
        'ROTATION_RETIREMENT_UNKNOWN',
        ['personId'],
      );
      // "5 in some cases": a deployment lowers the threshold.
      policy().minServiceYearsLeft = 5;
      try {
        const ok = await create({ personId: n.person, toPostId: n.toPost }).expect(201);
        expect((ok.body as Rotation).retirementDate).toBe('2032-02-29');
      } finally {
        policy().minServiceYearsLeft = 10;
      }
    });

    it('words statuses and dates for people: labels, dd/mm/yyyy, Vietnamese or English', async () => {
      const n = await nominee();
      const first = (await create({ personId: n.person, toPostId: n.toPost }).expect(201))
        .body as Rotation;
      const overlap = await create({ personId: n.person, toPostId: n.toPost });
      expectError(overlap, 409, 'ROTATION_OVERLAP', ['startDate']);
      expect(overlap.body.message).toBe(
        `Cán bộ đã có kế hoạch luân chuyển trùng thời gian (${dmy(start)} – ${dmy(minEnd)}).`,
      );
      expect(overlap.body.details[0].message).toBe(
        `Trùng thời gian với kế hoạch luân chuyển ${first.id} (${dmy(start)} – ${dmy(minEnd)}).`,
      );
      await t.http
        .post(`/api/v1/rotations/${first.id}/cancel`)
        .set(hr)
        .send({ reason: 'Thay đổi kế hoạch' })
        .expect(200);
      const again = await t.http.post(`/api/v1/rotations/${first.id}/start`).set(hr);
      expectError(again, 409, 'ROTATION_STATUS_INVALID');
      expect(again.body.message).toBe(
        'Không thể chuyển kế hoạch luân chuyển từ trạng thái "Đã hủy" sang "Đang luân chuyển".',
      );
      const english = await t.http
        .post(`/api/v1/rotations/${first.id}/start`)
        .set(hr)
        .set('Accept-Language', 'en');
      expect(english.body.message).toBe('A rotation cannot move from "Cancelled" to "Active".');
      const got = await t.http
        .get(`/api/v1/rotations/${first.id}`)
        .set(hr)
        .set('Accept-Language', 'en')
        .expect(200);
      expect(got.body.statusLabel).toBe('Cancelled');
    });
  });

  it('seeds one active rotation of an approved nominee, with its appointments changed', async () => {
    const [person] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM people WHERE email = $1`,
      [`${DEMO_ROTATION.person.toLowerCase()}@example.vn`],
    );
    const list = await t.http.get(`/api/v1/people/${person.id}/rotations`).set(hr).expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        status: 'active',
        startDate: DEMO_ROTATION.start,
        plannedEndDate: DEMO_ROTATION.plannedEnd,
        toPost: expect.objectContaining({ title: 'Phó Chủ tịch' }),
      }),
    ]);
    const rotation = list.body.items[0] as Rotation;
    const posts = await currentPosts(person.id);
    expect(posts.map((p) => p.appointmentId)).toEqual([rotation.toAppointmentId]);
    const [nominee] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM nominations n JOIN planning_cycles c ON c.id = n.cycle_id
        WHERE n.person_id = $1 AND n.status = 'approved' AND c.status IN ('open', 'approved')`,
      [person.id],
    );
    expect(Number(nominee.n)).toBeGreaterThanOrEqual(1);
  });
});
