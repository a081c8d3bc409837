import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSheets } from './sheet-file';
import { utf8Text } from './xlsx-reader';

/** Distinct Vietnamese names, long enough that a large file crosses many 16 KB chunks. */
const names = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `Công đoàn cơ sở Công ty TNHH Điện tử Đức Thắng số ${i} – Hòa Bình, Khu vực phi chính thức`,
  );

async function readAll(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const sheet of readSheets(path, 'xlsx')) {
    for await (const row of sheet.rows) out.push(String(row.cells[0]));
  }
  return out;
}

describe('reading a workbook keeps every Vietnamese letter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decodes a letter split between two chunks whole', async () => {
    const bytes = Buffer.from('Đức Thắng', 'utf8');
    async function* split() {
      yield bytes.subarray(0, 2); // 'Đ' is two bytes: the first chunk ends inside 'ứ'
      yield bytes.subarray(2, 4);
      yield bytes.subarray(4);
    }
    let text = '';
    for await (const part of utf8Text(split())) text += part;
    expect(text).toBe('Đức Thắng');
  });

  it('reads shared strings of a large workbook exactly', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Don vi');
    const values = names(3000);
    for (const v of values) ws.addRow([v]);
    const path = join(dir, 'shared.xlsx');
    await wb.xlsx.writeFile(path);
    const read = await readAll(path);
    expect(read.filter((v) => v.includes('\ufffd'))).toEqual([]);
    expect(read).toEqual(values);
  });

  it('reads inline strings of a large streamed workbook exactly', async () => {
    const path = join(dir, 'inline.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
    const ws = wb.addWorksheet('Don vi');
    const values = names(3000);
    for (const v of values) ws.addRow([v]).commit();
    await wb.commit();
    const read = await readAll(path);
    expect(read.filter((v) => v.includes('\ufffd'))).toEqual([]);
    expect(read).toEqual(values);
  });
});
