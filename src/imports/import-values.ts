import { CellValue, cellPrimitive, cellText, isoOfDate } from '../common/spreadsheet/cells';
import { foldForSearch } from '../common/text/vietnamese';
import { normaliseVietnamesePhone } from '../common/text/phone';
import type { ChoiceValue } from './import-kinds.types';

/**
 * Cell values as a spreadsheet gives them, turned into the values the database keeps. Every
 * parser answers the value or a problem worded for the person who fixes the file.
 */
export interface Problem {
  vi: string;
  en: string;
}
export type Parsed<T> = { value: T } | { problem: Problem };

const ok = <T>(value: T): Parsed<T> => ({ value });
const bad = (vi: string, en: string): Parsed<never> => ({ problem: { vi, en } });

export { CellValue, cellPrimitive, cellText, foldHeader } from '../common/spreadsheet/cells';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function realDay(y: number, m: number, d: number): string | null {
  if (y < 1800 || y > 2299 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** Days from Excel's day 0 (1899-12-30, which absorbs its 1900 leap-year bug) to 1970-01-01. */
const EXCEL_EPOCH_OFFSET = 25569;

/**
 * A date given as an Excel date cell, an Excel serial number (a date cell read without its
 * format), dd/mm/yyyy (also d/m/yyyy, with "-" or "." between) or ISO yyyy-mm-dd.
 */
export function parseDate(cell: CellValue): Parsed<string | null> {
  const v = cellPrimitive(cell);
  if (v === null || (typeof v === 'string' && v.trim() === '')) return ok(null);
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return bad('Ngày không hợp lệ.', 'Not a date.');
    return ok(isoOfDate(v));
  }
  const fail = bad(
    `"${String(v)}" không phải ngày: hãy ghi dd/mm/yyyy, yyyy-mm-dd hoặc dùng ô ngày của Excel.`,
    `"${String(v)}" is not a date: write dd/mm/yyyy, yyyy-mm-dd or use an Excel date cell.`,
  );
  const serial = typeof v === 'number' ? v : /^\d{1,6}(\.\d+)?$/.test(String(v)) ? Number(v) : NaN;
  if (!Number.isNaN(serial)) {
    if (serial < 1 || serial > 150_000) return fail;
    const day = new Date((Math.floor(serial) - EXCEL_EPOCH_OFFSET) * 86_400_000);
    return ok(isoOfDate(day));
  }
  const text = String(v).trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (m) {
    const iso = realDay(Number(m[3]), Number(m[2]), Number(m[1]));
    return iso ? ok(iso) : fail;
  }
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+Z?)?$/.exec(text);
  if (m) {
    const iso = realDay(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? ok(iso) : fail;
  }
  return fail;
}

export interface NameParts {
  familyName: string;
  middleName: string | null;
  givenName: string;
}

/**
 * Splits a full name by the Vietnamese order họ – tên đệm – tên: the first word is the family
 * name, the last the given name, the words between the middle name ("Nguyễn Thị Minh Khai" →
 * Nguyễn / Thị Minh / Khai). Compound family names (Tôn Nữ, Công Tôn) are rare and cannot be told
 * from a middle name by rule: a file that holds them gives the three columns Họ, Tên đệm, Tên.
 */
export function splitFullName(full: string): Parsed<NameParts> {
  const words = full.normalize('NFC').trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) {
    return bad(
      `"${full}" chỉ có một từ: họ và tên phải có ít nhất họ và tên.`,
      `"${full}" is one word: a full name needs at least a family and a given name.`,
    );
  }
  return ok({
    familyName: words[0],
    middleName: words.length > 2 ? words.slice(1, -1).join(' ') : null,
    givenName: words[words.length - 1],
  });
}

/** The choice whose value or one of whose words the cell holds (case, diacritics, spaces folded). */
/** Each list's words folded once (a list is a constant of a column), not once per cell. */
const CHOICE_LOOKUPS = new WeakMap<readonly ChoiceValue[], Map<string, string>>();
function choiceLookup(choices: readonly ChoiceValue[]): Map<string, string> {
  let lookup = CHOICE_LOOKUPS.get(choices);
  if (!lookup) {
    lookup = new Map();
    // The first choice naming a word wins, as a search of the list in order would find it.
    for (const c of choices) {
      for (const w of [c.value, ...c.words]) {
        const folded = foldForSearch(w);
        if (!lookup.has(folded)) lookup.set(folded, c.value);
      }
    }
    CHOICE_LOOKUPS.set(choices, lookup);
  }
  return lookup;
}

export function parseChoice(
  cell: CellValue,
  choices: readonly ChoiceValue[],
): Parsed<string | null> {
  const text = cellText(cell);
  if (text === null) return ok(null);
  const found = choiceLookup(choices).get(foldForSearch(text));
  if (found !== undefined) return ok(found);
  const allowed = choices.map((c) => c.words[0]).join(', ');
  return bad(
    `"${text}" không có trong danh sách: ${allowed}.`,
    `"${text}" is not one of: ${allowed}.`,
  );
}

