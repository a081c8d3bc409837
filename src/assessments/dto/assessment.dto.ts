import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
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
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import {
  DEFAULT_REVIEW_POLICY,
  QUESTION_KINDS,
  QuestionKind,
  REVIEW_POLICIES,
  ReviewPolicy,
} from '../assessment.types';
import { REVIEW_OUTCOMES, ReviewOutcome } from '../review';
import { CODE_PATTERN } from '../../competencies/dto/framework.dto';
import { IsDecimal, IsNestedObject, IsOmittable, Trim } from '../../common/http/validators';
import { PageQueryDto } from '../../common/pagination/page';
import { AttemptItemDto } from './drawn-attempt.dto';

const REVIEW_POLICY_DOC =
  'When learners see, for a submitted attempt, which questions they got right and the right ' +
  'options: never; after_submission (each attempt as soon as it is submitted); after_close ' +
  '(once no attempt is left for them: passed, every attempt used, or the course completed)';

export class OptionDto {
  @ApiProperty({ example: 'a' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,20}$/)
  key: string;

  @ApiProperty({ example: 'Đại hội công đoàn cơ sở' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  text: string;
}

function keysOf(q: { options?: unknown }): string[] | null {
  if (!Array.isArray(q.options)) return null;
  return q.options.map((o: unknown) =>
    o && typeof o === 'object' && typeof (o as { key?: unknown }).key === 'string'
      ? (o as { key: string }).key
      : '',
  );
}

/** true_false questions have exactly two options; option keys are unique within a question. */
function IsConsistentOptions(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'consistentOptions',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: 'options must have unique keys, and exactly two for a true_false question',
        ...options,
      },
      validator: {
        validate(_: unknown, args: ValidationArguments) {
          const q = args.object as QuestionDto;
          const keys = keysOf(q);
          if (!keys) return true; // IsArray reports it
          if (new Set(keys).size !== keys.length) return false;
          return q.kind !== 'true_false' || keys.length === 2;
        },
      },
    });
}

/** Right keys exist among the options; single and true_false have exactly one. */
function IsConsistentCorrect(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'consistentCorrect',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message:
          'correct must name existing option keys, exactly one for single and true_false questions',
        ...options,
      },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const q = args.object as QuestionDto;
          if (!Array.isArray(value)) return true; // IsArray reports it
          const keys = keysOf(q);
          if (!keys) return true;
          if (!value.every((k) => typeof k === 'string' && keys.includes(k))) return false;
          return q.kind === 'multiple' || value.length === 1;
        },
      },
    });
}

export class QuestionDto {
  @ApiProperty({ enum: QUESTION_KINDS })
  @IsIn(QUESTION_KINDS)
  kind: QuestionKind;

