import { AttemptChoiceDto, AttemptItemDto } from '../assessments/dto/drawn-attempt.dto';

/**
 * The form of a drawn attempt (issue 16) without JavaScript: one field (or one per item, premise)
 * per question, read back into the response shapes DrawnAttemptsService.saveResponse takes, and
 * the view of each question by its kind — with what the learner typed when a save was refused,
 * else what was saved, and after the release its outcome and right answer in words.
 */

/** The form field of a question (or of one of its items/premises: ordering, matching). */
export const drawnField = (questionId: string, part?: string): string =>
  part === undefined ? `r_${questionId}` : `r_${questionId}__${part}`;

/**
 * What a form holds for one question, whatever its kind: the options chosen (single, multiple,
 * true/false as "true"/"false"), the text typed (short answer, numeric, essay), the place given
 * to each item (ordering) and the response chosen for each premise (matching).
 */
export interface Draft {
  chosen: string[];
  text: string;
  places: Record<string, string>;
  pairs: Record<string, string>;
}

/** Refusals the page makes itself, before the service: an ordering must place every item once. */
export type DraftProblem = 'orderingIncomplete' | 'orderingTwice';

/** One question of a posted form: what to save (undefined: left blank) or why not. */
export interface ReadResponse {
  questionId: string;
  draft: Draft;
  response: unknown;
  problem?: DraftProblem;
}

const emptyDraft = (): Draft => ({ chosen: [], text: '', places: {}, pairs: {} });

function stringOf(value: unknown): string {
  if (Array.isArray(value)) return stringOf(value[0]);
  return typeof value === 'string' ? value : '';
}

function stringsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

const choices = (list: AttemptChoiceDto[] | null): AttemptChoiceDto[] => list ?? [];

/** A number as a Vietnamese reader writes it: a decimal comma, no grouping. */
export function numberVi(value: number): string {
  return new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 6, useGrouping: false }).format(
    value,
  );
}

/** The saved response of a question as the form shows it. */
export function draftOfSaved(item: AttemptItemDto): Draft {
  const draft = emptyDraft();
  const r = item.response;
  if (r === null || r === undefined) return draft;
  switch (item.kind) {
    case 'single':
    case 'multiple':
      draft.chosen = stringsOf(r);
      break;
    case 'true_false':
      if (typeof r === 'boolean') draft.chosen = [String(r)];
      break;
    case 'short_answer':
    case 'essay':
      draft.text = typeof r === 'string' ? r : '';
      break;
    case 'numeric':
      draft.text = typeof r === 'number' ? numberVi(r) : typeof r === 'string' ? r : '';
      break;
    case 'ordering':
      stringsOf(r).forEach((key, i) => (draft.places[key] = String(i + 1)));
      break;
    case 'matching':
      if (typeof r === 'object' && !Array.isArray(r)) {
        for (const [k, v] of Object.entries(r as Record<string, unknown>)) {
          if (typeof v === 'string') draft.pairs[k] = v;
        }
      }
      break;
  }
  return draft;
}

/**
 * The response of one question in a posted form, in the shape saveResponse takes; undefined
 * when the question was left blank. Values are passed as typed ("3,5", "maybe"): the service's
 * check refuses a wrong one with its own words, beside the question.
 */
