import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import { UuidParam } from '../common/http/params';
import { CoursesService } from '../courses/courses.service';
import { OutboxReadsService } from '../notifications/outbox-reads.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import { ORG_LEVELS, SECTORS } from '../org-units/org-unit.types';
import { AssignmentsService } from '../programmes/assignments.service';
import { AudiencePreviewRequestDto, CreateAssignmentDto } from '../programmes/dto/assignment.dto';
import { CreateProgrammeDto } from '../programmes/dto/programme.dto';
import { ProgrammesService } from '../programmes/programmes.service';
import { PROGRESS_TABLE, ProgressService } from '../programmes/progress.service';
import { tableFile } from '../common/csv/table';
import { formFields, numberOrText, text } from './forms';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';
import {
  audienceOf,
  defined,
  Form,
  many,
  OfficerPageBase,
  LABELS,
  POST_TYPES,
} from './officer-page-kit';

/**
 * The training officer's programme pages (/officer): programmes and their publishing, assigning
 * one to an audience with a live preview, progress per assignment with its exports, and the
 * outbox of notifications — each over the service method of its API twin, with the actor.
 */
@Controller('officer')
@PortalPages()
export class OfficerProgrammesPagesController extends OfficerPageBase {
  constructor(
    pages: PageRenderer,
    orgUnits: OrgUnitsService,
    private readonly courses: CoursesService,
    private readonly programmes: ProgrammesService,
    private readonly assignments: AssignmentsService,
    private readonly progressService: ProgressService,
    private readonly notifications: OutboxReadsService,
  ) {
    super(pages, orgUnits);
  }

  @Get('programmes')
  @RequirePermission('training:read')
  async programmeList(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const actor = this.actorOf(req);
    const page = await this.programmes.list(actor, { limit: 100 });
    this.send(req, res, 'officer/programmes', {
      title: 'officer.programmes.title',
      programmes: page.items,
      canManage: actor.can('training:manage'),
    });
  }

  @Get('programmes/new')
  @RequirePermission('training:manage')
  async newProgramme(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    await this.programmeForm(req, res, {
      rule: 'all_in_order',
      dueRuleKind: 'days_after_assignment',
      dueDays: 90,
    });
  }

  @Post('programmes')
  @RequirePermission('training:manage')
  async createProgramme(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const form = formFields(req.body);
    const rule = text(form.rule) ?? '';
    const dueRuleKind = text(form.dueRuleKind) ?? '';
    const value = defined({
      code: text(form.code)?.toUpperCase() ?? '',
      title: text(form.title) ?? '',
      description: text(form.description),
      ownerOrgUnitId: text(form.ownerOrgUnitId) ?? '',
      dueRuleKind,
      dueDays: dueRuleKind === 'days_after_assignment' ? numberOrText(form.dueDays) : undefined,
      dueDate: dueRuleKind === 'fixed_date' ? text(form.dueDate) : undefined,
      sets: [
        defined({
          rule,
          minCount: rule === 'at_least_n' ? numberOrText(form.minCount) : undefined,
          courseIds: many(form.courseIds),
        }),
      ],
    });
    try {
      const dto = await this.validate(CreateProgrammeDto, value);
      const programme = await this.programmes.create(this.actorOf(req), dto);
      res.redirect(303, `/officer/programmes/${programme.id}`);
    } catch (error) {
      const problem = this.problemOf(req, error);
      await this.programmeForm(req, res, form, problem, problem.status);
    }
  }

  @Get('programmes/:id')
  @RequirePermission('training:read')
  async programme(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.programmePage(req, res, id);
  }

  @Post('programmes/:id/publish')
  @RequirePermission('training:manage')
  async publishProgramme(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    try {
      await this.programmes.publish(this.actorOf(req), id);
      res.redirect(303, `/officer/programmes/${id}?published=1`);
    } catch (error) {
      const problem = this.problemOf(req, error);
      await this.programmePage(req, res, id, problem);
    }
  }

  // ------------------------------------------------------------ assignments

  @Get('programmes/:id/assign')
  @RequirePermission('training:manage')
  async assignForm(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.assignPage(req, res, id, {});
  }

  /** The live preview: the same count and sample as POST /programmes/:id/audience-preview. */
  @Post('programmes/:id/preview')
  @RequirePermission('training:manage')
  async previewFragment(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const model = await this.previewOf(req, id, form);
    this.pages.fragment(req, res, 'officer/audience-preview', { ...model, labels: LABELS });
  }

  /** Assigns, or (the "Xem trước" button, without script) shows the form with the preview. */
  @Post('programmes/:id/assign')
  @RequirePermission('training:manage')
  async assign(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    if (form.action === 'preview') {
      await this.assignPage(req, res, id, form, await this.previewOf(req, id, form));
      return;
    }
    const value = defined({ audience: audienceOf(form), dueDate: text(form.dueDate) });
    try {
      const dto = await this.validate(CreateAssignmentDto, value);
      const outcome = await this.assignments.create(this.actorOf(req), id, dto);
      const assignmentId =
        outcome.kind === 'job' ? outcome.accepted.assignmentId : outcome.result.assignment.id;
      res.redirect(303, `/officer/assignments/${assignmentId}`);
    } catch (error) {
      const problem = this.problemOf(req, error);
      await this.assignPage(req, res, id, form, { problem }, problem.status);
    }
  }

