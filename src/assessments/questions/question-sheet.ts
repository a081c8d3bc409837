import { detail, type LocalizedDetail } from '../../common/errors/domain-error';
import { foldForSearch } from '../../common/text/vietnamese';
import { cellPrimitive, cellText, foldHeader } from '../../common/spreadsheet/cells';
import { parseNumericResponse, QUESTION_LIMITS, validateQuestion } from './question-grading';
import {
  BANK_QUESTION_KINDS,
  type BankQuestionKind,
  type ChoiceOption,
  type PartialCreditPolicy,
  type QuestionVersion,
  type RubricCriterion,
} from './question-model';

/**
 * Questions of a bank from a spreadsheet (issue 16, item 5): the columns of the template, and
 * one row → one question version, checked by the grading engine's own rules (validateQuestion).
 * Pure: the service reads the file (src/common/spreadsheet/sheet-file.ts) and writes the rows.
 *
 * One row is one question. The kind-specific content sits in the columns "Phương án 1" …
 * "Phương án N" (the template has 8; a file may add columns up to "Phương án 20"), read by kind:
 * - một đáp án / nhiều đáp án: the options' texts (keys A, B, C … by column);
 * - trả lời ngắn: accepted answers (one per column);
 * - sắp xếp: the items in their right order (keys 1, 2, 3 …);
 * - ghép đôi: "vế trái => vế phải" per column (premises 1, 2 …; the right sides, each distinct
 *   text once, are A, B …); "(nhiễu) => vế phải" — or "=> vế phải", which Excel would take for a
 *   formula unless typed after an apostrophe — is a distractor of the right column;
 * - tự luận: the rubric, "Tên tiêu chí: điểm" per column (keys from the names, else c1, c2 …).
 * The filled option columns must follow one another from "Phương án 1", so that an answer "3"
 * means the column "Phương án 3". A value in a column that the row's kind does not use is
 * refused rather than ignored: it is most often a row typed one column off.
 */

export const QUESTION_SHEET = {
  /** The sheet the questions are read from (by name, folded); the first sheet otherwise. */
  sheet: 'Câu hỏi',
  guideSheet: 'Hướng dẫn',
  /** The most question rows one file holds: a bigger bank comes in several files. */
  maxRows: 2000,
  /** Option columns in the template. */
  templateOptions: 8,
  /** Option columns a file may have ("Phương án 20"): the most options a question may have. */
  maxOptions: QUESTION_LIMITS.options.max,
  tagsMax: 20,
  tagChars: 50,
  categoryChars: 200,
} as const;

export type SheetColumnKey =
  | 'kind'
  | 'prompt'
  | 'points'
  | 'category'
  | 'tags'
  | 'difficulty'
  | 'answer'
  | 'tolerance'
  | 'scoring'
  | 'ignoreDiacritics'
  | 'caseSensitive'
  | 'patterns'
  | 'wordLimit';

export interface SheetColumn {
  key: SheetColumnKey;
  header: string;
  /** Other headers the column is found by (folded like the header); the key is one too. */
  aliases: readonly string[];
  required: boolean;
  /** The kinds that use the column; a value under another kind is refused. */
  kinds: readonly BankQuestionKind[];
  /** How to fill it in, for the guide sheet. */
  hint: string;
}

const ALL = BANK_QUESTION_KINDS;
const WITH_OPTIONS: readonly BankQuestionKind[] = [
  'single',
  'multiple',
  'short_answer',
  'ordering',
  'matching',
  'essay',
];

/** The header of the n-th option column. */
export const optionHeader = (n: number) => `Phương án ${n}`;
const OPTIONS_LABEL = 'Phương án';

