import { FixedClock, SystemClock } from './clock';

describe('Clock', () => {
  it('reads today in Vietnam from the instant', () => {
    const clock = new FixedClock('2026-12-31T18:30:00Z'); // 01:30 on 1 January in Hà Nội
    expect(clock.todayVn()).toBe('2027-01-01');
  });

  it('takes a bare date as noon of that day in Vietnam, and moves when told', () => {
    const clock = new FixedClock('2030-02-28');
    expect(clock.todayVn()).toBe('2030-02-28');
    expect(clock.advanceDays(1).todayVn()).toBe('2030-03-01');
    expect(clock.set('2031-01-01').todayVn()).toBe('2031-01-01');
    expect(clock.advance(-13 * 3_600_000).todayVn()).toBe('2030-12-31');
  });

  it('hands out copies, so a caller cannot move the clock', () => {
    const clock = new FixedClock('2030-01-01T00:00:00Z');
    clock.now().setFullYear(1999);
    expect(clock.now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });

  it('refuses what is not a time', () => {
    expect(() => new FixedClock('tomorrow')).toThrow(RangeError);
  });

  it('the system clock is the machine time', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
