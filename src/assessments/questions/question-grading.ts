import { matchesWhole, patternProblem } from './answer-patterns';
import { detail, type LocalizedDetail } from '../../common/errors/domain-error';
import { fill, type Bilingual } from '../../common/text/bilingual';
import { foldForSearch, nfc } from '../../common/text/vietnamese';
import { round2 } from '../grading';
import {
  BANK_QUESTION_KINDS,
  PARTIAL_CREDIT_POLICIES,
  type AutoGrade,
  type BankQuestionKind,
  type ChoiceOption,
  type EssayBody,
  type MatchingBody,
  type MultipleChoiceBody,
  type NumericBody,
  type OrderingBody,
  type PartialCreditPolicy,
  type QuestionBody,
  type QuestionResponse,
  type QuestionVersion,
  type RubricCriterion,
  type ShortAnswerBody,
  type SingleChoiceBody,
} from './question-model';

/**
 * The grading engine of the question bank (issue 16): it checks a question version as an author
 * sends it, checks a learner's response as it is saved, and grades a response.
 *
 * Limits (QUESTION_LIMITS). Lengths are counted in UTF-16 code units, which for Vietnamese text
 * is one per letter; the texts of a version are stored in NFC and trimmed, and measured so
 * (patterns are stored in NFC but not trimmed, responses as given):
 * - prompt: 1–5000 characters; points: a whole number 1–100;
 * - keys of options, items, premises, responses and rubric criteria: 1–20 characters of
 *   [A-Za-z0-9_-], unique within their list;
 * - option, item, premise and response texts: 1–1000 characters;
 * - single / multiple: 2–20 options; multiple: 1 or more distinct right options;
 * - short_answer: 1–50 accepted answers of 1–200 characters, 0–20 patterns of 1–200 characters
 *   that compile with the `u` flag and that RE2 accepts (answer-patterns.ts: matched in linear
 *   time; backreferences and lookaround are refused);
 * - numeric: finite value, finite tolerance ≥ 0;
 * - ordering: 2–20 items; matching: 2–20 premises, from as many responses as premises up to 26,
 *   and a right response for every premise (two premises may share a response);
 * - essay: word limit null or 1–10000, 1–10 rubric criteria with titles of 1–200 characters,
 *   descriptions of at most 2000 and maxPoints 1–100. An essay's points are the sum of its
 *   criteria's maxPoints: an author may leave points out (it is then that sum) or give that sum;
 *   any other value is refused, as is a sum over 100;
 * - responses: short answers at most 2000 characters; essays at most 100000 characters and no
 *   more words than the word limit.
 *
 * Unknown fields are refused at every level of a version, not dropped, so a typo such as
 * `partialcredit` does not silently mean "off". Of a list longer than its limit only the length
 * is reported, not each entry; at most 10 unknown fields are reported per object.
 */
export const QUESTION_LIMITS = {
  promptChars: 5000,
  points: { min: 1, max: 100 },
  keyChars: 20,
  optionChars: 1000,
  options: { min: 2, max: 20 },
  accepted: { min: 1, max: 50 },
  acceptedChars: 200,
  patterns: { min: 0, max: 20 },
  patternChars: 200,
  items: { min: 2, max: 20 },
  premises: { min: 2, max: 20 },
  responsesMax: 26,
  wordLimit: { min: 1, max: 10000 },
  rubric: { min: 1, max: 10 },
  rubricTitleChars: 200,
  rubricDescriptionChars: 2000,
  criterionPoints: { min: 1, max: 100 },
  shortAnswerChars: 2000,
  essayChars: 100000,
  reportedUnknownFields: 10,
} as const;

