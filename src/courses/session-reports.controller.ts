import { Controller, Get, Header, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { TABLE_CONTENT_TYPES } from '../common/csv/table';
import { UuidParam } from '../common/http/params';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { ApiFileResponse } from '../common/openapi/api-page.decorator';
import {
  AttendanceSheetQueryDto,
  BookingsExportQueryDto,
  NoShowQueryDto,
  NoShowReportDto,
  SessionReportDto,
} from './dto/session-report.dto';
import { SessionReportsService } from './session-reports.service';

/** Reports of classroom sessions (issue 17, item 6). */
@ApiTags('sessions')
@Controller()
export class SessionReportsController {
  constructor(private readonly reports: SessionReportsService) {}

  @Get('sessions/:id/attendance-sheet')
  @RequirePermission('training:manage')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/pdf', ...Object.values(TABLE_CONTENT_TYPES))
  @ApiFileResponse('The attendance sheet: PDF for signatures, CSV or XLSX')
  @ApiErrors('SESSION_NOT_FOUND')
  @ApiOperation({
    summary: 'Danh sách điểm danh của lớp học',
    description:
      'One row per booked person (name, unit, post), a column per day with the mark (Có mặt, ' +
      'Muộn, Vắng, Có phép; blank when unmarked) and the attended hours; the PDF adds the ' +
      'session heading and an empty signature column. format=pdf (default), csv or xlsx',
  })
  attendanceSheet(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: AttendanceSheetQueryDto,
  ): Promise<StreamableFile> {
    return this.reports.sheetFile(actor, id, query.format ?? 'pdf');
  }

  @Get('sessions/:id/report')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: SessionReportDto })
  @ApiErrors('SESSION_NOT_FOUND')
  @ApiOperation({
    summary: 'Báo cáo đăng ký và điểm danh của lớp học',
    description:
      'Seats, bookings by state (booked, waitlisted, cancelled, moved), per day the marks of the ' +
      'people booked (present, late, absent, excused, unmarked) and the attendance rate, no-shows',
  })
  report(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<SessionReportDto> {
    return this.reports.report(actor, id);
  }

  @Get('sessions/:id/bookings/export')
  @RequirePermission('training:manage')
  @Header('Cache-Control', 'no-store')
  @ApiProduces(...Object.values(TABLE_CONTENT_TYPES))
  @ApiFileResponse('Every booking in request order, waitlist positions given')
  @ApiErrors('SESSION_NOT_FOUND')
  @ApiOperation({
    summary: 'Xuất danh sách đăng ký và danh sách chờ của lớp học',
    description:
      'Every booking of the session in request order (the waitlist in its order, with the ' +
      'position) as CSV (UTF-8 with BOM, the default) or XLSX',
  })
  bookings(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: BookingsExportQueryDto,
  ): Promise<StreamableFile> {
    return this.reports.bookingsFile(actor, id, query.format ?? 'csv');
  }

  @Get('reports/session-no-shows')
  @RequirePermission('training:read')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/json', ...Object.values(TABLE_CONTENT_TYPES))
  @ApiOkResponse({ type: NoShowReportDto })
  @ApiErrors('ORG_UNIT_NOT_FOUND')
  @ApiOperation({
    summary: 'Tỷ lệ vắng mặt lớp học tập trung theo đơn vị',
    description:
      'Per child unit of a unit (default: the caller’s own), its subtree rolled up: bookings on ' +
      'sessions done whose last day ends within from–to, no-shows (booked, never present or ' +
      'late, not excused on every day) and their rate. format=json (default), csv or xlsx',
  })
  async noShows(
    @CurrentActor() actor: Actor,
    @Query() query: NoShowQueryDto,
  ): Promise<NoShowReportDto | StreamableFile> {
    const format = query.format ?? 'json';
    if (format === 'json') return this.reports.noShows(actor, query);
    return this.reports.noShowsFile(actor, query, format);
  }
}