export function readResponse(item: AttemptItemDto, form: Record<string, unknown>): ReadResponse {
  const field = drawnField(item.questionId);
  const draft = emptyDraft();
  const out = (response: unknown, problem?: DraftProblem): ReadResponse => ({
    questionId: item.questionId,
    draft,
    response,
    ...(problem ? { problem } : {}),
  });
  switch (item.kind) {
    case 'single': {
      draft.chosen = stringsOf(form[field]).slice(0, 1);
      return out(draft.chosen[0]);
    }
    case 'multiple':
      draft.chosen = stringsOf(form[field]);
      return out(draft.chosen.length ? draft.chosen : undefined);
    case 'true_false': {
      const v = stringOf(form[field]);
      draft.chosen = v ? [v] : [];
      return out(v === 'true' ? true : v === 'false' ? false : v || undefined);
    }
    case 'short_answer':
    case 'numeric':
    case 'essay': {
      draft.text = stringOf(form[field]);
      // A short answer and a number are compared trimmed; an essay keeps its lines.
      const value = item.kind === 'essay' ? draft.text : draft.text.trim();
      return out(value.trim() === '' ? undefined : value);
    }
    case 'ordering': {
      const items = choices(item.options);
      for (const o of items)
        draft.places[o.key] = stringOf(form[drawnField(item.questionId, o.key)]);
      const given = items.filter((o) => draft.places[o.key] !== '');
      if (given.length === 0) return out(undefined);
      if (given.length < items.length) return out(undefined, 'orderingIncomplete');
      const places = new Set(items.map((o) => draft.places[o.key]));
      if (places.size < items.length) return out(undefined, 'orderingTwice');
      const order = [...items].sort(
        (a, b) => Number(draft.places[a.key]) - Number(draft.places[b.key]),
      );
      return out(order.map((o) => o.key));
    }
    case 'matching': {
      for (const p of choices(item.options)) {
        const v = stringOf(form[drawnField(item.questionId, p.key)]);
        if (v !== '') draft.pairs[p.key] = v;
      }
      return out(Object.keys(draft.pairs).length ? { ...draft.pairs } : undefined);
    }
  }
}

/**
 * Whether a read response needs a write: a changed answer, or an answer emptied (saved as null).
 * An unchanged one is not written again, so the autosave does not rewrite every question.
 */
export function needsSave(item: AttemptItemDto, read: ReadResponse): boolean {
  if (read.problem) return false;
  const saved = item.response ?? null;
  if (read.response === undefined) return saved !== null;
  // A number shows as the page wrote it ("3,5" for 3.5): the same text is the same answer.
  if (item.kind === 'numeric' && typeof saved === 'number') {
    return read.response !== numberVi(saved) && read.response !== String(saved);
  }
  return JSON.stringify(canonical(read.response)) !== JSON.stringify(canonical(saved));
}

function canonical(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
    );
  }
  return value;
}

/** The words the view needs, in the page's language. */
export type Words = (key: string, params?: Record<string, string | number>) => string;

/** A response (or a right answer) in words: one line, or one per item/pair. */
export function answerWords(
  item: AttemptItemDto,
  value: unknown,
  words: Words,
): { text: string; lines: string[] } {
  const textOf = (list: AttemptChoiceDto[] | null, key: unknown) =>
    choices(list).find((o) => o.key === key)?.text ?? stringOf(key);
  const none = { text: '', lines: [] as string[] };
  if (value === null || value === undefined) return none;
  switch (item.kind) {
    case 'single':
      return { text: textOf(item.options, value), lines: [] };
    case 'multiple':
      return { text: '', lines: stringsOf(value).map((k) => textOf(item.options, k)) };
    case 'true_false':
      return {
        text: words(value === true || value === 'true' ? 'learn.drawn.true' : 'learn.drawn.false'),
        lines: [],
      };
    case 'short_answer':
      return {
        text: Array.isArray(value) ? stringsOf(value).join(' / ') : stringOf(value),
        lines: [],
      };
    case 'numeric': {
      if (typeof value === 'number') return { text: numberVi(value), lines: [] };
      if (typeof value === 'object' && !Array.isArray(value)) {
        const { value: v, tolerance } = value as { value: number; tolerance: number };
        const text = tolerance
          ? words('learn.drawn.numberWithin', {
              value: numberVi(v),
              tolerance: numberVi(tolerance),
            })
          : numberVi(v);
        return { text, lines: [] };
      }
      return { text: stringOf(value), lines: [] };
    }
    case 'ordering':
      return { text: '', lines: stringsOf(value).map((k) => textOf(item.options, k)) };
    case 'matching': {
      const pairs = value as Record<string, unknown>;
      return {
        text: '',
        lines: choices(item.options).flatMap((p) =>
          pairs[p.key] === undefined ? [] : [`${p.text} → ${textOf(item.responses, pairs[p.key])}`],
        ),
      };
    }
    case 'essay':
      return typeof value === 'string' ? { text: value, lines: [] } : none;
  }
}

