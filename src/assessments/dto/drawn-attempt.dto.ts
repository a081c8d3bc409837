import { ApiProperty } from '@nestjs/swagger';
import { IsDefined } from 'class-validator';
import { BANK_QUESTION_KINDS, BankQuestionKind } from '../questions/question-model';

/** A choice as a learner sees it: its key and text, in the attempt's order. */
export class AttemptChoiceDto {
  @ApiProperty() key: string;
  @ApiProperty() text: string;
}

export class AttemptRubricDto {
  @ApiProperty() key: string;
  @ApiProperty() title: string;
  @ApiProperty() maxPoints: number;
}

/** How one question of a drawn attempt came out, once the review policy allows it. */
export class AttemptItemResultDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Null while a person marks it' })
  pointsEarned: number | null;
  @ApiProperty({ nullable: true, type: Boolean }) correct: boolean | null;
  @ApiProperty({
    description:
      'The right answer in the response’s own shape (option keys, true/false, accepted texts, ' +
      'the number, the order, the pairs); null for an essay',
    nullable: true,
  })
  correctAnswer: unknown;
  @ApiProperty({ nullable: true, type: String, description: 'The marker’s feedback' })
  feedback: string | null;
}

/** One question of a drawn attempt: never its answer before the review policy allows. */
export class AttemptItemDto {
  @ApiProperty() questionId: string;
  @ApiProperty() position: number;
  @ApiProperty() section: string;
  @ApiProperty({ enum: BANK_QUESTION_KINDS }) kind: BankQuestionKind;
  @ApiProperty() prompt: string;
  @ApiProperty() points: number;
  @ApiProperty({
    type: [AttemptChoiceDto],
    nullable: true,
    description: 'single/multiple: the options; ordering: the items; matching: the premises',
  })
  options: AttemptChoiceDto[] | null;
  @ApiProperty({
    type: [AttemptChoiceDto],
    nullable: true,
    description: 'matching: the right column',
  })
  responses: AttemptChoiceDto[] | null;
  @ApiProperty({ nullable: true, type: Number }) wordLimit: number | null;
  @ApiProperty({ type: [AttemptRubricDto], nullable: true }) rubric: AttemptRubricDto[] | null;
  @ApiProperty({ nullable: true, description: 'The response saved last' }) response: unknown;
  @ApiProperty({ nullable: true, type: String }) savedAt: string | null;
  @ApiProperty({ type: AttemptItemResultDto, nullable: true }) result: AttemptItemResultDto | null;
}

/**
 * A learner's response to one question of a drawn attempt, by kind: single → an option key;
 * multiple → option keys; true_false → a boolean; short_answer and essay → text; numeric → a
 * number (or text with a decimal comma); ordering → item keys in order; matching → premise key
 * → response key.
 */
export class SaveResponseDto {
  @ApiProperty({
    description:
      'By kind: an option key; option keys; true or false; text; a number; item keys in order; ' +
      'premise key → response key',
  })
  @IsDefined()
  response: unknown;
}

export class SavedResponseDto {
  @ApiProperty() questionId: string;
  @ApiProperty({ nullable: true }) response: unknown;
  @ApiProperty() savedAt: string;
}
