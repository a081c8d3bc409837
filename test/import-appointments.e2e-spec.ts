import { cccd, csvOf, xlsxOf } from './support/import-files';
import { bearer, createTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

const APPT_HEADER = [
  'Số CCCD',
  'Họ và tên',
  'Đơn vị',
  'Chức vụ',
  'Nhiệm kỳ',
  'Hình thức',
  'Ngày bắt đầu',
  'Ngày kết thúc',
];

interface ReportRow {
  kind: string;
  row: number;
  outcome: string;
  errors: { column: string; message: string; messageEn: string }[];
}

describe('imports: appointments and accounts', () => {
  let t: TestApp;

  const upload = (
    file: Buffer,
    fields: Record<string, string>,
    token = t.tokens.hrHanoi,
    name = 'bo-nhiem.csv',
  ) => {
    const req = t.http.post('/api/v1/imports').set(bearer(token));
    for (const [k, v] of Object.entries(fields)) void req.field(k, v);
    return req.attach('file', file, name);
  };

  const count = async (table: string) => {
    const [row] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${table}`,
    );
    return row.n;
  };

  const A = cccd(1980, 'male', 501);
  const B = cccd(1982, 'female', 502);
  const C = cccd(1984, 'male', 503);

  beforeAll(async () => {
    t = await createTestApp();
    // A unit of Hà Nội with its term and three people, made through imports of their own.
    await upload(
      csvOf([
        ['Mã đơn vị', 'Tên đơn vị', 'Cấp', 'Mã đơn vị cấp trên'],
        ['HN-IMP-CDCS', 'Công đoàn cơ sở Thử nghiệm Nhập', 'Công đoàn cơ sở', 'HN-HD'],
      ]),
      { kind: 'org_units', mode: 'commit' },
    ).expect(201);
    await upload(
      csvOf([
        ['Đơn vị', 'Nhiệm kỳ', 'Ngày bắt đầu', 'Ngày kết thúc'],
        ['HN-IMP-CDCS', 'Nhiệm kỳ 2023–2028', '01/03/2023', '28/02/2028'],
      ]),
      { kind: 'terms', mode: 'commit' },
    ).expect(201);
    await upload(
      csvOf([
        ['Họ và tên', 'Ngày sinh', 'Giới tính', 'Số CCCD', 'Mã cán bộ', 'Đơn vị'],
        ['Nguyễn Văn Nhập', '01/01/1980', 'Nam', A, 'NV-IMP-1', 'HN-IMP-CDCS'],
        ['Trần Thị Khẩu', '02/02/1982', 'Nữ', B, '', 'HN-IMP-CDCS'],
        ['Lê Văn Ba', '03/03/1984', 'Nam', C, '', 'HN-IMP-CDCS'],
      ]),
      { kind: 'people', mode: 'commit' },
    ).expect(201);
  });

  afterAll(async () => {
    await t.close();
  });

  const chairRows = [
    APPT_HEADER,
    [A, 'Nguyễn Văn Nhập', 'HN-IMP-CDCS', 'Chủ tịch', 'Nhiệm kỳ 2023–2028', '', '15/03/2023', ''],
    ['NV-IMP-1', '', 'HN-IMP-CDCS', 'Phó Chủ tịch', '', 'Chỉ định', '01/01/2022', '28/02/2023'],
  ];

  it('a dry run reports the rows and writes nothing', async () => {
    const [appointments, posts] = [await count('appointments'), await count('posts')];
    const res = await upload(csvOf(chairRows), { kind: 'appointments' }).expect(200);
    expect(res.body.totals).toEqual({ created: 2, updated: 0, unchanged: 0, error: 0, total: 2 });
    expect(await count('appointments')).toBe(appointments);
    expect(await count('posts')).toBe(posts);
  });

  it('commits, creating the missing posts; the same file again is unchanged', async () => {
    const first = await upload(csvOf(chairRows), {
      kind: 'appointments',
      mode: 'commit',
    }).expect(201);
    expect(first.body.totals).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
      error: 0,
      total: 2,
    });
    const stored = await t.dataSource.query<
      {
        post_type: string;
        title: string;
        single_holder: boolean;
        method: string;
        status: string;
        term: string | null;
        end_date: string | null;
      }[]
    >(
      `SELECT p.post_type::text, p.title, p.single_holder, a.method::text, a.status::text,
              t.name AS term, a.end_date::text
         FROM appointments a JOIN posts p ON p.id = a.post_id
         JOIN org_units o ON o.id = p.org_unit_id LEFT JOIN terms t ON t.id = a.term_id
        WHERE o.code = 'HN-IMP-CDCS' ORDER BY a.start_date`,
    );
    expect(stored).toEqual([
      {
        post_type: 'vice_chair',
        title: 'Phó Chủ tịch',
        single_holder: false,
        method: 'appointed',
        status: 'ended',
        term: null,
        end_date: '2023-02-28',
      },
      {
        post_type: 'chair',
        title: 'Chủ tịch',
        single_holder: true,
        method: 'elected',
        status: 'active',
        term: 'Nhiệm kỳ 2023–2028',
        end_date: null,
      },
    ]);
    const again = await upload(csvOf(chairRows), {
      kind: 'appointments',
      mode: 'commit',
    }).expect(201);
    expect(again.body.totals).toEqual({
      created: 0,
      updated: 0,
      unchanged: 2,
      error: 0,
      total: 2,
    });
  });

  it('a second chair overlapping the first is an error row naming the holder', async () => {
    const res = await upload(
      csvOf([
        APPT_HEADER,
        [B, '', 'HN-IMP-CDCS', 'Chủ tịch', '', '', '01/06/2024', ''],
        // Two new vice-chairs at once is fine: that post has several holders.
        [C, '', 'HN-IMP-CDCS', 'Phó Chủ tịch', '', '', '01/06/2024', ''],
      ]),
      { kind: 'appointments' },
    ).expect(200);
    const rows = res.body.rows as ReportRow[];
    expect(rows[0]).toMatchObject({ row: 2, outcome: 'error' });
    expect(rows[0].errors[0].message).toContain('chỉ do một người đảm nhiệm');
    expect(rows[0].errors[0].message).toContain('Nguyễn Văn Nhập');
    expect(rows[1]).toMatchObject({ row: 3, outcome: 'created' });
  });

  it('ending the chair and electing the next in one file is a handover', async () => {
    const res = await upload(
      csvOf([
        APPT_HEADER,
        [A, '', 'HN-IMP-CDCS', 'Chủ tịch', '', '', '15/03/2023', '31/05/2024'],
        [B, '', 'HN-IMP-CDCS', 'Chủ tịch', 'Nhiệm kỳ 2023–2028', 'Bầu', '01/06/2024', ''],
      ]),
      { kind: 'appointments', mode: 'commit' },
    ).expect(201);
    const rows = res.body.rows as ReportRow[];
    expect(rows.map((r) => r.outcome)).toEqual(['updated', 'created']);
    const [chair] = await t.dataSource.query<{ status: string; end_date: string }[]>(
      `SELECT a.status::text, a.end_date::text FROM appointments a
         JOIN people p ON p.id = a.person_id JOIN posts s ON s.id = a.post_id
        WHERE p.national_id = $1 AND s.post_type = 'chair'`,
      [A],
    );
    expect(chair).toEqual({ status: 'ended', end_date: '2024-05-31' });
  });

  it('a handover whose ending row is refused leaves the stored holder in the way', async () => {
    await upload(
      csvOf([
        APPT_HEADER,
        [C, '', 'HN-IMP-CDCS', 'Chủ nhiệm Ủy ban Kiểm tra', '', '', '01/01/2024', ''],
      ]),
      { kind: 'appointments', mode: 'commit' },
    ).expect(201);
    const res = await upload(
      csvOf([
        APPT_HEADER,
        [
          C,
          '',
          'HN-IMP-CDCS',
          'Chủ nhiệm Ủy ban Kiểm tra',
          'Không có',
          '',
          '01/01/2024',
          '30/06/2024',
        ],
        [B, '', 'HN-IMP-CDCS', 'Chủ nhiệm Ủy ban Kiểm tra', '', '', '01/07/2024', ''],
      ]),
      { kind: 'appointments', onError: 'valid-only' },
    ).expect(200);
    const rows = res.body.rows as ReportRow[];
    expect(rows.map((r) => r.outcome)).toEqual(['error', 'error']);
    expect(rows[1].errors[0].message).toContain('Lê Văn Ba');
  });

  it('two rows of the file holding a single-holder post at once are both refused', async () => {
    const res = await upload(
      csvOf([
        APPT_HEADER,
        [B, '', 'HN-IMP-CDCS', 'Trưởng Ban Nữ công', '', '', '01/01/2024', ''],
        [C, 'Lê Văn Ba', 'HN-IMP-CDCS', 'Trưởng Ban Nữ công', '', '', '01/06/2024', '01/07/2024'],
      ]),
      { kind: 'appointments' },
    ).expect(200);
    const rows = res.body.rows as ReportRow[];
    expect(rows.map((r) => r.outcome)).toEqual(['error', 'error']);
    expect(rows[0].errors[0].message).toContain('dòng 3 (Lê Văn Ba)');
    expect(rows[1].errors[0].message).toContain('dòng 2 (Trần Thị Khẩu)');
  });

  it('names a person the people sheet of the same workbook creates', async () => {
    const D = cccd(1986, 'female', 504);
    const file = await xlsxOf({
      'Can bo': [
        ['Họ và tên', 'Ngày sinh', 'Giới tính', 'Số CCCD', 'Đơn vị'],
        ['Phạm Thị Tư', '04/04/1986', 'Nữ', D, 'HN-IMP-CDCS'],
      ],
      'Bo nhiem': [
        APPT_HEADER,
        [D, '', 'HN-IMP-CDCS', 'Ủy viên Ủy ban Kiểm tra', '', '', '01/09/2024', ''],
      ],
    });
    const res = await upload(file, { mode: 'commit' }, t.tokens.hrHanoi, 'so.xlsx').expect(201);
    expect(res.body.totals).toMatchObject({ created: 2, error: 0 });
    const [row] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM appointments a JOIN people p ON p.id = a.person_id
        WHERE p.national_id = $1`,
      [D],
    );
    expect(row.n).toBe(1);
  });

  it('refuses an out-of-scope unit, an unknown person, a start outside the term', async () => {
    const res = await upload(
      csvOf([
        APPT_HEADER,
        [A, '', 'BN', 'Phó Chủ tịch', '', '', '01/01/2024', ''],
        [cccd(1985, 'male', 999), '', 'HN-IMP-CDCS', 'Phó Chủ tịch', '', '', '01/01/2024', ''],
        [C, '', 'HN-IMP-CDCS', 'Ủy viên Ban Chấp hành', 'Nhiệm kỳ 2023–2028', '', '01/01/2022', ''],
        [C, '', 'HN-IMP-CDCS', 'Ủy viên Ban Chấp hành', 'Nhiệm kỳ 2019–2023', '', '01/04/2023', ''],
        [C, '', 'HN-IMP-CDCS', 'Ủy viên Ban Chấp hành', '', '', '01/04/2023', '01/03/2023'],
        [C, '', 'HN-IMP-CDCS', 'Ủy viên Ban Chấp hành', '', '', '02/03/1999', ''],
      ]),
      { kind: 'appointments' },
    ).expect(200);
    const rows = res.body.rows as ReportRow[];
    expect(rows.every((r) => r.outcome === 'error')).toBe(true);
    expect(rows[0].errors[0].message).toContain('Không tìm thấy đơn vị "BN"');
    expect(rows[1].errors[0].message).toContain('Không tìm thấy cán bộ');
    expect(rows[2].errors[0].message).toContain('Ngoài nhiệm kỳ 01/03/2023 – 28/02/2028');
    expect(rows[3].errors[0].message).toContain('Đơn vị không có nhiệm kỳ');
    expect(rows[4].errors[0].message).toContain('Ngày kết thúc');
    // Born 03/03/1984: sixteen on 03/03/2000.
    expect(rows[5].errors[0].message).toBe(
      'Không được sớm hơn ngày 03/03/2000, khi cán bộ đủ 16 tuổi.',
    );
  });

  it('of several posts of the type, none titled with its name, asks for the posts', async () => {
    await t.dataSource.query(
      `INSERT INTO posts (org_unit_id, post_type, title, employment, single_holder, key_post)
       SELECT o.id, 'women_head', x.title, 'part_time', true, false
         FROM org_units o, (VALUES ('Trưởng Ban Nữ công khối A'), ('Trưởng Ban Nữ công khối B')) x(title)
        WHERE o.code = 'HN-IMP-CDCS'`,
    );
    const res = await upload(
      csvOf([APPT_HEADER, [B, '', 'HN-IMP-CDCS', 'Trưởng Ban Nữ công', '', '', '01/01/2024', '']]),
      { kind: 'appointments' },
    ).expect(200);
    const rows = res.body.rows as ReportRow[];
    expect(rows[0].outcome).toBe('error');
    expect(rows[0].errors[0].message).toBe(
      'Đơn vị có nhiều chức danh Trưởng Ban Nữ công, không rõ chức danh nào; hãy nhập chức danh trước.',
    );
  });

  describe('accounts', () => {
    const ACC_HEADER = ['Email đăng nhập', 'Số CCCD', 'Vai trò', 'Phạm vi'];
    const accountRows = [
      ACC_HEADER,
      ['Nhap.Mot@Example.VN', A, 'Tổ chức cán bộ', 'HN-IMP-CDCS'],
      ['nhap.mot@example.vn', A, 'Học viên', 'HN-IMP-CDCS'],
      ['khau@example.vn', B, 'Quản trị', 'HN-IMP-CDCS'],
    ];

    it('an HR importer has every accounts row refused', async () => {
      const res = await upload(csvOf(accountRows), { kind: 'accounts' }).expect(200);
      const rows = res.body.rows as ReportRow[];
      expect(rows.map((r) => r.outcome)).toEqual(['error', 'error', 'error']);
      expect(rows[0].errors[0].message).toContain('Chỉ quản trị viên');
      const committed = await upload(csvOf(accountRows), { kind: 'accounts', mode: 'commit' });
      expect(committed.status).toBe(422);
      const [row] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM user_accounts WHERE email LIKE '%@example.vn'`,
      );
      expect(row.n).toBe(0);
    });

    it('an administrator creates invited accounts with their grants; again is unchanged', async () => {
      const dry = await upload(csvOf(accountRows), { kind: 'accounts' }, t.tokens.admin).expect(
        200,
      );
      expect(dry.body.totals).toMatchObject({ created: 3, error: 0 });
      const first = await upload(
        csvOf(accountRows),
        { kind: 'accounts', mode: 'commit' },
        t.tokens.admin,
      ).expect(201);
      expect(first.body.totals).toEqual({
        created: 3,
        updated: 0,
        unchanged: 0,
        error: 0,
        total: 3,
      });
      const stored = await t.dataSource.query<
        { email: string; password_hash: string | null; active: boolean; roles: string }[]
      >(
        `SELECT u.email, u.password_hash, u.active,
                string_agg(g.role::text || '@' || o.code, ',' ORDER BY g.role) AS roles
           FROM user_accounts u JOIN role_grants g ON g.user_id = u.id AND g.revoked_at IS NULL
           JOIN org_units o ON o.id = g.org_unit_id
          WHERE u.email LIKE '%@example.vn' GROUP BY u.id ORDER BY u.email`,
      );
      expect(stored).toEqual([
        {
          email: 'khau@example.vn',
          password_hash: null,
          active: true,
          roles: 'admin@HN-IMP-CDCS',
        },
        {
          email: 'nhap.mot@example.vn',
          password_hash: null,
          active: true,
          roles: 'hr@HN-IMP-CDCS,learner@HN-IMP-CDCS',
        },
      ]);
      // Audited as the accounts API audits them: two accounts, three grants.
      const audit = await t.dataSource.query<{ action: string; n: number }[]>(
        `SELECT action, count(*)::int AS n FROM audit_log
          WHERE action IN ('account.create', 'role_grant.grant')
            AND after->>'email' LIKE '%@example.vn' GROUP BY action ORDER BY action`,
      );
      expect(audit).toEqual([
        { action: 'account.create', n: 2 },
        { action: 'role_grant.grant', n: 3 },
      ]);
      // The account list reads them as invited.
      const list = await t.http
        .get('/api/v1/accounts?q=example.vn')
        .set(bearer(t.tokens.admin))
        .expect(200);
      const items = (list.body.items as { email: string; status: string }[])
        .filter((i) => i.email.endsWith('@example.vn'))
        .map((i) => [i.email, i.status]);
      expect(items.sort()).toEqual([
        ['khau@example.vn', 'invited'],
        ['nhap.mot@example.vn', 'invited'],
      ]);
      const again = await upload(
        csvOf(accountRows),
        { kind: 'accounts', mode: 'commit' },
        t.tokens.admin,
      ).expect(201);
      expect(again.body.totals).toEqual({
        created: 0,
        updated: 0,
        unchanged: 3,
        error: 0,
        total: 3,
      });
      // A new role for an existing account is an update.
      const more = await upload(
        csvOf([ACC_HEADER, ['khau@example.vn', B, 'Cán bộ đào tạo', 'HN-IMP-CDCS']]),
        { kind: 'accounts' },
        t.tokens.admin,
      ).expect(200);
      expect(more.body.totals).toMatchObject({ updated: 1 });
    });

    it('refuses an e-mail of another person and an unknown person', async () => {
      const res = await upload(
        csvOf([
          ACC_HEADER,
          ['khau@example.vn', C, 'Học viên', 'HN-IMP-CDCS'],
          ['moi@example.vn', cccd(1985, 'male', 998), 'Học viên', 'HN-IMP-CDCS'],
        ]),
        { kind: 'accounts' },
        t.tokens.admin,
      ).expect(200);
      const rows = res.body.rows as ReportRow[];
      expect(rows[0].errors[0].message).toContain('đã là tài khoản của một người khác');
      expect(rows[1].errors[0].message).toContain('Không tìm thấy cán bộ');
    });
  });
});
