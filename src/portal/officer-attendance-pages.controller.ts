import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import QRCode from 'qrcode';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import { Clock } from '../common/clock/clock';
import { UuidParam } from '../common/http/params';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ATTENDANCE_STATUSES } from '../courses/session.types';
import { MarkAttendanceDto } from '../courses/dto/attendance.dto';
import { SessionAttendanceService } from '../courses/session-attendance.service';
import { SessionsService } from '../courses/sessions.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import { formFields, FormProblem, formProblem } from './forms';
import { OfficerPageBase } from './officer-page-kit';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';
import { sessionView, spanText } from './session-pages';

/** The QR screen reloads itself when its code rotates, and at least this often (seconds). */
const QR_REFRESH_MAX = 60;
const COUNT = /^\d{1,5}$/;

/**
 * A session day's attendance (issue 17, item 3) in the officer's portal: the sheet of everyone
 * booked with present / late / absent / excused posted as one bulk mark (GET and
 * PUT /sessions/:id/days/:dayId/attendance), and the QR screen shown in the classroom (GET
 * /sessions/:id/days/:dayId/check-in-code): the current code as a QR image drawn here as SVG
 * (no network, nothing inline but markup the CSP allows), the address it encodes opening the
 * learner's check-in page; the page reloads itself when the code rotates (portal.js, or a
 * <noscript> meta refresh: a bare meta refresh is an accessibility fault).
 */
@Controller('officer/sessions')
@PortalPages()
export class OfficerAttendancePagesController extends OfficerPageBase {
  constructor(
    pages: PageRenderer,
    orgUnits: OrgUnitsService,
    private readonly sessions: SessionsService,
    private readonly attendance: SessionAttendanceService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(pages, orgUnits);
  }

  @Get(':id/days/:dayNo/attendance')
  @RequirePermission('training:manage')
  async sheet(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('dayNo') dayNo: string,
    @Query('saved') saved: unknown,
  ): Promise<void> {
    const count = typeof saved === 'string' && COUNT.test(saved) ? Number(saved) : null;
    await this.sendSheet(req, res, id, dayNo, {}, count);
  }

  /** "Lưu điểm danh": one PUT of every row given a mark; rows left blank are not sent. */
  @Post(':id/days/:dayNo/attendance')
  @RequirePermission('training:manage')
  async mark(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('dayNo') dayNo: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const chosen: Record<string, string> = {};
    const marks: { personId: string; status: string }[] = [];
    for (const [name, value] of Object.entries(form)) {
      const m = /^m_(.+)$/.exec(name);
      if (!m || typeof value !== 'string' || value === '') continue;
      chosen[m[1]] = value;
      marks.push({ personId: m[1], status: value });
    }
    let written: number;
    try {
      const dto = await this.validate(MarkAttendanceDto, { marks });
      written = (await this.attendance.mark(this.actorOf(req), id, dayNo, dto)).items.length;
    } catch (error) {
      const problem = formProblem(error, this.pages.languageOf(req));
      if (!problem) throw error;
      // A detail names a mark by its place in the list sent: the person of that row.
      const byRow: Record<string, string> = {};
      const unplaced: FormProblem['details'] = [];
      for (const d of problem.details) {
        const i = /^marks[.[](\d+)/.exec(d.field);
        const person = i ? marks[Number(i[1])]?.personId : undefined;
        if (person) byRow[person] ??= d.message;
        else unplaced.push(d);
      }
      return this.sendSheet(
        req,
        res,
        id,
        dayNo,
        { chosen, byRow, problem: { ...problem, details: unplaced } },
        null,
        problem.status,
      );
    }
    res.redirect(303, `/officer/sessions/${id}/days/${dayNo}/attendance?saved=${written}`);
  }

  /** The classroom's QR screen: the code of this minute, reloaded when it rotates. */
  @Get(':id/days/:dayNo/qr')
  @RequirePermission('training:manage')
  async qr(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('dayNo') dayNo: string,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const lang = this.pages.languageOf(req);
    const { code, rotatesAt } = await this.attendance.checkInCode(actor, id, dayNo);
    const session = await this.sessions.get(actor, id);
    const url = `${this.config.publicBaseUrl}/learn/check-in?code=${encodeURIComponent(code)}`;
    const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    const seconds = Math.ceil((Date.parse(rotatesAt) - this.clock.now().getTime()) / 1000) + 1;
    const day = session.days[Number(dayNo) - 1];
    this.send(req, res, 'officer/session-qr', {
      title: 'sessions.qr.title',
      session: sessionView(session, lang),
      dayNo: Number(dayNo),
      dayText: day ? spanText(day.startsAt, day.endsAt, lang) : '',
      // The library's SVG: a viewBox and two paths, labelled for screen readers here.
      qrSvg: svg.replace('<svg ', '<svg role="img" aria-labelledby="qr-caption" class="qr-code" '),
      url,
      reloadIn: Math.min(QR_REFRESH_MAX, Math.max(1, seconds)),
    });
  }

  private async sendSheet(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    dayNo: string,
    refused: {
      chosen?: Record<string, string>;
      byRow?: Record<string, string>;
      problem?: FormProblem;
    },
    saved: number | null,
    status = 200,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const lang = this.pages.languageOf(req);
    const sheet = await this.attendance.sheet(actor, id, dayNo);
    const session = await this.sessions.get(actor, id);
    const rows = sheet.items.map((p, i) => {
      const current = refused.chosen ? (refused.chosen[p.personId] ?? '') : (p.status ?? '');
      return {
        ...p,
        n: i + 1,
        field: `m_${p.personId}`,
        error: refused.byRow?.[p.personId],
        sourceKey: p.source ? `sessions.sheet.source.${p.source}` : null,
        markKey: p.status ? `sessions.mark.${p.status}` : null,
        options: ATTENDANCE_STATUSES.map((s) => ({
          value: s,
          labelKey: `sessions.mark.${s}`,
          checked: current === s,
          inputId: `m${i + 1}-${s}`,
        })),
      };
    });
    this.send(
      req,
      res,
      'officer/attendance',
      {
        title: 'sessions.sheet.title',
        session: sessionView(session, lang),
        dayNo: sheet.dayNo,
        dayText: spanText(sheet.startsAt, sheet.endsAt, lang),
        rows,
        saved: saved === null ? null : { count: saved },
        problem: refused.problem,
      },
      status,
    );
  }
}
