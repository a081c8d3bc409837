/**
 * The calendar dates the API accepts. A date field is a real day written yyyy-MM-dd (2026-02-30
 * is not one) inside a range: by default 1900-01-01 to 2100-12-31, which holds every date this
 * system has a use for (the oldest birth date on the register, a term or a due date decades
 * ahead) and keeps year 0001 or 9999 out of date arithmetic and SQL. A field whose service
 * checks a tighter rule of its own, with its own error code (a term from 1950 to five years
 * ahead, a birth date giving an age from 16 to 80), takes CALENDAR_RANGE so that the service's
 * answer, which names the rule, is the one heard.
 */
export interface DateRange {
  /** First day allowed, yyyy-MM-dd. */
  min: string;
  /** Last day allowed, yyyy-MM-dd. */
  max: string;
}

export const DATE_RANGE: DateRange = { min: '1900-01-01', max: '2100-12-31' };

/** Every day with a four-digit year: only for fields whose service bounds them itself. */
export const CALENDAR_RANGE: DateRange = { min: '0001-01-01', max: '9999-12-31' };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** yyyy-MM-dd naming a day that exists (no 2026-02-30, no month 13, no year 0000). */
export function isRealIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** A real yyyy-MM-dd day from range.min to range.max, both included. */
export function isIsoDateWithin(value: unknown, range: DateRange = DATE_RANGE): value is string {
  return isRealIsoDate(value) && value >= range.min && value <= range.max;
}
