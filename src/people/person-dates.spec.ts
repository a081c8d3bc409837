import { birthDateRange, birthdayAt } from './person-dates';
import { addDays, addYears } from '../common/dates/calendar';

describe('person dates', () => {
  it('adds years, keeping 29 February only in leap years', () => {
    expect(addYears('2026-12-05', -16)).toBe('2010-12-05');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', -4)).toBe('2020-02-29');
  });

  it('adds days across months and years', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('allows aged 16 on the day of the 16th birthday, and 80 until the day before the 81st', () => {
    expect(birthDateRange('2026-12-05')).toEqual({ earliest: '1945-12-06', latest: '2010-12-05' });
    expect(birthDateRange('2026-03-01', { min: 18, max: 60 })).toEqual({
      earliest: '1965-03-02',
      latest: '2008-03-01',
    });
  });

  it('finds the day a person reaches an age', () => {
    expect(birthdayAt('1990-07-15', 16)).toBe('2006-07-15');
  });
});
