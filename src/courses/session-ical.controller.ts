import { Controller, Get, Header, HttpCode, Param, Post, StreamableFile } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Public, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { ApiFileResponse } from '../common/openapi/api-page.decorator';
import { CalendarFeedDto, CalendarFeedStatusDto } from './dto/calendar.dto';
import { CalendarFile, SessionIcalService } from './session-ical.service';

const ICS_TYPE = 'text/calendar; charset=utf-8';

/** An .ics answer: UTF-8 bytes with their length, never cached on the way (it names people's days). */
function icsFile(file: CalendarFile, disposition: 'attachment' | 'inline'): StreamableFile {
  const body = Buffer.from(file.ics, 'utf8');
  return new StreamableFile(body, {
    type: ICS_TYPE,
    disposition: `${disposition}; filename="${file.fileName}"`,
    length: body.length,
  });
}

/** Classroom sessions in calendars (issue 17, item 5): .ics files and the learner's own feed. */
@ApiTags('sessions')
@Controller()
export class SessionIcalController {
  constructor(private readonly calendar: SessionIcalService) {}

  @Get('bookings/:id/calendar.ics')
  @RequirePermission('self:use')
  @ApiProduces('text/calendar')
  @ApiFileResponse(
    'iCalendar (RFC 5545), times in UTC: one VEVENT per session day with a stable UID, a SEQUENCE ' +
      'that rises with every change, STATUS CONFIRMED, TENTATIVE (waitlisted) or CANCELLED',
  )
  @ApiOperation({
    summary: 'Tải lịch của một đăng ký lớp học (.ics)',
    description:
      "A booking's session days as an iCalendar file: for its holder, or a training officer " +
      'whose scope holds the person',
  })
  @ApiErrors('BOOKING_NOT_FOUND')
  @Header('Cache-Control', 'private, no-store')
  async booking(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<StreamableFile> {
    return icsFile(await this.calendar.forBooking(actor, id), 'attachment');
  }

  @Get('sessions/:id/calendar.ics')
  @RequirePermission('training:manage')
  @ApiProduces('text/calendar')
  @ApiFileResponse('iCalendar (RFC 5545), times in UTC: one VEVENT per session day')
  @ApiOperation({
    summary: 'Tải lịch của lớp học (.ics)',
    description: "A session's days as an iCalendar file, for the officers who manage its course",
  })
  @ApiErrors('SESSION_NOT_FOUND')
  @Header('Cache-Control', 'private, no-store')
  async session(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<StreamableFile> {
    return icsFile(await this.calendar.forSession(actor, id), 'attachment');
  }

  @Get('me/calendar-feed')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: CalendarFeedStatusDto })
  @ApiOperation({
    summary: 'Trạng thái đường dẫn lịch học của tôi',
    description: 'Whether the caller has a live calendar feed (its URL is shown only on creation)',
  })
  feedStatus(@CurrentActor() actor: Actor): Promise<CalendarFeedStatusDto> {
    return this.calendar.feedStatus(actor);
  }

  @Post('me/calendar-feed')
  @RequirePermission('self:use')
  @ApiCreatedResponse({ type: CalendarFeedDto })
  @ApiOperation({
    summary: 'Tạo (hoặc thay mới) đường dẫn lịch học của tôi',
    description:
      'A secret feed URL of the caller’s sessions to subscribe to in a calendar app, shown once; ' +
      'a live one is replaced (its URL answers 404 from now on)',
  })
  @Header('Cache-Control', 'no-store')
  createFeed(@CurrentActor() actor: Actor): Promise<CalendarFeedDto> {
    return this.calendar.createFeed(actor);
  }

  @Post('me/calendar-feed/revoke')
  @HttpCode(200)
  @RequirePermission('self:use')
  @ApiOkResponse({ type: CalendarFeedStatusDto })
  @ApiOperation({
    summary: 'Thu hồi đường dẫn lịch học của tôi',
    description: 'Ends the caller’s live feed (kept as revoked); its URL answers 404 from now on',
  })
  revokeFeed(@CurrentActor() actor: Actor): Promise<CalendarFeedStatusDto> {
    return this.calendar.revokeFeed(actor);
  }
}

/** The feed itself: no sign-in, the secret token is the key; throttled per address. */
@ApiTags('sessions')
@Controller('calendar')
export class CalendarFeedController {
  constructor(private readonly calendar: SessionIcalService) {}

  @Get(':token.ics')
  @Public()
  @ApiProduces('text/calendar')
  @ApiParam({
    name: 'token',
    description: 'The secret token of the feed URL (43 characters)',
    example: '8Wq1v3Yc0rX2kQ9mZp7sT4uB6nD5eF1gH3jK8lL0aAo',
  })
  @ApiFileResponse(
    'iCalendar (RFC 5545), times in UTC: the person’s booked and waitlisted sessions ' +
      '(and cancelled ones, shown cancelled), days from 90 days ago on',
  )
  @ApiOperation({
    summary: 'Lịch học cá nhân (đường dẫn bí mật, công khai)',
    description:
      'The calendar feed of a secret URL, for calendar apps (no sign-in, throttled per IP); ' +
      'an unknown, replaced or revoked token answers 404',
  })
  @ApiErrors('CALENDAR_FEED_NOT_FOUND')
  @Header('Cache-Control', 'private, no-store')
  @Header('X-Robots-Tag', 'noindex')
  async feed(@Param('token') token: string): Promise<StreamableFile> {
    return icsFile(await this.calendar.feed(token), 'inline');
  }
}
