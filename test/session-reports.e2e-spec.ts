import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';
import { expectError } from './expect-error';
import { binary } from './support/binary-body';
import { SetClock, useFixedClock } from './support/clock';
import { extractPdfText } from './support/pdf-text';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The rows of a CSV file as text cells (csv-parse without column names). */
const csvRows = (bytes: Buffer): string[][] => parse(bytes, { bom: true });
const uniq = () => randomBytes(3).toString('hex').toUpperCase();

/** People made for the fixture: [full name, home unit code]. */
const PEOPLE: [string, string][] = [
  ['', 'HN-HD-MAY'], // 0: the demo chair (holds a post), set below
  ['Trần Thị Bích Ngọc', 'HN-HD-MAY'], // 1
  ['Lê Đức Thắng', 'HN-TL-CANON'], // 2
  ['Phạm Thị Hồng Nhung', 'HN-TL-CANON'], // 3
  ['Hoàng Văn Dũng', 'HN-TL-CANON'], // 4
  ['Vũ Thị Thủy', 'HN-HD-MAY'], // 5
  ['Đỗ Minh Khôi', 'HN-HD-MAY'], // 6
  ['Bùi Thị Ánh Tuyết', 'HN-HD-MAY'], // 7
  ['Ngô Quang Huy', 'HN-HD-MAY'], // 8
  ['Đặng Thị Lựu', 'HN'], // 9
  ['Dương Văn Sáng', 'HN-HD-MAY'], // 10
  ['Lý Thị Mỹ Duyên', 'HN-HD-MAY'], // 11
];
const NATIONAL_ID = '001088012345';

/**
 * Issue 17, item 6: the reports of classroom sessions, checked against a fixture built by hand
 * in the database (the reports only read).
 *
 * Session S1 (done; 02/11/2026 08:00–11:30 and 03/11/2026 13:30–17:00, 4 seats):
 *   0 present, present · 1 late, absent · 2 absent, absent (the no-show) · 3 excused, excused;
 *   7 and 11 waitlisted in that order, 8 cancelled (marked present on day 1 before: not counted),
 *   10 moved. So 4 booked, 1 no-show → 25 %.
 * S2 (done; 01/12/2026): 4 never marked (a no-show), 9 (of Hà Nội itself) present.
 * S3 (closed, not done; 10/11/2026): 5 never marked — never in the no-show report.
 * S4 (done; 01/06/2025): 6 absent — only in a range that reaches 2025.
 * S5 (closed; five days in December): sixty people, for a sheet of several pages.
 */
