import { Transform } from 'class-transformer';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Vietnamese phone numbers, decided with libphonenumber-js (full metadata, region VN) rather than
 * a hand-written pattern, so the list of allocated prefixes stays the library's to keep.
 *
 * Accepted: a number of Vietnam that the numbering plan allocates to a mobile or a fixed line —
 * - mobile: 0 + 9 digits on an allocated prefix of 03x, 05x, 07x, 08x, 09x (0912 345 678);
 * - landline: 02 + area code + subscriber, 11 digits in all since the 2017 renumbering
 *   (024 3826 1234, 0203 3825 123);
 * written nationally (0…) or internationally (+84…, 0084…), with spaces, dots or hyphens
 * between the digits. Refused: anything else — a date such as 2026-02-30, unallocated
 * prefixes (071…, 0992…), too few or too many digits, service numbers (1800 …, 1900 …), VoIP
 * ranges, numbers of other countries and text around the digits.
 *
 * Stored normalised, in the form people in Vietnam dial and read: the national number with its
 * leading 0 and no separators (0912345678, 02438261234), whatever form it was given in.
 */
const WRITTEN = /^\+?[0-9][0-9 .-]{6,22}[0-9]$/;

/** The normalised form (0912345678) of a valid Vietnamese mobile or landline number, else null. */
export function normaliseVietnamesePhone(value: string): string | null {
  const text = value.trim();
  if (!WRITTEN.test(text) || /[ .-]{2}/.test(text)) return null;
  const digits = text.replace(/[ .-]/g, '');
  const parsed = parsePhoneNumberFromString(digits, 'VN');
  if (!parsed || parsed.country !== 'VN' || !parsed.isValid()) return null;
  const type = parsed.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE' && type !== 'FIXED_LINE_OR_MOBILE') return null;
  return `0${parsed.nationalNumber}`;
}

/**
 * A Vietnamese mobile or landline number (see normaliseVietnamesePhone), rewritten to its
 * normalised form before validation; a value that is not one is left as given, to be refused by
 * the validator with the field named.
 */
export function IsVietnamesePhone(options?: ValidationOptions): PropertyDecorator {
  const normalise = Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (normaliseVietnamesePhone(value) ?? value) : value,
  );
  return (target, propertyName) => {
    normalise(target, propertyName);
    registerDecorator({
      name: 'isPhone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `${String(propertyName)} must be a Vietnamese mobile or landline number`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && normaliseVietnamesePhone(value) === value,
      },
    });
  };
}
