/**
 * The ages a cadre's record may show. A union cadre is at least 16 (the Labour Code's age of
 * work) and the register keeps nobody older than 80: a birth date outside that window on the
 * day it is entered is a typing error (a year in the future, 1885 for 1985), not a person.
 */
export const PERSON_AGE_LIMITS = { min: 16, max: 80 } as const;

/** yyyy-MM-dd plus whole years (29 February falls back to the 28th in a common year). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** yyyy-MM-dd plus whole days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The birth dates allowed on `today`: from the day after the 81st birthday falls on today
 * (aged 80 at most) to exactly 16 years ago (aged 16 at least), both inclusive.
 */
export function birthDateRange(
  today: string,
  limits: { min: number; max: number } = PERSON_AGE_LIMITS,
): { earliest: string; latest: string } {
  return {
    earliest: addDays(addYears(today, -(limits.max + 1)), 1),
    latest: addYears(today, -limits.min),
  };
}

/** The day a person born on `birthDate` turns `age` (for "no post before 16"). */
export function birthdayAt(birthDate: string, age: number): string {
  return addYears(birthDate, age);
}

/** 2026-12-31 → 31/12/2026: a calendar date as people in Vietnam read it, in both languages. */
export function dmy(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
}
