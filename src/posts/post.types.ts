export const EMPLOYMENT_KINDS = ['full_time', 'part_time'] as const;
/** Chuyên trách (full-time) or không chuyên trách (part-time). */
export type EmploymentKind = (typeof EMPLOYMENT_KINDS)[number];

export const POST_STATUSES = ['active', 'archived'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export const APPOINTMENT_METHODS = ['elected', 'appointed'] as const;
/** Bầu (elected at a congress or committee meeting) or chỉ định (appointed by the upper level). */
export type AppointmentMethod = (typeof APPOINTMENT_METHODS)[number];

export const APPOINTMENT_STATUSES = ['active', 'ended', 'cancelled'] as const;
/**
 * active: no end recorded (end_date null); ended: an end date is recorded (it may lie in the
 * future, as a decision "from 1 April"); cancelled: entered in error — kept, but it never counts.
 */
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** A term (nhiệm kỳ) is 5 years; an upper level may shift it by up to 30 months (DOMAIN.md). */
export const MAX_TERM_MONTHS = 90;
