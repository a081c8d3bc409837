import { DomainError, detail } from '../common/errors/domain-error';
import {
  foldForSearch,
  PERSON_SORT_KEY_LENGTH,
  vietnameseSortKey,
} from '../common/text/vietnamese';
import { birthDateRange } from '../people/person-dates';
import { fullNameOf } from '../people/people.service';
import { POST_TYPE_LABELS, PostType } from '../posts/post-types';
import { checkTermDates } from '../posts/terms.service';
import { checkAppointmentDates } from '../posts/appointments.service';
import { ImportColumn, ImportKind, ImportKindSpec } from './import-kinds.types';
import { nationalIdProblem } from './national-id';
import {
  CellValue,
  cellText,
  foldHeader,
  nationalIdText,
  parseBoolean,
  parseChoice,
  parseCode,
  parseDate,
  parseEmail,
  parseInteger,
  Parsed,
  parsePhone,
  parseText,
  parseUnitRef,
  Problem,
  splitFullName,
} from './import-values';

/** One problem of a row: the column as the file names it, and what to fix. */
export interface RowError {
  column: string;
  message: string;
  messageEn: string;
}

/** Where each column of a kind sits in the sheet, and the sheet's own header texts. */
export interface ColumnMap {
  spec: ImportKindSpec;
  headers: string[];
  index: Map<string, number>;
}

/**
 * Finds the kind's columns among a header row by the Vietnamese header, an alias or the English
 * key (folded: "HO VA TEN" finds "Họ và tên"). A required column missing, or every column of a
 * one-of group, is a 400 naming the missing headers; other headers are ignored.
 */
export function mapHeaders(
  spec: ImportKindSpec,
  headerCells: CellValue[],
  sheetLabel: string,
): ColumnMap {
  const headers = headerCells.map((c) => cellText(c) ?? '');
  const folded = headers.map(foldHeader);
  const index = new Map<string, number>();
  for (const column of spec.columns) {
    const names = [column.header, ...(column.aliases ?? []), column.key].map(foldHeader);
    // The header itself wins over an alias another column shares ("Mã đơn vị").
    for (const name of names) {
      const at = folded.findIndex((h, i) => h === name && ![...index.values()].includes(i));
      if (at >= 0) {
        index.set(column.key, at);
        break;
      }
    }
  }
  const missing: string[] = spec.columns
    .filter((c) => c.required && !index.has(c.key))
    .map((c) => c.header);
  for (const group of spec.oneOf ?? []) {
    if (!group.some((k) => index.has(k))) {
      missing.push(group.map((k) => headerOf(spec, k)).join(' hoặc '));
    }
  }
  if (missing.length) {
    throw new DomainError(
      'IMPORT_MISSING_HEADERS',
      { sheet: sheetLabel, headers: missing.map((h) => `"${h}"`).join(', ') },
      missing.map((h) => detail(h, `Thiếu cột "${h}".`, `Column "${h}" is missing.`)),
    );
  }
  return { spec, headers, index };
}

const headerOf = (spec: ImportKindSpec, key: string) =>
  spec.columns.find((c) => c.key === key)?.header ?? key;

/** The staging columns, in the order of the batch INSERT's arrays, with their SQL types. */
export const STAGE_COLUMNS = [
  ['row_no', 'int'],
  ['raw', 'jsonb'],
  ['errors', 'jsonb'],
  ['code', 'text'],
  ['name', 'text'],
  ['search_name', 'text'],
  ['sort_key', 'text'],
  ['level', 'text'],
  ['sector', 'text'],
  ['province_code', 'text'],
  ['member_count', 'int'],
  ['parent_code', 'text'],
  ['parent_path', 'text'],
  ['unit_code', 'text'],
  ['unit_path', 'text'],
  ['external_id', 'text'],
  ['family_name', 'text'],
  ['middle_name', 'text'],
  ['given_name', 'text'],
  ['birth_date', 'date'],
  ['gender', 'text'],
  ['ethnicity_code', 'text'],
  ['national_id', 'text'],
  ['email', 'text'],
  ['phone', 'text'],
  ['post_type', 'text'],
  ['title', 'text'],
  ['employment', 'text'],
  ['single_holder', 'boolean'],
  ['key_post', 'boolean'],
  ['start_date', 'date'],
  ['end_date', 'date'],
  ['term_name', 'text'],
  ['method', 'text'],
  ['role', 'text'],
  ['outcome', 'text'],
  ['unit_id', 'uuid'],
] as const;
export type StageColumn = (typeof STAGE_COLUMNS)[number][0];
export type StagedRow = Partial<
  Record<Exclude<StageColumn, 'raw' | 'errors'>, string | number | boolean | null>
