/**
 * Arithmetic on calendar dates (yyyy-MM-dd, no time, no zone), done in UTC so the server's zone
 * never shifts a day. Month and year steps clamp to the last day of a shorter month, as
 * PostgreSQL's `date + make_interval(months => n)` does: 2027-01-31 + 1 month = 2027-02-28,
 * 2028-02-29 + 1 year = 2029-02-28.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parse(iso: string): { y: number; m: number; d: number } {
  const match = ISO_DATE.exec(iso);
  if (!match) throw new RangeError(`not an ISO date: ${iso}`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

function format(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** yyyy-MM-dd plus (or minus) whole days. */
export function addDays(iso: string, days: number): string {
  const { y, m, d } = parse(iso);
  return format(new Date(Date.UTC(y, m - 1, d + days)));
}

/** The calendar day after an ISO date: 2029-12-31 → 2030-01-01. */
export function dayAfter(iso: string): string {
  return addDays(iso, 1);
}

/** yyyy-MM-dd plus (or minus) whole months, clamped to the target month's last day. */
export function addMonths(iso: string, months: number): string {
  const { y, m, d } = parse(iso);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(
    Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0),
  ).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return format(first);
}

/** yyyy-MM-dd plus (or minus) whole years (29 February falls back to the 28th in a common year). */
export function addYears(iso: string, years: number): string {
  return addMonths(iso, 12 * years);
}

/** The earlier of two ISO dates. */
export function minDate(a: string, b: string): string {
  return a <= b ? a : b;
}

/** Whole days from one ISO date to another (negative when `toIso` is earlier). */
export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round(
    (Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 864e5,
  );
}
