import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsDecimal, IsNestedObject, IsOmittable, Trim } from '../../common/http/validators';
import { IsIsoDateIn } from '../../common/http/date-validators';
import { PageQueryDto } from '../../common/pagination/page';
import { IsNotBefore } from '../../posts/dto/date-range';
import { EVALUATION_LEVELS, EvaluationLevel } from '../../evaluations/evaluation-policy';
import { GapCourseDto } from '../../gaps/dto/gaps.dto';
import { PostType } from '../../posts/post-types';
import {
  NOMINATION_STATUSES,
  NominationStatus,
  PLANNING_CYCLE_STATUSES,
  PlanningCycleStatus,
  READINESS_LEVELS,
  Readiness,
  REMOVAL_REASONS,
  RemovalReason,
  REVIEW_DECISIONS,
  ReviewDecision,
} from '../planning.types';
import { PLANNING_WARNINGS, PlanningWarning } from '../planning-labels';
import { SUGGESTION_REASONS, SuggestionReason } from '../readiness-suggestion';

/** Any subset of the rules; what is absent keeps its current (or default) value. */
export class PlanningRulesDto {
  @ApiPropertyOptional({ example: 3 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(20)
  maxNomineesPerPost?: number;

  @ApiPropertyOptional({ example: 3 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(20)
  maxPostsPerPerson?: number;

  @ApiPropertyOptional({ example: 10 })
  @IsOmittable()
  @IsDecimal(2, 0, 40)
  minWorkingYearsLeft?: number;

  @ApiPropertyOptional({ example: 0.25 })
  @IsOmittable()
  @IsDecimal(4, 0, 1)
  womenTarget?: number;

  @ApiPropertyOptional({ example: 0.15 })
  @IsOmittable()
  @IsDecimal(4, 0, 1)
  under40Target?: number;
}

export class CreatePlanningCycleDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  orgUnitId: string;

  @ApiPropertyOptional({
    example: '2028–2033',
    description: 'Defaults to "<start year>–<end year>"',
  })
  @IsOmittable()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  termLabel?: string;

  @ApiProperty({ example: '2028-07-01' })
  @IsIsoDateIn()
  termStart: string;

  @ApiProperty({ example: '2033-06-30' })
  @IsIsoDateIn()
  @IsNotBefore('termStart', true)
  termEnd: string;

  @ApiProperty({ type: [String], description: 'Posts of the unit being planned' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  postIds: string[];

  @ApiPropertyOptional({ type: PlanningRulesDto })
  @IsOmittable()
  @IsNestedObject(() => PlanningRulesDto)
  rules?: PlanningRulesDto;
}

export class ChangeCycleStatusDto {
  @ApiProperty({ enum: PLANNING_CYCLE_STATUSES })
  @IsIn(PLANNING_CYCLE_STATUSES)
  status: PlanningCycleStatus;
}

export class ListPlanningCyclesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Cycles of this unit's subtree" })
  @IsOmittable()
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({ enum: PLANNING_CYCLE_STATUSES })
  @IsOmittable()
  @IsIn(PLANNING_CYCLE_STATUSES)
  status?: PlanningCycleStatus;
}

export class PlannedPostDto {
  @ApiProperty() id: string;
  @ApiProperty() postType: PostType;
  @ApiProperty() title: string;
  @ApiProperty() keyPost: boolean;
}

export class PlanningCycleDto {
  @ApiProperty() id: string;
  @ApiProperty() orgUnitId: string;
  @ApiProperty() orgUnitName: string;
  @ApiProperty({ example: '2028–2033' }) termLabel: string;
  @ApiProperty() termStart: string;
  @ApiProperty() termEnd: string;
  @ApiProperty({ enum: PLANNING_CYCLE_STATUSES }) status: PlanningCycleStatus;
  @ApiProperty({ example: 'Đang lập danh sách', description: 'The status in words' })
  statusLabel: string;
  @ApiProperty({ type: PlanningRulesDto }) rules: PlanningRulesDto;
  @ApiProperty({ type: [PlannedPostDto] }) posts: PlannedPostDto[];
  @ApiProperty({ nullable: true, type: String }) createdBy: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class PlanningWarningDto {
  @ApiProperty({ enum: PLANNING_WARNINGS }) code: PlanningWarning;
  @ApiProperty({
    example: 'Tỷ lệ cán bộ nữ trong danh sách quy hoạch là 20% (1/5), thấp hơn mục tiêu 25%.',
  })
  message: string;
}

export class PlanningCycleStatusChangeDto extends PlanningCycleDto {
  @ApiProperty({
    type: [PlanningWarningDto],
    description:
      'On submitting or approving: the targets the list misses and posts without nominees (warnings, never refusals)',
  })
  warnings: PlanningWarningDto[];
}

export class CreateNominationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  postId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  personId: string;

  @ApiProperty({ enum: READINESS_LEVELS })
  @IsIn(READINESS_LEVELS)
  readiness: Readiness;

  @ApiPropertyOptional({
    description:
      'Required when the readiness differs from the suggested one (422 PLANNING_READINESS_OVERRIDE_REASON)',
  })
  @IsOmittable()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  readinessReason?: string;
}

export class ChangeReadinessDto {
  @ApiProperty({ enum: READINESS_LEVELS })
  @IsIn(READINESS_LEVELS)
  readiness: Readiness;

  @ApiPropertyOptional({
    description:
      'Required when the readiness differs from the suggested one (422 PLANNING_READINESS_OVERRIDE_REASON)',
  })
  @IsOmittable()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason?: string;
}

export class RemoveNominationDto {
  @ApiProperty({ enum: REMOVAL_REASONS })
  @IsIn(REMOVAL_REASONS)
  reason: RemovalReason;

  @ApiPropertyOptional({ description: 'Required when the reason is "other"' })
  @ValidateIf((o: RemoveNominationDto) => o.reason === 'other' || o.note !== undefined)
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  note?: string;
}

export class ListNominationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOmittable()
  @IsUUID()
  postId?: string;

  @ApiPropertyOptional({ enum: NOMINATION_STATUSES })
  @IsOmittable()
  @IsIn(NOMINATION_STATUSES)
  status?: NominationStatus;
}

export class SuggestionGapDto {
  @ApiProperty({ example: 'C1' }) code: string;
  @ApiProperty() requiredLevel: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Null: no valid evidence' })
  currentLevel: number | null;
  @ApiProperty() critical: boolean;
  @ApiProperty() gap: number;
}

export class SuggestionEvaluationDto {
  @ApiProperty() year: number;
  @ApiProperty({ enum: EVALUATION_LEVELS }) level: EvaluationLevel;
}

export class ReadinessSuggestionDto {
  @ApiProperty({ enum: READINESS_LEVELS, nullable: true, description: 'Null: no role profile' })
  readiness: Readiness | null;
  @ApiProperty({
    enum: SUGGESTION_REASONS,
    isArray: true,
    description: 'What kept the nominee from the better bands',
  })
  reasons: SuggestionReason[];
  @ApiProperty({ type: [String], description: 'The reasons in words, in the same order' })
  reasonLabels: string[];
  @ApiProperty({ nullable: true, type: String }) versionId: string | null;
  @ApiProperty({ nullable: true, type: String }) profileId: string | null;
  @ApiProperty({ type: [SuggestionGapDto] }) criticalGaps: SuggestionGapDto[];
  @ApiProperty({ type: [SuggestionGapDto], description: 'Gaps of more than one level' })
  gapsOverOne: SuggestionGapDto[];
  @ApiProperty() maxGap: number;
  @ApiProperty() totalGap: number;
  @ApiProperty({ type: SuggestionEvaluationDto, nullable: true })
  evaluation: SuggestionEvaluationDto | null;
}

export class NominationDto {
  @ApiProperty() id: string;
  @ApiProperty() cycleId: string;
  @ApiProperty() postId: string;
  @ApiProperty() postTitle: string;
  @ApiProperty() postType: PostType;
  @ApiProperty() personId: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ nullable: true, type: String }) gender: string | null;
  @ApiProperty({ nullable: true, type: String }) birthDate: string | null;
  @ApiProperty({ enum: READINESS_LEVELS, description: 'The readiness HR chose' })
  readiness: Readiness;
  @ApiProperty({ example: 'Sẵn sàng ngay' }) readinessLabel: string;
  @ApiProperty({ nullable: true, type: String, description: 'Why HR departed from the suggestion' })
  readinessOverrideReason: string | null;
  @ApiProperty({ enum: READINESS_LEVELS, nullable: true, description: 'Suggested from gaps' })
  suggestedReadiness: Readiness | null;
  @ApiProperty({ nullable: true, type: String }) suggestedReadinessLabel: string | null;
  @ApiProperty({ type: ReadinessSuggestionDto }) suggestion: ReadinessSuggestionDto;
  @ApiProperty({ enum: NOMINATION_STATUSES }) status: NominationStatus;
  @ApiProperty({ example: 'Đề xuất' }) statusLabel: string;
  @ApiProperty({ enum: REMOVAL_REASONS, nullable: true }) removalReason: RemovalReason | null;
  @ApiProperty({ nullable: true, type: String }) removalReasonLabel: string | null;
  @ApiProperty({ nullable: true, type: String }) removalNote: string | null;
  @ApiProperty({ description: 'Whether the age rule applied', example: true }) firstTime: boolean;
  @ApiProperty({ nullable: true, type: String }) proposedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) approvedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) approvedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) removedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) removedAt: string | null;
  @ApiProperty() createdAt: string;
}

