import { ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ERROR_CATALOG, ErrorCode } from '../errors/error-catalog';
import { ErrorBodyDto } from './error-body.dto';

/** The 4xx statuses the API answers (the error catalog names no other). */
export const ERROR_STATUSES = [400, 401, 403, 404, 409, 413, 422, 429] as const;
export type ErrorStatus = (typeof ERROR_STATUSES)[number];

/** What a status means here, in both languages, and the code shown when no code is named. */
export const ERROR_STATUS_MEANING: Record<
  ErrorStatus,
  { vi: string; en: string; code: ErrorCode }
> = {
  400: {
    vi: 'Yêu cầu không hợp lệ',
    en: 'a field, parameter or the JSON body is invalid',
    code: 'VALIDATION_FAILED',
  },
  401: {
    vi: 'Chưa đăng nhập hoặc mã truy cập đã hết hạn',
    en: 'no or expired access token',
    code: 'UNAUTHENTICATED',
  },
  403: { vi: 'Vai trò không có quyền này', en: 'the caller’s roles lack it', code: 'FORBIDDEN' },
  404: {
    vi: 'Không tìm thấy, hoặc ngoài phạm vi của người gọi',
    en: 'not found, or outside the caller’s part of the hierarchy',
    code: 'NOT_FOUND',
  },
  409: {
    vi: 'Xung đột với trạng thái hiện tại',
    en: 'conflicts with the current state',
    code: 'CONFLICT_UNIQUE',
  },
  413: { vi: 'Nội dung quá lớn', en: 'the body is too large', code: 'PAYLOAD_TOO_LARGE' },
  422: {
    vi: 'Vi phạm quy tắc nghiệp vụ',
    en: 'breaks a business rule',
    code: 'CONSTRAINT_VIOLATED',
  },
  429: { vi: 'Quá nhiều yêu cầu', en: 'too many requests', code: 'TOO_MANY_REQUESTS' },
};

/** A status with words of its own for this operation (e.g. which permission a 403 lacks). */
export interface ErrorNote {
  status: ErrorStatus;
  description: string;
}

type Answer = ErrorStatus | ErrorCode | ErrorNote;

interface Collected {
  codes: ErrorCode[];
  notes: string[];
}

const COLLECTED_KEY = 'lms:openapi:errors';

/** The error body as the filter writes it for a code (placeholders left as `{name}`). */
export function errorExample(code: ErrorCode): ErrorBodyDto {
  const status = ERROR_CATALOG[code].status;
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    code,
    message: ERROR_CATALOG[code].vi,
    details:
      code === 'VALIDATION_FAILED'
        ? [{ field: 'email', message: 'Phải là địa chỉ email hợp lệ.' }]
        : [],
  };
}

function statusOf(answer: Answer): ErrorStatus {
  if (typeof answer === 'number') return answer;
  if (typeof answer === 'object') return answer.status;
  return ERROR_CATALOG[answer].status as ErrorStatus;
}

/**
 * Documents the error answers of an operation (or of every operation of a controller), each with
 * the error body's schema and an example per code. Give statuses (`404`), error codes
 * (`'CERTIFICATE_REVOKED'`, documented under their catalog status) or notes. Several uses on
 * one operation add up: `@RequirePermission` documents 401/403/404 and the route adds its own.
 */
export function ApiErrors(...answers: Answer[]): MethodDecorator & ClassDecorator {
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    const holder = (descriptor?.value ?? target) as object;
    const collected = new Map<ErrorStatus, Collected>(
      Object.entries(
        (Reflect.getMetadata(COLLECTED_KEY, holder) ?? {}) as Record<string, Collected>,
      ).map(([s, c]) => [Number(s) as ErrorStatus, { codes: [...c.codes], notes: [...c.notes] }]),
    );
    const touched = new Set<ErrorStatus>();
    for (const answer of answers) {
      const status = statusOf(answer);
      if (!ERROR_STATUSES.includes(status)) {
        throw new Error(`ApiErrors: ${String(status)} is not a documented error status`);
      }
      const entry = collected.get(status) ?? { codes: [], notes: [] };
      if (typeof answer === 'string' && !entry.codes.includes(answer)) entry.codes.push(answer);
      if (typeof answer === 'object' && !entry.notes.includes(answer.description)) {
        entry.notes.push(answer.description);
      }
      collected.set(status, entry);
      touched.add(status);
    }
    Reflect.defineMetadata(COLLECTED_KEY, Object.fromEntries(collected), holder);

    for (const status of touched) {
      const { codes, notes } = collected.get(status)!;
      const meaning = ERROR_STATUS_MEANING[status];
      const shown = codes.length > 0 ? codes : [meaning.code];
      const description = [
        `${meaning.vi} (${meaning.en}).`,
        ...notes,
        codes.length > 0 ? `Codes: ${codes.join(', ')}.` : '',
      ]
        .filter(Boolean)
        .join(' ');
      const decorate = ApiResponse({
        status,
        description,
        type: ErrorBodyDto,
        examples: Object.fromEntries(
          shown.map((code) => [
            code,
            { summary: ERROR_CATALOG[code].en, value: errorExample(code) },
          ]),
        ),
      });
      if (descriptor) (decorate as MethodDecorator)(target, key!, descriptor);
      else (decorate as ClassDecorator)(target as never);
    }
  };
}
