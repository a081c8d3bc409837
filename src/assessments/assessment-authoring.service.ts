import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AnyDetail, detail, DomainError } from '../common/errors/domain-error';
import { flattenValidationErrors, RequestValidationError } from '../common/http/validation';
import { nfc } from '../common/text/vietnamese';
import { frameworkReadScope } from '../competencies/framework-scope';
import { CourseHooks } from '../courses/course-hooks';
import { CourseLessonsService } from '../courses/course-lessons.service';
import { assertSomeField, CoursesService } from '../courses/courses.service';
import { CourseEntity } from '../courses/course.entities';
import { AssessmentEntity, QuestionEntity } from './assessment.entities';
import { DEFAULT_REVIEW_POLICY } from './assessment.types';
import { AssessmentsService, notFound } from './assessments.service';
import {
  AssessmentDto,
  CreateAssessmentDto,
  QuestionDto,
  ReplaceAssessmentDto,
  UpdateAssessmentDto,
  UpdateQuestionDto,
} from './dto/assessment.dto';
import { checkBands, CompetencyBand } from './competency-bands';
import { insertQuestionsUnscoped } from './question-inserts';

/**
 * The final assessment of a course, as its authors build it. Like the course's lessons, an
 * assessment changes only while its course version is a draft (COURSE_LOCKED otherwise):
 * replace it whole, correct its settings or one question, or delete it — a real delete, since
 * nobody can sit a draft's assessment. A new version or a copy of the course gets a copy of
 * the assessment (CourseHooks.copied). Scope comes from the course (CoursesService.lockDraft).
 */
