import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsUUID,
} from 'class-validator';
import { IsNestedObject, IsOmittable } from '../../common/http/validators';
import { IsIsoDateIn } from '../../common/http/date-validators';
import { PageQueryDto } from '../../common/pagination/page';
import { ORG_LEVELS, SECTORS } from '../../org-units/org-unit.types';
import { POST_TYPES } from '../../posts/post-types';
import { ASSIGNMENT_JOB_STATUSES, ASSIGNMENT_STATUSES, MEMBER_STATUSES } from '../programme.types';

export class AudienceDto {
  @ApiProperty({ description: 'The audience root: a unit in the officer’s training scope' })
  @IsUUID()
  orgUnitId: string;

  @ApiPropertyOptional({ type: [String], description: 'Named people (inside the root subtree)' })
  @IsOmittable()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(10000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  personIds?: string[];

  @ApiPropertyOptional({ enum: POST_TYPES, isArray: true })
  @IsOmittable()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(POST_TYPES, { each: true })
  postTypes?: string[];

  @ApiPropertyOptional({ enum: ORG_LEVELS, isArray: true })
  @IsOmittable()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(ORG_LEVELS, { each: true })
  orgLevels?: string[];

  @ApiPropertyOptional({ enum: SECTORS, isArray: true })
  @IsOmittable()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(SECTORS, { each: true })
  sectors?: string[];

  @ApiPropertyOptional({ description: 'Current appointment started on or after (yyyy-MM-dd)' })
  @IsOmittable()
  @IsIsoDateIn()
  appointedSince?: string;

  @ApiPropertyOptional({ description: 'Current appointment started within the current term' })
  @IsOmittable()
  @IsBoolean()
  withinCurrentTerm?: boolean;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'People who have not completed this course: a course of the officer’s catalogue, else 422 AUDIENCE_UNKNOWN_REFERENCE',
  })
  @IsOmittable()
  @IsUUID()
  notCompletedCourseId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'People who have not completed this programme: a programme of the officer’s catalogue, else 422 AUDIENCE_UNKNOWN_REFERENCE',
  })
  @IsOmittable()
  @IsUUID()
  notCompletedProgrammeId?: string;
}

export class AudiencePreviewRequestDto {
  @ApiProperty({ type: AudienceDto })
  @IsNestedObject(() => AudienceDto)
  audience: AudienceDto;
}

export class CreateAssignmentDto extends AudiencePreviewRequestDto {
  @ApiPropertyOptional({
    description:
      'A fixed due date for this assignment (yyyy-MM-dd), today or later (else 422 DUE_DATE_IN_PAST)',
  })
  @IsOmittable()
  @IsIsoDateIn()
  dueDate?: string;
}

export class AudiencePersonDto {
  @ApiProperty() id: string;
  @ApiProperty() fullName: string;
  @ApiProperty() orgUnitPath: string;
}

export class AudiencePreviewDto {
  @ApiProperty() count: number;
  @ApiProperty({ type: [AudiencePersonDto], description: 'The first 20 by name' })
  sample: AudiencePersonDto[];
}

export class AssignmentDto {
  @ApiProperty() id: string;
  @ApiProperty() programmeId: string;
  @ApiProperty() orgUnitId: string;
  @ApiProperty({ type: Object }) audience: Record<string, unknown>;
  @ApiProperty() dueRuleKind: string;
  @ApiProperty({ nullable: true, type: Number }) dueDays: number | null;
  @ApiProperty({ nullable: true, type: String }) dueDate: string | null;
  @ApiProperty({
    enum: ASSIGNMENT_STATUSES,
    description:
      'Where the targeting stands, not the learners: pending, running, assigned (the last run ' +
      'finished; called "completed" before issue 11), failed, rolled_back',
  })
  status: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) lastRunAt: string | null;
}