describe('session reports: attendance sheet, sign-ups, no-show rate per unit', () => {
  let t: TestApp;
  let time: SetClock;
  let courseId: string;
  let courseTitle: string;
  const ids: string[] = [];
  const sessions: Record<string, string> = {};
  const officer = () => bearer(t.tokens.officerHanoi);

  const download = async (url: string, token: string, query: Record<string, string> = {}) => {
    const res = await t.http
      .get(url)
      .query(query)
      .set(bearer(token))
      .buffer(true)
      .parse(binary)
      .expect(200);
    return res as unknown as { body: Buffer; headers: Record<string, string> };
  };

  const workbook = async (bytes: Buffer) => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(book.worksheets).toHaveLength(1);
    return book.worksheets[0];
  };

  const session = async (
    key: string,
    status: string,
    days: [string, string][],
    maxSeats = 4,
  ): Promise<string> => {
    const [row] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO class_sessions (course_id, title, status, venue_name, venue_room, venue_address,
                                   venue_capacity, signup_opens_at, signup_closes_at, max_seats,
                                   external_trainers)
       VALUES ($1, $2, $3, 'Trường Cán bộ Công đoàn Hà Nội', 'P.301', '65 Quán Sứ, Hoàn Kiếm',
               40, '2025-01-01T00:00Z', '2025-01-02T00:00Z', $4, '["TS. Nguyễn Thị Hằng"]')
       RETURNING id`,
      [courseId, `Lớp bồi dưỡng ${key} — đợt ${uniq()}`, status, maxSeats],
    );
    await t.dataSource.query(
      `INSERT INTO class_session_days (session_id, day_no, starts_at, ends_at)
       SELECT $1, n, (d->>0)::timestamptz, (d->>1)::timestamptz
         FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x(d, n)`,
      [row.id, JSON.stringify(days)],
    );
    sessions[key] = row.id;
    return row.id;
  };

  /** Bookings in request order: [person index, status]. */
  const book = async (key: string, list: [number, string][]) => {
    for (const [who, status] of list) {
      await t.dataSource.query(
        `INSERT INTO session_bookings (session_id, course_id, person_id, status)
         VALUES ($1, $2, $3, $4)`,
        [sessions[key], courseId, ids[who], status],
      );
    }
  };

  const mark = (key: string, day: number, who: number, status: string) =>
    t.dataSource.query(
      `INSERT INTO session_attendance (session_id, day_no, person_id, status, source)
       VALUES ($1, $2, $3, $4, 'officer')`,
      [sessions[key], day, ids[who], status],
    );

  beforeAll(async () => {
    t = await createTestApp();
    const ds = t.dataSource;
    const [chair] = await ds.query<{ person_id: string; full_name: string }[]>(
      `SELECT u.person_id, p.full_name FROM user_accounts u JOIN people p ON p.id = u.person_id
        WHERE u.email = $1`,
      [DEMO.chair],
    );
    ids.push(chair.person_id);
    PEOPLE[0][0] = chair.full_name;
    const made = await ds.query<{ id: string }[]>(
      `INSERT INTO people (family_name, given_name, full_name, search_name, sort_key, home_org_unit_id)
       SELECT split_part(x.name, ' ', 1), x.name, x.name, lower(x.name), 'zz ' || lpad(x.n::text, 3, '0'),
              (SELECT id FROM org_units WHERE code = x.unit)
         FROM jsonb_to_recordset($1::jsonb) AS x(name text, unit text, n int)
        ORDER BY x.n
       RETURNING id`,
      [JSON.stringify(PEOPLE.slice(1).map(([name, unit], i) => ({ name, unit, n: i + 1 })))],
    );
    ids.push(...made.map((m) => m.id));
    await ds.query(`UPDATE people SET national_id = $1 WHERE id = $2`, [NATIONAL_ID, ids[1]]);

    const code = `SR-${uniq()}`;
    courseTitle = `Kỹ năng tổ chức Đại hội Công đoàn cơ sở ${code}`;
    const course = await t.http
      .post('/api/v1/courses')
      .set(officer())
      .send({
        code,
        title: courseTitle,
        deliveryMode: 'classroom',
        durationHours: 8,
        ownerOrgUnitId: await t.unitId('HN'),
      })
      .expect(201);
    courseId = course.body.id as string;

    await session('S1', 'done', [
      ['2026-11-02T08:00:00+07:00', '2026-11-02T11:30:00+07:00'],
      ['2026-11-03T13:30:00+07:00', '2026-11-03T17:00:00+07:00'],
    ]);
    await ds.query(
      `INSERT INTO class_session_instructors (session_id, person_id) VALUES ($1, $2)`,
      [sessions.S1, ids[9]],
    );
    await book('S1', [
      [0, 'booked'],
      [1, 'booked'],
      [8, 'cancelled'],
      [2, 'booked'],
      [3, 'booked'],
      [7, 'waitlisted'],
      [10, 'moved'],
      [11, 'waitlisted'],
    ]);
    await mark('S1', 1, 0, 'present');
    await mark('S1', 2, 0, 'present');
    await mark('S1', 1, 1, 'late');
    await mark('S1', 2, 1, 'absent');
    await mark('S1', 1, 2, 'absent');
    await mark('S1', 2, 2, 'absent');
    await mark('S1', 1, 3, 'excused');
    await mark('S1', 2, 3, 'excused');
    await mark('S1', 1, 8, 'present');

    await session('S2', 'done', [['2026-12-01T08:00:00+07:00', '2026-12-01T12:00:00+07:00']]);
    await book('S2', [
      [4, 'booked'],
      [9, 'booked'],
    ]);
    await mark('S2', 1, 9, 'present');

    await session('S3', 'closed', [['2026-11-10T08:00:00+07:00', '2026-11-10T12:00:00+07:00']]);
    await book('S3', [[5, 'booked']]);

    await session('S4', 'done', [['2025-06-01T08:00:00+07:00', '2025-06-01T12:00:00+07:00']]);
    await book('S4', [[6, 'booked']]);
    await mark('S4', 1, 6, 'absent');

    // Sixty people on a five-day session: the PDF runs over several landscape pages.
    await session(
      'S5',
      'closed',
      [1, 2, 3, 4, 5].map((d): [string, string] => [
        `2026-12-0${d + 1}T08:00:00+07:00`,
        `2026-12-0${d + 1}T16:00:00+07:00`,
      ]),
      80,
    );
    await ds.query(
      `WITH made AS (
         INSERT INTO people (family_name, given_name, full_name, search_name, sort_key, home_org_unit_id)
         SELECT 'Nguyễn', 'Học viên ' || n, 'Nguyễn Thị Học viên ' || n, 'nguyen thi hoc vien ' || n,
                'hoc vien ' || lpad(n::text, 3, '0'), (SELECT id FROM org_units WHERE code = 'HN-HD-THPT')
           FROM generate_series(1, 60) n
         RETURNING id, sort_key)
       INSERT INTO session_bookings (session_id, course_id, person_id, status)
       SELECT $1, $2, id, 'booked' FROM made ORDER BY sort_key`,
      [sessions.S5, courseId],
    );

    time = useFixedClock(t.app, '2026-12-15');
  }, 120_000);

  afterAll(async () => {
    time?.restore();
    await t.close();
  });

  describe('the attendance sheet', () => {
    const url = () => `/api/v1/sessions/${sessions.S1}/attendance-sheet`;

    it('as CSV: BOM, a row per booked person, the marks of each day and the hours', async () => {
      const res = await download(url(), t.tokens.officerHanoi, { format: 'csv' });
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="attendance-sheet-${sessions.S1}.csv"`,
      );
      expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(res.body.toString('utf8')).not.toContain(NATIONAL_ID);
      const rows = csvRows(res.body);
      expect(rows[0]).toEqual([
        'STT',
        'Họ và tên',
        'Đơn vị',
        'Chức vụ',
        'Ngày 1 (02/11/2026)',
        'Ngày 2 (03/11/2026)',
        'Số giờ tham dự',
      ]);
      // Booked only (not the waitlisted, cancelled or moved), in name order.
      expect(rows).toHaveLength(5);
      const byName = new Map(rows.slice(1).map((r) => [r[1], r]));
      expect([...byName.keys()].sort()).toEqual([0, 1, 2, 3].map((i) => PEOPLE[i][0]).sort());
      expect(rows.slice(1).map((r) => r[0])).toEqual(['1', '2', '3', '4']);
      expect(byName.get(PEOPLE[0][0])!.slice(4)).toEqual(['Có mặt', 'Có mặt', '7']);
      expect(byName.get('Trần Thị Bích Ngọc')!.slice(4)).toEqual(['Muộn', 'Vắng', '3.5']);
      expect(byName.get('Lê Đức Thắng')!.slice(4)).toEqual(['Vắng', 'Vắng', '0']);
      expect(byName.get('Phạm Thị Hồng Nhung')!.slice(4)).toEqual(['Có phép', 'Có phép', '0']);
      const [unit] = await t.dataSource.query<{ name: string }[]>(
        `SELECT name FROM org_units WHERE code = 'HN-TL-CANON'`,
      );
      expect(byName.get('Lê Đức Thắng')![2]).toBe(unit.name);
      // The chair holds a post: its title is the "Chức vụ".
      const posts = await t.dataSource.query<{ title: string }[]>(
        `SELECT po.title FROM appointments a JOIN posts po ON po.id = a.post_id
          WHERE a.person_id = $1 AND a.status = 'active'`,
        [ids[0]],
      );
      expect(posts.length).toBeGreaterThan(0);
      expect(byName.get(PEOPLE[0][0])![3]).toContain(posts[0].title);
      expect(byName.get('Lê Đức Thắng')![3]).toBe('');
    });

    it('leaves a day blank where nobody marked the person', async () => {
      const res = await download(
        `/api/v1/sessions/${sessions.S2}/attendance-sheet`,
        t.tokens.officerHanoi,
        {
          format: 'csv',
        },
      );
      const rows = csvRows(res.body);
      const hoang = rows.find((r) => r[1] === 'Hoàng Văn Dũng')!;
      expect(hoang.slice(4)).toEqual(['', '0']);
      const dang = rows.find((r) => r[1] === 'Đặng Thị Lựu')!;
      expect(dang.slice(4)).toEqual(['Có mặt', '4']);
    });

    it('as XLSX: the same rows, the hours a number cell', async () => {
      const res = await download(url(), t.tokens.officerHanoi, { format: 'xlsx' });
      expect(res.headers['content-type']).toBe(XLSX);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="attendance-sheet-${sessions.S1}.xlsx"`,
      );
      const sheet = await workbook(res.body);
      expect(sheet.name).toBe('Điểm danh');
      expect(sheet.getRow(1).getCell(2).value).toBe('Họ và tên');
      expect(sheet.getRow(1).getCell(5).value).toBe('Ngày 1 (02/11/2026)');
      expect(sheet.rowCount).toBe(5);
      const rows = [2, 3, 4, 5].map((i) => sheet.getRow(i));
      const ngoc = rows.find((r) => r.getCell(2).value === 'Trần Thị Bích Ngọc')!;
      expect(ngoc.getCell(5).value).toBe('Muộn');
      expect(ngoc.getCell(6).value).toBe('Vắng');
      expect(ngoc.getCell(7).value).toBe(3.5);
      expect(ngoc.getCell(1).type).toBe(ExcelJS.ValueType.Number);
      const texts = rows.flatMap((r) => [1, 2, 3, 4, 5, 6, 7].map((c) => r.getCell(c).text));
      expect(texts.join('|')).not.toContain(NATIONAL_ID);
    });

    it('as PDF (the default): heading, marks, a signature column, Vietnamese intact', async () => {
      const res = await download(url(), t.tokens.officerHanoi);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="attendance-sheet-${sessions.S1}.pdf"`,
      );
      expect(res.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = extractPdfText(res.body);
      expect(text).toContain('DANH SÁCH ĐIỂM DANH HỌC VIÊN');
      expect(text).toContain(courseTitle);
      expect(text).toContain('02/11/2026 08:00–11:30');
      expect(text).toContain('03/11/2026 13:30–17:00');
      expect(text).toContain('Trường Cán bộ Công đoàn Hà Nội, P.301, 65 Quán Sứ, Hoàn Kiếm');
      expect(text).toContain('Đặng Thị Lựu');
      expect(text).toContain('TS. Nguyễn Thị Hằng');
      expect(text).toContain('Ký tên');
      for (const name of ['Trần Thị Bích Ngọc', 'Lê Đức Thắng', 'Phạm Thị Hồng Nhung']) {
        expect(text).toContain(name);
      }
      for (const label of ['Có mặt', 'Muộn', 'Vắng', 'Có phép']) expect(text).toContain(label);
      expect(text).toContain('3,5');
      expect(text).toContain('Trang 1/1');
      expect(text).not.toContain('Bùi Thị Ánh Tuyết'); // waitlisted
      expect(text).not.toContain('Ngô Quang Huy'); // cancelled
      expect(text).not.toContain(NATIONAL_ID);
    });

    it('runs a long session over several pages, the table header on each', async () => {
      const res = await download(
        `/api/v1/sessions/${sessions.S5}/attendance-sheet`,
        t.tokens.officerHanoi,
        { format: 'pdf' },
      );
      const text = extractPdfText(res.body);
      const pages = /Trang 1\/(\d+)/.exec(text);
      expect(pages).not.toBeNull();
      const count = Number(pages![1]);
      expect(count).toBeGreaterThan(1);
      expect(text).toContain(`Trang ${count}/${count}`);
      expect(text.match(/Họ và tên/g)).toHaveLength(count);
      expect(text.match(/Ký tên/g)).toHaveLength(count);
      expect(text).toContain('Nguyễn Thị Học viên 1');
      expect(text).toContain('Nguyễn Thị Học viên 60');
      expect(text).toContain('Ngày 5');
    });

    it('answers 404 out of scope and 403 to a role without training:manage', async () => {
      expectError(
        await t.http.get(url()).query({ format: 'csv' }).set(bearer(t.tokens.officerBacNinh)),
        404,
        'SESSION_NOT_FOUND',
      );
      expectError(await t.http.get(url()).set(bearer(t.tokens.chair)), 403, 'FORBIDDEN');
      expectError(await t.http.get(url()).set(bearer(t.tokens.hrHanoi)), 403, 'FORBIDDEN');
    });

    it('answers bad parameters 400 naming them', async () => {
      expectError(
        await t.http.get(url()).query({ format: 'docx' }).set(officer()),
        400,
        'VALIDATION_FAILED',
        ['format'],
      );
      expectError(
        await t.http.get(url()).query({ foo: '1' }).set(officer()),
        400,
        'VALIDATION_FAILED',
        ['foo'],
      );
      expectError(
        await t.http.get('/api/v1/sessions/not-a-uuid/attendance-sheet').set(officer()),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('sign-ups and waitlist of a session', () => {
    it('sums seats, bookings by state, each day’s marks and the no-shows (1 of 4)', async () => {
      const res = await t.http
        .get(`/api/v1/sessions/${sessions.S1}/report`)
        .set(officer())
        .expect(200);
      expect(res.body).toEqual({
        sessionId: sessions.S1,
        courseId,
        courseTitle,
        title: expect.stringContaining('Lớp bồi dưỡng S1'),
        status: 'done',
        capacity: 4,
        booked: 4,
        waitlisted: 2,
        cancelled: 1,
        moved: 1,
        days: [
          {
            dayNo: 1,
            startsAt: '2026-11-02T08:00:00+07:00',
            endsAt: '2026-11-02T11:30:00+07:00',
            present: 1,
            late: 1,
            absent: 1,
            excused: 1,
            unmarked: 0,
            attendanceRate: 0.5,
          },
          {
            dayNo: 2,
            startsAt: '2026-11-03T13:30:00+07:00',
            endsAt: '2026-11-03T17:00:00+07:00',
            present: 1,
            late: 0,
            absent: 2,
            excused: 1,
            unmarked: 0,
            attendanceRate: 0.25,
          },
        ],
        attendanceRate: 0.375,
        noShows: 1,
      });
      const s2 = await t.http
        .get(`/api/v1/sessions/${sessions.S2}/report`)
        .set(officer())
        .expect(200);
      expect(s2.body.days[0]).toMatchObject({ present: 1, unmarked: 1, attendanceRate: 0.5 });
      expect(s2.body.noShows).toBe(1);
      // Before a day has ended nobody is a no-show yet: the same session seen the day before.
      time.clock.set(new Date('2026-11-30T12:00:00+07:00'));
      try {
        const before = await t.http
          .get(`/api/v1/sessions/${sessions.S2}/report`)
          .set(officer())
          .expect(200);
        expect(before.body.noShows).toBe(0);
      } finally {
        time.clock.set(new Date('2026-12-15'));
      }
    });

    it('exports every booking in request order, the waitlist with its positions', async () => {
      const url = `/api/v1/sessions/${sessions.S1}/bookings/export`;
      const csv = await download(url, t.tokens.officerHanoi);
      expect(csv.headers['content-disposition']).toBe(
        `attachment; filename="session-bookings-${sessions.S1}.csv"`,
      );
      const rows = csvRows(csv.body);
      expect(rows[0]).toEqual([
        'Họ và tên',
        'Đơn vị',
        'Trạng thái',
        'Thứ tự chờ',
        'Thời điểm đăng ký',
      ]);
      expect(rows.slice(1).map((r) => [r[0], r[2], r[3]])).toEqual([
        [PEOPLE[0][0], 'Đã giữ chỗ', ''],
        ['Trần Thị Bích Ngọc', 'Đã giữ chỗ', ''],
        ['Ngô Quang Huy', 'Đã hủy', ''],
        ['Lê Đức Thắng', 'Đã giữ chỗ', ''],
        ['Phạm Thị Hồng Nhung', 'Đã giữ chỗ', ''],
        ['Bùi Thị Ánh Tuyết', 'Danh sách chờ', '1'],
        ['Dương Văn Sáng', 'Đã chuyển lớp', ''],
        ['Lý Thị Mỹ Duyên', 'Danh sách chờ', '2'],
      ]);
      expect(rows[1][4]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
      const xlsx = await download(url, t.tokens.officerHanoi, { format: 'xlsx' });
      const sheet = await workbook(xlsx.body);
      expect(sheet.rowCount).toBe(9);
      expect(sheet.getRow(9).getCell(1).value).toBe('Lý Thị Mỹ Duyên');
      expect(sheet.getRow(9).getCell(4).value).toBe(2);
    });

    it('answers 404 out of scope, 403 to a learner, 400 to a bad format', async () => {
      for (const path of ['report', 'bookings/export']) {
        const url = `/api/v1/sessions/${sessions.S1}/${path}`;
        expectError(
          await t.http.get(url).set(bearer(t.tokens.officerBacNinh)),
          404,
          'SESSION_NOT_FOUND',
        );
        expectError(await t.http.get(url).set(bearer(t.tokens.chair)), 403, 'FORBIDDEN');
      }
      expectError(
        await t.http
          .get(`/api/v1/sessions/${sessions.S1}/bookings/export`)
          .query({ format: 'pdf' })
          .set(officer()),
        400,
        'VALIDATION_FAILED',
        ['format'],
      );
    });
  });

  describe('no-show rate per unit', () => {
    const url = '/api/v1/reports/session-no-shows';
    const rowOf = (body: { units: { unit: { code: string } }[] }, code: string) =>
      body.units.find((u) => u.unit.code === code);

    it('rolls each child unit’s subtree up over the sessions done in the range (1 of 4 → 25 %)', async () => {
      const hn = await t.unitId('HN');
      const res = await t.http
        .get(url)
        .query({ orgUnitId: hn, from: '2026-11-01', to: '2026-11-30' })
        .set(officer())
        .expect(200);
      expect(res.body.unit).toMatchObject({ id: hn, code: 'HN' });
      expect(res.body).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
      expect(rowOf(res.body, 'HN-HD')).toMatchObject({ booked: 2, noShows: 0, rate: 0 });
      expect(rowOf(res.body, 'HN-KCN-TL')).toMatchObject({ booked: 2, noShows: 1, rate: 0.5 });
      expect(res.body.total).toMatchObject({ booked: 4, noShows: 1, rate: 0.25 });
      // Every child is a row, those without bookings with zeros and no rate.
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM org_units WHERE parent_id = $1`,
        [hn],
      );
      expect(res.body.units).toHaveLength(n);
      for (const row of res.body.units as {
        unit: { code: string };
        booked: number;
        rate: unknown;
      }[]) {
        if (!['HN-HD', 'HN-KCN-TL'].includes(row.unit.code)) {
          expect(row).toMatchObject({ booked: 0, noShows: 0, rate: null });
        }
      }
    });

    it('counts a never-marked booking as a no-show and the unit’s own people in the total only', async () => {
      const res = await t.http
        .get(url)
        .query({ orgUnitId: await t.unitId('HN'), from: '2026-11-01', to: '2026-12-31' })
        .set(officer())
        .expect(200);
      expect(rowOf(res.body, 'HN-KCN-TL')).toMatchObject({ booked: 3, noShows: 2 });
      expect(rowOf(res.body, 'HN-KCN-TL')!).toHaveProperty('rate', 0.6667);
      expect(rowOf(res.body, 'HN-HD')).toMatchObject({ booked: 2, noShows: 0 });
      // S2's person of Hà Nội itself: in the total, in no child's row. S3 is not done: nowhere.
      expect(res.body.total).toMatchObject({ booked: 6, noShows: 2, rate: 0.3333 });
      const wider = await t.http
        .get(url)
        .query({ orgUnitId: await t.unitId('HN'), from: '2025-01-01', to: '2026-12-31' })
        .set(officer())
        .expect(200);
      expect(rowOf(wider.body, 'HN-HD')).toMatchObject({ booked: 3, noShows: 1 });
      expect(wider.body.total).toMatchObject({ booked: 7, noShows: 3 });
    });

    it('rolls up one level down when asked for a child unit', async () => {
      const res = await t.http
        .get(url)
        .query({ orgUnitId: await t.unitId('HN-HD'), from: '2026-11-01', to: '2026-11-30' })
        .set(officer())
        .expect(200);
      expect(rowOf(res.body, 'HN-HD-MAY')).toMatchObject({ booked: 2, noShows: 0, rate: 0 });
      expect(rowOf(res.body, 'HN-HD-THPT')).toMatchObject({ booked: 0, rate: null });
      expect(res.body.total).toMatchObject({ booked: 2, noShows: 0 });
    });

    it('defaults to the caller’s own unit and the year up to today', async () => {
      const res = await t.http.get(url).set(officer()).expect(200);
      expect(res.body.unit.code).toBe('HN');
      expect(res.body).toMatchObject({ from: '2025-12-15', to: '2026-12-15' });
      expect(res.body.total).toMatchObject({ booked: 6, noShows: 2 });
      // HR reads it too (training:read); Bắc Ninh's officer sees Bắc Ninh, where nobody was booked.
      const hr = await t.http.get(url).set(bearer(t.tokens.hrHanoi)).expect(200);
      expect(hr.body.total).toEqual(res.body.total);
      const bn = await t.http.get(url).set(bearer(t.tokens.officerBacNinh)).expect(200);
      expect(bn.body.unit.code).toBe('BN');
      expect(bn.body.total).toMatchObject({ booked: 0, noShows: 0, rate: null });
    });

    it('exports CSV and XLSX with the rate in per cent', async () => {
      const query = { orgUnitId: await t.unitId('HN'), from: '2026-11-01', to: '2026-11-30' };
      const csv = await download(url, t.tokens.officerHanoi, { ...query, format: 'csv' });
      expect(csv.headers['content-disposition']).toBe(
        'attachment; filename="session-no-shows-HN-2026-11-01-2026-11-30.csv"',
      );
      expect([...csv.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = csvRows(csv.body);
      expect(rows[0]).toEqual([
        'Mã đơn vị',
        'Đơn vị',
        'Số lượt giữ chỗ',
        'Số lượt vắng mặt',
        'Tỷ lệ vắng mặt (%)',
      ]);
      expect(rows.find((r) => r[0] === 'HN-KCN-TL')!.slice(2)).toEqual(['2', '1', '50']);
      const total = rows[rows.length - 1];
      expect(total[1]).toMatch(/^Tổng cộng: /);
      expect(total.slice(2)).toEqual(['4', '1', '25']);
      const xlsx = await download(url, t.tokens.officerHanoi, { ...query, format: 'xlsx' });
      const sheet = await workbook(xlsx.body);
      const last = sheet.getRow(sheet.rowCount);
      expect(last.getCell(5).value).toBe(25);
      expect(last.getCell(2).text).toMatch(/^Tổng cộng: /);
    });

    it('answers 404 for a unit out of scope and 403 to a learner', async () => {
      expectError(
        await t.http
          .get(url)
          .query({ orgUnitId: await t.unitId('HN') })
          .set(bearer(t.tokens.officerBacNinh)),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(await t.http.get(url).set(bearer(t.tokens.chair)), 403, 'FORBIDDEN');
    });

    it('answers bad parameters 400 naming them', async () => {
      const cases: [Record<string, string>, string][] = [
        [{ orgUnitId: 'HN' }, 'orgUnitId'],
        [{ from: '2026-02-30' }, 'from'],
        [{ to: '2026-13-01' }, 'to'],
        [{ from: '0001-01-01' }, 'from'],
        [{ from: '2026-12-01', to: '2026-11-01' }, 'from'],
        [{ from: '2000-01-01', to: '2026-11-01' }, 'to'],
        [{ format: 'pdf' }, 'format'],
        [{ page: '2' }, 'page'],
      ];
      for (const [query, field] of cases) {
        expectError(await t.http.get(url).query(query).set(officer()), 400, 'VALIDATION_FAILED', [
          field,
        ]);
      }
    });
  });
});
