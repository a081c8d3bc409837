import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import { AssessmentAuthoringService } from '../assessments/assessment-authoring.service';
import { AssessmentsService } from '../assessments/assessments.service';
import { BlueprintService } from '../assessments/blueprint.service';
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
import { OrgUnitsService } from '../org-units/org-units.service';
import { formFields, numberOrText, text } from './forms';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';
import {
  defined,
  Form,
  OfficerPageBase,
  optionsOf,
  questionOf,
  DELIVERY_MODES,
  LESSON_KINDS,
} from './officer-page-kit';

/**
 * The training officer's course pages (/officer): the catalogue, a course's details, lessons,
 * final assessment and questions, publishing and new versions. Each route declares the
 * permission of its API twin and calls the same service method with the signed-in actor, so
 * scope (404) and rights (403) are the API's.
 */
@Controller('officer')
@PortalPages()
export class OfficerCoursesPagesController extends OfficerPageBase {
  constructor(
    pages: PageRenderer,
    orgUnits: OrgUnitsService,
    private readonly courses: CoursesService,
    private readonly lessons: CourseLessonsService,
    private readonly versions: CourseVersionsService,
    private readonly assessments: AssessmentsService,
    private readonly authoring: AssessmentAuthoringService,
    private readonly blueprints: BlueprintService,
  ) {
    super(pages, orgUnits);
  }

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

  // ----------------------------------------------------------------- helpers

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
    // A drawn assessment has no questions of its own: its page points to the blueprint instead.
    const { drawn, questionCount } = await this.blueprints.get(actor, id);
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
        canEdit: actor.can('training:manage') && course.status === 'draft' && !drawn,
        drawn,
        drawnCount: questionCount,
        // The grading queue takes essays and overrides: an officer who manages training marks.
        canMark: actor.can('training:manage'),
        form,
        options: optionsOf(form),
        problem,
      },
      problem?.status ?? 200,
    );
  }
}