const KEY = new RegExp(`^[A-Za-z0-9_-]{1,${QUESTION_LIMITS.keyChars}}$`);
/** Keys that name parts of every JavaScript object: refused so no record keyed by them can reach
 *  an inherited property or the prototype, here or in code that reads these bodies later. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const M = {
  notObject: { vi: 'Phải là một đối tượng JSON.', en: 'Must be a JSON object.' },
  unknownField: { vi: 'Trường này không được phép ở đây.', en: 'This field is not allowed here.' },
  notText: { vi: 'Phải là văn bản.', en: 'Must be text.' },
  empty: { vi: 'Không được để trống.', en: 'Must not be empty.' },
  tooLong: { vi: 'Tối đa {max} ký tự.', en: 'At most {max} characters.' },
  notList: { vi: 'Phải là một danh sách.', en: 'Must be a list.' },
  listSize: {
    vi: 'Phải có từ {min} đến {max} {noun}.',
    en: 'Must have {min} to {max} {noun}.',
  },
  notBoolean: { vi: 'Phải là true hoặc false.', en: 'Must be true or false.' },
  notFinite: { vi: 'Phải là một số hữu hạn.', en: 'Must be a finite number.' },
  wholeNumber: {
    vi: 'Phải là số nguyên từ {min} đến {max}.',
    en: 'Must be a whole number from {min} to {max}.',
  },
  kind: {
    vi: 'Loại câu hỏi không hợp lệ; phải là một trong: {list}.',
    en: 'Unknown question kind; must be one of: {list}.',
  },
  policy: {
    vi: 'Cách tính điểm từng phần phải là một trong: {list}.',
    en: 'The partial-credit policy must be one of: {list}.',
  },
  key: {
    vi: 'Mã phải gồm 1–20 ký tự: chữ cái không dấu, chữ số, gạch ngang hoặc gạch dưới.',
    en: 'A key must be 1–20 characters: unaccented letters, digits, hyphens or underscores.',
  },
  keyReserved: {
    vi: 'Mã {key} được dành riêng; hãy chọn mã khác.',
    en: 'Key {key} is reserved; choose another.',
  },
  keyTwice: { vi: 'Mã {key} bị trùng.', en: 'Key {key} appears twice.' },
  noOption: { vi: 'Không có phương án mang mã {key}.', en: 'There is no option with key {key}.' },
  optionTwice: {
    vi: 'Phương án {key} được nêu hai lần.',
    en: 'Option {key} is listed twice.',
  },
  noRightOption: {
    vi: 'Phải có ít nhất một phương án đúng.',
    en: 'At least one option must be right.',
  },
  tolerance: {
    vi: 'Sai số cho phép phải là một số hữu hạn, không âm.',
    en: 'The tolerance must be a finite number, not negative.',
  },
  patternSyntax: {
    vi: 'Không phải biểu thức chính quy hợp lệ (cú pháp JavaScript, cờ u).',
    en: 'Not a valid regular expression (JavaScript syntax, u flag).',
  },
  patternUnsupported: {
    vi: 'Biểu thức chính quy dùng cú pháp không được hỗ trợ (tham chiếu ngược như \\1, nhìn trước hoặc nhìn sau); hãy viết cách khác.',
    en: 'The regular expression uses syntax that is not supported (backreferences such as \\1, lookahead or lookbehind); write it another way.',
  },
  responsesSize: {
    vi: 'Cột bên phải cần có từ {min} (bằng số mục ở cột trái) đến {max} mục.',
    en: 'Must have {min} (as many as the premises) to {max} responses.',
  },
  pairMissing: {
    vi: 'Thiếu đáp án ghép cho mục {key} của cột trái.',
    en: 'The right match of premise {key} is missing.',
  },
  noPremise: { vi: 'Cột trái không có mục {key}.', en: 'There is no premise {key}.' },
  noResponse: { vi: 'Cột phải không có mục {key}.', en: 'There is no response {key}.' },
  wordLimit: {
    vi: 'Giới hạn số từ phải là null (không giới hạn) hoặc số nguyên từ 1 đến 10000.',
    en: 'The word limit must be null (no limit) or a whole number from 1 to 10000.',
  },
  essayPoints: {
    vi: 'Điểm của câu tự luận phải bằng tổng điểm tối đa của các tiêu chí ({sum}).',
    en: "An essay's points must equal the sum of its criteria's maximum points ({sum}).",
  },
  essaySum: {
    vi: 'Tổng điểm tối đa của các tiêu chí là {sum}, vượt quá 100.',
    en: "The criteria's maximum points add up to {sum}, more than 100.",
  },
  // A learner's response.
  notOptionKey: {
    vi: 'Câu hỏi không có phương án này.',
    en: 'The question has no such option.',
  },
  notItemKey: { vi: 'Câu hỏi không có mục này.', en: 'The question has no such item.' },
  itemTwice: { vi: 'Mục {key} được xếp hai lần.', en: 'Item {key} is placed twice.' },
  chosenTwice: { vi: 'Phương án {key} được chọn hai lần.', en: 'Option {key} is chosen twice.' },
  tooManyChosen: {
    vi: 'Chọn nhiều hơn số phương án của câu hỏi ({max}).',
    en: 'More choices than the question has options ({max}).',
  },
  notNumber: {
    vi: 'Phải là một số, ví dụ 3,5 hoặc 3.5.',
    en: 'Must be a number, such as 3.5 or 3,5.',
  },
  permutation: {
    vi: 'Phải sắp xếp đủ các mục, mỗi mục đúng một lần.',
    en: 'Must list every item exactly once.',
  },
  tooManyPairs: {
    vi: 'Có nhiều cặp ghép hơn số mục của cột trái ({max}).',
    en: 'More pairs than the question has premises ({max}).',
  },
  notPremise: {
    vi: 'Câu hỏi không có mục này ở cột trái.',
    en: 'The question has no such premise.',
  },
  notResponseKey: {
    vi: 'Phải là mã của một mục ở cột phải.',
    en: 'Must be the key of a response.',
  },
  tooManyWords: {
    vi: 'Bài làm có {words} từ, vượt giới hạn {max} từ.',
    en: 'The answer has {words} words, more than the limit of {max}.',
  },
} satisfies Record<string, Bilingual>;

const NOUN = {
  options: { vi: 'phương án', en: 'options' },
  accepted: { vi: 'đáp án được chấp nhận', en: 'accepted answers' },
  patterns: { vi: 'biểu thức chính quy', en: 'patterns' },
  items: { vi: 'mục', en: 'items' },
  premises: { vi: 'mục ở cột trái', en: 'premises' },
  rubric: { vi: 'tiêu chí', en: 'criteria' },
} satisfies Record<string, Bilingual>;

type Out = LocalizedDetail[];
type Raw = Record<string, unknown>;
type Params = Record<string, string | number | Bilingual>;

function fail(out: Out, field: string, text: Bilingual, params: Params = {}): undefined {
  const t = fill(text, params);
  out.push(detail(field, t.vi, t.en));
  return undefined;
}

/** A plain object's own value at key, never an inherited one ("constructor", "__proto__"). */
function own(obj: object, key: string): unknown {
  return Object.hasOwn(obj, key) ? (obj as Raw)[key] : undefined;
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at field with only the allowed keys (others are reported), else undefined. */
function readObject(value: unknown, field: string, allowed: readonly string[], out: Out) {
  if (!isRecord(value)) return fail(out, field, M.notObject);
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  for (const k of unknown.slice(0, QUESTION_LIMITS.reportedUnknownFields)) {
    fail(out, `${field}.${k}`, M.unknownField);
  }
  return value;
}

/** Text at field: NFC, trimmed, not empty, at most max characters. */
function readText(value: unknown, field: string, max: number, out: Out): string | undefined {
  if (typeof value !== 'string') return fail(out, field, M.notText);
  const text = nfc(value);
  if (text === '') return fail(out, field, M.empty);
  if (text.length > max) return fail(out, field, M.tooLong, { max });
  return text;
}

function readWhole(
  value: unknown,
  field: string,
  range: Range,
  out: Out,
  text: Bilingual = M.wholeNumber,
): number | undefined {
  const ok = Number.isInteger(value) && range.min <= Number(value) && Number(value) <= range.max;
  return ok ? Number(value) : fail(out, field, text, { ...range });
}

function readBoolean(value: unknown, field: string, out: Out): boolean | undefined {
  return typeof value === 'boolean' ? value : fail(out, field, M.notBoolean);
}

interface Range {
  min: number;
  max: number;
}

/** A list at field; one too long is reported by its length only and its entries are not read. */
function readList(
  value: unknown,
  field: string,
  range: Range,
  noun: Bilingual,
  out: Out,
): unknown[] | undefined {
  if (!Array.isArray(value)) return fail(out, field, M.notList);
  if (value.length < range.min || value.length > range.max) {
    fail(out, field, M.listSize, { ...range, noun });
    if (value.length > range.max) return undefined;
  }
  return value as unknown[];
}

/** Keys of a list (options, items, premises, criteria): the format, then uniqueness. */
function readKey(value: unknown, field: string, seen: Set<string>, out: Out): string | undefined {
  if (typeof value !== 'string' || !KEY.test(value)) return fail(out, field, M.key);
  if (RESERVED_KEYS.has(value)) return fail(out, field, M.keyReserved, { key: value });
  if (seen.has(value)) return fail(out, field, M.keyTwice, { key: value });
  seen.add(value);
  return value;
}

interface Options {
  list: ChoiceOption[];
  /** Every well-formed key, even of an entry whose text failed, so references are checked. */
  keys: Set<string>;
}

function readOptions(value: unknown, field: string, range: Range, noun: Bilingual, out: Out) {
  const entries = readList(value, field, range, noun, out);
  if (!entries) return undefined;
  const found: Options = { list: [], keys: new Set() };
  entries.forEach((entry, i) => {
    const at = `${field}[${i}]`;
    const raw = readObject(entry, at, ['key', 'text'], out);
    if (!raw) return;
    const key = readKey(raw.key, `${at}.key`, found.keys, out);
    const text = readText(raw.text, `${at}.text`, QUESTION_LIMITS.optionChars, out);
    if (key !== undefined && text !== undefined) found.list.push({ key, text });
  });
  return found;
}

/** A key that must name one of `keys` (skipped when the list itself could not be read). */
function readRef(value: unknown, field: string, keys: Set<string> | undefined, out: Out) {
  if (typeof value !== 'string' || !KEY.test(value)) return fail(out, field, M.key);
  if (keys && !keys.has(value)) return fail(out, field, M.noOption, { key: value });
  return value;
}

function readSingle(b: Raw, f: string, out: Out): SingleChoiceBody | undefined {
  const L = QUESTION_LIMITS;
  const options = readOptions(b.options, `${f}.options`, L.options, NOUN.options, out);
  const correct = readRef(b.correct, `${f}.correct`, options?.keys, out);
  if (!options || correct === undefined) return undefined;
  return { kind: 'single', options: options.list, correct };
}

function readMultiple(b: Raw, f: string, out: Out): MultipleChoiceBody | undefined {
  const L = QUESTION_LIMITS;
  const options = readOptions(b.options, `${f}.options`, L.options, NOUN.options, out);
  const range = { min: 0, max: L.options.max };
  const refs = readList(b.correct, `${f}.correct`, range, NOUN.options, out);
  if (refs && refs.length === 0) fail(out, `${f}.correct`, M.noRightOption);
  const correct = new Set<string>();
  refs?.forEach((ref, i) => {
    const key = readRef(ref, `${f}.correct[${i}]`, options?.keys, out);
    if (key !== undefined && correct.has(key))
      fail(out, `${f}.correct[${i}]`, M.optionTwice, { key });
    else if (key !== undefined) correct.add(key);
  });
  const policy = b.partialCredit as PartialCreditPolicy;
  if (!PARTIAL_CREDIT_POLICIES.includes(policy)) {
    fail(out, `${f}.partialCredit`, M.policy, { list: PARTIAL_CREDIT_POLICIES.join(', ') });
  }
  if (!options || !refs) return undefined;
  return { kind: 'multiple', options: options.list, correct: [...correct], partialCredit: policy };
}

function readTrueFalse(b: Raw, f: string, out: Out) {
  const correct = readBoolean(b.correct, `${f}.correct`, out);
  return correct === undefined ? undefined : { kind: 'true_false' as const, correct };
}

function readPattern(value: unknown, field: string, out: Out): string | undefined {
  if (typeof value !== 'string') return fail(out, field, M.notText);
  if (value.trim() === '') return fail(out, field, M.empty);
  const max = QUESTION_LIMITS.patternChars;
  if (value.length > max) return fail(out, field, M.tooLong, { max });
  const pattern = value.normalize('NFC');
  const problem = patternProblem(pattern);
  if (problem) {
    return fail(out, field, problem === 'syntax' ? M.patternSyntax : M.patternUnsupported);
  }
  return pattern;
}

function readShortAnswer(b: Raw, f: string, out: Out): ShortAnswerBody | undefined {
  const L = QUESTION_LIMITS;
  const accepted = readList(b.accepted, `${f}.accepted`, L.accepted, NOUN.accepted, out)?.map(
    (a, i) => readText(a, `${f}.accepted[${i}]`, L.acceptedChars, out),
  );
  const patterns = readList(b.patterns, `${f}.patterns`, L.patterns, NOUN.patterns, out)?.map(
    (p, i) => readPattern(p, `${f}.patterns[${i}]`, out),
  );
  const caseSensitive = readBoolean(b.caseSensitive, `${f}.caseSensitive`, out);
  const ignoreDiacritics = readBoolean(b.ignoreDiacritics, `${f}.ignoreDiacritics`, out);
  if (!accepted || !patterns || caseSensitive === undefined || ignoreDiacritics === undefined) {
    return undefined;
  }
  return {
    kind: 'short_answer',
    accepted: accepted.filter((a) => a !== undefined),
    caseSensitive,
    ignoreDiacritics,
    patterns: patterns.filter((p) => p !== undefined),
  };
}

function readNumeric(b: Raw, f: string, out: Out): NumericBody | undefined {
  const { value, tolerance } = b;
  const okValue = typeof value === 'number' && Number.isFinite(value);
  const okTolerance = typeof tolerance === 'number' && Number.isFinite(tolerance) && tolerance >= 0;
  if (!okValue) fail(out, `${f}.value`, M.notFinite);
  if (!okTolerance) fail(out, `${f}.tolerance`, M.tolerance);
  return okValue && okTolerance ? { kind: 'numeric', value, tolerance } : undefined;
}

function readOrdering(b: Raw, f: string, out: Out): OrderingBody | undefined {
  const items = readOptions(b.items, `${f}.items`, QUESTION_LIMITS.items, NOUN.items, out);
  const partialCredit = readBoolean(b.partialCredit, `${f}.partialCredit`, out);
  if (!items || partialCredit === undefined) return undefined;
  return { kind: 'ordering', items: items.list, partialCredit };
}

/**
 * premise key → response key, for every premise and nothing else. Entries are checked against
 * the lists that could be read; of an object with more entries than any matching may have, only
 * the first ones are looked at (the rest can only be extra premises, reported as such).
 */
function readPairs(
  value: unknown,
  field: string,
  premises: Options | undefined,
  responses: Options | undefined,
  out: Out,
): Record<string, string> | undefined {
  if (!isRecord(value)) return fail(out, field, M.notObject);
  const pairs: [string, string][] = [];
  const entries = Object.entries(value).slice(0, QUESTION_LIMITS.premises.max + 1);
  for (const [k, v] of entries) {
    const at = `${field}.${k}`;
    if (premises && !premises.keys.has(k)) fail(out, at, M.noPremise, { key: k });
    else if (typeof v !== 'string') fail(out, at, M.notText);
    else if (responses && !responses.keys.has(v)) fail(out, at, M.noResponse, { key: v });
    else pairs.push([k, v]);
  }
  for (const key of premises?.keys ?? []) {
    if (!Object.hasOwn(value, key)) fail(out, `${field}.${key}`, M.pairMissing, { key });
  }
  return Object.fromEntries(pairs);
}

function readMatching(b: Raw, f: string, out: Out): MatchingBody | undefined {
  const L = QUESTION_LIMITS;
  const premises = readOptions(b.premises, `${f}.premises`, L.premises, NOUN.premises, out);
  const given = Array.isArray(b.premises) ? b.premises.length : 0;
  const least = Math.min(Math.max(given, L.premises.min), L.premises.max);
  const list = b.responses;
  const tooMany = Array.isArray(list) && list.length > L.responsesMax;
  if (Array.isArray(list) && (list.length < least || tooMany)) {
    fail(out, `${f}.responses`, M.responsesSize, { min: least, max: L.responsesMax });
  }
  const range = { min: 0, max: L.responsesMax };
  const responses = tooMany
    ? undefined
    : readOptions(list, `${f}.responses`, range, NOUN.items, out);
  const pairs = readPairs(b.pairs, `${f}.pairs`, premises, responses, out);
  const partialCredit = readBoolean(b.partialCredit, `${f}.partialCredit`, out);
  if (!premises || !responses || !pairs || partialCredit === undefined) return undefined;
  return {
    kind: 'matching',
    premises: premises.list,
    responses: responses.list,
    pairs,
    partialCredit,
  };
}

function readCriterion(value: unknown, at: string, keys: Set<string>, out: Out) {
  const L = QUESTION_LIMITS;
  const raw = readObject(value, at, ['key', 'title', 'description', 'maxPoints'], out);
  if (!raw) return undefined;
  const key = readKey(raw.key, `${at}.key`, keys, out);
  const title = readText(raw.title, `${at}.title`, L.rubricTitleChars, out);
  const description =
    raw.description === undefined || raw.description === null
      ? undefined
      : readText(raw.description, `${at}.description`, L.rubricDescriptionChars, out);
  const maxPoints = readWhole(raw.maxPoints, `${at}.maxPoints`, L.criterionPoints, out);
  if (key === undefined || title === undefined || maxPoints === undefined) return undefined;
  const criterion: RubricCriterion = { key, title, maxPoints };
  if (description !== undefined) criterion.description = description;
  return criterion;
}

function readEssay(b: Raw, f: string, out: Out): EssayBody | undefined {
  const L = QUESTION_LIMITS;
  const wordLimit =
    b.wordLimit === null
      ? null
      : readWhole(b.wordLimit, `${f}.wordLimit`, L.wordLimit, out, M.wordLimit);
  const keys = new Set<string>();
  const rubric = readList(b.rubric, `${f}.rubric`, L.rubric, NOUN.rubric, out)?.map((c, i) =>
    readCriterion(c, `${f}.rubric[${i}]`, keys, out),
  );
  if (wordLimit === undefined || !rubric) return undefined;
  return { kind: 'essay', wordLimit, rubric: rubric.filter((c) => c !== undefined) };
}

type BodyReader = (b: Raw, f: string, out: Out) => QuestionBody | undefined;

const BODY_FIELDS: Record<BankQuestionKind, { fields: string[]; read: BodyReader }> = {
  single: { fields: ['options', 'correct'], read: readSingle },
  multiple: { fields: ['options', 'correct', 'partialCredit'], read: readMultiple },
  true_false: { fields: ['correct'], read: readTrueFalse },
  short_answer: {
    fields: ['accepted', 'caseSensitive', 'ignoreDiacritics', 'patterns'],
    read: readShortAnswer,
  },
  numeric: { fields: ['value', 'tolerance'], read: readNumeric },
  ordering: { fields: ['items', 'partialCredit'], read: readOrdering },
  matching: { fields: ['premises', 'responses', 'pairs', 'partialCredit'], read: readMatching },
  essay: { fields: ['wordLimit', 'rubric'], read: readEssay },
};

function readBody(value: unknown, field: string, out: Out): QuestionBody | undefined {
  if (!isRecord(value)) return fail(out, field, M.notObject);
  const kind = value.kind as BankQuestionKind;
  if (!BANK_QUESTION_KINDS.includes(kind)) {
    return fail(out, `${field}.kind`, M.kind, { list: BANK_QUESTION_KINDS.join(', ') });
  }
  const { fields, read } = BODY_FIELDS[kind];
  readObject(value, field, ['kind', ...fields], out);
  return read(value, field, out);
}

/** The path beside `field`: sibling('questions[2].body', 'points') → 'questions[2].points'. */
function sibling(field: string, name: string): string {
  const cut = field.lastIndexOf('.');
  return cut < 0 ? name : `${field.slice(0, cut)}.${name}`;
}

/**
 * Points of a version: 1–100; for an essay the sum of its rubric, which may be left out. `body`
 * is given only when it was read without a failure: an essay's points are not compared with a
 * rubric that could not be read whole.
 */
function readPoints(
  value: unknown,
  field: string,
  kind: unknown,
  body: QuestionBody | undefined,
  out: Out,
) {
  const range = QUESTION_LIMITS.points;
  if (kind !== 'essay') return readWhole(value, field, range, out);
  if (body?.kind !== 'essay')
    return value === undefined ? undefined : readWhole(value, field, range, out);
  const sum = body.rubric.reduce((s, c) => s + c.maxPoints, 0);
  if (sum > QUESTION_LIMITS.points.max) return fail(out, field, M.essaySum, { sum });
  if (value !== undefined && value !== sum) return fail(out, field, M.essayPoints, { sum });
  return sum;
}

/**
 * Checks a question version `{ prompt, points, body }` as it arrives in JSON. `field` is the path
 * of its body; the prompt and points are reported beside it (`prompt`, `points` by default, or
 * `questions[2].points` for `questions[2].body`), and a version that is not an object at all at
 * the body's parent (or at `field` when there is none). Every failure is reported, each once.
 */
export function validateQuestion(
  input: unknown,
  field = 'body',
): { question: QuestionVersion } | { details: LocalizedDetail[] } {
  const out: Out = [];
  const parent = field.includes('.') ? field.slice(0, field.lastIndexOf('.')) : field;
  if (!isRecord(input)) return { details: [detail(parent, M.notObject.vi, M.notObject.en)] };
  const unknown = Object.keys(input).filter((k) => !['prompt', 'points', 'body'].includes(k));
  for (const k of unknown.slice(0, QUESTION_LIMITS.reportedUnknownFields)) {
    fail(out, sibling(field, k), M.unknownField);
  }
  const prompt = readText(input.prompt, sibling(field, 'prompt'), QUESTION_LIMITS.promptChars, out);
  const before = out.length;
  const body = readBody(input.body, field, out);
  const kind = isRecord(input.body) ? input.body.kind : undefined;
  const whole = out.length === before ? body : undefined;
  const points = readPoints(input.points, sibling(field, 'points'), kind, whole, out);
  if (out.length > 0 || prompt === undefined || body === undefined || points === undefined) {
    return { details: out };
  }
  return { question: { prompt, points, body } };
}

// --- A learner's response ---------------------------------------------------------------------

/**
 * A numeric response as a number: a finite number, or text of one with a decimal point or comma
 * ("3,5", " -3.5 ", ".5"), else null. No exponent, no thousands separators: "1.000,5" and
 * "3,5,1" are refused rather than guessed at.
 */
export { patternProblem } from './answer-patterns';

export function parseNumericResponse(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text.length > 100 || !/^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/.test(text)) return null;
  const n = Number(text.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

/** Words of an essay: runs of characters between whitespace. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => w !== '').length;
}

function checkText(value: unknown, field: string, max: number, out: Out): string | undefined {
  if (typeof value !== 'string') return fail(out, field, M.notText);
  return value.length > max ? fail(out, field, M.tooLong, { max }) : value;
}

/**
 * Keys of the list, each existing and given once: the options a learner chose (multiple), or
 * for an ordering (`ordering`) every item exactly once, in the learner's order.
 */
function checkKeys(keys: string[], value: unknown, field: string, ordering: boolean, out: Out) {
  if (!Array.isArray(value)) return fail(out, field, M.notList);
  if (value.length > keys.length) {
    return fail(out, field, ordering ? M.permutation : M.tooManyChosen, { max: keys.length });
  }
  const seen = new Set<string>();
  const before = out.length;
  value.forEach((k, i) => {
    const at = `${field}[${i}]`;
    if (typeof k !== 'string' || !keys.includes(k)) {
      fail(out, at, ordering ? M.notItemKey : M.notOptionKey);
    } else if (seen.has(k)) fail(out, at, ordering ? M.itemTwice : M.chosenTwice, { key: k });
    else seen.add(k);
  });
  if (out.length > before) return undefined;
  if (ordering && seen.size !== keys.length) return fail(out, field, M.permutation);
  return value as string[];
}

function checkMatching(body: MatchingBody, value: unknown, field: string, out: Out) {
  if (!isRecord(value)) return fail(out, field, M.notObject);
  const premises = body.premises.map((p) => p.key);
  const responses = body.responses.map((r) => r.key);
  const entries = Object.entries(value);
  if (entries.length > premises.length) {
    return fail(out, field, M.tooManyPairs, { max: premises.length });
  }
  const before = out.length;
  for (const [k, v] of entries) {
    if (!premises.includes(k)) fail(out, `${field}.${k}`, M.notPremise);
    else if (typeof v !== 'string' || !responses.includes(v)) {
      fail(out, `${field}.${k}`, M.notResponseKey);
    }
  }
  return out.length > before ? undefined : (Object.fromEntries(entries) as Record<string, string>);
}

function checkEssay(body: EssayBody, value: unknown, field: string, out: Out) {
  const text = checkText(value, field, QUESTION_LIMITS.essayChars, out);
  if (text === undefined || body.wordLimit === null) return text;
  const words = countWords(text);
  const max = body.wordLimit;
  return words > max ? fail(out, field, M.tooManyWords, { words, max }) : text;
}

const keysOf = (list: readonly ChoiceOption[]) => list.map((o) => o.key);

function checkResponse(body: QuestionBody, v: unknown, f: string, out: Out): unknown {
  switch (body.kind) {
    case 'single':
      if (typeof v !== 'string') return fail(out, f, M.notText);
      return body.options.some((o) => o.key === v) ? v : fail(out, f, M.notOptionKey);
    case 'multiple':
      return checkKeys(keysOf(body.options), v, f, false, out);
    case 'true_false':
      return readBoolean(v, f, out);
    case 'short_answer':
      return checkText(v, f, QUESTION_LIMITS.shortAnswerChars, out);
    case 'numeric':
      return parseNumericResponse(v) ?? fail(out, f, M.notNumber);
    case 'ordering':
      return checkKeys(keysOf(body.items), v, f, true, out);
    case 'matching':
      return checkMatching(body, v, f, out);
    case 'essay':
      return checkEssay(body, v, f, out);
  }
}

/**
 * Checks the response a learner saves for a question with this body. Null or undefined is "not
 * answered" and allowed. A numeric response is returned as a number ("3,5" → 3.5); everything
 * else as given. Details are at `field` (`response`), `response[2]` or `response.P1`.
 */
export function validateResponse(
  body: QuestionBody,
  response: unknown,
  field = 'response',
): { response: QuestionResponse | null } | { details: LocalizedDetail[] } {
  if (response === null || response === undefined) return { response: null };
  const out: Out = [];
  const value = checkResponse(body, response, field, out);
  if (out.length > 0 || value === undefined) return { details: out };
  return { response: value as QuestionResponse };
}

// --- Grading ----------------------------------------------------------------------------------

/** The points a question is worth (for an essay, the sum of its rubric, which points equals). */
export function maxPoints(q: QuestionVersion): number {
  return q.points;
}

function strings(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
}

/** Share of the points a multiple-choice response earns under the question's policy. */
export function multipleShare(body: MultipleChoiceBody, chosenKeys: readonly string[]): number {
  const right = new Set(body.correct);
  const chosen = new Set(chosenKeys);
  if (chosen.size === 0 || right.size === 0) return 0;
  let hits = 0;
  for (const k of chosen) if (right.has(k)) hits += 1;
  const misses = chosen.size - hits;
  switch (body.partialCredit) {
    case 'proportional':
      return misses > 0 ? 0 : hits / right.size;
    case 'right_minus_wrong':
      return Math.max(0, (hits - misses) / right.size);
    default:
      return hits === right.size && misses === 0 ? 1 : 0;
  }
}

/** Trimmed, inner whitespace collapsed, NFC: the form both sides of a short answer are compared in. */
export function normaliseAnswer(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Diacritics and đ folded as foldForSearch does, each letter keeping its case. */
function foldKeepingCase(text: string): string {
  return Array.from(text, (ch) => {
    const folded = foldForSearch(ch) || ch;
    return ch === ch.toLowerCase() ? folded : folded.toUpperCase();
  }).join('');
}

/** The form compared for equality under the body's case and diacritics settings. */
function comparable(text: string, body: ShortAnswerBody): string {
  if (!body.ignoreDiacritics) return body.caseSensitive ? text : text.toLowerCase();
  return body.caseSensitive ? foldKeepingCase(text) : foldForSearch(text);
}

/**
 * Right when equal to an accepted answer, or matched whole by a pattern (on the folded answer too
 * when diacritics are ignored). An answer longer than a short answer may be is never right.
 */
export function shortAnswerRight(body: ShortAnswerBody, answer: string): boolean {
  const given = normaliseAnswer(answer);
  if (given === '' || given.length > QUESTION_LIMITS.shortAnswerChars) return false;
  const key = comparable(given, body);
  if (body.accepted.some((a) => comparable(normaliseAnswer(a), body) === key)) return true;
  const forms = body.ignoreDiacritics ? [given, key] : [given];
  return body.patterns.some((p) => forms.some((form) => matchesWhole(p, form, body.caseSensitive)));
}

/**
 * Right when |r − value| ≤ tolerance, give or take the error of binary floating point: an
 * epsilon of 16 × Number.EPSILON times the larger magnitude (at least 1), i.e. about 3.6e-15
 * around 1. So 0.3 ± 0.1 accepts 0.4 although 0.4 − 0.3 is 0.10000000000000003, while 0.4001 is
 * refused; the epsilon is far below any tolerance an author would set.
 */
export function numericRight(body: NumericBody, r: number): boolean {
  const epsilon = 16 * Number.EPSILON * Math.max(1, Math.abs(body.value), Math.abs(r));
  return Math.abs(r - body.value) <= body.tolerance + epsilon;
}

function orderingShare(body: OrderingBody, order: string[] | null): number {
  if (!order) return 0;
  const inPlace = body.items.filter((item, i) => order[i] === item.key).length;
  if (body.partialCredit) return inPlace / body.items.length;
  return inPlace === body.items.length && order.length === body.items.length ? 1 : 0;
}

function matchingShare(body: MatchingBody, value: unknown): number {
  if (!isRecord(value) || body.premises.length === 0) return 0;
  const right = body.premises.filter((p) => {
    const chosen = own(value, p.key);
    return typeof chosen === 'string' && chosen === own(body.pairs, p.key);
  }).length;
  if (body.partialCredit) return right / body.premises.length;
  return right === body.premises.length ? 1 : 0;
}

/** The share (0–1) of the points a response earns; 0 for a response of the wrong shape. */
function share(body: QuestionBody, r: QuestionResponse): number {
  switch (body.kind) {
    case 'single':
      return r === body.correct ? 1 : 0;
    case 'true_false':
      return r === body.correct ? 1 : 0;
    case 'multiple':
      return multipleShare(body, strings(r) ?? []);
    case 'short_answer':
      return typeof r === 'string' && shortAnswerRight(body, r) ? 1 : 0;
    case 'numeric': {
      const n = parseNumericResponse(r);
      return n !== null && numericRight(body, n) ? 1 : 0;
    }
    case 'ordering':
      return orderingShare(body, strings(r));
    case 'matching':
      return matchingShare(body, r);
    default:
      return 0;
  }
}

/**
 * Grades one response. Essays wait for a person (needsManual, correct null, 0 points). Anything
 * else earns its share × points, rounded to 2 decimals; an unanswered response or one of the
 * wrong shape earns 0 and never throws (validateResponse refuses such shapes when saved).
 */
export function gradeResponse(
  q: QuestionVersion,
  response: QuestionResponse | null | undefined,
): AutoGrade {
  const max = maxPoints(q);
  if (q.body.kind === 'essay') {
    return { points: 0, maxPoints: max, correct: null, needsManual: true };
  }
  const fraction = response === null || response === undefined ? 0 : share(q.body, response);
  const points = round2(Math.min(1, Math.max(0, fraction)) * max);
  return { points, maxPoints: max, correct: points === max, needsManual: false };
}
