import {
  base32,
  formatSerial,
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

describe('serial year', () => {
  it('counts the year in UTC+7', () => {
    expect(serialYear(new Date('2026-12-31T18:30:00Z'))).toBe(2027); // 01:30 on 1 January in Hà Nội
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
