import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsDecimal, IsOmittable, Trim } from '../../common/http/validators';
import { IsIsoDateIn } from '../../common/http/date-validators';
import { PageQueryDto } from '../../common/pagination/page';
import {
  COMPLETION_METHODS,
  CompletionMethod,
  COURSE_STATUSES,
  CourseStatus,
  DELIVERY_MODES,
  DeliveryMode,
  ENROLMENT_STATUSES,
  EnrolmentStatus,
  LESSON_KINDS,
  LessonKind,
  MANUAL_LESSON_KINDS,
} from '../course.types';

const CODE_PATTERN = /^[A-Z0-9][A-Z0-9._-]{0,39}$/;

export class CreateCourseDto {
  @ApiProperty({ example: 'K01', description: 'Unique; capitals, digits, . _ -' })
  @IsString()
  @Matches(CODE_PATTERN)
  code: string;

  @ApiProperty({ example: 'Nghiệp vụ chủ tịch CĐCS mới bầu' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiProperty({ enum: DELIVERY_MODES })
  @IsIn(DELIVERY_MODES)
  deliveryMode: DeliveryMode;

  @ApiProperty({ example: 24, minimum: 0.5, maximum: 2000 })
  @IsDecimal(1, 0.5, 2000) // duration_hours numeric(6,1)
  durationHours: number;

  @ApiPropertyOptional({ default: 5, minimum: 0, maximum: 10, description: '10-point scale' })
  @IsOptional()
  @IsDecimal(2, 0, 10) // pass_score numeric(4,2)
  passScore?: number;

  @ApiPropertyOptional({
    default: 80,
    minimum: 0,
    maximum: 100,
    description: 'With classroom sessions: the share of session time to attend, in %',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  attendanceMinPercent?: number;

  @ApiProperty({ format: 'uuid', description: 'A unit in the officer’s part of the hierarchy' })
  @IsUUID()
  ownerOrgUnitId: string;
}

export class CreateLessonDto {
  @ApiProperty({ example: 'Vai trò của chủ tịch công đoàn cơ sở' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title: string;

  @ApiProperty({
    enum: LESSON_KINDS,
    description: "'assessment' lessons are added by POST /assessments",
  })
  @IsIn(LESSON_KINDS)
  kind: LessonKind;

  @ApiPropertyOptional({ description: 'Required for text lessons' })
  @ValidateIf((o: CreateLessonDto) => o.kind === 'text' || o.content !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  content?: string;

  @ApiPropertyOptional({ description: 'Required for video and link lessons (http/https)' })
  @ValidateIf(
    (o: CreateLessonDto) => o.kind === 'video' || o.kind === 'link' || o.url !== undefined,
  )
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  url?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  required?: boolean;
}

/**
 * Corrections to a draft version. Every field is optional but at least one is needed; code and
 * owner change only on a first version that was never published (a course keeps its code
 * across versions). `description: null` clears it.
 */
export class UpdateCourseDto {
  @ApiPropertyOptional({ example: 'K06', description: 'Only on a first version' })
  @IsOmittable()
  @IsString()
  @Matches(CODE_PATTERN)
  code?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @Trim()
  @MinLength(1)
  @MaxLength(300)
  title?: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiPropertyOptional({ enum: DELIVERY_MODES })
  @IsOmittable()
  @IsIn(DELIVERY_MODES)
  deliveryMode?: DeliveryMode;

  @ApiPropertyOptional({ minimum: 0.5, maximum: 2000 })
  @IsOmittable()
  @IsDecimal(1, 0.5, 2000) // duration_hours numeric(6,1)
  durationHours?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 10 })
  @IsOmittable()
  @IsDecimal(2, 0, 10) // pass_score numeric(4,2)
  passScore?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(100)
  attendanceMinPercent?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only on a first version' })
  @IsOmittable()
  @IsUUID()
  ownerOrgUnitId?: string;
}

/**
 * Corrections to a lesson of a draft. A text lesson keeps its content, a video or link lesson
 * its url (checked on the lesson as it will be). The final assessment's lesson takes only
 * title and required (an optional assessment is practice).
 */
export class UpdateLessonDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @Trim()
  @MinLength(1)
  @MaxLength(300)
  title?: string;

  @ApiPropertyOptional({ enum: MANUAL_LESSON_KINDS })
  @IsOmittable()
  @IsIn(MANUAL_LESSON_KINDS)
  kind?: (typeof MANUAL_LESSON_KINDS)[number];

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  content?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'http/https' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  url?: string | null;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  required?: boolean;
}

export class ReorderLessonsDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'Every lesson of the course, each once, in the new order',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(500)
  @IsUUID(undefined, { each: true })
  lessonIds: string[];
}

export class NewVersionDto {
  @ApiPropertyOptional({
    example: 'Cập nhật theo Luật Công đoàn 2024',
    description: 'Why the new version: kept in the audit log',
  })
  @IsOmittable()
  @IsString()
  @Trim()
  @MinLength(1)
  @MaxLength(1000)
  note?: string;
}

export class RetireCourseDto {
  @ApiPropertyOptional({
    example: 'Thay bằng khóa K06',
    description: 'Why the course is retired: kept in the audit log',
  })
  @IsOmittable()
  @IsString()
  @Trim()
  @MinLength(1)
  @MaxLength(1000)
  reason?: string;
}

/** A new course (a new code, version 1, draft) made from the content of an existing one. */
export class CopyCourseDto {
  @ApiProperty({ example: 'K01-BN', description: 'A code no course uses yet' })
  @IsString()
  @Matches(CODE_PATTERN)
  code: string;

  @ApiPropertyOptional({ description: 'Defaults to the title of the course copied' })
  @IsOmittable()
  @IsString()
  @Trim()
  @MinLength(1)
  @MaxLength(300)
  title?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Defaults to the owner of the course copied; a unit the officer manages',
  })
  @IsOmittable()
  @IsUUID()
  ownerOrgUnitId?: string;
}

export class ListCoursesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: COURSE_STATUSES })
  @IsOptional()
  @IsIn(COURSE_STATUSES)
  status?: CourseStatus;
}

