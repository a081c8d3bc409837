import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { unguardCell } from '../csv/csv';
import { DomainError } from '../errors/domain-error';
import type { CellValue } from './cells';
import { readXlsx } from './xlsx-reader';

export { SheetInfo, workbookSheets } from './xlsx-reader';

/**
 * Reading an uploaded file as sheets of rows, streamed: neither the file nor its rows are held
 * in memory, so a national file of a million rows reads in the memory of a few batches.
 */
export type FileFormat = 'xlsx' | 'csv';

export interface SheetRow {
  /** The row's number as the spreadsheet shows it (the header is row 1 of a CSV). */
  rowNo: number;
  cells: CellValue[];
}

export interface SheetSource {
  /** The sheet's name; null for a CSV file. */
  name: string | null;
  rows: AsyncIterable<SheetRow>;
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * What the file is, from its first bytes rather than its name: an XLSX workbook is a ZIP; an
 * OLE compound file is an encrypted (password-protected) workbook or a legacy .xls; anything
 * else must be UTF-8 text to be read as CSV.
 */
export async function sniffFormat(path: string): Promise<FileFormat> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(65_536);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    if (bytes.length === 0) throw new DomainError('IMPORT_EMPTY_FILE');
    if (bytes.subarray(0, 4).equals(ZIP)) return 'xlsx';
    if (bytes.subarray(0, 8).equals(OLE)) throw new DomainError('IMPORT_FILE_PROTECTED');
    if (bytes.includes(0)) throw new DomainError('IMPORT_NOT_SPREADSHEET');
    // The last character of the sample may be cut in half: leave up to 3 bytes out.
    const sample = bytesRead === head.length ? trimPartialUtf8(bytes) : bytes;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(sample);
    } catch {
      throw new DomainError('IMPORT_CSV_NOT_UTF8');
    }
    return 'csv';
  } finally {
    await handle.close();
  }
}

function trimPartialUtf8(bytes: Buffer): Buffer {
  let end = bytes.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = bytes[end - i];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    if (b >= 0xc0) end -= i; // a lead byte whose sequence may be cut
    break;
  }
  return bytes.subarray(0, end);
}

/** The sheets of the file, each to be read to its end before the next is asked for. */
export async function* readSheets(path: string, format: FileFormat): AsyncGenerator<SheetSource> {
  if (format === 'csv') {
    yield { name: null, rows: readCsv(path) };
    return;
  }
  let sheets = 0;
  try {
    for await (const sheet of readXlsx(path)) {
      sheets++;
      yield { name: sheet.name, rows: guarded(sheet.rows) };
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('IMPORT_NOT_SPREADSHEET');
  }
  if (sheets === 0) throw new DomainError('IMPORT_NOT_SPREADSHEET');
}

/** A sheet's rows; a file that breaks off or is not XML is "not a spreadsheet", not a 500. */
async function* guarded(rows: AsyncIterable<SheetRow>): AsyncGenerator<SheetRow> {
  try {
    yield* rows;
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('IMPORT_NOT_SPREADSHEET');
  }
}

async function* readCsv(path: string): AsyncGenerator<SheetRow> {
  const delimiter = await detectDelimiter(path);
  const parser = createReadStream(path).pipe(
    parse({
      bom: true,
      delimiter,
      relax_column_count: true,
      relax_quotes: false,
      skip_empty_lines: false,
      info: true,
    }),
  );
  try {
    for await (const record of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      yield { rowNo: record.info.lines, cells: record.record.map(unguardCell) };
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('IMPORT_NOT_SPREADSHEET');
  }
}

/** Excel writes CSV with the list separator of the machine's region: ";" in much of Europe. */
async function detectDelimiter(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const line = head.subarray(0, bytesRead).toString('utf8').split(/\r?\n/)[0] ?? '';
    const counts = [',', ';', '\t'].map((d) => [d, line.split(d).length - 1] as const);
    counts.sort((a, b) => b[1] - a[1]);
    return counts[0][1] > 0 ? counts[0][0] : ',';
  } finally {
    await handle.close();
  }
}

/** Lines of a CSV file (a quoted line break counts too: an estimate for the progress bar). */
export async function countLines(path: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(path)) {
    const b = chunk as Buffer;
    for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
    if (b.length) last = b[b.length - 1];
  }
  return last === 10 ? lines : lines + 1;
}