/** The columns of the template, in its order; the option columns sit after "Độ khó". */
export const QUESTION_SHEET_COLUMNS: readonly SheetColumn[] = [
  {
    key: 'kind',
    header: 'Loại',
    aliases: ['Loại câu hỏi'],
    required: true,
    kinds: ALL,
    hint: 'Một đáp án, Nhiều đáp án, Đúng/Sai, Trả lời ngắn, Số, Sắp xếp, Ghép đôi hoặc Tự luận (không phân biệt hoa thường, có dấu hay không dấu; cũng nhận mã tiếng Anh single, multiple, true_false, short_answer, numeric, ordering, matching, essay).',
  },
  {
    key: 'prompt',
    header: 'Câu hỏi',
    aliases: ['Nội dung câu hỏi', 'Đề bài'],
    required: true,
    kinds: ALL,
    hint: `Nội dung câu hỏi, tối đa ${QUESTION_LIMITS.promptChars} ký tự.`,
  },
  {
    key: 'points',
    header: 'Điểm',
    aliases: ['Số điểm'],
    required: false,
    kinds: ALL,
    hint: 'Số nguyên từ 1 đến 100; để trống là 1. Câu tự luận: để trống (lấy tổng điểm các tiêu chí) hoặc ghi đúng tổng đó.',
  },
  {
    key: 'category',
    header: 'Nhóm',
    aliases: ['Nhóm câu hỏi', 'Chủ đề'],
    required: false,
    kinds: ALL,
    hint: `Tên nhóm câu hỏi của ngân hàng (tối đa ${QUESTION_SHEET.categoryChars} ký tự). Nhóm chưa có sẽ được tạo khi ghi; tên trùng nhóm đã có (không phân biệt hoa thường) dùng nhóm đó. Để trống: không thuộc nhóm nào.`,
  },
  {
    key: 'tags',
    header: 'Thẻ',
    aliases: ['Từ khóa'],
    required: false,
    kinds: ALL,
    hint: `Các thẻ cách nhau bởi dấu chấm phẩy (;), tối đa ${QUESTION_SHEET.tagsMax} thẻ, mỗi thẻ tối đa ${QUESTION_SHEET.tagChars} ký tự.`,
  },
  {
    key: 'difficulty',
    header: 'Độ khó',
    aliases: ['Mức độ'],
    required: false,
    kinds: ALL,
    hint: '1 (Dễ), 2 (Trung bình) hoặc 3 (Khó); ghi số hoặc chữ. Để trống là 2.',
  },
  {
    key: 'answer',
    header: 'Đáp án',
    aliases: ['Đáp án đúng'],
    required: false,
    kinds: ['single', 'multiple', 'true_false', 'short_answer', 'numeric'],
    hint: 'Một đáp án: số thứ tự của phương án đúng (2) hoặc chữ (B). Nhiều đáp án: các số cách nhau bởi dấu chấm phẩy (1;3). Đúng/Sai: Đúng hoặc Sai. Số: giá trị đúng, dấu phẩy hoặc dấu chấm thập phân (3,5). Trả lời ngắn: có thể ghi thêm đáp án được chấp nhận, cách nhau bởi dấu chấm phẩy.',
  },
  {
    key: 'tolerance',
    header: 'Sai số',
    aliases: ['Sai số cho phép'],
    required: false,
    kinds: ['numeric'],
    hint: 'Chỉ dùng cho câu Số: sai số tuyệt đối được chấp nhận (0,5 nghĩa là đáp án ± 0,5). Để trống là 0.',
  },
  {
    key: 'scoring',
    header: 'Cách chấm',
    aliases: ['Cách tính điểm'],
    required: false,
    kinds: ['multiple', 'ordering', 'matching'],
    hint: 'Nhiều đáp án: Tất cả hoặc không, Theo tỉ lệ (mỗi đáp án đúng được một phần điểm, chọn sai là 0) hoặc Đúng trừ sai. Sắp xếp, Ghép đôi: Từng phần (mỗi mục đúng được một phần điểm) hoặc Tất cả hoặc không. Để trống là Tất cả hoặc không.',
  },
  {
    key: 'ignoreDiacritics',
    header: 'Không phân biệt dấu',
    aliases: ['Bỏ qua dấu'],
    required: false,
    kinds: ['short_answer'],
    hint: 'Chỉ dùng cho câu Trả lời ngắn: Có thì "cong doan" được chấp nhận cho "công đoàn". Để trống là Không.',
  },
  {
    key: 'caseSensitive',
    header: 'Phân biệt hoa thường',
    aliases: [],
    required: false,
    kinds: ['short_answer'],
    hint: 'Chỉ dùng cho câu Trả lời ngắn: Có thì "Công Đoàn" khác "công đoàn". Để trống là Không.',
  },
  {
    key: 'patterns',
    header: 'Biểu thức chính quy',
    aliases: ['Mẫu đáp án'],
    required: false,
    kinds: ['short_answer'],
    hint: 'Chỉ dùng cho câu Trả lời ngắn, không bắt buộc: biểu thức chính quy (cú pháp JavaScript) mà cả câu trả lời phải khớp, mỗi biểu thức một dòng trong ô (Alt+Enter). Biểu thức có thể chạy rất lâu, như (a+)+, bị từ chối.',
  },
  {
    key: 'wordLimit',
    header: 'Giới hạn số từ',
    aliases: ['Số từ tối đa'],
    required: false,
    kinds: ['essay'],
    hint: 'Chỉ dùng cho câu Tự luận: số từ tối đa của bài làm (1–10000). Để trống: không giới hạn.',
  },
];

const COLUMN = Object.fromEntries(QUESTION_SHEET_COLUMNS.map((c) => [c.key, c])) as Record<
  SheetColumnKey,
  SheetColumn
>;

/** The headers of the template, options included, in its order. */
export function templateHeaders(): string[] {
  const fixed = QUESTION_SHEET_COLUMNS.map((c) => c.header);
  const options = Array.from({ length: QUESTION_SHEET.templateOptions }, (_, i) =>
    optionHeader(i + 1),
  );
  const at = fixed.indexOf(COLUMN.difficulty.header) + 1;
  return [...fixed.slice(0, at), ...options, ...fixed.slice(at)];
}

// --- Words of the cells -----------------------------------------------------------------------

/** The words a kind is written as (the first is the template's); its code is read too. */
export const KIND_WORDS: Record<BankQuestionKind, readonly string[]> = {
  single: ['Một đáp án', 'Một lựa chọn', 'Chọn một'],
  multiple: ['Nhiều đáp án', 'Nhiều lựa chọn', 'Chọn nhiều'],
  true_false: ['Đúng/Sai', 'Đúng hoặc sai'],
  short_answer: ['Trả lời ngắn', 'Điền từ'],
  numeric: ['Số', 'Điền số', 'Trả lời bằng số'],
  ordering: ['Sắp xếp', 'Sắp xếp thứ tự'],
  matching: ['Ghép đôi', 'Ghép nối', 'Nối cặp'],
  essay: ['Tự luận'],
};

