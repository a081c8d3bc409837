import { Controller, Get, Header, Param, Query, StreamableFile } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { TABLE_CONTENT_TYPES, TABLE_FORMATS, TableFormat } from '../common/csv/table';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { ExportsService } from './exports.service';
import { IMPORT_KINDS, ImportKind } from './import-kinds.types';

// The request DTOs of these three routes are small and used nowhere else: kept beside them.

export class ImportKindParamDto {
  @ApiProperty({ enum: IMPORT_KINDS })
  @IsIn(IMPORT_KINDS)
  kind!: ImportKind;
}

export class TemplateQueryDto {
  @ApiPropertyOptional({ enum: TABLE_FORMATS, default: 'xlsx' })
  @IsOptional()
  @IsIn(TABLE_FORMATS)
  format?: TableFormat;
}

/** Every kind in one workbook: one sheet each, so only XLSX. */
export class AllTemplatesQueryDto {
  @ApiPropertyOptional({ enum: ['xlsx'], default: 'xlsx' })
  @IsOptional()
  @IsIn(['xlsx'])
  format?: 'xlsx';
}

export class ExportQueryDto {
  @ApiPropertyOptional({ enum: TABLE_FORMATS, default: 'xlsx' })
  @IsOptional()
  @IsIn(TABLE_FORMATS)
  format?: TableFormat;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The subtree to export (in the caller’s scope); the whole scope when absent',
  })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;
}

const FILES = Object.values(TABLE_CONTENT_TYPES);

/**
 * The templates of the import and the export of the same shapes (issue 15, items 1 and 6). Who
 * may import (people:write: administrators and HR) may download the templates and take the data
 * of their subtree out; accounts and roles only administrators (accounts:manage).
 */
@ApiTags('imports')
@Controller()
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('import-templates')
  @RequirePermission('people:write')
  @ApiOperation({
    summary: 'Tải mẫu nhập dữ liệu (mọi loại, một tệp Excel)',
    description:
      'One workbook with a sheet per import kind (headers with comments, drop-down lists, ' +
      'formats, an example row) and a "Hướng dẫn" sheet listing columns and accepted values',
  })
  @ApiProduces(TABLE_CONTENT_TYPES.xlsx)
  @ApiOkResponse({ description: 'The workbook' })
  @ApiErrors(400)
  allTemplates(@Query() _query: AllTemplatesQueryDto): Promise<StreamableFile> {
    return this.exports.template(undefined, 'xlsx');
  }

  @Get('import-templates/:kind')
  @RequirePermission('people:write')
  @ApiOperation({
    summary: 'Tải mẫu nhập dữ liệu của một loại',
    description:
      'The template of one import kind: XLSX (header comments, drop-down lists for choice ' +
      'columns, dd/mm/yyyy dates, CCCD as text, an example row, a "Hướng dẫn" sheet) or CSV ' +
      '(header row and example, UTF-8 BOM)',
  })
  @ApiProduces(...FILES)
  @ApiOkResponse({ description: 'The template file' })
  @ApiErrors(400)
  template(
    @Param() params: ImportKindParamDto,
    @Query() query: TemplateQueryDto,
  ): Promise<StreamableFile> {
    return this.exports.template(params.kind, query.format ?? 'xlsx');
  }

  @Get('exports/:kind')
  @RequirePermission('people:write')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Xuất dữ liệu theo mẫu nhập',
    description:
      'The rows of one kind in the subtree of orgUnitId (or the caller’s whole scope), with ' +
      'exactly the template’s headers so that the file imports unchanged: units by code with ' +
      'the parent’s code, choice values as their Vietnamese words, dates dd/mm/yyyy (CSV) or ' +
      'date cells (XLSX). Streamed. The accounts kind needs accounts:manage (administrators)',
  })
  @ApiProduces(...FILES)
  @ApiOkResponse({ description: 'The export file' })
  @ApiErrors(400)
  export(
    @CurrentActor() actor: Actor,
    @Param() params: ImportKindParamDto,
    @Query() query: ExportQueryDto,
  ): Promise<StreamableFile> {
    return this.exports.export(actor, params.kind, query.format ?? 'xlsx', query.orgUnitId);
  }
}
