import { ERROR_CATALOG, ErrorCode } from './error-catalog';

/** One failed field of an error, as the client reads it. */
export interface ErrorDetail {
  field: string;
  message: string;
}

/**
 * A detail worded in both languages. The exception filter answers the caller's language
 * (Accept-Language), as it does for the message, so a detail that names a value ("C2 is not
 * rated") reads in Vietnamese exactly as in English. A plain ErrorDetail suits a message that
 * reads the same in both (a value, an id, a code).
 */
export interface LocalizedDetail {
  field: string;
  vi: string;
  en: string;
}

export function detail(field: string, vi: string, en: string): LocalizedDetail {
  return { field, vi, en };
}

/** The detail as sent: one text, in the caller's language. */
export function localizeDetail(d: ErrorDetail | LocalizedDetail, lang: 'vi' | 'en'): ErrorDetail {
  return 'vi' in d ? { field: d.field, message: d[lang] } : d;
}

/** Values for the message's `{name}` placeholders; a Localized one (a label) is worded per language. */
export type ErrorParams = Record<string, string | number | Localized>;

/** The parameters as interpolated: the caller's words for the Localized ones. */
export function localizeParams(
  params: ErrorParams,
  lang: 'vi' | 'en',
): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, typeof v === 'object' ? v[lang] : v]),
  );
}

/**
 * A failure of a business rule. Services throw it; the exception filter turns it into the
 * stable error body. Services never throw HTTP exceptions themselves.
 */
export class DomainError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly params: ErrorParams = {},
    readonly details: (ErrorDetail | LocalizedDetail)[] = [],
  ) {
    super(code);
    this.name = 'DomainError';
    this.status = ERROR_CATALOG[code].status;
  }
}

export class NotFoundError extends DomainError {
  constructor(code: ErrorCode = 'NOT_FOUND') {
    super(code);
  }
}