export class LessonDto {
  @ApiProperty() id: string;
  @ApiProperty() position: number;
  @ApiProperty() title: string;
  @ApiProperty({ enum: LESSON_KINDS }) kind: LessonKind;
  @ApiProperty({ nullable: true }) content: string | null;
  @ApiProperty({ nullable: true }) url: string | null;
  @ApiProperty() required: boolean;
  @ApiProperty({ nullable: true }) assessmentId: string | null;
}

export const FINAL_ASSESSMENT_RULES = ['none', 'must_pass', 'optional'] as const;

export class CompletionRuleDto {
  @ApiProperty({ description: 'Required lessons other than the final assessment, all needed' })
  requiredLessons: number;
  @ApiProperty({
    enum: FINAL_ASSESSMENT_RULES,
    description:
      'none: no final assessment, the course completes on its lessons; must_pass: the final ' +
      'assessment must be passed; optional: a practice assessment that completion does not need',
  })
  finalAssessment: (typeof FINAL_ASSESSMENT_RULES)[number];
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Share of classroom session time to attend; null while the course has no sessions',
  })
  minAttendancePercent: number | null;
}

export class CourseDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'The same for every version of the course' }) code: string;
  @ApiProperty({ description: '1, 2, … per code' }) versionNo: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The version or course this one was made from',
  })
  basedOnId: string | null;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true }) description: string | null;
  @ApiProperty({ enum: DELIVERY_MODES }) deliveryMode: DeliveryMode;
  @ApiProperty() durationHours: number;
  @ApiProperty() passScore: number;
  @ApiProperty({
    description:
      'With classroom sessions, completion needs this share (%) of session time attended ' +
      '(present or late; excused is not attended)',
  })
  attendanceMinPercent: number;
  @ApiProperty() ownerOrgUnitId: string;
  @ApiProperty({
    enum: COURSE_STATUSES,
    description:
      'draft (editable), published (the current version), superseded (a newer version was ' +
      'published), archived (retired); only published takes new enrolments',
  })
  status: CourseStatus;
  @ApiProperty({ nullable: true }) publishedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) supersededAt: string | null;
  @ApiProperty({ nullable: true, type: String }) retiredAt: string | null;
  @ApiProperty({ description: 'Only a draft changes; a published course changes by a new version' })
  locked: boolean;
  @ApiPropertyOptional({ type: [LessonDto] }) lessons?: LessonDto[];
  @ApiPropertyOptional({ type: CompletionRuleDto, description: 'With the lessons' })
  completionRule?: CompletionRuleDto;
}

