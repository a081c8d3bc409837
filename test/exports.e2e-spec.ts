import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { IMPORT_KIND_SPECS, IMPORT_KINDS } from '../src/imports/import-kinds.types';
import { expectError } from './expect-error';
import { binary } from './support/binary-body';
import { bearer, createTestApp, TestApp } from './support/test-app';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BOM = '\ufeff';

type Validation = { type: string; formulae: string[] };

/**
 * Issue 15, items 1 and 6: the import's templates and the export of the same shapes, read back as
 * a spreadsheet reads them (exceljs, csv-parse): headers, comments, drop-down lists, formats,
 * diacritics and CCCDs exact; the subtree, the scope (404) and the roles (403).
 */
describe('import templates and exports', () => {
  let t: TestApp;
  let hr: Record<string, string>;
  let admin: Record<string, string>;
  let hanoi: string;
  let bacNinh: string;
  let may: string;

  const download = async (
    url: string,
    headers: Record<string, string>,
    query: Record<string, string> = {},
  ) => {
    const res = await t.http
      .get(url)
      .query(query)
      .set(headers)
      .buffer(true)
      .parse(binary)
      .expect(200);
    return res as unknown as { body: Buffer; headers: Record<string, string> };
  };

  const workbook = async (bytes: Buffer) => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    return book;
  };

  const csvRows = (bytes: Buffer): string[][] => {
    const text = bytes.toString('utf8');
    expect(text.startsWith(BOM)).toBe(true);
    return parse(text, { bom: true, relax_column_count: true });
  };

  const validationAt = (sheet: ExcelJS.Worksheet, address: string): Validation | undefined =>
    sheet.getCell(address).dataValidation;

  beforeAll(async () => {
    t = await createTestApp();
    hr = bearer(t.tokens.hrHanoi);
    admin = bearer(t.tokens.admin);
    hanoi = await t.unitId('HN');
    bacNinh = await t.unitId('BN');
    may = await t.unitId('HN-HD-MAY');
    // CCCDs with a leading zero (Hà Nội is province 001): they must come out as written.
    await t.dataSource.query(
      `UPDATE people p SET national_id = '0011' || lpad(n::text, 8, '0')
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM people) x
        WHERE x.id = p.id`,
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('templates', () => {
    it('gives the people template as a workbook: bold frozen headers with comments, lists, formats, an example', async () => {
      const res = await download('/api/v1/import-templates/people', hr);
      expect(res.headers['content-type']).toBe(XLSX);
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="mau-nhap-can-bo-doan-vien.xlsx"; ' +
          "filename*=UTF-8''M%E1%BA%ABu%20nh%E1%BA%ADp%20-%20C%C3%A1n%20b%E1%BB%99%2C%20%C4%91o%C3%A0n%20vi%C3%AAn.xlsx",
      );
      const book = await workbook(res.body);
      expect(book.worksheets.map((s) => s.name)).toEqual(['Can bo', 'Hướng dẫn']);
      const sheet = book.getWorksheet('Can bo')!;
      const spec = IMPORT_KIND_SPECS.people;
      const headers = spec.columns.map((_, i) => sheet.getRow(1).getCell(i + 1).value);
      expect(headers).toEqual(spec.columns.map((c) => c.header));
      expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

      const col = (key: string) => spec.columns.findIndex((c) => c.key === key) + 1;
      const idCell = sheet.getRow(1).getCell(col('nationalId'));
      expect(idCell.note).toBe('12 chữ số; nhập dạng văn bản để giữ số 0 đầu');
      const unitNote = sheet.getRow(1).getCell(col('orgUnit')).note;
      expect(unitNote).toEqual(expect.stringMatching(/^\(Bắt buộc\) Mã đơn vị/));

      const gender = sheet.getRow(2).getCell(col('gender')).address.replace(/\d+$/, '');
      for (const row of [2, 500, 10001]) {
        expect(validationAt(sheet, `${gender}${row}`)).toMatchObject({
          type: 'list',
          formulae: ['"Nam,Nữ"'],
        });
      }
      expect(validationAt(sheet, `${gender}10002`)).toBeUndefined();

      expect(sheet.getRow(2).getCell(col('nationalId')).value).toBe('027185001234');
      expect(sheet.getColumn(col('nationalId')).numFmt).toBe('@');
      expect(sheet.getColumn(col('birthDate')).numFmt).toBe('dd/mm/yyyy');
      const born = sheet.getRow(2).getCell(col('birthDate'));
      expect(born.value).toEqual(new Date('1985-03-14T00:00:00Z'));
      expect(sheet.getRow(2).getCell(col('fullName')).value).toBe('Nguyễn Thị Hương');
      expect(sheet.getRow(2).getCell(col('gender')).value).toBe('Nữ');

      const guide = book.getWorksheet('Hướng dẫn')!;
      const lines = guide.getSheetValues().slice(2) as unknown[][];
      const genderLine = lines.find((l) => l[2] === 'Giới tính')!;
      expect(genderLine.slice(1)).toEqual([
        'Can bo',
        'Giới tính',
        'gender',
        'Không',
        'Nam / male / M; Nữ / female / F',
        'Nam hoặc Nữ',
      ]);
      const unitLine = lines.find((l) => l[2] === 'Đơn vị')!;
      expect(unitLine[4]).toBe('Có');
    });

    it('keeps a list holding a comma (the unit levels) on a hidden sheet, and sectors and post types as lists', async () => {
      const units = await workbook((await download('/api/v1/import-templates/org_units', hr)).body);
      expect(units.worksheets.map((s) => [s.name, s.state])).toEqual([
        ['Don vi', 'visible'],
        ['Hướng dẫn', 'visible'],
        ['Danh muc', 'veryHidden'],
      ]);
      const level = validationAt(units.getWorksheet('Don vi')!, 'C2');
      expect(level).toMatchObject({ type: 'list', formulae: ["'Danh muc'!$A$1:$A$6"] });
      const lists = units.getWorksheet('Danh muc')!;
      expect([1, 2, 3, 4, 5, 6].map((r) => lists.getCell(r, 1).value)).toEqual([
        'Tổng Liên đoàn',
        'LĐLĐ tỉnh, thành phố',
        'Công đoàn ngành Trung ương',
        'Công đoàn cấp trên trực tiếp cơ sở',
        'Công đoàn cơ sở',
        'Công đoàn bộ phận',
      ]);
      const sector = validationAt(units.getWorksheet('Don vi')!, 'F2');
      expect(sector?.formulae[0]).toContain('Doanh nghiệp FDI');

      const posts = await workbook((await download('/api/v1/import-templates/posts', hr)).body);
      const postType = validationAt(posts.getWorksheet('Chuc danh')!, 'B9');
      expect(postType?.formulae[0]).toContain('Chủ tịch');
      expect(postType?.formulae[0]).toContain('Trưởng Ban Nữ công');
    });

    it('gives every kind in one workbook, one sheet each', async () => {
      const res = await download('/api/v1/import-templates', admin);
      const book = await workbook(res.body);
      expect(book.worksheets.map((s) => s.name)).toEqual([
        ...IMPORT_KINDS.map((k) => IMPORT_KIND_SPECS[k].sheet),
        'Hướng dẫn',
        'Danh muc',
      ]);
      expect(res.headers['content-disposition']).toContain("filename*=UTF-8''M%E1%BA%ABu");
      const accounts = book.getWorksheet('Tai khoan')!;
      expect(accounts.getRow(2).getCell(3).value).toBe('Tổ chức cán bộ');
    });

    it('gives a CSV template: BOM, the header row and the example', async () => {
      const res = await download('/api/v1/import-templates/appointments', hr, { format: 'csv' });
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(
        /filename="mau-nhap-bau-cu-bo-nhiem\.csv"/,
      );
      const rows = csvRows(res.body);
      expect(rows[0]).toEqual(IMPORT_KIND_SPECS.appointments.columns.map((c) => c.header));
      expect(rows.slice(1)).toEqual([
        [
          '027185001234',
          'Nguyễn Thị Hương',
          'LDLD-BN-QV-DTQV',
          'Chủ tịch',
          'Nhiệm kỳ 2023–2028',
          'Bầu',
          '15/07/2023',
          '',
        ],
      ]);
    });

    it('refuses an unknown kind, an unknown format and CSV for the all-kinds workbook with 400', async () => {
      expectError(
        await t.http.get('/api/v1/import-templates/cadres').set(hr),
        400,
        'VALIDATION_FAILED',
        ['kind'],
      );
      expectError(
        await t.http.get('/api/v1/import-templates/people').query({ format: 'pdf' }).set(hr),
        400,
        'VALIDATION_FAILED',
        ['format'],
      );
      expectError(
        await t.http.get('/api/v1/import-templates').query({ format: 'csv' }).set(hr),
        400,
        'VALIDATION_FAILED',
        ['format'],
      );
    });

    it('refuses those who cannot import (training officer, learner) with 403', async () => {
      for (const token of [t.tokens.officerHanoi, t.tokens.chair]) {
        expectError(
          await t.http.get('/api/v1/import-templates/people').set(bearer(token)),
          403,
          'FORBIDDEN',
        );
        expectError(
          await t.http.get('/api/v1/import-templates').set(bearer(token)),
          403,
          'FORBIDDEN',
        );
      }
    });
  });

  describe('exports', () => {
    const peopleIn = (code: string) =>
      t.dataSource.query<
        { full_name: string; national_id: string; unit_code: string; birth: string | null }[]
      >(
        `SELECT p.full_name, p.national_id, u.code AS unit_code,
                to_char(p.birth_date, 'DD/MM/YYYY') AS birth
           FROM people p JOIN org_units u ON u.id = p.home_org_unit_id
           JOIN org_units r ON r.code = $1 AND u.path LIKE r.path || '%'
          WHERE p.status = 'active'`,
        [code],
      );

    it('exports the people of a subtree as CSV with the template headers, diacritics and CCCDs exact', async () => {
      const res = await download('/api/v1/exports/people', hr, { format: 'csv', orgUnitId: hanoi });
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(
        /filename="can-bo-doan-vien-hn-\d{4}-\d{2}-\d{2}\.csv"/,
      );
      const rows = csvRows(res.body);
      const spec = IMPORT_KIND_SPECS.people;
      expect(rows[0]).toEqual(spec.columns.map((c) => c.header));
      const at = (key: string) => spec.columns.findIndex((c) => c.key === key);
      const expected = await peopleIn('HN');
      expect(expected.length).toBeGreaterThan(3);
      const got = rows.slice(1).map((r) => ({
        full_name: r[at('fullName')],
        national_id: r[at('nationalId')],
        unit_code: r[at('orgUnit')],
        birth: r[at('birthDate')] || null,
      }));
      const byId = (a: { national_id: string }, b: { national_id: string }) =>
        a.national_id.localeCompare(b.national_id);
      expect(got.sort(byId)).toEqual(expected.sort(byId));
      expect(got.every((p) => /^0011\d{8}$/.test(p.national_id))).toBe(true);
      expect(rows.slice(1).every((r) => ['Nam', 'Nữ', ''].includes(r[at('gender')]))).toBe(true);
      expect(
        got.some((p) =>
          /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(p.full_name),
        ),
      ).toBe(true);
      expect(got.every((p) => p.unit_code.startsWith('HN'))).toBe(true);
    });

    it('exports the units of a subtree as a workbook, parents first, levels and sectors in Vietnamese', async () => {
      const res = await download('/api/v1/exports/org_units', hr, { orgUnitId: hanoi });
      expect(res.headers['content-type']).toBe(XLSX);
      const book = await workbook(res.body);
      expect(book.worksheets.map((s) => s.name)).toEqual(['Don vi']);
      const sheet = book.worksheets[0];
      const rows = (sheet.getSheetValues().slice(1) as unknown[][]).map((r) => r.slice(1));
      expect(rows[0]).toEqual(IMPORT_KIND_SPECS.org_units.columns.map((c) => c.header));
      const units = await t.dataSource.query<{ code: string; name: string }[]>(
        `SELECT u.code, u.name FROM org_units u JOIN org_units r ON r.code = 'HN'
          WHERE u.path LIKE r.path || '%' AND u.status = 'active'`,
      );
      expect(
        rows
          .slice(1)
          .map((r) => [r[0], r[1]])
          .sort(),
      ).toEqual(units.map((u) => [u.code, u.name]).sort());
      expect(rows[1].slice(0, 5)).toEqual([
        'HN',
        units.find((u) => u.code === 'HN')!.name,
        'LĐLĐ tỉnh, thành phố',
        'VGCL',
        undefined,
      ]);
      const seen = new Set<string>(['VGCL']);
      for (const r of rows.slice(1)) {
        expect(seen.has(r[3] as string)).toBe(true); // the parent came before
        seen.add(r[0] as string);
      }
      const grassroots = rows.find((r) => r[0] === 'HN-HD-MAY')!;
      expect(grassroots[2]).toBe('Công đoàn cơ sở');
      expect([
        'Hành chính sự nghiệp',
        'Doanh nghiệp nhà nước',
        'Doanh nghiệp ngoài nhà nước',
        'Doanh nghiệp FDI',
        'Hợp tác xã',
        'Khu vực phi chính thức',
      ]).toContain(grassroots[5]);
      expect(typeof grassroots[7]).toBe('number');
    });

    it('reads past one page (5,000 rows) without losing or repeating a row', async () => {
      await t.dataSource.query(
        `INSERT INTO people (family_name, middle_name, given_name, full_name, search_name, sort_key,
                             birth_date, gender, national_id, home_org_unit_id)
         SELECT 'Trần', 'Văn', 'Đức ' || n, 'Trần Văn Đức ' || n, 'tran van duc ' || n,
                'duc ' || n, DATE '1990-01-01' + n, 'male', '0012' || lpad(n::text, 8, '0'), $1
           FROM generate_series(1, 5200) n`,
        [may],
      );
      const res = await download('/api/v1/exports/people', hr, { format: 'xlsx', orgUnitId: may });
      const sheet = (await workbook(res.body)).worksheets[0];
      const spec = IMPORT_KIND_SPECS.people;
      const at = (key: string) => spec.columns.findIndex((c) => c.key === key) + 1;
      const ids: string[] = [];
      sheet.eachRow((row, n) => {
        if (n > 1) ids.push(row.getCell(at('nationalId')).value as string);
      });
      const expected = await peopleIn('HN-HD-MAY');
      expect(ids).toHaveLength(expected.length);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(expected.map((p) => p.national_id).sort());
      const generated = [...Array(sheet.rowCount).keys()]
        .map((i) => sheet.getRow(i + 1))
        .find((r) => r.getCell(at('fullName')).value === 'Trần Văn Đức 7')!;
      expect(generated.getCell(at('birthDate')).value).toEqual(new Date('1990-01-08T00:00:00Z'));
      expect(generated.getCell(at('gender')).value).toBe('Nam');
    });

    it('exports appointments with the person’s CCCD, the post in Vietnamese and dd/mm/yyyy dates', async () => {
      const res = await download('/api/v1/exports/appointments', hr, { format: 'csv' });
      const rows = csvRows(res.body);
      expect(rows[0]).toEqual(IMPORT_KIND_SPECS.appointments.columns.map((c) => c.header));
      const expected = await t.dataSource.query<{ national_id: string; start: string }[]>(
        `SELECT p.national_id, to_char(a.start_date, 'DD/MM/YYYY') AS start
           FROM appointments a JOIN posts po ON po.id = a.post_id
           JOIN org_units u ON u.id = po.org_unit_id JOIN people p ON p.id = a.person_id
           JOIN org_units r ON r.code = 'HN'
          WHERE u.path LIKE r.path || '%' AND a.status <> 'cancelled'`,
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(
        rows
          .slice(1)
          .map((r) => [r[0], r[6]])
          .sort(),
      ).toEqual(expected.map((e) => [e.national_id, e.start]).sort());
      expect(rows.slice(1).some((r) => r[3] === 'Chủ tịch')).toBe(true);
      expect(rows.slice(1).every((r) => ['Bầu', 'Chỉ định'].includes(r[5]))).toBe(true);
    });

    it('exports posts and terms of the caller’s scope with the template headers', async () => {
      for (const kind of ['posts', 'terms'] as const) {
        const rows = csvRows(
          (await download(`/api/v1/exports/${kind}`, hr, { format: 'csv', orgUnitId: hanoi })).body,
        );
        expect(rows[0]).toEqual(IMPORT_KIND_SPECS[kind].columns.map((c) => c.header));
        expect(rows.slice(1).every((r) => r[0].startsWith('HN'))).toBe(true);
      }
    });

    it('exports accounts with role words and scope codes to administrators only', async () => {
      const rows = csvRows(
        (await download('/api/v1/exports/accounts', admin, { format: 'csv' })).body,
      );
      expect(rows[0]).toEqual(IMPORT_KIND_SPECS.accounts.columns.map((c) => c.header));
      expect(rows).toContainEqual([
        'hr.hanoi@lms.congdoan.test',
        expect.stringMatching(/^0011\d{8}$/),
        'Tổ chức cán bộ',
        'HN',
      ]);
      expectError(await t.http.get('/api/v1/exports/accounts').set(hr), 403, 'FORBIDDEN');
    });

    it('answers 404 for a unit outside the caller’s scope, and for one that does not exist', async () => {
      expectError(
        await t.http.get('/api/v1/exports/people').query({ orgUnitId: bacNinh }).set(hr),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await t.http
          .get('/api/v1/exports/org_units')
          .query({ orgUnitId: '00000000-0000-4000-8000-000000000000' })
          .set(hr),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
    });

    it('refuses training officers and learners with 403, whatever the unit', async () => {
      for (const token of [t.tokens.officerHanoi, t.tokens.chair]) {
        for (const kind of ['people', 'org_units']) {
          expectError(
            await t.http
              .get(`/api/v1/exports/${kind}`)
              .query({ orgUnitId: hanoi })
              .set(bearer(token)),
            403,
            'FORBIDDEN',
          );
        }
      }
    });

    it('refuses an unknown kind, format or unit id with 400 and the stable body', async () => {
      expectError(await t.http.get('/api/v1/exports/salaries').set(hr), 400, 'VALIDATION_FAILED', [
        'kind',
      ]);
      expectError(
        await t.http.get('/api/v1/exports/people').query({ format: 'ods' }).set(hr),
        400,
        'VALIDATION_FAILED',
        ['format'],
      );
      expectError(
        await t.http.get('/api/v1/exports/people').query({ orgUnitId: 'HN' }).set(hr),
        400,
        'VALIDATION_FAILED',
        ['orgUnitId'],
      );
      expectError(
        await t.http
          .get('/api/v1/exports/people')
          .query({ format: ['csv', 'xlsx'] })
          .set(hr),
        400,
        'VALIDATION_FAILED',
        ['format'],
      );
    });
  });
});
