import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CODE_PATTERN, FrameworkDto } from '../dto/framework.dto';

export class ImportCsvQueryDto {
  @ApiProperty({
    enum: ['true', 'false'],
    description: 'true: check every row and write nothing; false: write all or nothing',
  })
  @IsIn(['true', 'false'])
  dryRun: 'true' | 'false';
}

export class ImportCsvDto {
  @ApiProperty({
    description:
      'The CSV text (UTF-8, byte-order mark optional). Columns: type, code, parent_code, level, ' +
      'name_vi, name_en, description_vi, description_en, proficient, policy, policy_years; ' +
      'rows of type framework, level, domain, competency, indicator — the layout of export.csv.',
  })
  @IsString()
  @MaxLength(1_000_000)
  csv: string;

  @ApiProperty({ format: 'uuid', description: 'The confederation or a federation in scope' })
  @IsUUID()
  ownerOrgUnitId: string;

  @ApiPropertyOptional({ description: 'Overrides the code of the framework row' })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN)
  code?: string;
}

export class ImportCaseDto {
  @ApiProperty({ description: 'An IMS CASE package: { CFDocument, CFItems, CFAssociations }' })
  @IsObject()
  document: Record<string, unknown>;

  @ApiProperty({ format: 'uuid', description: 'The confederation or a federation in scope' })
  @IsUUID()
  ownerOrgUnitId: string;

  @ApiPropertyOptional({
    description: 'The new framework’s code; defaults to CFDocument.extensions.frameworkCode',
  })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN)
  code?: string;
}

export class ImportRowErrorDto {
  @ApiProperty({ description: 'Spreadsheet row number; the header is row 1' }) row: number;
  @ApiProperty({ description: 'Column name, or empty for the whole row' }) field: string;
  @ApiProperty() message: string;
}

export class ImportSummaryDto {
  @ApiProperty() code: string;
  @ApiProperty() levels: number;
  @ApiProperty() domains: number;
  @ApiProperty() competencies: number;
  @ApiProperty() indicators: number;
}

export class ImportResultDto {
  @ApiProperty() dryRun: boolean;
  @ApiProperty() valid: boolean;
  @ApiProperty({ type: [ImportRowErrorDto] }) errors: ImportRowErrorDto[];
  @ApiProperty({ type: ImportSummaryDto }) summary: ImportSummaryDto;
  @ApiProperty({
    type: FrameworkDto,
    nullable: true,
    description: 'The framework created (version 1 as a draft); null on a dry run',
  })
  framework: FrameworkDto | null;
}
