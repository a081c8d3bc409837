import { Injectable } from '@nestjs/common';
import { isoDateVi } from '../dates/vietnam-dates';

/**
 * Where services read the time (DESIGN.md: "services ask an injected clock"). Every decision by
 * the date — due dates, overdue, expiry, terms, planning, recertification windows — takes "today"
 * from here, and SQL that decides by the date gets the clock's day as a parameter rather than
 * CURRENT_DATE, so a test that sets the clock sees every rule move together.
 *
 * Timestamps of record (created_at, updated_at, published_at …) stay the database's now(): they
 * say when a row changed, not what a rule decided.
 */
export abstract class Clock {
  /** The current instant. */
  abstract now(): Date;

  /** Today's calendar date in Vietnam, yyyy-MM-dd (docs/domain.md#vietnamese-data-conventions). */
  todayVn(): string {
    return isoDateVi(this.now());
  }
}

/** The real time of the machine: the clock of every running app. */
@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * A clock that stands still until told otherwise: for unit tests that build a service by hand,
 * and for e2e tests through useFixedClock (test/support/clock.ts).
 */
export class FixedClock extends Clock {
  private at: number;

  constructor(at: Date | string = new Date()) {
    super();
    this.at = FixedClock.parse(at);
  }

  now(): Date {
    return new Date(this.at);
  }

  /** Sets the instant; a bare yyyy-MM-dd means noon of that day in Vietnam. */
  set(at: Date | string): this {
    this.at = FixedClock.parse(at);
    return this;
  }

  /** Moves the clock forward (or back, with a negative step). */
  advance(ms: number): this {
    this.at += ms;
    return this;
  }

  /** Moves the clock by whole days. */
  advanceDays(days: number): this {
    return this.advance(days * 86_400_000);
  }

  private static parse(at: Date | string): number {
    const ms =
      at instanceof Date
        ? at.getTime()
        : /^\d{4}-\d{2}-\d{2}$/.test(at)
          ? Date.parse(`${at}T12:00:00+07:00`)
          : Date.parse(at);
    if (Number.isNaN(ms)) throw new RangeError(`not a time: ${String(at)}`);
    return ms;
  }
}
