import type { Gender } from '../people/person.types';
import { DEFAULT_PLANNING_RULES, PlanningCycleStatus, PlanningRules } from './planning.types';
import { addMonths } from '../common/dates/calendar';

/** The status changes a cycle may make; anything else is refused (409 PLANNING_CYCLE_STATUS). */
export const CYCLE_TRANSITIONS: Record<PlanningCycleStatus, readonly PlanningCycleStatus[]> = {
  // A draft may be dropped (closed, kept on record) instead of opened.
  draft: ['open', 'closed'],
  open: ['submitted'],
  // The upper level may send a submitted list back for changes.
  submitted: ['approved', 'open'],
  approved: ['closed'],
  closed: [],
};

export function canTransition(from: PlanningCycleStatus, to: PlanningCycleStatus): boolean {
  return CYCLE_TRANSITIONS[from].includes(to);
}

/** Statuses in which nominees may be added. */
export const NOMINATING_STATUSES: readonly PlanningCycleStatus[] = ['draft', 'open'];
/** Statuses in which the rules may change. */
export const RULES_EDITABLE_STATUSES: readonly PlanningCycleStatus[] = ['draft', 'open'];
/** Statuses in which a yearly review may be opened. */
export const REVIEWABLE_STATUSES: readonly PlanningCycleStatus[] = [
  'open',
  'submitted',
  'approved',
];
/**
 * Cycles whose nominations count towards the caps, duplicates and four eyes of every other
 * cycle (a draft is a sketch: it counts for itself only, and is checked against the live ones
 * when it opens).
 */
export const LIVE_STATUSES: readonly PlanningCycleStatus[] = ['open', 'submitted', 'approved'];

const RULE_KEYS = [
  'maxNomineesPerPost',
  'maxPostsPerPerson',
  'minWorkingYearsLeft',
  'womenTarget',
  'under40Target',
] as const satisfies readonly (keyof PlanningRules)[];

/**
 * A full rule set: `patch` over `base` (defaults when absent). Only the known rules are kept, so
 * a stored set written under older rules (a flat retirement age, say) reads as today's shape.
 */
export function mergeRules(
  base: Partial<PlanningRules> = DEFAULT_PLANNING_RULES,
  patch: Partial<PlanningRules> = {},
): PlanningRules {
  const out = { ...DEFAULT_PLANNING_RULES };
  for (const key of RULE_KEYS) {
    const value = patch[key] ?? base[key];
    if (typeof value === 'number') out[key] = value;
  }
  return out;
}

export type AgeCheck =
  | { ok: true; retirementDate: string; yearsLeft: number }
  | { ok: false; reason: 'birth_date_missing' }
  | { ok: false; reason: 'gender_missing' }
  | { ok: false; reason: 'too_few_years'; retirementDate: string; yearsLeft: number };

/** Whole and fractional years from `from` to `to` (both yyyy-MM-dd), by months, one decimal. */
export function yearsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  let months = (ty - fy) * 12 + (tm - fm);
  if (td < fd) months -= 1;
  return Math.floor((months / 12) * 10) / 10;
}

/**
 * The first-time planning age rule: at the term's start the person has at least
 * `minWorkingYearsLeft` years before retirement (enough for two terms by default).
 * `retires` is the person's statutory retirement date (retirement.ts, or retirement_date() in
 * SQL), null when it cannot be known; the birth date and gender are named when missing.
 */
export function checkWorkingYears(
  person: { birthDate: string | null; gender: Gender | null },
  retires: string | null,
  termStart: string,
  rules: Pick<PlanningRules, 'minWorkingYearsLeft'>,
): AgeCheck {
  if (!person.gender) return { ok: false, reason: 'gender_missing' };
  // A birth date before the roadmap cannot be placed on it: as good as none.
  if (!person.birthDate || !retires) return { ok: false, reason: 'birth_date_missing' };
  const yearsLeft = Math.max(0, yearsBetween(termStart, retires));
  const needed = addMonths(termStart, Math.round(rules.minWorkingYearsLeft * 12));
  return retires >= needed
    ? { ok: true, retirementDate: retires, yearsLeft }
    : { ok: false, reason: 'too_few_years', retirementDate: retires, yearsLeft };
}

/** Age in whole years on a date. */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** A target share met or not; an empty list meets no target. */
export function targetOf(count: number, total: number, target: number) {
  const share = total === 0 ? 0 : Math.round((count / total) * 10_000) / 10_000;
  return { count, total, share, target, met: total > 0 && count / total >= target };
}
