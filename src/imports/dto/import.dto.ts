import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';
import { IMPORT_KINDS, ImportKind } from '../import-kinds.types';

export const IMPORT_MODES = ['dry-run', 'commit'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const IMPORT_ON_ERROR = ['all-or-none', 'valid-only'] as const;
export type ImportOnError = (typeof IMPORT_ON_ERROR)[number];
export const IMPORT_STATES = [
  'queued',
  'staging',
  'validating',
  'applying',
  'done',
  'failed',
  'rolled_back',
] as const;
export type ImportState = (typeof IMPORT_STATES)[number];
export const ROW_OUTCOMES = ['created', 'updated', 'unchanged', 'error'] as const;
export type RowOutcome = (typeof ROW_OUTCOMES)[number];

/** The form fields beside the file of POST /imports (multipart/form-data). */
export class CreateImportDto {
  @ApiPropertyOptional({
    enum: IMPORT_KINDS,
    description:
      'What the file holds. Required for CSV; for a workbook, optional when its sheets are named as the template names them (Don vi, Can bo …).',
  })
  @IsOptional()
  @IsIn(IMPORT_KINDS)
  kind?: ImportKind;

  @ApiPropertyOptional({
    enum: IMPORT_MODES,
    default: 'dry-run',
    description: 'dry-run: the report only, nothing written; commit: write the rows',
  })
  @IsOptional()
  @IsIn(IMPORT_MODES)
  mode?: ImportMode;

  @ApiPropertyOptional({
    enum: IMPORT_ON_ERROR,
    default: 'all-or-none',
    description:
      'all-or-none: a row with an error stops the whole import (422, nothing written); valid-only: the valid rows are written and the rejected ones are offered as rejected.csv',
  })
  @IsOptional()
  @IsIn(IMPORT_ON_ERROR)
  onError?: ImportOnError;
}

export class ImportTotalsDto {
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty() error: number;
  @ApiProperty() total: number;
}

export class RowErrorDto {
  @ApiProperty({ description: 'The column as the file names it', example: 'Số CCCD' })
  column: string;
  @ApiProperty({ description: "In the caller's language (Accept-Language)" })
  message: string;
}

export class ImportRowDto {
  @ApiProperty({ enum: IMPORT_KINDS }) kind: ImportKind;
  @ApiProperty({ description: 'Row number as the spreadsheet shows it (header = 1)' })
  row: number;
  @ApiProperty({ enum: ROW_OUTCOMES }) outcome: RowOutcome;
  @ApiProperty({ type: [RowErrorDto] }) errors: RowErrorDto[];
}

export class ImportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: IMPORT_STATES }) state: ImportState;
  @ApiProperty({ enum: IMPORT_MODES }) mode: ImportMode;
  @ApiProperty({ enum: IMPORT_ON_ERROR }) onError: ImportOnError;
  @ApiProperty({ enum: IMPORT_KINDS, isArray: true }) kinds: ImportKind[];
  @ApiProperty() fileName: string;
  @ApiProperty({ type: ImportTotalsDto }) totals: ImportTotalsDto;
  @ApiProperty({ description: 'Totals per kind', type: 'object', additionalProperties: true })
  byKind: Partial<Record<ImportKind, ImportTotalsDto>>;
  @ApiProperty({ description: 'Rows read so far' }) rowsDone: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Rows in the file, when known' })
  rowsTotal: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Error code of a failed import' })
  errorCode: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt: string | null;
}

/** The answer to an upload processed in the request: the import, its error rows and first rows. */
export class ImportReportDto extends ImportDto {
  @ApiProperty({ type: [ImportRowDto], description: 'Rows with errors (at most 100)' })
  errorRows: ImportRowDto[];
  @ApiProperty({ type: [ImportRowDto], description: 'The first rows of the file (at most 100)' })
  rows: ImportRowDto[];
}

export class ImportRowsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROW_OUTCOMES })
  @IsOptional()
  @IsIn(ROW_OUTCOMES)
  outcome?: RowOutcome;

  @ApiPropertyOptional({ enum: IMPORT_KINDS })
  @IsOptional()
  @IsIn(IMPORT_KINDS)
  kind?: ImportKind;
}

export class RejectedQueryDto {
  @ApiPropertyOptional({ enum: IMPORT_KINDS, description: 'Default: the first kind with errors' })
  @IsOptional()
  @IsIn(IMPORT_KINDS)
  kind?: ImportKind;
}
