/**
 * Calendar facts are read in Vietnam time, whatever the server's zone (docs/domain.md#vietnamese-data-conventions):
 * "today", a certificate's issue day and a serial's year are the day and year in Hà Nội.
 * Calendar dates travel as ISO strings (yyyy-MM-dd, no time, no zone); people read dd/MM/yyyy.
 */
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const DATE_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: VIETNAM_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

function vietnamDateParts(at: Date): { year: string; month: string; day: string } {
  const parts = Object.fromEntries(DATE_PARTS.formatToParts(at).map((p) => [p.type, p.value]));
  return { year: parts.year, month: parts.month, day: parts.day };
}

/** 2026-12-31: the calendar date of an instant in Vietnam, for the JSON API and SQL. */
export function isoDateVi(at: Date): string {
  const { year, month, day } = vietnamDateParts(at);
  return `${year}-${month}-${day}`;
}

/**
 * Today's calendar date in Vietnam (yyyy-MM-dd): what "current" means for posts, terms, due dates
 * and expiry. Services ask the injected Clock (clock.todayVn()) so tests can set the date; this
 * function is for code outside Nest's container (validators, scripts, test fixtures).
 */
export function todayVn(now: Date = new Date()): string {
  return isoDateVi(now);
}

/** 31/12/2026: the date of an instant in Vietnam as people read it. */
export function formatDateVi(at: Date): string {
  const { year, month, day } = vietnamDateParts(at);
  return `${day}/${month}/${year}`;
}

/** The year of an instant in Vietnam (a certificate issued at 01:00 on 1 January counts in the new year). */
export function yearVn(at: Date): number {
  return Number(vietnamDateParts(at).year);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 2029-12-01 → 01/12/2029: a calendar date as people read it, in both languages. Throws on anything else. */
export function isoToVi(iso: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new RangeError(`not an ISO date: ${iso}`);
  return `${m[3]}/${m[2]}/${m[1]}`;
}

/**
 * Like isoToVi, for text that may echo what a caller typed (error messages): anything that is not
 * a yyyy-MM-dd date comes back as it was.
 */
export function dmy(date: string): string {
  const m = ISO_DATE.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
}
