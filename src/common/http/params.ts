import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

/** A malformed id in a path cannot name anything the caller may see: answer 404, not 400. */
export const UuidParam = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () => new DomainError('NOT_FOUND'),
});
