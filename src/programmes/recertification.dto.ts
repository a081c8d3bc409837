import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { IsNestedObject } from '../common/http/validators';
import { IsIsoDateIn } from '../common/http/date-validators';
import { DUE_RULE_KINDS, DueRuleKind } from './programme.types';

export class DueRuleDto {
  @ApiProperty({ enum: DUE_RULE_KINDS })
  @IsIn(DUE_RULE_KINDS)
  kind: DueRuleKind;

  @ApiPropertyOptional({ description: 'days_after_assignment: days after the assignment' })
  @ValidateIf((o: DueRuleDto) => o.kind === 'days_after_assignment')
  @IsInt()
  @Min(1)
  @Max(3650)
  days?: number;

  @ApiPropertyOptional({ format: 'date', description: 'fixed_date: the due date' })
  @ValidateIf((o: DueRuleDto) => o.kind === 'fixed_date')
  @IsIsoDateIn()
  date?: string;
}

export class RecertificationPreviewDto {
  @ApiPropertyOptional({ format: 'date', description: 'When the first cycle is assigned' })
  @IsOptional()
  @IsIsoDateIn()
  assignedOn?: string;

  @ApiProperty({ format: 'date' })
  @IsIsoDateIn()
  completedOn: string;

  @ApiProperty({ type: DueRuleDto })
  @IsDefined()
  @IsNestedObject(() => DueRuleDto)
  dueRule: DueRuleDto;

  @ApiProperty({ minimum: 1, maximum: 600 })
  @IsInt()
  @Min(1)
  @Max(600)
  validityMonths: number;

  @ApiProperty({ minimum: 0, maximum: 3650 })
  @IsInt()
  @Min(0)
  @Max(3650)
  windowDays: number;
}

export class RecertificationPreviewResultDto {
  @ApiProperty({ type: String, nullable: true, format: 'date' }) dueOn: string | null;
  @ApiProperty({ format: 'date' }) expiresOn: string;
  @ApiProperty({ format: 'date' }) windowOpensOn: string;
  @ApiProperty({ format: 'date' }) nextDueOn: string;
}

export class RecertificationRunQueryDto {
  @ApiPropertyOptional({
    format: 'date',
    description: 'The day to scan as (default: today, Vietnam)',
  })
  @IsOptional()
  @IsIsoDateIn()
  today?: string;
}

export class RecertificationRunResultDto {
  @ApiProperty({ format: 'date' }) today: string;
  @ApiProperty({ description: 'Certificates past their last valid day, now expired' })
  certificatesExpired: number;
  @ApiProperty({ description: 'Member cycles newly stamped completed' }) completed: number;
  @ApiProperty({ description: 'Recertification cycles assigned' }) cyclesAssigned: number;
  @ApiProperty({ description: 'Enrolments created for them' }) enrolments: number;
  @ApiProperty() notifications: {
    assigned: number;
    recertWindowOpen: number;
    dueIn7Days: number;
    overdue: number;
  };
}
