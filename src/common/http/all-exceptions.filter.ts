import { redactUrl } from './redact-url';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError, ErrorDetail, localizeDetail, localizeParams } from '../errors/domain-error';
import { ERROR_CATALOG, ErrorCode } from '../errors/error-catalog';
import { interpolate, pickLanguage } from './language';
import { RequestValidationError, translateDetails } from './validation';

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  details: ErrorDetail[];
  correlationId?: string;
}

interface Resolved {
  code: ErrorCode;
  params: Record<string, string | number>;
  details: ErrorDetail[];
  status?: number;
}

/** PostgreSQL SQLSTATEs that are the caller's fault, not ours. */
const PG_ERRORS: Record<string, ErrorCode> = {
  '23505': 'CONFLICT_UNIQUE',
  '23503': 'REFERENCE_INVALID',
  '23514': 'CONSTRAINT_VIOLATED',
  '23502': 'CONSTRAINT_VIOLATED',
  '23P01': 'CONFLICT_UNIQUE',
  '22P02': 'INVALID_VALUE',
  '22021': 'INVALID_VALUE',
  '22007': 'INVALID_VALUE',
  '22008': 'INVALID_VALUE',
  '22003': 'INVALID_VALUE',
  '22001': 'INVALID_VALUE',
  '40001': 'CONCURRENT_UPDATE',
  '40P01': 'CONCURRENT_UPDATE',
};

/**
 * The database cannot take the request now (every pooled connection busy past the pool's wait,
 * or the server refusing connections): a 503 the caller may retry, not a bug. pg-pool's wait
 * ends with a plain Error of this message; the server's refusals carry these SQLSTATEs.
 */
function overloaded(exception: unknown): boolean {
  if (!(exception instanceof Error)) return false;
  if (/timeout exceeded when trying to connect/i.test(exception.message)) return true;
  const code = (exception as { code?: unknown }).code;
  return code === '53300' || code === '57P03';
}

const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'ROUTE_NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * The stable error body of a failure that is the caller's (a rule, a bad value, a refused
 * request), in their language; undefined for anything unexpected, which is a bug (a 500).
 * The portal's pages show the same message and details.
 */
export function errorBodyOf(exception: unknown, lang: 'vi' | 'en'): ErrorBody | undefined {
  const resolved = resolve(exception, lang);
  if (!resolved) return undefined;
  const entry = ERROR_CATALOG[resolved.code];
  const status = resolved.status ?? entry.status;
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    code: resolved.code,
    message: interpolate(entry[lang], resolved.params, lang),
    details: resolved.details,
  };
}

/**
 * The one place where failures become HTTP answers. Every body has the same shape and a stable
 * code; anything unexpected is logged with its stack and answered as a bare 500 with a reference.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const lang = pickLanguage(req.headers?.['accept-language']);
    const known = errorBodyOf(exception, lang);
    let correlationId: string | undefined;

    if (!known) {
      correlationId = String(req.id ?? randomUUID());
      this.logger.error(
        { err: exception, correlationId, path: redactUrl(req.originalUrl ?? req.url) },
        exception instanceof Error ? exception.stack : String(exception),
      );
      this.send(res, {
        statusCode: 500,
        error: STATUS_CODES[500] ?? 'Internal Server Error',
        code: 'INTERNAL_ERROR',
        message: interpolate(ERROR_CATALOG.INTERNAL_ERROR[lang], { correlationId }, lang),
        details: [],
        correlationId,
      });
      return;
    }

    this.send(res, known);
  }

  private send(res: Response, body: ErrorBody): void {
    if (res.headersSent) return;
    if (body.code === 'TOO_MANY_REQUESTS') {
      // The message carries one number: the seconds until the rate limit's window ends.
      const seconds = /(\d+)/.exec(body.message)?.[1];
      if (seconds) res.setHeader('Retry-After', seconds);
    }
    if (body.code === 'SERVICE_UNAVAILABLE') res.setHeader('Retry-After', '2');
    res.status(body.statusCode).json(body);
  }
}

function resolve(exception: unknown, lang: 'vi' | 'en'): Resolved | undefined {
  if (exception instanceof RequestValidationError) {
    return { code: exception.code, params: {}, details: translateDetails(exception.raw, lang) };
  }
  if (exception instanceof DomainError) {
    return {
      code: exception.code,
      params: localizeParams(exception.localizedParams, lang),
      details: exception.details.map((d) => localizeDetail(d, lang)),
    };
  }
  if (exception instanceof QueryFailedError) {
    const driverError = exception.driverError as { code?: string; constraint?: string };
    const code = driverError?.code ? PG_ERRORS[driverError.code] : undefined;
    if (!code) return undefined;
    const details = driverError.constraint
      ? [{ field: driverError.constraint, message: ERROR_CATALOG[code][lang] }]
      : [];
    return { code, params: {}, details };
  }
  if (exception instanceof HttpException && exception.cause instanceof DomainError) {
    // Nest's Express adapter wraps an error that a middleware (the body checks) passes on with
    // an HTTP status into an HttpException: the rule's own code and details are its cause.
    return resolve(exception.cause, lang);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    // body-parser marks its own failures with a type; a broken JSON body is the caller's fault.
    const type = (exception.cause as { type?: string } | undefined)?.type;
    if (status === 400 && (type === 'entity.parse.failed' || /JSON/i.test(exception.message))) {
      return { code: 'MALFORMED_JSON', params: {}, details: [] };
    }
    const code = HTTP_CODES[status];
    if (code) return { code, params: { seconds: 60 }, details: [], status };
    if (status >= 400 && status < 500) {
      return { code: 'INVALID_VALUE', params: {}, details: [], status };
    }
    return undefined;
  }
  if (overloaded(exception)) return { code: 'SERVICE_UNAVAILABLE', params: {}, details: [] };
  const bodyParser = exception as { type?: string; status?: number } | null;
  if (bodyParser && typeof bodyParser === 'object' && typeof bodyParser.type === 'string') {
    if (bodyParser.type === 'entity.parse.failed') {
      return { code: 'MALFORMED_JSON', params: {}, details: [] };
    }
    if (bodyParser.type === 'entity.too.large') {
      return { code: 'PAYLOAD_TOO_LARGE', params: {}, details: [] };
    }
  }
  return undefined;
}
