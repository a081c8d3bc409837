import { ApiProperty } from '@nestjs/swagger';
import { BANK_QUESTION_KINDS, BankQuestionKind } from '../questions/question-model';
import type { ItemFlag } from '../questions/item-statistics';

const FLAGS = ['too_easy', 'too_hard', 'negative_discrimination', 'low_discrimination'];

export class ItemOptionUseDto {
  @ApiProperty() key: string;
  @ApiProperty() text: string;
  @ApiProperty({
    nullable: true,
    type: Boolean,
    description: 'A right option; null for readers who may not change the course',
  })
  correct: boolean | null;
  @ApiProperty({ description: 'Attempts that chose it' }) count: number;
  @ApiProperty({ description: 'count / attempts, 0 … 1' }) share: number;
}

export class ItemStatisticsItemDto {
  @ApiProperty({ description: 'The question (a bank question when the assessment draws)' })
  questionId: string;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'The bank question’s version (each version is its own item); null inline',
  })
  version: number | null;
  @ApiProperty() position: number;
  @ApiProperty({ enum: BANK_QUESTION_KINDS }) kind: BankQuestionKind;
  @ApiProperty() prompt: string;
  @ApiProperty() points: number;
  @ApiProperty({ description: 'Submitted attempts that showed it' }) attempts: number;
  @ApiProperty() answered: number;
  @ApiProperty() unanswered: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Mean share of its points earned (0 … 1); null with no attempt',
  })
  facility: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Share fully right' })
  correctShare: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Point-biserial against the rest of the test; null when it cannot be computed',
  })
  discrimination: number | null;
  @ApiProperty({ nullable: true, type: Number }) averageSeconds: number | null;
  @ApiProperty({ enum: FLAGS, isArray: true }) flags: ItemFlag[];
  @ApiProperty({ type: [ItemOptionUseDto] }) options: ItemOptionUseDto[];
}

export class ItemStatisticsThresholdsDto {
  @ApiProperty() tooEasyFacility: number;
  @ApiProperty() tooHardFacility: number;
  @ApiProperty() lowDiscrimination: number;
  @ApiProperty() minAttemptsForFlags: number;
}

export class ItemStatisticsReportDto {
  @ApiProperty() assessmentId: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Submitted attempts of learners in the reader’s subtree' })
  submittedAttempts: number;
  @ApiProperty({ type: ItemStatisticsThresholdsDto }) thresholds: ItemStatisticsThresholdsDto;
  @ApiProperty({ type: [ItemStatisticsItemDto] }) items: ItemStatisticsItemDto[];
}

/** A bank question's statistics per version, over every assessment that drew it. */
export class BankQuestionStatisticsDto {
  @ApiProperty() bankId: string;
  @ApiProperty() questionId: string;
  @ApiProperty({
    description: 'Released attempts, of learners in the reader’s subtree, that drew it',
  })
  submittedAttempts: number;
  @ApiProperty({ type: ItemStatisticsThresholdsDto }) thresholds: ItemStatisticsThresholdsDto;
  @ApiProperty({ type: [ItemStatisticsItemDto], description: 'One per version shown' })
  items: ItemStatisticsItemDto[];
}