const YES = ['co', 'x', 'yes', 'true', '1', 'dung'];
const NO = ['khong', 'no', 'false', '0', 'sai'];

export function parseBoolean(cell: CellValue): Parsed<boolean | null> {
  const v = cellPrimitive(cell);
  if (v === null) return ok(null);
  if (typeof v === 'boolean') return ok(v);
  const folded = foldForSearch(String(v));
  if (folded === '') return ok(null);
  if (YES.includes(folded)) return ok(true);
  if (NO.includes(folded)) return ok(false);
  return bad(`"${String(v)}": hãy ghi Có hoặc Không.`, `"${String(v)}": write Yes or No.`);
}

export function parseInteger(cell: CellValue, min = 0): Parsed<number | null> {
  const text = cellText(cell);
  if (text === null) return ok(null);
  const n = Number(text.replace(/[ .,](?=\d{3}\b)/g, ''));
  if (!Number.isInteger(n) || n < min || n > 2_000_000_000) {
    return bad(
      `"${text}" không phải số nguyên từ ${min} trở lên.`,
      `"${text}" is not a whole number of at least ${min}.`,
    );
  }
  return ok(n);
}

/**
 * A national ID as a cell holds it. A number cell lost its leading zeros (Hà Nội's 001…): it is
 * padded back to 12 digits; a text cell is taken as written, spaces and dots between groups
 * removed. The check of the number itself is nationalIdProblem's.
 */
export function nationalIdText(cell: CellValue): string | null {
  const v = cellPrimitive(cell);
  if (v === null) return null;
  if (typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 1e12) {
    return String(v).padStart(12, '0');
  }
  const text = cellText(v);
  return text === null ? null : text.replace(/[ .]/g, '');
}

/** Codes (units, provinces, ethnic groups): text with no spaces; a number cell keeps its digits. */
export function parseCode(
  cell: CellValue,
  maxLength: number,
  digits?: number,
): Parsed<string | null> {
  let text = cellText(cell);
  if (text === null) return ok(null);
  if (digits && /^\d+$/.test(text) && text.length < digits) text = text.padStart(digits, '0');
  if (digits && !new RegExp(`^\\d{${digits}}$`).test(text)) {
    return bad(`"${text}" phải gồm ${digits} chữ số.`, `"${text}" must be ${digits} digits.`);
  }
  if (text.length > maxLength || /\s/.test(text)) {
    return bad(
      `Mã "${text}" không hợp lệ: không có khoảng trắng, tối đa ${maxLength} ký tự.`,
      `Code "${text}" is invalid: no spaces, at most ${maxLength} characters.`,
    );
  }
  return ok(text);
}

export function parseText(cell: CellValue, maxLength: number): Parsed<string | null> {
  const text = cellText(cell);
  if (text === null) return ok(null);
  if (text.length > maxLength) {
    return bad(`Dài quá ${maxLength} ký tự.`, `Longer than ${maxLength} characters.`);
  }
  return ok(text);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseEmail(cell: CellValue): Parsed<string | null> {
  const text = cellText(cell);
  if (text === null) return ok(null);
  if (!EMAIL.test(text) || text.length > 254) {
    return bad(`"${text}" không phải địa chỉ email.`, `"${text}" is not an e-mail address.`);
  }
  return ok(text.toLowerCase());
}

export function parsePhone(cell: CellValue): Parsed<string | null> {
  const text = cellText(cell);
  if (text === null) return ok(null);
  const phone = normaliseVietnamesePhone(text);
  if (!phone) {
    return bad(
      `"${text}" không phải số điện thoại Việt Nam (ví dụ 0912 345 678).`,
      `"${text}" is not a Vietnamese phone number (e.g. 0912 345 678).`,
    );
  }
  return ok(phone);
}

/**
 * A unit reference: a code, or a path of names from an upper unit down, separated by "/"
 * ("Liên đoàn Lao động tỉnh Bắc Ninh / Công đoàn KCN Quế Võ"). Names are kept folded, as units'
 * search_name keeps them, so the path is matched whatever the diacritics and case.
 */
export function parseUnitRef(
  cell: CellValue,
): Parsed<{ code: string | null; names: string[] | null } | null> {
  const text = cellText(cell);
  if (text === null) return ok(null);
  if (text.includes('/')) {
    const names = text
      .split('/')
      .map((n) => foldForSearch(n))
      .filter(Boolean);
    if (names.length === 0) return bad(`"${text}" không phải đơn vị.`, `"${text}" is not a unit.`);
    return ok({ code: null, names });
  }
  if (text.length > 40 || /\s/.test(text)) {
    // A single name without a path: looked up as a path of one name.
    return ok({ code: null, names: [foldForSearch(text)] });
  }
  return ok({ code: text, names: null });
}
