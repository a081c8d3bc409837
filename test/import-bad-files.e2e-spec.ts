import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectError } from './expect-error';
import { cccd, csvOf, xlsxOf } from './support/import-files';
import { bearer, createTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

const HEADER = ['Họ và tên', 'Ngày sinh', 'Giới tính', 'Số CCCD', 'Đơn vị'];

/**
 * Issue 15, item 7: every bad file answers a 4xx with a Vietnamese message, and nothing of it
 * is written — no person, no unit, no import record, no upload left on disk.
 */
describe('import of bad files', () => {
  let t: TestApp;
  let uploadDir: string;
  const saved = { ...process.env };

  const upload = (file: Buffer, fields: Record<string, string>, name = 'tep.csv') => {
    const req = t.http.post('/api/v1/imports').set(bearer(t.tokens.hrHanoi));
    for (const [k, v] of Object.entries(fields)) void req.field(k, v);
    return req.attach('file', file, name);
  };

  const counts = async () => {
    const [row] = await t.dataSource.query<{ people: number; units: number; imports: number }[]>(
      `SELECT (SELECT count(*)::int FROM people) AS people,
              (SELECT count(*)::int FROM org_units) AS units,
              (SELECT count(*)::int FROM imports) AS imports`,
    );
    return row;
  };

  /** The upload answers `status`/`code` and leaves the database and the upload folder as they were. */
  const refused = async (
    file: Buffer,
    fields: Record<string, string>,
    status: number,
    code: string,
    name?: string,
  ) => {
    const before = await counts();
    const res = await upload(file, fields, name);
    expectError(res, status, code);
    const after = await counts();
    if (code === 'IMPORT_ROWS_INVALID') {
      // The rows' report is kept (a failed import, its rows to fix); no person or unit is.
      const [rec] = await t.dataSource.query<{ state: string; error_code: string }[]>(
        `SELECT state, error_code FROM imports WHERE id = $1`,
        [(res.body as { details: { field: string; message: string }[] }).details[0].message],
      );
      expect(rec).toEqual({ state: 'failed', error_code: 'IMPORT_ROWS_INVALID' });
      before.imports += 1;
    }
    expect(after).toEqual(before);
    expect(readdirSync(uploadDir)).toEqual([]);
    return res.body as { message: string; details: { field: string; message: string }[] };
  };

  beforeAll(async () => {
    uploadDir = mkdtempSync(join(tmpdir(), 'lms-import-bad-'));
    process.env.IMPORT_UPLOAD_DIR = uploadDir;
    process.env.IMPORT_MAX_BYTES = String(1024 * 1024);
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
    process.env = saved;
    rmSync(uploadDir, { recursive: true, force: true });
  });

  it('refuses what is not a spreadsheet', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const body = await refused(png, { kind: 'people' }, 400, 'IMPORT_NOT_SPREADSHEET', 'anh.png');
    expect(body.message).toBe('Tệp không phải bảng tính: hãy tải lên tệp Excel (.xlsx) hoặc CSV.');
    // A ZIP that is no workbook (a .docx, say).
    const zip = Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(64, 1)]);
    await refused(zip, { kind: 'people' }, 400, 'IMPORT_NOT_SPREADSHEET', 'tai-lieu.xlsx');
    await refused(Buffer.alloc(0), { kind: 'people' }, 400, 'IMPORT_EMPTY_FILE');
  });

  it('refuses a password-protected workbook (or a legacy .xls) with what to do', async () => {
    // Office stores an encrypted workbook, and an old .xls, in an OLE compound file.
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
    const body = await refused(ole, {}, 422, 'IMPORT_FILE_PROTECTED', 'mat-khau.xlsx');
    expect(body.message).toContain('đặt mật khẩu');
  });

  it('refuses a CSV that is not UTF-8', async () => {
    // "Họ và tên" in Windows-1258 bytes as Excel's plain "CSV" writes it in Vietnam.
    const ansi = Buffer.from([0x48, 0xd2, 0x2c, 0x76, 0xe0, 0x0d, 0x0a, 0x41, 0x2c, 0x42]);
    const body = await refused(ansi, { kind: 'people' }, 400, 'IMPORT_CSV_NOT_UTF8');
    expect(body.message).toContain('CSV UTF-8');
  });

  it('refuses a file over the configured size (413)', async () => {
    const rows: string[][] = [HEADER];
    while (rows.length < 45_000) rows.push(['Nguyễn Văn An', '', '', '', 'HN-HD']);
    const big = csvOf(rows);
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const body = await refused(big, { kind: 'people' }, 413, 'IMPORT_FILE_TOO_LARGE');
    expect(body.message).toBe(
      'Tệp quá lớn: dung lượng tối đa là 1 MB. Hãy chia tệp thành nhiều phần.',
    );
  });

  it('refuses a sheet without the required headers, naming them', async () => {
    const file = csvOf([
      ['Họ và tên', 'Ngày sinh'],
      ['Nguyễn Văn An', '01/01/1980'],
    ]);
    const body = await refused(file, { kind: 'people' }, 400, 'IMPORT_MISSING_HEADERS');
    expect(body.message).toBe(
      'Trang tính "Can bo" thiếu cột bắt buộc: "Đơn vị", "Số CCCD hoặc Mã cán bộ".',
    );
    expect(body.details.map((d) => d.field)).toEqual(['Đơn vị', 'Số CCCD hoặc Mã cán bộ']);
    const headerOnly = csvOf([HEADER]);
    await refused(headerOnly, { kind: 'people' }, 400, 'IMPORT_NO_ROWS');
  });

  it('refuses merged cells, naming the range', async () => {
    const file = await xlsxOf(
      {
        'Can bo': [
          HEADER,
          ['Nguyễn Văn An', '01/01/1985', 'Nam', cccd(1985, 'male', 501), 'HN-HD'],
          ['Nguyễn Văn Bình', '01/01/1986', 'Nam', cccd(1986, 'male', 502), null],
        ],
      },
      (wb) => wb.getWorksheet('Can bo')!.mergeCells('E2:E3'),
    );
    const body = await refused(file, {}, 400, 'IMPORT_MERGED_CELLS', 'gop-o.xlsx');
    expect(body.message).toBe(
      'Trang tính "Can bo" có ô gộp (E2:E3): hãy bỏ gộp ô để mỗi dòng có đủ giá trị.',
    );
  });

  it('uses the values of formulas', async () => {
    const file = await xlsxOf({
      'Can bo': [
        HEADER,
        [
          { formula: 'CONCATENATE("Nguyễn ","Văn ","Tú")', result: 'Nguyễn Văn Tú' },
          '01/01/1985',
          'Nam',
          { formula: '"001085000601"', result: cccd(1985, 'male', 601) },
          { formula: '"HN-HD"', result: 'HN-HD' },
        ],
      ],
    });
    const res = await upload(file, { mode: 'commit' }, 'cong-thuc.xlsx').expect(201);
    expect(res.body.totals.created).toBe(1);
    const [p] = await t.dataSource.query<{ full_name: string }[]>(
      `SELECT full_name FROM people WHERE national_id = $1`,
      [cccd(1985, 'male', 601)],
    );
    expect(p.full_name).toBe('Nguyễn Văn Tú');
  });

  it('refuses duplicate CCCDs in the file, and CCCDs of the wrong length or check', async () => {
    const dup = cccd(1985, 'male', 701);
    const file = csvOf([
      HEADER,
      ['Nguyễn Văn An', '01/01/1985', 'Nam', dup, 'HN-HD'],
      ['Nguyễn Văn Ân', '01/01/1985', 'Nam', dup, 'HN-HD'],
      ['Trần Văn Bảo', '01/01/1985', 'Nam', '0010850007', 'HN-HD'],
      ['Trần Văn Cường', '01/01/1985', 'Nam', '999085000703', 'HN-HD'],
      ['Trần Thị Dung', '01/01/1985', 'Nữ', cccd(1985, 'male', 704), 'HN-HD'],
      ['Trần Văn Em', '01/01/1985', 'Nam', cccd(1975, 'male', 705), 'HN-HD'],
      ['Trần Văn Phú', '01/01/1985', 'Nam', cccd(1985, 'male', 706), 'BN-TS'],
    ]);
    const body = await refused(
      file,
      { kind: 'people', mode: 'commit' },
      422,
      'IMPORT_ROWS_INVALID',
    );
    const messages = Object.fromEntries(
      body.details.filter((d) => d.field !== 'importId').map((d) => [d.field, d.message]),
    );
    expect(messages).toEqual({
      'people[2].Số CCCD': 'Số CCCD trùng với dòng 3 trong tệp.',
      'people[3].Số CCCD': 'Số CCCD trùng với dòng 2 trong tệp.',
      'people[4].Số CCCD': 'Số CCCD phải có đúng 12 chữ số (ô này có 10).',
      'people[5].Số CCCD': 'Ba chữ số đầu (999) không phải mã tỉnh nơi đăng ký khai sinh.',
      'people[6].Số CCCD': 'Chữ số thứ tư của số CCCD không khớp với giới tính.',
      'people[7].Số CCCD': 'Số CCCD ghi năm sinh 1975, khác với ngày sinh.',
      'people[8].Đơn vị': 'Không tìm thấy đơn vị "BN-TS" trong phạm vi của bạn.',
    });
  });
});