> & {
  row_no: number;
  /** The row's cells as text, in the sheet's column order (for the rejected-rows file). */
  raw: string[];
  errors: RowError[];
};

/** Kinds whose rows this version writes; the others are refused with 422 (see the report). */
export const WRITABLE_KINDS: readonly ImportKind[] = [
  'org_units',
  'people',
  'posts',
  'terms',
  'appointments',
  'accounts',
];

const MAX_TEXT: Record<string, number> = {
  name: 300,
  fullName: 200,
  title: 200,
  term: 120,
  familyName: 60,
  middleName: 80,
  givenName: 60,
};

/**
 * One row of the sheet made ready for staging: each cell parsed by its column's type, the
 * derived values (full, search and sort names) computed as the people and org-units modules
 * compute them, and every problem recorded against its column. Null for a blank row.
 */
export function normaliseRow(
  map: ColumnMap,
  cells: CellValue[],
  rowNo: number,
  todayVn: string,
): StagedRow | null {
  const raw = map.headers.map((_, i) => cellText(cells[i]) ?? '');
  if (raw.every((v) => v === '') && cells.every((c) => cellText(c) === null)) return null;
  const errors: RowError[] = [];
  const columnName = (key: string) => {
    const at = map.index.get(key);
    return at !== undefined && map.headers[at] ? map.headers[at] : headerOf(map.spec, key);
  };
  const fail = (key: string, p: Problem) =>
    errors.push({ column: columnName(key), message: p.vi, messageEn: p.en });
  const cell = (key: string): CellValue => {
    const at = map.index.get(key);
    return at === undefined ? null : cells[at];
  };
  const take = <T>(key: string, parsed: Parsed<T>): T | null => {
    if ('problem' in parsed) {
      fail(key, parsed.problem);
      return null;
    }
    return parsed.value;
  };
  const valueOf = (column: ImportColumn): unknown => {
    const c = cell(column.key);
    switch (column.type) {
      case 'date':
        return take(column.key, parseDate(c));
      case 'choice':
        return take(column.key, parseChoice(c, column.choices ?? []));
      case 'boolean':
        return take(column.key, parseBoolean(c));
      case 'integer':
        return take(column.key, parseInteger(c));
      case 'email':
        return take(column.key, parseEmail(c));
      case 'phone':
        return take(column.key, parsePhone(c));
      case 'unit_ref':
        return take(column.key, parseUnitRef(c));
      case 'national_id':
      case 'person_ref':
        return nationalIdText(c);
      case 'code':
        return take(
          column.key,
          parseCode(
            c,
            column.key === 'externalId' ? 60 : 40,
            column.key === 'provinceCode' || column.key === 'ethnicityCode' ? 2 : undefined,
          ),
        );
      default:
        return take(column.key, parseText(c, MAX_TEXT[column.key] ?? 300));
    }
  };
  const values: Record<string, unknown> = {};
  for (const column of map.spec.columns) {
    if (!map.index.has(column.key)) continue;
    values[column.key] = valueOf(column);
    if (column.required && cellText(cell(column.key)) === null) {
      fail(column.key, {
        vi: `Thiếu giá trị ở cột "${columnName(column.key)}".`,
        en: `Column "${columnName(column.key)}" is empty.`,
      });
    }
  }
  const row: StagedRow = { row_no: rowNo, raw, errors };
  if (map.spec.kind === 'org_units') stageUnit(values, row, fail);
  else if (map.spec.kind === 'people') stagePerson(values, row, fail, cell, todayVn);
  else if (map.spec.kind === 'posts') stagePost(values, row);
  else if (map.spec.kind === 'terms') stageTerm(values, row, fail, todayVn);
  else if (map.spec.kind === 'appointments') stageAppointment(values, row, fail, todayVn);
  else if (map.spec.kind === 'accounts') stageAccount(values, row);
  // What the row will be unless a check finds more: the validation writes only the rows whose
  // outcome this guess gets wrong (an error found in SQL, a match with a stored record).
  row.outcome = errors.length ? 'error' : 'created';
  return row;
}

type Fail = (key: string, p: Problem) => void;

/**
 * A file's names repeat (a few hundred family, middle and given names make a province's list):
 * the folded and sort forms of each part are computed once, and a person's search name and sort
 * key assembled from them — the same strings foldForSearch and personSortKey give the full name.
 */
