import type { INestApplication } from '@nestjs/common';
import { Clock, FixedClock } from '../../src/common/clock/clock';

export interface SetClock {
  /** The clock the app now reads: set(), advance() and advanceDays() move it. */
  clock: FixedClock;
  /** Gives the app its system clock back (call in afterAll: an app may serve several suites). */
  restore(): void;
}

/**
 * Stops the app's Clock at `at` (a bare yyyy-MM-dd is noon that day in Vietnam). Every service
 * shares the one global Clock instance, so its now() is pointed at a FixedClock rather than the
 * provider replaced: the app keeps running and no service is built again.
 */
export function useFixedClock(app: INestApplication, at: Date | string): SetClock {
  const fixed = new FixedClock(at);
  const spy = jest.spyOn(app.get(Clock), 'now').mockImplementation(() => fixed.now());
  return { clock: fixed, restore: () => spy.mockRestore() };
}
