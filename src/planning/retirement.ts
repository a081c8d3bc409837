import type { Gender } from '../people/person.types';

/**
 * The statutory retirement age under normal working conditions (Labour Code 2019 art. 169 and
 * Decree 135/2020/NĐ-CP; docs/domain.md#retirement-roadmap), as a roadmap by birth month.
 *
 * The law: from 2021 the age rises every year, by 3 months for men from 60 years 3 months (2021)
 * to 62 (reached in 2028) and by 4 months for women from 55 years 4 months (2021) to 60 (reached
 * in 2035); before 2021 it was 60 and 55 (Labour Code 2012). The age that applies is the one in
 * force in the year the person reaches it, so it depends on the birth month — a man born in
 * 03/1965 retires at 61 years 6 months, in 09/2026. Decree 135/2020 tabulates exactly that by
 * birth month; the table `retirement_age_roadmap` holds it in the same shape (one row per
 * gender and first birth month of a band), so a change of law is new rows, never a code change.
 *
 * The retirement date is the end of the last day of the month in which the person reaches the
 * age (the pension runs from the first day of the next month), as Decree 135/2020 sets it.
 * Earlier retirement (heavy or hazardous work, up to 5 years) is a fact about a person, recorded
 * for that person, never inferred here.
 *
 * The SQL function `retirement_date(birth, gender)` (migration RetirementRoadmap) computes the
 * same date from the table; test/planning.e2e-spec.ts compares the two over every birth month.
 */

/** People of `gender` born from `bornFrom` (the 1st of a month) on retire at `ageMonths`,
 *  until the next step of the same gender. */
export interface RetirementAgeStep {
  gender: Gender;
  bornFrom: string;
  ageMonths: number;
}

/** The parameters of the law, every age in months. */
export interface RetirementLaw {
  /** The age before the roadmap starts. */
  before: Record<Gender, number>;
  /** The first year of the roadmap. */
  firstYear: number;
  /** The age in force in the first year. */
  first: Record<Gender, number>;
  /** How much the age rises each year. */
  stepPerYear: Record<Gender, number>;
  /** Where it stops. */
  target: Record<Gender, number>;
}

export const LABOUR_CODE_2019: RetirementLaw = {
  before: { male: 60 * 12, female: 55 * 12 },
  firstYear: 2021,
  first: { male: 60 * 12 + 3, female: 55 * 12 + 4 },
  stepPerYear: { male: 3, female: 4 },
  target: { male: 62 * 12, female: 60 * 12 },
};

/** The roadmap covers people born from this day (cadres born earlier are long retired). */
export const ROADMAP_START = '1900-01-01';

const pad = (n: number) => String(n).padStart(2, '0');

/** A month counted from year 0 (year × 12 + month − 1) as the 1st of that month. */
function firstOfMonth(index: number): string {
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}-01`;
}

/**
 * The by-birth-month table of a law. For each year Y of the roadmap, the people who first
 * reach the age in force in Y are those born from January of Y minus the previous year's age:
 * anyone born earlier reached the previous year's age in an earlier year.
 */
export function roadmapOf(law: RetirementLaw): RetirementAgeStep[] {
  const steps: RetirementAgeStep[] = [];
  for (const gender of ['female', 'male'] as const) {
    steps.push({ gender, bornFrom: ROADMAP_START, ageMonths: law.before[gender] });
    let previous = law.before[gender];
    for (let year = law.firstYear; previous < law.target[gender]; year += 1) {
      const age = Math.min(
        law.first[gender] + law.stepPerYear[gender] * (year - law.firstYear),
        law.target[gender],
      );
      steps.push({ gender, bornFrom: firstOfMonth(year * 12 - previous), ageMonths: age });
      previous = age;
    }
  }
  return steps;
}

/** The roadmap the migration writes into `retirement_age_roadmap`. */
export const STATUTORY_RETIREMENT_ROADMAP: readonly RetirementAgeStep[] =
  roadmapOf(LABOUR_CODE_2019);

/** The step that applies to a birth date, or null (born before the roadmap starts). */
export function retirementStep(
  birthDate: string,
  gender: Gender,
  roadmap: readonly RetirementAgeStep[] = STATUTORY_RETIREMENT_ROADMAP,
): RetirementAgeStep | null {
  let found: RetirementAgeStep | null = null;
  for (const step of roadmap) {
    if (step.gender === gender && step.bornFrom <= birthDate) {
      if (!found || step.bornFrom > found.bornFrom) found = step;
    }
  }
  return found;
}

/**
 * The retirement date (yyyy-MM-dd): the last day of the month in which the person reaches the
 * retirement age of their birth month. Null when the birth date precedes the roadmap.
 */
export function retirementDate(
  birthDate: string,
  gender: Gender,
  roadmap: readonly RetirementAgeStep[] = STATUTORY_RETIREMENT_ROADMAP,
): string | null {
  const step = retirementStep(birthDate, gender, roadmap);
  if (!step) return null;
  const [y, m] = birthDate.split('-').map(Number);
  const month = y * 12 + (m - 1) + step.ageMonths;
  const year = Math.floor(month / 12);
  const lastDay = new Date(Date.UTC(year, (month % 12) + 1, 0)).getUTCDate();
  return `${year}-${pad((month % 12) + 1)}-${pad(lastDay)}`;
}

/** 738 → { years: 61, months: 6 }. */
export function ageParts(ageMonths: number): { years: number; months: number } {
  return { years: Math.floor(ageMonths / 12), months: ageMonths % 12 };
}
