import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';
import { IsDecimal, IsOmittable, Trim } from '../../common/http/validators';
import { BANK_QUESTION_KINDS, BankQuestionKind } from '../questions/question-model';
import { AttemptRubricDto } from './drawn-attempt.dto';

export const MARKING_NEEDS = ['first', 'second', 'third'] as const;
export type MarkingNeed = (typeof MARKING_NEEDS)[number];

/**
 * A mark of one answer. An essay is marked per rubric criterion (`criteria`, every key of the
 * rubric, each from 0 to its maxPoints); any other answer is overridden with `points` (0 to the
 * item's points) and a `reason`. `markerNo` asks for a slot; without it the marker's own slot
 * (a re-mark) or the next one the answer waits for.
 */
export class MarkItemDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { 'noi-dung': 5, 'trinh-bay': 3.5 },
    description: 'Points per rubric key (an essay): every key, 0..maxPoints, at most 2 decimals',
  })
  @IsOmittable()
  @IsObject()
  criteria?: Record<string, unknown>;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1000,
    description: 'Points that override an auto-graded answer (0..the item’s points)',
  })
  @IsOmittable()
  @IsDecimal(2, 0, 1000)
  points?: number;

  @ApiPropertyOptional({ maxLength: 5000, description: 'Shown to the learner after release' })
  @IsOmittable()
  @IsString()
  @Trim()
  @MaxLength(5000)
  feedback?: string;

  @ApiPropertyOptional({ description: 'Why an auto-graded answer is overridden (required then)' })
  @IsOmittable()
  @IsString()
  @Trim()
  @MinLength(3)
  @MaxLength(1000)
  reason?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 3, description: 'The marker slot asked for' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(3)
  markerNo?: number;
}

/** Releases the attempts whose every answer has its final points (all ready ones if none named). */
export class ReleaseMarkedDto {
  @ApiPropertyOptional({ type: [String], description: 'Only these attempts (at most 500)' })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  attemptIds?: string[];
}

export class MarkingMarkDto {
  @ApiProperty({ minimum: 1, maximum: 3 }) markerNo: number;
  @ApiProperty() points: number;
  @ApiProperty({ description: 'Given by the caller' }) mine: boolean;
  @ApiProperty() markedAt: string;
}

/** One answer waiting for a mark, with what it needs next. */
export class MarkingEntryDto {
  @ApiProperty() attemptId: string;
  @ApiProperty() position: number;
  @ApiProperty() questionId: string;
  @ApiProperty() version: number;
  @ApiProperty({ enum: BANK_QUESTION_KINDS }) kind: BankQuestionKind;
  @ApiProperty() prompt: string;
  @ApiProperty({ description: 'The item’s points' }) points: number;
  @ApiProperty({ type: [AttemptRubricDto], nullable: true }) rubric: AttemptRubricDto[] | null;
  @ApiProperty({ nullable: true, description: 'The learner’s response as saved' })
  response: unknown;
  @ApiProperty() personId: string;
  @ApiProperty() learnerName: string;
  @ApiProperty() submittedAt: string;
  @ApiProperty({ type: [MarkingMarkDto] }) marks: MarkingMarkDto[];
  @ApiProperty({ enum: MARKING_NEEDS }) needs: MarkingNeed;
}

export class MarkingQueueQueryDto extends PageQueryDto {}

export class MarkingQueueDto {
  @ApiProperty({ type: [MarkingEntryDto] }) items: MarkingEntryDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor: string | null;
  @ApiProperty({
    description: 'Submitted attempts in scope whose every answer has its final points',
  })
  readyToRelease: number;
}

/** A mark as stored, and what it made of the answer and the attempt. */
export class MarkResultDto {
  @ApiProperty() id: string;
  @ApiProperty() attemptId: string;
  @ApiProperty() position: number;
  @ApiProperty({ minimum: 1, maximum: 3 }) markerNo: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } })
  criteria: Record<string, number>;
  @ApiProperty({ description: 'Points of this mark, scaled to the item' }) points: number;
  @ApiProperty({ nullable: true, type: String }) feedback: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Null while another mark is needed' })
  finalPoints: number | null;
  @ApiProperty({ nullable: true, enum: MARKING_NEEDS }) needs: MarkingNeed | null;
  @ApiProperty({ description: 'The attempt’s result was already released (and is recomputed)' })
  released: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'The released score, recomputed' })
  score: number | null;
  @ApiProperty({ nullable: true, type: Boolean }) passed: boolean | null;
}

export class ReleaseOutcomeDto {
  @ApiProperty() released: number;
  @ApiProperty({ description: 'Submitted attempts in scope still waiting for a mark' })
  waiting: number;
  @ApiProperty({ description: 'Ready attempts left for another call (500 per call)' })
  remaining: number;
}
