import { Controller, Get, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Response } from 'express';
import { AttemptsService } from '../assessments/attempts.service';
import { AttemptDto, SaveAnswerDto } from '../assessments/dto/assessment.dto';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { CertificatesService } from '../certificates/certificates.service';
import { tableFile } from '../common/csv/table';
import { DomainError } from '../common/errors/domain-error';
import { UuidParam } from '../common/http/params';
import { SelfRatingDto } from '../competencies/dto/rating.dto';
import { FrameworksService } from '../competencies/frameworks.service';
import { RatingsService } from '../competencies/ratings.service';
import { CourseDto, MyEnrolmentDto } from '../courses/dto/course.dto';
import { CoursesService } from '../courses/courses.service';
import { EnrolmentsService } from '../courses/enrolments.service';
import { GapsService } from '../gaps/gaps.service';
import { ProgressService } from '../programmes/progress.service';
import { TRANSCRIPT_TABLE, transcriptRows } from '../training-records/transcript-csv';
import { TrainingRecordsService } from '../training-records/training-records.service';
import { DrawnAttemptPage } from './drawn-attempt-page';
import { FormProblem, formFields, formProblem, text, validated } from './forms';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';

/** The enrolments of the home page: the API's largest page. */
const HOME_ENROLMENTS = 100;

/** A form's value as a list of option keys (one radio, several checkboxes, or none). */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

/** The signed-in person (every route here requires a permission, so the guard set it). */
function me(req: AuthenticatedRequest): Actor {
  if (!req.actor) throw new DomainError('UNAUTHENTICATED');
  return req.actor;
}

/** The form field of a question of an attempt. */
const answerField = (questionId: string) => `q_${questionId}`;

/**
 * The chair's (learner's) pages: my programmes and courses, lessons marked done, the final
 * assessment with its countdown and autosave, my certificates and transcript, my competencies
 * and gaps with the self-rating. Each page calls the service its /api/v1 twin calls, with the
 * signed-in person as actor, so scope and rules are the API's: someone else's enrolment or
 * attempt is "not found". An attempt drawn from question banks is DrawnAttemptPage's to show.
 */
