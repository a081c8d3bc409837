import { nfc } from '../../common/text/vietnamese';
import { CURRENT_LEVEL_POLICIES, CurrentLevelPolicy } from '../competency.types';
import { DEFAULT_POLICY } from '../default-scale';
import type { CompetencyInputDto, VersionDto } from '../dto/framework.dto';
import { CsvSyntaxError, parseCsv, unguardCell, writeCsv } from '../../common/csv/csv';
import type { FrameworkDocument } from './framework-document';

/**
 * The CSV layout of a framework version, one row per thing, in this order of columns:
 *
 *   type, code, parent_code, level, name_vi, name_en, description_vi, description_en,
 *   proficient, policy, policy_years
 *
 * - framework  (exactly one): code, name_vi, name_en, description_vi (the framework's one
 *   description), policy (latest_valid | highest_valid_within_years | supervisor_over_self,
 *   default DEFAULT_POLICY: supervisor_over_self), policy_years (for highest_valid_within_years);
 * - level: level (1..n in order), name_vi, name_en, description_vi, description_en, and
 *   proficient = x on exactly one level (the level from which a person counts as proficient);
 * - domain: code, name_vi, name_en (in display order);
 * - competency: code, parent_code = its domain's code, name_vi, name_en, description_vi,
 *   description_en (in display order);
 * - indicator: parent_code = its competency's code, level, name_vi = the text in Vietnamese,
 *   name_en = the text in English.
 * The header row names the columns (any order; the last four may be left out). UTF-8 with or
 * without a byte-order mark; texts are stored in NFC. Rows are numbered as a spreadsheet shows
 * them: the header is row 1.
 */
export const FRAMEWORK_CSV_COLUMNS = [
  'type',
  'code',
  'parent_code',
  'level',
  'name_vi',
  'name_en',
  'description_vi',
  'description_en',
  'proficient',
  'policy',
  'policy_years',
] as const;
type Column = (typeof FRAMEWORK_CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly Column[] = FRAMEWORK_CSV_COLUMNS.slice(0, 6);
export const ROW_TYPES = ['framework', 'level', 'domain', 'competency', 'indicator'] as const;
type RowType = (typeof ROW_TYPES)[number];

/** A problem with one row (row 1 is the header); field is a column name, or '' for the row. */
export interface RowError {
  row: number;
  field: string;
  message: string;
}

/** Vietnamese and English wording of the CSV layout's own errors. */
const MESSAGES = {
  syntax: { vi: 'Lỗi cú pháp CSV: {detail}.', en: 'CSV syntax error: {detail}.' },
  empty: { vi: 'Tệp CSV không có dữ liệu.', en: 'The CSV file is empty.' },
  missingColumn: { vi: 'Thiếu cột {column}.', en: 'Column {column} is missing.' },
  unknownColumn: {
    vi: 'Cột {column} không thuộc mẫu.',
    en: 'Column {column} is not part of the layout.',
  },
  duplicateColumn: { vi: 'Cột {column} lặp lại.', en: 'Column {column} appears twice.' },
  extraFields: {
    vi: 'Dòng có nhiều trường hơn tiêu đề.',
    en: 'The row has more fields than the header.',
  },
  unknownType: {
    vi: 'Loại dòng phải là framework, level, domain, competency hoặc indicator.',
    en: 'type must be framework, level, domain, competency or indicator.',
  },
  noFramework: {
    vi: 'Thiếu dòng framework.',
    en: 'The framework row is missing.',
  },
  secondFramework: {
    vi: 'Chỉ được có một dòng framework.',
    en: 'Only one framework row is allowed.',
  },
  integer: { vi: 'Phải là số nguyên dương.', en: 'Must be a positive whole number.' },
  proficientValue: {
    vi: 'Chỉ ghi x (hoặc để trống).',
    en: 'Write x (or leave it empty).',
  },
  proficientCount: {
    vi: 'Đúng một mức phải được đánh dấu proficient = x; đang có {count}.',
    en: 'Exactly one level must be marked proficient = x; found {count}.',
  },
  policy: {
    vi: 'Phải là latest_valid, highest_valid_within_years hoặc supervisor_over_self.',
    en: 'Must be latest_valid, highest_valid_within_years or supervisor_over_self.',
  },
  frameworkDescriptionEn: {
    vi: 'Khung năng lực có một mô tả: dùng description_vi.',
    en: 'The framework has one description: use description_vi.',
  },
  noCompetency: {
    vi: 'Không có năng lực {code} trong tệp.',
    en: 'No competency {code} in the file.',
  },
  required: { vi: 'Trường này là bắt buộc.', en: 'This field is required.' },
} as const;
export type CsvMessage = keyof typeof MESSAGES;

export function csvMessage(
  key: CsvMessage,
  lang: 'vi' | 'en',
  params: Record<string, string | number> = {},
): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (w, n: string) =>
    n in params ? String(params[n]) : w,
  );
}

