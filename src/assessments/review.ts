import type { QuestionKind, ReviewPolicy } from './assessment.types';
import { GradableQuestion, pointsFor, round2 } from './grading';

/** Where a learner stands on one assessment (their enrolment's attempts at it). */
export interface ReviewState {
  /** The attempt looked at is submitted (graded). */
  submitted: boolean;
  /** The learner passed the assessment (on any attempt), or completed the course. */
  passedOrCompleted: boolean;
  /** Submitted attempts of the enrolment. */
  submittedAttempts: number;
  maxAttempts: number;
}

/**
 * Whether the learner may see per-question results and the right options of a submitted
 * attempt. 'after_close': once the assessment is closed for them — no attempt is left on which
 * the right answers could help (passed, completed, or every attempt submitted).
 */
export function reviewOpen(policy: ReviewPolicy, s: ReviewState): boolean {
  if (!s.submitted) return false;
  switch (policy) {
    case 'never':
      return false;
    case 'after_submission':
      return true;
    case 'after_close':
      return s.passedOrCompleted || s.submittedAttempts >= s.maxAttempts;
  }
}

export const REVIEW_OUTCOMES = ['correct', 'partially_correct', 'incorrect', 'unanswered'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export interface ReviewedQuestion {
  questionId: string;
  /** The answer that was graded: saved before the deadline. */
  selected: string[];
  correctOptions: string[];
  outcome: ReviewOutcome;
  pointsEarned: number;
  points: number;
}

/** Each question of a graded attempt, scored the way the grading scored it. */
export function reviewQuestions(
  questions: readonly (GradableQuestion & { id: string; kind: QuestionKind })[],
  graded: ReadonlyMap<string, readonly string[]>,
  partialCredit: boolean,
): ReviewedQuestion[] {
  return questions.map((q) => {
    const selected = [...(graded.get(q.id) ?? [])].sort();
    const earned = round2(pointsFor(q, selected, partialCredit));
    const outcome: ReviewOutcome =
      selected.length === 0
        ? 'unanswered'
        : earned >= q.points
          ? 'correct'
          : earned > 0
            ? 'partially_correct'
            : 'incorrect';
    return {
      questionId: q.id,
      selected,
      correctOptions: [...q.correct].sort(),
      outcome,
      pointsEarned: earned,
      points: q.points,
    };
  });
}
