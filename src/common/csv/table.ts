import { StreamableFile } from '@nestjs/common';
import { PassThrough, pipeline, Readable, Writable } from 'node:stream';
import { csvWriter, CsvValue } from './csv';

/**
 * A report table written as CSV or as an Excel workbook from the same rows, row by row, so that
 * a large export never holds its rows in memory: the rows may come from an async iterator (a
 * database cursor) and both writers follow the reader's pace (backpressure).
 *
 * Cells are typed: text, a number (a number cell in Excel; written as is in CSV, never
 * formula-guarded) or a calendar day (an Excel date shown dd/mm/yyyy; dd/MM/yyyy in CSV).
 * Text never becomes a formula in the workbook (exceljs writes it as a string), so only the CSV
 * needs the apostrophe guard.
 */

/** A calendar date (yyyy-MM-dd, no time and no zone): a date cell in Excel. */
export class CalendarDay {
  constructor(readonly iso: string) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new RangeError(`not a yyyy-MM-dd date: ${iso}`);
  }

  /** 31/12/2026: as people read it. */
  get vi(): string {
    return `${this.iso.slice(8, 10)}/${this.iso.slice(5, 7)}/${this.iso.slice(0, 4)}`;
  }

  /** Midnight UTC of the day: exceljs turns it into the Excel serial of that very day. */
  toDate(): Date {
    return new Date(`${this.iso}T00:00:00Z`);
  }
}

/** yyyy-MM-dd (or null) → a date cell (or an empty one). */
export function day(iso: string | null | undefined): CalendarDay | null {
  return iso ? new CalendarDay(iso) : null;
}

export type TableCell = string | number | CalendarDay | null | undefined;

export interface TableColumn {
  header: string;
  /** Width in Excel's units (about one character). */
  width: number;
}

export interface TableSpec {
  /** The worksheet's name (at most 31 characters, no []:*?/\). */
  sheetName: string;
  columns: readonly TableColumn[];
}

export type TableRows = Iterable<readonly TableCell[]> | AsyncIterable<readonly TableCell[]>;

export const TABLE_FORMATS = ['csv', 'xlsx'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export const TABLE_CONTENT_TYPES: Record<TableFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function csvCell(cell: TableCell): CsvValue {
  return cell instanceof CalendarDay ? cell.vi : cell;
}

/** The table as CSV for Excel (BOM, CRLF, formula guard: see csv.ts), streamed. */
export function tableCsv(spec: TableSpec, rows: TableRows): Readable {
  async function* lines(): AsyncGenerator<CsvValue[]> {
    yield spec.columns.map((c) => c.header);
    for await (const row of rows) yield row.map(csvCell);
  }
  const writer = csvWriter();
  // A failure of the rows reaches the writer (destroyed with it); a reader that goes away
  // destroys the writer, and pipeline then ends the rows' iterator (releasing a cursor).
  pipeline(Readable.from(lines()), writer, () => undefined);
  return writer;
}

/** Resolves when `out` may take more, or is gone. */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/**
 * The table as an .xlsx workbook with exceljs's streaming writer: one worksheet, the header row
 * bold and frozen, the columns' widths, typed cells. Each row is committed as it comes.
 */
/**
 * Rows between two turns of the event loop while an .xlsx is written: about 16 kB of sheet XML,
 * one chunk of the deflater. exceljs hands the XML to its zip without waiting for the deflater,
 * which gets one chunk done per turn; at 200 rows a turn the uncompressed XML piled up (100 MB
 * for 150,000 rows), at 20 it stays flat.
 */
const XLSX_YIELD_EVERY = 20;

export function tableXlsx(spec: TableSpec, rows: TableRows): Readable {
  const out = new PassThrough();
  const write = async () => {
    // Loaded on the first export: exceljs and its zip libraries are half a second of every start.
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet(spec.sheetName, {
      views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
    });
    sheet.columns = spec.columns.map((c) => ({ width: c.width }));
    const header = sheet.addRow(spec.columns.map((c) => c.header));
    header.font = { bold: true };
    header.commit();
    let count = 0;
    for await (const cells of rows) {
      if (out.destroyed) return; // the reader went away: leaving the loop ends the rows
      const row = sheet.addRow(cells.map((c) => (c instanceof CalendarDay ? c.toDate() : c)));
      cells.forEach((c, i) => {
        if (c instanceof CalendarDay) row.getCell(i + 1).numFmt = 'dd/mm/yyyy';
      });
      row.commit();
      if (out.writableNeedDrain) await drained(out);
      // A turn of the event loop now and then lets the deflater keep up (see XLSX_YIELD_EVERY).
      if (++count % XLSX_YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((err: Error) => out.destroy(err));
  return out;
}

/** The table as a download in the chosen format, named `<baseName>.csv|.xlsx`. */
export function tableFile(
  format: TableFormat,
  spec: TableSpec,
  rows: TableRows,
  baseName: string,
): StreamableFile {
  const stream = format === 'xlsx' ? tableXlsx(spec, rows) : tableCsv(spec, rows);
  return new StreamableFile(stream, {
    type: TABLE_CONTENT_TYPES[format],
    disposition: `attachment; filename="${baseName}.${format}"`,
  });
}