  @Get('assignments/:id')
  @RequirePermission('training:read')
  async assignment(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const assignment = await this.assignments.get(actor, id);
    const [programme, progress, overdue] = await Promise.all([
      this.programmes.get(actor, assignment.programmeId),
      this.progressService.progress(actor, id, true),
      this.progressService.overdue(actor, id, { limit: 100 }),
    ]);
    this.send(req, res, 'officer/assignment', {
      title: 'officer.assignment.title',
      assignment,
      programme,
      progress,
      overdue: overdue.items,
      moreOverdue: overdue.nextCursor !== null,
    });
  }

  @Get('assignments/:id/export.csv')
  @RequirePermission('training:read')
  async exportCsv(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.exportProgress(req, res, id, 'csv');
  }

  @Get('assignments/:id/export.xlsx')
  @RequirePermission('training:read')
  async exportXlsx(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.exportProgress(req, res, id, 'xlsx');
  }

  // ------------------------------------------------------------------ outbox

  @Get('outbox')
  @RequirePermission('training:manage')
  async outbox(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const page = await this.notifications.listOutbox(this.actorOf(req), { limit: 50 });
    this.send(req, res, 'officer/outbox', {
      title: 'officer.outbox.title',
      entries: page.items,
    });
  }

  // ----------------------------------------------------------------- helpers

  private async programmeForm(
    req: AuthenticatedRequest,
    res: Response,
    form: Form,
    problem?: unknown,
    status = 200,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const published = await this.courses.list(actor, { status: 'published', limit: 100 });
    const chosen = new Set(many(form.courseIds));
    this.send(
      req,
      res,
      'officer/programme-new',
      {
        title: 'officer.programme.newTitle',
        form,
        problem,
        units: await this.units(actor),
        courses: published.items.map((c) => ({ ...c, checked: chosen.has(c.id) })),
        setRules: ['all_in_order', 'any_order', 'at_least_n'],
        dueRuleKinds: ['days_after_assignment', 'fixed_date'],
      },
      status,
    );
  }

  private async programmePage(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    problem?: { status: number },
  ): Promise<void> {
    const actor = this.actorOf(req);
    const programme = await this.programmes.get(actor, id);
    const assignments = await this.assignments.listForProgramme(actor, id, { limit: 100 });
    const canManage = actor.can('training:manage');
    this.send(
      req,
      res,
      'officer/programme',
      {
        title: 'officer.programme.title',
        programme,
        assignments: assignments.items,
        canPublish: canManage && programme.status === 'draft',
        canAssign: canManage && programme.status === 'published',
        published: req.query.published === '1',
        problem,
      },
      problem?.status ?? 200,
    );
  }

  private async assignPage(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    form: Form,
    extra: Record<string, unknown> = {},
    status = 200,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const programme = await this.programmes.get(actor, id);
    const posts = new Set(many(form.postTypes));
    const levels = new Set(many(form.orgLevels));
    const sectors = new Set(many(form.sectors));
    this.send(
      req,
      res,
      'officer/assign',
      {
        title: 'officer.assign.title',
        programme,
        form,
        units: await this.units(actor),
        postTypes: POST_TYPES.map((key) => ({ key, checked: posts.has(key) })),
        orgLevels: ORG_LEVELS.map((key) => ({ key, checked: levels.has(key) })),
        sectors: SECTORS.map((key) => ({ key, checked: sectors.has(key) })),
        courses: (await this.courses.list(actor, { status: 'published', limit: 100 })).items,
        previewHtml: this.pages.fragmentHtml(req, res, 'officer/audience-preview', extra),
        ...extra,
      },
      status,
    );
  }

  /** The preview of the form's audience, or the refusal of its rule (both shown the same way). */
  private async previewOf(
    req: AuthenticatedRequest,
    id: string,
    form: Form,
  ): Promise<Record<string, unknown>> {
    try {
      const dto = await this.validate(AudiencePreviewRequestDto, { audience: audienceOf(form) });
      const actor = this.actorOf(req);
      const preview = await this.assignments.preview(actor, id, dto.audience);
      const unitByPath = new Map((await this.units(actor)).map((u) => [u.path, u.label.trim()]));
      const people = preview.sample.map((p) => ({
        ...p,
        unit: unitByPath.get(p.orgUnitPath) ?? '',
      }));
      return { preview, people, more: preview.count > preview.sample.length };
    } catch (error) {
      return { previewProblem: this.problemOf(req, error) };
    }
  }

  private async exportProgress(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    format: 'csv' | 'xlsx',
  ): Promise<void> {
    const rows = await this.progressService.exportRows(this.actorOf(req), id);
    const file = tableFile(format, PROGRESS_TABLE, rows, `assignment-${id}`);
    const headers = file.getHeaders();
    res.setHeader('Content-Type', String(headers.type));
    res.setHeader('Content-Disposition', String(headers.disposition));
    res.setHeader('Cache-Control', 'no-store');
    file.getStream().pipe(res);
  }
}
