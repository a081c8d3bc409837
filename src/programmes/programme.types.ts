export const PROGRAMME_STATUSES = ['draft', 'published', 'archived'] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];

export const DUE_RULE_KINDS = ['days_after_assignment', 'fixed_date'] as const;
/** N days after the person is assigned, or one calendar date for everyone. */
export type DueRuleKind = (typeof DUE_RULE_KINDS)[number];

export const SET_RULES = ['all_in_order', 'any_order', 'at_least_n'] as const;
/**
 * How a set of courses counts as done. all_in_order and any_order both need every course of the
 * set completed; in order only changes which course is offered as "next" (a course completed
 * out of order still counts). at_least_n needs min_count of them.
 */
export type SetRule = (typeof SET_RULES)[number];

/**
 * Where the targeting of an assignment stands — never how far its learners are (that is
 * progress): pending (not run yet), running (a job is writing it), assigned (the last run
 * finished: everyone the rule matched holds the programme), failed, rolled_back.
 * `assigned` was called `completed` until issue 11, which read as "the learners completed":
 * the database type keeps the old label so that rows written by an older release stay
 * readable, and the API answers them as `assigned` (see readAssignmentStatus).
 */
export const ASSIGNMENT_STATUSES = [
  'pending',
  'running',
  'assigned',
  'failed',
  'rolled_back',
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/** Every label of the database enum, the legacy one included (the entity maps the type). */
export const ASSIGNMENT_STATUS_LABELS = [
  'pending',
  'running',
  'assigned',
  'completed',
  'failed',
  'rolled_back',
] as const;
export type AssignmentStatusLabel = (typeof ASSIGNMENT_STATUS_LABELS)[number];

/** A stored status as the API names it: the legacy `completed` is `assigned`. */
export function readAssignmentStatus(label: AssignmentStatusLabel): AssignmentStatus {
  return label === 'completed' ? 'assigned' : label;
}

export const ASSIGNMENT_JOB_STATUSES = [
  'queued',
  'running',
  'done',
  'failed',
  'rolled_back',
] as const;
export type AssignmentJobStatus = (typeof ASSIGNMENT_JOB_STATUSES)[number];

export const MEMBER_STATUSES = ['not_started', 'in_progress', 'completed', 'overdue'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/**
 * The rule an assignment targets, stored as given (jsonb) so a re-run resolves the same rule.
 * Either named people, or the subtree of the assignment's unit narrowed by any of the filters.
 */
export interface AudienceRule {
  personIds?: string[];
  postTypes?: string[];
  orgLevels?: string[];
  sectors?: string[];
  appointedSince?: string;
  withinCurrentTerm?: boolean;
  notCompletedCourseId?: string;
  notCompletedProgrammeId?: string;
}
