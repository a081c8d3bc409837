import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
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

/** What one position of a keyset cursor holds; a uuid is checked so it never reaches SQL malformed. */
export type CursorPart = 'string' | 'number' | 'uuid';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fitsPart(value: unknown, part: CursorPart | undefined): boolean {
  if (typeof value === 'number')
    return (part === undefined || part === 'number') && isFinite(value);
  if (typeof value !== 'string' || value.includes('\u0000')) return false;
  return part === 'uuid' ? UUID.test(value) : part !== 'number';
}

/**
 * Reads a cursor made by `encodeCursor`. `shape` is either the number of positions (each a string
 * or a number) or the kind of each position. Anything else answers 400 INVALID_CURSOR.
 */
export function decodeCursor(
  cursor: string | undefined,
  shape: number | readonly CursorPart[],
): (string | number)[] | null {
  if (!cursor) return null;
  const parts = typeof shape === 'number' ? undefined : shape;
  const arity = typeof shape === 'number' ? shape : shape.length;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === arity &&
      parsed.every((v, i) => fitsPart(v, parts?.[i]))
    ) {
      return parsed as (string | number)[];
    }
  } catch {
    // fall through to the stable error below
  }
  throw new DomainError('INVALID_CURSOR', {}, [
    detail(
      'cursor',
      'Con trỏ không hợp lệ: hãy dùng đúng nextCursor của trang trước.',
      'Invalid cursor: pass the nextCursor of the previous page as it is.',
    ),
  ]);
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