/** Where each part of the document came from, to point a failure of a field at its row. */
export interface RowMap {
  framework: number;
  levels: number[];
  domains: number[];
  competencies: number[];
  indicators: number[][];
}

export interface CsvReadResult {
  doc: FrameworkDocument;
  rows: RowMap;
  errors: { row: number; field: string; key: CsvMessage; params?: Record<string, string> }[];
  /** The text could not be read as the layout (syntax, header): no row was read. */
  fatal: boolean;
}

const opt = (s: string): string | undefined => (s === '' ? undefined : s);
const positiveInt = (s: string): number | null => (/^\d{1,3}$/.test(s) && +s > 0 ? +s : null);

/** Reads the layout into a framework document; every row problem is collected, none thrown. */
export function readFrameworkCsv(text: string): CsvReadResult {
  const doc: FrameworkDocument = {
    code: '',
    nameVi: '',
    nameEn: '',
    version: {
      scale: { levels: [], proficientLevel: 0 },
      policy: { ...DEFAULT_POLICY },
      domains: [],
      competencies: [],
    },
  };
  const rows: RowMap = { framework: 1, levels: [], domains: [], competencies: [], indicators: [] };
  const errors: CsvReadResult['errors'] = [];
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    errors.push({ row: e.row, field: '', key: 'syntax', params: { detail: e.message } });
    return { doc, rows, errors, fatal: true };
  }
  const [header, ...body] = records;
  if (!header || header.fields.every((f) => f.trim() === '')) {
    errors.push({ row: 1, field: '', key: 'empty' });
    return { doc, rows, errors, fatal: true };
  }
  const index = new Map<Column, number>();
  header.fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(FRAMEWORK_CSV_COLUMNS as readonly string[]).includes(name)) {
      errors.push({ row: 1, field: name, key: 'unknownColumn', params: { column: raw.trim() } });
    } else if (index.has(name as Column)) {
      errors.push({ row: 1, field: name, key: 'duplicateColumn', params: { column: name } });
    } else {
      index.set(name as Column, i);
    }
  });
  for (const c of REQUIRED_COLUMNS) {
    if (!index.has(c))
      errors.push({ row: 1, field: c, key: 'missingColumn', params: { column: c } });
  }
  if (errors.length) return { doc, rows, errors, fatal: true };

  const v = doc.version;
  const proficientRows: number[] = [];
  const indicatorRows: {
    row: number;
    parent: string;
    level: number;
    textVi: string;
    textEn: string;
  }[] = [];
  let frameworkSeen = false;
  for (const record of body) {
    if (record.fields.every((f) => f.trim() === '')) continue;
    const { row } = record;
    if (record.fields.length > header.fields.length) {
      errors.push({ row, field: '', key: 'extraFields' });
    }
    const get = (c: Column): string => {
      const i = index.get(c);
      const value = i === undefined ? '' : (record.fields[i] ?? '');
      return nfc(unguardCell(value));
    };
    const int = (c: Column): number => {
      const n = positiveInt(get(c));
      if (n === null) errors.push({ row, field: c, key: get(c) === '' ? 'required' : 'integer' });
      return n ?? 0;
    };
    const type = get('type').toLowerCase() as RowType;
    switch (type) {
      case 'framework': {
        if (frameworkSeen) {
          errors.push({ row, field: 'type', key: 'secondFramework' });
          break;
        }
        frameworkSeen = true;
        rows.framework = row;
        doc.code = get('code');
        doc.nameVi = get('name_vi');
        doc.nameEn = get('name_en');
        doc.description = opt(get('description_vi'));
        if (get('description_en') !== '') {
          errors.push({ row, field: 'description_en', key: 'frameworkDescriptionEn' });
        }
        const kind = get('policy') || DEFAULT_POLICY.kind;
        if (!(CURRENT_LEVEL_POLICIES as readonly string[]).includes(kind)) {
          errors.push({ row, field: 'policy', key: 'policy' });
        }
        v.policy = { kind: kind as CurrentLevelPolicy };
        if (get('policy_years') !== '') v.policy.years = int('policy_years');
        break;
      }
      case 'level': {
        const level = int('level');
        rows.levels.push(row);
        v.scale.levels.push({
          level,
          nameVi: get('name_vi'),
          nameEn: get('name_en'),
          descriptionVi: opt(get('description_vi')),
          descriptionEn: opt(get('description_en')),
        });
        const mark = get('proficient').toLowerCase();
        if (mark === 'x') {
          proficientRows.push(row);
          v.scale.proficientLevel = level;
        } else if (mark !== '') {
          errors.push({ row, field: 'proficient', key: 'proficientValue' });
        }
        break;
      }
      case 'domain':
        rows.domains.push(row);
        v.domains.push({ code: get('code'), nameVi: get('name_vi'), nameEn: get('name_en') });
        break;
      case 'competency':
        rows.competencies.push(row);
        rows.indicators.push([]);
        v.competencies.push({
          code: get('code'),
          domainCode: get('parent_code'),
          nameVi: get('name_vi'),
          nameEn: get('name_en'),
          descriptionVi: opt(get('description_vi')),
          descriptionEn: opt(get('description_en')),
          indicators: [],
        });
        break;
      case 'indicator':
        indicatorRows.push({
          row,
          parent: get('parent_code'),
          level: int('level'),
          textVi: get('name_vi'),
          textEn: get('name_en'),
        });
        break;
      default:
        errors.push({ row, field: 'type', key: 'unknownType' });
    }
  }
  if (!frameworkSeen) errors.push({ row: 1, field: 'type', key: 'noFramework' });
  if (proficientRows.length !== 1) {
    const at = proficientRows.length > 1 ? proficientRows[1] : (rows.levels[0] ?? rows.framework);
    errors.push({
      row: at,
      field: 'proficient',
      key: 'proficientCount',
      params: { count: String(proficientRows.length) },
    });
  }
  // Indicators may come anywhere after the header; each joins its competency by code.
  const byCode = new Map<string, number>();
  v.competencies.forEach((c, i) => {
    if (!byCode.has(c.code)) byCode.set(c.code, i);
  });
  for (const ind of indicatorRows) {
    const i = byCode.get(ind.parent);
    if (i === undefined) {
      errors.push({
        row: ind.row,
        field: 'parent_code',
        key: 'noCompetency',
        params: { code: ind.parent },
      });
      continue;
    }
    rows.indicators[i].push(ind.row);
    v.competencies[i].indicators.push({ level: ind.level, textVi: ind.textVi, textEn: ind.textEn });
  }
  return { doc, rows, errors, fatal: false };
}

