import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { detail, DomainError } from '../errors/domain-error';
import { RawDetail, RequestValidationError } from './validation';

/** The largest body accepted (body-parser's default, which the API has always had): else 413. */
export const BODY_LIMIT = '100kb';

/**
 * The deepest nesting of arrays and objects a body may have, the body itself being level 1. The
 * deepest DTO (a CASE framework import) needs well under 10; class-validator recurses once per
 * level and JSON.parse slows down faster than the nesting grows, so a deep body costs CPU long
 * before it is refused by a DTO — and 2,000 levels overflowed the validator into a 500.
 */
export const MAX_BODY_DEPTH = 32;

/** At most this many ill-formed strings are named; one is enough to correct the client. */
const MAX_NAMED = 10;

const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function tooDeep(): DomainError {
  return new DomainError('MALFORMED_JSON', {}, [
    detail(
      'body',
      `Mảng và đối tượng lồng nhau quá ${MAX_BODY_DEPTH} cấp.`,
      `Arrays and objects are nested more than ${MAX_BODY_DEPTH} levels deep.`,
    ),
  ]);
}

/**
 * The deepest nesting of a JSON text in UTF-8, counted on the bytes before it is parsed: brackets
 * outside strings open and close a level. In UTF-8 the bytes of `"`, `\`, `[`, `]`, `{` and `}`
 * never occur inside another character, so no decoding is needed. Stops at the first level past
 * `limit`. A broken text gives some number; JSON.parse refuses it next anyway.
 */
export function jsonDepth(bytes: Uint8Array, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
      depth--;
    }
  }
  return deepest;
}

/**
 * body-parser's verify hook for JSON: refuses a body nested deeper than MAX_BODY_DEPTH before
 * JSON.parse runs. A charset other than UTF-8 (body-parser accepts any `utf-*`) is decoded first
 * when the platform knows it, else refused like broken JSON — RFC 8259 wants UTF-8 anyway.
 */
export function refuseDeepJson(_req: unknown, _res: unknown, buf: Buffer, encoding: string): void {
  let bytes: Uint8Array = buf;
  if (encoding !== 'utf-8' && encoding !== 'utf8') {
    let text: string;
    try {
      text = new TextDecoder(encoding).decode(buf);
    } catch {
      throw new DomainError('MALFORMED_JSON');
    }
    bytes = Buffer.from(text, 'utf8');
  }
  if (jsonDepth(bytes, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) throw tooDeep();
}

// lib is es2023 for the types; String.prototype.isWellFormed is ES2024, in every Node ≥ 20.
const isWellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();
const shown = (s: string) => (s as string & { toWellFormed(): string }).toWellFormed();
/** Text PostgreSQL can store: well-formed, and no NUL (a text value cannot hold U+0000). */
const isStorable = (s: string) => isWellFormed(s) && !s.includes('\u0000');

export type BodyProblem = { kind: 'depth' } | { kind: 'unicode'; fields: string[] } | undefined;

/**
 * Walks a parsed body, without recursion and never deeper than `maxDepth`, for what no DTO
 * should see: nesting past the limit (a form body, or JSON in a charset the scan did not read),
 * and strings or keys holding a lone UTF-16 surrogate — JSON allows "\ud800", but such a string
 * is no text: encodeURI, which validators call, throws URIError on it (a 500), and once stored it
 * would silently become U+FFFD — or a NUL ("\u0000"), which no PostgreSQL text or jsonb value can
 * hold (found by the fuzzer: a NUL in a course version's note reached the database as a 500).
 */
export function findBodyProblem(body: unknown, maxDepth = MAX_BODY_DEPTH): BodyProblem {
  const fields: string[] = [];
  if (typeof body === 'string') {
    return isStorable(body) ? undefined : { kind: 'unicode', fields: ['body'] };
  }
  if (body === null || typeof body !== 'object') return undefined;
  const pending: { value: object; path: string[] }[] = [{ value: body, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.path.length >= maxDepth) return { kind: 'depth' };
    for (const key of Object.keys(next.value)) {
      const child = (next.value as Record<string, unknown>)[key];
      const bad = !isStorable(key) || (typeof child === 'string' && !isStorable(child));
      if (bad && fields.length < MAX_NAMED) {
        fields.push([...next.path, key].map(shown).join('.'));
      }
      if (child !== null && typeof child === 'object') {
        pending.push({ value: child, path: [...next.path, key] });
      }
    }
  }
  return fields.length ? { kind: 'unicode', fields: fields.sort() } : undefined;
}

/** Refuses a parsed body that findBodyProblem finds fault with, before any guard or pipe. */
export function checkParsedBody(req: Request, _res: Response, next: NextFunction): void {
  const problem = findBodyProblem(req.body);
  if (!problem) return next();
  if (problem.kind === 'depth') return next(tooDeep());
  const details: RawDetail[] = problem.fields.map((field) => ({
    field,
    constraint: 'wellFormedText',
    vi: 'Chứa ký tự không hợp lệ trong văn bản (nửa cặp thay thế UTF-16 đứng một mình, hoặc ký tự NUL).',
    en: 'Contains a character text cannot hold (a lone UTF-16 surrogate, or NUL).',
  }));
  next(new RequestValidationError(details));
}

/**
 * The body parsers Nest would register, registered here instead so that the checks above run
 * right after them (Nest skips a parser already in place): the size limit, the depth scan
 * before JSON.parse, then the walk of the parsed body. Nest's types reserve `verify` for its
 * rawBody option, which this app does not use (were it turned on, Nest's hook would replace the
 * scan and the walk would still refuse the body, only after parsing it).
 */
export function useBodyParsers(app: INestApplication): void {
  const express = app as NestExpressApplication;
  const json = { limit: BODY_LIMIT, verify: refuseDeepJson };
  express.useBodyParser('json', json);
  express.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: true });
  app.use(checkParsedBody);
}
