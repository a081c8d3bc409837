import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDateFormat, readXlsx, StringTable, workbookSheets, XlsxRow } from './xlsx-reader';

async function rowsOf(path: string): Promise<Record<string, XlsxRow[]>> {
  const out: Record<string, XlsxRow[]> = {};
  for await (const sheet of readXlsx(path)) {
    const rows: XlsxRow[] = [];
    for await (const row of sheet.rows) rows.push(row);
    out[sheet.name] = rows;
  }
  return out;
}

describe('xlsx reader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xlsx-reader-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads each kind of cell as the spreadsheet shows it', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Cán bộ');
    ws.addRow(['Họ và tên', 'Ngày sinh', 'Đảng viên', 'Số', 'Công thức']);
    const row = ws.addRow([
      { richText: [{ text: 'Nguyễn ' }, { font: { bold: true }, text: 'Thị Ánh' }] },
      new Date(Date.UTC(1986, 3, 30)),
      true,
      42.5,
      { formula: 'D2*2', result: 85 },
    ]);
    row.getCell(2).numFmt = 'dd/mm/yyyy';
    ws.getCell('H3').value = 'xa'; // a sparse row: columns A–G empty
    const other = wb.addWorksheet('Đơn vị');
    other.addRow(['Mã']);
    const path = join(dir, 'kinds.xlsx');
    await wb.xlsx.writeFile(path);

    const read = await rowsOf(path);
    expect(Object.keys(read)).toEqual(['Cán bộ', 'Đơn vị']);
    expect(read['Cán bộ'][0]).toEqual({
      rowNo: 1,
      cells: ['Họ và tên', 'Ngày sinh', 'Đảng viên', 'Số', 'Công thức'],
    });
    expect(read['Cán bộ'][1]).toEqual({
      rowNo: 2,
      cells: ['Nguyễn Thị Ánh', new Date(Date.UTC(1986, 3, 30)), true, 42.5, 85],
    });
    expect(read['Cán bộ'][2]).toEqual({
      rowNo: 3,
      cells: [null, null, null, null, null, null, null, 'xa'],
    });
    expect(read['Đơn vị']).toEqual([{ rowNo: 1, cells: ['Mã'] }]);
  });

  it('gives the sheets with their merged ranges and sizes', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Gộp');
    ws.addRow(['a', 'b']);
    ws.addRow(['c', 'd']);
    ws.mergeCells('A1:B1');
    const path = join(dir, 'merged.xlsx');
    await wb.xlsx.writeFile(path);
    await expect(workbookSheets(path)).resolves.toEqual([
      { name: 'Gộp', merged: ['A1:B1'], rows: 2 },
    ]);
    // The sizes alone stop at the rows: the merges after them are not read.
    await expect(workbookSheets(path, { merges: false })).resolves.toEqual([
      { name: 'Gộp', merged: [], rows: 2 },
    ]);
  });

  it('refuses a file that is not a workbook', async () => {
    const path = join(dir, 'not.xlsx');
    writeFileSync(path, Buffer.from('PK\x03\x04 not really a zip'));
    await expect(workbookSheets(path)).rejects.toMatchObject({ code: 'IMPORT_NOT_SPREADSHEET' });
  });

  it('keeps shared strings exactly across its buffers', () => {
    const table = new StringTable();
    const long = 'Đ'.repeat(700_000); // 1.4 MB of UTF-8: three of them do not fit in one buffer
    for (let i = 0; i < 5; i++) table.add(`${long}${i}`);
    table.add('');
    table.add('Thắng');
    expect(table.size).toBe(7);
    for (let i = 0; i < 5; i++) expect(table.get(i)).toBe(`${long}${i}`);
    expect(table.get(5)).toBe('');
    expect(table.get(6)).toBe('Thắng');
    expect(table.get(7)).toBeNull();
    expect(table.get(-1)).toBeNull();
  });

  it('tells date formats from number formats', () => {
    for (const code of ['dd/mm/yyyy', 'd-mmm-yy', 'yyyy-mm-dd hh:mm', '[$-42A]dd/mm/yyyy']) {
      expect([code, isDateFormat(code)]).toEqual([code, true]);
    }
    for (const code of ['0.00', '#,##0', '0%', '"ngày" 0', '@']) {
      expect([code, isDateFormat(code)]).toEqual([code, false]);
    }
  });
});