/** DTO property → CSV column, for pointing a validation failure at a cell. */
const COLUMN_OF: Record<string, Column> = {
  code: 'code',
  nameVi: 'name_vi',
  nameEn: 'name_en',
  description: 'description_vi',
  descriptionVi: 'description_vi',
  descriptionEn: 'description_en',
  level: 'level',
  levels: 'level',
  domainCode: 'parent_code',
  textVi: 'name_vi',
  textEn: 'name_en',
  kind: 'policy',
  years: 'policy_years',
  proficientLevel: 'proficient',
  policy: 'policy',
  indicators: 'type',
  competencies: 'type',
  domains: 'type',
};

/**
 * The row and column of a document field such as `version.competencies.2.indicators.1.level`
 * (as class-validator and checkVersionStructure name them).
 */
export function rowOfField(field: string, rows: RowMap): { row: number; field: string } {
  const parts = field.split('.');
  const last = parts[parts.length - 1];
  const column = COLUMN_OF[last] ?? last;
  const num = (i: number) => Number(parts[i]);
  if (parts[0] === 'version' && parts[1] === 'scale' && parts[2] === 'levels' && parts.length > 4) {
    return { row: rows.levels[num(3)] ?? rows.framework, field: column };
  }
  if (parts[0] === 'version' && parts[1] === 'scale' && parts[2] === 'proficientLevel') {
    return { row: rows.levels[0] ?? rows.framework, field: column };
  }
  if (parts[0] === 'version' && parts[1] === 'domains' && parts.length > 3) {
    return { row: rows.domains[num(2)] ?? rows.framework, field: column };
  }
  if (parts[0] === 'version' && parts[1] === 'competencies' && parts.length > 3) {
    const c = num(2);
    if (parts[3] === 'indicators' && parts.length > 5) {
      return { row: rows.indicators[c]?.[num(4)] ?? rows.competencies[c], field: column };
    }
    return { row: rows.competencies[c] ?? rows.framework, field: column };
  }
  return { row: rows.framework, field: column };
}

