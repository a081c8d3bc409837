import { ERROR_CATALOG, ErrorCode } from './error-catalog';

export interface ErrorDetail {
  field: string;
  message: string;
}

/**
 * A detail worded in both languages. The exception filter answers the caller's language
 * (Accept-Language), as it does for the message, so a detail that names a value ("C2 is not
 * rated") reads in Vietnamese exactly as in English.
 */
export interface LocalizedDetail {
  field: string;
  vi: string;
  en: string;
}

export type ErrorParams = Record<string, string | number>;

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
