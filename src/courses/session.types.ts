/**
 * Life of a classroom session: draft (being prepared) → open (taking sign-ups) ⇄ full (every
 * seat booked: set and cleared by the seat logic, not by hand) → closed (sign-ups over) → done |
 * cancelled. Cancelled and done are final.
 */
export const SESSION_STATUSES = ['draft', 'open', 'full', 'closed', 'done', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** booked / waitlisted are active (one per person and course); cancelled and moved are history. */
export const BOOKING_STATUSES = ['booked', 'waitlisted', 'cancelled', 'moved'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export const ACTIVE_BOOKING = `('booked', 'waitlisted')`;

/**
 * A mark of attendance for one day. Present and late count as attended time (a late arrival
 * still sat the day: the officer marks absent whoever missed too much of it); absent and
 * excused do not (an excused absence is not held against the learner's conduct, but the
 * time was not attended).
 */
export const ATTENDANCE_STATUSES = ['present', 'late', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
