import { Gender } from '../people/person.types';
import { addMonths } from '../posts/posts.service';
import { DEFAULT_PLANNING_RULES, PlanningCycleStatus, PlanningRules } from './planning.types';

/** The status changes a cycle may make; anything else is refused (409 PLANNING_CYCLE_STATUS). */
export const CYCLE_TRANSITIONS: Record<PlanningCycleStatus, readonly PlanningCycleStatus[]> = {
  draft: ['open'],
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
/** Cycles whose nominations count towards "a person in at most N posts" (draft is a sketch). */
export const LIVE_STATUSES: readonly PlanningCycleStatus[] = ['open', 'submitted', 'approved'];

/** A full rule set: `patch` over `base` (defaults when absent), retirement ages merged per gender. */
export function mergeRules(
  base: PlanningRules = DEFAULT_PLANNING_RULES,
  patch: Partial<Omit<PlanningRules, 'retirementAge'>> & {
    retirementAge?: Partial<PlanningRules['retirementAge']>;
  } = {},
): PlanningRules {
  const defined = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const { retirementAge, ...rest } = patch;
  return {
    ...base,
    ...defined(rest),
    retirementAge: { ...base.retirementAge, ...defined(retirementAge ?? {}) },
  };
}

/**
 * The day a person reaches retirement age: birth date plus the age of their gender, in whole
 * months (60.5 years = 60 years 6 months), as yyyy-MM-dd.
 */
export function retirementDate(birthDate: string, gender: Gender, rules: PlanningRules): string {
  return addMonths(birthDate, Math.round(rules.retirementAge[gender] * 12));
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
 */
export function checkWorkingYears(
  person: { birthDate: string | null; gender: Gender | null },
  termStart: string,
  rules: PlanningRules,
): AgeCheck {
  if (!person.birthDate) return { ok: false, reason: 'birth_date_missing' };
  if (!person.gender) return { ok: false, reason: 'gender_missing' };
  const retires = retirementDate(person.birthDate, person.gender, rules);
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
