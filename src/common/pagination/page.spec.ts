import { DomainError } from '../errors/domain-error';
import { canonicalInstant, CURSOR_TEXT_MAX, decodeCursor, encodeCursor } from './page';

const UUID = '3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41';
const raw = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

function refused(cursor: string, shape: Parameters<typeof decodeCursor>[1]): void {
  let thrown: unknown;
  try {
    decodeCursor(cursor, shape);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(DomainError);
  expect((thrown as DomainError).code).toBe('INVALID_CURSOR');
}

describe('decodeCursor', () => {
  it('gives null without a cursor and reads back what encodeCursor wrote', () => {
    expect(decodeCursor(undefined, ['text'])).toBeNull();
    expect(decodeCursor('', ['text'])).toBeNull();
    const key = ['Nguyễn Văn A', 7, '2026-02-28', '2026-01-01T00:00:00.123456Z', UUID, 'chair'];
    expect(
      decodeCursor(encodeCursor(key), ['text', 'int', 'date', 'timestamp', 'uuid', ['chair']]),
    ).toEqual(key);
  });

  it('hands an instant back in UTC to the microsecond, whatever its offset', () => {
    const [at] = decodeCursor(raw(['2026-01-01T14:00:00+07:00']), ['timestamp'])!;
    expect(at).toBe('2026-01-01T07:00:00.000000Z');
    expect(canonicalInstant('2025-12-31T23:30:00.5-14:00')).toBe('2026-01-01T13:30:00.500000Z');
    expect(canonicalInstant('2026-01-01T00:00:00+14:00')).toBe('2025-12-31T10:00:00.000000Z');
  });

  it.each([
    ['not base64url', '!!!'],
    ['base64url of no JSON', Buffer.from('{', 'utf8').toString('base64url')],
    ['JSON that is no list', raw({ a: 1 })],
    ['too few positions', raw([UUID])],
    ['too many positions', raw(['2026-01-01T00:00:00Z', UUID, 1])],
    ['an impossible offset', raw(['2026-01-01T00:00:00+99:00', UUID])],
    ['an offset past 14:00', raw(['2026-01-01T00:00:00+14:30', UUID])],
    ['offset minutes past 59', raw(['2026-01-01T00:00:00+05:60', UUID])],
    ['a day that does not exist', raw(['2026-02-30T00:00:00Z', UUID])],
    ['hour 24', raw(['2026-01-01T24:00:00Z', UUID])],
    ['leap second', raw(['2026-01-01T23:59:60Z', UUID])],
    ['nanoseconds', raw(['2026-01-01T00:00:00.123456789Z', UUID])],
    ['no zone', raw(['2026-01-01T00:00:00', UUID])],
    ['year 0001', raw(['0001-01-01T00:00:00Z', UUID])],
    ['an instant past year 9999 in UTC', raw(['9999-12-31T23:00:00-14:00', UUID])],
    ['a number', raw([1767225600000, UUID])],
    ['a uuid that is not one', raw(['2026-01-01T00:00:00Z', 'not-a-uuid'])],
    ['a uuid with SQL', raw(['2026-01-01T00:00:00Z', `${UUID}'; DROP TABLE people; --`])],
    ['null', raw([null, UUID])],
    ['an object', raw([{}, UUID])],
  ])('refuses a timestamp cursor with %s', (_, cursor) => {
    refused(cursor, ['timestamp', 'uuid']);
  });

  it.each([
    ['2026-02-30', UUID],
    ['2026-13-01', UUID],
    ['0001-01-01', UUID],
    ['1899-12-31', UUID],
    ['10000-01-01', UUID],
    ['2026-1-1', UUID],
    ['2026-01-01T00:00:00Z', UUID],
  ])('refuses a date cursor holding %s', (...key) => {
    refused(raw(key), ['date', 'uuid']);
  });

  it.each([[2 ** 53 + 2], [2_147_483_648], [-2_147_483_649], [1.5], ['7'], [true]])(
    'refuses an integer position holding %p',
    (value) => {
      refused(raw([value, 1]), ['int', 'int']);
    },
  );

  it('refuses infinite numbers (1e400 parses as Infinity)', () => {
    refused(Buffer.from('[1e400, 1]', 'utf8').toString('base64url'), ['int', 'int']);
  });

  it('refuses text too long, with NUL or a lone surrogate, and a value off its list', () => {
    expect(decodeCursor(raw(['x'.repeat(CURSOR_TEXT_MAX), UUID]), ['text', 'uuid'])).not.toBeNull();
    refused(raw(['x'.repeat(CURSOR_TEXT_MAX + 1), UUID]), ['text', 'uuid']);
    refused(raw(['a\u0000b', UUID]), ['text', 'uuid']);
    refused(raw(['\ud800', UUID]), ['text', 'uuid']);
    refused(raw([7, UUID]), ['text', 'uuid']);
    refused(raw(['president', UUID]), [['chair', 'vice_chair'], 'uuid']);
  });
});