@Injectable()
export class AssessmentAuthoringService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly assessments: AssessmentsService,
    private readonly courses: CoursesService,
    private readonly lessons: CourseLessonsService,
    private readonly hooks: CourseHooks,
  ) {}

  onModuleInit(): void {
    this.hooks.onCopied(async (em, e) => {
      if (e.withAssessment) await this.copyInto(em, e.fromCourseId, e.toCourseId);
    });
  }

  async create(actor: Actor, dto: CreateAssessmentDto): Promise<AssessmentDto> {
    const bands = checkTagShapes(dto);
    return this.dataSource.transaction(async (em) => {
      const course = await this.courses.lockDraft(actor, dto.courseId, em);
      if (await em.existsBy(AssessmentEntity, { courseId: course.id })) {
        throw new DomainError('ASSESSMENT_EXISTS');
      }
      const lineages = await resolveTags(em, actor, dto);
      const [{ id }] = await em.query<{ id: string }[]>(
        `INSERT INTO assessments (course_id, title, time_limit_minutes, max_attempts, pass_score,
                                  partial_credit, competency_bands, review_policy)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) RETURNING id`,
        [
          course.id,
          nfc(dto.title.trim()),
          dto.timeLimitMinutes,
          dto.maxAttempts,
          dto.passScore ?? course.passScore,
          dto.partialCredit ?? false,
          bands ? JSON.stringify(bands) : null,
          dto.reviewPolicy ?? DEFAULT_REVIEW_POLICY,
        ],
      );
      await insertQuestionsUnscoped(
        em,
        id,
        dto.questions.map((q, i) => ({ ...q, competencyLineageId: lineages[i] })),
      );
      await this.lessons.appendLesson(em, course.id, {
        title: dto.title,
        kind: 'assessment',
        content: null,
        url: null,
        required: true,
        assessmentId: id,
      });
      return this.assessments.staffViewUnscoped(em, id, true);
    });
  }

  /**
   * Replaces the assessment of a draft whole — settings and questions — keeping its id and
   * its lesson (whose title and place the officer manages with the lessons).
   */
  async replace(actor: Actor, id: string, dto: ReplaceAssessmentDto): Promise<AssessmentDto> {
    const bands = checkTagShapes(dto);
    return this.dataSource.transaction(async (em) => {
      const { course } = await this.lockDraftAssessment(actor, id, em);
      const lineages = await resolveTags(em, actor, dto);
      await em.query(
        `UPDATE assessments
            SET title = $2, time_limit_minutes = $3, max_attempts = $4, pass_score = $5,
                partial_credit = $6, competency_bands = $7::jsonb, review_policy = $8,
                drawn = false
          WHERE id = $1`,
        [
          id,
          nfc(dto.title.trim()),
          dto.timeLimitMinutes,
          dto.maxAttempts,
          dto.passScore ?? course.passScore,
          dto.partialCredit ?? false,
          bands ? JSON.stringify(bands) : null,
          dto.reviewPolicy ?? DEFAULT_REVIEW_POLICY,
        ],
      );
      // Questions of its own again: a blueprint it had is dropped with the old questions.
      await em.query(`DELETE FROM assessment_rules WHERE assessment_id = $1`, [id]);
      await em.query(`DELETE FROM assessment_questions WHERE assessment_id = $1`, [id]);
      await insertQuestionsUnscoped(
        em,
        id,
        dto.questions.map((q, i) => ({ ...q, competencyLineageId: lineages[i] })),
      );
      return this.assessments.staffViewUnscoped(em, id, true);
    });
  }

  /** Corrects the settings of a draft's assessment (title, limits, pass score, review). */
  async update(actor: Actor, id: string, dto: UpdateAssessmentDto): Promise<AssessmentDto> {
    assertSomeField(dto);
    return this.dataSource.transaction(async (em) => {
      await this.lockDraftAssessment(actor, id, em);
      await em.query(
        `UPDATE assessments
            SET title = COALESCE($2, title),
                time_limit_minutes = COALESCE($3, time_limit_minutes),
                max_attempts = COALESCE($4, max_attempts), pass_score = COALESCE($5, pass_score),
                partial_credit = COALESCE($6, partial_credit),
                review_policy = COALESCE($7::assessment_review_policy, review_policy)
          WHERE id = $1`,
        [
          id,
          dto.title === undefined ? null : nfc(dto.title),
          dto.timeLimitMinutes ?? null,
          dto.maxAttempts ?? null,
          dto.passScore ?? null,
          dto.partialCredit ?? null,
          dto.reviewPolicy ?? null,
        ],
      );
      return this.assessments.staffViewUnscoped(em, id, true);
    });
  }

  /**
   * Corrects one question of a draft's assessment. The question as it will be is checked like
   * a new one, so a kind, options and right keys that no longer fit together answer 400.
   */
  async updateQuestion(
    actor: Actor,
    id: string,
    questionId: string,
    dto: UpdateQuestionDto,
  ): Promise<AssessmentDto> {
    assertSomeField(dto);
    return this.dataSource.transaction(async (em) => {
      await this.lockDraftAssessment(actor, id, em);
      const q = await em.findOneBy(QuestionEntity, { id: questionId, assessmentId: id });
      if (!q) throw new DomainError('ASSESSMENT_QUESTION_NOT_FOUND');
      const next = plainToInstance(QuestionDto, {
        kind: dto.kind ?? q.kind,
        prompt: dto.prompt ?? q.prompt,
        options: dto.options ?? q.options,
        correct: dto.correct ?? q.correct,
        points: dto.points ?? q.points,
      });
      const errors = validateSync(next, { forbidUnknownValues: false });
      if (errors.length) throw new RequestValidationError(flattenValidationErrors(errors));
      await em.query(
        `UPDATE assessment_questions
            SET kind = $2, prompt = $3, options = $4::jsonb, correct = $5::jsonb, points = $6
          WHERE id = $1`,
        [
          questionId,
          next.kind,
          nfc(next.prompt),
          JSON.stringify(next.options.map((o) => ({ key: o.key, text: nfc(o.text) }))),
          JSON.stringify([...next.correct].sort()),
          next.points,
        ],
      );
      return this.assessments.staffViewUnscoped(em, id, true);
    });
  }

  /**
   * Deletes the assessment of a draft for good, with its questions and its lesson; the course
   * then completes on its lessons (see completionRuleOf).
   */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const { assessment } = await this.lockDraftAssessment(actor, id, em);
      await em.query(`DELETE FROM assessments WHERE id = $1`, [id]);
      await this.lessons.removeAssessmentLesson(em, assessment.courseId, id);
    });
  }

  /** The assessment of a draft the actor may change, its course row locked; else 404/409. */
  private async lockDraftAssessment(
    actor: Actor,
    id: string,
    em: EntityManager,
  ): Promise<{ assessment: AssessmentEntity; course: CourseEntity }> {
    const assessment = await em.findOneBy(AssessmentEntity, { id });
    if (!assessment) throw new DomainError('ASSESSMENT_NOT_FOUND');
    const course = await this.courses.lockDraft(actor, assessment.courseId, em).catch(notFound);
    return { assessment, course };
  }

  /**
   * Copies the final assessment of one course version into another (a new version, or a
   * copy under a new code): settings, questions with their tags, and its lesson at the same
   * place. Runs in the copying transaction (CourseHooks.copied).
   */
  private async copyInto(em: EntityManager, fromCourseId: string, toCourseId: string) {
    const source = await em.findOneBy(AssessmentEntity, { courseId: fromCourseId });
    if (!source) return;
    const [{ id }] = await em.query<{ id: string }[]>(
      `INSERT INTO assessments (course_id, title, time_limit_minutes, max_attempts, pass_score,
                                partial_credit, competency_bands, review_policy, drawn,
                                shuffle_questions, shuffle_options, grading_policy,
                                second_marking, marker_threshold)
       SELECT $2, title, time_limit_minutes, max_attempts, pass_score, partial_credit,
              competency_bands, review_policy, drawn, shuffle_questions, shuffle_options,
              grading_policy, second_marking, marker_threshold
         FROM assessments WHERE id = $1
       RETURNING id`,
      [source.id, toCourseId],
    );
    await em.query(
      `INSERT INTO assessment_rules (assessment_id, position, section, bank_id, question_id,
                                     category_id, tag, difficulty, kind, count, points)
       SELECT $2, position, section, bank_id, question_id, category_id, tag, difficulty, kind,
              count, points
         FROM assessment_rules WHERE assessment_id = $1`,
      [source.id, id],
    );
    await em.query(
      `INSERT INTO assessment_questions (assessment_id, position, kind, prompt, options, correct,
                                         points, competency_lineage_id)
       SELECT $2, position, kind, prompt, options, correct, points, competency_lineage_id
         FROM assessment_questions WHERE assessment_id = $1`,
      [source.id, id],
    );
    const lesson = await this.lessons.assessmentLessonOf(em, source.id);
    if (lesson) {
      await this.lessons.insertAssessmentLesson(em, toCourseId, {
        position: lesson.position,
        title: lesson.title,
        required: lesson.required,
        assessmentId: id,
      });
    }
  }
}