const PART_FORMS = new Map<string, { folded: string; sortKey: string }>();
function partForms(part: string): { folded: string; sortKey: string } {
  let forms = PART_FORMS.get(part);
  if (!forms) {
    if (PART_FORMS.size >= 50_000) PART_FORMS.clear();
    forms = { folded: foldForSearch(part), sortKey: vietnameseSortKey(part) };
    PART_FORMS.set(part, forms);
  }
  return forms;
}
type NameParts = { familyName: string; middleName: string | null; givenName: string };

export function personSearchName(p: NameParts): string {
  return [p.familyName, p.middleName, p.givenName]
    .filter((x): x is string => !!x && !!x.trim())
    .map((x) => partForms(x).folded)
    .filter(Boolean)
    .join(' ');
}

export function personSortKeyOf(p: NameParts): string {
  return [p.givenName, p.middleName ?? '', p.familyName]
    .map((x) => partForms(x).sortKey)
    .join(' ')
    .slice(0, PERSON_SORT_KEY_LENGTH);
}

/** The birth dates of ages 16 to 80 on a day, computed once per day rather than per row. */
let birthDates: { today: string; range: { earliest: string; latest: string } } | null = null;
function birthDatesOn(today: string): { earliest: string; latest: string } {
  if (birthDates?.today !== today) birthDates = { today, range: birthDateRange(today) };
  return birthDates.range;
}
type UnitRef = { code: string | null; names: string[] | null } | null;

function stageUnit(v: Record<string, unknown>, row: StagedRow, fail: Fail): void {
  const name = v.name as string | null;
  row.code = v.code as string | null;
  row.name = name;
  row.search_name = name ? foldForSearch(name) : null;
  row.sort_key = name ? vietnameseSortKey(name) : null;
  row.level = v.level as string | null;
  row.sector = v.sector as string | null;
  row.province_code = v.provinceCode as string | null;
  row.member_count = v.memberCount as number | null;
  const byCode = v.parentCode as UnitRef;
  const byPath = v.parentPath as UnitRef;
  const parent = byCode ?? byPath;
  row.parent_code = parent?.code ?? null;
  row.parent_path = parent?.names?.join('/') ?? null;
  if (row.code && /\//.test(row.code)) {
    fail('code', { vi: 'Mã đơn vị không được chứa "/".', en: 'A unit code cannot hold "/".' });
  }
}

function stagePerson(
  v: Record<string, unknown>,
  row: StagedRow,
  fail: Fail,
  cell: (key: string) => CellValue,
  todayVn: string,
): void {
  const family = v.familyName as string | null;
  const given = v.givenName as string | null;
  const full = v.fullName as string | null;
  let parts: { familyName: string; middleName: string | null; givenName: string } | null = null;
  if (family && given) {
    parts = {
      familyName: family,
      middleName: (v.middleName as string | null) ?? null,
      givenName: given,
    };
  } else if (full) {
    const split = splitFullName(full);
    if ('problem' in split) fail('fullName', split.problem);
    else parts = split.value;
  } else {
    fail(given || family ? (given ? 'familyName' : 'givenName') : 'fullName', {
      vi: 'Thiếu họ và tên.',
      en: 'The name is missing.',
    });
  }
  if (parts) {
    const fullName = fullNameOf(parts);
    row.family_name = parts.familyName;
    row.middle_name = parts.middleName;
    row.given_name = parts.givenName;
    row.name = fullName;
    row.search_name = personSearchName(parts);
    row.sort_key = personSortKeyOf(parts);
    if (parts.familyName.length > 60 || parts.givenName.length > 60) {
      fail('fullName', {
        vi: 'Họ hoặc tên dài quá 60 ký tự.',
        en: 'A name part is over 60 characters.',
      });
    }
  }
  const birthDate = v.birthDate as string | null;
  if (birthDate) {
    const { earliest, latest } = birthDatesOn(todayVn);
    if (birthDate < earliest || birthDate > latest) {
      fail('birthDate', {
        vi: 'Ngày sinh cho tuổi ngoài khoảng 16 đến 80.',
        en: 'The birth date gives an age outside 16 to 80.',
      });
    }
  }
  row.birth_date = birthDate;
  const gender = v.gender as 'male' | 'female' | null;
  row.gender = gender;
  row.ethnicity_code = v.ethnicityCode as string | null;
  if (row.ethnicity_code && !/^(0[1-9]|[1-4][0-9]|5[0-4])$/.test(row.ethnicity_code)) {
    fail('ethnicityCode', {
      vi: `Mã dân tộc "${row.ethnicity_code}" phải từ 01 đến 54.`,
      en: `Ethnic group code "${row.ethnicity_code}" must be 01 to 54.`,
    });
  }
  const nationalId = v.nationalId as string | null;
  if (nationalId) {
    const problem = nationalIdProblem(nationalId, birthDate, gender);
    if (problem) fail('nationalId', problem);
    row.national_id = nationalId.length === 12 ? nationalId : null;
  }
  row.external_id = v.externalId as string | null;
  if (!nationalId && !row.external_id && cellText(cell('nationalId')) === null) {
    fail('nationalId', {
      vi: 'Cần số CCCD hoặc mã cán bộ để nhận ra người này.',
      en: 'A national ID or an external id is needed to identify the person.',
    });
  }
  row.email = v.email as string | null;
  row.phone = v.phone as string | null;
  const unit = v.orgUnit as UnitRef;
  row.unit_code = unit?.code ?? null;
  row.unit_path = unit?.names?.join('/') ?? null;
}

