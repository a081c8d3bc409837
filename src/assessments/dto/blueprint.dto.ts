import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsDecimal, IsNestedObject, IsOmittable, Trim } from '../../common/http/validators';
import { BANK_QUESTION_KINDS, BankQuestionKind } from '../questions/question-model';

export const GRADING_POLICIES = ['highest', 'latest', 'average', 'first'] as const;
export type GradingPolicy = (typeof GRADING_POLICIES)[number];

/**
 * One rule of a section: a fixed bank question (questionId), or `count` questions drawn at
 * random from the bank's active questions that match every filter given.
 */
export class BlueprintRuleDto {
  @ApiProperty({ description: 'A bank the officer may use (training:read scope, or above)' })
  @IsUUID()
  bankId: string;

  @ApiPropertyOptional({ description: 'A fixed question of the bank; then no filter and count 1' })
  @IsOptional()
  @IsUUID()
  questionId?: string;

  @ApiPropertyOptional({ description: 'Draw from this category of the bank' })
  @IsOptional()
  @IsUUID()
  categoryId?: string;

  @ApiPropertyOptional({ example: 'C2' })
  @IsOptional()
  @IsString()
  @Trim()
  @MinLength(1)
  @MaxLength(100)
  tag?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  difficulty?: number;

  @ApiPropertyOptional({ enum: BANK_QUESTION_KINDS })
  @IsOptional()
  @IsIn(BANK_QUESTION_KINDS)
  kind?: BankQuestionKind;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 1 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(200)
  count?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000,
    description: 'Points of each question drawn; absent: the question’s own points',
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(1000)
  points?: number;
}

export class BlueprintSectionDto {
  @ApiProperty({ example: 'Phần 1 — Pháp luật' })
  @IsString()
  @Trim()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ type: [BlueprintRuleDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsNestedObject(() => BlueprintRuleDto, { each: true })
  rules: BlueprintRuleDto[];
}

/**
 * What a drawn assessment is made of and how it is sat. Replaces the blueprint whole; the
 * assessment's own (inline) questions are removed, since a drawn attempt shows bank questions.
 */
export class ReplaceBlueprintDto {
  @ApiProperty({ type: [BlueprintSectionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsNestedObject(() => BlueprintSectionDto, { each: true })
  sections: BlueprintSectionDto[];

  @ApiPropertyOptional({ default: false, description: 'Each attempt orders the questions anew' })
  @IsOmittable()
  @IsBoolean()
  shuffleQuestions?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Each attempt orders the options anew' })
  @IsOmittable()
  @IsBoolean()
  shuffleOptions?: boolean;

  @ApiPropertyOptional({ enum: GRADING_POLICIES, default: 'highest' })
  @IsOmittable()
  @IsIn(GRADING_POLICIES)
  gradingPolicy?: GradingPolicy;

  @ApiPropertyOptional({ default: false, description: 'Every marked answer needs two markers' })
  @IsOmittable()
  @IsBoolean()
  secondMarking?: boolean;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Two marks further apart than this (points) go to a third marker',
  })
  @IsOptional()
  @IsDecimal(2, 0, 1000)
  markerThreshold?: number | null;
}

/** When an assessment can be sat; either end may be open. Changeable after publication. */
export class AssessmentWindowDto {
  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-12-10T01:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  opensAt?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-12-10T03:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  closesAt?: string | null;
}

export class BlueprintRuleViewDto {
  @ApiProperty() bankId: string;
  @ApiProperty() bankName: string;
  @ApiProperty({ nullable: true, type: String }) questionId: string | null;
  @ApiProperty({ nullable: true, type: String }) categoryId: string | null;
  @ApiProperty({ nullable: true, type: String }) tag: string | null;
  @ApiProperty({ nullable: true, type: Number }) difficulty: number | null;
  @ApiProperty({ nullable: true, enum: BANK_QUESTION_KINDS }) kind: BankQuestionKind | null;
  @ApiProperty() count: number;
  @ApiProperty({ nullable: true, type: Number }) points: number | null;
  @ApiProperty({ description: 'Active questions that match the rule now' }) available: number;
}

export class BlueprintSectionViewDto {
  @ApiProperty() title: string;
  @ApiProperty({ type: [BlueprintRuleViewDto] }) rules: BlueprintRuleViewDto[];
}

export class BlueprintDto {
  @ApiProperty() assessmentId: string;
  @ApiProperty({ description: 'Attempts draw from the blueprint (else the inline questions)' })
  drawn: boolean;
  @ApiProperty({ type: [BlueprintSectionViewDto] }) sections: BlueprintSectionViewDto[];
  @ApiProperty() questionCount: number;
  @ApiProperty() shuffleQuestions: boolean;
  @ApiProperty() shuffleOptions: boolean;
  @ApiProperty({ enum: GRADING_POLICIES }) gradingPolicy: GradingPolicy;
  @ApiProperty() secondMarking: boolean;
  @ApiProperty({ nullable: true, type: Number }) markerThreshold: number | null;
  @ApiProperty({ nullable: true, type: String }) opensAt: string | null;
  @ApiProperty({ nullable: true, type: String }) closesAt: string | null;
}