export class TargetDto {
  @ApiProperty() count: number;
  @ApiProperty() total: number;
  @ApiProperty({ example: 0.3333 }) share: number;
  @ApiProperty({ example: 0.25 }) target: number;
  @ApiProperty() met: boolean;
}

export class PlanningTargetsDto {
  @ApiProperty({ type: TargetDto }) women: TargetDto;
  @ApiProperty({ type: TargetDto, description: 'Under 40 today (Vietnam)' }) under40: TargetDto;
}

export class NominationPageDto {
  @ApiProperty({ type: [NominationDto] }) items: NominationDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
  @ApiProperty({
    type: PlanningTargetsDto,
    description:
      'Over the distinct non-removed nominees of the whole cycle: warnings, never refusals',
  })
  targets: PlanningTargetsDto;
  @ApiProperty({
    type: [PlanningWarningDto],
    description: 'The targets the list misses and planned posts without nominees',
  })
  warnings: PlanningWarningDto[];
}

export class OpenReviewDto {
  @ApiProperty({ example: 2026 })
  @IsInt()
  @Min(2000)
  @Max(2200)
  year: number;
}

export class OpenReviewResultDto {
  @ApiProperty() year: number;
  @ApiProperty({ description: 'Entries created by this call (0 when the review already exists)' })
  created: number;
  @ApiProperty({ description: 'Entries of the year, flagged ones included' }) total: number;
  @ApiProperty() flagged: number;
}

