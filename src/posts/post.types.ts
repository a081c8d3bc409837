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

/** A term (nhiệm kỳ) is 5 years; an upper level may shift it by up to 30 months (docs/domain.md#posts-and-terms). */
export const MAX_TERM_MONTHS = 90;

/**
 * How far back and ahead dates of posts may lie; outside, a date is a typing error (1800, 9999).
 * Nobody on the register (at most 80 years old) held a post before 1950; a term is entered at
 * most 5 years before it starts (the next congress), an appointment at most a year before it
 * starts (a decision "from 1 July"), and no recorded end lies more than 10 years ahead (a term
 * lasts at most 90 months).
 */
export const POST_DATE_LIMITS = {
  earliest: '1950-01-01',
  termStartYearsAhead: 5,
  appointmentStartYearsAhead: 1,
  appointmentEndYearsAhead: 10,
} as const;
