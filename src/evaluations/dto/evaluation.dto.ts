import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  registerDecorator,
  ValidationOptions,
} from 'class-validator';
import { IsDecimal, Trim } from '../../common/http/validators';
import { PageQueryDto } from '../../common/pagination/page';
import {
  DEFAULT_EVALUATION_POLICY,
  EVALUATION_LEVELS,
  EvaluationLevel,
} from '../evaluation-policy';
import { todayVn } from '../../common/dates/vietnam-dates';

/** A year from the policy's first year up to next year (Vietnam time), read when validating. */
function IsEvaluationYear(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isEvaluationYear',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [DEFAULT_EVALUATION_POLICY.minYear],
      options: {
        message: `${String(propertyName)} must be a year from ${DEFAULT_EVALUATION_POLICY.minYear} to next year`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          const next = Number(todayVn().slice(0, 4)) + 1;
          return (
            typeof value === 'number' &&
            Number.isInteger(value) &&
            value >= DEFAULT_EVALUATION_POLICY.minYear &&
            value <= next
          );
        },
      },
    });
}

export class RecordEvaluationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  personId: string;

  @ApiProperty({ example: 2025, description: `${DEFAULT_EVALUATION_POLICY.minYear} to next year` })
  @IsInt()
  @IsEvaluationYear()
  year: number;

  @ApiProperty({ example: 86.5, minimum: 0, maximum: 100, description: 'At most 2 decimals' })
  @IsDecimal(2, 0, 100) // score numeric(5,2)
  score: number;

  @ApiPropertyOptional({ example: 'Hoàn thành tốt các chỉ tiêu phát triển đoàn viên.' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(4000)
  comments?: string;
}

export class ListPersonEvaluationsQueryDto extends PageQueryDto {}

export class ListUnitEvaluationsQueryDto extends PageQueryDto {
  @ApiProperty({ example: 2025 })
  @Type(() => Number)
  @IsInt()
  @IsEvaluationYear()
  year: number;

  @ApiPropertyOptional({ enum: EVALUATION_LEVELS })
  @IsOptional()
  @IsIn(EVALUATION_LEVELS)
  level?: EvaluationLevel;
}

export class EvaluationDto {
  @ApiProperty() id: string;
  @ApiProperty() personId: string;
  @ApiProperty() year: number;
  @ApiProperty({ description: '1 for the first record of the year, +1 for each correction' })
  revision: number;
  @ApiProperty() score: number;
  @ApiProperty({ enum: EVALUATION_LEVELS }) level: EvaluationLevel;
  @ApiProperty({ example: 'Hoàn thành tốt nhiệm vụ' }) levelLabel: string;
  @ApiProperty({ description: 'False once a later revision supersedes it' }) current: boolean;
  @ApiProperty({ nullable: true, type: String }) supersededAt: string | null;
  @ApiProperty() evaluatorPersonId: string;
  @ApiProperty() evaluatorName: string;
  @ApiProperty({ nullable: true, type: String }) comments: string | null;
  @ApiProperty() createdAt: string;
}

export class UnitEvaluationDto extends EvaluationDto {
  @ApiProperty() fullName: string;
  @ApiProperty() homeOrgUnitId: string;
}

export class ExcellentShareWarningDto {
  @ApiProperty({ enum: ['EXCELLENT_SHARE_ABOVE_CAP'] }) code: 'EXCELLENT_SHARE_ABOVE_CAP';
  @ApiProperty({ example: 0.25 }) share: number;
  @ApiProperty({ example: 0.2 }) cap: number;
  @ApiProperty() count: number;
  @ApiProperty() total: number;
}

export class ConsecutiveNotCompletedWarningDto {
  @ApiProperty({ enum: ['CONSECUTIVE_NOT_COMPLETED'] }) code: 'CONSECUTIVE_NOT_COMPLETED';
  @ApiProperty() personId: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ type: [Number], example: [2024, 2025] }) years: number[];
}

export type EvaluationWarning = ExcellentShareWarningDto | ConsecutiveNotCompletedWarningDto;

export class UnitEvaluationPageDto {
  @ApiProperty({ type: [UnitEvaluationDto] }) items: UnitEvaluationDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
  @ApiProperty({
    description: 'Over the whole subtree for the year, on every page',
    type: 'array',
    items: { type: 'object' },
  })
  warnings: EvaluationWarning[];
}

/** The latest current evaluation of a person (for planning: "not completed" removes a cadre). */
export interface LatestEvaluation {
  personId: string;
  year: number;
  revision: number;
  score: number;
  level: EvaluationLevel;
}
