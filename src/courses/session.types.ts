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
