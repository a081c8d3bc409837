import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';
import { Page, PageQueryDto } from '../common/pagination/page';
import {
  BookingDto,
  BookingListDto,
  BulkBookingDto,
  CreateSessionDto,
  MoveBookingDto,
  SessionCalendarQueryDto,
  SessionDto,
  SessionListDto,
  UpdateSessionDto,
} from './dto/session.dto';
import { SessionBookingsService } from './session-bookings.service';
import { SessionCalendarService } from './session-calendar.service';
import { SessionAction, SessionsService } from './sessions.service';

/** Classroom sessions of courses and their bookings (issue 17, items 1 and 2). */
@ApiTags('sessions')
@Controller()
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly bookings: SessionBookingsService,
    private readonly calendarService: SessionCalendarService,
  ) {}

  @Post('courses/:id/sessions')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: SessionDto })
  @ApiOperation({
    summary: 'Tạo lớp học tập trung của khóa học',
    description:
      'Create a draft session: days in Vietnam time, venue or link, instructors, sign-up window, seats; ' +
      'an instructor or room clash answers 409',
  })
  @ApiErrors('COURSE_NOT_FOUND', 'PERSON_NOT_FOUND', 'COURSE_RETIRED', 'SESSION_CLASH')
  create(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CreateSessionDto,
  ): Promise<SessionDto> {
    return this.sessions.create(actor, id, dto);
  }

  @Get('courses/:id/sessions')
  @RequirePermission('self:use')
  @ApiOkResponse({
    type: SessionListDto,
    description: 'Staff of the course: every session; a person enrolled in it: those out of draft',
  })
  @ApiOperation({
    summary: 'Các lớp học của khóa học',
    description:
      'Sessions of a course by first day, with seats booked and waitlisted; a learner enrolled in ' +
      'the course sees the sessions out of draft, anyone else 404',
  })
  @ApiErrors('COURSE_NOT_FOUND')
  list(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<SessionListDto> {
    return this.sessions.listForCourse(actor, id);
  }

  @Get('sessions')
  @RequirePermission('training:read')
  @ApiOperation({
    summary: 'Lịch lớp học theo tháng',
    description:
      'Sessions of the courses in the reader’s scope with a day in a month (Vietnam time), drafts ' +
      'included, by first day; keyset paged',
  })
  @ApiPageResponse(SessionDto)
  calendar(
    @CurrentActor() actor: Actor,
    @Query() query: SessionCalendarQueryDto,
  ): Promise<Page<SessionDto>> {
    return this.calendarService.month(actor, query);
  }

  @Get('sessions/:id')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: SessionDto, description: 'Staff of the course, or an enrolled learner' })
  @ApiOperation({ summary: 'Xem lớp học', description: 'A session with its seat counts' })
  @ApiErrors('SESSION_NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<SessionDto> {
    return this.sessions.get(actor, id);
  }

  @Patch('sessions/:id')
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: SessionDto })
  @ApiOperation({
    summary: 'Sửa lớp học',
    description:
      'Correct a session not yet done or cancelled; checked as on creation (clashes included); ' +
      'added seats go to the waitlist',
  })
  @ApiErrors(
    'SESSION_NOT_FOUND',
    'PERSON_NOT_FOUND',
    'SESSION_STATUS_CONFLICT',
    'SESSION_CLASH',
    'SESSION_SEATS_BELOW_BOOKED',
    'SESSION_DAY_ATTENDED',
  )
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateSessionDto,
  ): Promise<SessionDto> {
    return this.sessions.update(actor, id, dto);
  }

  @Post('sessions/:id/open')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: SessionDto })
  @ApiOperation({ summary: 'Mở đăng ký lớp học', description: 'draft → open' })
  @ApiErrors('SESSION_NOT_FOUND', 'SESSION_STATUS_CONFLICT')
  open(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<SessionDto> {
    return this.act(actor, id, 'open');
  }

  @Post('sessions/:id/close')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: SessionDto })
  @ApiOperation({ summary: 'Đóng đăng ký lớp học', description: 'open | full → closed' })
  @ApiErrors('SESSION_NOT_FOUND', 'SESSION_STATUS_CONFLICT')
  close(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<SessionDto> {
    return this.act(actor, id, 'close');
  }

  @Post('sessions/:id/complete')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: SessionDto })
  @ApiOperation({ summary: 'Kết thúc lớp học', description: 'closed → done' })
  @ApiErrors('SESSION_NOT_FOUND', 'SESSION_STATUS_CONFLICT')
  complete(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<SessionDto> {
    return this.act(actor, id, 'complete');
  }

  @Post('sessions/:id/cancel')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: SessionDto })
  @ApiOperation({
    summary: 'Hủy lớp học',
    description: 'Any status but done → cancelled; its active bookings are cancelled (audited)',
  })
  @ApiErrors('SESSION_NOT_FOUND', 'SESSION_STATUS_CONFLICT')
  cancel(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<SessionDto> {
    return this.act(actor, id, 'cancel');
  }

  @Post('sessions/:id/bookings')
  @RequirePermission('self:use')
  @ApiOkResponse({
    type: BookingDto,
    description: 'booked, or waitlisted when every seat is taken',
  })
  @ApiOperation({
    summary: 'Đăng ký tham dự lớp học',
    description: 'The caller signs up to an open session of a course they are enrolled in',
  })
  @ApiErrors(
    'SESSION_NOT_FOUND',
    'SESSION_SIGNUP_CLOSED',
    'SESSION_NOT_ENROLLED',
    'BOOKING_ALREADY_ACTIVE',
  )
  bookSelf(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<BookingDto> {
    return this.bookings.bookSelf(actor, id);
  }

  @Post('sessions/:id/bookings/bulk')
  @HttpCode(200)
  @RequirePermission('training:manage')
  @ApiOkResponse({ type: BookingListDto })
  @ApiOperation({
    summary: 'Đăng ký nhiều người vào lớp học',
    description:
      'Book people of the officer’s subtree, enrolled in the course, in list order (seats, then waitlist)',
  })
  @ApiErrors(
    'SESSION_NOT_FOUND',
    'PERSON_NOT_FOUND',
    'SESSION_SIGNUP_CLOSED',
    'SESSION_NOT_ENROLLED',
  )
  bookMany(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: BulkBookingDto,
  ): Promise<BookingListDto> {
    return this.bookings.bookMany(actor, id, dto.personIds);
  }

  @Get('sessions/:id/bookings')
  @RequirePermission('training:manage')
  @ApiOperation({
    summary: 'Danh sách đăng ký của lớp học',
    description: 'Every booking in request order, with waitlist positions; keyset paged',
  })
  @ApiPageResponse(BookingDto)
  @ApiErrors('SESSION_NOT_FOUND')
  listBookings(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<BookingDto>> {
    return this.bookings.listForSession(actor, id, query);
  }

  @Post('bookings/:id/cancel')
  @HttpCode(200)
  @RequirePermission('self:use')
  @ApiOkResponse({ type: BookingDto })
  @ApiOperation({
    summary: 'Hủy đăng ký lớp học',
    description:
      'The holder until the cut-off, an officer of the course any time; the freed seat goes to the waitlist',
  })
  @ApiErrors('BOOKING_NOT_FOUND', 'BOOKING_NOT_ACTIVE', 'BOOKING_CUTOFF_PASSED')
  cancelBooking(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<BookingDto> {
    return this.bookings.cancel(actor, id);
  }

  @Post('bookings/:id/move')
  @HttpCode(200)
  @RequirePermission('self:use')
  @ApiOkResponse({ type: BookingDto, description: 'The new booking; the old one is kept as moved' })
  @ApiOperation({
    summary: 'Chuyển sang lớp học khác của khóa',
    description: 'Move a booking to another open session of the same course, keeping history',
  })
  @ApiErrors(
    'BOOKING_NOT_FOUND',
    'SESSION_NOT_FOUND',
    'BOOKING_NOT_ACTIVE',
    'BOOKING_MOVE_INVALID',
    'BOOKING_CUTOFF_PASSED',
    'SESSION_SIGNUP_CLOSED',
  )
  move(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: MoveBookingDto,
  ): Promise<BookingDto> {
    return this.bookings.move(actor, id, dto.toSessionId);
  }

  @Get('me/bookings')
  @RequirePermission('self:use')
  @ApiOperation({
    summary: 'Các lớp học tôi đã đăng ký',
    description: "The caller's bookings in every state, in request order; keyset paged",
  })
  @ApiPageResponse(BookingDto)
  mine(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<Page<BookingDto>> {
    return this.bookings.mine(actor, query);
  }

  private act(actor: Actor, id: string, action: SessionAction): Promise<SessionDto> {
    return this.sessions.transition(actor, id, action);
  }
}
