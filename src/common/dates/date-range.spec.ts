import { CALENDAR_RANGE, DATE_RANGE, isIsoDateWithin, isRealIsoDate } from './date-range';

describe('calendar date ranges', () => {
  it('knows which days exist', () => {
    for (const day of ['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2026-04-30']) {
      expect(isRealIsoDate(day)).toBe(true);
    }
    for (const day of [
      '2026-02-29',
      '1900-02-29',
      '2026-02-30',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-01-00',
      '0000-01-01',
      '2026-1-1',
      '20260101',
      '2026-01-01T00:00:00Z',
      ' 2026-01-01',
      20260101,
      null,
    ]) {
      expect(isRealIsoDate(day)).toBe(false);
    }
  });

  it('holds dates to 1900-01-01 … 2100-12-31 by default, both included', () => {
    expect(isIsoDateWithin('1900-01-01')).toBe(true);
    expect(isIsoDateWithin('2100-12-31')).toBe(true);
    expect(isIsoDateWithin('1899-12-31')).toBe(false);
    expect(isIsoDateWithin('2101-01-01')).toBe(false);
    expect(isIsoDateWithin('9999-12-31', DATE_RANGE)).toBe(false);
    expect(isIsoDateWithin('9999-12-31', CALENDAR_RANGE)).toBe(true);
    expect(isIsoDateWithin('0001-01-01', CALENDAR_RANGE)).toBe(true);
    expect(isIsoDateWithin('2026-02-30', CALENDAR_RANGE)).toBe(false);
  });
});
