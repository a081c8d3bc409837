import { registerDecorator, ValidationOptions } from 'class-validator';
import { DATE_RANGE, DateRange, isIsoDateWithin } from '../dates/date-range';

/**
 * A calendar date field: a real day written yyyy-MM-dd, from range.min to range.max (by default
 * DATE_RANGE, 1900-01-01 to 2100-12-31). The one validator of every date in a body or a query,
 * so that 2026-02-30, 0001-01-01 or 9999-12-31 answer 400 naming the field instead of reaching
 * date arithmetic or SQL. Its constraint (isDateInRange) carries the range, so the message
 * tells the caller which days are allowed.
 */
export function IsIsoDateIn(range: DateRange = DATE_RANGE, options?: ValidationOptions) {
  return (target: object, propertyName: string | symbol): void =>
    registerDecorator({
      name: 'isDateInRange',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [range.min, range.max],
      options: {
        message: `${String(propertyName)} must be a real date written yyyy-MM-dd from ${range.min} to ${range.max}`,
        ...options,
      },
      validator: { validate: (value: unknown) => isIsoDateWithin(value, range) },
    });
}
