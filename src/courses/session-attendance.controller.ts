import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import {
  AttendanceMarkListDto,
  AttendanceSheetDto,
  CheckInCodeDto,
  CheckInDto,
  CheckInResultDto,
  MarkAttendanceDto,
} from './dto/attendance.dto';
import { SessionAttendanceService } from './session-attendance.service';

/** Attendance of classroom session days and the QR self check-in (issue 17, item 3). */
@ApiTags('sessions')
@Controller()
export class SessionAttendanceController {
  constructor(private readonly attendance: SessionAttendanceService) {}

  @Put('sessions/:id/days/:dayId/attendance')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: AttendanceMarkListDto })
  @ApiOperation({
    summary: 'Điểm danh buổi học',
    description:
      'Mark people booked on the session present, late, absent or excused for one day (from 30 min ' +
      'before it starts); a later mark replaces an earlier one, which is kept in the change log. ' +
      'Present and late count as attended time; completion is attempted for each person marked',
  })
  @ApiErrors(
    'SESSION_NOT_FOUND',
    'SESSION_DAY_NOT_FOUND',
    'SESSION_STATUS_CONFLICT',
    'ATTENDANCE_DAY_NOT_STARTED',
    'ATTENDANCE_NOT_BOOKED',
  )
  mark(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    // Read by the service once the session is found: a session out of reach is 404 first.
    @Param('dayId') dayId: string,
    @Body() dto: MarkAttendanceDto,
  ): Promise<AttendanceMarkListDto> {
    return this.attendance.mark(actor, id, dayId, dto);
  }

  @Get('sessions/:id/days/:dayId/attendance')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: AttendanceSheetDto })
  @ApiOperation({
    summary: 'Danh sách điểm danh của buổi học',
    description:
      'Everyone booked on the session, by name, with their current mark for the day (null when ' +
      'unmarked) and whether it came from a QR check-in',
  })
  @ApiErrors('SESSION_NOT_FOUND', 'SESSION_DAY_NOT_FOUND')
  sheet(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('dayId') dayId: string,
  ): Promise<AttendanceSheetDto> {
    return this.attendance.sheet(actor, id, dayId);
  }

  @Get('sessions/:id/days/:dayId/check-in-code')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: CheckInCodeDto })
  @ApiOperation({
    summary: 'Mã QR tự điểm danh của buổi học',
    description: 'A signed code for this minute, to show as a QR code; it rotates every minute',
  })
  @ApiErrors('SESSION_NOT_FOUND', 'SESSION_DAY_NOT_FOUND', 'SESSION_STATUS_CONFLICT')
  checkInCode(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Param('dayId') dayId: string,
  ): Promise<CheckInCodeDto> {
    return this.attendance.checkInCode(actor, id, dayId);
  }

  @Post('me/check-in')
  @HttpCode(200)
  @RequirePermission('self:use')
  @ApiOkResponse({ type: CheckInResultDto })
  @ApiOperation({
    summary: 'Tự điểm danh bằng mã QR',
    description:
      'The caller, booked on the session, checks in with the code of this or the last minute, ' +
      'from 30 min before the day starts to its end',
  })
  @ApiErrors(
    'CHECK_IN_CODE_INVALID',
    'CHECK_IN_CODE_EXPIRED',
    'CHECK_IN_NOT_BOOKED',
    'CHECK_IN_OUTSIDE_WINDOW',
  )
  checkIn(@CurrentActor() actor: Actor, @Body() dto: CheckInDto): Promise<CheckInResultDto> {
    return this.attendance.checkIn(actor, dto.code);
  }
}
