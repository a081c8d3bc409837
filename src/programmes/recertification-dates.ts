import { addDays, addMonths, minDate } from '../common/dates/calendar';

/**
 * The dates of a programme cycle under a policy, as pure functions of ISO calendar dates
 * (yyyy-MM-dd, no time, no zone). The preview API answers with exactly these; the completion and
 * recertification scans write the same dates with SQL that follows the same rules
 * (date + N days; date + N months clamped to the last day of a shorter month — PostgreSQL's
 * `date + make_interval(months => n)` does the same), and the e2e suite checks both agree.
 */

export type DueRule =
  { kind: 'days_after_assignment'; days: number } | { kind: 'fixed_date'; date: string };

export interface CyclePolicy {
  dueRule: DueRule;
  /** Months a completion stays valid. */
  validityMonths: number;
  /** The recertification window opens this many days before expiry. */
  windowDays: number;
}

export interface CycleDates {
  /** When the cycle is due: null when the rule counts from an assignment date not given. */
  dueOn: string | null;
  expiresOn: string;
  windowOpensOn: string;
  /** Due date of the next cycle, assigned automatically the day the window opens. */
  nextDueOn: string;
}

/** The due date of a first assignment under a rule. */
export function dueOnFor(rule: DueRule, assignedOn: string): string {
  return rule.kind === 'fixed_date' ? rule.date : addDays(assignedOn, rule.days);
}

/**
 * A recertification cycle is assigned the day the window opens and is due by its rule counted
 * from that day, but never after the expiry it renews (a fixed date, already past for a later
 * cycle, gives way to the expiry).
 */
export function nextDueOnFor(rule: DueRule, windowOpensOn: string, expiresOn: string): string {
  return rule.kind === 'fixed_date'
    ? expiresOn
    : minDate(addDays(windowOpensOn, rule.days), expiresOn);
}

export function cycleDates(
  policy: CyclePolicy,
  completedOn: string,
  assignedOn?: string,
): CycleDates {
  const dueOn =
    policy.dueRule.kind === 'fixed_date'
      ? policy.dueRule.date
      : assignedOn
        ? dueOnFor(policy.dueRule, assignedOn)
        : null;
  const expiresOn = addMonths(completedOn, policy.validityMonths);
  const windowOpensOn = addDays(expiresOn, -policy.windowDays);
  return {
    dueOn,
    expiresOn,
    windowOpensOn,
    nextDueOn: nextDueOnFor(policy.dueRule, windowOpensOn, expiresOn),
  };
}

const shortest = new Map<number, number>();

/**
 * The fewest days `months` calendar months can last: 28 for 1, 365 for 12, 1,095 for 36, 1,460
 * for 48 (four years across a century that is not a leap year). A completion on day d of month
 * M expires on day d of month M + N, clamped to that month's end: the span is the sum of the N
 * month lengths from M, and clamping shortens it to no less than the sum from M + 1. So the
 * shortest span is the smallest sum of N consecutive months over the 400-year Gregorian cycle.
 */
export function shortestValidityDays(months: number): number {
  const known = shortest.get(months);
  if (known !== undefined) return known;
  const count = 400 * 12 + months;
  const prefix = [0];
  for (let i = 0; i < count; i += 1) {
    const days = new Date(Date.UTC(2000, i + 1, 0)).getUTCDate();
    prefix.push(prefix[i] + days);
  }
  let least = Infinity;
  for (let i = 0; i + months <= count; i += 1) {
    least = Math.min(least, prefix[i + months] - prefix[i]);
  }
  shortest.set(months, least);
  return least;
}

/**
 * A recertification window must open after the completion it renews, whatever the completion
 * date: it must be shorter than the validity at its shortest. Answers the largest window
 * allowed, or null when `windowDays` fits.
 */
export function windowTooLong(validityMonths: number, windowDays: number): number | null {
  const max = shortestValidityDays(validityMonths) - 1;
  return windowDays > max ? max : null;
}
