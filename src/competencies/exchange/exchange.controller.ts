import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, RequirePermission } from '../../auth/access.decorators';
import { Actor } from '../../auth/actor';
import { pickLanguage } from '../../common/http/language';
import { UuidParam } from '../../common/http/params';
import { FrameworkDto } from '../dto/framework.dto';
import { ImportCaseDto, ImportCsvDto, ImportCsvQueryDto, ImportResultDto } from './exchange.dto';
import { FrameworkExchangeService } from './exchange.service';
import { CasePackage } from './framework-case';
import { ApiFileResponse } from '../../common/openapi/api-page.decorator';

@ApiTags('competency frameworks')
@Controller('frameworks/import')
export class FrameworkImportController {
  constructor(private readonly exchange: FrameworkExchangeService) {}

  /**
   * JSON body `{ csv, ownerOrgUnitId, code? }`. dryRun=true answers 200 with every row error
   * (valid: false) and writes nothing; dryRun=false answers 201 with the framework, or 422
   * FRAMEWORK_IMPORT_INVALID listing every bad row (details field `rows[N].column`) and writes
   * nothing.
   */
  @Post('csv')
  @HttpCode(200)
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: ImportResultDto })
  @ApiOperation({
    summary: 'Nhập khung năng lực từ tệp CSV',
    description: 'Import a framework from CSV (the columns of the CSV export)',
  })
  async importCsv(
    @CurrentActor() actor: Actor,
    @Query() query: ImportCsvQueryDto,
    @Body() dto: ImportCsvDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportResultDto> {
    const dryRun = query.dryRun === 'true';
    const result = await this.exchange.importCsv(actor, dto, dryRun, pickLanguage(acceptLanguage));
    if (!dryRun) res.status(201);
    return result;
  }

  @Post('case')
  @RequirePermission('competencies:manage')
  @ApiOkResponse({ type: FrameworkDto, description: 'A new framework, version 1 as a draft' })
  @ApiOperation({
    summary: 'Nhập khung năng lực từ gói CASE (JSON)',
    description: 'Import a framework from a CASE package (JSON)',
  })
  importCase(@CurrentActor() actor: Actor, @Body() dto: ImportCaseDto): Promise<FrameworkDto> {
    return this.exchange.importCase(actor, dto);
  }
}

@ApiTags('competency frameworks')
@Controller('framework-versions')
export class FrameworkExportController {
  constructor(private readonly exchange: FrameworkExchangeService) {}

  @Get(':id/export.csv')
  @RequirePermission('competencies:read')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary: 'Xuất khung năng lực ra tệp CSV',
    description: 'A framework version as CSV, one row per competency level',
  })
  @ApiFileResponse('CSV, one row per competency level')
  async exportCsv(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<StreamableFile> {
    const { code, csv } = await this.exchange.exportCsv(actor, id);
    const body = Buffer.from(csv, 'utf8');
    return new StreamableFile(body, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="framework-${encodeURIComponent(code)}.csv"`,
      length: body.length,
    });
  }

  @Get(':id/export.case.json')
  @RequirePermission('competencies:read')
  @ApiOkResponse({ description: 'IMS CASE package: CFDocument, CFItems, CFAssociations' })
  @ApiOperation({
    summary: 'Xuất khung năng lực theo chuẩn CASE (JSON)',
    description: 'A framework version as a 1EdTech CASE package (JSON)',
  })
  exportCase(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<CasePackage> {
    return this.exchange.exportCase(actor, id);
  }
}
