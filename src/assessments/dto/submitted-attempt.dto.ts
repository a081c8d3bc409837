import { ApiProperty } from '@nestjs/swagger';
import { PageQueryDto } from '../../common/pagination/page';
import { AttemptItemDto } from './drawn-attempt.dto';

/** One submitted drawn attempt of an assessment, as the officer's list shows it. */
export class SubmittedAttemptSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() personId: string;
  @ApiProperty() learnerName: string;
  @ApiProperty({ description: 'The attempt’s number for its learner (1, 2 …)' }) number: number;
  @ApiProperty() submittedAt: string;
  @ApiProperty({ description: 'Its result has been released to the learner' }) released: boolean;
  @ApiProperty({ nullable: true, type: Number }) score: number | null;
  @ApiProperty({ nullable: true, type: Boolean }) passed: boolean | null;
  @ApiProperty({ description: 'Answers still without their final points (an essay to mark)' })
  waiting: number;
  @ApiProperty({ description: 'Auto-graded answers whose points an officer overrode' })
  overridden: number;
}

export class SubmittedAttemptsQueryDto extends PageQueryDto {}

export class SubmittedAttemptsPageDto {
  @ApiProperty({ type: [SubmittedAttemptSummaryDto] }) items: SubmittedAttemptSummaryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/** A current mark of one answer: an essay's marker, or an officer's override with its reason. */
export class SubmittedMarkDto {
  @ApiProperty() id: string;
  @ApiProperty({ minimum: 1, maximum: 3 }) markerNo: number;
  @ApiProperty() points: number;
  @ApiProperty({ nullable: true, type: String, description: 'The marker’s name (or e-mail)' })
  markerName: string | null;
  @ApiProperty({ description: 'Given by the caller' }) mine: boolean;
  @ApiProperty() markedAt: string;
  @ApiProperty({ nullable: true, type: String }) feedback: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why an answer was overridden' })
  reason: string | null;
}

/**
 * One answer of a submitted attempt as an officer reads it: the item as the learner saw it with
 * its response, the right answer, the engine's points and the final points (in `result`), and
 * the current marks.
 */
export class SubmittedItemDto extends AttemptItemDto {
  @ApiProperty({ nullable: true, type: Number, description: 'The engine’s points (null: essay)' })
  autoPoints: number | null;
  @ApiProperty({ description: 'An essay: marked in the grading queue, not overridden' })
  needsMarking: boolean;
  @ApiProperty({ type: [SubmittedMarkDto] }) marks: SubmittedMarkDto[];
}

/** A submitted drawn attempt with every answer, for the officer who marks or overrides it. */
export class SubmittedAttemptDto extends SubmittedAttemptSummaryDto {
  @ApiProperty() assessmentId: string;
  @ApiProperty() assessmentTitle: string;
  @ApiProperty() courseId: string;
  @ApiProperty({ nullable: true, type: Number }) pointsEarned: number | null;
  @ApiProperty() pointsTotal: number;
  @ApiProperty({ type: [SubmittedItemDto] }) items: SubmittedItemDto[];
}
