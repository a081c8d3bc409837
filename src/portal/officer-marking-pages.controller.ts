import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import { AssessmentsService } from '../assessments/assessments.service';
import { MarkingEntryDto, MarkItemDto } from '../assessments/dto/marking.dto';
import { MarkingService } from '../assessments/marking.service';
import { UuidParam } from '../common/http/params';
import { CoursesService } from '../courses/courses.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import { vnDateTime } from './blueprint-form';
import { formFields, formProblem, FormProblem, text } from './forms';
import { essayOf, inputOf, markOf, responseText } from './marking-form';
import { Form, OfficerPageBase } from './officer-page-kit';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';

/** A cursor as the queue hands it out: base64url, nothing else goes back into the address. */
const CURSOR = /^[A-Za-z0-9_-]{1,500}$/;
const COUNT = /^\d{1,6}$/;

/** A refused mark, shown on the form of the answer it was for, with what was typed. */
interface Refused {
  key: string;
  form: Form;
  problem: FormProblem;
  fields: Record<string, string>;
  error: unknown;
}

/**
 * The officer's grading queue (issue 16): each answer waiting for a first, second or third
 * mark — the learner, the question, the response (an essay as paragraphs with its word count),
 * the rubric and the marks so far — with a form to mark it per criterion, and the release of
 * the attempts whose every answer has its final points. Every read and write is MarkingService's,
 * as GET /assessments/:id/marking, PUT /attempts/:id/items/:position/mark and
 * POST /assessments/:id/marking/release: scope, marker slots and the release are its rules.
 */
@Controller('officer')
@PortalPages()
export class OfficerMarkingPagesController extends OfficerPageBase {
  constructor(
    pages: PageRenderer,
    orgUnits: OrgUnitsService,
    private readonly marking: MarkingService,
    private readonly assessments: AssessmentsService,
    private readonly courses: CoursesService,
  ) {
    super(pages, orgUnits);
  }

  @Get('assessments/:id/marking')
  @RequirePermission('training:manage')
  async queue(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.page(req, res, id, this.cursorOf(req.query.cursor));
  }

  /** A mark of one answer; back to the same page of the queue, or the form with its refusal. */
  @Post('assessments/:id/marking/:attemptId/:position')
  @RequirePermission('training:manage')
  async mark(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('attemptId', UuidParam) attemptId: string,
    @Param('position') position: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const cursor = this.cursorOf(form.cursor);
    delete form.cursor;
    try {
      const dto = await this.validate(MarkItemDto, markOf(form));
      const result = await this.marking.mark(this.actorOf(req), attemptId, position, dto);
      const saved = result.needs === null ? 'final' : `needs-${result.needs}`;
      const back = new URLSearchParams({ saved });
      if (cursor) back.set('cursor', cursor);
      res.redirect(303, `/officer/assessments/${id}/marking?${back.toString()}#queue`);
    } catch (error) {
      const problem = formProblem(error, this.pages.languageOf(req));
      if (!problem) throw error;
      const fields: Record<string, string> = {};
      const unplaced: FormProblem['details'] = [];
      for (const d of problem.details) {
        const input = inputOf(d.field);
        if (input) fields[input] ??= d.message;
        else unplaced.push(d);
      }
      const refused = {
        key: `${attemptId}-${position}`,
        form,
        problem: { ...problem, details: unplaced },
        fields,
        error,
      };
      await this.page(req, res, id, cursor, refused, problem.status);
    }
  }

  /** Releases every ready attempt in the officer's subtree; the counts come back in the address. */
  @Post('assessments/:id/marking/release')
  @RequirePermission('training:manage')
  async release(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const outcome = await this.marking.release(this.actorOf(req), id, {});
    const back = new URLSearchParams({
      released: String(outcome.released),
      waiting: String(outcome.waiting),
      remaining: String(outcome.remaining),
    });
    res.redirect(303, `/officer/assessments/${id}/marking?${back.toString()}`);
  }

  // --------------------------------------------------------------- helpers

  private cursorOf(value: unknown): string | undefined {
    const cursor = text(value);
    return cursor && CURSOR.test(cursor) ? cursor : undefined;
  }

  private countOf(value: unknown): number | null {
    const n = text(value);
    return n && COUNT.test(n) ? Number(n) : null;
  }

  private async page(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    cursor: string | undefined,
    refused?: Refused,
    status = 200,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const queue = await this.marking.queue(actor, id, { cursor });
    const assessment = await this.assessments.get(actor, id);
    const course = await this.courses.get(actor, assessment.courseId);
    // A refusal for an answer no longer on this page (marked meanwhile by someone else, or an
    // address typed by hand) is shown on top rather than lost.
    const shown = queue.items.some((e) => `${e.attemptId}-${e.position}` === refused?.key);
    const released = this.countOf(req.query.released);
    const saved = text(req.query.saved);
    this.send(
      req,
      res,
      'officer/marking',
      {
        title: 'marking.title',
        assessment,
        course,
        entries: queue.items.map((e, i) => this.entryOf(e, i, cursor, refused)),
        readyToRelease: queue.readyToRelease,
        nextCursor: queue.nextCursor,
        firstPage: !cursor,
        problem: refused && !shown ? this.problemOf(req, refused.error) : undefined,
        released:
          released === null
            ? null
            : {
                count: released,
                waiting: this.countOf(req.query.waiting) ?? 0,
                remaining: this.countOf(req.query.remaining) ?? 0,
              },
        savedKey:
          saved && ['final', 'needs-second', 'needs-third'].includes(saved)
            ? `marking.saved.${saved}`
            : null,
      },
      status,
    );
  }

  /** One answer as the page shows it, with its form (and its refusal, if it was the one sent). */
  private entryOf(e: MarkingEntryDto, index: number, cursor?: string, refused?: Refused) {
    const key = `${e.attemptId}-${e.position}`;
    const mine = refused?.key === key ? refused : undefined;
    const typed = (name: string) => {
      const v = mine?.form[name];
      return typeof v === 'string' ? v : '';
    };
    const essay = e.kind === 'essay' ? essayOf(e.response) : null;
    const ownMark = e.marks.find((m) => m.mine);
    return {
      ...e,
      n: index + 1,
      formId: `m${index + 1}`,
      cursor: cursor ?? '',
      essay,
      answer: essay ? null : responseText(e.response),
      submittedText: vnDateTime(e.submittedAt),
      needsKey: `marking.needs.${e.needs}`,
      marks: e.marks.map((m) => ({
        ...m,
        markedText: vnDateTime(m.markedAt),
      })),
      ownMarkNo: ownMark?.markerNo ?? null,
      rubric: (e.rubric ?? []).map((c) => ({
        ...c,
        input: `c_${c.key}`,
        value: typed(`c_${c.key}`),
        error: mine?.fields[`c_${c.key}`] ?? null,
      })),
      feedback: typed('feedback'),
      feedbackError: mine?.fields.feedback ?? null,
      overridePoints: typed('points'),
      pointsError: mine?.fields.points ?? null,
      reason: typed('reason'),
      reasonError: mine?.fields.reason ?? null,
      problem: mine?.problem,
    };
  }
}
