import { validateSync } from 'class-validator';
import { CALENDAR_RANGE } from '../dates/date-range';
import { IsIsoDateIn } from './date-validators';
import { flattenValidationErrors, translateDetails } from './validation';

class Body {
  @IsIsoDateIn()
  on: unknown;

  @IsIsoDateIn({ min: '2000-01-01', max: '2030-12-31' })
  within: unknown = '2026-01-01';

  @IsIsoDateIn(CALENDAR_RANGE)
  any: unknown = '2026-01-01';
}

function failures(values: Partial<Body>): string[] {
  const body = Object.assign(new Body(), { on: '2026-01-01' }, values);
  return flattenValidationErrors(validateSync(body)).map((d) => d.field);
}

describe('IsIsoDateIn', () => {
  it('takes a real day inside the range', () => {
    expect(failures({ on: '1900-01-01' })).toEqual([]);
    expect(failures({ on: '2100-12-31', within: '2030-12-31', any: '9999-12-31' })).toEqual([]);
    expect(failures({ any: '0001-01-01' })).toEqual([]);
  });

  it.each(['9999-12-31', '0001-01-01', '2026-02-30', '2101-01-01', '1899-12-31', 'soon', 20260101])(
    'refuses %p naming the field',
    (on) => {
      expect(failures({ on })).toEqual(['on']);
    },
  );

  it('keeps to a narrower range and refuses an unreal day even in the widest', () => {
    expect(failures({ within: '1999-12-31' })).toEqual(['within']);
    expect(failures({ any: '2026-02-30' })).toEqual(['any']);
  });

  it('tells the allowed days in both languages', () => {
    const raw = flattenValidationErrors(
      validateSync(Object.assign(new Body(), { on: '9999-12-31' })),
    );
    expect(translateDetails(raw, 'vi')).toEqual([
      {
        field: 'on',
        message:
          'Phải là ngày có thật theo định dạng yyyy-MM-dd, từ 01/01/1900 đến 31/12/2100 (ví dụ 2026-12-31).',
      },
    ]);
    expect(translateDetails(raw, 'en')[0].message).toBe(
      'Must be a real date written yyyy-MM-dd, from 01/01/1900 to 31/12/2100 (e.g. 2026-12-31).',
    );
  });
});
