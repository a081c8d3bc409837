import type { Workbook } from 'exceljs';
import { Readable } from 'node:stream';
import { CalendarDay, tableCsv, TableCell } from '../common/csv/table';
import {
  EMPLOYMENT_CHOICES,
  GENDER_CHOICES,
  IMPORT_KIND_SPECS,
  IMPORT_KINDS,
  ImportColumn,
  ImportKind,
  ImportKindSpec,
  LEVEL_CHOICES,
  METHOD_CHOICES,
  POST_TYPE_CHOICES,
  ROLE_CHOICES,
  SECTOR_CHOICES,
  ChoiceValue,
} from './import-kinds.types';

/**
 * The downloadable templates (issue 15, item 1): for each kind the sheet HR fills in, with the
 * headers the import reads, a comment on each header (the column's hint), a drop-down list on
 * every choice column, date columns shown dd/mm/yyyy, text columns whose leading zeros matter
 * (CCCD, codes, phones) formatted as text, and one example row; a "Hướng dẫn" sheet lists the
 * columns, whether each is required and the values accepted. Built in memory: a template is a
 * few kilobytes.
 */

/** The rows that carry a drop-down list and the column formats (a year's import is far less). */
export const TEMPLATE_ROWS = 10_000;
export const GUIDE_SHEET = 'Hướng dẫn';
/** Lists too long for an inline drop-down (or holding a comma) are kept here, hidden. */
export const LISTS_SHEET = 'Danh muc';

/** The word a choice is written as in templates and exports: its Vietnamese label. */
export function choiceWord(choices: readonly ChoiceValue[] | undefined, value: string): string {
  const found = choices?.find((c) => c.value === value);
  return found ? found.words[0] : value;
}

/** Có / Không, as the import reads booleans. */
export const yesNo = (v: boolean | null | undefined): string | null =>
  v === null || v === undefined ? null : v ? 'Có' : 'Không';

const word = choiceWord;
const UNIT = 'LDLD-BN-QV-DTQV';

/** One example row per kind, by column key: what a filled-in sheet looks like. */
const EXAMPLES: Record<ImportKind, Record<string, TableCell>> = {
  org_units: {
    code: UNIT,
    name: 'Công đoàn cơ sở Công ty TNHH Điện tử Quế Võ',
    level: word(LEVEL_CHOICES, 'grassroots'),
    parentCode: 'LDLD-BN-QV',
    sector: word(SECTOR_CHOICES, 'fdi'),
    provinceCode: '27',
    memberCount: 1250,
  },
  people: {
    externalId: 'CB-000123',
    fullName: 'Nguyễn Thị Hương',
    familyName: 'Nguyễn',
    middleName: 'Thị',
    givenName: 'Hương',
    birthDate: new CalendarDay('1985-03-14'),
    gender: word(GENDER_CHOICES, 'female'),
    ethnicityCode: '01',
    nationalId: '027185001234',
    email: 'huong.nguyen@congdoan.vn',
    phone: '0912 345 678',
    orgUnit: UNIT,
  },
  posts: {
    orgUnit: UNIT,
    postType: word(POST_TYPE_CHOICES, 'chair'),
    title: 'Chủ tịch Công đoàn cơ sở',
    employment: word(EMPLOYMENT_CHOICES, 'part_time'),
    singleHolder: 'Có',
    keyPost: 'Có',
  },
  terms: {
    orgUnit: UNIT,
    name: 'Nhiệm kỳ 2023–2028',
    startDate: new CalendarDay('2023-07-01'),
    endDate: new CalendarDay('2028-06-30'),
  },
  appointments: {
    person: '027185001234',
    fullName: 'Nguyễn Thị Hương',
    orgUnit: UNIT,
    postType: word(POST_TYPE_CHOICES, 'chair'),
    term: 'Nhiệm kỳ 2023–2028',
    method: word(METHOD_CHOICES, 'elected'),
    startDate: new CalendarDay('2023-07-15'),
  },
  accounts: {
    email: 'huong.nguyen@congdoan.vn',
    person: '027185001234',
    role: word(ROLE_CHOICES, 'hr'),
    scope: 'LDLD-BN',
  },
};

export function exampleRow(spec: ImportKindSpec): TableCell[] {
  return spec.columns.map((c) => EXAMPLES[spec.kind][c.key] ?? null);
}

/** Text kept as typed: Excel would drop a CCCD's or a code's leading zero from a number. */
const TEXT_TYPES = new Set<ImportColumn['type']>(['national_id', 'code', 'phone', 'person_ref']);

export function columnWidth(c: ImportColumn): number {
  const longestWord = Math.max(0, ...(c.choices ?? []).map((ch) => ch.words[0].length));
  return Math.min(45, Math.max(12, c.header.length + 4, longestWord + 2));
}

/** "A", …, "Z", "AA": the letters of a 1-based column number. */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26))
    s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** An inline list ("Nam,Nữ") holds no comma and at most 255 characters; others go by range. */