/** "Đúng / sai", "dung sai", "TRUE_FALSE" → the same: letters and digits, spaces between. */
const fold = foldHeader;

function lookup<T>(entries: [T, readonly string[]][]): Map<string, T> {
  const map = new Map<string, T>();
  for (const [value, words] of entries) for (const w of words) map.set(fold(w), value);
  return map;
}

const KINDS = lookup(
  BANK_QUESTION_KINDS.map((k) => [k, [...KIND_WORDS[k], k]] as [BankQuestionKind, string[]]),
);

/** The kind a cell names, or null. */
export function parseKind(text: string): BankQuestionKind | null {
  return KINDS.get(fold(text)) ?? null;
}

export const POLICY_WORDS: Record<PartialCreditPolicy, readonly string[]> = {
  all_or_nothing: ['Tất cả hoặc không', 'Đúng hết mới có điểm'],
  proportional: ['Theo tỉ lệ', 'Theo tỷ lệ'],
  right_minus_wrong: ['Đúng trừ sai'],
};
const POLICIES = lookup(
  (Object.keys(POLICY_WORDS) as PartialCreditPolicy[]).map(
    (p) => [p, [...POLICY_WORDS[p], p]] as [PartialCreditPolicy, string[]],
  ),
);
const PARTIAL = lookup<boolean>([
  [true, ['Từng phần', 'Tính từng phần', 'partial']],
  [false, ['Tất cả hoặc không', 'Đúng hết mới có điểm', 'all_or_nothing']],
]);
const TRUTH = lookup<boolean>([
  [true, ['Đúng', 'Đ', 'true', 'T']],
  [false, ['Sai', 'S', 'false', 'F']],
]);
const YES_NO = lookup<boolean>([
  [true, ['Có', 'x', 'yes', 'true', '1']],
  [false, ['Không', 'no', 'false', '0']],
]);
const DIFFICULTY = lookup<number>([
  [1, ['1', 'Dễ']],
  [2, ['2', 'Trung bình', 'Vừa']],
  [3, ['3', 'Khó']],
]);

// --- Headers ----------------------------------------------------------------------------------

export interface QuestionSheetHeaders {
  /** The cell index of each column found. */
  at: Partial<Record<SheetColumnKey, number>>;
  /** The option columns found, by their number (1-based) in order. */
  options: { n: number; at: number }[];
  /** The header texts of the file as written (empty for an empty header cell). */
  texts: string[];
}

const OPTION_HEADER = /^(?:phuong an|option|pa) (\d{1,2})$/;

/**
 * Finds the columns among the header row by header, alias or English key, ignoring case,
 * diacritics and punctuation; the first of two equal headers wins, unknown headers are ignored.
 * Answers the headers of the required columns that are missing, if any.
 */
export function mapQuestionHeaders(
  cells: readonly unknown[],
): { headers: QuestionSheetHeaders } | { missing: string[] } {
  const texts = cells.map((c) => cellText(c) ?? '');
  const folded = texts.map(fold);
  const at: QuestionSheetHeaders['at'] = {};
  for (const column of QUESTION_SHEET_COLUMNS) {
    const names = new Set([column.header, ...column.aliases, column.key].map(fold));
    const i = folded.findIndex((h) => names.has(h));
    if (i >= 0) at[column.key] = i;
  }
  const options = new Map<number, number>();
  folded.forEach((h, i) => {
    const m = OPTION_HEADER.exec(h);
    const n = m ? Number(m[1]) : 0;
    if (n >= 1 && n <= QUESTION_SHEET.maxOptions && !options.has(n)) options.set(n, i);
  });
  const missing = QUESTION_SHEET_COLUMNS.filter((c) => c.required && at[c.key] === undefined).map(
    (c) => c.header,
  );
  if (missing.length) return { missing };
  return {
    headers: {
      at,
      options: [...options].sort((a, b) => a[0] - b[0]).map(([n, i]) => ({ n, at: i })),
      texts,
    },
  };
}

// --- A row ------------------------------------------------------------------------------------

/** A row read: the question version, where it goes in the bank, and the row it came from. */
export interface SheetQuestion {
  rowNo: number;
  question: QuestionVersion;
  /** The category's name as written (NFC), or null. */
  category: string | null;
  tags: string[];
  difficulty: number;
}

/** Whether a row has no value at all (it is skipped, as an empty line is). */
export function isEmptyRow(cells: readonly unknown[]): boolean {
  return cells.every((c) => cellText(c) === null);
}

type Out = LocalizedDetail[];

/** The lists of a body, for naming the column a failure of the engine's check comes from. */
type ListName = 'options' | 'items' | 'premises' | 'responses' | 'accepted' | 'rubric';

class RowReader {
  readonly out: Out = [];
  /** The column each entry of each list of the body was read from. */
  readonly sources: Record<ListName, string[]> = {
    options: [],
    items: [],
    premises: [],
    responses: [],
    accepted: [],
    rubric: [],
  };
  readonly premiseColumn = new Map<string, string>();

  constructor(
    private readonly h: QuestionSheetHeaders,
    readonly cells: readonly unknown[],
    readonly rowNo: number,
  ) {}

  /** The column's header as the file writes it (the template's when it is missing). */
  header(key: SheetColumnKey): string {
    const i = this.h.at[key];
    return (i !== undefined && this.h.texts[i]) || COLUMN[key].header;
  }