/** How a released question came out, as a word key of the dictionary. */
function outcomeKey(item: AttemptItemDto): string {
  const r = item.result!;
  if (r.pointsEarned === null) return 'learn.drawn.waiting';
  if (r.correct === null) return 'learn.drawn.marked';
  if (item.response === null || item.response === undefined)
    return 'learn.result.outcomes.unanswered';
  if (r.correct) return 'learn.result.outcomes.correct';
  return r.pointsEarned > 0
    ? 'learn.result.outcomes.partially_correct'
    : 'learn.result.outcomes.incorrect';
}

const OUTCOME_CLASS: Record<string, string> = {
  'learn.result.outcomes.correct': 'correct',
  'learn.result.outcomes.partially_correct': 'partially_correct',
  'learn.result.outcomes.incorrect': 'incorrect',
  'learn.result.outcomes.unanswered': 'unanswered',
};

/** One question of the page, ready for the template. */
function itemView(
  item: AttemptItemDto,
  number: number,
  draft: Draft,
  errors: string[],
  words: Words,
) {
  const field = drawnField(item.questionId);
  const id = (part: string) => `${field}_${part}`;
  const chosen = new Set(draft.chosen);
  const kind = item.kind;
  const options =
    kind === 'true_false'
      ? [
          { key: 'true', text: words('learn.drawn.true') },
          { key: 'false', text: words('learn.drawn.false') },
        ]
      : kind === 'single' || kind === 'multiple'
        ? choices(item.options)
        : [];
  const items = choices(item.options);
  const review = item.result && {
    outcomeKey: outcomeKey(item),
    outcomeClass: OUTCOME_CLASS[outcomeKey(item)] ?? 'marked',
    pointsEarned: item.result.pointsEarned === null ? '' : numberVi(item.result.pointsEarned),
    yours: answerWords(item, item.response, words),
    right: answerWords(item, item.result.correctAnswer, words),
    feedback: item.result.feedback,
  };
  return {
    questionId: item.questionId,
    number,
    kind,
    prompt: item.prompt,
    points: item.points,
    field,
    errorId: `${field}-error`,
    errors,
    radios: kind === 'single' || kind === 'true_false',
    checkboxes: kind === 'multiple',
    shortAnswer: kind === 'short_answer',
    numeric: kind === 'numeric',
    ordering: kind === 'ordering',
    matching: kind === 'matching',
    essay: kind === 'essay',
    options: options.map((o) => ({
      ...o,
      inputId: id(o.key),
      checked: chosen.has(o.key),
    })),
    text: draft.text,
    inputId: id('text'),
    orderingItems: items.map((o) => ({
      ...o,
      field: drawnField(item.questionId, o.key),
      inputId: id(o.key),
      places: items.map((_, i) => ({
        value: String(i + 1),
        selected: draft.places[o.key] === String(i + 1),
      })),
    })),
    premises: items.map((p) => ({
      ...p,
      field: drawnField(item.questionId, p.key),
      inputId: id(p.key),
      responses: choices(item.responses).map((r) => ({
        ...r,
        selected: draft.pairs[p.key] === r.key,
      })),
    })),
    wordLimit: item.wordLimit,
    rubric: item.rubric,
    savedAt: item.savedAt,
    /** The answer in words: what the learner sees of a submitted attempt waiting for a marker. */
    yours: answerWords(item, item.response, words),
    review,
  };
}

export type DrawnItemView = ReturnType<typeof itemView>;

/**
 * The questions of a drawn attempt grouped by section, in the attempt's order. `drafts` (what a
 * refused form held) win over the saved responses; `errors` go beside their question.
 */
export function drawnSections(
  items: AttemptItemDto[],
  words: Words,
  drafts: Map<string, Draft> = new Map(),
  errors: Map<string, string[]> = new Map(),
): { title: string; items: DrawnItemView[] }[] {
  const sections: { title: string; items: DrawnItemView[] }[] = [];
  items.forEach((item, i) => {
    const draft = drafts.get(item.questionId) ?? draftOfSaved(item);
    const view = itemView(item, i + 1, draft, errors.get(item.questionId) ?? [], words);
    const last = sections[sections.length - 1];
    if (last && last.title === item.section) last.items.push(view);
    else sections.push({ title: item.section, items: [view] });
  });
  return sections;
}
