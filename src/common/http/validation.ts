import { ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { DomainError, ErrorDetail } from '../errors/domain-error';
import { dmy } from '../dates/vietnam-dates';
import { formatNumber, Language } from './language';

type Args = readonly unknown[];
type Wording = (args: Args, lang: Language) => string;
const both =
  (vi: string, en: string): Wording =>
  (_args, lang) =>
    lang === 'en' ? en : vi;
const n = (value: unknown, lang: Language) => formatNumber(value, lang);

/**
 * Constraints in the order a person should hear about them: of several failures of one field
 * (a number where text was expected fails isString, minLength and maxLength at once) only the
 * first is reported, so each field answers one clear message.
 */
const PRIORITY = [
  'whitelistValidation',
  'missing',
  'null',
  'isDefined',
  'nestedValidation',
  'isObject',
  'isArray',
  'isString',
  'isBoolean',
  'isInt',
  'isNumber',
  'isDecimal',
  'isUuid',
  'isDateInRange',
  'isDateString',
  'isIso8601',
  'isEmail',
  'isUrl',
  'isIn',
  'isEnum',
  'isNationalId',
  'isPhone',
  'matches',
  'isNotEmpty',
  'arrayNotEmpty',
  'arrayMinSize',
  'arrayMaxSize',
  'arrayUnique',
  'minLength',
  'maxLength',
  'length',
  'isPositive',
  'min',
  'max',
];

/**
 * Wording per constraint in Vietnamese and English, with the constraint's own limits (a length,
 * a bound, the allowed values, an example of the format). The catalogue test walks every
 * constraint used by a DTO and fails on one missing here.
 */
export const CONSTRAINT_WORDING: Record<string, Wording> = {
  whitelistValidation: both('Trường này không được phép gửi lên.', 'This field is not allowed.'),
  missing: both('Thiếu trường bắt buộc này.', 'This field is required.'),
  null: both('Không được để trống (null).', 'Must not be null.'),
  isDefined: both('Thiếu trường bắt buộc này.', 'This field is required.'),
  isNotEmpty: both('Không được để trống.', 'Must not be empty.'),
  nestedValidation: both('Phải là một đối tượng JSON hợp lệ.', 'Must be a valid JSON object.'),
  isObject: both('Phải là một đối tượng JSON.', 'Must be a JSON object.'),
  isArray: both('Phải là một danh sách.', 'Must be a list.'),
  isString: both('Phải là chuỗi ký tự.', 'Must be a string.'),
  isBoolean: both('Phải là true hoặc false.', 'Must be true or false.'),
  isInt: both('Phải là số nguyên.', 'Must be a whole number.'),
  isNumber: both('Phải là số.', 'Must be a number.'),
  isDecimal: ([places], lang) =>
    places === 0
      ? lang === 'en'
        ? 'Must be a whole number.'
        : 'Phải là số nguyên.'
      : lang === 'en'
        ? `Must be a number with at most ${String(places)} decimal place(s).`
        : `Phải là số, tối đa ${String(places)} chữ số thập phân.`,
  isUuid: both(
    'Phải là mã định danh UUID (ví dụ 3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41).',
    'Must be a UUID (e.g. 3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41).',
  ),
  isIsoDate: both(
    'Phải là ngày có thật theo định dạng yyyy-MM-dd (ví dụ 2026-12-31).',
    'Must be a real date written yyyy-MM-dd (e.g. 2026-12-31).',
  ),
  isDateInRange: ([min, max], lang) => {
    const from = dmy(String(min));
    const to = dmy(String(max));
    return lang === 'en'
      ? `Must be a real date written yyyy-MM-dd, from ${from} to ${to} (e.g. 2026-12-31).`
      : `Phải là ngày có thật theo định dạng yyyy-MM-dd, từ ${from} đến ${to} (ví dụ 2026-12-31).`;
  },
  isDateString: both(
    'Phải là ngày hoặc thời điểm theo ISO 8601 (ví dụ 2026-12-31 hoặc 2026-12-31T08:00:00+07:00).',
    'Must be an ISO 8601 date or time (e.g. 2026-12-31 or 2026-12-31T08:00:00+07:00).',
  ),
  isIso8601: both(
    'Phải là ngày hoặc thời điểm theo ISO 8601 (ví dụ 2026-12-31T08:00:00+07:00).',
    'Must be an ISO 8601 date or time (e.g. 2026-12-31T08:00:00+07:00).',
  ),
  isEmail: both(
    'Phải là địa chỉ email hợp lệ (ví dụ ten@congdoan.vn).',
    'Must be a valid e-mail address (e.g. name@congdoan.vn).',
  ),
  isUrl: both(
    'Phải là địa chỉ http hoặc https đầy đủ (ví dụ https://congdoan.vn/tai-lieu).',
    'Must be a full http or https address (e.g. https://congdoan.vn/tai-lieu).',
  ),
  isIn: ([values], lang) => {
    const list = Array.isArray(values) ? values.map(String) : [];
    const shown = list.length > 12 ? `${list.slice(0, 12).join(', ')}, …` : list.join(', ');
    return lang === 'en' ? `Must be one of: ${shown}.` : `Phải là một trong các giá trị: ${shown}.`;
  },
  isEnum: ([, values], lang) =>
    CONSTRAINT_WORDING.isIn([Array.isArray(values) ? values : []], lang),
  isNationalId: both(
    'Số CCCD phải gồm đúng 12 chữ số.',
    'A national ID (CCCD) is exactly 12 digits.',
  ),
  isPhone: both(
    'Không phải số điện thoại Việt Nam: số di động 10 chữ số (ví dụ 0912 345 678 hoặc +84 912 345 678) hoặc số cố định 11 chữ số bắt đầu bằng 02 (ví dụ 024 3826 1234).',
    'Not a Vietnamese phone number: a 10-digit mobile (e.g. 0912 345 678 or +84 912 345 678) or an 11-digit landline starting 02 (e.g. 024 3826 1234).',
  ),
  matches: ([pattern], lang) => {
    const format = pattern instanceof RegExp ? FORMATS.get(formatKey(pattern)) : undefined;
    if (format) {
      return lang === 'en' ? `Wrong format: ${format.en}.` : `Sai định dạng: ${format.vi}.`;
    }
    return lang === 'en' ? 'Wrong format.' : 'Sai định dạng.';
  },
  arrayNotEmpty: both('Danh sách không được rỗng.', 'The list must not be empty.'),
  arrayMinSize: ([size], lang) =>
    lang === 'en'
      ? `The list needs at least ${n(size, lang)} item(s).`
      : `Danh sách phải có ít nhất ${n(size, lang)} phần tử.`,
  arrayMaxSize: ([size], lang) =>
    lang === 'en'
      ? `The list holds at most ${n(size, lang)} item(s).`
      : `Danh sách có tối đa ${n(size, lang)} phần tử.`,
  arrayUnique: both('Danh sách có phần tử trùng nhau.', 'The list has duplicates.'),
  minLength: ([min], lang) =>
    lang === 'en'
      ? `Must be at least ${n(min, lang)} character(s) long.`
      : `Phải có ít nhất ${n(min, lang)} ký tự.`,
  maxLength: ([max], lang) =>
    lang === 'en'
      ? `Must be at most ${n(max, lang)} character(s) long.`
      : `Tối đa ${n(max, lang)} ký tự.`,
  length: ([min, max], lang) =>
    lang === 'en'
      ? `Must be ${n(min, lang)} to ${n(max, lang)} characters long.`
      : `Phải có từ ${n(min, lang)} đến ${n(max, lang)} ký tự.`,
  isPositive: both('Phải là số dương.', 'Must be a positive number.'),
  isNotBefore: ([other], lang) =>
    lang === 'en'
      ? `Must not be earlier than ${String(other)}.`
      : `Không được sớm hơn ngày ở trường ${String(other)}.`,
  isAfter: ([other], lang) =>
    lang === 'en'
      ? `Must be later than ${String(other)}.`
      : `Phải sau ngày ở trường ${String(other)}.`,
  isEvaluationYear: ([first], lang) =>
    typeof first === 'number'
      ? lang === 'en'
        ? `The evaluation year must be from ${first} to next year.`
        : `Năm đánh giá phải từ năm ${first} đến năm sau.`
      : lang === 'en'
        ? 'The evaluation year must be from the first year of the evaluation rules to next year.'
        : 'Năm đánh giá phải từ năm đầu tiên của quy định đánh giá đến năm sau.',
  consistentOptions: both(
    'Các phương án phải có khóa khác nhau; câu hỏi đúng/sai có đúng hai phương án.',
    'Options must have unique keys, and a true/false question exactly two.',
  ),
  consistentCorrect: both(
    'Đáp án đúng phải là khóa của phương án đã có; câu một lựa chọn và câu đúng/sai có đúng một đáp án.',
    'The right answers must be existing option keys; single-choice and true/false questions have exactly one.',
  ),
  min: ([min], lang) =>
    lang === 'en' ? `Must be at least ${n(min, lang)}.` : `Không được nhỏ hơn ${n(min, lang)}.`,
  max: ([max], lang) =>
    lang === 'en' ? `Must be at most ${n(max, lang)}.` : `Không được lớn hơn ${n(max, lang)}.`,
};

const formatKey = (pattern: RegExp) => `${pattern.source}/${pattern.flags}`;
const FORMATS = new Map<string, { vi: string; en: string }>();

/**
 * Names the format a pattern stands for, so a value that fails @Matches(pattern) is told which
 * format to use (with an example). Returns the pattern, for `@Matches(describedFormat(…))`.
 */
export function describedFormat(pattern: RegExp, description: { vi: string; en: string }): RegExp {
  FORMATS.set(formatKey(pattern), description);
  return pattern;
}

export interface RawDetail {
  field: string;
  constraint: string;
  /** English text: class-validator's own, or the caller's (CSV and CASE readers). */
  en: string;
  /** The constraint's limits, when known (a length, a bound, the allowed values). */
  args?: Args;
  /** A ready Vietnamese text (CSV and CASE readers); else worded from `constraint`. */
  vi?: string;
}

/** The limits of a constraint, read from the DTO's validation metadata. */
function constraintArgs(target: object | undefined, property: string, name: string): Args {
  if (!target) return [];
  const metas = getMetadataStorage().getTargetValidationMetadatas(
    target.constructor,
    '',
    true,
    false,
  );
  const meta = metas.find((m) => m.propertyName === property && m.name === name);
  return (meta?.constraints as Args | undefined) ?? [];
}

/**
 * One detail per field: the most basic failure first (unknown, missing, null, wrong type,
 * wrong format, out of range), with the limits it needs to be worded.
 */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): RawDetail[] {
  const out: RawDetail[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    if (constraints.length) {
      const names = constraints.map(([name]) => name);
      let chosen = constraints[0];
      let rank = Number.MAX_SAFE_INTEGER;
      for (const c of constraints) {
        const r = PRIORITY.indexOf(c[0]);
        if (r >= 0 && r < rank) [chosen, rank] = [c, r];
      }
      const hasValue = Object.prototype.hasOwnProperty.call(error, 'value');
      const absent = hasValue && error.value === undefined;
      if (!names.includes('whitelistValidation') && hasValue && (absent || error.value === null)) {
        out.push({ field, constraint: absent ? 'missing' : 'null', en: chosen[1] });
      } else {
        out.push({
          field,
          constraint: chosen[0],
          en: chosen[1],
          args: constraintArgs(error.target, error.property, chosen[0]),
        });
      }
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

export function translateDetails(raw: RawDetail[], lang: Language): ErrorDetail[] {
  return raw.map((d) => {
    if (d.vi !== undefined) return { field: d.field, message: lang === 'en' ? d.en : d.vi };
    const wording = CONSTRAINT_WORDING[d.constraint];
    return { field: d.field, message: wording ? wording(d.args ?? [], lang) : d.en };
  });
}

/** A validation failure keeps the raw constraints; the filter words them in the caller's language. */
export class RequestValidationError extends DomainError {
  constructor(readonly raw: RawDetail[]) {
    super('VALIDATION_FAILED');
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // Target and value stay inside the server: they tell a missing field from a wrong one and
    // let the wording name the DTO's limits; the body sent back holds field and message only.
    validationError: { target: true, value: true },
    exceptionFactory: (errors) => new RequestValidationError(flattenValidationErrors(errors)),
  });
}
