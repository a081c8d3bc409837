import {
  ageOn,
  canTransition,
  checkWorkingYears,
  mergeRules,
  targetOf,
  yearsBetween,
} from './planning-rules';
import { DEFAULT_PLANNING_RULES } from './planning.types';
import { retirementDate } from './retirement';

describe('planning rules', () => {
  const rules = DEFAULT_PLANNING_RULES;
  const check = (birthDate: string | null, gender: 'male' | 'female' | null, r = rules) =>
    checkWorkingYears(
      { birthDate, gender },
      birthDate && gender ? retirementDate(birthDate, gender) : null,
      '2028-07-01',
      r,
    );

  it('keeps only the known rules when merging, whatever a stored set carries', () => {
    expect(mergeRules(rules, { maxNomineesPerPost: 2 })).toEqual({
      ...rules,
      maxNomineesPerPost: 2,
    });
    const stored = { ...rules, retirementAge: { male: 62, female: 60 } } as typeof rules;
    expect(mergeRules(stored)).toEqual(rules);
    expect(mergeRules({ womenTarget: 0.3 })).toEqual({ ...rules, womenTarget: 0.3 });
  });

  it('needs 10 working years at the term start by the statutory retirement date', () => {
    // Term from 2028-07-01: a man born 1976-07-01 retires at 62 on 2038-07-31 (month's end).
    expect(check('1976-07-01', 'male')).toEqual({
      ok: true,
      retirementDate: '2038-07-31',
      yearsLeft: 10,
    });
    // Born a day earlier: he reaches 62 in June, retires 2038-06-30, a day short.
    expect(check('1976-06-30', 'male')).toMatchObject({
      ok: false,
      reason: 'too_few_years',
      retirementDate: '2038-06-30',
      yearsLeft: 9.9,
    });
    // A woman born the same day retires at 60, in 2036.
    expect(check('1976-07-01', 'female')).toMatchObject({
      ok: false,
      retirementDate: '2036-07-31',
      yearsLeft: 8,
    });
    // A woman born 03/1970 is on the roadmap: 57 years 4 months, not a flat 60.
    expect(check('1970-03-20', 'female')).toMatchObject({
      ok: false,
      retirementDate: '2027-07-31',
      yearsLeft: 0,
    });
    expect(check(null, 'male')).toEqual({ ok: false, reason: 'birth_date_missing' });
    expect(check('1990-01-01', null)).toEqual({ ok: false, reason: 'gender_missing' });
    // Configurable: 5 years are enough under a relaxed rule.
    expect(check('1976-06-30', 'female', mergeRules(rules, { minWorkingYearsLeft: 5 })).ok).toBe(
      true,
    );
  });

  it('counts years between dates by whole months', () => {
    expect(yearsBetween('2028-07-01', '2038-07-01')).toBe(10);
    expect(yearsBetween('2028-07-01', '2034-01-01')).toBe(5.5);
    expect(yearsBetween('2028-07-01', '2028-06-01')).toBeLessThan(0);
  });

  it('computes ages and target shares', () => {
    expect(ageOn('1986-05-17', '2026-05-16')).toBe(39);
    expect(ageOn('1986-05-17', '2026-05-17')).toBe(40);
    expect(targetOf(1, 4, 0.25)).toEqual({
      count: 1,
      total: 4,
      share: 0.25,
      target: 0.25,
      met: true,
    });
    expect(targetOf(1, 3, 0.5)).toMatchObject({ share: 0.3333, met: false });
    expect(targetOf(0, 0, 0.15)).toMatchObject({ share: 0, met: false });
  });

  it('allows only the forward status changes (and sending a submitted list back)', () => {
    expect(canTransition('draft', 'open')).toBe(true);
    expect(canTransition('draft', 'closed')).toBe(true);
    expect(canTransition('open', 'closed')).toBe(false);
    expect(canTransition('open', 'submitted')).toBe(true);
    expect(canTransition('submitted', 'open')).toBe(true);
    expect(canTransition('submitted', 'approved')).toBe(true);
    expect(canTransition('approved', 'closed')).toBe(true);
    expect(canTransition('draft', 'approved')).toBe(false);
    expect(canTransition('closed', 'open')).toBe(false);
    expect(canTransition('approved', 'open')).toBe(false);
  });
});
