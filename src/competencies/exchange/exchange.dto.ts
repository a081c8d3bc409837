import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CODE_PATTERN, FrameworkDto, PolicyInputDto, ScaleInputDto } from '../dto/framework.dto';
import { IsNestedObject } from '../../common/http/validators';

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
  @ApiProperty({
    description:
      'An IMS CASE 1.0 package: { CFDocument, CFItems, CFAssociations, CFDefinitions? } (or ' +
      '{ CFPackage: { … } }), a public framework’s or our own export. Top-level items become ' +
      'domains, their children competencies, deeper items an outline in the description',
  })
  @IsObject()
  document: Record<string, unknown>;

  @ApiPropertyOptional({
    type: ScaleInputDto,
    description:
      'The scale of the new framework; default: the package’s own (our export), else the ' +
      'five-level default scale (a CASE package has no place for one)',
  })
  @IsOptional()
  @IsNestedObject(() => ScaleInputDto)
  scale?: ScaleInputDto;

  @ApiPropertyOptional({
    type: PolicyInputDto,
    description:
      'How current levels are chosen; default: the package’s own, else supervisor_over_self',
  })
  @IsOptional()
  @IsNestedObject(() => PolicyInputDto)
  policy?: PolicyInputDto;

  @ApiProperty({ format: 'uuid', description: 'The confederation or a federation in scope' })
  @IsUUID()
  ownerOrgUnitId: string;

  @ApiPropertyOptional({
    description:
      'The new framework’s code; defaults to CFDocument.extensions.frameworkCode (our export); ' +
      'required for a package that has none',
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
