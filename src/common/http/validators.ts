import { Transform, Type } from 'class-transformer';
import {
  IsObject,
  Max,
  Min,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';

/**
 * How many decimals a number has as written in JSON. The shortest text that reads back as the
 * same double (what String() gives) is what a client sent, up to digits the double cannot hold;
 * exponent forms (1e-7, 1.5e-3, 1e21) are counted by their mantissa and exponent, never by
 * splitting the text on its point (which is how IsNumber({ maxDecimalPlaces }) threw: a 500).
 */
export function decimalPlaces(value: number): number {
  const [mantissa, exponent = '0'] = String(Math.abs(value)).split('e');
  const fraction = mantissa.split('.')[1] ?? '';
  return Math.max(0, fraction.length - Number(exponent));
}

/**
 * A decimal for a `numeric(p, s)` column: a finite JSON number from `min` to `max` with at most
 * `places` decimals (the column's scale). One more decimal is refused, not rounded: a score of
 * 8.255 or 1e-7 says something the column cannot keep, and the client must be told. 0.1 + 0.2
 * computed in floating point arrives as 0.30000000000000004 and is refused for the same reason.
 *
 * An accepted value reaches SQL as a plain decimal: with places ≤ 6 nothing below 1e-6 passes
 * and with max < 1e21 nothing above, so String(value) is never in exponent form; -0 becomes 0.
 * The range is class-validator's Min and Max, so a value out of range is told which limit it
 * crossed; a value with too many decimals is told the scale.
 */
export function IsDecimal(
  places: number,
  min: number,
  max: number,
  options?: ValidationOptions,
): PropertyDecorator {
  if (!Number.isInteger(places) || places < 0 || places > 6 || !(min <= max) || max >= 1e21) {
    throw new Error(`IsDecimal(${places}, ${min}, ${max}): a scale of 0 to 6 and a finite range`);
  }
  return (target, propertyName) => {
    Transform(({ value }: { value: unknown }) => (Object.is(value, -0) ? 0 : value))(
      target,
      propertyName,
    );
    registerDecorator({
      name: 'isDecimal',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [places],
      options: {
        message: `${String(propertyName)} must be a number with at most ${places} decimal places`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isFinite(value) && decimalPlaces(value) <= places,
      },
    });
    Min(min, options)(target, propertyName);
    Max(max, options)(target, propertyName);
  };
}

/**
 * A nested object, or with `each` a list of them: `@Type` to build the class, `@IsObject` so that
 * an array, a string, a number or null in its place is refused (ValidateNested alone lets `[]`
 * and `[[]]` through, and the service then fails on them: a 500), and `@ValidateNested`.
 * Whether the field is required, and that a list is an array, stay the field's own decorators.
 */
export function IsNestedObject(
  type: () => new () => object,
  options: { each?: boolean } = {},
): PropertyDecorator {
  const each = options.each ?? false;
  return (target, propertyName) => {
    Type(type)(target, propertyName);
    IsObject({ each })(target, propertyName);
    ValidateNested({ each })(target, propertyName);
  };
}

/** Vietnamese citizen ID (CCCD): exactly 12 digits. */
export function IsNationalId(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isNationalId',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be exactly 12 digits`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^[0-9]{12}$/.test(value),
      },
    });
}

/**
 * Optional, but never null: for a field whose column is NOT NULL. `@IsOptional()` lets null
 * through to the service, where it would clear a required value or fail in SQL.
 */
export function IsOmittable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_, value) => value !== undefined, options);
}

/** Trims a string before it is validated, so that "   " does not pass as a name. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim() : value,
  );
}
