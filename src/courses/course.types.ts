export const DELIVERY_MODES = ['online', 'classroom', 'blended'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/**
 * Life of one version of a course: draft (editable) → published (the current version of its
 * code, open for enrolment) → superseded (a newer version of the same code was published) or
 * archived (retired: the course is no longer offered). Superseded and archived versions take
 * no new enrolments; the people already enrolled in them finish them.
 */
export const COURSE_STATUSES = ['draft', 'published', 'archived', 'superseded'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

export const LESSON_KINDS = ['text', 'video', 'link', 'assessment'] as const;
export type LessonKind = (typeof LESSON_KINDS)[number];
/** Kinds an officer adds by hand; an 'assessment' lesson is created with the final assessment. */
export const MANUAL_LESSON_KINDS = ['text', 'video', 'link'] as const;

export const ENROLMENT_STATUSES = ['enrolled', 'in_progress', 'completed'] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

/** How an enrolment was completed: by its completion rule, or by an officer (prior learning). */
export const COMPLETION_METHODS = ['rules', 'manual'] as const;
export type CompletionMethod = (typeof COMPLETION_METHODS)[number];
