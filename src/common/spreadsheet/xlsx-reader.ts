import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import { SaxesParser, SaxesTagPlain } from 'saxes';
import { DomainError } from '../errors/domain-error';

/**
 * A streaming reader of XLSX workbooks of our own, over the ZIP's central directory, zlib and a
 * SAX parser. exceljs's streaming reader was used before; it decodes UTF-8 chunk by chunk (a
 * Vietnamese letter split across two chunks became "\ufffd"), spools every sheet to a temp file
 * when the shared strings come after it, and held far more memory than the rows in flight.
 * Here the workbook's small parts are read first (by random access), shared strings are kept
 * as UTF-8 bytes in a few large buffers, and each sheet is parsed as it inflates: memory is the
 * shared strings' bytes plus one chunk of rows.
 */

/** A row as the spreadsheet shows it: its number, and its cells from column A (index 0). */
export interface XlsxRow {
  rowNo: number;
  cells: unknown[];
}

export interface XlsxSheet {
  name: string;
  rows: AsyncIterable<XlsxRow>;
}

export interface SheetInfo {
  name: string;
  /** Merged ranges ("A1:D1"). */
  merged: string[];
  /** Rows the sheet's dimension gives (header included), when it gives one. */
  rows: number | null;
}

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
    if (cdOffset + cdSize > size) throw new DomainError('IMPORT_NOT_SPREADSHEET');
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

/** The bytes of one entry, inflated as they are read. */
async function* entryBytes(path: string, entry: ZipEntry): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  let start: number;
  try {
    const local = Buffer.alloc(30);
    await handle.read(local, 0, 30, entry.localOffset);
    if (local.readUInt32LE(0) !== 0x04034b50) throw new DomainError('IMPORT_NOT_SPREADSHEET');
    start = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  } finally {
    await handle.close();
  }
  if (entry.compressedSize === 0) return;
  if (entry.method !== 0 && entry.method !== 8) throw new DomainError('IMPORT_NOT_SPREADSHEET');
  const raw = createReadStream(path, { start, end: start + entry.compressedSize - 1 });
  const source = entry.method === 8 ? raw.pipe(createInflateRaw()) : raw;
  raw.on('error', (error) => source.destroy(error));
  for await (const chunk of source) yield chunk as Buffer;
}

