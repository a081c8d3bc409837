/**
 * A small RFC 4180 CSV reader and writer, enough for framework exchange and without a
 * dependency: fields separated by commas, records by CRLF or LF (a lone CR too), fields in
 * double quotes may hold commas, line breaks and doubled quotes (""). A byte-order mark at the
 * start is skipped. Text is returned as written (callers normalise to NFC).
 */
export class CsvSyntaxError extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/** One record and the 1-based record number it has in a spreadsheet (the header is row 1). */
export interface CsvRecord {
  row: number;
  fields: string[];
}

export function parseCsv(input: string): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field started with a quote
  let i = 0;
  const endField = () => {
    fields.push(field);
    field = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    records.push({ row: records.length + 1, fields });
    fields = [];
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
          throw new CsvSyntaxError(records.length + 1, 'text after a closing quote');
        }
        continue;
      }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"') {
      if (field.length > 0 || wasQuoted) {
        throw new CsvSyntaxError(records.length + 1, 'a quote inside an unquoted field');
      }
      quoted = true;
      wasQuoted = true;
      i += 1;
    } else if (ch === ',') {
      endField();
      i += 1;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i += 1;
    }
  }
  if (quoted) throw new CsvSyntaxError(records.length + 1, 'a quoted field is not closed');
  // The last record has no line end, unless the text ended with one.
  if (field.length > 0 || fields.length > 0 || wasQuoted) endRecord();
  return records;
}

/** Prefix that keeps a spreadsheet from running a cell as a formula (undone by unguardCell). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field for CSV: quoted when it holds a comma, quote, semicolon or line break; a leading
 * = + - @ is defused with an apostrophe, which unguardCell removes on import.
 */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Undoes csvCell's formula guard: "'=x" → "=x"; anything else unchanged. */
export function unguardCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** Rows to CSV for Excel: UTF-8 byte-order mark, CRLF line ends. */
export function writeCsv(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
