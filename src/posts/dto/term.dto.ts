import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { IsIsoDate, Trim } from '../../common/http/validators';
import { IsNotBefore } from './date-range';

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

  @ApiProperty({ example: '2023-07-01' })
  @IsIsoDate()
  startDate: string;

  @ApiProperty({ example: '2028-06-30', description: 'Inclusive; after startDate' })
  @IsIsoDate()
  @IsNotBefore('startDate', true)
  endDate: string;
}

export class TermDto {
  @ApiProperty() id: string;
  @ApiProperty() orgUnitId: string;
  @ApiProperty() name: string;
  @ApiProperty() startDate: string;
  @ApiProperty() endDate: string;
}
