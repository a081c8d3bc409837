import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { CalendarDay, day, TableCell, tableCsv, TableSpec, tableXlsx } from './table';

const spec: TableSpec = {
  sheetName: 'Tiến độ',
  columns: [
    { header: 'Họ và tên', width: 28 },
    { header: 'Hạn hoàn thành', width: 14 },
    { header: 'Số khóa', width: 9 },
    { header: 'Ghi chú', width: 40 },
  ],
};

const rows: TableCell[][] = [
  ['Nguyễn Thị Hằng', day('2026-12-31'), 3, 'Đối thoại, "thương lượng"; ổn'],
  ['Trần Văn Đức', null, -2, '=SUM(A1:A3)'],
  ['Lê Ngọc Ánh', day('2025-01-31'), 2.5, 'dòng 1\ndòng 2'],
];

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

async function* slowly(list: TableCell[][]): AsyncGenerator<TableCell[]> {
  for (const r of list) {
    await new Promise((resolve) => setImmediate(resolve));
    yield r;
  }
}

describe('tableCsv', () => {
  it('writes a BOM, CRLF, dd/MM/yyyy days, numbers as numbers and guarded text', async () => {
    const out = await bytes(tableCsv(spec, slowly(rows)));
    expect([...out.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = out.toString('utf8');
    expect(text.slice(1).split('\r\n')[0]).toBe('Họ và tên,Hạn hoàn thành,Số khóa,Ghi chú');
    expect(text).toContain("\r\nTrần Văn Đức,,-2,'=SUM(A1:A3)\r\n");
    expect(parse(out, { bom: true })).toEqual([
      ['Họ và tên', 'Hạn hoàn thành', 'Số khóa', 'Ghi chú'],
      ['Nguyễn Thị Hằng', '31/12/2026', '3', 'Đối thoại, "thương lượng"; ổn'],
      ['Trần Văn Đức', '', '-2', "'=SUM(A1:A3)"],
      ['Lê Ngọc Ánh', '31/01/2025', '2.5', 'dòng 1\ndòng 2'],
    ]);
  });

  it('passes a failure of the rows on to the reader', async () => {
    async function* failing(): AsyncGenerator<TableCell[]> {
      yield ['a', 1, null, null];
      throw new Error('cursor lost');
    }
    await expect(bytes(tableCsv(spec, failing()))).rejects.toThrow('cursor lost');
  });

  it('ends the rows when the reader goes away', async () => {
    let closed = false;
    async function* endless(): AsyncGenerator<TableCell[]> {
      try {
        for (let i = 0; ; i++) yield [`Người ${i}`, day('2026-01-01'), i, 'x'.repeat(200)];
      } finally {
        closed = true;
      }
    }
    const stream = tableCsv(spec, endless());
    for await (const chunk of stream) {
      expect(chunk).toBeDefined();
      break; // destroys the stream
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(true);
  });
});

describe('tableXlsx', () => {
  it('writes typed cells, a bold frozen header and the column widths', async () => {
    const out = await bytes(tableXlsx(spec, slowly(rows)));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(out as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Tiến độ')!;
    expect(sheet).toBeDefined();
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(1).width).toBe(28);
    expect(sheet.getColumn(4).width).toBe(40);
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'Họ và tên',
      'Hạn hoàn thành',
      'Số khóa',
      'Ghi chú',
    ]);
    expect(sheet.getRow(1).getCell(1).font).toMatchObject({ bold: true });
    expect(sheet.rowCount).toBe(4);
    const r2 = sheet.getRow(2);
    expect(r2.getCell(1).value).toBe('Nguyễn Thị Hằng');
    expect(r2.getCell(2).value).toEqual(new Date('2026-12-31T00:00:00Z'));
    expect(r2.getCell(2).numFmt).toBe('dd/mm/yyyy');
    expect(r2.getCell(3).value).toBe(3);
    expect(r2.getCell(4).value).toBe('Đối thoại, "thương lượng"; ổn');
    const r3 = sheet.getRow(3);
    expect(r3.getCell(2).value).toBeNull();
    expect(r3.getCell(3).value).toBe(-2);
    // Text is a string cell, never a formula: no guard needed in the workbook.
    expect(r3.getCell(4).type).toBe(ExcelJS.ValueType.String);
    expect(r3.getCell(4).value).toBe('=SUM(A1:A3)');
    expect(sheet.getRow(4).getCell(3).value).toBe(2.5);
  });

  it('passes a failure of the rows on to the reader', async () => {
    async function* failing(): AsyncGenerator<TableCell[]> {
      yield ['a', 1, null, null];
      throw new Error('cursor lost');
    }
    await expect(bytes(tableXlsx(spec, failing()))).rejects.toThrow('cursor lost');
  });
});

describe('CalendarDay', () => {
  it('reads yyyy-MM-dd only', () => {
    expect(new CalendarDay('2029-12-01').vi).toBe('01/12/2029');
    expect(() => new CalendarDay('01/12/2029')).toThrow(RangeError);
    expect(day(null)).toBeNull();
  });
});
