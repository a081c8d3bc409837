import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorDetail } from '../errors/domain-error';
import { Language } from './language';

/**
 * Vietnamese wording per class-validator constraint. The English text that class-validator
 * produces is kept for Accept-Language: en; a constraint missing here falls back to it.
 */
const VI_CONSTRAINTS: Record<string, string> = {
  whitelistValidation: 'Trường này không được phép gửi lên.',
  isDefined: 'Trường này là bắt buộc.',
  isNotEmpty: 'Trường này không được để trống.',
  isString: 'Phải là chuỗi ký tự.',
  isInt: 'Phải là số nguyên.',
  isNumber: 'Phải là số.',
  isBoolean: 'Phải là true hoặc false.',
  isEnum: 'Giá trị không nằm trong danh sách cho phép.',
  isIn: 'Giá trị không nằm trong danh sách cho phép.',
  isUuid: 'Phải là mã định danh UUID.',
  isEmail: 'Phải là địa chỉ email hợp lệ.',
  isDateString: 'Phải là ngày theo định dạng ISO 8601 (yyyy-MM-dd).',
  isIso8601: 'Phải là ngày theo định dạng ISO 8601.',
  isArray: 'Phải là một danh sách.',
  arrayNotEmpty: 'Danh sách không được rỗng.',
  arrayMinSize: 'Danh sách có quá ít phần tử.',
  arrayMaxSize: 'Danh sách có quá nhiều phần tử.',
  arrayUnique: 'Danh sách có phần tử trùng nhau.',
  min: 'Giá trị quá nhỏ.',
  max: 'Giá trị quá lớn.',
  minLength: 'Quá ngắn.',
  maxLength: 'Quá dài.',
  length: 'Độ dài không hợp lệ.',
  matches: 'Không đúng định dạng.',
  isObject: 'Phải là một đối tượng.',
  nestedValidation: 'Phải là một đối tượng hợp lệ.',
  isUrl: 'Phải là đường dẫn URL hợp lệ.',
  isPositive: 'Phải là số dương.',
  isNationalId: 'Số CCCD phải gồm đúng 12 chữ số.',
  isPhone: 'Số điện thoại không hợp lệ.',
  isIsoDate: 'Phải là ngày có thật theo định dạng yyyy-MM-dd.',
};

export interface RawDetail {
  field: string;
  constraint: string;
  en: string;
  /** A service's own wording in Vietnamese (a rule across fields), used before VI_CONSTRAINTS. */
  vi?: string;
}

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): RawDetail[] {
  const out: RawDetail[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const [constraint, en] of Object.entries(error.constraints ?? {})) {
      out.push({ field, constraint, en });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

export function translateDetails(raw: RawDetail[], lang: Language): ErrorDetail[] {
  return raw.map((d) => ({
    field: d.field,
    message: lang === 'en' ? d.en : (d.vi ?? VI_CONSTRAINTS[d.constraint] ?? d.en),
  }));
}

/** A validation failure keeps the raw constraints; the filter words them in the caller's language. */
export class RequestValidationError extends DomainError {
  constructor(readonly raw: RawDetail[]) {
    super('VALIDATION_FAILED');
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(flattenValidationErrors(errors)),
  });
}
