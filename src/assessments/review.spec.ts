import { reviewOpen, reviewQuestions, ReviewState } from './review';

describe('review policy', () => {
  const state = (over: Partial<ReviewState> = {}): ReviewState => ({
    submitted: true,
    passedOrCompleted: false,
    submittedAttempts: 1,
    maxAttempts: 3,
    ...over,
  });

  it('never shows an open attempt, whatever the policy', () => {
    for (const policy of ['never', 'after_submission', 'after_close'] as const) {
      expect(reviewOpen(policy, state({ submitted: false, passedOrCompleted: true }))).toBe(false);
    }
  });

  it('never: not even when the assessment is closed', () => {
    expect(reviewOpen('never', state({ passedOrCompleted: true, submittedAttempts: 3 }))).toBe(
      false,
    );
  });

  it('after_submission: every submitted attempt', () => {
    expect(reviewOpen('after_submission', state())).toBe(true);
  });

  it('after_close: only once no attempt is left for the learner', () => {
    expect(reviewOpen('after_close', state())).toBe(false);
    expect(reviewOpen('after_close', state({ submittedAttempts: 2 }))).toBe(false);
    expect(reviewOpen('after_close', state({ submittedAttempts: 3 }))).toBe(true);
    expect(reviewOpen('after_close', state({ passedOrCompleted: true }))).toBe(true);
  });
});

describe('reviewed questions', () => {
  const questions = [
    { id: 'q1', kind: 'single' as const, correct: ['b'], points: 2 },
    { id: 'q2', kind: 'multiple' as const, correct: ['c', 'a'], points: 4 },
    { id: 'q3', kind: 'true_false' as const, correct: ['true'], points: 1 },
    { id: 'q4', kind: 'single' as const, correct: ['a'], points: 1 },
  ];

  it('scores each question as grading did, with the right options sorted', () => {
    const graded = new Map([
      ['q1', ['b']],
      ['q2', ['a']],
      ['q3', ['false']],
    ]);
    expect(reviewQuestions(questions, graded, true)).toEqual([
      {
        questionId: 'q1',
        selected: ['b'],
        correctOptions: ['b'],
        outcome: 'correct',
        pointsEarned: 2,
        points: 2,
      },
      {
        questionId: 'q2',
        selected: ['a'],
        correctOptions: ['a', 'c'],
        outcome: 'partially_correct',
        pointsEarned: 2,
        points: 4,
      },
      {
        questionId: 'q3',
        selected: ['false'],
        correctOptions: ['true'],
        outcome: 'incorrect',
        pointsEarned: 0,
        points: 1,
      },
      {
        questionId: 'q4',
        selected: [],
        correctOptions: ['a'],
        outcome: 'unanswered',
        pointsEarned: 0,
        points: 1,
      },
    ]);
  });

  it('without partial credit a half-right multiple choice is incorrect', () => {
    const [, q2] = reviewQuestions(questions, new Map([['q2', ['a']]]), false);
    expect(q2).toMatchObject({ outcome: 'incorrect', pointsEarned: 0 });
  });
});
