import {
  ageOn,
  canTransition,
  checkWorkingYears,
  mergeRules,
  retirementDate,
  targetOf,
  yearsBetween,
} from './planning-rules';
import { DEFAULT_PLANNING_RULES } from './planning.types';

describe('planning rules', () => {
  const rules = DEFAULT_PLANNING_RULES;

  it('computes the retirement date per gender, fractional ages in months', () => {
    expect(retirementDate('1970-05-20', 'male', rules)).toBe('2032-05-20');
    expect(retirementDate('1970-05-20', 'female', rules)).toBe('2030-05-20');
    const custom = mergeRules(rules, { retirementAge: { female: 60.75 } });
    expect(custom.retirementAge).toEqual({ male: 62, female: 60.75 });
    expect(retirementDate('1970-05-20', 'female', custom)).toBe('2031-02-20');
    // 29 February + whole years clamps to the month's last day.
    expect(retirementDate('1968-02-29', 'male', rules)).toBe('2030-02-28');
  });

  it('needs 10 working years at the term start, exactly 10 passing', () => {
    // Term from 2028-07-01: a man born 1976-07-01 retires 2038-07-01 = exactly 10 years.
    expect(
      checkWorkingYears({ birthDate: '1976-07-01', gender: 'male' }, '2028-07-01', rules),
    ).toEqual({ ok: true, retirementDate: '2038-07-01', yearsLeft: 10 });
    // One day older: 2038-06-30 < 2038-07-01.
    expect(
      checkWorkingYears({ birthDate: '1976-06-30', gender: 'male' }, '2028-07-01', rules),
    ).toMatchObject({
      ok: false,
      reason: 'too_few_years',
      retirementDate: '2038-06-30',
      yearsLeft: 9.9,
    });
    // A woman of the same birth date retires two years earlier.
    expect(
      checkWorkingYears({ birthDate: '1976-07-01', gender: 'female' }, '2028-07-01', rules),
    ).toMatchObject({ ok: false, yearsLeft: 8 });
    expect(checkWorkingYears({ birthDate: null, gender: 'male' }, '2028-07-01', rules)).toEqual({
      ok: false,
      reason: 'birth_date_missing',
    });
    expect(
      checkWorkingYears({ birthDate: '1990-01-01', gender: null }, '2028-07-01', rules),
    ).toEqual({ ok: false, reason: 'gender_missing' });
    // Configurable: 5 years are enough under a relaxed rule.
    expect(
      checkWorkingYears(
        { birthDate: '1976-06-30', gender: 'female' },
        '2028-07-01',
        mergeRules(rules, { minWorkingYearsLeft: 5 }),
      ).ok,
    ).toBe(true);
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
    expect(canTransition('open', 'submitted')).toBe(true);
    expect(canTransition('submitted', 'open')).toBe(true);
    expect(canTransition('submitted', 'approved')).toBe(true);
    expect(canTransition('approved', 'closed')).toBe(true);
    expect(canTransition('draft', 'approved')).toBe(false);
    expect(canTransition('closed', 'open')).toBe(false);
    expect(canTransition('approved', 'open')).toBe(false);
  });
});