export class CourseVersionListDto {
  @ApiProperty({ type: [CourseDto], description: 'Oldest first' }) items: CourseDto[];
}

export class EnrolDto {
  @ApiProperty({ format: 'uuid', example: 'b2a7c9e4-6d1f-4a3b-8c5e-0f9d8e7c6b5a' })
  @IsUUID()
  courseId: string;

  @ApiProperty({
    type: [String],
    format: 'uuid',
    maxItems: 1000,
    example: ['3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41'],
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  personIds: string[];

  @ApiPropertyOptional({
    example: '2027-03-31',
    description:
      'When the course should be finished (yyyy-MM-dd, today or later in Vietnam). Given, it ' +
      'also becomes the due date of people already enrolled who have not completed the course.',
  })
  @IsOmittable()
  @IsIsoDateIn()
  dueOn?: string;
}

export class EnrolmentDto {
  @ApiProperty({ example: 'e5d4c3b2-a190-4f8e-9d7c-6b5a4f3e2d1c' }) id: string;
  @ApiProperty({ example: 'b2a7c9e4-6d1f-4a3b-8c5e-0f9d8e7c6b5a' }) courseId: string;
  @ApiProperty({ example: '3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41' }) personId: string;
  @ApiProperty({ enum: ENROLMENT_STATUSES, example: 'enrolled' }) status: EnrolmentStatus;
  @ApiProperty({ example: '2027-03-01T08:00:00.000Z' }) enrolledAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) dueOn: string | null;
  @ApiProperty({ description: 'false when the person was already enrolled' }) created: boolean;
}

export class EnrolmentListDto {
  @ApiProperty({ type: [EnrolmentDto] }) items: EnrolmentDto[];
}

export class ProgressDto {
  @ApiProperty() completedLessons: number;
  @ApiProperty() totalLessons: number;
  @ApiProperty({ description: '0–100' }) percent: number;
}

export class MyEnrolmentDto {
  @ApiProperty() id: string;
  @ApiProperty() course: { id: string; code: string; title: string };
  @ApiProperty({ enum: ENROLMENT_STATUSES }) status: EnrolmentStatus;
  @ApiProperty() progress: ProgressDto;
  @ApiProperty({ nullable: true }) assessmentId: string | null;
  @ApiProperty({ type: [String] }) completedLessonIds: string[];
  @ApiProperty({ nullable: true }) score: number | null;
  @ApiProperty({ nullable: true }) grade: string | null;
  @ApiProperty({ nullable: true }) completedAt: string | null;
  @ApiProperty({ nullable: true }) certificateId: string | null;
  @ApiProperty() enrolledAt: string;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date',
    description: 'When the course should be finished; null: no deadline',
  })
  dueOn: string | null;
  @ApiProperty({ description: 'Not completed and the due date has passed (Vietnam time)' })
  overdue: boolean;
}

export class ManualCompletionRequestDto {
  @ApiProperty({
    example: 'Đã hoàn thành lớp bồi dưỡng tương đương tại Trường Cán bộ công đoàn tỉnh năm 2025',
    description:
      'Why the learning is recognised (recognition of prior learning): 5–1,000 characters',
  })
  @IsString()
  @MinLength(5)
  @MaxLength(1000)
  reason: string;
}

export class ManualCompletionDto {
  @ApiProperty() id: string;
  @ApiProperty() personId: string;
  @ApiProperty({ enum: ENROLMENT_STATUSES }) status: EnrolmentStatus;
  @ApiProperty({ enum: COMPLETION_METHODS }) completionMethod: CompletionMethod;
  @ApiProperty() completionReason: string;
  @ApiProperty() completedAt: string;
  @ApiProperty({ type: Number, nullable: true }) score: number | null;
  @ApiProperty({ type: String, nullable: true }) grade: string | null;
  @ApiProperty() certificate: { id: string; serial: string };
}
