import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsNestedObject, IsOmittable, Trim } from '../../common/http/validators';
import { IsIsoDateIn } from '../../common/http/date-validators';
import { PageQueryDto } from '../../common/pagination/page';
import {
  DUE_RULE_KINDS,
  DueRuleKind,
  PROGRAMME_STATUSES,
  ProgrammeStatus,
  SET_RULES,
  SetRule,
} from '../programme.types';

export class CourseSetInputDto {
  @ApiProperty({ enum: SET_RULES })
  @IsIn(SET_RULES)
  rule: SetRule;

  @ApiPropertyOptional({ description: 'Only for at_least_n: how many of the set, ≤ set size' })
  @ValidateIf((o: CourseSetInputDto) => o.rule === 'at_least_n' || o.minCount !== undefined)
  @IsInt()
  @Min(1)
  minCount?: number;

  @ApiProperty({ type: [String], description: 'Course ids in order' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  courseIds: string[];
}

/** Fields shared by create and update; validated together with the due and recert rules. */
class ProgrammeFieldsDto {
  @ApiPropertyOptional({ description: 'days_after_assignment: days, 1–3650' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  dueDays?: number | null;

  @ApiPropertyOptional({ description: 'fixed_date: yyyy-MM-dd' })
  @IsOptional()
  @IsIsoDateIn()
  dueDate?: string | null;

  @ApiPropertyOptional({ description: 'Months a completion stays valid; null = never expires' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(240)
  recertValidityMonths?: number | null;

  @ApiPropertyOptional({ description: 'The recertification window opens N days before expiry' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  recertWindowDays?: number | null;

  @ApiPropertyOptional({ description: 'The programme that recertifies this one; null = itself' })
  @IsOptional()
  @IsUUID()
  recertProgrammeId?: string | null;

  @ApiPropertyOptional({ type: [CourseSetInputDto] })
  @IsOmittable()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @IsNestedObject(() => CourseSetInputDto, { each: true })
  sets?: CourseSetInputDto[];
}

export class CreateProgrammeDto extends ProgrammeFieldsDto {
  @ApiProperty({ example: 'CT-CTCDCS-MOI', description: 'Unique; capitals, digits, . _ -' })
  @IsString()
  @Matches(/^[A-Z0-9][A-Z0-9._-]{0,39}$/)
  code: string;

  @ApiProperty({ example: 'Bồi dưỡng chủ tịch CĐCS mới bầu' })
  @IsString()
  @Trim()
  @MinLength(1)
  @MaxLength(300)
  title: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiProperty({ description: 'Owner unit, within the officer’s scope' })
  @IsUUID()
  ownerOrgUnitId: string;

  @ApiProperty({ enum: DUE_RULE_KINDS })
  @IsIn(DUE_RULE_KINDS)
  dueRuleKind: DueRuleKind;
}

export class UpdateProgrammeDto extends ProgrammeFieldsDto {
  @ApiPropertyOptional({ enum: DUE_RULE_KINDS })
  @IsOmittable()
  @IsIn(DUE_RULE_KINDS)
  dueRuleKind?: DueRuleKind;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @Trim()
  @MinLength(1)
  @MaxLength(300)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;
}

export class ListProgrammesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PROGRAMME_STATUSES })
  @IsOptional()
  @IsIn(PROGRAMME_STATUSES)
  status?: ProgrammeStatus;
}

export class ProgrammeSetCourseDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty() status: string;
}

export class ProgrammeSetDto {
  @ApiProperty() position: number;
  @ApiProperty({ enum: SET_RULES }) rule: SetRule;
  @ApiProperty({ nullable: true, type: Number }) minCount: number | null;
  @ApiProperty({ type: [ProgrammeSetCourseDto] }) courses: ProgrammeSetCourseDto[];
}

export class ProgrammeDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() ownerOrgUnitId: string;
  @ApiProperty({ enum: DUE_RULE_KINDS }) dueRuleKind: DueRuleKind;
  @ApiProperty({ nullable: true, type: Number }) dueDays: number | null;
  @ApiProperty({ nullable: true, type: String }) dueDate: string | null;
  @ApiProperty({ nullable: true, type: Number }) recertValidityMonths: number | null;
  @ApiProperty({ nullable: true, type: Number }) recertWindowDays: number | null;
  @ApiProperty({ nullable: true, type: String }) recertProgrammeId: string | null;
  @ApiProperty({ enum: PROGRAMME_STATUSES }) status: ProgrammeStatus;
  @ApiProperty({ nullable: true, type: String }) publishedAt: string | null;
  @ApiProperty({ type: [ProgrammeSetDto] }) sets: ProgrammeSetDto[];
}
