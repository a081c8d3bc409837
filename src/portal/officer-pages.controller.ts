import { Controller, Get, Param, Post, Req, Res, Type } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { AssessmentAuthoringService } from '../assessments/assessment-authoring.service';
import { AssessmentsService } from '../assessments/assessments.service';
import { CreateAssessmentDto, ReplaceAssessmentDto } from '../assessments/dto/assessment.dto';
import { UuidParam } from '../common/http/params';
import { CourseLessonsService } from '../courses/course-lessons.service';
import { CourseVersionsService } from '../courses/course-versions.service';
import { CoursesService } from '../courses/courses.service';
import {
  CreateCourseDto,
  CreateLessonDto,
  NewVersionDto,
  UpdateCourseDto,
  UpdateLessonDto,
} from '../courses/dto/course.dto';
import { NotificationsService } from '../notifications/notifications.service';
import { OrgUnitDto } from '../org-units/dto/org-unit.dto';
import { OrgUnitsService } from '../org-units/org-units.service';
import { ORG_LEVELS, SECTORS } from '../org-units/org-unit.types';
import { AssignmentsService } from '../programmes/assignments.service';
import { AudiencePreviewRequestDto, CreateAssignmentDto } from '../programmes/dto/assignment.dto';
import { CreateProgrammeDto } from '../programmes/dto/programme.dto';
import { ProgrammesService } from '../programmes/programmes.service';
import { PROGRESS_TABLE, ProgressService } from '../programmes/progress.service';
import { tableFile } from '../common/csv/table';
import { formFields, formProblem, numberOrText, text, validated } from './forms';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';

/** The posts an audience may name (the values of AudienceDto.postTypes). */
const POST_TYPES = [
  'chair',
  'vice_chair',
  'standing_member',
  'executive_member',
  'inspection_chair',
  'inspection_member',
  'women_head',
] as const;
const DELIVERY_MODES = ['online', 'classroom', 'blended'] as const;
const LESSON_KINDS = ['text', 'video', 'link'] as const;
const OPTION_KEYS = ['a', 'b', 'c', 'd'] as const;

type Form = Record<string, unknown>;

const STATUSES = [
  'draft',
  'published',
  'archived',
  'superseded',
  'pending',
  'running',
  'assigned',
  'failed',
  'rolled_back',
  'sending',
  'sent',
  'dead',
] as const;

/** API field names that have a word of their own (officer.field.<name>). */
const FIELD_NAMES = Object.fromEntries(
  [
    'code',
    'title',
    'description',
    'deliveryMode',
    'durationHours',
    'passScore',
    'ownerOrgUnitId',
    'kind',
    'content',
    'url',
    'timeLimitMinutes',
    'maxAttempts',
    'prompt',
    'options',
    'correct',
    'points',
    'courseIds',
    'sets',
    'rule',
    'minCount',
    'dueDays',
    'dueDate',
    'dueRuleKind',
    'orgUnitId',
    'postTypes',
    'orgLevels',
    'sectors',
    'appointedSince',
    'note',
  ].map((k) => [k, true]),
);

/** Word keys of each coded value a page shows: `{{t (lookup @root.labels.mode value)}}`. */
const LABELS = Object.fromEntries(
  Object.entries({
    status: [...new Set(STATUSES)],
    mode: DELIVERY_MODES,
    kind: [...LESSON_KINDS, 'assessment'],
    post: POST_TYPES,
    level: ORG_LEVELS,
    sector: SECTORS,
    rule: ['all_in_order', 'any_order', 'at_least_n'],
    due: ['days_after_assignment', 'fixed_date'],
  } as Record<string, readonly string[]>).map(([group, keys]) => [
    group,
    Object.fromEntries(keys.map((k) => [k, `officer.${group}.${k}`])),
  ]),
);

