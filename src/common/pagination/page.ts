import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DateRange, isIsoDateWithin } from '../dates/date-range';
import { detail, DomainError } from '../errors/domain-error';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (nextCursor)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Keyset cursors: the sort key of the last row, opaque to clients. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * What one position of a keyset cursor holds. Every position is checked for its kind and its
 * range, so whatever a client sends as a cursor either names a real key or answers 400
 * INVALID_CURSOR: nothing malformed reaches SQL, where it would be a 500.
 * - 'text': a string of at most CURSOR_TEXT_MAX characters, well-formed, without NUL;
 * - 'uuid': a uuid;
 * - 'int': an integer within PostgreSQL's integer (the keys are years and version numbers);
 * - 'date': a real yyyy-MM-dd day from 1900-01-01 to 9999-12-31;
 * - 'timestamp': an ISO 8601 instant (offset within ±14:00, at most microseconds) from 1900 to
 *   year 9999, handed back in the one form the lists encode, UTC with six decimals;
 * - a list of strings: one of them (an enum's values).
 */
export type CursorPart = 'text' | 'uuid' | 'int' | 'date' | 'timestamp' | readonly string[];

/** The decoded cursor: a number for an 'int' position, a string for every other. */
export type CursorValues<S extends readonly CursorPart[]> = {
  -readonly [K in keyof S]: S[K] extends 'int' ? number : string;
};

/** The longest sort key a list pages on (a name’s sort key is at most 210); the cursor itself is at most 500 characters (PageQueryDto). */
export const CURSOR_TEXT_MAX = 300;
/** Dates and instants in a cursor: any a list can hold (the API refuses dates outside). */
const CURSOR_DATES: DateRange = { min: '1900-01-01', max: '9999-12-31' };
const INT4_MIN = -2_147_483_648;
const INT4_MAX = 2_147_483_647;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;
const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * An ISO 8601 instant as PostgreSQL reads it without surprise: a real day, a time of day below
 * 24:00, an offset within ±14:00, at most microseconds. Gives it back in UTC with six decimals
 * (2026-01-01T07:00:00.000000Z for 2026-01-01T14:00:00+07:00), or null.
 */
export function canonicalInstant(value: string, range: DateRange = CURSOR_DATES): string | null {
  const m = INSTANT.exec(value);
  if (!m) return null;
  const [, date] = /^(\d{4}-\d{2}-\d{2})/.exec(value) ?? [];
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (!date || !isIsoDateWithin(date, range) || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  let offset = 0;
  if (!m[8]) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (om > 59) return null;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
    if (Math.abs(offset) > MAX_OFFSET_MINUTES) return null;
  }
  const ms =
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hour, minute, second) - offset * 60_000;
  const utc = new Date(ms).toISOString();
  // The instant itself, once in UTC, stays in the range (9999-12-31T23:00-14:00 would not).
  if (!isIsoDateWithin(utc.slice(0, 10), range)) return null;
  return `${utc.slice(0, 19)}.${(m[7] ?? '').padEnd(6, '0')}Z`;
}

function readPart(value: unknown, part: CursorPart): string | number | undefined {
  if (part === 'int') {
    return typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= INT4_MIN &&
      value <= INT4_MAX
      ? value
      : undefined;
  }
  if (typeof value !== 'string') return undefined;
  if (typeof part !== 'string') return part.includes(value) ? value : undefined;
  switch (part) {
    case 'uuid':
      return UUID.test(value) ? value.toLowerCase() : undefined;
    case 'date':
      return isIsoDateWithin(value, CURSOR_DATES) ? value : undefined;
    case 'timestamp':
      return canonicalInstant(value) ?? undefined;
    case 'text':
      return value.length <= CURSOR_TEXT_MAX &&
        !value.includes('\u0000') &&
        !LONE_SURROGATE.test(value)
        ? value
        : undefined;
  }
}

/** The 400 of a cursor that is not the nextCursor of a page of this list. */
export function invalidCursor(): DomainError {
  return new DomainError('INVALID_CURSOR', {}, [
    detail(
      'cursor',
      'Con trỏ không hợp lệ: hãy dùng đúng nextCursor của trang trước.',
      'Invalid cursor: pass the nextCursor of the previous page as it is.',
    ),
  ]);
}

/**
 * Reads a cursor made by `encodeCursor`: base64url of a JSON array with one value per position
 * of `shape`, each of its kind and range (see CursorPart). The one decoder of every keyset list.
 * No cursor gives null; anything else than a cursor of this shape answers 400 INVALID_CURSOR.
 */
export function decodeCursor<const S extends readonly CursorPart[]>(
  cursor: string | undefined,
  shape: S,
): CursorValues<S> | null {
  if (cursor === undefined || cursor === '') return null;
  let parsed: unknown;
  try {
    if (!BASE64URL.test(cursor)) throw invalidCursor();
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length) throw invalidCursor();
  const values = parsed.map((value: unknown, i) => readPart(value, shape[i]));
  if (values.some((v) => v === undefined)) throw invalidCursor();
  return values as CursorValues<S>;
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only tells that more exist.
 */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  keyOf: (row: R) => (string | number)[],
  map: (row: R) => T,
): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    nextCursor: hasMore && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