function stagePost(v: Record<string, unknown>, row: StagedRow): void {
  const unit = v.orgUnit as UnitRef;
  row.unit_code = unit?.code ?? null;
  row.unit_path = unit?.names?.join('/') ?? null;
  const postType = v.postType as PostType | null;
  row.post_type = postType;
  // No title: the post type's name, as POST /posts names it.
  row.title = (v.title as string | null) ?? (postType ? POST_TYPE_LABELS[postType].vi : null);
  row.employment = v.employment as string | null;
  row.single_holder = v.singleHolder as boolean | null;
  row.key_post = v.keyPost as boolean | null;
}

function stageTerm(v: Record<string, unknown>, row: StagedRow, fail: Fail, todayVn: string): void {
  const unit = v.orgUnit as UnitRef;
  row.unit_code = unit?.code ?? null;
  row.unit_path = unit?.names?.join('/') ?? null;
  const name = v.name as string | null;
  row.name = name && name.length > 120 ? null : name;
  if (name && name.length > 120) {
    fail('name', {
      vi: 'Tên nhiệm kỳ dài quá 120 ký tự.',
      en: 'A term name is over 120 characters.',
    });
  }
  const start = v.startDate as string | null;
  const end = v.endDate as string | null;
  row.start_date = start;
  row.end_date = end;
  if (!start || !end) return;
  if (end <= start) {
    fail('endDate', {
      vi: 'Ngày kết thúc phải sau ngày bắt đầu.',
      en: 'The end date must come after the start date.',
    });
    return;
  }
  // The rules of POST /terms, worded as it words them.
  try {
    checkTermDates(start, end, todayVn);
  } catch (error) {
    const d = error instanceof DomainError ? error.details[0] : undefined;
    if (d && 'vi' in d) fail(d.field, { vi: d.vi, en: d.en });
    else throw error;
  }
}

/** A person reference: twelve digits are a CCCD, anything else the HR system's own id. */
function stagePersonRef(v: Record<string, unknown>, row: StagedRow): void {
  const ref = v.person as string | null;
  row.national_id = ref && /^\d{12}$/.test(ref) ? ref : null;
  row.external_id = ref && !/^\d{12}$/.test(ref) ? ref.slice(0, 60) : null;
}

function stageAppointment(
  v: Record<string, unknown>,
  row: StagedRow,
  fail: Fail,
  todayVn: string,
): void {
  stagePersonRef(v, row);
  row.name = v.fullName as string | null;
  const unit = v.orgUnit as UnitRef;
  row.unit_code = unit?.code ?? null;
  row.unit_path = unit?.names?.join('/') ?? null;
  row.post_type = v.postType as PostType | null;
  row.term_name = v.term as string | null;
  row.method = v.method as string | null;
  const start = v.startDate as string | null;
  const end = v.endDate as string | null;
  row.start_date = start;
  row.end_date = end;
  if (start && end && end < start) {
    fail('endDate', {
      vi: `Ngày kết thúc không được trước ngày bắt đầu.`,
      en: `The end date cannot be before the start date.`,
    });
    return;
  }
  // The plausible dates of POST /appointments, worded as it words them.
  try {
    checkAppointmentDates(start, end, todayVn);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    for (const d of error.details) if ('vi' in d) fail(d.field, { vi: d.vi, en: d.en });
  }
}

function stageAccount(v: Record<string, unknown>, row: StagedRow): void {
  stagePersonRef(v, row);
  row.email = v.email as string | null;
  row.role = v.role as string | null;
  const unit = v.scope as UnitRef;
  row.unit_code = unit?.code ?? null;
  row.unit_path = unit?.names?.join('/') ?? null;
}
