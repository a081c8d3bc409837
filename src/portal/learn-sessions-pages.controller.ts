import { Controller, Get, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { UuidParam } from '../common/http/params';
import { CoursesService } from '../courses/courses.service';
import { BookingDto } from '../courses/dto/session.dto';
import { CheckInResultDto } from '../courses/dto/attendance.dto';
import { SessionAttendanceService } from '../courses/session-attendance.service';
import { SessionBookingsService } from '../courses/session-bookings.service';
import { SessionIcalService } from '../courses/session-ical.service';
import { SessionsService } from '../courses/sessions.service';
import { FormProblem, formFields, formProblem, text } from './forms';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';
import { bookingView, sessionView, spanText } from './session-pages';

/** A cursor as the bookings list hands it out: base64url, nothing else goes into an address. */
const CURSOR = /^[A-Za-z0-9_-]{1,500}$/;
/** The learner's bookings on one page: the API's largest. */
const BOOKINGS_PAGE = 100;

/** The signed-in person (every route here requires a permission, so the guard set it). */
function me(req: AuthenticatedRequest): Actor {
  if (!req.actor) throw new DomainError('UNAUTHENTICATED');
  return req.actor;
}

/** A refusal shown beside the session or booking it was about. */
interface Refused {
  id: string;
  problem: FormProblem;
}

/**
 * The learner's classroom pages (issue 17): the sessions of a course I am enrolled in, with
 * their days in Vietnam time, venue or link and seats left; signing up (booked, or waitlisted
 * with my place); my bookings with their cancellation; and the QR check-in — the classroom's
 * code opens /learn/check-in?code=… on my phone, whose button posts it; a booking's .ics.
 * Each calls the service of its /api/v1 twin (GET /courses/:id/sessions,
 * POST /sessions/:id/bookings, GET /me/bookings, POST /bookings/:id/cancel, POST /me/check-in,
 * GET /bookings/:id/calendar.ics) with me as actor: the rules are the API's.
 */
@Controller('learn')
@PortalPages()
export class LearnSessionsPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly courses: CoursesService,
    private readonly sessions: SessionsService,
    private readonly bookings: SessionBookingsService,
    private readonly attendance: SessionAttendanceService,
    private readonly ical: SessionIcalService,
  ) {}

  /** The sessions of a course of mine: GET /courses/:id and GET /courses/:id/sessions. */
  @Get('courses/:id/sessions')
  @RequirePermission('self:use')
  async courseSessions(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Query('booked') booked: unknown,
  ): Promise<void> {
    const flash = typeof booked === 'string' && /^[0-9a-f-]{36}$/.test(booked) ? booked : null;
    await this.sendCourse(req, res, id, undefined, 200, flash);
  }

  /** "Đăng ký": POST /sessions/:id/bookings; back to the course's sessions with the outcome. */
  @Post('sessions/:id/book')
  @RequirePermission('self:use')
  async book(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    let booking: BookingDto;
    try {
      booking = await this.bookings.bookSelf(me(req), id);
    } catch (error) {
      const problem = formProblem(error, this.pages.languageOf(req));
      if (!problem) throw error;
      const session = await this.sessions.get(me(req), id);
      return this.sendCourse(req, res, session.courseId, { id, problem }, problem.status);
    }
    res.redirect(303, `/learn/courses/${booking.courseId}/sessions?booked=${booking.id}#mine`);
  }

  /** My bookings: GET /me/bookings, each with its cancel button while active. */
  @Get('bookings')
  @RequirePermission('self:use')
  async myBookings(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Query('cursor') cursor: unknown,
    @Query('cancelled') cancelled: unknown,
  ): Promise<void> {
    const lang = this.pages.languageOf(req);
    await this.sendBookings(
      req,
      res,
      this.cursorOf(cursor),
      undefined,
      200,
      cancelled === '1' ? this.pages.word(lang, 'sessions.learn.cancelled') : '',
    );
  }

  /** "Hủy đăng ký": POST /bookings/:id/cancel; a refusal (the cut-off) beside the booking. */
  @Post('bookings/:id/cancel')
  @RequirePermission('self:use')
  async cancel(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const back = text(form.courseId);
    try {
      await this.bookings.cancel(me(req), id);
    } catch (error) {
      const problem = formProblem(error, this.pages.languageOf(req));
      if (!problem) throw error;
      if (back && /^[0-9a-f-]{36}$/.test(back)) {
        return this.sendCourse(req, res, back, { id, problem }, problem.status);
      }
      return this.sendBookings(req, res, undefined, { id, problem }, problem.status);
    }
    res.redirect(303, '/learn/bookings?cancelled=1');
  }

  /**
   * The classroom's QR code opens this address: a page with one big "Điểm danh" button whose
   * form posts the code — nothing is written on a GET, so a link on another site cannot check
   * anyone in (the session cookie is SameSite=Lax). Signing in first comes back here (the page
   * filter's redirect keeps the address); without a code, a field to type it.
   */
  @Get('check-in')
  @RequirePermission('self:use')
  checkInForm(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Query('code') code: unknown,
  ): void {
    const given = this.codeOf(code);
    this.pages.send(req, res, 'learn/check-in', {
      title: 'sessions.checkIn.title',
      code: given || null,
    });
  }

  /**
   * The button: POST /me/check-in with its code, and the outcome in words (present or late, or
   * why not).
   */
  @Post('check-in')
  @RequirePermission('self:use')
  async checkIn(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const lang = this.pages.languageOf(req);
    const given = this.codeOf(formFields(req.body).code);
    if (!given) {
      const problem: FormProblem = {
        status: 400,
        message: this.pages.word(lang, 'sessions.checkIn.codeMissing'),
        fields: {},
        details: [],
      };
      this.pages.send(
        req,
        res,
        'learn/check-in',
        { title: 'sessions.checkIn.title', code: null, refusal: problem, refusalHint: null },
        400,
      );
      return;
    }
    let result: CheckInResultDto;
    try {
      result = await this.attendance.checkIn(me(req), given);
    } catch (error) {
      const problem = formProblem(error, lang);
      if (!problem) throw error;
      this.pages.send(
        req,
        res,
        'learn/check-in',
        {
          title: 'sessions.checkIn.title',
          code: null,
          refusal: problem,
          refusalHint: problem.code?.startsWith('CHECK_IN_')
            ? `sessions.checkIn.hint.${problem.code}`
            : null,
        },
        problem.status,
      );
      return;
    }
    const session = await this.sessions.get(me(req), result.sessionId);
    const day = session.days[result.dayNo - 1];
    this.pages.send(req, res, 'learn/check-in', {
      title: 'sessions.checkIn.title',
      result: {
        ...result,
        statusKey: `sessions.mark.${result.status}`,
        session,
        dayText: day ? spanText(day.startsAt, day.endsAt, lang) : '',
      },
    });
  }

  /** A booking's days as an .ics file: GET /bookings/:id/calendar.ics (mine, or not found). */
  @Get('bookings/:id/calendar.ics')
  @RequirePermission('self:use')
  async bookingCalendar(
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<StreamableFile> {
    const file = await this.ical.forBooking(me(req), id);
    res.setHeader('Cache-Control', 'private, no-store');
    const body = Buffer.from(file.ics, 'utf8');
    return new StreamableFile(body, {
      type: 'text/calendar; charset=utf-8',
      disposition: `attachment; filename="${file.fileName}"`,
      length: body.length,
    });
  }

  // ---------------------------------------------------------------------------------------

  /** A typed or scanned code, trimmed and cut to the field's length. */
  private codeOf(value: unknown): string {
    return typeof value === 'string' ? value.trim().slice(0, 200) : '';
  }

  private cursorOf(value: unknown): string | undefined {
    const cursor = text(value);
    return cursor && CURSOR.test(cursor) ? cursor : undefined;
  }

  /** My bookings of one course, active first: from GET /me/bookings (a person holds few). */
  private async mineOf(actor: Actor, courseId: string): Promise<BookingDto[]> {
    const all: BookingDto[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.bookings.mine(actor, { limit: BOOKINGS_PAGE, cursor });
      all.push(...page.items.filter((b) => b.courseId === courseId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  private async sendCourse(
    req: AuthenticatedRequest,
    res: Response,
    courseId: string,
    refused?: Refused,
    status = 200,
    bookedId: string | null = null,
  ): Promise<void> {
    const lang = this.pages.languageOf(req);
    const actor = me(req);
    const list = await this.sessions.listForCourse(actor, courseId);
    const course = await this.courses.get(actor, courseId);
    const mine = await this.mineOf(actor, courseId);
    const active = mine.find((b) => b.status === 'booked' || b.status === 'waitlisted');
    const justBooked = bookedId ? mine.find((b) => b.id === bookedId) : undefined;
    const sessions = list.items.map((s) => {
      const v = sessionView(s, lang);
      const myBooking = active?.sessionId === s.id ? bookingView(active) : null;
      return {
        ...v,
        myBooking,
        canBook: !active && (s.status === 'open' || s.status === 'full'),
        problem:
          refused && (refused.id === s.id || refused.id === myBooking?.id) ? refused.problem : null,
      };
    });
    this.pages.send(
      req,
      res,
      'learn/sessions',
      {
        title: 'sessions.learn.title',
        course,
        sessions,
        active: active ? bookingView(active) : null,
        justBooked: justBooked ? bookingView(justBooked) : null,
        problem: refused && !sessions.some((s) => s.problem) ? refused.problem : undefined,
      },
      status,
    );
  }

  private async sendBookings(
    req: AuthenticatedRequest,
    res: Response,
    cursor: string | undefined,
    refused?: Refused,
    status = 200,
    flash = '',
  ): Promise<void> {
    const page = await this.bookings.mine(me(req), { limit: BOOKINGS_PAGE, cursor });
    this.pages.send(
      req,
      res,
      'learn/bookings',
      {
        title: 'sessions.learn.bookingsTitle',
        flash,
        bookings: page.items.map((b) => ({
          ...bookingView(b),
          problem: refused?.id === b.id ? refused.problem : null,
        })),
        nextCursor: page.nextCursor,
        problem: refused && !page.items.some((b) => b.id === refused.id) ? refused.problem : null,
      },
      status,
    );
  }
}
