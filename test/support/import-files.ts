import ExcelJS from 'exceljs';

/** CSV text of rows (header first), comma separated, quoted where needed; UTF-8 with BOM. */
export function csvOf(rows: (string | number | null)[][], bom = true): Buffer {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from(bom ? '\ufeff' : ''), Buffer.from(text, 'utf8')]);
}

export type SheetCells = ExcelJS.CellValue[][];

/** An .xlsx workbook of named sheets; `prepare` may style or merge cells before it is written. */
export async function xlsxOf(
  sheets: Record<string, SheetCells>,
  prepare?: (wb: ExcelJS.Workbook) => void,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  prepare?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A valid CCCD: Hà Nội (001), the century/gender digit, the birth year's last two digits. */
export function cccd(
  birthYear: number,
  gender: 'male' | 'female',
  serial: number,
  province = '001',
): string {
  const century = birthYear >= 2000 ? 2 : 0;
  const digit = century + (gender === 'female' ? 1 : 0);
  return `${province}${digit}${String(birthYear % 100).padStart(2, '0')}${String(serial).padStart(6, '0')}`;
}
