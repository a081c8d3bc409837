import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { CALENDAR_RANGE } from '../../common/dates/date-range';
import { IsIsoDateIn } from '../../common/http/date-validators';
import { IsOmittable, Trim } from '../../common/http/validators';
import { IsNotBefore } from './date-range';

// Dates: any real day here; the terms service bounds them (422 TERM_START_OUT_OF_RANGE, TERM_TOO_LONG).
export class CreateTermDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  orgUnitId: string;

  @ApiProperty({ example: 'Nhiệm kỳ 2023–2028' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({ example: '2023-07-01', description: 'From 1950-01-01 to five years from today' })
  @IsIsoDateIn(CALENDAR_RANGE)
  startDate: string;

  @ApiProperty({
    example: '2028-06-30',
    description: 'Inclusive; after startDate, at most 90 months after it',
  })
  @IsIsoDateIn(CALENDAR_RANGE)
  @IsNotBefore('startDate', true)
  endDate: string;
}

/**
 * A correction of a term: any of its name and dates. The unit never changes: the term's
 * appointments keep their meaning.
 */
export class UpdateTermDto {
  @ApiPropertyOptional({ example: 'Nhiệm kỳ 2023–2028' })
  @IsOmittable()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ example: '2023-07-01' })
  @IsOmittable()
  @IsIsoDateIn(CALENDAR_RANGE)
  startDate?: string;

  @ApiPropertyOptional({ example: '2028-06-30', description: 'Inclusive; after startDate' })
  @IsOmittable()
  @IsIsoDateIn(CALENDAR_RANGE)
  @IsNotBefore('startDate', true)
  endDate?: string;
}

export class TermDto {
  @ApiProperty() id: string;
  @ApiProperty() orgUnitId: string;
  @ApiProperty() name: string;
  @ApiProperty() startDate: string;
  @ApiProperty() endDate: string;
}
