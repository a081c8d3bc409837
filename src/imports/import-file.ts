import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import { unguardCell } from '../common/csv/csv';
import { DomainError } from '../common/errors/domain-error';
import type { CellValue } from './import-values';

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

/** Text of a stream of UTF-8 bytes, decoded across chunks: a letter split between two stays whole. */
export async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** The two parsers of exceljs's streaming reader that read text out of the workbook's entries. */
interface ReaderInternals {
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
}
const BASE = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as ReaderInternals;

/**
 * exceljs 4.4's streaming reader decodes every chunk of a zip entry on its own, so a Vietnamese
 * letter (two or three bytes in UTF-8) that falls across two chunks comes out as "\ufffd" — in
 * about one row of a hundred of a large workbook (exceljs issues 2063, 2084, 2316). This reader
 * gives its parsers text decoded across chunk boundaries instead: shared strings and inline ones.
 */
class Utf8WorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown> {
    entry.setEncoding('utf8');
    return BASE._parseSharedStrings.call(this, entry);
  }

  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown> {
    return BASE._parseWorksheet.call(this, utf8Text(iterator), sheetNo);
  }
}

/** The sheets of the file, each to be read to its end before the next is asked for. */
export async function* readSheets(path: string, format: FileFormat): AsyncGenerator<SheetSource> {
  if (format === 'csv') {
    yield { name: null, rows: readCsv(path) };
    return;
  }
  const reader = new Utf8WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets++;
      const ws = sheet as unknown as AsyncIterable<ExcelJS.Row> & { name: string };
      yield { name: ws.name, rows: xlsxRows(ws) };
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('IMPORT_NOT_SPREADSHEET');
  }
  if (sheets === 0) throw new DomainError('IMPORT_NOT_SPREADSHEET');
}

async function* xlsxRows(ws: AsyncIterable<ExcelJS.Row>): AsyncGenerator<SheetRow> {
  for await (const row of ws) {
    const values = row.values as CellValue[];
    yield { rowNo: row.number, cells: Array.isArray(values) ? values.slice(1) : [] };
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

export interface SheetInfo {
  name: string;
  /** Merged ranges ("A1:D1"). */
  merged: string[];
  /** Rows the sheet's dimension gives (header included), when it gives one. */
  rows: number | null;
}

/**
 * The sheets of an XLSX workbook in order, with their merged ranges and sizes. The streaming
 * reader of exceljs skips merges, so the sheets' XML is scanned here: a merged range leaves
 * every cell but its first empty, which would silently drop values from the rows it spans.
 */
export async function workbookSheets(path: string): Promise<SheetInfo[]> {
  const entries = await zipEntries(path);
  const text = async (name: string) => {
    const e = entries.get(name);
    if (!e) return '';
    let out = '';
    for await (const chunk of entryStream(path, e)) out += (chunk as Buffer).toString('utf8');
    return out;
  };
  const workbook = await text('xl/workbook.xml');
  const rels = await text('xl/_rels/workbook.xml.rels');
  const targetOf = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]+)"/.exec(m[0])?.[1];
    const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1];
    if (id && target) targetOf.set(id, target.replace(/^\/?(xl\/)?/, 'xl/'));
  }
  const result: SheetInfo[] = [];
  for (const m of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
    const rid = /\br:id="([^"]+)"/.exec(m[0])?.[1];
    const target = rid ? targetOf.get(rid) : undefined;
    const entry = target ? entries.get(target) : undefined;
    if (name === undefined || !entry) continue;
    const merged: string[] = [];
    let rows: number | null = null;
    let tail = '';
    for await (const chunk of entryStream(path, entry)) {
      const s = tail + (chunk as Buffer).toString('latin1');
      if (rows === null) {
        const dim = /<dimension\b[^>]*\bref="[A-Z]*\d*:?[A-Z]*(\d+)"/.exec(s);
        if (dim) rows = Number(dim[1]);
      }
      for (const r of s.matchAll(/<mergeCell\b[^>]*\bref="([A-Z]+\d+:[A-Z]+\d+)"/g)) {
        if (!merged.includes(r[1])) merged.push(r[1]);
      }
      tail = s.slice(-200);
    }
    result.push({ name: decodeXml(name), merged, rows });
  }
  if (result.length === 0) throw new DomainError('IMPORT_NOT_SPREADSHEET');
  return result;
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

const decodeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

interface ZipEntry {
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** The central directory of a ZIP file (no ZIP64: an upload is far below 4 GB). */
async function zipEntries(path: string): Promise<Map<string, ZipEntry>> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const tailSize = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailSize);
    await handle.read(tail, 0, tailSize, size - tailSize);
    let eocd = -1;
    for (let i = tailSize - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new DomainError('IMPORT_NOT_SPREADSHEET');
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    const cd = Buffer.alloc(cdSize);
    await handle.read(cd, 0, cdSize, cdOffset);
    const entries = new Map<string, ZipEntry>();
    let p = 0;
    while (p + 46 <= cd.length && cd.readUInt32LE(p) === 0x02014b50) {
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      entries.set(cd.toString('utf8', p + 46, p + 46 + nameLength), {
        method: cd.readUInt16LE(p + 10),
        compressedSize: cd.readUInt32LE(p + 20),
        localOffset: cd.readUInt32LE(p + 42),
      });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

async function* entryStream(path: string, entry: ZipEntry): AsyncGenerator<unknown> {
  const handle = await open(path, 'r');
  let start: number;
  try {
    const local = Buffer.alloc(30);
    await handle.read(local, 0, 30, entry.localOffset);
    start = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  } finally {
    await handle.close();
  }
  if (entry.compressedSize === 0) return;
  const raw = createReadStream(path, { start, end: start + entry.compressedSize - 1 });
  yield* entry.method === 8 ? raw.pipe(createInflateRaw()) : raw;
}
