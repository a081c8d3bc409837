import { Controller, Get, Header, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { TABLE_CONTENT_TYPES, tableFile } from '../common/csv/table';
import { Language, RequestLanguage } from '../common/http/language';
import { UuidParam } from '../common/http/params';
import { PipelineQueryDto, PipelineReportDto } from './dto/pipeline.dto';
import { PIPELINE_TABLE, pipelineRow } from './pipeline-csv';
import { PDF_MAX_POSTS, renderPipelinePdf } from './pipeline-pdf';
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
    const scope = await this.reports.scope(actor, id, query.monthsAhead);
    const file = `pipeline-${scope.unit.code}-${scope.asOf}`;
    if (format === 'csv' || format === 'xlsx') {
      const posts = await this.reports.allPosts(scope);
      return tableFile(format, PIPELINE_TABLE, posts.map(pipelineRow), file);
    }
    const { summary, nineBox } = await this.reports.summaryOf(this.reports.manager, scope, false);
    const pdf = await renderPipelinePdf({
      unitName: scope.unit.name,
      asOf: scope.asOf,
      monthsAhead: scope.monthsAhead,
      summary,
      nineBox,
      posts: await this.reports.allPosts(scope, PDF_MAX_POSTS),
      totalPosts: summary.keyPosts,
    });
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `attachment; filename="${file}.pdf"`,
      length: pdf.length,
    });
  }
}
