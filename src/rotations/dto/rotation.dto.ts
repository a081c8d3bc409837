import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsDecimal, IsNestedObject, IsOmittable, Trim } from '../../common/http/validators';
import { IsIsoDateIn } from '../../common/http/date-validators';
import { PageQueryDto } from '../../common/pagination/page';
import { EVALUATION_LEVELS, EvaluationLevel } from '../../evaluations/evaluation-policy';
import { IsNotBefore } from '../../posts/dto/date-range';
import { ROTATION_STATUSES, RotationStatus } from '../rotation.types';

export class CreateRotationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  personId: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "A post the person holds today; default: the person's current (highest) post",
  })
  @IsOmittable()
  @IsUUID()
  fromPostId?: string;

  @ApiProperty({ format: 'uuid', description: 'An existing, active post: none is created' })
  @IsUUID()
  toPostId: string;

  @ApiProperty({ example: '2026-09-01' })
  @IsIsoDateIn()
  startDate: string;

  @ApiPropertyOptional({
    example: '2029-08-31',
    description: 'At least the policy minimum (36 months by default) after startDate; default it',
  })
  @IsOmittable()
  @IsIsoDateIn()
  @IsNotBefore('startDate', true)
  plannedEndDate?: string;

  @ApiProperty({ example: 'Rèn luyện thực tiễn ở công đoàn cơ sở khu vực doanh nghiệp FDI' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  purpose: string;
}

export class RotationEvaluationDto {
  @ApiProperty({ example: 'Hoàn thành tốt nhiệm vụ được giao trong thời gian luân chuyển.' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  text: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'On the 100-point scale' })
  @IsOmittable()
  @IsDecimal(2, 0, 100) // end_score numeric(5,2)
  score?: number;

  @ApiPropertyOptional({
    enum: EVALUATION_LEVELS,
    description: 'Derived from the score when omitted; must agree with the score when both given',
  })
  @IsOmittable()
  @IsIn(EVALUATION_LEVELS)
  level?: EvaluationLevel;
}

export class CompleteRotationDto {
  @ApiProperty({ example: '2029-08-31', description: 'Last day of the rotation (inclusive)' })
  @IsIsoDateIn()
  endDate: string;

  @ApiProperty({ type: RotationEvaluationDto })
  @IsDefined()
  @IsNestedObject(() => RotationEvaluationDto)
  evaluation: RotationEvaluationDto;

  @ApiPropertyOptional({
    description: 'Appoint the person back to the post they left, from the next day (default off)',
  })
  @IsOmittable()
  @IsBoolean()
  returnToHomePost?: boolean;

  @ApiPropertyOptional({
    example: 'Được bầu làm Chủ tịch công đoàn cơ sở tại đơn vị cũ',
    description:
      'Required when endDate falls before the minimum length (36 months by default): why the ' +
      'rotation ends early (422 ROTATION_EARLY_END_REASON without it); refused otherwise',
  })
  @IsOmittable()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  earlyEndReason?: string;
}

export class CancelRotationDto {
  @ApiProperty({ example: 'Cán bộ được điều động làm nhiệm vụ khác' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;

  @ApiPropertyOptional({
    example: '2027-03-31',
    description: 'Required for an active rotation: its last day (inclusive)',
  })
  @IsOmittable()
  @IsIsoDateIn()
  endDate?: string;

  @ApiPropertyOptional({ description: 'For an active rotation: appoint the person back home' })
  @IsOmittable()
  @IsBoolean()
  returnToHomePost?: boolean;
}

export class ListRotationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROTATION_STATUSES })
  @IsOptional()
  @IsIn(ROTATION_STATUSES)
  status?: RotationStatus;
}

export class RotationPostRefDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty() orgUnitId: string;
  @ApiProperty() orgUnitName: string;
}

export class RotationDto {
  @ApiProperty() id: string;
  @ApiProperty() personId: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ type: RotationPostRefDto, nullable: true }) fromPost: RotationPostRefDto | null;
  @ApiProperty() fromOrgUnitId: string;
  @ApiProperty({ type: RotationPostRefDto }) toPost: RotationPostRefDto;
  @ApiProperty() startDate: string;
  @ApiProperty() plannedEndDate: string;
  @ApiProperty({ nullable: true, type: String }) actualEndDate: string | null;
  @ApiProperty() purpose: string;
  @ApiProperty({ enum: ROTATION_STATUSES }) status: RotationStatus;
  @ApiProperty({ example: 'Đang luân chuyển' }) statusLabel: string;
  @ApiProperty({ nullable: true, type: String }) fromAppointmentId: string | null;
  @ApiProperty({ nullable: true, type: String }) toAppointmentId: string | null;
  @ApiProperty({ nullable: true, type: String }) returnAppointmentId: string | null;
  @ApiProperty({ nullable: true, type: String }) endEvaluation: string | null;
  @ApiProperty({ nullable: true, type: Number }) endScore: number | null;
  @ApiProperty({ enum: EVALUATION_LEVELS, nullable: true }) endLevel: EvaluationLevel | null;
  @ApiProperty({ nullable: true, type: String }) endLevelLabel: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why it was completed before its minimum length (required then)',
  })
  earlyEndReason: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelReason: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The person's statutory retirement date (roadmap by birth month)",
  })
  retirementDate: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Years of service left at the start, by whole months, one decimal',
  })
  serviceYearsLeftAtStart: number | null;
}
