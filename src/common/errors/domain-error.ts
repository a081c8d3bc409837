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

/** A detail as a service builds it: one text, or one per language. */
export type AnyDetail = ErrorDetail | LocalizedDetail;

/** The detail as sent: one text, in the caller's language. */
export function localizeDetail(d: ErrorDetail | LocalizedDetail, lang: 'vi' | 'en'): ErrorDetail {
  return 'vi' in d ? { field: d.field, message: d[lang] } : d;
}

/** A text in both languages of the API (a label, a date or number written per language). */
export interface Localized {
  vi: string;
  en: string;
}

export type ErrorParams = Record<string, string | number>;

/** Values for the `{name}` placeholders as a service gives them: a Localized one (a label) is
 *  worded per language. */
export type LocalizableParams = Record<string, string | number | Localized>;

/** The parameters as interpolated: the caller's words for the Localized ones. */
export function localizeParams(params: LocalizableParams, lang: 'vi' | 'en'): ErrorParams {
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
  /** The parameters in Vietnamese (the default language). */
  readonly params: ErrorParams;

  constructor(
    readonly code: ErrorCode,
    /** The parameters as given, labels in both languages; the filter words them. */
    readonly localizedParams: LocalizableParams = {},
    readonly details: (ErrorDetail | LocalizedDetail)[] = [],
  ) {
    super(code);
    this.params = localizeParams(localizedParams, 'vi');
    this.name = 'DomainError';
    this.status = ERROR_CATALOG[code].status;
  }
}

export class NotFoundError extends DomainError {
  constructor(code: ErrorCode = 'NOT_FOUND') {
    super(code);
  }
}
