import { validateSync } from 'class-validator';
import { IsDecimal } from './validators';

class Hours {
  @IsDecimal(1)
  hours: unknown;
}

const errorsFor = (hours: unknown) => {
  const h = new Hours();
  h.hours = hours;
  return validateSync(h).map((e) => Object.keys(e.constraints ?? {}));
};

describe('IsDecimal', () => {
  it('accepts whole numbers and one decimal, including values binary floating point blurs', () => {
    for (const ok of [0, 24, 2.3, 0.1 + 0.2, 1999.9, -3.5]) expect(errorsFor(ok)).toEqual([]);
  });

  it('refuses more decimals, exponent forms that hide them, and what is not a finite number', () => {
    for (const bad of [2.25, 1e-7, 1.5e-3, Number.NaN, Infinity, '24', null, true]) {
      expect(errorsFor(bad)).toEqual([['isDecimal']]);
    }
  });

  it('takes exponent forms that are whole or within the places', () => {
    expect(errorsFor(1e3)).toEqual([]);
    expect(errorsFor(2.5e-1 * 2)).toEqual([]);
  });
});
