import { CsvError, parse } from 'csv-parse/sync';
import { stringify, Stringifier } from 'csv-stringify';
import { stringify as stringifySync, type Options } from 'csv-stringify/sync';

/**
 * The one CSV reader and writer of the service (csv-parse / csv-stringify), so that every
 * export escapes the same way and every import reads the same dialect.
 *
 * Written for Excel: UTF-8 with a byte-order mark (else Excel reads the diacritics as ANSI),
 * comma separated, CRLF line ends, RFC 4180 quoting — a field is quoted when it holds a comma,
 * quote or line break, and also a semicolon (Excel in a locale whose list separator is ";" would
 * split it) or leading/trailing white space (which spreadsheets trim).
 *
 * Formula guard: a text cell that begins with = + - @, a tab or a carriage return would be run
 * by a spreadsheet as a formula (CSV injection), so it is written with an apostrophe in front,
 * which Excel shows as a text marker and unguardCell removes on import. Numbers are never
 * guarded: writers pass them as JavaScript numbers (a negative number stays -5 and sums in a
 * spreadsheet); only text that merely looks like "-5" is guarded.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** "=SUM(A1)" → "'=SUM(A1)"; anything else unchanged. */
export function guardCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes guardCell: "'=x" → "=x"; "'plain" stays as written. */
export function unguardCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** A value of a CSV row before escaping: text is guarded, numbers are written as they are. */
export type CsvValue = string | number | null | undefined;

const WRITE_OPTIONS: Options = {
  bom: true,
  record_delimiter: 'windows',
  // A lone LF or CR is quoted too: csv-stringify quotes only the record delimiter (CRLF).
  quoted_match: [/;/, /[\r\n]/, /^\s/, /\s$/],
  // csv-stringify passes each field through cast by its type: text is guarded, numbers kept
  // (null and undefined are written as empty fields).
  cast: {
    string: (v) => guardCell(v),
    number: (v) => (Number.isFinite(v) ? String(v) : ''),
  },
};

/** Rows (header first) to CSV text for Excel, for tables small enough to hold in memory. */
export function writeCsv(rows: readonly (readonly CsvValue[])[]): string {
  return stringifySync(rows as CsvValue[][], WRITE_OPTIONS);
}

/**
 * A streaming CSV writer: write rows of CsvValue (header first) and read the CSV bytes, with
 * the same dialect and guard as writeCsv. Backpressure is the stream's own.
 */
export function csvWriter(): Stringifier {
  return stringify(WRITE_OPTIONS);
}

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

/**
 * Reads CSV text: records split by CRLF, LF or a lone CR; a byte-order mark skipped; a blank
 * line is a record of one empty field (so rows keep their spreadsheet numbers); records may
 * have different lengths (the caller judges). Text is returned as written (callers normalise
 * to NFC and unguard). A syntax error is a CsvSyntaxError naming its record.
 */
export function parseCsv(input: string): CsvRecord[] {
  let records: string[][];
  try {
    records = parse(input, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      record_delimiter: ['\r\n', '\n', '\r'],
    });
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const done = (e as CsvError & { records?: number }).records ?? 0;
    throw new CsvSyntaxError(done + 1, csvErrorText(e));
  }
  return records.map((fields, i) => ({ row: i + 1, fields }));
}

/** The reason of a csv-parse error, without its line numbers (the caller reports the row). */
function csvErrorText(e: CsvError): string {
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is not closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'text after a closing quote';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside an unquoted field';
    default:
      return e.message;
  }
}
