import { registerDecorator, ValidationOptions } from 'class-validator';

/**
 * A yyyy-MM-dd date not before (or, with `strict`, after) the date in another field of the same
 * body. Compares only when both are strings; their format is checked by IsIsoDateIn. The strict
 * form is its own constraint (isAfter), so that an end equal to the start is told "must be
 * after", not "must not be earlier".
 */
export function IsNotBefore(
  otherField: string,
  strict = false,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: strict ? 'isAfter' : 'isNotBefore',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [otherField],
      options: {
        message: `${String(propertyName)} must be ${strict ? 'after' : 'on or after'} ${otherField}`,
        ...options,
      },
      validator: {
        validate(value: unknown, args) {
          const other = (args?.object as Record<string, unknown>)[otherField];
          if (typeof value !== 'string' || typeof other !== 'string') return true;
          return strict ? value > other : value >= other;
        },
      },
    });
}
