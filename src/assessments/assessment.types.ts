export const QUESTION_KINDS = ['single', 'multiple', 'true_false'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export interface QuestionOption {
  key: string;
  text: string;
}

/**
 * When a learner may see, for a submitted attempt, which questions they got right and the right
 * options: never; right after each submission; or once the assessment is closed for them — they
 * passed it, used every attempt, or completed the course — so that no attempt is left on which
 * the right answers would help. The default is 'after_close': a final assessment with several
 * attempts stays a test, and the learner still learns from their mistakes at the end.
 */
export const REVIEW_POLICIES = ['never', 'after_submission', 'after_close'] as const;
export type ReviewPolicy = (typeof REVIEW_POLICIES)[number];
export const DEFAULT_REVIEW_POLICY: ReviewPolicy = 'after_close';
