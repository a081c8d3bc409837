import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsDecimal } from '../../common/http/validators';
import { CALENDAR_RANGE } from '../../common/dates/date-range';
import { IsIsoDateIn } from '../../common/http/date-validators';
import { EXTERNAL_TRAINING_STATUSES, ExternalTrainingStatus } from '../training-record.entity';

// Dates: any real day here; the service bounds them (1960 to today, 422 EXTERNAL_TRAINING_DATES).
export class CreateExternalTrainingDto {
  @ApiProperty({ example: 'Bồi dưỡng nghiệp vụ công tác công đoàn năm 2025' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title: string;

  @ApiProperty({ example: 'Trường Cán bộ Công đoàn tỉnh Bắc Ninh' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  provider: string;

  @ApiProperty({ example: '2025-10-06', description: 'First day (yyyy-MM-dd), not before 1960' })
  @IsIsoDateIn(CALENDAR_RANGE)
  startOn: string;

  @ApiProperty({
    example: '2025-10-08',
    description: 'Last day (yyyy-MM-dd): on or after startOn, not after today (Vietnam)',
  })
  @IsIsoDateIn(CALENDAR_RANGE)
  endOn: string;

  @ApiProperty({ example: 24, minimum: 0.5, maximum: 2000, description: 'One decimal at most' })
  @IsDecimal(1, 0.5, 2000) // hours numeric(6,1)
  hours: number;

  @ApiPropertyOptional({
    example: 'Giấy chứng nhận số 125/GCN-TCĐ ngày 09/10/2025 (bản sao đã đối chiếu)',
    description: 'What the officer saw: the paper, its number and date',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  evidenceNote?: string;
}

export class WithdrawExternalTrainingDto {
  @ApiProperty({ example: 'Nhập nhầm người học', description: '5–1,000 characters' })
  @IsString()
  @MinLength(5)
  @MaxLength(1000)
  reason: string;
}

export class ExternalTrainingDto {
  @ApiProperty() id: string;
  @ApiProperty() personId: string;
  @ApiProperty() title: string;
  @ApiProperty() provider: string;
  @ApiProperty({ format: 'date' }) startOn: string;
  @ApiProperty({ format: 'date' }) endOn: string;
  @ApiProperty() hours: number;
  @ApiProperty({ type: String, nullable: true }) evidenceNote: string | null;
  @ApiProperty({ enum: EXTERNAL_TRAINING_STATUSES }) status: ExternalTrainingStatus;
  @ApiProperty({ description: 'The officer who verified and recorded it' })
  verifiedBy: { personId: string | null; fullName: string | null };
  @ApiProperty() verifiedAt: string;
  @ApiProperty({ type: String, nullable: true }) withdrawnAt: string | null;
  @ApiProperty({ type: String, nullable: true }) withdrawnReason: string | null;
}

export class ExternalTrainingListDto {
  @ApiProperty({ type: [ExternalTrainingDto] }) items: ExternalTrainingDto[];
}
