import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorBody } from '../http/all-exceptions.filter';

/** One failed field of an error answer. */
export class ErrorDetailDto {
  @ApiProperty({ example: 'email', description: 'The field, parameter or constraint at fault' })
  field: string;

  @ApiProperty({
    example: 'Phải là địa chỉ email hợp lệ.',
    description: 'In the caller’s language',
  })
  message: string;
}

/**
 * The body of every error answer (DESIGN.md, "Bad input"): the OpenAPI twin of the exception
 * filter's ErrorBody, so clients generated from the document read errors as the filter writes them.
 */
export class ErrorBodyDto implements ErrorBody {
  @ApiProperty({ example: 400, description: 'The HTTP status, repeated' })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request', description: 'The HTTP reason phrase' })
  error: string;

  @ApiProperty({
    example: 'VALIDATION_FAILED',
    description: 'Stable code: clients branch on it; it never changes once published',
  })
  code: string;

  @ApiProperty({
    example: 'Dữ liệu gửi lên không hợp lệ.',
    description: 'For people: Vietnamese by default, English with Accept-Language: en',
  })
  message: string;

  @ApiProperty({ type: [ErrorDetailDto], description: 'One entry per failed field; may be empty' })
  details: ErrorDetailDto[];

  @ApiPropertyOptional({
    description: 'Only on a 500: the reference under which the failure was logged',
  })
  correlationId?: string;
}
