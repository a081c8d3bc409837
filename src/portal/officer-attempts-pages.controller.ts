import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import { AssessmentsService } from '../assessments/assessments.service';
import { MarkItemDto } from '../assessments/dto/marking.dto';
import { SubmittedAttemptDto, SubmittedItemDto } from '../assessments/dto/submitted-attempt.dto';
import { MarkingService } from '../assessments/marking.service';
import { SubmittedAttemptsService } from '../assessments/submitted-attempts.service';
import { DomainError } from '../common/errors/domain-error';
import { errorBodyOf } from '../common/http/all-exceptions.filter';
import { UuidParam } from '../common/http/params';
import { CoursesService } from '../courses/courses.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import { vnDateTime } from './blueprint-form';
import { answerWords, numberVi } from './drawn-attempt-form';
import { formFields, formProblem, FormProblem, text } from './forms';
import { essayOf, inputOf, markOf } from './marking-form';
import { Form, OfficerPageBase } from './officer-page-kit';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';

/** A cursor as the list hands it out: base64url, nothing else goes back into the address. */
const CURSOR = /^[A-Za-z0-9_-]{1,500}$/;
const POSITION = /^\d{1,6}$/;

/** A refused override, shown on the form of the answer it was for, with what was typed. */
interface Refused {
  position: string;
  form: Form;
  problem: FormProblem;
  fields: Record<string, string>;
}

/**
 * The submitted attempts of an assessment as the officer reads them (issue 16): a list, newest
 * submission first, and one learner's attempt with every answer in words, the right answer, the
 * engine's points and the current marks — an override with its reason and who made it — and,
 * per auto-graded answer, a form "Sửa điểm". The override is MarkingService.mark, as
 * PUT /attempts/:id/items/:position/mark: its scope, its rules (points within the item's, a
 * reason, never one's own attempt) and its audit entry.
 */
@Controller('officer')
@PortalPages()
export class OfficerAttemptsPagesController extends OfficerPageBase {
  constructor(
    pages: PageRenderer,
    orgUnits: OrgUnitsService,
    private readonly submitted: SubmittedAttemptsService,
    private readonly marking: MarkingService,
    private readonly assessments: AssessmentsService,
    private readonly courses: CoursesService,
  ) {
    super(pages, orgUnits);
  }

  @Get('assessments/:id/attempts')
  @RequirePermission('training:manage')
  async list(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const cursor = text(req.query.cursor);
    const page = await this.submitted.list(actor, id, {
      cursor: cursor && CURSOR.test(cursor) ? cursor : undefined,
    });
    const assessment = await this.assessments.get(actor, id);
    const course = await this.courses.get(actor, assessment.courseId);
    this.send(req, res, 'officer/attempts', {
      title: 'override.listTitle',
      assessment,
      course,
      attempts: page.items.map((a) => ({
        ...a,
        submittedText: vnDateTime(a.submittedAt),
        score: a.score === null ? null : numberVi(a.score),
      })),
      nextCursor: page.nextCursor,
      firstPage: !cursor,
    });
  }

  @Get('assessments/:id/attempts/:attemptId')
  @RequirePermission('training:manage')
  async view(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('attemptId', UuidParam) attemptId: string,
  ): Promise<void> {
    const attempt = await this.attemptOf(req, id, attemptId);
    const saved = text(req.query.saved);
    const n = attempt.items.findIndex((i) => String(i.position) === saved);
    await this.page(req, res, attempt, undefined, 200, n < 0 ? null : n + 1);
  }

  /** An override of one auto-graded answer; back to the page with a notice, or its refusal. */
  @Post('assessments/:id/attempts/:attemptId/items/:position')
  @RequirePermission('training:manage')
  async override(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('attemptId', UuidParam) attemptId: string,
    @Param('position') position: string,
  ): Promise<void> {
    // Out of scope, or an attempt of another assessment: the not-found page before anything.
    const attempt = await this.attemptOf(req, id, attemptId);
    const form = formFields(req.body);
    const actor = this.actorOf(req);
    let saved: number;
    try {
      const dto = await this.validate(MarkItemDto, markOf(form));
      saved = (await this.marking.mark(actor, attemptId, position, dto)).position;
    } catch (error) {
      const problem = this.refusalOf(req, error);
      const fields: Record<string, string> = {};
      const unplaced: FormProblem['details'] = [];
      for (const d of problem.details) {
        const input = inputOf(d.field);
        if (input) fields[input] ??= d.message;
        else unplaced.push(d);
      }
      const refused = { position, form, problem: { ...problem, details: unplaced }, fields };
      // Refused, nothing was written: the attempt as read above.
      return this.page(req, res, attempt, refused, problem.status, null);
    }
    const back = `/officer/assessments/${id}/attempts/${attemptId}`;
    res.redirect(303, `${back}?saved=${saved}#item-${saved}`);
  }

