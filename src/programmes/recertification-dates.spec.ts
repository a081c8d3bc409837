import {
  cycleDates,
  dueOnFor,
  nextDueOnFor,
  shortestValidityDays,
  windowTooLong,
} from './recertification-dates';
import { addDays, addMonths } from '../common/dates/calendar';

describe('recertification dates', () => {
  it('adds months clamping to the end of a shorter month', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2026-08-31', 36)).toBe('2029-08-31');
    expect(addMonths('2026-10-31', 1)).toBe('2026-11-30');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-11-30', 90)).toBe('2027-02-28');
  });

  it('computes due, expiry, window and the next due date', () => {
    const policy = {
      dueRule: { kind: 'days_after_assignment' as const, days: 90 },
      validityMonths: 36,
      windowDays: 60,
    };
    expect(cycleDates(policy, '2027-01-31', '2026-11-30')).toEqual({
      dueOn: '2027-02-28',
      expiresOn: '2030-01-31',
      windowOpensOn: '2029-12-02',
      nextDueOn: '2030-01-31', // 2029-12-02 + 90 days is after the expiry: the expiry wins
    });
    expect(
      cycleDates({ ...policy, dueRule: { kind: 'days_after_assignment', days: 30 } }, '2027-01-31'),
    ).toMatchObject({
      dueOn: null,
      nextDueOn: '2030-01-01',
    });
  });

  it('a fixed date is the due date of the first cycle only', () => {
    const rule = { kind: 'fixed_date' as const, date: '2027-06-30' };
    expect(dueOnFor(rule, '2026-01-01')).toBe('2027-06-30');
    expect(nextDueOnFor(rule, '2029-05-01', '2029-06-30')).toBe('2029-06-30');
    expect(cycleDates({ dueRule: rule, validityMonths: 1, windowDays: 0 }, '2027-03-31')).toEqual({
      dueOn: '2027-06-30',
      expiresOn: '2027-04-30',
      windowOpensOn: '2027-04-30',
      nextDueOn: '2027-04-30',
    });
  });

  it('knows the fewest days a validity in months can last, by brute force over real dates', () => {
    // Every completion day of 2095–2105: leap years, 2100 which is not one, every month end.
    const bruteForce = (months: number) => {
      let least = Infinity;
      for (let day = Date.UTC(2095, 0, 1); day < Date.UTC(2106, 0, 1); day += 864e5) {
        const from = new Date(day).toISOString().slice(0, 10);
        const to = addMonths(from, months);
        least = Math.min(least, (Date.parse(to) - Date.parse(from)) / 864e5);
      }
      return least;
    };
    for (const months of [1, 2, 11, 12, 13, 36, 48]) {
      expect(shortestValidityDays(months)).toBe(bruteForce(months));
    }
    expect([1, 12, 36, 48].map(shortestValidityDays)).toEqual([28, 365, 1095, 1460]);
  });

  it('a recertification window must be shorter than the validity at its shortest', () => {
    expect(windowTooLong(36, 1094)).toBeNull();
    expect(windowTooLong(36, 1095)).toBe(1094);
    expect(windowTooLong(1, 27)).toBeNull();
    expect(windowTooLong(1, 28)).toBe(27);
    expect(windowTooLong(12, 0)).toBeNull();
  });
});
