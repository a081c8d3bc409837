import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsVietnamesePhone, normaliseVietnamesePhone } from './phone';

class Contact {
  @IsVietnamesePhone()
  phone: unknown;
}

const check = (phone: unknown) => {
  const c = plainToInstance(Contact, { phone });
  return { value: c.phone, errors: validateSync(c).map((e) => Object.keys(e.constraints ?? {})) };
};

describe('Vietnamese phone numbers', () => {
  it('normalises mobiles on every allocated prefix, written nationally or internationally', () => {
    for (const [given, stored] of [
      ['0912345678', '0912345678'],
      ['0912 345 678', '0912345678'],
      ['0912.345.678', '0912345678'],
      ['0912-345-678', '0912345678'],
      ['+84 912 345 678', '0912345678'],
      ['+84912345678', '0912345678'],
      ['0084 912 345 678', '0912345678'],
      ['0312345678', '0312345678'],
      ['0562345678', '0562345678'],
      ['0702345678', '0702345678'],
      ['0862345678', '0862345678'],
      ['  0983 000 111 ', '0983000111'],
    ]) {
      expect([given, normaliseVietnamesePhone(given)]).toEqual([given, stored]);
    }
  });

  it('normalises landlines: 02, area code and subscriber, 11 digits', () => {
    expect(normaliseVietnamesePhone('024 3826 1234')).toBe('02438261234');
    expect(normaliseVietnamesePhone('0203.3825.123')).toBe('02033825123');
    expect(normaliseVietnamesePhone('+84 24 3826 1234')).toBe('02438261234');
  });

  it('refuses dates, wrong lengths, unallocated prefixes, service numbers, other countries, text', () => {
    for (const bad of [
      '2026-02-30',
      '30/02/2026',
      '091234567',
      '09123456789',
      '0123456789',
      '0712345678',
      '0992345678',
      '0212345678',
      '1900 1234',
      '1800 1234',
      '0672345678',
      '+1 202 555 0123',
      '+84 912 345 67',
      'call 0912345678',
      '0912  345 678',
      '0912345678 ext 2',
      '',
    ]) {
      expect([bad, normaliseVietnamesePhone(bad)]).toEqual([bad, null]);
    }
  });

  it('stores the normalised form and refuses anything else as isPhone', () => {
    expect(check('+84 912 345 678')).toEqual({ value: '0912345678', errors: [] });
    expect(check('2026-02-30')).toEqual({ value: '2026-02-30', errors: [['isPhone']] });
    expect(check(912345678)).toEqual({ value: 912345678, errors: [['isPhone']] });
  });
});
