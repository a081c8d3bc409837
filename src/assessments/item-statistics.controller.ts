import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { TABLE_CONTENT_TYPES, TableFormat, tableFile } from '../common/csv/table';
import { UuidParam } from '../common/http/params';
import { ApiFileResponse } from '../common/openapi/api-page.decorator';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { ItemStatisticsReportDto } from './dto/item-statistics.dto';
import { ITEM_STATISTICS_TABLE, ItemStatisticsService } from './item-statistics.service';

@ApiTags('assessments')
@Controller('assessments')
export class ItemStatisticsController {
  constructor(private readonly stats: ItemStatisticsService) {}

  @Get(':id/item-statistics')
  @RequirePermission('training:read')
  @ApiOkResponse({ type: ItemStatisticsReportDto })
  @ApiErrors('ASSESSMENT_NOT_FOUND')
  @ApiOperation({
    summary: 'Thống kê từng câu hỏi của bài kiểm tra',
    description:
      'Per question over the submitted attempts of learners in the reader’s subtree: facility, discrimination (point-biserial against the rest of the test), option use, flags',
  })
  report(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<ItemStatisticsReportDto> {
    return this.stats.report(actor, id);
  }

  @Get(':id/item-statistics.csv')
  @RequirePermission('training:read')
  @ApiProduces(TABLE_CONTENT_TYPES.csv)
  @ApiErrors('ASSESSMENT_NOT_FOUND')
  @ApiOperation({
    summary: 'Xuất thống kê câu hỏi ra tệp CSV',
    description: 'The item statistics as CSV (UTF-8 with BOM, for Excel), one row per question',
  })
  @ApiFileResponse('CSV, one row per question')
  csv(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<StreamableFile> {
    return this.file(actor, id, 'csv');
  }

  @Get(':id/item-statistics.xlsx')
  @RequirePermission('training:read')
  @ApiProduces(TABLE_CONTENT_TYPES.xlsx)
  @ApiErrors('ASSESSMENT_NOT_FOUND')
  @ApiOperation({
    summary: 'Xuất thống kê câu hỏi ra tệp Excel',
    description: 'The item statistics as an Excel workbook, one row per question',
  })
  @ApiFileResponse('XLSX, one row per question')
  xlsx(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<StreamableFile> {
    return this.file(actor, id, 'xlsx');
  }

  private async file(actor: Actor, id: string, format: TableFormat): Promise<StreamableFile> {
    const rows = await this.stats.tableRows(actor, id);
    return tableFile(format, ITEM_STATISTICS_TABLE, rows, `thong-ke-cau-hoi-${id}`);
  }
}