/** A checkbox group's values: one string, several, or none. */
function many(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

/** Drops the keys whose value is undefined (a field left blank is not sent to the DTO). */
function defined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** A question as the form gives it: options a–d (blank ones left out), the right one, points. */
function questionOf(form: Form): Record<string, unknown> {
  const options = OPTION_KEYS.map((key) => ({ key, text: text(form[`option_${key}`]) })).filter(
    (o) => o.text !== undefined,
  );
  const correct = text(form.correct);
  return {
    kind: 'single',
    prompt: text(form.prompt) ?? '',
    options,
    correct: correct ? [correct] : [],
    points: numberOrText(form.points) ?? 1,
  };
}

/** The option inputs of the question form, with what was typed and the chosen right one. */
function optionsOf(form: Form) {
  return OPTION_KEYS.map((key) => ({
    key,
    text: typeof form[`option_${key}`] === 'string' ? form[`option_${key}`] : '',
    checked: form.correct === key,
  }));
}

/** The audience rule of the assignment form, in AudienceDto's shape. */
function audienceOf(form: Form): Record<string, unknown> {
  const postTypes = many(form.postTypes);
  const orgLevels = many(form.orgLevels);
  const sectors = many(form.sectors);
  return defined({
    orgUnitId: text(form.orgUnitId) ?? '',
    postTypes: postTypes.length ? postTypes : undefined,
    orgLevels: orgLevels.length ? orgLevels : undefined,
    sectors: sectors.length ? sectors : undefined,
    appointedSince: text(form.appointedSince),
    withinCurrentTerm: form.withinCurrentTerm === 'true' ? true : undefined,
    notCompletedCourseId: text(form.notCompletedCourseId),
    notCompletedProgrammeId: text(form.notCompletedProgrammeId),
  });
}

/**
 * The training officer's pages (/officer): the course catalogue and its authoring, programmes,
 * assigning them to an audience with a live preview, progress with its exports, and the outbox
 * of notifications. Each route declares the permission of its API twin and calls the same
 * service method with the signed-in actor, so scope (404) and rights (403) are the API's.
 */
@Controller('officer')
@PortalPages()
export class OfficerPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly courses: CoursesService,
    private readonly lessons: CourseLessonsService,
    private readonly versions: CourseVersionsService,
    private readonly assessments: AssessmentsService,
    private readonly authoring: AssessmentAuthoringService,
    private readonly programmes: ProgrammesService,
    private readonly assignments: AssignmentsService,
    private readonly progressService: ProgressService,
    private readonly orgUnits: OrgUnitsService,
    private readonly notifications: NotificationsService,
  ) {}

  // ---------------------------------------------------------------- courses

  @Get()
  @RequirePermission('training:read')
  async home(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const actor = this.actorOf(req);
    const page = await this.courses.list(actor, { limit: 100 });
    this.send(req, res, 'officer/home', {
      title: 'officer.home.title',
      courses: page.items,
      canManage: actor.can('training:manage'),
    });
  }

  @Get('courses/new')
  @RequirePermission('training:manage')
  async newCourse(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    await this.courseForm(req, res, { deliveryMode: 'online', passScore: 5 });
  }

  @Post('courses')
  @RequirePermission('training:manage')
  async createCourse(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const form = formFields(req.body);
    const value = this.courseValue(form);
    try {
      const dto = await this.validate(CreateCourseDto, value);
      const course = await this.courses.create(this.actorOf(req), dto);
      res.redirect(303, `/officer/courses/${course.id}`);
    } catch (error) {
      const problem = this.problemOf(req, error);
      await this.courseForm(req, res, form, problem, problem.status);
    }
  }

  @Get('courses/:id')
  @RequirePermission('training:read')
  async course(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.coursePage(req, res, id);
  }

  @Post('courses/:id')
  @RequirePermission('training:manage')
  async updateCourse(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const value = defined({
      ...this.courseValue(form),
      code: undefined,
      ownerOrgUnitId: undefined,
    });
    if (value.description === undefined) value.description = null;
    try {
      const dto = await this.validate(UpdateCourseDto, value);
      await this.courses.update(this.actorOf(req), id, dto);
      res.redirect(303, `/officer/courses/${id}?saved=1`);
    } catch (error) {
      const problem = this.problemOf(req, error);
      await this.coursePage(req, res, id, { problem, edit: form }, problem.status);
    }
  }

  @Post('courses/:id/lessons')
  @RequirePermission('training:manage')
  async addLesson(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    try {
      const dto = await this.validate(CreateLessonDto, this.lessonValue(form));
      await this.lessons.add(this.actorOf(req), id, dto);
      res.redirect(303, `/officer/courses/${id}#lessons`);
    } catch (error) {
      const problem = this.problemOf(req, error);
      await this.coursePage(req, res, id, { lessonProblem: problem, lesson: form }, problem.status);
    }
  }

  @Get('courses/:id/lessons/:lessonId')
  @RequirePermission('training:read')
  async lesson(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('lessonId', UuidParam) lessonId: string,
  ): Promise<void> {
    await this.lessonPage(req, res, id, lessonId);
  }

  @Post('courses/:id/lessons/:lessonId')
  @RequirePermission('training:manage')
  async updateLesson(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('lessonId', UuidParam) lessonId: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const value = this.lessonValue(form);
    value.content ??= null;
    value.url ??= null;
    try {
      const dto = await this.validate(UpdateLessonDto, value);
      await this.lessons.update(this.actorOf(req), id, lessonId, dto);
      res.redirect(303, `/officer/courses/${id}#lessons`);
    } catch (error) {
      const problem = this.problemOf(req, error);
      await this.lessonPage(req, res, id, lessonId, form, problem);
    }
  }

  @Post('courses/:id/publish')
  @RequirePermission('training:manage')
  async publishCourse(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    try {
      await this.versions.publish(this.actorOf(req), id);
      res.redirect(303, `/officer/courses/${id}?published=1`);
    } catch (error) {
      const problem = this.problemOf(req, error);
      await this.coursePage(req, res, id, { problem }, problem.status);
    }
  }

  @Post('courses/:id/versions')
  @RequirePermission('training:manage')
  async newVersion(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const form = formFields(req.body);
    try {
      const dto = await this.validate(NewVersionDto, defined({ note: text(form.note) }));
      const draft = await this.versions.newVersion(this.actorOf(req), id, dto);
      res.redirect(303, `/officer/courses/${draft.id}`);
    } catch (error) {
      const problem = this.problemOf(req, error);
      await this.coursePage(req, res, id, { problem }, problem.status);
    }
  }

  // ------------------------------------------------------------ assessments

  @Get('courses/:id/assessment/new')
  @RequirePermission('training:manage')
  async newAssessment(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const course = await this.courses.get(this.actorOf(req), id);
    const form = { timeLimitMinutes: 30, maxAttempts: 2, points: 1 };
    this.send(req, res, 'officer/assessment-new', {
      title: 'officer.assessment.newTitle',
      course,
      form,
      options: optionsOf(form),
    });
  }

  @Post('courses/:id/assessment')
  @RequirePermission('training:manage')
  async createAssessment(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const form = formFields(req.body);
    const value = defined({
      courseId: id,
      title: text(form.title) ?? '',
      timeLimitMinutes: numberOrText(form.timeLimitMinutes),
      maxAttempts: numberOrText(form.maxAttempts),
      passScore: numberOrText(form.passScore),
      questions: [questionOf(form)],
    });
    try {
      const dto = await this.validate(CreateAssessmentDto, value);
      const assessment = await this.authoring.create(actor, dto);
      res.redirect(303, `/officer/assessments/${assessment.id}`);
    } catch (error) {
      const problem = this.problemOf(req, error);
      const course = await this.courses.get(actor, id);
      this.send(
        req,
        res,
        'officer/assessment-new',
        { title: 'officer.assessment.newTitle', course, form, problem, options: optionsOf(form) },
        problem.status,
      );
    }
  }

  @Get('assessments/:id')
  @RequirePermission('training:read')
  async assessment(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.assessmentPage(req, res, id, { points: 1 });
  }

  /**
   * A question added to a draft's assessment: the API has no route for one question alone, so
   * the page replaces the assessment whole (PUT /assessments/:id) with its questions and the new one.
   */
  @Post('assessments/:id/questions')
  @RequirePermission('training:manage')
  async addQuestion(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const form = formFields(req.body);
    const current = await this.assessments.get(actor, id);
    const questions = current.questions.map((q) =>
      defined({
        kind: q.kind,
        prompt: q.prompt,
        options: q.options.map((o) => ({ key: o.key, text: o.text })),
        correct: q.correct ?? [],
        points: q.points,
        competencyId: q.competencyLineageId ?? undefined,
      }),
    );
    const value = defined({
      title: current.title,
      timeLimitMinutes: current.timeLimitMinutes,
      maxAttempts: current.maxAttempts,
      passScore: current.passScore,
      partialCredit: current.partialCredit,
      reviewPolicy: current.reviewPolicy,
      competencyBands: current.competencyBands ?? undefined,
      questions: [...questions, questionOf(form)],
    });
    try {
      const dto = await this.validate(ReplaceAssessmentDto, value);
      await this.authoring.replace(actor, id, dto);
      res.redirect(303, `/officer/assessments/${id}#questions`);
    } catch (error) {
      const problem = this.problemOf(req, error);
      await this.assessmentPage(req, res, id, form, problem);
    }
  }

  // ------------------------------------------------------------- programmes

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

  /** A page of this area, with the word keys of its coded values. */
  private send(
    req: AuthenticatedRequest,
    res: Response,
    view: string,
    model: Record<string, unknown>,
    status = 200,
  ): void {
    this.pages.send(req, res, view, { ...model, labels: LABELS }, status);
  }

  private actorOf(req: AuthenticatedRequest): Actor {
    if (!req.actor) throw new Error('An officer page without a signed-in actor');
    return req.actor;
  }

  private validate<T extends object>(dto: Type<T>, value: Record<string, unknown>): Promise<T> {
    return validated(dto, value);
  }

  /** The refusal to show on the form, or the error itself rethrown (404, 403 … as pages). */
  private problemOf(req: AuthenticatedRequest, error: unknown) {
    const lang = this.pages.languageOf(req);
    const problem = formProblem(error, lang);
    if (!problem) throw error;
    // Each field by the words of its label, not its name in the API's body.
    const label = (field: string) => {
      const name = /([A-Za-z]+)(\[\d+\])*$/.exec(field)?.[1] ?? field;
      return name in FIELD_NAMES ? this.pages.word(lang, `officer.field.${name}`) : field;
    };
    return { ...problem, details: problem.details.map((d) => ({ ...d, field: label(d.field) })) };
  }

  private courseValue(form: Form): Record<string, unknown> {
    return defined({
      code: text(form.code)?.toUpperCase() ?? '',
      title: text(form.title) ?? '',
      description: text(form.description),
      deliveryMode: text(form.deliveryMode) ?? '',
      durationHours: numberOrText(form.durationHours) ?? '',
      passScore: numberOrText(form.passScore),
      ownerOrgUnitId: text(form.ownerOrgUnitId) ?? '',
    });
  }

  private lessonValue(form: Form): Record<string, unknown> {
    return defined({
      title: text(form.title) ?? '',
      kind: text(form.kind) ?? '',
      content: text(form.content),
      url: text(form.url),
      required: form.required === 'true',
    });
  }

  /**
   * The units of the officer's scope, for the owner and audience selects: each top of the scope
   * followed by the units under it, as a tree (children indented under their parent).
   */
  private async units(actor: Actor): Promise<{ id: string; label: string; path: string }[]> {
    const tops = await this.orgUnits.list(actor, { limit: 100 });
    const found: OrgUnitDto[] = [];
    for (const top of tops.items) {
      found.push(...(await this.orgUnits.list(actor, { under: top.id, limit: 100 })).items);
    }
    const paths = await this.orgUnits.pathsOf(found.map((u) => u.id));
    const children = new Map<string | null, OrgUnitDto[]>();
    for (const u of found) {
      const siblings = children.get(u.parentId) ?? [];
      siblings.push(u);
      children.set(u.parentId, siblings);
    }
    const out: { id: string; label: string; path: string }[] = [];
    const seen = new Set<string>();
    const walk = (u: OrgUnitDto, depth: number) => {
      if (seen.has(u.id)) return;
      seen.add(u.id);
      out.push({
        id: u.id,
        label: `${'\u00a0\u00a0\u00a0'.repeat(depth)}${u.name} (${u.code})`,
        path: paths.get(u.id) ?? '',
      });
      for (const c of children.get(u.id) ?? []) walk(c, depth + 1);
    };
    for (const top of tops.items) {
      const root = found.find((u) => u.id === top.id);
      if (root) walk(root, 0);
    }
    return out;
  }

  private async courseForm(
    req: AuthenticatedRequest,
    res: Response,
    form: Form,
    problem?: unknown,
    status = 200,
  ): Promise<void> {
    this.send(
      req,
      res,
      'officer/course-new',
      {
        title: 'officer.course.newTitle',
        form,
        problem,
        units: await this.units(this.actorOf(req)),
        deliveryModes: DELIVERY_MODES,
      },
      status,
    );
  }

  private async coursePage(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ): Promise<void> {
    const actor = this.actorOf(req);
    const course = await this.courses.get(actor, id);
    const lessons = course.lessons ?? [];
    const assessmentLesson = lessons.find((l) => l.assessmentId);
    const canManage = actor.can('training:manage');
    this.send(
      req,
      res,
      'officer/course',
      {
        title: 'officer.course.title',
        course,
        lessons,
        assessmentId: assessmentLesson?.assessmentId ?? null,
        draft: course.status === 'draft',
        canEdit: canManage && course.status === 'draft',
        canNewVersion: canManage && course.status === 'published',
        edit: course,
        lesson: { kind: 'text', required: true },
        deliveryModes: DELIVERY_MODES,
        lessonKinds: LESSON_KINDS,
        saved: req.query.saved === '1',
        published: req.query.published === '1',
        ...extra,
      },
      status,
    );
  }

  private async lessonPage(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    lessonId: string,
    form?: Form,
    problem?: { status: number },
  ): Promise<void> {
    const actor = this.actorOf(req);
    const course = await this.courses.get(actor, id);
    const lesson = (course.lessons ?? []).find((l) => l.id === lessonId);
    if (!lesson) return this.courseNotFound(req, res);
    this.send(
      req,
      res,
      'officer/lesson',
      {
        title: 'officer.lesson.title',
        course,
        lesson: form ?? lesson,
        lessonId,
        canEdit: actor.can('training:manage') && course.status === 'draft' && !lesson.assessmentId,
        lessonKinds: LESSON_KINDS,
        problem,
      },
      problem?.status ?? 200,
    );
  }

  private courseNotFound(req: AuthenticatedRequest, res: Response): void {
    this.send(req, res, 'error', { error: { statusCode: 404 }, title: 'error.notFound' }, 404);
  }

  private async assessmentPage(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    form: Form,
    problem?: { status: number },
  ): Promise<void> {
    const actor = this.actorOf(req);
    const assessment = await this.assessments.get(actor, id);
    const course = await this.courses.get(actor, assessment.courseId);
    this.send(
      req,
      res,
      'officer/assessment',
      {
        title: 'officer.assessment.title',
        assessment,
        questions: assessment.questions.map((q) => ({
          ...q,
          options: q.options.map((o) => ({ ...o, right: (q.correct ?? []).includes(o.key) })),
        })),
        course,
        canEdit: actor.can('training:manage') && course.status === 'draft',
        form,
        options: optionsOf(form),
        problem,
      },
      problem?.status ?? 200,
    );
  }

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