  optionHeaderAt(i: number): string {
    return this.h.texts[i] || OPTIONS_LABEL;
  }

  raw(key: SheetColumnKey): unknown {
    const i = this.h.at[key];
    return i === undefined ? null : this.cells[i];
  }

  text(key: SheetColumnKey): string | null {
    return cellText(this.raw(key));
  }

  fail(column: string | null, vi: string, en: string): undefined {
    this.out.push(detail(column ? `Dòng ${this.rowNo}: ${column}` : `Dòng ${this.rowNo}`, vi, en));
    return undefined;
  }

  /** The filled option cells, in order; a gap before a filled one is refused. */
  options(): { text: string; column: string }[] {
    const found: { n: number; text: string; column: string }[] = [];
    for (const o of this.h.options) {
      const text = cellText(this.cells[o.at]);
      if (text !== null) found.push({ n: o.n, text, column: this.optionHeaderAt(o.at) });
    }
    const gap = found.findIndex((f, i) => f.n !== i + 1);
    if (gap >= 0) {
      const missing = optionHeader(gap + 1);
      this.fail(
        found[gap].column,
        `Cột "${missing}" đang trống: hãy điền các phương án liên tiếp từ "${optionHeader(1)}".`,
        `Column "${missing}" is empty: fill the options in from "${optionHeader(1)}" on.`,
      );
    }
    return found;
  }
}

const letter = (i: number) => String.fromCharCode(65 + i);

/** A whole number from a number cell or its text ("2", " 10 "); NaN when it is not one. */
function wholeOf(cell: unknown): number | null {
  const v = cellPrimitive(cell);
  if (v === null) return null;
  if (typeof v === 'number') return v;
  const text = cellText(v);
  if (text === null) return null;
  return /^[+-]?\d{1,9}$/.test(text) ? Number(text) : NaN;
}

function readWhole(r: RowReader, key: SheetColumnKey, what: string): number | null | undefined {
  const n = wholeOf(r.raw(key));
  if (n === null) return null;
  if (Number.isNaN(n)) {
    return r.fail(
      r.header(key),
      `"${r.text(key)}" không phải số nguyên: hãy ghi ${what}.`,
      `"${r.text(key)}" is not a whole number.`,
    );
  }
  return n;
}

function readNumber(r: RowReader, key: SheetColumnKey): number | null | undefined {
  const v = cellPrimitive(r.raw(key));
  if (v === null || (typeof v === 'string' && v.trim() === '')) return null;
  const n = typeof v === 'number' || typeof v === 'string' ? parseNumericResponse(v) : null;
  if (n === null) {
    return r.fail(
      r.header(key),
      `"${r.text(key)}" không phải số: hãy ghi ví dụ 3,5 hoặc 3.5 (không dùng dấu phân cách hàng nghìn).`,
      `"${r.text(key)}" is not a number: write e.g. 3.5 or 3,5 (no thousands separators).`,
    );
  }
  return n;
}

function readWord<T>(
  r: RowReader,
  key: SheetColumnKey,
  words: Map<string, T>,
  allowed: string,
): T | null | undefined {
  // A TRUE/FALSE cell of Excel reads as "true"/"false": the yes/no and true/false words.
  const v = cellPrimitive(r.raw(key));
  const text = typeof v === 'boolean' ? String(v) : r.text(key);
  if (text === null) return null;
  const found = words.get(fold(text));
  if (found !== undefined) return found;
  return r.fail(
    r.header(key),
    `"${text}" không hợp lệ: hãy ghi ${allowed}.`,
    `"${text}" is not accepted here: write ${allowed}.`,
  );
}

/** The option numbers of an answer ("2", "B", "1;3", "A, C"): each 1-based, or undefined. */
function answerNumbers(r: RowReader, count: number, many: boolean): number[] | undefined {
  const column = r.header('answer');
  const v = cellPrimitive(r.raw('answer'));
  if (typeof v === 'number' && !Number.isInteger(v)) {
    return r.fail(
      column,
      `"${v}" là một số thập phân: hãy ghi các số thứ tự cách nhau bởi dấu chấm phẩy, ví dụ 1;3.`,
      `"${v}" is a decimal number: write the option numbers separated by semicolons, e.g. 1;3.`,
    );
  }
  const text = r.text('answer');
  if (text === null) {
    return r.fail(
      column,
      many
        ? 'Chưa ghi đáp án: hãy ghi số thứ tự các phương án đúng, ví dụ 1;3.'
        : 'Chưa ghi đáp án: hãy ghi số thứ tự của phương án đúng, ví dụ 2.',
      many
        ? 'No answer: write the numbers of the right options, e.g. 1;3.'
        : 'No answer: write the number of the right option, e.g. 2.',
    );
  }
  if (!many && /[;,]/.test(text)) {
    return r.fail(
      column,
      `"${text}": câu một đáp án chỉ có một phương án đúng.`,
      `"${text}": a single-choice question has one right option.`,
    );
  }
  const parts = many ? text.split(/[;,\s]+/).filter(Boolean) : [text];
  const numbers: number[] = [];
  for (const part of parts) {
    const n = /^\d{1,2}$/.test(part)
      ? Number(part)
      : /^[A-Za-z]$/.test(part)
        ? part.toUpperCase().charCodeAt(0) - 64
        : NaN;
    if (Number.isNaN(n)) {
      return r.fail(
        column,
        `"${part}" không phải số thứ tự của phương án (1, 2, 3 … hoặc A, B, C …).`,
        `"${part}" is not an option's number (1, 2, 3 … or A, B, C …).`,
      );
    }
    if (n < 1 || n > count) {
      return r.fail(
        column,
        `Không có phương án ${part}: dòng này có ${count} phương án.`,
        `There is no option ${part}: this row has ${count} options.`,
      );
    }
    if (numbers.includes(n)) {
      return r.fail(
        column,
        `Phương án ${part} được nêu hai lần.`,
        `Option ${part} is listed twice.`,
      );
    }
    numbers.push(n);
  }
  return numbers;
}

