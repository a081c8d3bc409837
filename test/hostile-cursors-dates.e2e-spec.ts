import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { createApiDocument } from '../src/common/openapi/document';
import { expectError } from './expect-error';
import { createAssignment, createProgramme, personIdByEmail } from './support/programme-fixtures';
import { bearer, createTestApp, DEMO, DemoAccount, TestApp } from './support/test-app';

/**
 * Issue 13, items 5 and 6: what a client may put in a cursor or a date never reaches SQL or date
 * arithmetic unchecked. Every list that takes a cursor refuses a hostile one with 400
 * INVALID_CURSOR (never a 500), and every date field of a body or a query refuses a day that
 * does not exist or lies outside its range with a 4xx naming the field.
 */

type Kind = 'text' | 'uuid' | 'int' | 'date' | 'timestamp' | readonly string[];

interface CursorList {
  /** The OpenAPI path, /api/v1/… with {id}. */
  path: string;
  as: DemoAccount;
  /** The kind of each position of the list's cursor (see CursorPart in page.ts). */
  shape: readonly Kind[];
  query?: Record<string, string | number>;
}

const UUID = '3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41';
const POST_TYPES = ['chair', 'vice_chair'] as const;
const READINESS = ['ready_now', 'ready_1_2_years', 'ready_3_plus_years'] as const;

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

const SAMPLE: Record<string, unknown> = {
  text: 'a',
  uuid: UUID,
  int: 2026,
  date: '2026-01-01',
  timestamp: '2026-01-01T00:00:00.000000Z',
};
const sampleOf = (kind: Kind): unknown => (typeof kind === 'string' ? SAMPLE[kind] : kind[0]);

/** Values that are not of a kind, or out of its range. */
const HOSTILE: Record<string, unknown[]> = {
  timestamp: [
    '2026-01-01T00:00:00+99:00',
    '2026-01-01T00:00:00+14:01',
    '2026-02-30T00:00:00Z',
    '2026-01-01T25:00:00Z',
    '0001-01-01T00:00:00Z',
    '275760-09-13T00:00:00Z',
    'yesterday',
    1767225600000,
    null,
  ],
  date: ['2026-02-30', '9999-99-99', '0001-01-01', '2026-01-01T00:00:00+99:00', 20260101, null],
  uuid: ['not-a-uuid', `${UUID}' OR '1'='1`, 42, null],
  int: [Number.MAX_SAFE_INTEGER + 2, 2_147_483_648, -2_147_483_649, 1.5, '2026', null],
  text: ['x'.repeat(301), 'a\u0000b', '\ud800', 5, null, {}],
  enum: ['president', 5, null],
};
const hostileOf = (kind: Kind): unknown[] =>
  typeof kind === 'string' ? HOSTILE[kind] : HOSTILE.enum;