@Controller('learn')
@PortalPages()
export class LearnPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly enrolments: EnrolmentsService,
    private readonly courses: CoursesService,
    private readonly attempts: AttemptsService,
    private readonly progress: ProgressService,
    private readonly certificates: CertificatesService,
    private readonly records: TrainingRecordsService,
    private readonly gaps: GapsService,
    private readonly ratings: RatingsService,
    private readonly frameworks: FrameworksService,
    private readonly drawnPage: DrawnAttemptPage,
  ) {}

  /** Home: GET /me/assignments and GET /me/enrolments. */
  @Get()
  @RequirePermission('self:use')
  async home(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const [programmes, enrolments] = await Promise.all([
      this.progress.mine(me(req)),
      this.enrolments.mine(me(req), { limit: HOME_ENROLMENTS }),
    ]);
    const items = enrolments.items.map((e) => ({ ...e, statusKey: `learn.status.${e.status}` }));
    const open = items.filter((e) => e.status !== 'completed');
    const done = items.filter((e) => e.status === 'completed');
    this.pages.send(req, res, 'learn/home', {
      title: 'learn.home.title',
      programmes: programmes.items.map((p) => ({ ...p, statusKey: `learn.status.${p.status}` })),
      open,
      done,
    });
  }

  /** A course of mine: GET /me/enrolments (this one), GET /courses/:id, GET /me/attempts. */
  @Get('enrolments/:id')
  @RequirePermission('self:use')
  async enrolment(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Query('done') done: unknown,
  ): Promise<void> {
    await this.sendEnrolment(req, res, id, {
      flash: done === '1' ? this.pages.word(this.pages.languageOf(req), 'learn.lesson.saved') : '',
    });
  }

  /** One lesson of a course of mine. */
  @Get('enrolments/:id/lessons/:lessonId')
  @RequirePermission('self:use')
  async lesson(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('lessonId', UuidParam) lessonId: string,
  ): Promise<void> {
    await this.sendLesson(req, res, id, lessonId);
  }

  /** "Đã học xong": POST /enrolments/:id/lessons/:lessonId/complete. */
  @Post('enrolments/:id/lessons/:lessonId/complete')
  @RequirePermission('self:use')
  async completeLesson(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Param('lessonId', UuidParam) lessonId: string,
  ): Promise<void> {
    try {
      await this.enrolments.completeLesson(me(req), id, lessonId);
    } catch (error) {
      const problem = formProblem(error, this.pages.languageOf(req));
      if (!problem) throw error;
      return this.sendLesson(req, res, id, lessonId, problem);
    }
    res.redirect(303, `/learn/enrolments/${id}?done=1`);
  }

  /** "Bắt đầu làm bài": POST /assessments/:id/attempts for the course's final assessment. */
  @Post('enrolments/:id/attempts')
  @RequirePermission('self:use')
  async start(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const enrolment = await this.myEnrolment(me(req), id);
    if (!enrolment.assessmentId) throw new DomainError('ASSESSMENT_NOT_FOUND');
    let attempt: AttemptDto;
    try {
      attempt = await this.attempts.start(me(req), enrolment.assessmentId);
    } catch (error) {
      const problem = formProblem(error, this.pages.languageOf(req));
      if (!problem) throw error;
      return this.sendEnrolment(req, res, id, { problem }, problem.status);
    }
    res.redirect(303, `/learn/attempts/${attempt.id}`);
  }

  /** An attempt of mine: GET /attempts/:id — the questions while open, else the result. */
  @Get('attempts/:id')
  @RequirePermission('self:use')
  async attempt(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
    @Query('saved') saved: unknown,
  ): Promise<void> {
    const attempt = await this.attempts.view(me(req), id);
    const flash =
      saved === '1' ? this.pages.word(this.pages.languageOf(req), 'learn.exam.saved') : '';
    await this.sendAttempt(req, res, attempt, { flash });
  }

  /**
   * Saves the form's answers, each as PUT /attempts/:id/answers/:questionId does (the autosave
   * posts here, and the "save" button without JavaScript): JSON for the script, else back to
   * the attempt.
   */
  @Post('attempts/:id/answers')
  @RequirePermission('self:use')
  async saveAnswers(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const attempt = await this.attempts.view(me(req), id);
    if (attempt.drawn) return this.drawnPage.saveAnswers(req, res, attempt);
    let saved: number;
    try {
      saved = await this.saveForm(req, attempt);
    } catch (error) {
      const problem = formProblem(error, this.pages.languageOf(req));
      if (!problem) throw error;
      if (req.accepts(['html', 'json']) === 'json') {
        res.status(problem.status).json({ message: problem.message });
        return;
      }
      return await this.sendAttempt(req, res, await this.attempts.view(me(req), id), { problem });
    }
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(200).json({ saved });
      return;
    }
    res.redirect(303, `/learn/attempts/${id}?saved=1`);
  }

  /**
   * "Nộp bài": the form's answers are saved while the attempt is open (after its deadline only
   * what was saved before it counts), then POST /attempts/:id/submit grades it.
   */
  @Post('attempts/:id/submit')
  @RequirePermission('self:use')
  async submit(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const attempt = await this.attempts.view(me(req), id);
    if (attempt.drawn) return this.drawnPage.submit(req, res, attempt);
    try {
      if (attempt.status === 'in_progress') {
        try {
          await this.saveForm(req, attempt);
        } catch (error) {
          // The time ran out between the page and the click: grade what was saved in time.
          if (!(error instanceof DomainError && error.code === 'ATTEMPT_CLOSED')) throw error;
        }
      }
      await this.attempts.submit(me(req), id);
    } catch (error) {
      const problem = formProblem(error, this.pages.languageOf(req));
      if (!problem) throw error;
      return await this.sendAttempt(req, res, await this.attempts.view(me(req), id), { problem });
    }
    res.redirect(303, `/learn/attempts/${id}`);
  }

  /** My certificates: GET /me/certificates. */
  @Get('certificates')
  @RequirePermission('self:use')
  async myCertificates(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const certificates = await this.certificates.listMine(me(req));
    this.pages.send(req, res, 'learn/certificates', {
      title: 'learn.certificates.title',
      certificates: certificates.items.map((c) => ({
        ...c,
        statusKey: `learn.certificates.statuses.${c.status}`,
      })),
    });
  }

  /** The PDF of GET /certificates/:id/pdf, for the session's person. */
  @Get('certificates/:id/pdf')
  @RequirePermission('self:use')
  async certificatePdf(
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<StreamableFile> {
    const pdf = await this.certificates.pdf(me(req), id);
    res.setHeader('Cache-Control', 'private, max-age=0, must-revalidate');
    return new StreamableFile(pdf.content, {
      type: 'application/pdf',
      disposition: `inline; filename="${pdf.serial}.pdf"`,
      length: pdf.content.length,
    });
  }

  /** My transcript: GET /people/:me/transcript. */
  @Get('transcript')
  @RequirePermission('self:use')
  async transcript(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const transcript = await this.records.transcript(me(req), me(req).personId);
    this.pages.send(req, res, 'learn/transcript', {
      title: 'learn.transcript.title',
      transcript: {
        ...transcript,
        items: transcript.items.map((l) => ({
          ...l,
          recognitionKey: `learn.transcript.recognitions.${l.recognition}`,
        })),
      },
    });
  }

  /** The CSV of GET /people/:me/transcript?format=csv. */
  @Get('transcript/csv')
  @RequirePermission('self:use')
  async transcriptCsv(@Req() req: AuthenticatedRequest): Promise<StreamableFile> {
    const lines = await this.records.lines(me(req), me(req).personId);
    return tableFile(
      'csv',
      TRANSCRIPT_TABLE,
      transcriptRows(lines),
      `transcript-${me(req).personId}`,
    );
  }

  /** My competencies and gaps: GET /people/:me/gaps, with the courses that close each gap. */
  @Get('competencies')
  @RequirePermission('self:use')
  async competencies(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Query('rated') rated: unknown,
  ): Promise<void> {
    const gaps = await this.gaps.personGaps(me(req), me(req).personId, {});
    const lang = this.pages.languageOf(req);
    this.pages.send(req, res, 'learn/competencies', {
      title: 'learn.competencies.title',
      flash: rated === '1' ? this.pages.word(lang, 'learn.selfRating.saved') : '',
      asOf: gaps.asOf,
      blocks: gaps.blocks.map((b) => ({
        ...b,
        items: b.items.map((i) => ({
          ...i,
          name: lang === 'en' ? i.nameEn : i.nameVi,
          sourceKey: i.source ? `learn.competencies.sources.${i.source}` : undefined,
          sourceText: i.source
            ? this.pages.word(lang, `learn.competencies.sources.${i.source}`)
            : '',
        })),
      })),
    });
  }

  /**
   * The self-rating form of a framework version: GET /framework-versions/:id and my levels.
   * Without a version (a bookmark, a hand-typed address) it goes back to my competencies.
   */
  @Get('competencies/self-rating')
  @RequirePermission('competencies:read')
  async selfRatingForm(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Query('versionId') versionId: unknown,
  ): Promise<void> {
    if (typeof versionId !== 'string' || !isUUID(versionId)) {
      return res.redirect(303, '/learn/competencies');
    }
    await this.sendSelfRating(req, res, versionId, {});
  }

  /** Self-rating: POST /people/:me/ratings/self, every competency of the version once. */
  @Post('competencies/self-rating')
  @RequirePermission('competencies:read')
  async selfRate(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const form = formFields(req.body);
    const versionId = text(form.versionId) ?? '';
    const entered: Record<string, string> = {};
    const ratings: Record<string, unknown>[] = [];
    for (const [name, value] of Object.entries(form)) {
      const m = /^level_(.+)$/.exec(name);
      if (!m) continue;
      const level = text(value);
      entered[m[1]] = level ?? '';
      ratings.push({ competencyId: m[1], level: level === undefined ? undefined : Number(level) });
    }
    try {
      const dto = await validated(SelfRatingDto, { versionId, ratings });
      await this.ratings.rateSelf(me(req), me(req).personId, dto);
    } catch (error) {
      const problem = formProblem(error, this.pages.languageOf(req));
      if (!problem) throw error;
      return this.sendSelfRating(req, res, versionId, { problem, entered }, problem.status);
    }
    res.redirect(303, '/learn/competencies?rated=1');
  }

  // ---------------------------------------------------------------------------------------

  /** One enrolment of mine, as GET /me/enrolments lists it; anyone else's is not found. */
  private async myEnrolment(actor: Actor, id: string): Promise<MyEnrolmentDto> {
    const [item] = (await this.enrolments.mine(actor, { limit: 1 }, id)).items;
    if (!item) throw new DomainError('ENROLMENT_NOT_FOUND');
    return item;
  }

  /** The lessons of an enrolment's course, each with whether I have done it. */
  private lessonsOf(enrolment: MyEnrolmentDto, course: CourseDto) {
    const done = new Set(enrolment.completedLessonIds);
    return (course.lessons ?? []).map((l) => ({
      ...l,
      done: done.has(l.id),
      assessment: l.kind === 'assessment',
      href:
        l.kind === 'assessment'
          ? `/learn/enrolments/${enrolment.id}#assessment`
          : `/learn/enrolments/${enrolment.id}/lessons/${l.id}`,
    }));
  }

  private async sendEnrolment(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    extra: { problem?: FormProblem; flash?: string },
    status = 200,
  ): Promise<void> {
    const enrolment = await this.myEnrolment(me(req), id);
    const course = await this.courses.get(me(req), enrolment.course.id);
    const attempts = enrolment.assessmentId
      ? (
          await this.attempts.listMine(me(req), {
            assessmentId: enrolment.assessmentId,
            limit: 100,
          })
        ).items
      : [];
    const openAttempt = attempts.find((a) => a.status === 'in_progress');
    const passed = attempts.some((a) => a.passed === true);
    const maxAttempts = attempts[0]?.maxAttempts;
    const canStart =
      !!enrolment.assessmentId &&
      enrolment.status !== 'completed' &&
      !passed &&
      (maxAttempts === undefined || attempts.length < maxAttempts || !!openAttempt);
    this.pages.send(
      req,
      res,
      'learn/course',
      {
        // The layout looks the title up as a word; a name that is no key stays as it is.
        title: course.title,
        enrolment,
        course,
        lessons: this.lessonsOf(enrolment, course),
        statusKey: `learn.status.${enrolment.status}`,
        attempts,
        openAttempt,
        canStart,
        passed,
        ...extra,
      },
      status,
    );
  }

  private async sendLesson(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    lessonId: string,
    problem?: FormProblem,
  ): Promise<void> {
    const enrolment = await this.myEnrolment(me(req), id);
    const course = await this.courses.get(me(req), enrolment.course.id);
    const lessons = this.lessonsOf(enrolment, course);
    const index = lessons.findIndex((l) => l.id === lessonId);
    if (index < 0) throw new DomainError('LESSON_NOT_FOUND');
    this.pages.send(
      req,
      res,
      'learn/lesson',
      {
        title: `${lessons[index].title} · ${course.title}`,
        enrolment,
        course,
        lesson: lessons[index],
        previous: lessons[index - 1],
        next: lessons[index + 1],
        count: lessons.length,
        problem,
      },
      problem?.status ?? 200,
    );
  }

  private async sendAttempt(
    req: AuthenticatedRequest,
    res: Response,
    attempt: AttemptDto,
    extra: { problem?: FormProblem; flash?: string },
  ): Promise<void> {
    if (attempt.drawn) return this.drawnPage.send(req, res, attempt, extra);
    const saved = new Map(attempt.answers.map((a) => [a.questionId, new Set(a.selected)]));
    const review = new Map((attempt.review ?? []).map((r) => [r.questionId, r]));
    const questions = attempt.questions.map((q, i) => {
      const reviewed = review.get(q.id);
      // Once reviewed, what was graded: the answer saved before the deadline.
      const chosen = reviewed ? new Set(reviewed.selected) : (saved.get(q.id) ?? new Set<string>());
      const right = new Set(reviewed?.correctOptions ?? []);
      return {
        ...q,
        number: i + 1,
        field: answerField(q.id),
        multiple: q.kind === 'multiple',
        options: q.options.map((o) => ({
          ...o,
          checked: chosen.has(o.key),
          right: right.has(o.key),
          inputId: `${answerField(q.id)}_${o.key}`,
        })),
        review: reviewed,
        outcomeKey: reviewed ? `learn.result.outcomes.${reviewed.outcome}` : undefined,
      };
    });
    // The course the attempt belongs to, for the way back: GET /me/attempts names it.
    const mine = await this.attempts.listMine(me(req), {
      assessmentId: attempt.assessmentId,
      limit: 100,
    });
    const enrolmentId = mine.items.find((a) => a.id === attempt.id)?.enrolmentId;
    this.pages.send(
      req,
      res,
      'learn/attempt',
      {
        title: attempt.status === 'submitted' ? 'learn.result.title' : attempt.assessmentTitle,
        attempt,
        questions,
        open: attempt.status === 'in_progress',
        expired: attempt.status === 'expired',
        submitted: attempt.status === 'submitted',
        enrolmentId,
        minutesLeft: Math.max(0, Math.ceil((Date.parse(attempt.deadline) - Date.now()) / 60_000)),
        deadlineTime: new Date(attempt.deadline).toLocaleTimeString('vi-VN', {
          timeZone: 'Asia/Ho_Chi_Minh',
          hour: '2-digit',
          minute: '2-digit',
        }),
        ...extra,
      },
      extra.problem?.status ?? 200,
    );
  }

  /** Saves every question the form answers, and empties a saved answer it no longer has. */
  private async saveForm(req: AuthenticatedRequest, attempt: AttemptDto): Promise<number> {
    const form = formFields(req.body);
    const had = new Map(attempt.answers.map((a) => [a.questionId, a.selected]));
    let count = 0;
    for (const q of attempt.questions) {
      const selected = keysOf(form[answerField(q.id)]);
      if (selected.length === 0 && !(had.get(q.id)?.length ?? 0)) continue;
      const dto = await validated(SaveAnswerDto, { selected });
      await this.attempts.saveAnswer(me(req), attempt.id, q.id, dto.selected);
      count += 1;
    }
    return count;
  }

  private async sendSelfRating(
    req: AuthenticatedRequest,
    res: Response,
    versionId: string,
    extra: { problem?: FormProblem; entered?: Record<string, string> },
    status = 200,
  ): Promise<void> {
    const version = await this.frameworks.getVersion(me(req), versionId);
    const current = await this.ratings.currentLevels(me(req), me(req).personId, versionId);
    const levels = new Map(current.items.map((c) => [c.competencyId, c.level]));
    const lang = this.pages.languageOf(req);
    // The DTO names a refused item by its place in the list sent (ratings.2.level): the
    // form sent them in the order of its fields, so the place gives the competency.
    const sent = Object.keys(extra.entered ?? {});
    const byId = new Map(version.competencies.map((c) => [c.id, c.code]));
    const problem = extra.problem && {
      ...extra.problem,
      details: extra.problem.details.map((d) => {
        const m = /^ratings\.(\d+)/.exec(d.field);
        const code = m ? byId.get(sent[Number(m[1])] ?? '') : undefined;
        return code ? { ...d, field: code } : d;
      }),
    };
    const errors = new Map((problem?.details ?? []).map((d) => [d.field, d.message] as const));
    const competencies = version.competencies.map((c) => {
      const chosen = extra.entered?.[c.id] ?? String(levels.get(c.id) ?? '');
      return {
        id: c.id,
        code: c.code,
        name: lang === 'en' ? c.nameEn : c.nameVi,
        field: `level_${c.id}`,
        error: errors.get(c.code),
        options: version.scale.map((s) => ({
          level: s.level,
          name: lang === 'en' ? s.nameEn : s.nameVi,
          selected: chosen === String(s.level),
        })),
      };
    });
    this.pages.send(
      req,
      res,
      'learn/self-rating',
      {
        title: 'learn.selfRating.title',
        version,
        versionName: lang === 'en' ? version.framework.nameEn : version.framework.nameVi,
        competencies,
        problem,
      },
      status,
    );
  }
}
