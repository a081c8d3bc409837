import { Controller, Get, Header, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { TABLE_CONTENT_TYPES } from '../common/csv/table';
import { Language, RequestLanguage } from '../common/http/language';
import { UuidParam } from '../common/http/params';
import { PipelineQueryDto, PipelineReportDto } from './dto/pipeline.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('org-units/:id/pipeline')
  @RequirePermission('hr:manage')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Báo cáo nguồn cán bộ kế cận của đơn vị',
    description:
      'The cadre pipeline of a subtree: key posts with holders, term end, nominees by ' +
      'readiness, bench strength and risk (keyset paged); coverage, women and under-40 ' +
      'ratios, nine-box. format=csv (all posts, UTF-8 BOM), format=xlsx (all posts, Excel ' +
      'workbook with typed cells) or format=pdf (printable report)',
  })
  @ApiProduces('application/json', ...Object.values(TABLE_CONTENT_TYPES), 'application/pdf')
  @ApiOkResponse({ type: PipelineReportDto })
  async pipeline(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: PipelineQueryDto,
    @RequestLanguage() lang: Language,
  ): Promise<PipelineReportDto | StreamableFile> {
    const format = query.format ?? 'json';
    if (format === 'json') return this.reports.report(actor, id, query, lang);
    return this.reports.exportFile(actor, id, query.monthsAhead, format);
  }
}
