import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { Type } from 'class-transformer';
import { IsOmittable, Trim } from '../../common/http/validators';
import { TABLE_FORMATS, TableFormat } from '../../common/csv/table';
import { PageQueryDto } from '../../common/pagination/page';
import { BANK_QUESTION_KINDS, BankQuestionKind } from '../questions/question-model';

export const QUESTION_BANK_STATUSES = ['active', 'archived'] as const;
export type QuestionBankStatus = (typeof QUESTION_BANK_STATUSES)[number];
export const BANK_QUESTION_STATUSES = ['active', 'retired'] as const;
export type BankQuestionStatus = (typeof BANK_QUESTION_STATUSES)[number];

export class CreateQuestionBankDto {
  @ApiProperty({ description: 'The owner unit, within the officer’s training:manage scope' })
  @IsUUID()
  ownerOrgUnitId: string;

  @ApiProperty({ example: 'Pháp luật về công đoàn' })
  @IsString()
  @Trim()
  @MinLength(1)
  @MaxLength(300)
  name: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}

export class UpdateQuestionBankDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @Trim()
  @MinLength(1)
  @MaxLength(300)
  name?: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({
    enum: QUESTION_BANK_STATUSES,
    description: 'archived: no new questions and no new draws; restore with active',
  })
  @IsOmittable()
  @IsIn(QUESTION_BANK_STATUSES)
  status?: QuestionBankStatus;
}

export class CreateQuestionCategoryDto {
  @ApiProperty({ example: 'Luật Công đoàn 2024' })
  @IsString()
  @Trim()
  @MinLength(1)
  @MaxLength(200)
  name: string;
}

/** Where a question sits and how it is found: not part of its versioned content. */
class QuestionMetaDto {
  @ApiPropertyOptional({ nullable: true, type: String, description: 'A category of the bank' })
  @IsOptional()
  @IsUUID()
  categoryId?: string | null;

  @ApiPropertyOptional({
    type: [String],
    example: ['C2', 'Luật Công đoàn'],
    description: 'Topics and other tags, at most 20, each 1–50 characters',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 3, description: '1 easy, 2 medium, 3 hard' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(3)
  difficulty?: number;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'A competency of a published framework version the officer reads',
  })
  @IsOptional()
  @IsUUID()
  competencyId?: string | null;
}

const BODY_EXAMPLE = {
  kind: 'single',
  options: [
    { key: 'A', text: '3 đoàn viên' },
    { key: 'B', text: '5 đoàn viên' },
  ],
  correct: 'B',
};

/** The versioned content: prompt, points and the kind's body (checked by validateQuestion). */
class QuestionContentDto extends QuestionMetaDto {
  @ApiProperty({ example: 'Công đoàn cơ sở được thành lập khi có ít nhất bao nhiêu đoàn viên?' })
  @IsString()
  @MaxLength(5000)
  prompt: string;

  @ApiProperty({ minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  points: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: BODY_EXAMPLE,
    description:
      'The question by kind: single {options, correct}, multiple {options, correct[], partialCredit}, ' +
      'true_false {correct}, short_answer {accepted[], caseSensitive, ignoreDiacritics, patterns[]}, ' +
      'numeric {value, tolerance}, ordering {items, partialCredit}, matching {premises, responses, ' +
      'pairs, partialCredit}, essay {wordLimit, rubric[]}',
  })
  @IsObject()
  body: Record<string, unknown>;
}

export class CreateBankQuestionDto extends QuestionContentDto {}

export class ReviseBankQuestionDto extends QuestionContentDto {
  @ApiPropertyOptional({
    minimum: 1,
    description: 'The version the edit started from: a newer one answers 409',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  expectedVersion?: number;
}

export class UpdateBankQuestionDto extends QuestionMetaDto {
  @ApiPropertyOptional({
    enum: BANK_QUESTION_STATUSES,
    description: 'retired: never drawn again',
  })
  @IsOmittable()
  @IsIn(BANK_QUESTION_STATUSES)
  status?: BankQuestionStatus;
}

export class ListQuestionBanksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: QUESTION_BANK_STATUSES })
  @IsOptional()
  @IsIn(QUESTION_BANK_STATUSES)
  status?: QuestionBankStatus;
}

export class ListBankQuestionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  categoryId?: string;

  @ApiPropertyOptional({ description: 'Questions carrying this tag' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  tag?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 3 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3)
  difficulty?: number;

  @ApiPropertyOptional({ enum: BANK_QUESTION_KINDS })
  @IsOptional()
  @IsIn(BANK_QUESTION_KINDS)
  kind?: BankQuestionKind;

  @ApiPropertyOptional({ enum: BANK_QUESTION_STATUSES })
  @IsOptional()
  @IsIn(BANK_QUESTION_STATUSES)
  status?: BankQuestionStatus;
}

export class QuestionCategoryDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Active questions in the category' }) questionCount: number;
}