function inlineList(choices: readonly ChoiceValue[]): string | null {
  const words = choices.map((c) => c.words[0]);
  const text = words.join(',');
  return words.some((w) => /[,"]/.test(w)) || text.length > 250 ? null : `"${text}"`;
}

/**
 * Where the long lists live: one column of LISTS_SHEET per list. The sheet is written last
 * (write()), after the visible ones, so that the tabs open on the first kind.
 */
class ListSheet {
  private readonly placed = new Map<readonly ChoiceValue[], string>();

  formula(choices: readonly ChoiceValue[]): string {
    const inline = inlineList(choices);
    if (inline) return inline;
    const known = this.placed.get(choices);
    if (known) return known;
    const letter = columnLetter(this.placed.size + 1);
    const ref = `'${LISTS_SHEET}'!$${letter}$1:$${letter}$${choices.length}`;
    this.placed.set(choices, ref);
    return ref;
  }

  write(book: Workbook): void {
    if (this.placed.size === 0) return;
    const sheet = book.addWorksheet(LISTS_SHEET, { state: 'veryHidden' });
    [...this.placed.keys()].forEach((choices, col) =>
      choices.forEach((c, i) => (sheet.getCell(i + 1, col + 1).value = c.words[0])),
    );
  }
}

function addKindSheet(book: Workbook, spec: ImportKindSpec, lists: ListSheet): void {
  const sheet = book.addWorksheet(spec.sheet, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
  });
  sheet.columns = spec.columns.map((c) => ({
    width: columnWidth(c),
    style:
      c.type === 'date' ? { numFmt: 'dd/mm/yyyy' } : TEXT_TYPES.has(c.type) ? { numFmt: '@' } : {},
  }));
  const header = sheet.getRow(1);
  spec.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.numFmt = 'General';
    cell.note = c.required ? `(Bắt buộc) ${c.hint}` : c.hint;
  });
  const example = sheet.getRow(2);
  exampleRow(spec).forEach((v, i) => {
    const cell = example.getCell(i + 1);
    cell.value = v instanceof CalendarDay ? v.toDate() : (v ?? null);
  });
  // exceljs keeps validations per address; a range key is written as one sqref.
  const validations = (
    sheet as unknown as { dataValidations: { add(address: string, v: unknown): void } }
  ).dataValidations;
  spec.columns.forEach((c, i) => {
    if (c.type !== 'choice' || !c.choices) return;
    const letter = columnLetter(i + 1);
    validations.add(`${letter}2:${letter}${TEMPLATE_ROWS + 1}`, {
      type: 'list',
      allowBlank: !c.required,
      formulae: [lists.formula(c.choices)],
      showErrorMessage: true,
      errorStyle: 'warning',
      errorTitle: c.header,
      error: `Chọn một giá trị trong danh sách: ${c.choices.map((ch) => ch.words[0]).join('; ')}`,
    });
  });
}

const GUIDE_HEADERS = [
  'Trang',
  'Cột',
  'Khóa (tiếng Anh)',
  'Bắt buộc',
  'Giá trị chấp nhận',
  'Ghi chú',
];

function oneOfNote(spec: ImportKindSpec, key: string): string {
  const group = spec.oneOf?.find((g) => g.includes(key));
  if (!group) return '';
  const headers = group.map((k) => spec.columns.find((c) => c.key === k)?.header ?? k);
  return ` Cần ít nhất một trong: ${headers.join(', ')}.`;
}

function addGuideSheet(book: Workbook, specs: readonly ImportKindSpec[]): void {
  const sheet = book.addWorksheet(GUIDE_SHEET, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
  });
  sheet.columns = [14, 24, 16, 10, 60, 70].map((width) => ({ width }));
  const header = sheet.addRow(GUIDE_HEADERS);
  header.font = { bold: true };
  for (const spec of specs) {
    for (const c of spec.columns) {
      const accepted = c.choices
        ? c.choices.map((ch) => ch.words.join(' / ')).join('; ')
        : c.type === 'date'
          ? 'dd/mm/yyyy'
          : c.type === 'boolean'
            ? 'Có / Không'
            : '';
      const row = sheet.addRow([
        spec.sheet,
        c.header,
        c.key,
        c.required ? 'Có' : 'Không',
        accepted,
        c.hint + oneOfNote(spec, c.key),
      ]);
      row.alignment = { wrapText: true, vertical: 'top' };
    }
  }
}

/** The template workbook of one kind, or of every kind (one sheet each) when none is named. */
export async function templateXlsx(kind?: ImportKind): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = 'LMS Công đoàn';
  const specs = (kind ? [kind] : IMPORT_KINDS).map((k) => IMPORT_KIND_SPECS[k]);
  const lists = new ListSheet();
  for (const spec of specs) addKindSheet(book, spec, lists);
  addGuideSheet(book, specs);
  lists.write(book);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The CSV template of one kind: the header row and the example (UTF-8 BOM, as exports). */
export function templateCsv(kind: ImportKind): Readable {
  const spec = IMPORT_KIND_SPECS[kind];
  return tableCsv(
    { sheetName: spec.sheet, columns: spec.columns.map((c) => ({ header: c.header, width: 0 })) },
    [exampleRow(spec)],
  );
}

// Moved to common/ so that other modules' downloads share it; still exported from here.
export { attachment } from '../common/http/content-disposition';
