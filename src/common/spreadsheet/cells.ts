import { foldForSearch } from '../text/vietnamese';

/**
 * The cells of an uploaded spreadsheet (our XLSX reader, exceljs, or a CSV field) as text: what
 * every import of a file reads its values through (people, units … and a bank's questions).
 */

/** A cell of exceljs or a CSV field: text, number, boolean, Date, or an object (formula …). */
export type CellValue = unknown;

/**
 * The text of a cell, NFC, trimmed, inner runs of spaces made one; empty → null. A formula cell
 * gives its cached result (the value Excel last computed and shows), rich text its plain text.
 */
export function cellText(cell: CellValue): string | null {
  const v = cellPrimitive(cell);
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return isoOfDate(v);
  let text = String(v).normalize('NFC');
  // Most cells have no run of spaces, tab or line break: the replace is skipped for them.
  if (/[^\S ]| {2}/.test(text)) text = text.replace(/\s+/g, ' ');
  text = text.trim();
  return text === '' ? null : text;
}

/** The underlying value of a cell: formula → result, rich text → text, hyperlink → text. */
export function cellPrimitive(cell: CellValue): string | number | boolean | Date | null {
  if (cell === null || cell === undefined) return null;
  if (cell instanceof Date) return cell;
  if (typeof cell === 'object') {
    const o = cell as Record<string, unknown>;
    if ('result' in o || 'formula' in o || 'sharedFormula' in o) return cellPrimitive(o.result);
    if (Array.isArray(o.richText)) {
      return (o.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
    }
    if ('text' in o) return cellPrimitive(o.text);
    if ('error' in o) return null;
    return null;
  }
  if (typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean') {
    return cell;
  }
  return null;
}

export function isoOfDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** "A", …, "Z", "AA": the letters of a 1-based column number. */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26))
    s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** Folds a header as the column finder compares them: "Họ và tên " → "ho va ten". */
export function foldHeader(text: string): string {
  return foldForSearch(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