  @ApiProperty({ example: 'Nhiệm kỳ của Ban Chấp hành CĐCS là mấy năm?' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  prompt: string;

  @ApiProperty({ type: [OptionDto], minItems: 2, maxItems: 10 })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @IsNestedObject(() => OptionDto, { each: true })
  @IsConsistentOptions()
  options: OptionDto[];

  @ApiProperty({ type: [String], description: 'Keys of the right options' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @IsConsistentCorrect()
  correct: string[];

  @ApiProperty({ example: 1, minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  points: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Tags the question with a competency (any version’s id; stored as its lineage). ' +
      'Or competencyCode with the assessment’s competencyVersionId.',
  })
  @IsOptional()
  @IsUUID()
  competencyId?: string;

  @ApiPropertyOptional({ example: 'C3', description: 'A code in competencyVersionId' })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN)
  competencyCode?: string;
}

export class CompetencyBandDto {
  @ApiProperty({ example: 7, minimum: 0, maximum: 10, description: '10-point scale' })
  @IsDecimal(2, 0, 10) // compared with attempt scores, numeric(4,2)
  minScore: number;

  @ApiProperty({ example: 3, minimum: 1, maximum: 10 })
  @IsInt()
  @Min(1)
  @Max(10)
  level: number;
}

export class CreateAssessmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  courseId: string;

  @ApiProperty({ example: 'Bài kiểm tra cuối khóa' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title: string;

  @ApiProperty({ example: 30, minimum: 1, maximum: 600 })
  @IsInt()
  @Min(1)
  @Max(600)
  timeLimitMinutes: number;

  @ApiProperty({ example: 2, minimum: 1, maximum: 20 })
  @IsInt()
  @Min(1)
  @Max(20)
  maxAttempts: number;

  @ApiPropertyOptional({
    example: 5,
    minimum: 0,
    maximum: 10,
    description: '10-point scale; defaults to the course pass score',
  })
  @IsOptional()
  @IsDecimal(2, 0, 10) // pass_score numeric(4,2)
  passScore?: number;

  @ApiPropertyOptional({
    default: false,
    description: 'Multiple-choice questions earn part of their points',
  })
  @IsOptional()
  @IsBoolean()
  partialCredit?: boolean;

  @ApiPropertyOptional({
    enum: REVIEW_POLICIES,
    default: DEFAULT_REVIEW_POLICY,
    description: REVIEW_POLICY_DOC,
  })
  @IsOmittable()
  @IsIn(REVIEW_POLICIES)
  reviewPolicy?: ReviewPolicy;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The published framework version in which competencyCode tags are looked up',
  })
  @IsOptional()
  @IsUUID()
  competencyVersionId?: string;

  @ApiPropertyOptional({
    type: [CompetencyBandDto],
    description:
      'Required when a question is tagged. Highest first, strictly falling in score and level; ' +
      'a competency score below the lowest band earns no evidence.',
    example: [
      { minScore: 9, level: 4 },
      { minScore: 7, level: 3 },
      { minScore: 5, level: 2 },
    ],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsNestedObject(() => CompetencyBandDto, { each: true })
  competencyBands?: CompetencyBandDto[];

  @ApiProperty({ type: [QuestionDto], minItems: 1, maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsNestedObject(() => QuestionDto, { each: true })
  questions: QuestionDto[];
}

/** Replaces a draft's assessment whole: settings and questions (PUT /assessments/:id). */
export class ReplaceAssessmentDto extends OmitType(CreateAssessmentDto, ['courseId'] as const) {}

/** Settings of a draft's assessment; at least one field. Questions change on their own. */
export class UpdateAssessmentDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @Trim()
  @MinLength(1)
  @MaxLength(300)
  title?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 600 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(600)
  timeLimitMinutes?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 20 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(20)
  maxAttempts?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 10 })
  @IsOmittable()
  @IsDecimal(2, 0, 10) // pass_score numeric(4,2)
  passScore?: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  partialCredit?: boolean;

  @ApiPropertyOptional({ enum: REVIEW_POLICIES, description: REVIEW_POLICY_DOC })
  @IsOmittable()
  @IsIn(REVIEW_POLICIES)
  reviewPolicy?: ReviewPolicy;
}

/**
 * Corrections to one question of a draft's assessment; at least one field. The question as it
 * will be is checked like a new one (options and right keys consistent with its kind). Its
 * competency tag stays; retagging goes through PUT /assessments/:id.
 */
export class UpdateQuestionDto {
  @ApiPropertyOptional({ enum: QUESTION_KINDS })
  @IsOmittable()
  @IsIn(QUESTION_KINDS)
  kind?: QuestionKind;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  prompt?: string;

  @ApiPropertyOptional({ type: [OptionDto], minItems: 2, maxItems: 10 })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @IsNestedObject(() => OptionDto, { each: true })
  options?: OptionDto[];

  @ApiPropertyOptional({ type: [String] })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  correct?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(100)
  points?: number;
}

export class ListMyAttemptsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the attempts at this assessment' })
  @IsOptional()
  @IsUUID()
  assessmentId?: string;
}

export class SaveAnswerDto {
  @ApiProperty({ type: [String], example: ['a'] })
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(20, { each: true })
  selected: string[];
}

export class PublicOptionDto {
  @ApiProperty() key: string;
  @ApiProperty() text: string;
}

export class StaffQuestionDto {
  @ApiProperty() id: string;
  @ApiProperty() position: number;
  @ApiProperty({ enum: QUESTION_KINDS }) kind: QuestionKind;
  @ApiProperty() prompt: string;
  @ApiProperty({ type: [PublicOptionDto] }) options: PublicOptionDto[];
  @ApiProperty({
    type: [String],
    nullable: true,
    description: 'The right keys: null unless the reader may change the course (its authors)',
  })
  correct: string[] | null;
  @ApiProperty() points: number;
  @ApiProperty({ nullable: true, description: 'The tagged competency’s lineage' })
  competencyLineageId: string | null;
}

export class AssessmentDto {
  @ApiProperty() id: string;
  @ApiProperty() courseId: string;
  @ApiProperty() title: string;
  @ApiProperty() timeLimitMinutes: number;
  @ApiProperty() maxAttempts: number;
  @ApiProperty() passScore: number;
  @ApiProperty() partialCredit: boolean;
  @ApiProperty({ enum: REVIEW_POLICIES, description: REVIEW_POLICY_DOC })
  reviewPolicy: ReviewPolicy;
  @ApiProperty() lessonId: string;
  @ApiProperty({ type: [CompetencyBandDto], nullable: true })
  competencyBands: CompetencyBandDto[] | null;
  @ApiProperty({ type: [StaffQuestionDto] }) questions: StaffQuestionDto[];
}

/** What a learner sees of a question: never the right keys. */
export class AttemptQuestionDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: QUESTION_KINDS }) kind: QuestionKind;
  @ApiProperty() prompt: string;
  @ApiProperty({ type: [PublicOptionDto] }) options: PublicOptionDto[];
  @ApiProperty() points: number;
}

export class SavedAnswerDto {
  @ApiProperty() questionId: string;
  @ApiProperty({ type: [String] }) selected: string[];
  @ApiProperty() savedAt: string;
}

export const ATTEMPT_STATUSES = ['in_progress', 'expired', 'marking', 'submitted'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export class AttemptCourseDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty() versionNo: number;
}

