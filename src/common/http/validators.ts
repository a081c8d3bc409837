import { Transform } from 'class-transformer';
import { registerDecorator, ValidateIf, ValidationOptions } from 'class-validator';

/** A real calendar date written yyyy-MM-dd (rejects 2026-02-30, which IsDateString lets through). */
export function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIsoDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a real date as yyyy-MM-dd`, ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
          const d = new Date(`${value}T00:00:00Z`);
          return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
        },
      },
    });
}

/**
 * A finite number with at most `places` decimals, whatever way it is written (1e-7, 0.1 + 0.2).
 * Replaces class-validator's IsNumber({ maxDecimalPlaces }), which throws on numbers whose text
 * is in exponent form (a 500 for `1e-7`). Decimals are counted on the value, with a tolerance for
 * binary floating point, so 2.3 passes with one place and 2.25 does not.
 */
export function IsDecimal(places: number, options?: ValidationOptions): PropertyDecorator {
  const scale = 10 ** places;
  return (target, propertyName) =>
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
        validate(value: unknown) {
          if (typeof value !== 'number' || !Number.isFinite(value)) return false;
          const scaled = value * scale;
          return Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, Math.abs(scaled));
        },
      },
    });
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
