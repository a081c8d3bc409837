import {
  base32,
  formatDateVi,
  formatNumberVi,
  formatSerial,
  isoDateVi,
  newVerificationCode,
  SERIAL_PATTERN,
  serialYear,
  VERIFICATION_CODE_PATTERN,
} from './certificate-format';

describe('formatSerial', () => {
  it('pads the per-year sequence to six digits', () => {
    expect(formatSerial(2026, 1)).toBe('GCN-2026-000001');
    expect(formatSerial(2026, 42)).toBe('GCN-2026-000042');
    expect(formatSerial(2027, 999_999)).toBe('GCN-2027-999999');
    expect(formatSerial(2026, 7)).toMatch(SERIAL_PATTERN);
  });

  it('refuses sequences that do not fit', () => {
    expect(() => formatSerial(2026, 0)).toThrow(RangeError);
    expect(() => formatSerial(2026, 1_000_000)).toThrow(RangeError);
    expect(() => formatSerial(2026, 1.5)).toThrow(RangeError);
    expect(() => formatSerial(26, 1)).toThrow(RangeError);
  });
});

describe('dates in Vietnam time', () => {
  it('writes dd/MM/yyyy and counts the year in UTC+7', () => {
    const lateUtc = new Date('2026-12-31T18:30:00Z'); // 01:30 on 1 January 2027 in Hà Nội
    expect(formatDateVi(lateUtc)).toBe('01/01/2027');
    expect(isoDateVi(lateUtc)).toBe('2027-01-01');
    expect(serialYear(lateUtc)).toBe(2027);
    expect(formatDateVi(new Date('2026-03-05T02:00:00Z'))).toBe('05/03/2026');
  });
});

describe('verification codes', () => {
  it('encodes base32 as RFC 4648 does', () => {
    expect(base32(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32(Buffer.from('f'))).toBe('MY');
  });

  it('gives 24 unguessable characters, different each time', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => newVerificationCode()));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(VERIFICATION_CODE_PATTERN);
  });
});

describe('formatNumberVi', () => {
  it('uses the decimal comma', () => {
    expect(formatNumberVi(8.5)).toBe('8,5');
    expect(formatNumberVi(24)).toBe('24');
  });
});
