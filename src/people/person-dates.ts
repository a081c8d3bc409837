import { addDays, addYears } from '../common/dates/calendar';

/**
 * The ages a cadre's record may show. A union cadre is at least 16 (the Labour Code's age of
 * work) and the register keeps nobody older than 80: a birth date outside that window on the
 * day it is entered is a typing error (a year in the future, 1885 for 1985), not a person.
 */
export const PERSON_AGE_LIMITS = { min: 16, max: 80 } as const;

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
