import {
  BANK_QUESTION_KINDS,
  BankQuestionKind,
  ChoiceOption,
  PARTIAL_CREDIT_POLICIES,
  QuestionBody,
} from '../assessments/question-bank.types';
import { numberOrText, text } from './forms';

/**
 * The question editor's form (issue 16) and the bank's question body: the page has no script,
 * so a list is either a fixed number of rows (options) or a textarea of one entry per line
 * (accepted answers, patterns, items to order, pairs, rubric criteria). This module turns what
 * was typed into the API's body — and back, to fill the form with a saved version — and tells
 * which input a failure of the engine (`body.options[1].text`) belongs beside.
 */

export type Form = Record<string, unknown>;

/** Option rows shown without script; a question with more options gets one blank row more. */
export const OPTION_ROWS = 8;
const MAX_OPTION_ROWS = 20;
/** Row labels and the keys of new options: A, B, C … */
export const LETTERS = 'ABCDEFGHIJKLMNOPQRST';

export function isKind(value: unknown): value is BankQuestionKind {
  return typeof value === 'string' && (BANK_QUESTION_KINDS as readonly string[]).includes(value);
}

/** Where a failure is shown: the form's input, and the line of a textarea when it is one. */
export interface FormSpot {
  field: string;
  line?: number;
}

/** What the page sends to the service, and how to place the engine's failures on the form. */
export interface BuiltQuestion {
  prompt: string;
  points: unknown;
  body: Record<string, unknown>;
  spotOf(path: string): FormSpot;
  /** Inputs where nothing was chosen (the right option, true or false): told so plainly. */
  unchosen: string[];
}

/** The non-blank lines of a textarea, each with its line number (1-based, blanks counted). */
export function linesOf(value: unknown): { text: string; line: number }[] {
  if (typeof value !== 'string') return [];
  return value
    .split(/\r?\n/)
    .map((t, i) => ({ text: t.trim(), line: i + 1 }))
    .filter((l) => l.text !== '');
}

/** The values of a checkbox group or a single field as a list. */
function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

/**
 * Keys for a list of texts: the previous version's key of the same text (so saving an unchanged
 * list keeps its keys and makes no new version), else the next free generated key.
 */
export function keysFor(
  texts: string[],
  previous: ChoiceOption[] | undefined,
  generate: (i: number) => string,
): string[] {
  const keys: (string | undefined)[] = texts.map(() => undefined);
  const used = new Set<string>();
  texts.forEach((t, i) => {
    const match = previous?.find((p) => p.text === t && !used.has(p.key));
    if (match) {
      keys[i] = match.key;
      used.add(match.key);
    }
  });
  let n = 0;
  return keys.map((k) => {
    if (k !== undefined) return k;
    let key = generate(n++);
    while (used.has(key)) key = generate(n++);
    used.add(key);
    return key;
  });
}

const letter = (i: number) => LETTERS[i] ?? `O${i + 1}`;

/** "left | right": split at the first bar; a line without one has an empty right side. */
function splitBar(line: string): [string, string] {
  const at = line.indexOf('|');
  return at < 0 ? [line.trim(), ''] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
}

interface Part {
  name: string;
  index?: number;
  rest: string;
}

/** The index and rest of a body path: body.options[2].text → ['options', 2, '.text']. */
function partOf(path: string): Part | undefined {
  const m = /^body\.([A-Za-z]+)(?:\[(\d+)\])?(.*)$/.exec(path);
  if (!m) return undefined;
  return { name: m[1], index: m[2] === undefined ? undefined : Number(m[2]), rest: m[3] };
}

/** The spot of the fields every kind shares; undefined for a body path. */
function sharedSpot(path: string): FormSpot | undefined {
  const top = /^([A-Za-z]+)/.exec(path)?.[1] ?? path;
  if (['prompt', 'points', 'categoryId', 'tags', 'difficulty', 'expectedVersion'].includes(top)) {
    return { field: top };
  }
  if (path === 'body' || path === 'body.kind') return { field: 'kind' };
  return undefined;
}

