import { QueryFailedError } from 'typeorm';

/**
 * True when a query failed on a unique (23505) or exclusion (23P01) constraint — the named one
 * when given. Services turn it into the domain error of the invariant the constraint holds.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driver = error.driverError as { code?: string; constraint?: string };
  return (
    (driver?.code === '23505' || driver?.code === '23P01') &&
    (constraint === undefined || driver.constraint === constraint)
  );
}