  // --------------------------------------------------------------- helpers

  /** The attempt, if it is one of this assessment's (else the not-found page). */
  private async attemptOf(
    req: AuthenticatedRequest,
    assessmentId: string,
    attemptId: string,
  ): Promise<SubmittedAttemptDto> {
    const attempt = await this.submitted.view(this.actorOf(req), attemptId);
    if (attempt.assessmentId !== assessmentId) throw new DomainError('ATTEMPT_NOT_FOUND');
    return attempt;
  }

  /**
   * A refusal the officer reads on the form: the form's own (400, 409, 422) and the API's
   * refusal to mark one's own attempt (403), which is a rule of the override, not a lack of
   * right. Anything else goes to the page's exception filter (404, 403 …).
   */
  private refusalOf(req: AuthenticatedRequest, error: unknown): FormProblem {
    const lang = this.pages.languageOf(req);
    const problem = formProblem(error, lang);
    if (problem) return problem;
    if (error instanceof DomainError && error.code === 'MARK_OWN_ATTEMPT') {
      const body = errorBodyOf(error, lang)!;
      return {
        status: body.statusCode,
        code: body.code,
        message: body.message,
        fields: {},
        details: [],
      };
    }
    throw error;
  }

  private async page(
    req: AuthenticatedRequest,
    res: Response,
    attempt: SubmittedAttemptDto,
    refused: Refused | undefined,
    status: number,
    savedNo: number | null,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const assessment = await this.assessments.get(actor, attempt.assessmentId);
    const course = await this.courses.get(actor, assessment.courseId);
    // A refusal for a position the attempt lacks (typed by hand) is shown on top.
    const shown = attempt.items.some((i) => String(i.position) === refused?.position);
    const sections: { title: string; items: object[] }[] = [];
    attempt.items.forEach((item, i) => {
      const view = this.itemOf(req, item, i + 1, refused);
      const last = sections[sections.length - 1];
      if (last && last.title === item.section) last.items.push(view);
      else sections.push({ title: item.section, items: [view] });
    });
    this.send(
      req,
      res,
      'officer/attempt',
      {
        title: 'override.title',
        assessment,
        course,
        attempt: {
          ...attempt,
          submittedText: vnDateTime(attempt.submittedAt),
          score: attempt.score === null ? null : numberVi(attempt.score),
          pointsEarned: numberVi(
            attempt.items.reduce((s, i) => s + (i.result?.pointsEarned ?? 0), 0),
          ),
        },
        sections,
        savedNo,
        problem: refused && !shown ? refused.problem : undefined,
      },
      status,
    );
  }

  /** How the engine graded an answer (its points, not an override since), as a word key. */
  private outcomeKey(item: SubmittedItemDto, answered: boolean): string | null {
    if (item.needsMarking || item.autoPoints === null) return null;
    const outcome = !answered
      ? 'unanswered'
      : item.autoPoints >= item.points
        ? 'correct'
        : item.autoPoints > 0
          ? 'partially_correct'
          : 'incorrect';
    return `learn.result.outcomes.${outcome}`;
  }

  /** One answer as the page shows it, with its form (and its refusal, if it was the one sent). */
  private itemOf(req: AuthenticatedRequest, item: SubmittedItemDto, n: number, refused?: Refused) {
    const lang = this.pages.languageOf(req);
    const words = (key: string, params?: Record<string, string | number>) =>
      this.pages.word(lang, key, params);
    const mine = refused && POSITION.test(refused.position) && Number(refused.position);
    const own = mine === item.position ? refused : undefined;
    const typed = (name: string) => {
      const v = own?.form[name];
      return typeof v === 'string' ? v : '';
    };
    const r = item.result;
    const answered = item.response !== null && item.response !== undefined;
    const formId = `o${item.position}`;
    return {
      n,
      position: item.position,
      prompt: item.prompt,
      kind: item.kind,
      points: item.points,
      essay: item.needsMarking ? essayOf(item.response) : null,
      answered,
      yours: answerWords(item, item.response, words),
      right: item.needsMarking || !r ? null : answerWords(item, r.correctAnswer, words),
      autoPoints: item.autoPoints === null ? null : numberVi(item.autoPoints),
      finalPoints: r?.pointsEarned == null ? null : numberVi(r.pointsEarned),
      outcomeKey: this.outcomeKey(item, answered),
      marks: item.marks.map((m) => ({
        ...m,
        points: numberVi(m.points),
        markerName: m.markerName ?? words('override.unknownMarker'),
        markedText: vnDateTime(m.markedAt),
        override: !item.needsMarking,
      })),
      canOverride: !item.needsMarking,
      formId,
      pointsValue: typed('points'),
      pointsError: own?.fields.points ?? null,
      reasonValue: typed('reason'),
      reasonError: own?.fields.reason ?? null,
      refused: own !== undefined,
      problem: own?.problem,
    };
  }
}