/**
 * The question as the form gives it, for the kind of the page (a hidden field on a new
 * question, the saved kind on an existing one). `previous` is the current body when revising:
 * its keys are kept for texts that did not change.
 */
export function buildQuestion(
  kind: BankQuestionKind,
  form: Form,
  previous?: QuestionBody,
): BuiltQuestion {
  const prompt = typeof form.prompt === 'string' ? form.prompt.trim() : '';
  const spots: Record<string, (p: Part) => FormSpot> = {};
  let body: Record<string, unknown>;
  let points: unknown = numberOrText(form.points);
  const unchosen: string[] = [];

  if (kind === 'single' || kind === 'multiple') {
    const rows: number[] = [];
    const texts: string[] = [];
    for (let r = 0; r < MAX_OPTION_ROWS; r++) {
      const t = text(form[`option_${r}`]);
      if (t !== undefined) {
        rows.push(r);
        texts.push(t);
      }
    }
    const before =
      previous && (previous.kind === 'single' || previous.kind === 'multiple')
        ? previous.options
        : undefined;
    const keys = keysFor(texts, before, letter);
    const options = texts.map((t, i) => ({ key: keys[i], text: t }));
    // The right option(s) by row; a row left blank is no option, so its tick is ignored.
    const right = listOf(form.right)
      .map((r) => rows.indexOf(Number(r)))
      .filter((i) => i >= 0)
      .map((i) => keys[i]);
    body =
      kind === 'single'
        ? { kind, options, correct: right[0] ?? '' }
        : {
            kind,
            options,
            correct: right,
            partialCredit: text(form.policy) ?? '',
          };
    spots.options = (p) =>
      p.index !== undefined && rows[p.index] !== undefined
        ? { field: `option_${rows[p.index]}` }
        : { field: 'options' };
    if (right.length === 0) unchosen.push('right');
    spots.correct = () => ({ field: 'right' });
    spots.partialCredit = () => ({ field: 'policy' });
  } else if (kind === 'true_false') {
    const v = text(form.correct);
    body = { kind, correct: v === 'true' ? true : v === 'false' ? false : '' };
    if (v !== 'true' && v !== 'false') unchosen.push('correct');
    spots.correct = () => ({ field: 'correct' });
  } else if (kind === 'short_answer') {
    const accepted = linesOf(form.accepted);
    const patterns = linesOf(form.patterns);
    body = {
      kind,
      accepted: accepted.map((l) => l.text),
      caseSensitive: form.caseSensitive === 'true',
      ignoreDiacritics: form.ignoreDiacritics === 'true',
      patterns: patterns.map((l) => l.text),
    };
    spots.accepted = (p) => ({ field: 'accepted', line: accepted[p.index ?? -1]?.line });
    spots.patterns = (p) => ({ field: 'patterns', line: patterns[p.index ?? -1]?.line });
    spots.caseSensitive = () => ({ field: 'caseSensitive' });
    spots.ignoreDiacritics = () => ({ field: 'ignoreDiacritics' });
  } else if (kind === 'numeric') {
    const number = (v: unknown) => {
      const t = text(v);
      if (t === undefined) return undefined;
      // A decimal comma or point ("3,5"); anything else as typed, for the engine to refuse.
      return /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/.test(t) ? Number(t.replace(',', '.')) : t;
    };
    body = { kind, value: number(form.value) ?? '', tolerance: number(form.tolerance) ?? 0 };
    spots.value = () => ({ field: 'value' });
    spots.tolerance = () => ({ field: 'tolerance' });
  } else if (kind === 'ordering') {
    const lines = linesOf(form.items);
    const before = previous?.kind === 'ordering' ? previous.items : undefined;
    const keys = keysFor(
      lines.map((l) => l.text),
      before,
      (i) => letter(i),
    );
    body = {
      kind,
      items: lines.map((l, i) => ({ key: keys[i], text: l.text })),
      partialCredit: form.partialCredit === 'true',
    };
    spots.items = (p) => ({ field: 'items', line: lines[p.index ?? -1]?.line });
    spots.partialCredit = () => ({ field: 'partialCredit' });
  } else if (kind === 'matching') {
    const pairLines = linesOf(form.pairs).map((l) => ({ ...l, sides: splitBar(l.text) }));
    const distractorLines = linesOf(form.distractors);
    const before = previous?.kind === 'matching' ? previous : undefined;
    const premiseKeys = keysFor(
      pairLines.map((l) => l.sides[0]),
      before?.premises,
      (i) => `P${i + 1}`,
    );
    // One response per distinct right-hand text (two premises may share one), then distractors.
    const responseTexts: string[] = [];
    const responseSpot: FormSpot[] = [];
    for (const l of pairLines) {
      if (!responseTexts.includes(l.sides[1])) {
        responseTexts.push(l.sides[1]);
        responseSpot.push({ field: 'pairs', line: l.line });
      }
    }
    for (const l of distractorLines) {
      responseTexts.push(l.text);
      responseSpot.push({ field: 'distractors', line: l.line });
    }
    const responseKeys = keysFor(responseTexts, before?.responses, (i) => `R${i + 1}`);
    body = {
      kind,
      premises: pairLines.map((l, i) => ({ key: premiseKeys[i], text: l.sides[0] })),
      responses: responseTexts.map((t, i) => ({ key: responseKeys[i], text: t })),
      pairs: Object.fromEntries(
        pairLines.map((l, i) => [premiseKeys[i], responseKeys[responseTexts.indexOf(l.sides[1])]]),
      ),
      partialCredit: form.partialCredit === 'true',
    };
    spots.premises = (p) => ({ field: 'pairs', line: pairLines[p.index ?? -1]?.line });
    spots.responses = (p) =>
      p.index !== undefined && responseSpot[p.index] ? responseSpot[p.index] : { field: 'pairs' };
    spots.pairs = (p) => {
      const key = /^\.([^.[]+)/.exec(p.rest)?.[1];
      const i = key === undefined ? -1 : premiseKeys.indexOf(key);
      return { field: 'pairs', line: pairLines[i]?.line };
    };
    spots.partialCredit = () => ({ field: 'partialCredit' });
  } else {
    const lines = linesOf(form.rubric).map((l) => ({ ...l, sides: splitBar(l.text) }));
    const before = previous?.kind === 'essay' ? previous.rubric : undefined;
    const keys = keysFor(
      lines.map((l) => l.sides[0]),
      before?.map((c) => ({ key: c.key, text: c.title })),
      (i) => `C${i + 1}`,
    );
    const rubric = lines.map((l, i) => ({
      key: keys[i],
      title: l.sides[0],
      maxPoints: numberOrText(l.sides[1]) ?? '',
    }));
    const limit = text(form.wordLimit);
    body = { kind, wordLimit: limit === undefined ? null : numberOrText(limit), rubric };
    // An essay's points are the sum of its criteria: computed here, checked by the engine.
    const sum = rubric.reduce(
      (s, c) =>
        typeof c.maxPoints === 'number' && Number.isInteger(c.maxPoints) ? s + c.maxPoints : NaN,
      0,
    );
    points = Number.isInteger(sum) && sum >= 1 ? sum : 1;
    spots.wordLimit = () => ({ field: 'wordLimit' });
    spots.rubric = (p) => ({ field: 'rubric', line: lines[p.index ?? -1]?.line });
  }

  const spotOf = (path: string): FormSpot => {
    if (kind === 'essay' && path === 'points') return { field: 'rubric' };
    const shared = sharedSpot(path);
    if (shared) return shared;
    const part = partOf(path);
    const spot = part && spots[part.name]?.(part);
    return spot ?? { field: 'kind' };
  };
  return { prompt, points, body, spotOf, unchosen };
}

/** The form of a saved version (to edit it), as the inputs read it back. */
export function formOfQuestion(q: {
  kind: BankQuestionKind;
  prompt: string;
  points: number;
  body: Record<string, unknown>;
  categoryId: string | null;
  tags: string[];
  difficulty: number;
  version?: number;
}): Form {
  const body = q.body as unknown as QuestionBody;
  const form: Form = {
    kind: q.kind,
    prompt: q.prompt,
    points: String(q.points),
    categoryId: q.categoryId ?? '',
    tags: q.tags.join(', '),
    difficulty: String(q.difficulty),
    expectedVersion: q.version === undefined ? undefined : String(q.version),
  };
  switch (body.kind) {
    case 'single':
    case 'multiple': {
      body.options.forEach((o, i) => (form[`option_${i}`] = o.text));
      const right = body.kind === 'single' ? [body.correct] : body.correct;
      form.right = body.options
        .map((o, i) => (right.includes(o.key) ? String(i) : undefined))
        .filter((r) => r !== undefined);
      if (body.kind === 'multiple') form.policy = body.partialCredit;
      break;
    }
    case 'true_false':
      form.correct = String(body.correct);
      break;
    case 'short_answer':
      form.accepted = body.accepted.join('\n');
      form.patterns = body.patterns.join('\n');
      form.caseSensitive = String(body.caseSensitive);
      form.ignoreDiacritics = String(body.ignoreDiacritics);
      break;
    case 'numeric':
      form.value = String(body.value);
      form.tolerance = String(body.tolerance);
      break;
    case 'ordering':
      form.items = body.items.map((i) => i.text).join('\n');
      form.partialCredit = String(body.partialCredit);
      break;
    case 'matching': {
      const right = (key: string) => body.responses.find((r) => r.key === key)?.text ?? '';
      form.pairs = body.premises.map((p) => `${p.text} | ${right(body.pairs[p.key])}`).join('\n');
      const used = new Set(Object.values(body.pairs));
      form.distractors = body.responses
        .filter((r) => !used.has(r.key))
        .map((r) => r.text)
        .join('\n');
      form.partialCredit = String(body.partialCredit);
      break;
    }
    case 'essay':
      form.wordLimit = body.wordLimit === null ? '' : String(body.wordLimit);
      form.rubric = body.rubric.map((c) => `${c.title} | ${c.maxPoints}`).join('\n');
      break;
  }
  return form;
}

/** A new question's starting form: sensible defaults of its kind. */
export function blankForm(kind: BankQuestionKind): Form {
  const form: Form = { kind, points: '1', difficulty: '2', tags: '', categoryId: '' };
  if (kind === 'multiple') form.policy = 'all_or_nothing';
  if (kind === 'short_answer') form.ignoreDiacritics = 'false';
  if (kind === 'numeric') form.tolerance = '0';
  if (kind === 'ordering' || kind === 'matching') form.partialCredit = 'false';
  return form;
}

/** The option rows of the form: what was typed in each and whether it is marked right. */
export function optionRows(
  form: Form,
): { row: number; letter: string; text: string; right: boolean }[] {
  const right = new Set(listOf(form.right));
  let last = -1;
  for (let r = 0; r < MAX_OPTION_ROWS; r++) {
    if (typeof form[`option_${r}`] === 'string' && form[`option_${r}`] !== '') last = r;
  }
  const count = Math.min(MAX_OPTION_ROWS, Math.max(OPTION_ROWS, last + 2));
  return Array.from({ length: count }, (_, row) => ({
    row,
    letter: letter(row),
    text: typeof form[`option_${row}`] === 'string' ? (form[`option_${row}`] as string) : '',
    right: right.has(String(row)),
  }));
}

export const POLICIES = PARTIAL_CREDIT_POLICIES;

/** Tags as typed: separated by commas, blanks and repeats dropped. */
export function tagsOf(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return [
    ...new Set(
      value
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}