/** The outcome of a submitted attempt: always shown to the learner who sat it. */
export class AttemptOutcomeDto {
  @ApiProperty({ description: '10-point scale, 2 decimals' }) score: number;
  @ApiProperty() passed: boolean;
  @ApiProperty({ example: 'Khá' }) grade: string;
  @ApiProperty() pointsEarned: number;
  @ApiProperty() pointsTotal: number;
  @ApiProperty() passScore: number;
  @ApiProperty() submittedAt: string;
}

/** One question of a submitted attempt, as the review policy lets the learner see it. */
export class ReviewedQuestionDto {
  @ApiProperty() questionId: string;
  @ApiProperty({ type: [String], description: 'The answer graded: saved before the deadline' })
  selected: string[];
  @ApiProperty({ type: [String] }) correctOptions: string[];
  @ApiProperty({ enum: REVIEW_OUTCOMES }) outcome: ReviewOutcome;
  @ApiProperty() pointsEarned: number;
  @ApiProperty() points: number;
}

export class AttemptDto {
  @ApiProperty() id: string;
  @ApiProperty() assessmentId: string;
  @ApiProperty() assessmentTitle: string;
  @ApiProperty({ type: AttemptCourseDto, description: 'The course version of the assessment' })
  course: AttemptCourseDto;
  @ApiProperty() number: number;
  @ApiProperty() maxAttempts: number;
  @ApiProperty({
    enum: ATTEMPT_STATUSES,
    description: 'expired: the time ran out before submitting; submit it to have it graded',
  })
  status: AttemptStatus;
  @ApiProperty() startedAt: string;
  @ApiProperty({ description: 'Server clock: started + time limit' }) deadline: string;
  @ApiProperty({ type: [AttemptQuestionDto] }) questions: AttemptQuestionDto[];
  @ApiProperty({ type: [SavedAnswerDto] }) answers: SavedAnswerDto[];
  @ApiProperty({ type: AttemptOutcomeDto, nullable: true, description: 'Once submitted' })
  result: AttemptOutcomeDto | null;
  @ApiProperty({ enum: REVIEW_POLICIES, description: REVIEW_POLICY_DOC })
  reviewPolicy: ReviewPolicy;
  @ApiProperty({
    type: [ReviewedQuestionDto],
    nullable: true,
    description: 'Per question: right or not, and the right options; null until the policy allows',
  })
  review: ReviewedQuestionDto[] | null;
  @ApiProperty({ description: 'The questions were drawn from banks: see items, not questions' })
  drawn: boolean;
  @ApiProperty({
    type: [AttemptItemDto],
    nullable: true,
    description: 'A drawn attempt’s questions in the order shown, with the saved responses',
  })
  items: AttemptItemDto[] | null;
}

/** One of the learner's attempts, in GET /me/attempts. */
export class MyAttemptDto {
  @ApiProperty() id: string;
  @ApiProperty() number: number;
  @ApiProperty() maxAttempts: number;
  @ApiProperty({ enum: ATTEMPT_STATUSES }) status: AttemptStatus;
  @ApiProperty() startedAt: string;
  @ApiProperty() deadline: string;
  @ApiProperty({ nullable: true, type: String }) submittedAt: string | null;
  @ApiProperty({ nullable: true, type: Number }) score: number | null;
  @ApiProperty({ nullable: true, type: Boolean }) passed: boolean | null;
  @ApiProperty({ nullable: true, type: String }) grade: string | null;
  @ApiProperty({ description: 'GET /attempts/:id shows the per-question review' })
  reviewAvailable: boolean;
  @ApiProperty() enrolmentId: string;
  @ApiProperty({ type: AttemptCourseDto }) course: AttemptCourseDto;
  @ApiProperty() assessment: { id: string; title: string };
}

export class AttemptResultDto {
  @ApiProperty({ example: '7d2e4b90-1c3a-4f5e-8a6b-9c0d1e2f3a4b' }) attemptId: string;
  @ApiProperty({
    description: 'False while a person marks an answer: score, pass and grade are then null',
  })
  released: boolean;
  @ApiProperty({
    description: '10-point scale, 2 decimals',
    example: 8.5,
    nullable: true,
    type: Number,
  })
  score: number | null;
  @ApiProperty({ example: true, nullable: true, type: Boolean }) passed: boolean | null;
  @ApiProperty({ example: 'Giỏi', nullable: true, type: String }) grade: string | null;
  @ApiProperty({ example: 17, nullable: true, type: Number }) pointsEarned: number | null;
  @ApiProperty({ example: 20 }) pointsTotal: number;
  @ApiProperty({ example: 5 }) passScore: number;
  @ApiProperty({ example: '2027-03-20T02:15:00.000Z' }) submittedAt: string;
  @ApiProperty({ example: 1 }) attemptsUsed: number;
  @ApiProperty({ example: 3 }) maxAttempts: number;
  @ApiProperty({ example: 'completed' }) enrolmentStatus: string;
  @ApiProperty({ type: String, nullable: true, example: 'c41f2a07-5b6d-4e8f-9a1b-2c3d4e5f6a7b' })
  certificateId: string | null;
}