function choices(r: RowReader): ChoiceOption[] {
  return r.options().map((o, i) => {
    r.sources.options.push(o.column);
    return { key: letter(i), text: o.text };
  });
}

function partial(r: RowReader): boolean | undefined {
  const v = readWord(r, 'scoring', PARTIAL, '"Từng phần" hoặc "Tất cả hoặc không"');
  return v === null ? false : v;
}

const SEPARATOR = /\s*(?:=>|→)\s*/;
/** The left side of a distractor, "(nhiễu) => 2012": a cell may not begin with "=" in Excel. */
const DISTRACTOR = new Set(['nhieu', 'gay nhieu']);

/** The criterion's key from its title ("Nội dung" → "noi-dung"), else c1, c2 … */
function criterionKey(title: string, i: number, taken: Set<string>): string {
  let key = foldForSearch(title)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, QUESTION_LIMITS.keyChars)
    .replace(/-+$/, '');
  if (!key || taken.has(key) || ['constructor', 'prototype'].includes(key)) key = `c${i + 1}`;
  for (let n = 2; taken.has(key); n++) key = `c${i + 1}-${n}`;
  taken.add(key);
  return key;
}

type BodyBuilder = (r: RowReader) => Record<string, unknown> | undefined;

const BUILD: Record<BankQuestionKind, BodyBuilder> = {
  single(r) {
    const options = choices(r);
    const [n] = answerNumbers(r, options.length, false) ?? [];
    if (n === undefined) return undefined;
    return { kind: 'single', options, correct: letter(n - 1) };
  },
  multiple(r) {
    const options = choices(r);
    const numbers = answerNumbers(r, options.length, true);
    const policy = readWord(
      r,
      'scoring',
      POLICIES,
      '"Tất cả hoặc không", "Theo tỉ lệ" hoặc "Đúng trừ sai"',
    );
    if (!numbers || policy === undefined) return undefined;
    return {
      kind: 'multiple',
      options,
      correct: numbers.map((n) => letter(n - 1)),
      partialCredit: policy ?? 'all_or_nothing',
    };
  },
  true_false(r) {
    const correct = readWord(r, 'answer', TRUTH, '"Đúng" hoặc "Sai"');
    if (correct === null) {
      return r.fail(
        r.header('answer'),
        'Chưa ghi đáp án: hãy ghi Đúng hoặc Sai.',
        'No answer: write Đúng (true) or Sai (false).',
      );
    }
    return correct === undefined ? undefined : { kind: 'true_false', correct };
  },
  short_answer(r) {
    const accepted = r.options().map((o) => {
      r.sources.accepted.push(o.column);
      return o.text;
    });
    for (const a of (r.text('answer') ?? '').split(';')) {
      const text = a.trim();
      if (text && !accepted.includes(text)) {
        accepted.push(text);
        r.sources.accepted.push(r.header('answer'));
      }
    }
    const raw = cellPrimitive(r.raw('patterns'));
    const patterns =
      raw === null
        ? []
        : String(raw)
            .normalize('NFC')
            .split(/\r\n|\r|\n/)
            .map((p) => p.trim())
            .filter(Boolean);
    const yesNo = '"Có" hoặc "Không"';
    const ignoreDiacritics = readWord(r, 'ignoreDiacritics', YES_NO, yesNo);
    const caseSensitive = readWord(r, 'caseSensitive', YES_NO, yesNo);
    if (ignoreDiacritics === undefined || caseSensitive === undefined) return undefined;
    return {
      kind: 'short_answer',
      accepted,
      caseSensitive: caseSensitive ?? false,
      ignoreDiacritics: ignoreDiacritics ?? false,
      patterns,
    };
  },
  numeric(r) {
    const value = readNumber(r, 'answer');
    const tolerance = readNumber(r, 'tolerance');
    if (value === null) {
      return r.fail(
        r.header('answer'),
        'Chưa ghi đáp án: hãy ghi giá trị đúng, ví dụ 3,5.',
        'No answer: write the right value, e.g. 3.5.',
      );
    }
    if (value === undefined || tolerance === undefined) return undefined;
    return { kind: 'numeric', value, tolerance: tolerance ?? 0 };
  },
  ordering(r) {
    const items = r.options().map((o, i) => {
      r.sources.items.push(o.column);
      return { key: String(i + 1), text: o.text };
    });
    const partialCredit = partial(r);
    if (partialCredit === undefined) return undefined;
    return { kind: 'ordering', items, partialCredit };
  },
  matching(r) {
    const premises: ChoiceOption[] = [];
    const responses: ChoiceOption[] = [];
    const pairs: Record<string, string> = {};
    let broken = false;
    for (const o of r.options()) {
      const parts = o.text.split(SEPARATOR);
      const [left, right] = [parts[0]?.trim() ?? '', parts.slice(1).join(' => ').trim()];
      if (parts.length < 2 || right === '') {
        broken = true;
        r.fail(
          o.column,
          `"${o.text}": hãy ghi "vế trái => vế phải" (hoặc "(nhiễu) => vế phải" cho một mục gây nhiễu ở cột phải).`,
          `"${o.text}": write "left => right" (or "(nhiễu) => right" for a distractor of the right column).`,
        );
        continue;
      }
      let response = responses.find((x) => x.text === right);
      if (!response) {
        response = { key: letter(responses.length), text: right };
        responses.push(response);
        r.sources.responses.push(o.column);
      }
      if (left === '' || DISTRACTOR.has(fold(left))) continue;
      const key = String(premises.length + 1);
      premises.push({ key, text: left });
      r.sources.premises.push(o.column);
      r.premiseColumn.set(key, o.column);
      pairs[key] = response.key;
    }
    const partialCredit = partial(r);
    if (broken || partialCredit === undefined) return undefined;
    return { kind: 'matching', premises, responses, pairs, partialCredit };
  },
  essay(r) {
    const taken = new Set<string>();
    const rubric: RubricCriterion[] = [];
    let broken = false;
    r.options().forEach((o, i) => {
      const m = /^(.*\S)\s*:\s*(\d{1,4})$/.exec(o.text);
      if (!m) {
        broken = true;
        r.fail(
          o.column,
          `"${o.text}": hãy ghi "Tên tiêu chí: điểm", ví dụ "Nội dung: 6".`,
          `"${o.text}": write "criterion: points", e.g. "Nội dung: 6".`,
        );
        return;
      }
      r.sources.rubric.push(o.column);
      rubric.push({ key: criterionKey(m[1], i, taken), title: m[1], maxPoints: Number(m[2]) });
    });
    const wordLimit = readWhole(r, 'wordLimit', 'số từ tối đa, ví dụ 500');
    if (broken || wordLimit === undefined) return undefined;
    return { kind: 'essay', wordLimit, rubric };
  },
};