/** Text of a stream of UTF-8 bytes, decoded across chunks: a letter split between two stays whole. */
export async function* utf8Text(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

const entryText = (path: string, entry: ZipEntry) => utf8Text(entryBytes(path, entry));

async function wholeText(path: string, entry: ZipEntry | undefined): Promise<string> {
  if (!entry) return '';
  let out = '';
  for await (const text of entryText(path, entry)) out += text;
  return out;
}

const decodeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');

const attr = (tag: string, name: string) =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? null;

/** A workbook's parts: the sheets in order (name and part), shared strings and styles parts. */
interface WorkbookParts {
  entries: Map<string, ZipEntry>;
  sheets: { name: string; part: string }[];
  sharedStrings: string | null;
  styles: string | null;
  date1904: boolean;
}

/** A relationship's target as a part name ("worksheets/sheet1.xml" → "xl/worksheets/sheet1.xml"). */
const partName = (target: string) =>
  target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^(\.\/)+/, '')}`;

async function workbookParts(path: string): Promise<WorkbookParts> {
  const entries = await zipEntries(path);
  const workbook = await wholeText(path, entries.get('xl/workbook.xml'));
  const rels = await wholeText(path, entries.get('xl/_rels/workbook.xml.rels'));
  if (!workbook || !rels) throw new DomainError('IMPORT_NOT_SPREADSHEET');
  const targets = new Map<string, string>();
  let sharedStrings: string | null = null;
  let styles: string | null = null;
  for (const [tag] of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(tag, 'Id');
    const target = attr(tag, 'Target');
    const type = attr(tag, 'Type') ?? '';
    if (!id || !target) continue;
    const part = partName(decodeXml(target));
    targets.set(id, part);
    if (type.endsWith('/sharedStrings')) sharedStrings = part;
    if (type.endsWith('/styles')) styles = part;
  }
  const sheets: WorkbookParts['sheets'] = [];
  for (const [tag] of workbook.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const name = attr(tag, 'name');
    const id = attr(tag, 'r:id') ?? /\s\w+:id="([^"]*)"/.exec(tag)?.[1] ?? null;
    const part = id ? targets.get(id) : undefined;
    if (name !== null && part && entries.has(part)) sheets.push({ name: decodeXml(name), part });
  }
  if (sheets.length === 0) throw new DomainError('IMPORT_NOT_SPREADSHEET');
  const pr = /<(?:\w+:)?workbookPr\b[^>]*>/.exec(workbook)?.[0] ?? '';
  const date1904 = ['1', 'true'].includes(attr(pr, 'date1904') ?? '');
  return { entries, sheets, sharedStrings, styles, date1904 };
}

/**
 * The sheets of a workbook in order, with their merged ranges and sizes. The row reader does
 * not look at merges: a merged range leaves every cell but its first empty, which would
 * silently drop values from the rows it spans, so the import refuses such a sheet up front.
 */
export async function workbookSheets(
  path: string,
  opts: { merges: boolean } = { merges: true },
): Promise<SheetInfo[]> {
  const parts = await workbookParts(path);
  const result: SheetInfo[] = [];
  for (const sheet of parts.sheets) {
    const merged: string[] = [];
    let rows: number | null = null;
    let tail = '';
    for await (const chunk of entryText(path, parts.entries.get(sheet.part)!)) {
      const s = tail + chunk;
      if (rows === null) {
        const dim = /<(?:\w+:)?dimension\b[^>]*\bref="[A-Z]*\d*:?[A-Z]*(\d+)"/.exec(s);
        if (dim) rows = Number(dim[1]);
      }
      // The size comes before the rows; the merges after them: without merges, stop there.
      if (!opts.merges && (rows !== null || /<(?:\w+:)?sheetData\b/.test(s))) break;
      for (const r of s.matchAll(/<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+\d+:[A-Z]+\d+)"/g)) {
        if (!merged.includes(r[1])) merged.push(r[1]);
      }
      tail = s.slice(-200);
    }
    result.push({ name: sheet.name, merged, rows });
  }
  return result;
}

/**
 * Shared strings as UTF-8 in buffers of 4 MB, found by offset: a national file's million
 * names take a third of the memory they would as JavaScript strings (two bytes a letter for
 * Vietnamese, and a header each).
 */
export class StringTable {
  private static readonly CHUNK = 4 * 1024 * 1024;
  private readonly chunks: Buffer[] = [];
  private used = StringTable.CHUNK;
  private starts = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  size = 0;

  add(text: string): void {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (this.used + bytes > StringTable.CHUNK) {
      this.chunks.push(Buffer.allocUnsafe(Math.max(StringTable.CHUNK, bytes)));
      this.used = 0;
    }
    const chunkNo = this.chunks.length - 1;
    this.chunks[chunkNo].write(text, this.used, 'utf8');
    if (this.size === this.starts.length) {
      const starts = new Float64Array(this.size * 2);
      starts.set(this.starts);
      this.starts = starts;
      const lengths = new Uint32Array(this.size * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
    this.starts[this.size] = chunkNo * StringTable.CHUNK + this.used;
    this.lengths[this.size] = bytes;
    this.size++;
    this.used += bytes;
  }

  get(index: number): string | null {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) return null;
    const at = this.starts[index];
    const chunk = Math.floor(at / StringTable.CHUNK);
    const offset = at - chunk * StringTable.CHUNK;
    return this.chunks[chunk].toString('utf8', offset, offset + this.lengths[index]);
  }
}

const localName = (name: string) => {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
};

/**
 * Feeds an entry's text to a SAX parser and yields what its handlers collected after each
 * chunk: the rows of a chunk leave before the next chunk is inflated.
 */
async function* parseEntry<T>(
  path: string,
  entry: ZipEntry,
  setUp: (parser: SaxesParser, out: T[]) => void,
): AsyncGenerator<T> {
  const parser = new SaxesParser({ position: false });
  const out: T[] = [];
  setUp(parser, out);
  for await (const text of entryText(path, entry)) {
    parser.write(text);
    // splice(0) empties the handlers' array in place and hands over what it held.
    if (out.length) yield* out.splice(0);
  }
  parser.close();
  yield* out.splice(0);
}

async function readSharedStrings(path: string, entry: ZipEntry | undefined): Promise<StringTable> {
  const table = new StringTable();
  if (!entry) return table;
  const done = parseEntry<never>(path, entry, (parser) => {
    let inSi = false;
    let inPhonetic = false;
    let inT = false;
    let text = '';
    parser.on('opentag', (tag: SaxesTagPlain) => {
      const name = localName(tag.name);
      if (name === 'si') {
        inSi = true;
        text = '';
      } else if (name === 'rPh') inPhonetic = true;
      else if (name === 't' && inSi && !inPhonetic) inT = !tag.isSelfClosing;
    });
    parser.on('text', (t) => {
      if (inT) text += t;
    });
    parser.on('cdata', (t) => {
      if (inT) text += t;
    });
    parser.on('closetag', (tag: SaxesTagPlain) => {
      const name = localName(tag.name);
      if (name === 't') inT = false;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'si') {
        inSi = false;
        table.add(text);
      }
    });
  });
  for await (const _ of done) void _;
  return table;
}

/** Number formats Excel builds in that show dates or times (ECMA-376 18.8.30). */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/** A format code that shows a date: d, m, y, h or s outside quotes, brackets and escapes. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '')
    .split(';')[0];
  return /[dmyhs]/i.test(bare) && !/^[#0.,%\s]*$/.test(bare);
}

/** Which cell styles (the `s` attribute, an index into cellXfs) show a date. */
async function dateStyles(path: string, entry: ZipEntry | undefined): Promise<Set<number>> {
  const styles = await wholeText(path, entry);
  const custom = new Map<number, string>();
  for (const [tag] of styles.matchAll(/<(?:\w+:)?numFmt\b[^>]*>/g)) {
    const id = Number(attr(tag, 'numFmtId'));
    const code = attr(tag, 'formatCode');
    if (Number.isInteger(id) && code !== null) custom.set(id, decodeXml(code));
  }
  const dated = new Set<number>();
  const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(styles)?.[1] ?? '';
  let index = 0;
  for (const [tag] of xfs.matchAll(/<(?:\w+:)?xf\b[^>]*>/g)) {
    const id = Number(attr(tag, 'numFmtId') ?? 0);
    const code = custom.get(id);
    if (code !== undefined ? isDateFormat(code) : BUILT_IN_DATE_FORMATS.has(id)) dated.add(index);
    index++;
  }
  return dated;
}

/** "BC12" → 55 (0-based column index), or null. */
function columnOf(ref: string | null): number | null {
  if (!ref) return null;
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  return i === 0 ? null : col - 1;
}

const MS_PER_DAY = 86_400_000;

interface SheetContext {
  strings: StringTable;
  dated: Set<number>;
  date1904: boolean;
}

/** A cell's value from its type, style and text: string, number, boolean, Date or null. */
function cellValue(
  ctx: SheetContext,
  type: string,
  style: number,
  value: string,
  inline: string,
): unknown {
  switch (type) {
    case 's':
      return value === '' ? null : ctx.strings.get(Number(value));
    case 'inlineStr':
      return inline;
    case 'str':
      return value;
    case 'b':
      return value === '1' || value === 'true';
    case 'e':
      return null;
    case 'd': {
      const d = new Date(value);
      return Number.isNaN(d.getTime()) ? value : d;
    }
    default: {
      if (value === '') return null;
      const n = Number(value);
      if (!Number.isFinite(n)) return value;
      if (ctx.dated.has(style)) {
        const serial = ctx.date1904 ? n + 1462 : n;
        return new Date(Math.round((serial - 25569) * MS_PER_DAY));
      }
      return n;
    }
  }
}

/** The rows of one sheet, parsed as the sheet's XML inflates. */
function sheetRows(path: string, entry: ZipEntry, ctx: SheetContext): AsyncIterable<XlsxRow> {
  return parseEntry<XlsxRow>(path, entry, (parser, out) => {
    let row: XlsxRow | null = null;
    let lastRow = 0;
    let col = -1;
    let type = '';
    let style = 0;
    let value = '';
    let inline = '';
    let into: 'v' | 't' | null = null;
    let inCell = false;
    let inPhonetic = false;
    parser.on('opentag', (tag: SaxesTagPlain) => {
      switch (localName(tag.name)) {
        case 'row': {
          const r = Number(tag.attributes.r);
          const rowNo = Number.isInteger(r) && r > 0 ? r : lastRow + 1;
          row = { rowNo, cells: [] };
          lastRow = rowNo;
          col = -1;
          if (tag.isSelfClosing) {
            out.push(row);
            row = null;
          }
          break;
        }
        case 'c':
          inCell = !tag.isSelfClosing;
          col = columnOf(tag.attributes.r ?? null) ?? col + 1;
          type = tag.attributes.t ?? 'n';
          style = Number(tag.attributes.s ?? 0);
          value = '';
          inline = '';
          break;
        case 'v':
          if (inCell) into = 'v';
          break;
        case 't':
          if (inCell && !inPhonetic) into = 't';
          break;
        case 'rPh':
          inPhonetic = true;
          break;
      }
    });
    const onText = (t: string) => {
      if (into === 'v') value += t;
      else if (into === 't') inline += t;
    };
    parser.on('text', onText);
    parser.on('cdata', onText);
    parser.on('closetag', (tag: SaxesTagPlain) => {
      switch (localName(tag.name)) {
        case 'v':
        case 't':
          into = null;
          break;
        case 'rPh':
          inPhonetic = false;
          break;
        case 'c':
          if (inCell && row && col >= 0 && col < 16_384) {
            const v = cellValue(ctx, type, style, value, inline);
            if (v !== null && v !== '') {
              while (row.cells.length < col) row.cells.push(null);
              row.cells[col] = v;
            }
          }
          inCell = false;
          break;
        case 'row':
          if (row) out.push(row);
          row = null;
          break;
      }
    });
  });
}

/** The sheets of a workbook in order, each to be read to its end before the next is asked for. */
export async function* readXlsx(path: string): AsyncGenerator<XlsxSheet> {
  const parts = await workbookParts(path);
  const strings = await readSharedStrings(
    path,
    parts.sharedStrings ? parts.entries.get(parts.sharedStrings) : undefined,
  );
  const dated = await dateStyles(path, parts.styles ? parts.entries.get(parts.styles) : undefined);
  const ctx: SheetContext = { strings, dated, date1904: parts.date1904 };
  for (const sheet of parts.sheets) {
    yield { name: sheet.name, rows: sheetRows(path, parts.entries.get(sheet.part)!, ctx) };
  }
}
