import { Type } from '@nestjs/common';
import { ErrorBody, errorBodyOf } from '../common/http/all-exceptions.filter';
import { Language } from '../common/http/language';
import { createValidationPipe } from '../common/http/validation';
import { CSRF_FIELD } from '../auth/session-cookie.service';

const pipe = createValidationPipe();

/**
 * A form's values checked by the API's own DTO and validation pipe (same rules, same wording):
 * the page maps its text inputs to the DTO's JSON shape first. Throws the API's
 * RequestValidationError on a refusal.
 */
export async function validated<T extends object>(
  dto: Type<T>,
  value: Record<string, unknown>,
): Promise<T> {
  return (await pipe.transform(value, { type: 'body', metatype: dto })) as T;
}

/** A refusal shown on the form that caused it: the message, and each field's own beside it. */
export interface FormProblem {
  status: number;
  /** The API's stable code (ASSESSMENT_POOL_SHORT …), for a page that words a detail itself. */
  code?: string;
  message: string;
  fields: Record<string, string>;
  details: { field: string; message: string }[];
}

/**
 * The refusal of a form the person can correct (400, 409, 422: a value, a conflict, a rule),
 * or undefined for anything else — not signed in, no right, out of scope, a bug — which the
 * page's exception filter turns into its own page.
 */
export function formProblem(error: unknown, lang: Language): FormProblem | undefined {
  const body: ErrorBody | undefined = errorBodyOf(error, lang);
  if (!body || ![400, 409, 422].includes(body.statusCode)) return undefined;
  const fields: Record<string, string> = {};
  for (const d of body.details) fields[d.field] ??= d.message;
  return {
    status: body.statusCode,
    code: body.code,
    message: body.message,
    fields,
    details: body.details,
  };
}

/** The form's fields without its CSRF token (the DTOs forbid unknown fields). */
export function formFields(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const fields = { ...(body as Record<string, unknown>) };
  delete fields[CSRF_FIELD];
  return fields;
}

/** A text input's value: trimmed, or undefined when empty (an optional field left blank). */
export function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A number input's value as a number when it reads as one, else as typed (the DTO refuses it). */
export function numberOrText(value: unknown): unknown {
  const t = text(value);
  if (t === undefined) return undefined;
  const n = Number(t.replace(',', '.'));
  return Number.isFinite(n) ? n : t;
}