describe('hostile cursors and dates at the edges (issue 13, items 5 and 6)', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const suffix = randomBytes(3).toString('hex').toUpperCase();

  beforeAll(async () => {
    t = await createTestApp();
    const ds = t.dataSource;
    ids.unit = await t.unitId('HN-HD-MAY');
    ids.person = await personIdByEmail(ds, DEMO.chair);
    const [post] = await ds.query<{ id: string }[]>(
      `SELECT p.id FROM posts p WHERE p.org_unit_id = $1 ORDER BY p.post_type LIMIT 1`,
      [ids.unit],
    );
    ids.post = post.id;
    ids.programme = await createProgramme(ds, {
      code: `T13C-${suffix}`,
      title: 'Chương trình thử con trỏ',
      courseCodes: [],
      ownerUnit: 'HN',
    });
    ids.assignment = await createAssignment(
      ds,
      ids.programme,
      'HN-HD-MAY',
      [ids.person],
      '2026-01-01',
    );
    const cycle = await t.http
      .post('/api/v1/planning-cycles')
      .set(bearer(t.tokens.admin))
      .send({
        orgUnitId: ids.unit,
        termStart: '2028-07-01',
        termEnd: '2033-06-30',
        postIds: [ids.post],
      });
    if (cycle.status !== 201)
      throw new Error(`cycle: ${cycle.status} ${JSON.stringify(cycle.body)}`);
    ids.cycle = (cycle.body as { id: string }).id;
    // An import to list the rows of: an administrator's dry run of one unit.
    const csv =
      '\ufeffMã đơn vị,Tên đơn vị,Cấp,Mã đơn vị cấp trên\r\nHN-CUR-1,Công đoàn thử,Công đoàn cơ sở,HN-HD\r\n';
    const dry = await t.http
      .post('/api/v1/imports')
      .set(bearer(t.tokens.admin))
      .field('kind', 'org_units')
      .attach('file', Buffer.from(csv, 'utf8'), 'don-vi.csv');
    if (dry.status !== 200) throw new Error(`import: ${dry.status} ${JSON.stringify(dry.body)}`);
    ids.import = (dry.body as { id: string }).id;
    // A question bank of the demo to list the questions of.
    const [bank] = await ds.query<{ id: string }[]>(`SELECT id FROM question_banks LIMIT 1`);
    ids.bank = bank.id;
    // A classroom session of a Hà Nội course to list the bookings of (the demo schedules none).
    const [session] = await ds.query<{ id: string }[]>(
      `INSERT INTO class_sessions (course_id, title, venue_name, venue_capacity, signup_opens_at,
                                   signup_closes_at, max_seats)
       SELECT c.id, 'Lớp thử con trỏ', 'Hội trường', 30, '2026-01-01T00:00Z', '2026-01-02T00:00Z', 30
         FROM courses c JOIN org_units o ON o.id = c.owner_org_unit_id
        WHERE o.code = 'HN' ORDER BY c.id LIMIT 1
       RETURNING id`,
    );
    ids.session = session.id;
  });

  afterAll(async () => {
    await t.close();
  });

  /** Every list that takes a cursor, with the kinds its cursor holds and an id to list under. */
  const LISTS: (CursorList & { id?: string })[] = [
    { path: '/api/v1/accounts', as: 'admin', shape: ['text', 'uuid'] },
    { path: '/api/v1/audit', as: 'admin', shape: ['timestamp', 'uuid'] },
    { path: '/api/v1/courses', as: 'admin', shape: ['text', 'int'] },
    { path: '/api/v1/frameworks', as: 'admin', shape: ['text'] },
    { path: '/api/v1/imports/{id}/rows', as: 'admin', shape: ['text', 'int'] },
    { path: '/api/v1/me/attempts', as: 'chair', shape: ['timestamp', 'uuid'] },
    { path: '/api/v1/me/bookings', as: 'chair', shape: ['int'] },
    { path: '/api/v1/me/enrolments', as: 'chair', shape: ['timestamp', 'uuid'] },
    { path: '/api/v1/me/notifications', as: 'chair', shape: ['timestamp', 'uuid'] },
    { path: '/api/v1/me/profile/change-requests', as: 'chair', shape: ['timestamp', 'uuid'] },
    { path: '/api/v1/notifications/outbox', as: 'admin', shape: ['timestamp', 'uuid'] },
    { path: '/api/v1/org-units', as: 'admin', shape: ['text', 'uuid'] },
    { path: '/api/v1/org-units/{id}/competency-heatmap', as: 'admin', shape: ['text', 'uuid'] },
    {
      path: '/api/v1/org-units/{id}/evaluations',
      as: 'admin',
      shape: ['text', 'uuid'],
      query: { year: 2025 },
    },
    { path: '/api/v1/org-units/{id}/pipeline', as: 'admin', shape: ['text', POST_TYPES, 'uuid'] },
    { path: '/api/v1/org-units/{id}/posts', as: 'admin', shape: [POST_TYPES, 'uuid'] },
    { path: '/api/v1/org-units/{id}/terms', as: 'admin', shape: ['date', 'uuid'] },
    { path: '/api/v1/people', as: 'admin', shape: ['text', 'uuid'] },
    { path: '/api/v1/people/{id}/evaluations', as: 'admin', shape: ['int', 'int'] },
    { path: '/api/v1/people/{id}/ratings', as: 'admin', shape: ['date', 'uuid'] },
    { path: '/api/v1/people/{id}/rotations', as: 'admin', shape: ['date', 'uuid'] },
    { path: '/api/v1/planning-cycles', as: 'admin', shape: ['date', 'uuid'] },
    {
      path: '/api/v1/planning-cycles/{id}/nominations',
      as: 'admin',
      shape: ['uuid', READINESS, 'uuid'],
    },
    { path: '/api/v1/planning-cycles/{id}/reviews', as: 'admin', shape: ['int', 'uuid'] },
    { path: '/api/v1/posts/{id}/holders', as: 'admin', shape: ['date', 'uuid'] },
    { path: '/api/v1/profile-change-requests', as: 'admin', shape: ['timestamp', 'uuid'] },
    { path: '/api/v1/programmes', as: 'admin', shape: ['text', 'uuid'] },
    { path: '/api/v1/programmes/{id}/assignments', as: 'admin', shape: ['timestamp', 'uuid'] },
    { path: '/api/v1/question-banks', as: 'admin', shape: ['text', 'uuid'] },
    { path: '/api/v1/question-banks/{id}/questions', as: 'admin', shape: ['timestamp', 'uuid'] },
    // Bookings in request order: the waitlist's own order (an integer sequence).
    { path: '/api/v1/sessions/{id}/bookings', as: 'admin', shape: ['int'] },
    // The officers' session calendar of a month: by first day, then id.
    {
      path: '/api/v1/sessions',
      as: 'admin',
      shape: ['timestamp', 'uuid'],
      query: { month: '2026-01' },
    },
    { path: '/api/v1/assignments/{id}/overdue', as: 'admin', shape: ['date', 'uuid'] },
    // The grading queue reads its cursor before the assessment: a hostile one is 400 whatever the id.
    {
      path: '/api/v1/assessments/{id}/marking',
      as: 'admin',
      shape: ['timestamp', 'uuid', 'int'],
    },
  ];

  /** The resource each path lists under. */
  function urlOf(path: string): string {
    const prefix = path.split('/{id}')[0];
    const id = prefix.endsWith('/org-units')
      ? ids.unit
      : prefix.endsWith('/people')
        ? ids.person
        : prefix.endsWith('/planning-cycles')
          ? ids.cycle
          : prefix.endsWith('/posts')
            ? ids.post
            : prefix.endsWith('/imports')
              ? ids.import
              : prefix.endsWith('/programmes')
                ? ids.programme
                : prefix.endsWith('/question-banks')
                  ? ids.bank
                  : prefix.endsWith('/sessions')
                    ? ids.session
                    : ids.assignment;
    return path.replace('{id}', id);
  }

  const list = (l: CursorList, cursor: string): Promise<Response> =>
    t.http
      .get(urlOf(l.path))
      .query({ ...l.query, cursor })
      .set(bearer(t.tokens[l.as]));

  it('knows every list of the API that takes a cursor', () => {
    const document = createApiDocument(t.app);
    const withCursor = Object.entries(document.paths)
      .filter(([, item]) =>
        (item.get?.parameters ?? []).some(
          (p) => 'name' in p && p.name === 'cursor' && p.in === 'query',
        ),
      )
      .map(([path]) => path)
      .sort();
    expect(LISTS.map((l) => l.path).sort()).toEqual(withCursor);
  });

  it.each(LISTS.map((l) => [l.path, l] as const))(
    '%s refuses a hostile cursor with 400 INVALID_CURSOR and takes a well-formed one',
    async (_, l) => {
      const valid = l.shape.map(sampleOf);
      const hostile: string[] = [
        '!!!',
        'e30',
        cursorOf({ key: valid }),
        cursorOf([]),
        cursorOf([...valid, 1]),
        cursorOf(valid.slice(1)),
        Buffer.from(`[${valid.map(() => '1e400').join(',')}]`, 'utf8').toString('base64url'),
      ];
      l.shape.forEach((kind, i) => {
        for (const bad of hostileOf(kind)) {
          hostile.push(cursorOf(valid.map((v, j) => (j === i ? bad : v))));
        }
      });
      for (const cursor of hostile) {
        const res = await list(l, cursor);
        if (res.status !== 400 || res.body?.code !== 'INVALID_CURSOR') {
          throw new Error(
            `${l.path} cursor ${Buffer.from(cursor, 'base64url').toString('utf8')}: ` +
              `${res.status} ${JSON.stringify(res.body)}`,
          );
        }
        expectError(res, 400, 'INVALID_CURSOR', ['cursor']);
      }
      // A cursor of the right shape is read (whatever the list then answers, never a 400 or 500).
      const fine = await list(l, cursorOf(valid));
      expect(fine.status).toBeLessThan(500);
      expect(fine.body?.code).not.toBe('INVALID_CURSOR');
      // The same instant in another offset is the same key, read as such.
      if (l.shape[0] === 'timestamp') {
        const shifted = await list(l, cursorOf(['2026-01-01T07:00:00+07:00', ...valid.slice(1)]));
        expect(shifted.status).toBeLessThan(500);
        expect(shifted.body?.code).not.toBe('INVALID_CURSOR');
      }
    },
  );

  it('walks a list page by page on the cursors it gives (microseconds kept)', async () => {
    // Three messages in the same millisecond: a cursor cut to milliseconds would skip some.
    await t.dataSource.query(
      `INSERT INTO notification_outbox (person_id, event, event_day, locale, channel, to_address,
                                        subject, body_text, payload, created_at)
       SELECT $1, 'assigned', DATE '2020-01-01' + g, 'vi', 'email', 'x@lms.congdoan.test', 's', 'b',
              '{}'::jsonb, '2026-01-01T00:00:00.123Z'::timestamptz + make_interval(secs => g / 1e6)
         FROM generate_series(1, 3) g`,
      [ids.person],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t.http
        .get('/api/v1/me/notifications')
        .query({ limit: 1, ...(cursor ? { cursor } : {}) })
        .set(bearer(t.tokens.chair))
        .expect(200);
      const page = res.body as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 100);
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM notification_outbox WHERE person_id = $1',
      [ids.person],
    );
    expect(new Set(seen).size).toBe(n);
    expect(seen.length).toBe(n);
  });

  describe('dates at the edges', () => {
    const EDGES = ['9999-12-31', '0001-01-01', '2026-02-30', '2101-01-01', '1899-12-31'];

    interface DateField {
      name: string;
      field: string;
      send: (date: string) => Promise<Response>;
      /** Bounded by its service with a code of its own (422) beyond a real day. */
      serviceBounded?: boolean;
    }

    const as = (account: DemoAccount) => bearer(t.tokens[account]);
    const FIELDS: DateField[] = [
      {
        name: 'recertification preview: completedOn',
        field: 'completedOn',
        send: (d) =>
          t.http
            .post('/api/v1/programmes/recertification/preview')
            .set(as('admin'))
            .send({
              completedOn: d,
              dueRule: { kind: 'days_after_assignment', days: 30 },
              validityMonths: 600,
              windowDays: 30,
            }),
      },
      {
        name: 'recertification preview: assignedOn',
        field: 'assignedOn',
        send: (d) =>
          t.http
            .post('/api/v1/programmes/recertification/preview')
            .set(as('admin'))
            .send({
              assignedOn: d,
              completedOn: '2026-06-01',
              dueRule: { kind: 'days_after_assignment', days: 30 },
              validityMonths: 24,
              windowDays: 30,
            }),
      },
      {
        name: 'recertification preview: dueRule.date',
        field: 'dueRule.date',
        send: (d) =>
          t.http
            .post('/api/v1/programmes/recertification/preview')
            .set(as('admin'))
            .send({
              completedOn: '2026-06-01',
              dueRule: { kind: 'fixed_date', date: d },
              validityMonths: 24,
              windowDays: 30,
            }),
      },
      {
        name: 'recertification run: today',
        field: 'today',
        send: (d) =>
          t.http
            .post('/api/v1/programmes/recertification/run')
            .query({ today: d })
            .set(as('admin')),
      },
      {
        name: 'rotation completion: endDate',
        field: 'endDate',
        send: (d) =>
          t.http.post(`/api/v1/rotations/${UUID}/complete`).set(as('admin')).send({ endDate: d }),
      },
      {
        name: 'rotation cancellation: endDate',
        field: 'endDate',
        send: (d) =>
          t.http
            .post(`/api/v1/rotations/${UUID}/cancel`)
            .set(as('admin'))
            .send({ reason: 'Thử', endDate: d }),
      },
      {
        name: 'rotation: startDate',
        field: 'startDate',
        send: (d) =>
          t.http.post('/api/v1/rotations').set(as('admin')).send({
            personId: ids.person,
            toPostId: ids.post,
            startDate: d,
            purpose: 'Luân chuyển thử',
          }),
      },
      {
        name: 'rotation: plannedEndDate',
        field: 'plannedEndDate',
        send: (d) =>
          t.http.post('/api/v1/rotations').set(as('admin')).send({
            personId: ids.person,
            toPostId: ids.post,
            startDate: '2026-09-01',
            plannedEndDate: d,
            purpose: 'Luân chuyển thử',
          }),
      },
      {
        name: 'planning cycle: termStart',
        field: 'termStart',
        send: (d) =>
          t.http
            .post('/api/v1/planning-cycles')
            .set(as('admin'))
            .send({
              orgUnitId: ids.unit,
              termStart: d,
              termEnd: '2033-06-30',
              postIds: [ids.post],
            }),
      },
      {
        name: 'planning cycle: termEnd',
        field: 'termEnd',
        send: (d) =>
          t.http
            .post('/api/v1/planning-cycles')
            .set(as('admin'))
            .send({
              orgUnitId: ids.unit,
              termStart: '2028-07-01',
              termEnd: d,
              postIds: [ids.post],
            }),
      },
      {
        name: 'development plan enrolment: dueDate',
        field: 'dueDate',
        send: (d) =>
          t.http
            .post(`/api/v1/planning-cycles/${ids.cycle}/nominations/${UUID}/development-plan/enrol`)
            .set(as('admin'))
            .send({ dueDate: d }),
      },
      {
        name: 'enrolment: dueOn',
        field: 'dueOn',
        send: (d) =>
          t.http
            .post('/api/v1/enrolments')
            .set(as('admin'))
            .send({ courseId: UUID, personIds: [ids.person], dueOn: d }),
      },
      {
        name: 'programme: dueDate',
        field: 'dueDate',
        send: (d) =>
          t.http
            .patch(`/api/v1/programmes/${ids.programme}`)
            .set(as('admin'))
            .send({ dueRuleKind: 'fixed_date', dueDate: d }),
      },
      {
        name: 'audience preview: audience.appointedSince',
        field: 'audience.appointedSince',
        send: (d) =>
          t.http
            .post(`/api/v1/programmes/${ids.programme}/audience-preview`)
            .set(as('admin'))
            .send({ audience: { orgUnitId: ids.unit, appointedSince: d } }),
      },
      {
        name: 'assignment: dueDate',
        field: 'dueDate',
        send: (d) =>
          t.http
            .post(`/api/v1/programmes/${ids.programme}/assignments`)
            .set(as('admin'))
            .send({ audience: { orgUnitId: ids.unit }, dueDate: d }),
      },
      {
        name: 'supervisor rating: validUntil',
        field: 'validUntil',
        send: (d) =>
          t.http
            .post(`/api/v1/people/${ids.person}/ratings`)
            .set(as('admin'))
            .send({ versionId: UUID, ratings: [], validUntil: d }),
      },
      {
        name: 'supervisor rating: ratedOn',
        field: 'ratedOn',
        serviceBounded: true,
        send: (d) =>
          t.http
            .post(`/api/v1/people/${ids.person}/ratings`)
            .set(as('admin'))
            .send({ versionId: UUID, ratings: [], ratedOn: d }),
      },
      {
        name: 'person: birthDate',
        field: 'birthDate',
        serviceBounded: true,
        send: (d) =>
          t.http
            .post('/api/v1/people')
            .set(as('admin'))
            .send({
              familyName: 'Lê',
              givenName: `Biên ${d}`,
              homeOrgUnitId: ids.unit,
              birthDate: d,
            }),
      },
      {
        name: 'term: startDate',
        field: 'startDate',
        serviceBounded: true,
        send: (d) =>
          t.http.post('/api/v1/terms').set(as('admin')).send({
            orgUnitId: ids.unit,
            name: 'Nhiệm kỳ biên',
            startDate: d,
            endDate: '2030-06-30',
          }),
      },
      {
        name: 'term: endDate',
        field: 'endDate',
        serviceBounded: true,
        send: (d) =>
          t.http.post('/api/v1/terms').set(as('admin')).send({
            orgUnitId: ids.unit,
            name: 'Nhiệm kỳ biên',
            startDate: '2025-07-01',
            endDate: d,
          }),
      },
      {
        name: 'appointment: startDate',
        field: 'startDate',
        serviceBounded: true,
        send: (d) =>
          t.http
            .post('/api/v1/appointments')
            .set(as('admin'))
            .send({ personId: ids.person, postId: ids.post, method: 'appointed', startDate: d }),
      },
      {
        name: 'appointment end: endDate',
        field: 'endDate',
        serviceBounded: true,
        send: (d) =>
          t.http
            .post(`/api/v1/appointments/${UUID}/end`)
            .set(as('admin'))
            .send({ endDate: d, reason: 'Biên' }),
      },
      {
        name: 'external training: startOn',
        field: 'startOn',
        serviceBounded: true,
        send: (d) =>
          t.http.post(`/api/v1/people/${ids.person}/external-trainings`).set(as('admin')).send({
            title: 'Khóa ngoài',
            provider: 'Trường',
            startOn: d,
            endOn: '2025-10-08',
            hours: 8,
          }),
      },
      {
        name: 'session no-shows report: from',
        field: 'from',
        send: (d) =>
          t.http.get('/api/v1/reports/session-no-shows').query({ from: d }).set(as('admin')),
      },
      {
        name: 'session no-shows report: to',
        field: 'to',
        send: (d) =>
          t.http.get('/api/v1/reports/session-no-shows').query({ to: d }).set(as('admin')),
      },
      {
        name: 'external training: endOn',
        field: 'endOn',
        serviceBounded: true,
        send: (d) =>
          t.http.post(`/api/v1/people/${ids.person}/external-trainings`).set(as('admin')).send({
            title: 'Khóa ngoài',
            provider: 'Trường',
            startOn: '2025-10-06',
            endOn: d,
            hours: 8,
          }),
      },
    ];

    it.each(FIELDS.map((f) => [f.name, f] as const))(
      '%s refuses a day that does not exist or lies outside its range, naming the field',
      async (_, f) => {
        for (const date of EDGES) {
          const res = await f.send(date);
          if (res.status >= 500) {
            throw new Error(`${f.name} ${date}: ${res.status} ${JSON.stringify(res.body)}`);
          }
          const named = ((res.body?.details ?? []) as { field: string }[]).map((d) => d.field);
          if (f.serviceBounded && date !== '2026-02-30') {
            // Any real day reaches the rules of the body or of the service, whose own code
            // answers (TERM_START_OUT_OF_RANGE, a start after the end named on the end, …).
            expect({ date, refused: [400, 404, 422].includes(res.status) }).toEqual({
              date,
              refused: true,
            });
            if (res.status !== 404) expect(named.length).toBeGreaterThan(0);
          } else {
            expect({ date, code: res.body?.code, named }).toEqual({
              date,
              code: 'VALIDATION_FAILED',
              named: expect.arrayContaining([f.field]),
            });
            expectError(res, 400, 'VALIDATION_FAILED', [f.field]);
          }
        }
      },
    );

    it('tells which days are allowed, in Vietnamese and in English', async () => {
      const run = (lang: string) =>
        t.http
          .post('/api/v1/programmes/recertification/run')
          .query({ today: '9999-12-31' })
          .set(as('admin'))
          .set('Accept-Language', lang);
      expect((await run('vi')).body.details).toEqual([
        {
          field: 'today',
          message:
            'Phải là ngày có thật theo định dạng yyyy-MM-dd, từ 01/01/1900 đến 31/12/2100 (ví dụ 2026-12-31).',
        },
      ]);
      expect((await run('en')).body.details).toEqual([
        {
          field: 'today',
          message:
            'Must be a real date written yyyy-MM-dd, from 01/01/1900 to 31/12/2100 (e.g. 2026-12-31).',
        },
      ]);
    });

    it('still takes the first and the last day of the range', async () => {
      const preview = (completedOn: string) =>
        t.http
          .post('/api/v1/programmes/recertification/preview')
          .set(as('admin'))
          .send({
            completedOn,
            dueRule: { kind: 'days_after_assignment', days: 3650 },
            validityMonths: 600,
            windowDays: 3650,
          });
      expect((await preview('1900-01-01')).status).toBe(200);
      expect((await preview('2100-12-31')).status).toBe(200);
    });
  });
});