/** The column a failure of validateQuestion (a path in the version) comes from. */
function columnOfPath(r: RowReader, path: string): string | null {
  if (path === 'prompt') return r.header('prompt');
  if (path === 'points') return r.header('points');
  let m = /^body\.(options|items|premises|responses|accepted|rubric)(?:\[(\d+)\])?/.exec(path);
  if (m) return m[2] === undefined ? OPTIONS_LABEL : (r.sources[m[1] as ListName][+m[2]] ?? null);
  m = /^body\.pairs\.(.+)$/.exec(path);
  if (m) return r.premiseColumn.get(m[1]) ?? OPTIONS_LABEL;
  m = /^body\.(\w+)/.exec(path);
  const byField: Record<string, SheetColumnKey> = {
    kind: 'kind',
    correct: 'answer',
    value: 'answer',
    tolerance: 'tolerance',
    partialCredit: 'scoring',
    caseSensitive: 'caseSensitive',
    ignoreDiacritics: 'ignoreDiacritics',
    patterns: 'patterns',
    wordLimit: 'wordLimit',
  };
  const key = m ? byField[m[1]] : undefined;
  return key ? r.header(key) : null;
}

function readTags(r: RowReader): string[] | undefined {
  const text = r.text('tags');
  if (text === null) return [];
  const tags = [...new Set(text.split(';').map((t) => t.trim()))].filter(Boolean);
  const column = r.header('tags');
  const { tagsMax, tagChars } = QUESTION_SHEET;
  if (tags.length > tagsMax) {
    return r.fail(column, `Tối đa ${tagsMax} thẻ.`, `At most ${tagsMax} tags.`);
  }
  const long = tags.find((t) => t.length > tagChars);
  if (long) {
    return r.fail(
      column,
      `Thẻ "${long.slice(0, 60)}…" dài quá ${tagChars} ký tự.`,
      `Tag "${long.slice(0, 60)}…" is longer than ${tagChars} characters.`,
    );
  }
  return tags;
}

/** The columns the kind does not use must be empty. */
function checkUnused(r: RowReader, h: QuestionSheetHeaders, kind: BankQuestionKind, word: string) {
  const unused = (column: string) =>
    r.fail(
      column,
      `Câu hỏi loại "${word}" không dùng cột này: hãy để trống.`,
      `A question of kind "${kind}" does not use this column: leave it empty.`,
    );
  for (const c of QUESTION_SHEET_COLUMNS) {
    if (!c.kinds.includes(kind) && r.text(c.key) !== null) unused(r.header(c.key));
  }
  if (!WITH_OPTIONS.includes(kind)) {
    const filled = h.options.find((o) => cellText(r.cells[o.at]) !== null);
    if (filled) unused(r.optionHeaderAt(filled.at));
  }
}

/**
 * One data row → a question, or the failures of the row, each at "Dòng N: <column>" in both
 * languages. The version is the engine's own check's result (texts NFC and trimmed).
 */
