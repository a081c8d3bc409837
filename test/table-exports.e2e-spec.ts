import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';
import { expectError } from './expect-error';
import { binary } from './support/binary-body';
import {
  completeCourses,
  createAssignment,
  createProgramme,
  peopleOf,
  personIdByEmail,
} from './support/programme-fixtures';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Issue 12, item 5: every report that has a CSV also has an XLSX — the assignment progress,
 * the transcript and the cadre pipeline — read back with csv-parse and exceljs so that the
 * diacritics, the types of the cells, the frozen header and the formula guard are seen as a
 * spreadsheet sees them.
 */
describe('report exports: CSV and XLSX', () => {
  let t: TestApp;
  let assignmentId: string;
  let chairId: string;

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

  beforeAll(async () => {
    t = await createTestApp();
    chairId = await personIdByEmail(t.dataSource, DEMO.chair);
    const programmeId = await createProgramme(t.dataSource, {
      code: `P-${randomBytes(3).toString('hex').toUpperCase()}`,
      title: 'Chương trình xuất bảng',
      courseCodes: ['K02'],
      ownerUnit: 'HN',
    });
    const people = await peopleOf(t.dataSource, 'HN-HD-MAY');
    assignmentId = await createAssignment(
      t.dataSource,
      programmeId,
      'HN',
      people.slice(0, 3),
      '2025-01-31',
    );
    await completeCourses(t.dataSource, people[0], ['K02'], '2024-12-20T03:00:00Z');
    // A name that a spreadsheet would run as a formula: guarded in CSV, plain text in Excel.
    await t.dataSource.query(`UPDATE people SET full_name = '=HYPERLINK("x")' WHERE id = $1`, [
      people[2],
    ]);
  }, 120_000);

  afterAll(async () => {
    await t.close();
  });

  it('exports the assignment progress as CSV: BOM, CRLF, Vietnamese, guard, dd/MM/yyyy', async () => {
    const res = await download(
      `/api/v1/assignments/${assignmentId}/export.csv`,
      t.tokens.officerHanoi,
    );
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="assignment-${assignmentId}.csv"`,
    );
    expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.body.toString('utf8')).toContain('\r\n');
    const rows = parse(res.body, { bom: true });
    expect(rows[0]).toEqual([
      'Họ và tên',
      'Đơn vị',
      'Hạn hoàn thành',
      'Trạng thái',
      'Số khóa đã hoàn thành',
      'Số khóa yêu cầu',
      'Ngày hoàn thành',
    ]);
    expect(rows).toHaveLength(4);
    const done = rows.find((r) => r[3] === 'Đã hoàn thành')!;
    expect(done.slice(2)).toEqual(['31/01/2025', 'Đã hoàn thành', '1', '1', '20/12/2024']);
    expect(rows.filter((r) => r[3] === 'Quá hạn')).toHaveLength(2);
    expect(rows.map((r) => r[0])).toContain('\'=HYPERLINK("x")');
  });

  it('exports the assignment progress as XLSX: typed cells, frozen bold header, widths', async () => {
    const res = await download(
      `/api/v1/assignments/${assignmentId}/export.xlsx`,
      t.tokens.officerHanoi,
    );
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="assignment-${assignmentId}.xlsx"`,
    );
    const sheet = await workbook(res.body);
    expect(sheet.name).toBe('Tiến độ');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).value).toBe('Họ và tên');
    expect(sheet.getRow(1).getCell(1).font).toMatchObject({ bold: true });
    expect(sheet.getColumn(2).width).toBe(40);
    expect(sheet.rowCount).toBe(4);
    const rows = [2, 3, 4].map((i) => sheet.getRow(i));
    const done = rows.find((r) => r.getCell(4).value === 'Đã hoàn thành')!;
    expect(done.getCell(3).value).toEqual(new Date('2025-01-31T00:00:00Z'));
    expect(done.getCell(3).numFmt).toBe('dd/mm/yyyy');
    expect(done.getCell(5).value).toBe(1);
    expect(done.getCell(6).value).toBe(1);
    expect(done.getCell(7).value).toEqual(new Date('2024-12-20T00:00:00Z'));
    const names = rows.map((r) => r.getCell(1).value);
    expect(names).toContain('=HYPERLINK("x")');
    expect(rows.every((r) => r.getCell(1).type === ExcelJS.ValueType.String)).toBe(true);
    expect(rows[0].getCell(2).text).toMatch(/Công đoàn/);
  });

  it('answers 404 for an assignment out of scope, before any byte of the file', async () => {
    for (const ext of ['csv', 'xlsx']) {
      expectError(
        await t.http
          .get(`/api/v1/assignments/${assignmentId}/export.${ext}`)
          .set(bearer(t.tokens.officerBacNinh)),
        404,
        'ASSIGNMENT_NOT_FOUND',
      );
    }
  });

  it('exports the transcript as XLSX with the completion day a date and hours a number', async () => {
    const url = `/api/v1/people/${chairId}/transcript`;
    const json = (await t.http.get(url).set(bearer(t.tokens.hrHanoi)).expect(200)).body as {
      items: {
        courseCode: string | null;
        courseTitle: string;
        completedOn: string;
        hours: number;
      }[];
    };
    const csv = await download(url, t.tokens.hrHanoi, { format: 'csv' });
    const csvRows = parse(csv.body, { bom: true });
    expect(csvRows).toHaveLength(json.items.length + 1);
    const res = await download(url, t.tokens.hrHanoi, { format: 'xlsx' });
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="transcript-${chairId}.xlsx"`,
    );
    const sheet = await workbook(res.body);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).getCell(2).value).toBe('Tên khóa học');
    expect(sheet.rowCount).toBe(json.items.length + 1);
    json.items.forEach((item, i) => {
      const row = sheet.getRow(i + 2);
      expect(row.getCell(2).value).toBe(item.courseTitle);
      expect(row.getCell(3).value).toEqual(new Date(`${item.completedOn}T00:00:00Z`));
      expect(row.getCell(4).value).toBe(item.hours);
      expect(csvRows[i + 1][1]).toBe(item.courseTitle);
    });
    expectError(
      await t.http.get(url).query({ format: 'xlsx' }).set(bearer(t.tokens.officerBacNinh)),
      404,
      'PERSON_NOT_FOUND',
    );
  });

  it('exports the pipeline as XLSX with the same posts as the CSV', async () => {
    const hn = await t.unitId('HN');
    const url = `/api/v1/org-units/${hn}/pipeline`;
    const csv = await download(url, t.tokens.hrHanoi, { format: 'csv' });
    const csvRows = parse(csv.body, { bom: true });
    const res = await download(url, t.tokens.hrHanoi, { format: 'xlsx' });
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="pipeline-HN-.+\.xlsx"$/,
    );
    const sheet = await workbook(res.body);
    expect(sheet.name).toBe('Nguồn cán bộ');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.rowCount).toBe(csvRows.length);
    expect(sheet.getRow(1).getCell(9).value).toBe('Sẵn sàng 1–2 năm');
    for (let i = 2; i <= sheet.rowCount; i++) {
      const row = sheet.getRow(i);
      const line = csvRows[i - 1];
      expect(row.getCell(1).value).toBe(line[0]);
      expect(row.getCell(2).value).toBe(line[1]);
      expect(row.getCell(11).value).toBe(Number(line[10]));
      const term = row.getCell(7).value;
      if (line[6] === '') expect(term).toBeNull();
      else {
        expect(term).toBeInstanceOf(Date);
        expect((term as Date).toISOString().slice(0, 10)).toBe(
          line[6].split('/').reverse().join('-'),
        );
      }
    }
    expectError(
      await t.http.get(url).query({ format: 'xls' }).set(bearer(t.tokens.hrHanoi)),
      400,
      'VALIDATION_FAILED',
    );
  });
});