/** The framework version as CSV (UTF-8 with BOM), in the layout that readFrameworkCsv reads. */
export function writeFrameworkCsv(
  framework: { code: string; nameVi: string; nameEn: string; description: string | null },
  v: VersionDto,
): string {
  const row = (values: Partial<Record<Column, string | number | null>>): string[] =>
    FRAMEWORK_CSV_COLUMNS.map((c) =>
      values[c] === null || values[c] === undefined ? '' : String(values[c]),
    );
  const competencyRows = (c: CompetencyInputDto | VersionDto['competencies'][number]) => [
    row({
      type: 'competency',
      code: c.code,
      parent_code: c.domainCode,
      name_vi: c.nameVi,
      name_en: c.nameEn,
      description_vi: c.descriptionVi,
      description_en: c.descriptionEn,
    }),
    ...c.indicators.map((i) =>
      row({
        type: 'indicator',
        parent_code: c.code,
        level: i.level,
        name_vi: i.textVi,
        name_en: i.textEn,
      }),
    ),
  ];
  return writeCsv([
    [...FRAMEWORK_CSV_COLUMNS],
    row({
      type: 'framework',
      code: framework.code,
      name_vi: framework.nameVi,
      name_en: framework.nameEn,
      description_vi: framework.description,
      policy: v.policy.kind,
      policy_years: v.policy.years,
    }),
    ...v.scale.map((l) =>
      row({
        type: 'level',
        level: l.level,
        name_vi: l.nameVi,
        name_en: l.nameEn,
        description_vi: l.descriptionVi,
        description_en: l.descriptionEn,
        proficient: l.level === v.proficientLevel ? 'x' : '',
      }),
    ),
    ...v.domains.map((d) =>
      row({ type: 'domain', code: d.code, name_vi: d.nameVi, name_en: d.nameEn }),
    ),
    ...v.competencies.flatMap(competencyRows),
  ]);
}