export function readQuestionRow(
  h: QuestionSheetHeaders,
  cells: readonly unknown[],
  rowNo: number,
): { question: SheetQuestion } | { details: LocalizedDetail[] } {
  const r = new RowReader(h, cells, rowNo);
  const kindText = r.text('kind');
  const kind = kindText === null ? null : parseKind(kindText);
  if (kind === null) {
    const words = BANK_QUESTION_KINDS.map((k) => KIND_WORDS[k][0]).join(', ');
    r.fail(
      r.header('kind'),
      kindText === null
        ? `Chưa ghi loại câu hỏi: hãy ghi một trong ${words}.`
        : `"${kindText}" không phải loại câu hỏi: hãy ghi một trong ${words}.`,
      kindText === null
        ? `No question kind: write one of ${words} (or ${BANK_QUESTION_KINDS.join(', ')}).`
        : `"${kindText}" is not a question kind: write one of ${words} (or ${BANK_QUESTION_KINDS.join(', ')}).`,
    );
  }
  const category = r.text('category');
  if (category !== null && category.length > QUESTION_SHEET.categoryChars) {
    r.fail(
      r.header('category'),
      `Tên nhóm dài quá ${QUESTION_SHEET.categoryChars} ký tự.`,
      `The category's name is longer than ${QUESTION_SHEET.categoryChars} characters.`,
    );
  }
  const tags = readTags(r);
  const difficulty = readWord(r, 'difficulty', DIFFICULTY, '1, 2, 3 hoặc Dễ, Trung bình, Khó');
  const points = readWhole(r, 'points', 'một số nguyên từ 1 đến 100');
  const prompt = r.text('prompt');
  if (prompt === null) {
    r.fail(r.header('prompt'), 'Chưa ghi nội dung câu hỏi.', 'The question text is missing.');
  }
  if (kind === null) return { details: r.out };
  checkUnused(r, h, kind, KIND_WORDS[kind][0]);
  const body = BUILD[kind](r);
  // The engine's check runs on a row that is whole so far: its paths would name half a body.
  if (r.out.length > 0 || !body || prompt === null || points === undefined) {
    return { details: r.out };
  }
  const input: Record<string, unknown> = { prompt, body };
  if (points !== null) input.points = points;
  else if (kind !== 'essay') input.points = 1;
  const checked = validateQuestion(input, 'body');
  if ('details' in checked) {
    for (const d of checked.details) r.fail(columnOfPath(r, d.field), d.vi, d.en);
    return { details: r.out };
  }
  return {
    question: {
      rowNo,
      question: checked.question,
      category,
      tags: tags ?? [],
      difficulty: difficulty ?? 2,
    },
  };
}

// --- The template -----------------------------------------------------------------------------

type ExampleCell = string | number | null;

/** One example row per kind, by column key ("option1" … for the option columns). */
export const EXAMPLES: Record<BankQuestionKind, Record<string, ExampleCell>> = {
  single: {
    kind: KIND_WORDS.single[0],
    prompt: 'Công đoàn cơ sở được thành lập khi có ít nhất bao nhiêu đoàn viên?',
    points: 1,
    category: 'Luật Công đoàn',
    tags: 'Tổ chức công đoàn; Luật Công đoàn 2024',
    difficulty: 1,
    option1: '3 đoàn viên',
    option2: '5 đoàn viên',
    option3: '10 đoàn viên',
    answer: 2,
  },
  multiple: {
    kind: KIND_WORDS.multiple[0],
    prompt: 'Những việc nào thuộc nhiệm vụ của chủ tịch công đoàn cơ sở?',
    points: 3,
    category: 'Kỹ năng chủ tịch công đoàn',
    tags: 'Chủ tịch CĐCS',
    difficulty: 2,
    option1: 'Đại diện người lao động đối thoại với người sử dụng lao động',
    option2: 'Ký hợp đồng lao động thay doanh nghiệp',
    option3: 'Tổ chức đại hội công đoàn cơ sở',
    option4: 'Quyết định mức lương của người lao động',
    answer: '1;3',
    scoring: POLICY_WORDS.right_minus_wrong[0],
  },
  true_false: {
    kind: KIND_WORDS.true_false[0],
    prompt: 'Đoàn viên công đoàn đóng đoàn phí hằng tháng.',
    points: 1,
    category: 'Luật Công đoàn',
    tags: 'Đoàn phí',
    difficulty: 1,
    answer: 'Đúng',
  },
  short_answer: {
    kind: KIND_WORDS.short_answer[0],
    prompt: 'Cơ quan lãnh đạo cao nhất của công đoàn cơ sở là gì?',
    points: 2,
    category: 'Điều lệ Công đoàn Việt Nam',
    tags: 'Điều lệ',
    difficulty: 2,
    option1: 'Đại hội công đoàn cơ sở',
    option2: 'Đại hội đoàn viên công đoàn cơ sở',
    ignoreDiacritics: 'Có',
    caseSensitive: 'Không',
  },
  numeric: {
    kind: KIND_WORDS.numeric[0],
    prompt: 'Đoàn viên đóng đoàn phí bằng bao nhiêu phần trăm tiền lương?',
    points: 1,
    category: 'Tài chính công đoàn',
    tags: 'Đoàn phí',
    difficulty: 2,
    answer: '1',
    tolerance: '0',
  },
  ordering: {
    kind: KIND_WORDS.ordering[0],
    prompt: 'Sắp xếp các bước tổ chức đối thoại định kỳ tại nơi làm việc theo đúng trình tự.',
    points: 2,
    category: 'Kỹ năng chủ tịch công đoàn',
    tags: 'Đối thoại',
    difficulty: 3,
    option1: 'Thu thập ý kiến của người lao động',
    option2: 'Gửi nội dung đối thoại cho người sử dụng lao động',
    option3: 'Tổ chức hội nghị đối thoại',
    option4: 'Thông báo kết quả đối thoại đến người lao động',
    scoring: 'Từng phần',
  },
  matching: {
    kind: KIND_WORDS.matching[0],
    prompt: 'Ghép mỗi văn bản với năm được Quốc hội thông qua.',
    points: 2,
    category: 'Luật Công đoàn',
    tags: 'Văn bản pháp luật',
    difficulty: 2,
    option1: 'Luật Công đoàn => 2024',
    option2: 'Bộ luật Lao động => 2019',
    option3: '(nhiễu) => 2012',
    scoring: 'Từng phần',
  },
  essay: {
    kind: KIND_WORDS.essay[0],
    prompt: 'Trình bày vai trò của công đoàn cơ sở trong thương lượng tập thể tại doanh nghiệp.',
    points: null,
    category: 'Kỹ năng chủ tịch công đoàn',
    tags: 'Thương lượng tập thể',
    difficulty: 3,
    option1: 'Nêu đúng vai trò đại diện: 4',
    option2: 'Liên hệ thực tiễn tại đơn vị: 3',
    option3: 'Trình bày mạch lạc: 3',
    wordLimit: 500,
  },
};

