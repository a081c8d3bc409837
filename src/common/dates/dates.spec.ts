import { addDays, addMonths, addYears, dayAfter, daysBetween, minDate } from './calendar';
import { dmy, formatDateVi, isoDateVi, isoToVi, todayVn, yearVn } from './vietnam-dates';

describe('dates in Vietnam time', () => {
  it('reads the calendar day and year in UTC+7, whatever the server zone', () => {
    const lateUtc = new Date('2026-12-31T18:30:00Z'); // 01:30 on 1 January 2027 in Hà Nội
    expect(formatDateVi(lateUtc)).toBe('01/01/2027');
    expect(isoDateVi(lateUtc)).toBe('2027-01-01');
    expect(todayVn(lateUtc)).toBe('2027-01-01');
    expect(yearVn(lateUtc)).toBe(2027);
    expect(formatDateVi(new Date('2026-03-05T02:00:00Z'))).toBe('05/03/2026');
  });

  it('writes ISO dates as dd/MM/yyyy: strictly, or echoing what is not a date', () => {
    expect(isoToVi('2038-06-30')).toBe('30/06/2038');
    expect(() => isoToVi('30/06/2038')).toThrow(RangeError);
    expect(dmy('2038-06-30')).toBe('30/06/2038');
    expect(dmy('hôm qua')).toBe('hôm qua');
  });
});

describe('calendar arithmetic', () => {
  it('clamps month and year steps to the end of a shorter month, as PostgreSQL does', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2027-03-31', -1)).toBe('2027-02-28');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', -4)).toBe('2020-02-29');
  });

  it('steps days across months and years', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(dayAfter('2029-12-31')).toBe('2030-01-01');
    expect(daysBetween('2026-12-25', '2027-01-01')).toBe(7);
    expect(minDate('2027-01-01', '2026-12-31')).toBe('2026-12-31');
  });

  it('refuses what is not an ISO date', () => {
    expect(() => addDays('31/12/2025', 1)).toThrow(RangeError);
  });
});
