import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsArray, IsOptional, validateSync, ValidationError } from 'class-validator';
import { decimalPlaces, IsDecimal, IsNestedObject } from './validators';

class Hours {
  @IsDecimal(1, 0.5, 2000)
  hours: unknown;
}

class Score {
  @IsDecimal(2, 0, 100)
  score: unknown;
}

const constraintsOf = (errors: ValidationError[]) =>
  errors.map((e) => Object.keys(e.constraints ?? {}));

const hoursErrors = (hours: unknown) =>
  constraintsOf(validateSync(plainToInstance(Hours, { hours })));
const scoreErrors = (score: unknown) =>
  constraintsOf(validateSync(plainToInstance(Score, { score })));

describe('decimalPlaces', () => {
  it('counts the decimals of the number as JSON writes it, exponent forms included', () => {
    expect(decimalPlaces(24)).toBe(0);
    expect(decimalPlaces(2.3)).toBe(1);
    expect(decimalPlaces(-3.25)).toBe(2);
    expect(decimalPlaces(0.1234567)).toBe(7);
    expect(decimalPlaces(1e-7)).toBe(7);
    expect(decimalPlaces(1.5e-3)).toBe(4);
    expect(decimalPlaces(1e21)).toBe(0);
    expect(decimalPlaces(1.5e21)).toBe(0);
    expect(decimalPlaces(-0)).toBe(0);
    expect(decimalPlaces(0.1 + 0.2)).toBe(17);
  });
});

describe('IsDecimal', () => {
  it('accepts numbers in range with at most the declared decimals, however written', () => {
    for (const ok of [0.5, 24, 2.3, 1999.9, 2000, 1e3, 2.5e-1 * 2]) {
      expect(hoursErrors(ok)).toEqual([]);
    }
    for (const ok of [0, -0, 86.5, 99.99, 100, 1e-2]) expect(scoreErrors(ok)).toEqual([]);
  });

  it('refuses more decimals than the column keeps, rather than letting SQL round them', () => {
    for (const bad of [2.25, 0.1234567, 1e-7, 1.5e-3, 0.1 + 0.2]) {
      expect(hoursErrors(bad)[0]).toContain('isDecimal');
    }
    for (const bad of [1e-7, 5e-3, 86.505, 0.1234567])
      expect(scoreErrors(bad)).toEqual([['isDecimal']]);
  });

  it('refuses what is out of range, not a finite number, or not a number at all', () => {
    for (const bad of [0.4, 0, -1, -1e21]) expect(hoursErrors(bad)).toEqual([['min']]);
    for (const bad of [2000.5, 1e21, Number.MAX_VALUE]) expect(hoursErrors(bad)).toEqual([['max']]);
    for (const bad of [Number.NaN, Infinity, -Infinity, '24', '1e-7', null, true, [24], {}]) {
      expect(hoursErrors(bad)[0]).toContain('isDecimal');
    }
  });

  it('hands on a value whose text SQL reads as a plain decimal: never exponent form, never -0', () => {
    const score = plainToInstance(Score, { score: -0 }).score;
    expect(Object.is(score, 0)).toBe(true);
    // Every accepted value of the widest scale and range is written without an exponent.
    for (const v of [0.000001, 0.5, 1, 99.99, 1e6]) expect(String(v)).not.toMatch(/e/i);
  });

  it('refuses a declaration whose values could reach SQL in exponent form', () => {
    expect(() => IsDecimal(7, 0, 1)).toThrow();
    expect(() => IsDecimal(2, 0, 1e21)).toThrow();
    expect(() => IsDecimal(2, 10, 0)).toThrow();
  });
});

class Item {
  @IsOptional()
  @IsArray()
  tags?: unknown;
}

class Holder {
  @IsOptional()
  @IsArray()
  @IsNestedObject(() => Item, { each: true })
  items?: unknown;

  @IsOptional()
  @IsNestedObject(() => Item)
  item?: unknown;
}

const holderErrors = (plain: object) => {
  const flat: string[] = [];
  const walk = (errors: ValidationError[], prefix: string) => {
    for (const e of errors) {
      const field = prefix ? `${prefix}.${e.property}` : e.property;
      if (e.constraints) flat.push(field);
      walk(e.children ?? [], field);
    }
  };
  walk(validateSync(plainToInstance(Holder, plain)), '');
  return flat;
};

describe('IsNestedObject', () => {
  it('accepts objects, alone or in a list', () => {
    expect(holderErrors({ items: [{}, { tags: [] }], item: { tags: [] } })).toEqual([]);
  });

  it('refuses anything but an object in a list of objects', () => {
    for (const bad of [[[]], [[{}]], [null], [1], ['x'], [true]]) {
      expect(holderErrors({ items: bad })).toContain('items');
    }
    expect(holderErrors({ items: {} })).toContain('items');
    expect(holderErrors({ items: 'x' })).toContain('items');
  });

  it('refuses anything but an object where one object is expected', () => {
    for (const bad of [[], [{}], 1, 'x', true])
      expect(holderErrors({ item: bad })).toContain('item');
  });
});