/** The template's rows below the header: one example per kind, in the headers' order. */
export function exampleRows(): ExampleCell[][] {
  const keys = [
    ...QUESTION_SHEET_COLUMNS.map((c) => c.key as string).slice(
      0,
      QUESTION_SHEET_COLUMNS.findIndex((c) => c.key === 'difficulty') + 1,
    ),
    ...Array.from({ length: QUESTION_SHEET.templateOptions }, (_, i) => `option${i + 1}`),
    ...QUESTION_SHEET_COLUMNS.map((c) => c.key as string).slice(
      QUESTION_SHEET_COLUMNS.findIndex((c) => c.key === 'difficulty') + 1,
    ),
  ];
  return BANK_QUESTION_KINDS.map((k) => keys.map((key) => EXAMPLES[k][key] ?? null));
}

/** What each kind's row holds, for the guide sheet. */
export const KIND_GUIDE: Record<BankQuestionKind, string> = {
  single:
    'Các phương án ở cột Phương án 1, 2, 3 … (2 đến 20 phương án); Đáp án là số thứ tự (hoặc chữ A, B, C …) của phương án đúng duy nhất.',
  multiple:
    'Các phương án ở cột Phương án 1, 2, 3 …; Đáp án là các số thứ tự đúng cách nhau bởi dấu chấm phẩy (1;3); Cách chấm: Tất cả hoặc không, Theo tỉ lệ hoặc Đúng trừ sai.',
  true_false: 'Không dùng cột Phương án; Đáp án là Đúng hoặc Sai.',
  short_answer:
    'Mỗi cột Phương án là một đáp án được chấp nhận (có thể ghi thêm ở cột Đáp án, cách nhau bởi dấu chấm phẩy); tùy chọn Không phân biệt dấu, Phân biệt hoa thường, Biểu thức chính quy.',
  numeric:
    'Không dùng cột Phương án; Đáp án là giá trị đúng (3,5 hoặc 3.5); Sai số là sai số tuyệt đối được chấp nhận (để trống là 0).',
  ordering:
    'Các mục ở cột Phương án 1, 2, 3 … theo ĐÚNG thứ tự (khi làm bài, các mục được xáo trộn); Cách chấm: Từng phần hoặc Tất cả hoặc không.',
  matching:
    'Mỗi cột Phương án là một cặp "vế trái => vế phải"; "(nhiễu) => vế phải" là một mục gây nhiễu ở cột phải; hai vế trái có thể cùng một vế phải. Cách chấm: Từng phần hoặc Tất cả hoặc không.',
  essay:
    'Mỗi cột Phương án là một tiêu chí chấm "Tên tiêu chí: điểm tối đa" (1 đến 10 tiêu chí); Điểm để trống hoặc bằng tổng điểm các tiêu chí; tùy chọn Giới hạn số từ. Bài tự luận do người chấm.',
};

/** General notes of the guide sheet. */
export const SHEET_NOTES: readonly string[] = [
  `Mỗi dòng của trang "${QUESTION_SHEET.sheet}" là một câu hỏi; dòng đầu là tiêu đề cột, các dòng ví dụ có thể xóa hoặc sửa. Dòng trống được bỏ qua.`,
  `Mỗi tệp tối đa ${QUESTION_SHEET.maxRows} câu hỏi. Có thể thêm cột Phương án 9 … Phương án 20 khi cần.`,
  'Gửi thử (dry-run) để kiểm tra: hệ thống báo lỗi từng dòng ("Dòng 5: Đáp án") và không ghi gì. Chỉ khi mọi dòng hợp lệ, gửi lại với chế độ ghi (commit): ghi tất cả hoặc không ghi dòng nào.',
  'Tệp CSV phải dùng bảng mã UTF-8 (trong Excel: "CSV UTF-8"); dấu phân cách là dấu phẩy hoặc dấu chấm phẩy.',
  'Ô có công thức được đọc theo giá trị Excel đã tính và lưu trong tệp.',
];
