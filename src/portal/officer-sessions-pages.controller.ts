import { Controller, Get, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import { detail, DomainError, NotFoundError } from '../common/errors/domain-error';
import { UuidParam } from '../common/http/params';
import { CoursesService } from '../courses/courses.service';
import { CreateSessionDto, SessionDto, UpdateSessionDto } from '../courses/dto/session.dto';
import { SHEET_FORMATS, SheetFormat } from '../courses/dto/session-report.dto';
import { SessionBookingsService } from '../courses/session-bookings.service';
import { SessionCalendarService } from '../courses/session-calendar.service';
import { SessionReportsService } from '../courses/session-reports.service';
import { SessionAction, SessionsService } from '../courses/sessions.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import { formFields, FormProblem, formProblem, text } from './forms';
import { OfficerPageBase } from './officer-page-kit';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';
import { dayRowsOf, Form, formOfSession, inputOfField, sessionBodyOf } from './session-form';
import {
  bookingView,
  currentVnMonth,
  dayKeyOf,
  dayText,
  momentText,
  monthsAround,
  monthText,
  sessionView,
  timeText,
} from './session-pages';

const CURSOR = /^[A-Za-z0-9_-]{1,500}$/;
const MONTH = /^20\d{2}-(0[1-9]|1[0-2])$/;
/** The calendar's and the bookings' page: the API's largest. */
const PAGE = 100;

/** The status actions each state offers (the service refuses any other with 409). */
const ACTIONS: Record<string, SessionAction[]> = {
  draft: ['open', 'cancel'],
  open: ['close', 'cancel'],
  full: ['close', 'cancel'],
  closed: ['complete', 'cancel'],
  done: [],
  cancelled: [],
};
const ALL_ACTIONS: readonly string[] = ['open', 'close', 'complete', 'cancel'];

/** The attendance sheet's file type, by the download address's extension; another is not found. */
function sheetFormatOf(ext: string): SheetFormat {
  const format = SHEET_FORMATS.find((f) => f === ext);
  if (!format) throw new NotFoundError();
  return format;
}

/**
 * The training officer's classroom pages (issue 17): the session calendar of the courses in
 * their scope by month, a course's sessions, the create and edit form (days in Vietnam time),
 * a session's page with its status actions (each confirmed) and its bookings with the waitlist
 * in order. Each calls the service of its /api/v1 twin (GET /sessions?month=,
 * GET /courses/:id/sessions, POST /courses/:id/sessions, PATCH /sessions/:id,
 * POST /sessions/:id/{open,close,complete,cancel}, GET /sessions/:id/bookings) with the officer
 * as actor: another subtree's session is not found, as in the API. Its attendance sheet downloads
 * as PDF, CSV or XLSX (GET /sessions/:id/attendance-sheet?format=). The attendance sheet and the
 * QR screen of a day are OfficerAttendancePagesController's.
 */
@Controller('officer')
@PortalPages()
export class OfficerSessionsPagesController extends OfficerPageBase {
  constructor(
    pages: PageRenderer,
    orgUnits: OrgUnitsService,
    private readonly sessions: SessionsService,
    private readonly calendarService: SessionCalendarService,
    private readonly bookings: SessionBookingsService,
    private readonly courses: CoursesService,
    private readonly reports: SessionReportsService,
  ) {
    super(pages, orgUnits);
  }

  /** The calendar: GET /sessions?month=, the month's days each with its sessions. */
  @Get('sessions')
  @RequirePermission('training:manage')
  async calendar(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Query('month') monthParam: unknown,
    @Query('cursor') cursorParam: unknown,
  ): Promise<void> {
    const lang = this.pages.languageOf(req);
    const month =
      typeof monthParam === 'string' && MONTH.test(monthParam) ? monthParam : currentVnMonth();
    const cursor = this.cursorOf(cursorParam);
    const page = await this.calendarService.month(this.actorOf(req), {
      month,
      cursor,
      limit: PAGE,
    });
    const byDay = new Map<string, { key: string; text: string; entries: unknown[] }>();
    for (const s of page.items) {
      const view = sessionView(s, lang);
      for (const d of view.dayLines) {
        const key = dayKeyOf(d.startsAt);
        if (!key.startsWith(month)) continue;
        const day = byDay.get(key) ?? { key, text: dayText(d.startsAt, lang), entries: [] };
        day.entries.push({
          session: view,
          dayNo: d.no,
          dayCount: view.dayLines.length,
          // A day that runs past midnight names the date it ends on.
          time:
            dayKeyOf(d.endsAt) === key
              ? `${timeText(d.startsAt)}–${timeText(d.endsAt)}`
              : `${timeText(d.startsAt)} – ${momentText(d.endsAt)}`,
          sortKey: `${d.startsAt}|${s.id}`,
        });
        byDay.set(key, day);
      }
    }
    const days = [...byDay.values()]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((d) => ({
        ...d,
        entries: (d.entries as { sortKey: string }[]).sort((a, b) =>
          a.sortKey.localeCompare(b.sortKey),
        ),
      }));
    this.send(req, res, 'officer/sessions', {
      title: 'sessions.officer.calendarTitle',
      month,
      monthText: monthText(month),
      around: monthsAround(month),
      days,
      count: page.items.length,
      nextCursor: page.nextCursor,
      firstPage: !cursor,
    });
  }

  /** A course's sessions: GET /courses/:id and GET /courses/:id/sessions. */
  @Get('courses/:id/sessions')
  @RequirePermission('training:manage')
  async courseSessions(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const lang = this.pages.languageOf(req);
    const course = await this.courses.get(actor, id);
    const list = await this.sessions.listForCourse(actor, id);
    this.send(req, res, 'officer/course-sessions', {
      title: 'sessions.officer.courseTitle',
      course,
      sessions: list.items.map((s) => sessionView(s, lang)),
    });
  }

  /** The form of a new session of a course. */
  @Get('courses/:id/sessions/new')
  @RequirePermission('training:manage')
  async newSession(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.sendForm(req, res, { courseId: id }, { cancelCutoffHours: '24', minSeats: '0' });
  }

  /** "Tạo lớp học": POST /courses/:id/sessions, to the new session's page. */
  @Post('courses/:id/sessions')
  @RequirePermission('training:manage')
  async create(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    let created: SessionDto;
    try {
      const dto = await this.validate(CreateSessionDto, sessionBodyOf(form));
      created = await this.sessions.create(this.actorOf(req), id, dto);
    } catch (error) {
      return this.refuseForm(req, res, { courseId: id }, form, error);
    }
    res.redirect(303, `/officer/sessions/${created.id}?saved=1`);
  }

  /** A session: GET /sessions/:id and its bookings, GET /sessions/:id/bookings. */
  @Get('sessions/:id')
  @RequirePermission('training:manage')
  async session(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Query('cursor') cursor: unknown,
    @Query('saved') saved: unknown,
    @Query('done') done: unknown,
  ): Promise<void> {
    const flash =
      saved === '1'
        ? 'sessions.officer.saved'
        : typeof done === 'string' && ALL_ACTIONS.includes(done)
          ? `sessions.officer.done.${done}`
          : null;
    await this.sendSession(req, res, id, this.cursorOf(cursor), flash);
  }

  /**
   * The attendance sheet as a file: GET /sessions/:id/attendance-sheet?format=pdf|csv|xlsx
   * (PDF for signatures); another subtree's session is not found, as in the API.
   */
  @Get('sessions/:id/attendance-sheet.:format')
  @RequirePermission('training:manage')
  async attendanceSheet(
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
    @Param('id', UuidParam) id: string,
    @Param('format') format: string,
  ): Promise<StreamableFile> {
    const file = await this.reports.sheetFile(this.actorOf(req), id, sheetFormatOf(format));
    res.setHeader('Cache-Control', 'no-store');
    return file;
  }

  /** The edit form, filled with the session. */
  @Get('sessions/:id/edit')
  @RequirePermission('training:manage')
  async edit(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const session = await this.sessions.get(this.actorOf(req), id);
    await this.sendForm(req, res, { courseId: session.courseId, session }, formOfSession(session));
  }

  /** "Lưu": PATCH /sessions/:id with the whole form (the service merges and checks it). */
  @Post('sessions/:id/edit')
  @RequirePermission('training:manage')
  async update(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const actor = this.actorOf(req);
    try {
      const dto = await this.validate(UpdateSessionDto, sessionBodyOf(form, { clearBlank: true }));
      await this.sessions.update(actor, id, dto);
    } catch (error) {
      const session = await this.sessions.get(actor, id);
      return this.refuseForm(req, res, { courseId: session.courseId, session }, form, error);
    }
    res.redirect(303, `/officer/sessions/${id}?saved=1`);
  }

  /**
   * A status action (open, close, complete, cancel): POST /sessions/:id/<action>, once its
   * confirmation box is ticked; a refusal (409: not from this state) on the session's page.
   */
  @Post('sessions/:id/status')
  @RequirePermission('training:manage')
  async status(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const action = text(form.action);
    const lang = this.pages.languageOf(req);
    if (!action || !ALL_ACTIONS.includes(action)) {
      throw new DomainError('VALIDATION_FAILED', {}, [
        detail(
          'action',
          'Phải là open, close, complete hoặc cancel.',
          'Must be open, close, complete or cancel.',
        ),
      ]);
    }
    if (form.confirm !== 'yes') {
      // Nothing is changed without the box ticked (a browser without `required`).
      await this.sessions.get(this.actorOf(req), id);
      const problem: FormProblem = {
        status: 400,
        message: this.pages.word(lang, 'sessions.officer.confirmMissing'),
        fields: {},
        details: [],
      };
      return this.sendSession(req, res, id, undefined, null, problem, 400);
    }
    try {
      await this.sessions.transition(this.actorOf(req), id, action as SessionAction);
    } catch (error) {
      const problem = formProblem(error, lang);
      if (!problem) throw error;
      return this.sendSession(req, res, id, undefined, null, problem, problem.status);
    }
    res.redirect(303, `/officer/sessions/${id}?done=${action}`);
  }

  // ---------------------------------------------------------------------------------------

  private cursorOf(value: unknown): string | undefined {
    const cursor = text(value);
    return cursor && CURSOR.test(cursor) ? cursor : undefined;
  }

  private async sendSession(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    cursor: string | undefined,
    flash: string | null,
    problem?: FormProblem,
    status = 200,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const lang = this.pages.languageOf(req);
    const session = await this.sessions.get(actor, id);
    const page = await this.bookings.listForSession(actor, id, { cursor, limit: PAGE });
    const items = page.items.map(bookingView);
    const view = sessionView(session, lang);
    this.send(
      req,
      res,
      'officer/session',
      {
        title: 'sessions.officer.sessionTitle',
        session: view,
        flash,
        problem,
        actions: (ACTIONS[session.status] ?? []).map((a) => ({
          action: a,
          labelKey: `sessions.officer.action.${a}`,
          confirmKey: `sessions.officer.confirm.${a}`,
          danger: a === 'cancel',
        })),
        editable: session.status !== 'done' && session.status !== 'cancelled',
        markable: session.status !== 'draft' && session.status !== 'cancelled',
        booked: items.filter((b) => b.status === 'booked'),
        waitlist: items.filter((b) => b.status === 'waitlisted'),
        history: items.filter((b) => !b.active),
        nextCursor: page.nextCursor,
        firstPage: !cursor,
      },
      status,
    );
  }

  private async sendForm(
    req: AuthenticatedRequest,
    res: Response,
    target: { courseId: string; session?: SessionDto },
    form: Form,
    problem?: FormProblem,
    errors: Record<string, string> = {},
    status = 200,
  ): Promise<void> {
    const course = await this.courses.get(this.actorOf(req), target.courseId);
    const value = (name: string) => (typeof form[name] === 'string' ? form[name] : '');
    const field = (name: string) => ({ name, value: value(name), error: errors[name] });
    this.send(
      req,
      res,
      'officer/session-form',
      {
        title: target.session ? 'sessions.officer.editTitle' : 'sessions.officer.newTitle',
        course,
        session: target.session,
        action: target.session
          ? `/officer/sessions/${target.session.id}/edit`
          : `/officer/courses/${course.id}/sessions`,
        problem,
        days: dayRowsOf(form, errors, target.session?.days.length),
        f: Object.fromEntries(
          [
            'title',
            'venueName',
            'venueAddress',
            'venueRoom',
            'venueCapacity',
            'onlineUrl',
            'externalTrainers',
            'signupOpensAt',
            'signupClosesAt',
            'minSeats',
            'maxSeats',
            'cancelCutoffHours',
          ].map((n) => [n, field(n)]),
        ),
      },
      status,
    );
  }

  /** The form again with the refusal: each detail beside its input, the rest on top. */
  private async refuseForm(
    req: AuthenticatedRequest,
    res: Response,
    target: { courseId: string; session?: SessionDto },
    form: Form,
    error: unknown,
  ): Promise<void> {
    const problem = formProblem(error, this.pages.languageOf(req));
    if (!problem) throw error;
    const errors: Record<string, string> = {};
    const unplaced: FormProblem['details'] = [];
    for (const d of problem.details) {
      const input = inputOfField(d.field);
      if (input) errors[input] ??= d.message;
      else unplaced.push(d);
    }
    await this.sendForm(
      req,
      res,
      target,
      form,
      { ...problem, details: unplaced },
      errors,
      problem.status,
    );
  }
}
