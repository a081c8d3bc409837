import { expectError } from './expect-error';
import { cccd, csvOf, xlsxOf } from './support/import-files';
import { bearer, createTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

const PEOPLE_HEADER = ['Họ và tên', 'Ngày sinh', 'Giới tính', 'Số CCCD', 'Số điện thoại', 'Đơn vị'];

interface PersonRow {
  family_name: string;
  middle_name: string | null;
  given_name: string;
  full_name: string;
  birth_date: string | null;
  gender: string | null;
  phone: string | null;
  external_id: string | null;
  unit: string;
}

describe('imports', () => {
  let t: TestApp;

  const upload = (
    file: Buffer,
    fields: Record<string, string>,
    name = 'can-bo.csv',
    token = t.tokens.hrHanoi,
  ) => {
    const req = t.http.post('/api/v1/imports').set(bearer(token));
    for (const [k, v] of Object.entries(fields)) void req.field(k, v);
    return req.attach('file', file, name);
  };

  const countPeople = async () => {
    const [row] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM people`,
    );
    return row.n;
  };

  const person = async (nationalId: string): Promise<PersonRow | undefined> => {
    const [row] = await t.dataSource.query<PersonRow[]>(
      `SELECT p.family_name, p.middle_name, p.given_name, p.full_name,
              to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.gender::text, p.phone,
              p.external_id, o.code AS unit
         FROM people p JOIN org_units o ON o.id = p.home_org_unit_id WHERE p.national_id = $1`,
      [nationalId],
    );
    return row;
  };

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('a dry run answers the per-row report and writes nothing', async () => {
    const before = await countPeople();
    const file = csvOf([
      PEOPLE_HEADER,
      ['Nguyễn Văn An', '15/03/1985', 'Nam', cccd(1985, 'male', 1), '0912 345 678', 'HN-HD-MAY'],
      ['Trần Thị Bình', '1990-07-02', 'Nữ', cccd(1990, 'female', 2), '', 'HN-HD-MAY'],
    ]);
    const res = await upload(file, { kind: 'people' }).expect(200);
    expect(res.body).toMatchObject({
      state: 'done',
      mode: 'dry-run',
      kinds: ['people'],
      totals: { created: 2, updated: 0, unchanged: 0, error: 0, total: 2 },
      rowsDone: 2,
      rowsTotal: 2,
    });
    expect(res.body.rows).toEqual([
      { kind: 'people', row: 2, outcome: 'created', errors: [] },
      { kind: 'people', row: 3, outcome: 'created', errors: [] },
    ]);
    expect(await countPeople()).toBe(before);
    expect(await person(cccd(1985, 'male', 1))).toBeUndefined();
    // The report stays readable afterwards.
    const again = await t.http
      .get(`/api/v1/imports/${res.body.id}`)
      .set(bearer(t.tokens.hrHanoi))
      .expect(200);
    expect(again.body.totals.created).toBe(2);
  });

  it('imports, then the same file again changes nothing; a changed phone is an update', async () => {
    const rows = [
      PEOPLE_HEADER,
      ['Lê Minh Châu', '02/01/1979', 'Nữ', cccd(1979, 'female', 11), '0987 654 321', 'HN-HD-MAY'],
      ['Phạm  Đức   Dũng', '1988-11-30', 'Nam', cccd(1988, 'male', 12), '', 'HN-HD'],
      ['Hoàng Anh', '', '', cccd(1992, 'male', 13), '', 'HN-HD'],
    ];
    const before = await countPeople();
    const first = await upload(csvOf(rows), { kind: 'people', mode: 'commit' }).expect(201);
    expect(first.body.totals).toEqual({ created: 3, updated: 0, unchanged: 0, error: 0, total: 3 });
    expect(await countPeople()).toBe(before + 3);
    // Names split by the Vietnamese order: family first, given last, the middle between.
    expect(await person(cccd(1979, 'female', 11))).toMatchObject({
      family_name: 'Lê',
      middle_name: 'Minh',
      given_name: 'Châu',
      full_name: 'Lê Minh Châu',
      birth_date: '1979-01-02',
      gender: 'female',
      phone: '0987654321',
      unit: 'HN-HD-MAY',
    });
    expect(await person(cccd(1988, 'male', 12))).toMatchObject({
      family_name: 'Phạm',
      middle_name: 'Đức',
      given_name: 'Dũng',
      full_name: 'Phạm Đức Dũng',
    });
    expect(await person(cccd(1992, 'male', 13))).toMatchObject({
      family_name: 'Hoàng',
      middle_name: null,
      given_name: 'Anh',
    });
    // One audit entry for the import, with its totals.
    const audit = await t.dataSource.query<{ after: { totals: { created: number } } }[]>(
      `SELECT after FROM audit_log WHERE action = 'import.commit' AND entity_id = $1`,
      [first.body.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].after.totals.created).toBe(3);

    const second = await upload(csvOf(rows), { kind: 'people', mode: 'commit' }).expect(201);
    expect(second.body.totals).toEqual({
      created: 0,
      updated: 0,
      unchanged: 3,
      error: 0,
      total: 3,
    });
    expect(await countPeople()).toBe(before + 3);

    rows[1][4] = '0911 222 333';
    const third = await upload(csvOf(rows), { kind: 'people', mode: 'commit' }).expect(201);
    expect(third.body.totals).toEqual({ created: 0, updated: 1, unchanged: 2, error: 0, total: 3 });
    expect(third.body.rows[0]).toEqual({ kind: 'people', row: 2, outcome: 'updated', errors: [] });
    expect((await person(cccd(1979, 'female', 11)))?.phone).toBe('0911222333');
  });

  it('refuses a row of a unit outside the importer’s scope: reported in a dry run, 422 on commit', async () => {
    const file = csvOf([
      PEOPLE_HEADER,
      ['Vũ Thị Hạnh', '01/02/1991', 'Nữ', cccd(1991, 'female', 21), '', 'HN-HD-MAY'],
      ['Đỗ Văn Khoa', '01/02/1987', 'Nam', cccd(1987, 'male', 22, '027'), '', 'BN-TS'],
    ]);
    const dry = await upload(file, { kind: 'people' }).expect(200);
    expect(dry.body.totals).toMatchObject({ created: 1, error: 1 });
    expect(dry.body.errorRows).toEqual([
      {
        kind: 'people',
        row: 3,
        outcome: 'error',
        errors: [
          { column: 'Đơn vị', message: 'Không tìm thấy đơn vị "BN-TS" trong phạm vi của bạn.' },
        ],
      },
    ]);
    const before = await countPeople();
    const res = await upload(file, { kind: 'people', mode: 'commit' });
    expectError(res, 422, 'IMPORT_ROWS_INVALID', ['importId', 'people[3].Đơn vị']);
    expect(res.body.message).toBe(
      'Có 1 dòng lỗi nên chưa ghi dòng nào. Hãy sửa các dòng lỗi, hoặc chọn chỉ ghi các dòng hợp lệ.',
    );
    expect(await countPeople()).toBe(before);
    // The same rows of the admin, whose scope is the whole tree, pass.
    const admin = await upload(file, { kind: 'people' }, 'a.csv', t.tokens.admin).expect(200);
    expect(admin.body.totals).toMatchObject({ created: 2, error: 0 });
  });

  it('writes the valid rows only when asked, and offers the rejected ones as CSV to fix', async () => {
    const file = csvOf([
      PEOPLE_HEADER,
      ['Ngô Thị Lan', '05/05/1983', 'Nữ', cccd(1983, 'female', 31), '', 'HN-HD-MAY'],
      ['Bùi Văn Minh', '31/02/1983', 'Nam', cccd(1983, 'male', 32), '', 'HN-HD-MAY'],
      ['Đặng Quang Nam', '05/05/1983', 'Nam', '00108300003', '', 'HN-HD-MAY'],
    ]);
    const res = await upload(file, {
      kind: 'people',
      mode: 'commit',
      onError: 'valid-only',
    }).expect(201);
    expect(res.body.totals).toEqual({ created: 1, updated: 0, unchanged: 0, error: 2, total: 3 });
    expect(await person(cccd(1983, 'female', 31))).toBeDefined();
    expect(await person(cccd(1983, 'male', 32))).toBeUndefined();
    const csv = await t.http
      .get(`/api/v1/imports/${res.body.id}/rejected.csv`)
      .set(bearer(t.tokens.hrHanoi))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const body = csv.body as Buffer;
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = body.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe(`Dòng,${PEOPLE_HEADER.join(',')},Lỗi`);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('Bùi Văn Minh');
    expect(lines[1]).toContain('Ngày sinh: ""31/02/1983"" không phải ngày');
    expect(lines[2]).toContain('Số CCCD phải có đúng 12 chữ số (ô này có 11).');
    // The row report pages by keyset and filters by outcome.
    const page1 = await t.http
      .get(`/api/v1/imports/${res.body.id}/rows?outcome=error&limit=1`)
      .set(bearer(t.tokens.hrHanoi))
      .expect(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.items[0].row).toBe(3);
    const page2 = await t.http
      .get(
        `/api/v1/imports/${res.body.id}/rows?outcome=error&limit=1&cursor=${page1.body.nextCursor}`,
      )
      .set(bearer(t.tokens.hrHanoi))
      .expect(200);
    expect(page2.body.items[0].row).toBe(4);
    expect(page2.body.nextCursor).toBeNull();
    // In English on request.
    const en = await t.http
      .get(`/api/v1/imports/${res.body.id}/rows?outcome=error&limit=1`)
      .set(bearer(t.tokens.hrHanoi))
      .set('Accept-Language', 'en')
      .expect(200);
    expect(en.body.items[0].errors[0].message).toContain('is not a date');
  });

  it('reads a workbook of units and people: English keys, the three date forms, parents in the file', async () => {
    const file = await xlsxOf(
      {
        'Don vi': [
          ['code', 'name', 'level', 'parentCode', 'sector', 'provinceCode'],
          [
            'HN-HD-IMP1',
            'Công đoàn cơ sở Công ty Cổ phần Nhập Liệu',
            'Công đoàn cơ sở',
            'HN-HD',
            'Tư nhân',
            '01',
          ],
          ['HN-HD-IMP1-PX', 'Công đoàn bộ phận Phân xưởng Một', 'sub_unit', 'HN-HD-IMP1', null, 1],
        ],
        'Can bo': [
          ['fullName', 'birthDate', 'gender', 'nationalId', 'externalId', 'orgUnit'],
          [
            'Trịnh Thị Ngọc Ánh',
            new Date(Date.UTC(1986, 3, 30)),
            'female',
            cccd(1986, 'female', 41),
            'NS-041',
            'HN-HD-IMP1',
          ],
          [
            'Mai Xuân Bách',
            32509,
            'Nam',
            Number(cccd(1989, 'male', 42)),
            'NS-042',
            'HN-HD-IMP1-PX',
          ],
          [
            'Lý Thu Cúc',
            '09/12/1993',
            'Nữ',
            cccd(1993, 'female', 43),
            null,
            'Liên đoàn Lao động Thành phố Hà Nội / Công đoàn phường Hà Đông',
          ],
          [
            'Tạ Văn Dương',
            { formula: 'DATE(1984,6,1)', result: new Date(Date.UTC(1984, 5, 1)) },
            'Nam',
            cccd(1984, 'male', 44),
            null,
            'HN-HD',
          ],
        ],
      },
      (wb) => {
        wb.getWorksheet('Can bo')!.getColumn(2).numFmt = 'dd/mm/yyyy';
      },
    );
    const res = await upload(file, { mode: 'commit' }, 'lien-doan.xlsx');
    // Status and body together, so that a refusal shows its error code and details.
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    expect(res.body.errorRows).toEqual([]);
    expect(res.body.kinds).toEqual(['org_units', 'people']);
    expect(res.body.byKind).toEqual({
      org_units: { created: 2, updated: 0, unchanged: 0, error: 0, total: 2 },
      people: { created: 4, updated: 0, unchanged: 0, error: 0, total: 4 },
    });
    const units = await t.dataSource.query<
      { code: string; path: string; parent: string; depth: number }[]
    >(
      `SELECT u.code, u.path, p.code AS parent, u.depth FROM org_units u JOIN org_units p ON p.id = u.parent_id
        WHERE u.code LIKE 'HN-HD-IMP1%' ORDER BY u.depth`,
    );
    expect(units.map((u) => [u.code, u.parent])).toEqual([
      ['HN-HD-IMP1', 'HN-HD'],
      ['HN-HD-IMP1-PX', 'HN-HD-IMP1'],
    ]);
    expect(units[1].path.startsWith(units[0].path)).toBe(true);
    expect(await person(cccd(1986, 'female', 41))).toMatchObject({
      family_name: 'Trịnh',
      middle_name: 'Thị Ngọc',
      given_name: 'Ánh',
      birth_date: '1986-04-30',
      external_id: 'NS-041',
      unit: 'HN-HD-IMP1',
    });
    // 32509 is Excel's serial of 1989-01-01; the CCCD lost its leading zeros as a number cell.
    expect(await person(cccd(1989, 'male', 42))).toMatchObject({
      birth_date: '1989-01-01',
      unit: 'HN-HD-IMP1-PX',
    });
    expect(await person(cccd(1993, 'female', 43))).toMatchObject({
      birth_date: '1993-12-09',
      unit: 'HN-HD',
    });
    expect(await person(cccd(1984, 'male', 44))).toMatchObject({ birth_date: '1984-06-01' });
    // The same workbook again: nothing changes.
    const again = await upload(file, { mode: 'commit' }, 'lien-doan.xlsx').expect(201);
    expect(again.body.totals).toEqual({ created: 0, updated: 0, unchanged: 6, error: 0, total: 6 });
  });

  it('matches people by external id when the CCCD is missing, and refuses a CCCD of another person', async () => {
    const header = ['Mã cán bộ', 'Họ', 'Tên đệm', 'Tên', 'Số CCCD', 'Đơn vị'];
    await upload(csvOf([header, ['NS-900', 'Cao', 'Thị', 'Duyên', '', 'HN-HD']]), {
      kind: 'people',
      mode: 'commit',
    }).expect(201);
    const renamed = await upload(
      csvOf([header, ['NS-900', 'Cao', 'Thị Mỹ', 'Duyên', '', 'HN-HD']]),
      { kind: 'people', mode: 'commit' },
    ).expect(201);
    expect(renamed.body.totals).toMatchObject({ updated: 1, created: 0 });
    const conflict = await upload(
      csvOf([header, ['NS-900', 'Cao', 'Thị Mỹ', 'Duyên', cccd(1979, 'female', 11), 'HN-HD']]),
      { kind: 'people' },
    ).expect(200);
    expect(conflict.body.errorRows[0].errors).toEqual([
      {
        column: 'Mã cán bộ',
        message: 'Mã cán bộ "NS-900" đã thuộc về người khác với người có số CCCD này.',
      },
    ]);
  });

  it('imports a unit’s posts, matched by unit, post type and title', async () => {
    const header = ['Đơn vị', 'Chức vụ', 'Tên chức danh', 'Chế độ', 'Chức danh chủ chốt'];
    const rows = [
      header,
      ['HN-HD-MAY', 'Phó Chủ tịch', 'Phó Chủ tịch phụ trách Nữ công', 'Không chuyên trách', ''],
      ['HN-HD-MAY', 'Ủy viên Ủy ban Kiểm tra', '', 'Chuyên trách', 'Không'],
    ];
    const first = await upload(csvOf(rows), { kind: 'posts', mode: 'commit' }, 'chuc-danh.csv');
    expect(first.status).toBe(201);
    expect(first.body.totals).toEqual({ created: 2, updated: 0, unchanged: 0, error: 0, total: 2 });
    const posts = await t.dataSource.query<
      {
        title: string;
        post_type: string;
        employment: string;
        single_holder: boolean;
        key_post: boolean;
      }[]
    >(
      `SELECT p.title, p.post_type::text, p.employment::text, p.single_holder, p.key_post
         FROM posts p JOIN org_units o ON o.id = p.org_unit_id
        WHERE o.code = 'HN-HD-MAY' AND p.title IN ('Phó Chủ tịch phụ trách Nữ công', 'Ủy viên Ủy ban Kiểm tra')
        ORDER BY p.post_type`,
    );
    expect(posts).toEqual([
      {
        title: 'Phó Chủ tịch phụ trách Nữ công',
        post_type: 'vice_chair',
        employment: 'part_time',
        single_holder: false,
        key_post: true,
      },
      {
        title: 'Ủy viên Ủy ban Kiểm tra',
        post_type: 'inspection_member',
        employment: 'full_time',
        single_holder: false,
        key_post: false,
      },
    ]);
    const again = await upload(csvOf(rows), { kind: 'posts', mode: 'commit' }, 'chuc-danh.csv');
    expect(again.body.totals).toEqual({ created: 0, updated: 0, unchanged: 2, error: 0, total: 2 });
    const outside = await upload(
      csvOf([header, ['BN-TS', 'Chủ tịch', '', '', '']]),
      { kind: 'posts' },
      'chuc-danh.csv',
    ).expect(200);
    expect(outside.body.errorRows[0].errors[0].message).toBe(
      'Không tìm thấy đơn vị "BN-TS" trong phạm vi của bạn.',
    );
  });

  it('imports a unit’s terms: matched by name, never overlapping, within the term rules', async () => {
    const termHeader = ['Đơn vị', 'Nhiệm kỳ', 'Ngày bắt đầu', 'Ngày kết thúc'];
    const file = await xlsxOf({
      'Don vi': [
        ['Mã đơn vị', 'Tên đơn vị', 'Cấp', 'Mã đơn vị cấp trên'],
        ['HN-HD-NK', 'Công đoàn cơ sở Trường Mầm non Hoa Sen', 'Công đoàn cơ sở', 'HN-HD'],
      ],
      'Nhiem ky': [
        termHeader,
        ['HN-HD-NK', 'Nhiệm kỳ 2018–2023', '01/07/2018', '30/06/2023'],
        ['HN-HD-NK', 'Nhiệm kỳ 2023–2028', '2023-07-01', '2028-06-30'],
      ],
    });
    const first = await upload(file, { mode: 'commit' }, 'nhiem-ky.xlsx').expect(201);
    expect(first.body.byKind).toEqual({
      org_units: { created: 1, updated: 0, unchanged: 0, error: 0, total: 1 },
      terms: { created: 2, updated: 0, unchanged: 0, error: 0, total: 2 },
    });
    const again = await upload(file, { mode: 'commit' }, 'nhiem-ky.xlsx').expect(201);
    expect(again.body.totals).toMatchObject({ unchanged: 3, created: 0, updated: 0 });
    const bad = await upload(
      csvOf([
        termHeader,
        ['HN-HD-NK', 'Nhiệm kỳ bổ sung', '01/01/2025', '31/12/2025'],
        ['HN-HD-NK', 'Nhiệm kỳ dài', '01/01/2030', '01/01/2040'],
        ['HN-HD-NK', 'Nhiệm kỳ ngược', '01/01/2040', '01/01/2039'],
      ]),
      { kind: 'terms' },
      'nhiem-ky.csv',
    ).expect(200);
    expect(
      bad.body.errorRows.map((r: { errors: { message: string }[] }) => r.errors[0].message),
    ).toEqual([
      'Trùng thời gian với nhiệm kỳ "Nhiệm kỳ 2023–2028" (01/07/2023 – 30/06/2028).',
      'Tối đa 90 tháng kể từ ngày bắt đầu: kết thúc muộn nhất ngày 30/06/2037.',
      'Ngày kết thúc phải sau ngày bắt đầu.',
    ]);
  });

  it('refuses importers without the role (403) and reads no import outside the caller (404)', async () => {
    const file = csvOf([
      PEOPLE_HEADER,
      ['Nguyễn Văn An', '', '', cccd(1985, 'male', 1), '', 'HN-HD'],
    ]);
    for (const token of [t.tokens.chair, t.tokens.officerHanoi]) {
      expectError(await upload(file, { kind: 'people' }, 'x.csv', token), 403, 'FORBIDDEN');
    }
    const mine = await upload(file, { kind: 'people' }).expect(200);
    expectError(
      await t.http.get(`/api/v1/imports/${mine.body.id}`).set(bearer(t.tokens.officerBacNinh)),
      403,
      'FORBIDDEN',
    );
    expectError(
      await t.http
        .get('/api/v1/imports/00000000-0000-4000-8000-000000000000')
        .set(bearer(t.tokens.hrHanoi)),
      404,
      'IMPORT_NOT_FOUND',
    );
  });

  it('answers bad requests with the stable error body', async () => {
    const file = csvOf([
      PEOPLE_HEADER,
      ['Nguyễn Văn An', '', '', cccd(1985, 'male', 1), '', 'HN-HD'],
    ]);
    expectError(
      await t.http.post('/api/v1/imports').set(bearer(t.tokens.hrHanoi)).field('kind', 'people'),
      400,
      'IMPORT_FILE_REQUIRED',
    );
    expectError(await upload(file, { kind: 'people', mode: 'now' }), 400, 'VALIDATION_FAILED', [
      'mode',
    ]);
    expectError(await upload(file, { kind: 'cadres' }), 400, 'VALIDATION_FAILED', ['kind']);
    expectError(await upload(file, { kind: 'people', extra: '1' }), 400, 'VALIDATION_FAILED');
    expectError(await upload(file, {}), 400, 'IMPORT_KIND_REQUIRED');
    expectError(
      await t.http.get('/api/v1/imports/not-a-uuid').set(bearer(t.tokens.hrHanoi)),
      400,
      'VALIDATION_FAILED',
    );
  });
});