/** Tag and band rules one body shows (400): returns the bands to store, or null. */
function checkTagShapes(dto: ReplaceAssessmentDto): CompetencyBand[] | null {
  const details: AnyDetail[] = [];
  let tagged = false;
  dto.questions.forEach((q, i) => {
    if (q.competencyId !== undefined && q.competencyCode !== undefined) {
      details.push(
        detail(
          `questions.${i}`,
          'Gắn năng lực bằng competencyId hoặc competencyCode, không dùng cả hai.',
          'Tag by competencyId or competencyCode, not both.',
        ),
      );
    }
    if (q.competencyCode !== undefined && !dto.competencyVersionId) {
      details.push(
        detail(
          `questions.${i}.competencyCode`,
          'Gắn theo mã năng lực cần có competencyVersionId của bài kiểm tra.',
          'A code needs competencyVersionId on the assessment.',
        ),
      );
    }
    tagged ||= q.competencyId !== undefined || q.competencyCode !== undefined;
  });
  const bands = dto.competencyBands?.map((b) => ({ minScore: b.minScore, level: b.level })) ?? null;
  if (tagged && !bands) {
    details.push(
      detail(
        'competencyBands',
        'Bắt buộc khi có câu hỏi gắn năng lực.',
        'Required when a question is tagged.',
      ),
    );
  }
  if (!tagged && bands) {
    details.push(
      detail(
        'competencyBands',
        'Chỉ dùng khi có câu hỏi gắn năng lực.',
        'Applies only when a question is tagged.',
      ),
    );
  }
  if (bands) details.push(...checkBands(bands));
  if (details.length) throw new DomainError('VALIDATION_FAILED', {}, details);
  return bands;
}

/**
 * The lineage of each question's tag (null when untagged), in one query: a competency of a
 * published framework version the actor reads, named by id or by code in competencyVersionId.
 * Any other tag → 422 ASSESSMENT_COMPETENCY_UNKNOWN naming the questions.
 */
async function resolveTags(
  em: EntityManager,
  actor: Actor,
  dto: ReplaceAssessmentDto,
): Promise<(string | null)[]> {
  const ids = dto.questions.flatMap((q) => (q.competencyId ? [q.competencyId] : []));
  const codes = dto.questions.flatMap((q) => (q.competencyCode ? [q.competencyCode] : []));
  if (!ids.length && !codes.length) return dto.questions.map(() => null);
  const read = frameworkReadScope(actor, 4);
  const found = await em.query<
    { id: string; code: string; version_id: string; lineage_id: string }[]
  >(
    `SELECT c.id, c.code, c.version_id, c.lineage_id
       FROM competencies c
       JOIN framework_versions v ON v.id = c.version_id AND v.status = 'published'
       JOIN competency_frameworks f ON f.id = v.framework_id
       JOIN org_units o ON o.id = f.owner_org_unit_id
      WHERE (c.id = ANY($1::uuid[]) OR (c.version_id = $2::uuid AND c.code = ANY($3::text[])))
        AND ${read.sql}`,
    [ids, dto.competencyVersionId ?? null, codes, ...read.params],
  );
  const byId = new Map(found.map((c) => [c.id, c.lineage_id]));
  const byCode = new Map(
    found
      .filter((c) => c.version_id === dto.competencyVersionId)
      .map((c) => [c.code, c.lineage_id]),
  );
  const details: AnyDetail[] = [];
  const lineages = dto.questions.map((q, i) => {
    if (q.competencyId) {
      const l = byId.get(q.competencyId);
      if (!l) details.push({ field: `questions.${i}.competencyId`, message: q.competencyId });
      return l ?? null;
    }
    if (q.competencyCode) {
      const l = byCode.get(q.competencyCode);
      if (!l) details.push({ field: `questions.${i}.competencyCode`, message: q.competencyCode });
      return l ?? null;
    }
    return null;
  });
  if (details.length) throw new DomainError('ASSESSMENT_COMPETENCY_UNKNOWN', {}, details);
  return lineages;
}
