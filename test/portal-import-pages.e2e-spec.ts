import ExcelJS from 'exceljs';
import { DEMO_PASSWORD } from '../src/seed/demo-data';
import { cccd, csvOf } from './support/import-files';
import { createTestApp, DEMO, TestApp } from './support/test-app';

jest.setTimeout(60_000);

/** A signed-in browser's cookies for a demo account. */
async function cookieOf(t: TestApp, email: string): Promise<{ cookie: string; csrf: string }> {
  const page = await t.http.get('/sign-in');
  const csrf = /lms_csrf=([^;]+)/.exec(String(page.headers['set-cookie']))![1];
  const res = await t.http
    .post('/sign-in')
    .set('Cookie', `lms_csrf=${csrf}`)
    .type('form')
    .send({ _csrf: csrf, email, password: DEMO_PASSWORD });
  const session = /lms_session=([^;]+)/.exec(String(res.headers['set-cookie']))![1];
  return { cookie: `lms_session=${session}; lms_csrf=${csrf}`, csrf };
}

const HEADER = ['Họ và tên', 'Ngày sinh', 'Giới tính', 'Số CCCD', 'Đơn vị'];

/**
 * Issue 15 in the portal: HR loads a spreadsheet from a browser — the form, a dry run that
 * writes nothing and shows each row's errors in Vietnamese, the real run, the templates and
 * exports to download; the upload's CSRF token travels in the form's address; a chair is
 * refused.
 */
describe('portal: the import pages', () => {
  let t: TestApp;
  let hr: { cookie: string; csrf: string };
  let chair: { cookie: string; csrf: string };

  const countPeople = async () =>
    (await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM people`))[0].n;

  const upload = (
    file: Buffer,
    fields: Record<string, string>,
    who = hr,
    csrf: string | null = who.csrf,
  ) => {
    const url = csrf === null ? '/hr/imports' : `/hr/imports?_csrf=${csrf}`;
    const req = t.http.post(url).set('Cookie', who.cookie);
    for (const [k, v] of Object.entries(fields)) void req.field(k, v);
    return req.attach('file', file, 'can-bo.csv');
  };

  beforeAll(async () => {
    t = await createTestApp();
    hr = await cookieOf(t, DEMO.hrHanoi);
    chair = await cookieOf(t, DEMO.chair);
  });

  afterAll(async () => {
    await t.close();
  });

  it('shows the form with every kind, its template and its export', async () => {
    const res = await t.http.get('/hr/imports').set('Cookie', hr.cookie).expect(200);
    expect(res.text).toContain('Nhập dữ liệu');
    expect(res.text).toContain('enctype="multipart/form-data"');
    expect(res.text).toContain(`action="/hr/imports?_csrf=${hr.csrf}"`);
    for (const kind of ['org_units', 'people', 'posts', 'terms', 'appointments']) {
      expect(res.text).toContain(`/hr/imports/templates/${kind}`);
      expect(res.text).toContain(`/hr/imports/exports/${kind}`);
    }
    // Accounts and roles: administrators only.
    expect(res.text).not.toContain('/hr/imports/exports/accounts');
  });

  it('a dry run shows each error row in Vietnamese and writes nothing; the real run writes', async () => {
    const before = await countPeople();
    const bad = csvOf([
      HEADER,
      ['Đặng Thu Hà', '12/04/1986', 'Nữ', cccd(1986, 'female', 701), 'HN-HD-MAY'],
      ['Đỗ Văn Khoa', '31/02/1980', 'Nam', cccd(1980, 'male', 702), 'HN-HD-MAY'],
    ]);
    const dry = await upload(bad, { kind: 'people', mode: 'dry-run' }).expect(200);
    expect(dry.text).toContain('Kết quả chạy thử');
    expect(dry.text).toContain('Các dòng lỗi');
    expect(dry.text).toContain('Ngày sinh');
    expect(dry.text).toContain('Chưa có gì được ghi');
    expect(await countPeople()).toBe(before);

    const good = csvOf([
      HEADER,
      ['Đặng Thu Hà', '12/04/1986', 'Nữ', cccd(1986, 'female', 701), 'HN-HD-MAY'],
    ]);
    const clean = await upload(good, { kind: 'people', mode: 'dry-run' }).expect(200);
    expect(clean.text).toContain('Không có lỗi');
    expect(await countPeople()).toBe(before);

    const real = await upload(good, { kind: 'people', mode: 'commit' }).expect(200);
    expect(real.text).toContain('Đã ghi xong');
    expect(await countPeople()).toBe(before + 1);
    const [row] = await t.dataSource.query<{ full_name: string }[]>(
      `SELECT full_name FROM people WHERE national_id = $1`,
      [cccd(1986, 'female', 701)],
    );
    expect(row.full_name).toBe('Đặng Thu Hà');

    // The import's own page keeps the report.
    const id = /href="\/hr\/imports\/([0-9a-f-]{36})"/.exec(real.text)?.[1];
    expect(id).toBeDefined();
    const shown = await t.http.get(`/hr/imports/${id}`).set('Cookie', hr.cookie).expect(200);
    expect(shown.text).toContain('Hoàn tất');
    expect(shown.text).not.toContain('http-equiv="refresh"');
  });

  it('shows a bad file’s refusal on the form, with its status', async () => {
    const res = await upload(Buffer.from('%PDF-1.4 not a sheet'), { kind: 'people' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.text).toContain('role="alert"');
    expect(res.text).toContain('enctype="multipart/form-data"');
  });

  it('refuses an upload without its CSRF token, and a chair', async () => {
    const before = await countPeople();
    const file = csvOf([
      HEADER,
      ['Mai Văn Lực', '01/01/1980', 'Nam', cccd(1980, 'male', 703), 'HN-HD-MAY'],
    ]);
    await upload(file, { kind: 'people', mode: 'commit' }, hr, null).expect(403);
    await upload(file, { kind: 'people', mode: 'commit' }, hr, 'x'.repeat(hr.csrf.length)).expect(
      403,
    );
    await upload(file, { kind: 'people', mode: 'commit' }, chair).expect(403);
    await t.http.get('/hr/imports').set('Cookie', chair.cookie).expect(403);
    expect(await countPeople()).toBe(before);
  });

  it('downloads a template and an export as spreadsheets', async () => {
    const template = await t.http
      .get('/hr/imports/templates/people')
      .set('Cookie', hr.cookie)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template.body);
    const headers = (wb.worksheets[0].getRow(1).values as unknown[]).filter(Boolean);
    expect(headers).toContain('Họ và tên');
    expect(headers).toContain('Số CCCD');

    const csv = await t.http
      .get('/hr/imports/exports/org_units?format=csv')
      .set('Cookie', hr.cookie)
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\n')[0]).toContain('Mã đơn vị');
    expect(csv.text).toContain('HN-HD-MAY');
    await t.http.get('/hr/imports/templates/nothing').set('Cookie', hr.cookie).expect(404);
  });
});