export class ListReviewsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 2026 })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2200)
  year?: number;
}

export class DecideReviewDto {
  @ApiProperty({ enum: REVIEW_DECISIONS })
  @IsIn(REVIEW_DECISIONS)
  decision: ReviewDecision;

  @ApiPropertyOptional({ enum: READINESS_LEVELS, description: 'When kept: the new readiness' })
  @ValidateIf((o: DecideReviewDto) => o.decision === 'kept' && o.readiness !== undefined)
  @IsIn(READINESS_LEVELS)
  readiness?: Readiness;

  @ApiPropertyOptional({
    description:
      'When kept with a new readiness that differs from the suggested one: why (422 PLANNING_READINESS_OVERRIDE_REASON)',
  })
  @ValidateIf((o: DecideReviewDto) => o.readinessReason !== undefined)
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  readinessReason?: string;

  @ApiPropertyOptional({ enum: REMOVAL_REASONS, description: 'Required when removed' })
  @ValidateIf((o: DecideReviewDto) => o.decision === 'removed' || o.reason !== undefined)
  @IsIn(REMOVAL_REASONS)
  reason?: RemovalReason;

  @ApiPropertyOptional({ description: 'Required when the reason is "other"' })
  @ValidateIf((o: DecideReviewDto) => o.reason === 'other' || o.note !== undefined)
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  note?: string;
}

export class ReviewFlagsDto {
  @ApiProperty() notCompletedEvaluation: boolean;
  @ApiProperty({ nullable: true, type: Number }) evaluationYear: number | null;
  @ApiProperty({ nullable: true, type: String }) evaluationLevel: string | null;
  @ApiProperty({ description: 'Fails the age rule today (see README)' }) failsAgeRule: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Statutory retirement date (roadmap by birth month), when it was flagged',
  })
  retirementDate: string | null;
}

