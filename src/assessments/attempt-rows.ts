import { EnrolmentStatus } from '../courses/course.types';
import { ReviewPolicy } from './assessment.types';
import { SittingRow } from './attempt-policy';
import { AttemptDto, AttemptStatus } from './dto/assessment.dto';
import { DrawnStart } from './drawn-attempts.service';
import { reviewOpen } from './review';

/** The rows an attempt's start, view and submit read, and the learner's view built from them. */

export interface AttemptRow {
  id: string;
  assessment_id: string;
  enrolment_id: string;
  person_id: string;
  number: number;
  started_at: Date;
  deadline: Date;
  submitted_at: Date | null;
  points_earned: string | null;
  points_total: number | null;
  score: string | null;
  passed: boolean | null;
  released_at: Date | null;
  expired: boolean;
}

/** An attempt with what the learner's view and list need: the assessment, course, closure. */
export interface AttemptViewRow extends AttemptRow {
  assessment_title: string;
  max_attempts: number;
  pass_score: string;
  partial_credit: boolean;
  review_policy: ReviewPolicy;
  drawn: boolean;
  course_id: string;
  code: string;
  course_title: string;
  version_no: number;
  passed_or_completed: boolean;
  submitted_attempts: number;
  started_key: string;
}

/** What a start reads in its first statement (e_*: null when the caller is not enrolled). */
export type StartFactsRow = SittingRow & {
  a_course_id: string;
  a_drawn: boolean;
  e_id: string | null;
  e_status: EnrolmentStatus | null;
  e_passed_at: Date | null;
};

/** What submitLocked reads of the attempt's assessment. */
export interface AssessmentOfRow {
  a_drawn: boolean;
  a_pass_score: string;
  a_max_attempts: number;
}

/** What a submit's result shows of the assessment. */
export interface SubmittedOf {
  passScore: number;
  maxAttempts: number;
}

export const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * The columns of `assessment_attempts t` joined with its assessment `a`, course `c` and
 * enrolment `e` that tell the outcome and whether the review is open (see reviewOpen).
 */
export const VIEW_COLUMNS = `t.*, t.deadline <= now() AS expired,
       a.title AS assessment_title, a.max_attempts, a.pass_score, a.partial_credit,
       a.review_policy, a.drawn, c.id AS course_id, c.code, c.title AS course_title, c.version_no,
       (e.assessment_passed_at IS NOT NULL OR e.status = 'completed') AS passed_or_completed,
       (SELECT count(*)::int FROM assessment_attempts x
         WHERE x.enrolment_id = t.enrolment_id AND x.submitted_at IS NOT NULL)
         AS submitted_attempts,
       to_char(t.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS started_key`;
export const VIEW_FROM = `assessment_attempts t
  JOIN assessments a ON a.id = t.assessment_id
  JOIN courses c ON c.id = a.course_id
  JOIN enrolments e ON e.id = t.enrolment_id`;

export const statusOf = (r: AttemptRow): AttemptStatus =>
  r.submitted_at
    ? r.released_at
      ? 'submitted'
      : 'marking'
    : r.expired
      ? 'expired'
      : 'in_progress';

export const reviewIsOpen = (r: AttemptViewRow) =>
  reviewOpen(r.review_policy, {
    submitted: r.released_at !== null,
    passedOrCompleted: r.passed_or_completed,
    submittedAttempts: r.submitted_attempts,
    maxAttempts: r.max_attempts,
  });

/** The learner's view of a drawn attempt just started: in progress, nothing saved, no result. */
export const startedView = (d: DrawnStart): AttemptDto => ({
  id: d.id,
  assessmentId: d.assessment_id,
  assessmentTitle: d.assessment_title,
  course: { id: d.course_id, code: d.code, title: d.course_title, versionNo: d.version_no },
  number: d.number,
  maxAttempts: d.max_attempts,
  status: 'in_progress',
  startedAt: iso(d.started_at),
  deadline: iso(d.deadline),
  questions: [],
  answers: [],
  result: null,
  reviewPolicy: d.review_policy,
  drawn: true,
  items: d.items,
  review: null,
});