export class AssignmentRunDto {
  @ApiProperty({ type: AssignmentDto }) assignment: AssignmentDto;
  @ApiProperty({ description: 'People the rule matches now' }) matched: number;
  @ApiProperty({ description: 'Memberships added by this run' }) added: number;
  @ApiProperty({ description: 'People who left the audience before starting: no longer targeted' })
  untargeted: number;
  @ApiProperty({ description: 'Members targeted again after leaving' }) retargeted: number;
  @ApiProperty({
    description:
      'People who left the audience but keep the programme: started, completed, or targeted by ' +
      'another assignment',
  })
  kept: number;
  @ApiProperty({
    description:
      'Of the matched, people who hold the programme through another assignment (recorded as ' +
      'also targeted here, never given a second membership)',
  })
  alsoTargeted: number;
}

export class ListAssignmentsQueryDto extends PageQueryDto {}

export class AssignmentCountsDto {
  @ApiProperty({ description: 'People the assignment targets now' }) targeted: number;
  @ApiProperty({ description: 'Of them, memberships held by this assignment' }) members: number;
  @ApiProperty({ description: 'Of them, people whose membership another assignment holds' })
  alsoTargeted: number;
  @ApiProperty({ description: 'Of them, people whose current take is completed' })
  completed: number;
  @ApiProperty({ description: 'People no longer targeted, kept as history' }) untargeted: number;
}

export class AssignmentSummaryDto extends AssignmentDto {
  @ApiProperty({ type: AssignmentCountsDto }) counts: AssignmentCountsDto;
}

export class AssignmentSummaryPageDto {
  @ApiProperty({ type: [AssignmentSummaryDto] }) items: AssignmentSummaryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AssignmentJobAcceptedDto {
  @ApiProperty() jobId: string;
  @ApiProperty() assignmentId: string;
  @ApiProperty() matched: number;
}

export class AssignmentJobDto {
  @ApiProperty() id: string;
  @ApiProperty() assignmentId: string;
  @ApiProperty({ enum: ASSIGNMENT_JOB_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: Number }) total: number | null;
  @ApiProperty() processed: number;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) finishedAt: string | null;
}

export class ProgressQueryDto {
  @ApiPropertyOptional({ description: 'Also count by child unit of the assignment’s unit' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  byUnit?: boolean;
}

export class StatusCountsDto {
  @ApiProperty() total: number;
  @ApiProperty() not_started: number;
  @ApiProperty() in_progress: number;
  @ApiProperty() completed: number;
  @ApiProperty() overdue: number;
}

export class UnitProgressDto extends StatusCountsDto {
  @ApiProperty({ nullable: true, type: String, description: 'null: members at the unit itself' })
  orgUnitId: string | null;
  @ApiProperty() name: string;
}

export class AssignmentProgressDto {
  @ApiProperty() assignmentId: string;
  @ApiProperty({
    type: StatusCountsDto,
    description: 'Everyone the assignment targets, those held by another assignment included',
  })
  counts: StatusCountsDto;
  @ApiProperty({
    description:
      'Of counts.total, people whose membership of the programme another assignment holds',
  })
  alsoTargeted: number;
  @ApiProperty({ description: 'People no longer targeted, kept as history' }) untargeted: number;
  @ApiPropertyOptional({ type: [UnitProgressDto] }) byUnit?: UnitProgressDto[];
}

export class OverdueMemberDto {
  @ApiProperty() personId: string;
  @ApiProperty() fullName: string;
  @ApiProperty() orgUnitName: string;
  @ApiProperty() dueOn: string;
  @ApiProperty() daysOverdue: number;
  @ApiProperty() completedCourses: number;
  @ApiProperty() requiredCourses: number;
}

export class OverdueQueryDto extends PageQueryDto {}

export class MyAssignmentDto {
  @ApiProperty() assignmentId: string;
  @ApiProperty() programme: { id: string; code: string; title: string };
  @ApiProperty() cycle: number;
  @ApiProperty() assignedAt: string;
  @ApiProperty() dueOn: string;
  @ApiProperty({ enum: MEMBER_STATUSES }) status: string;
  @ApiProperty() progress: { completedCourses: number; requiredCourses: number; percent: number };
  @ApiProperty({ nullable: true, type: Object })
  nextCourse: { id: string; code: string; title: string; enrolmentId: string | null } | null;
  @ApiProperty({ nullable: true, type: String }) expiresOn: string | null;
}

export class MyAssignmentListDto {
  @ApiProperty({ type: [MyAssignmentDto] }) items: MyAssignmentDto[];
}