export class ReviewDto {
  @ApiProperty() id: string;
  @ApiProperty() nominationId: string;
  @ApiProperty() cycleId: string;
  @ApiProperty() reviewYear: number;
  @ApiProperty() personId: string;
  @ApiProperty() fullName: string;
  @ApiProperty() postId: string;
  @ApiProperty() postTitle: string;
  @ApiProperty({ enum: READINESS_LEVELS }) readinessBefore: Readiness;
  @ApiProperty() readinessBeforeLabel: string;
  @ApiProperty({ enum: READINESS_LEVELS, nullable: true }) readinessAfter: Readiness | null;
  @ApiProperty({ nullable: true, type: String }) readinessAfterLabel: string | null;
  @ApiProperty({ enum: REVIEW_DECISIONS, nullable: true }) decision: ReviewDecision | null;
  @ApiProperty({ nullable: true, type: String }) decisionLabel: string | null;
  @ApiProperty({ type: ReviewFlagsDto }) flags: ReviewFlagsDto;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewer: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty() createdAt: string;
}

// ── development plans ───────────────────────────────────────────────────────────────────────

export class PlanEnrolmentDto {
  @ApiProperty() id: string;
  @ApiProperty() status: string;
  @ApiProperty({ nullable: true, type: String, description: 'yyyy-MM-dd' }) dueOn: string | null;
}

export class PlanCourseDto extends GapCourseDto {
  @ApiProperty({ type: PlanEnrolmentDto, nullable: true, description: 'The nominee’s enrolment' })
  enrolment: PlanEnrolmentDto | null;
}

export class PlanGapDto {
  @ApiProperty() competencyId: string;
  @ApiProperty() code: string;
  @ApiProperty() nameVi: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() requiredLevel: number;
  @ApiProperty({ nullable: true, type: Number }) currentLevel: number | null;
  @ApiProperty() critical: boolean;
  @ApiProperty() gap: number;
  @ApiProperty({
    type: [PlanCourseDto],
    description: 'Published courses raising the competency above the current level',
  })
  courses: PlanCourseDto[];
}

export class PlanCourseSummaryDto extends PlanCourseDto {
  @ApiProperty({ type: [String], description: 'Codes of the gaps the course works on' })
  competencies: string[];
}

export class DevelopmentPlanDto {
  @ApiProperty() nominationId: string;
  @ApiProperty() personId: string;
  @ApiProperty() fullName: string;
  @ApiProperty() postId: string;
  @ApiProperty() postTitle: string;
  @ApiProperty() postType: PostType;
  @ApiProperty({ description: 'yyyy-MM-dd: the day evidence must be valid on' }) asOf: string;
  @ApiProperty({ nullable: true, type: String }) versionId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Null: no role profile applies' })
  profileId: string | null;
  @ApiProperty() totalGap: number;
  @ApiProperty({ type: [PlanGapDto], description: 'Competencies below the required level' })
  gaps: PlanGapDto[];
  @ApiProperty({
    type: [PlanCourseSummaryDto],
    description: 'The plan’s courses, each once: what enrolling takes by default',
  })
  courses: PlanCourseSummaryDto[];
}

export class EnrolPlanDto {
  @ApiProperty({
    example: '2027-06-30',
    description: 'Due date of the enrolments (today or later)',
  })
  @IsIsoDateIn()
  dueDate: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'A subset of the plan’s courses; all of them when absent',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  courseIds?: string[];
}

export class PlanEnrolmentResultItemDto {
  @ApiProperty() enrolmentId: string;
  @ApiProperty() courseId: string;
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty() status: string;
  @ApiProperty({ nullable: true, type: String }) dueOn: string | null;
  @ApiProperty({ description: 'Made by this call (false: an existing enrolment, kept)' })
  created: boolean;
}

export class PlanEnrolmentResultDto {
  @ApiProperty() nominationId: string;
  @ApiProperty() personId: string;
  @ApiProperty() dueOn: string;
  @ApiProperty() created: number;
  @ApiProperty({ type: [PlanEnrolmentResultItemDto] }) items: PlanEnrolmentResultItemDto[];
}