export class QuestionBankDto {
  @ApiProperty() id: string;
  @ApiProperty() ownerOrgUnitId: string;
  @ApiProperty() ownerName: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ enum: QUESTION_BANK_STATUSES }) status: QuestionBankStatus;
  @ApiProperty({ description: 'Active questions' }) questionCount: number;
  @ApiProperty({ description: 'May the reader add and change questions' }) writable: boolean;
  @ApiProperty({ type: [QuestionCategoryDto] }) categories: QuestionCategoryDto[];
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class BankQuestionDto {
  @ApiProperty() id: string;
  @ApiProperty() bankId: string;
  @ApiProperty({ nullable: true, type: String }) categoryId: string | null;
  @ApiProperty({ nullable: true, type: String }) categoryName: string | null;
  @ApiProperty({ enum: BANK_QUESTION_KINDS }) kind: BankQuestionKind;
  @ApiProperty() difficulty: number;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ nullable: true, type: String }) competencyLineageId: string | null;
  @ApiProperty({ enum: BANK_QUESTION_STATUSES }) status: BankQuestionStatus;
  @ApiProperty({ description: 'The current version' }) version: number;
  @ApiProperty({ description: 'The id of the current version (what an attempt records)' })
  versionId: string;
  @ApiProperty() prompt: string;
  @ApiProperty() points: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) body: Record<string, unknown>;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class BankQuestionVersionDto {
  @ApiProperty() id: string;
  @ApiProperty() version: number;
  @ApiProperty() prompt: string;
  @ApiProperty() points: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) body: Record<string, unknown>;
  @ApiProperty() createdAt: string;
}

export class BankQuestionDetailDto extends BankQuestionDto {
  @ApiProperty({ type: [BankQuestionVersionDto], description: 'Every version, newest first' })
  versions: BankQuestionVersionDto[];
}

export class ExportQtiQueryDto {
  @ApiPropertyOptional({ description: 'Only the questions of this category' })
  @IsOptional()
  @IsUUID()
  categoryId?: string;
}

export const QTI_IMPORT_MODES = ['dry-run', 'commit'] as const;

/** The multipart fields beside the file. */
export class ImportQtiDto {
  @ApiPropertyOptional({ enum: QTI_IMPORT_MODES, default: 'dry-run' })
  @IsOptional()
  @IsIn(QTI_IMPORT_MODES)
  mode?: (typeof QTI_IMPORT_MODES)[number];

  @ApiPropertyOptional({ description: 'A category of the bank for every imported question' })
  @IsOptional()
  @IsUUID()
  categoryId?: string;
}

export class QtiImportItemDto {
  @ApiProperty() identifier: string;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty({ enum: BANK_QUESTION_KINDS }) kind: BankQuestionKind;
  @ApiProperty() prompt: string;
  @ApiProperty() points: number;
}

export class QtiImportReportDto {
  @ApiProperty({ description: 'A dry run: checked, nothing written' }) dryRun: boolean;
  @ApiProperty({ description: 'Questions written (0 on a dry run)' }) imported: number;
  @ApiProperty({ type: [QtiImportItemDto] }) items: QtiImportItemDto[];
}

export class QuestionTemplateQueryDto {
  @ApiPropertyOptional({ enum: TABLE_FORMATS, default: 'xlsx' })
  @IsOptional()
  @IsIn(TABLE_FORMATS)
  format?: TableFormat;
}

/** The multipart fields beside the spreadsheet. */
export class ImportQuestionSheetDto {
  @ApiPropertyOptional({ enum: QTI_IMPORT_MODES, default: 'dry-run' })
  @IsOptional()
  @IsIn(QTI_IMPORT_MODES)
  mode?: (typeof QTI_IMPORT_MODES)[number];
}

export class QuestionSheetRowDto {
  @ApiProperty({ description: 'The row of the file (the header is row 1 of a CSV)' })
  row: number;
  @ApiProperty({ enum: BANK_QUESTION_KINDS }) kind: BankQuestionKind;
  @ApiProperty() prompt: string;
  @ApiProperty() points: number;
  @ApiProperty({ nullable: true, type: String }) category: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty() difficulty: number;
}

export class QuestionSheetReportDto {
  @ApiProperty({ description: 'A dry run: checked, nothing written' }) dryRun: boolean;
  @ApiProperty({ enum: TABLE_FORMATS, description: 'What the file was read as' })
  format: TableFormat;
  @ApiProperty({ nullable: true, type: String, description: 'The sheet read (null for a CSV)' })
  sheet: string | null;
  @ApiProperty({ description: 'Questions written (0 on a dry run)' }) imported: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { single: 12, essay: 2 },
    description: 'Rows by question kind',
  })
  kinds: Partial<Record<BankQuestionKind, number>>;
  @ApiProperty({
    type: [String],
    description: 'Categories the bank did not have, created by the import (a dry run: would be)',
  })
  newCategories: string[];
  @ApiProperty({ type: [QuestionSheetRowDto] }) rows: QuestionSheetRowDto[];
}
