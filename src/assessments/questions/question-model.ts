/**
 * The question kinds of a question bank (issue 16) and the shapes of their bodies and of a
 * learner's response to each. A question version stores its body as JSON; the grading engine
 * (question-grading.ts), the QTI 3.0 exchange (qti.ts) and item statistics (item-statistics.ts)
 * all speak these types.
 */

export const BANK_QUESTION_KINDS = [
  'single',
  'multiple',
  'true_false',
  'short_answer',
  'numeric',
  'ordering',
  'matching',
  'essay',
] as const;
export type BankQuestionKind = (typeof BANK_QUESTION_KINDS)[number];

/**
 * How a multiple-choice question scores a response that is not exactly right:
 * - all_or_nothing: full points only for exactly the right set, else 0;
 * - proportional: points × (right options chosen / right options), 0 when any wrong one is chosen;
 * - right_minus_wrong: points × (right chosen − wrong chosen) / right options, floored at 0.
 */
export const PARTIAL_CREDIT_POLICIES = [
  'all_or_nothing',
  'proportional',
  'right_minus_wrong',
] as const;
export type PartialCreditPolicy = (typeof PARTIAL_CREDIT_POLICIES)[number];

/** An option, an item to order, or one side of a matching pair: a stable key and its text. */
export interface ChoiceOption {
  key: string;
  text: string;
}

/** One criterion of an essay's rubric: graded by a person from 0 to maxPoints. */
export interface RubricCriterion {
  key: string;
  title: string;
  description?: string;
  maxPoints: number;
}

export interface SingleChoiceBody {
  kind: 'single';
  options: ChoiceOption[];
  /** The key of the one right option. */
  correct: string;
}

export interface MultipleChoiceBody {
  kind: 'multiple';
  options: ChoiceOption[];
  /** The keys of the right options (at least one). */
  correct: string[];
  partialCredit: PartialCreditPolicy;
}

export interface TrueFalseBody {
  kind: 'true_false';
  correct: boolean;
}

export interface ShortAnswerBody {
  kind: 'short_answer';
  /** Accepted answers, compared after trimming and collapsing spaces. */
  accepted: string[];
  /** Off: "Công Đoàn" and "công đoàn" are the same answer. */
  caseSensitive: boolean;
  /** On: "cong doan" is accepted for "công đoàn" (diacritics and đ folded). */
  ignoreDiacritics: boolean;
  /**
   * Regular expressions (JavaScript syntax, no flags; matched against the whole answer, with the
   * `i` flag when not case-sensitive). Refused at authoring when they could backtrack badly.
   */
  patterns: string[];
}

export interface NumericBody {
  kind: 'numeric';
  value: number;
  /** Absolute: a response r is right when |r − value| ≤ tolerance. */
  tolerance: number;
}

export interface OrderingBody {
  kind: 'ordering';
  /** The items, in the right order (shown shuffled). */
  items: ChoiceOption[];
  /** Off: all or nothing; on: share of items in their right place. */
  partialCredit: boolean;
}

export interface MatchingBody {
  kind: 'matching';
  /** The left column (each to be matched). */
  premises: ChoiceOption[];
  /** The right column; may have more entries than premises (distractors). */
  responses: ChoiceOption[];
  /** premise key → the response key that is its right match. */
  pairs: Record<string, string>;
  /** Off: all or nothing; on: share of premises matched right. */
  partialCredit: boolean;
}

export interface EssayBody {
  kind: 'essay';
  /** Null: no limit; else the most words an answer may have (longer ones refused on save). */
  wordLimit: number | null;
  /** The criteria a marker scores; the question's points are the sum of their maxPoints. */
  rubric: RubricCriterion[];
}

export type QuestionBody =
  | SingleChoiceBody
  | MultipleChoiceBody
  | TrueFalseBody
  | ShortAnswerBody
  | NumericBody
  | OrderingBody
  | MatchingBody
  | EssayBody;

/** A question version as the engine sees it: its prompt, its points and its body. */
export interface QuestionVersion {
  prompt: string;
  points: number;
  body: QuestionBody;
}

/**
 * A learner's response, by kind: single → the option key; multiple → option keys; true_false →
 * a boolean; short_answer → text; numeric → a number (or text with a decimal comma, "3,5");
 * ordering → item keys in the learner's order; matching → premise key → response key;
 * essay → text. Absent (undefined/null): not answered.
 */
export type QuestionResponse = string | string[] | boolean | number | Record<string, string>;

/** The machine's grade of one response. */
export interface AutoGrade {
  /** Points earned, 0 … question points, rounded to 2 decimals; 0 while a person must grade. */
  points: number;
  /** The question's points. */
  maxPoints: number;
  /** Fully right (points === maxPoints); null while a person must grade (essays). */
  correct: boolean | null;
  /** A person must grade this response (essays). */
  needsManual: boolean;
}
