import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { detail, DomainError } from '../errors/domain-error';

/**
 * An id in a path must be a UUID: a malformed one is the caller's mistake, answered 400 with the
 * parameter named (an id that is well formed but names nothing the caller may see stays 404).
 */
@Injectable()
export class UuidParamPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && isUUID(value)) return value;
    const field = metadata.data ?? 'id';
    throw new DomainError('VALIDATION_FAILED', {}, [
      detail(
        field,
        'Phải là mã định danh UUID (ví dụ 3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41).',
        'Must be a UUID (e.g. 3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41).',
      ),
    ]);
  }
}

export const UuidParam = new UuidParamPipe();
