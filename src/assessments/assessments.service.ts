import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { CoursesService } from '../courses/courses.service';
import { AssessmentEntity, QuestionEntity } from './assessment.entities';
import { AssessmentDto } from './dto/assessment.dto';

export { insertQuestionsUnscoped } from './question-inserts';
export type { NewQuestion } from './question-inserts';

/**
 * Reading the final assessment of a course as staff. Authoring lives in
 * AssessmentAuthoringService, taking (attempts) in AttemptsService. The right answers are
 * shown to the course's authors (staff who may change it) only; other staff read the
 * questions without them.
 */
@Injectable()
export class AssessmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
  ) {}

  /**
   * The assessment for staff whose scope covers the course; the right answers only for those
   * who may change the course, so that a reader who also sits it (HR at their home unit, an
   * officer using a national course) never sees them before the review policy allows.
   */
  async get(actor: Actor, id: string): Promise<AssessmentDto> {
    const em = this.dataSource.manager;
    const a = await em.findOneBy(AssessmentEntity, { id });
    if (!a) throw new DomainError('ASSESSMENT_NOT_FOUND');
    await this.courses.findForStaff(actor, a.courseId, 'use', em).catch(notFound);
    const author = await this.courses.findForStaff(actor, a.courseId, 'write', em).then(
      () => true,
      (e: unknown) => {
        if (e instanceof DomainError) return false;
        throw e;
      },
    );
    return this.staffViewUnscoped(em, id, author);
  }

  /**
   * The staff view of an assessment; the right answers when `author`. Checks no scope: the
   * caller found the assessment through its course (get, or authoring's draft lock).
   */
  async staffViewUnscoped(em: EntityManager, id: string, author: boolean): Promise<AssessmentDto> {
    const a = await em.findOneByOrFail(AssessmentEntity, { id });
    const questions = await em.find(QuestionEntity, {
      where: { assessmentId: id },
      order: { position: 'ASC' },
    });
    const [lesson] = await em.query<{ id: string }[]>(
      `SELECT id FROM course_lessons WHERE assessment_id = $1`,
      [id],
    );
    return {
      id: a.id,
      courseId: a.courseId,
      title: a.title,
      timeLimitMinutes: a.timeLimitMinutes,
      maxAttempts: a.maxAttempts,
      passScore: a.passScore,
      partialCredit: a.partialCredit,
      reviewPolicy: a.reviewPolicy,
      lessonId: lesson?.id ?? '',
      competencyBands: a.competencyBands,
      questions: questions.map((q) => ({
        id: q.id,
        position: q.position,
        kind: q.kind,
        prompt: q.prompt,
        options: q.options,
        correct: author ? q.correct : null,
        points: q.points,
        competencyLineageId: q.competencyLineageId,
      })),
    };
  }
}

/** A course the caller may not see or change is, from here, an assessment not found. */
export function notFound(e: unknown): never {
  if (e instanceof DomainError && e.code === 'COURSE_NOT_FOUND') {
    throw new DomainError('ASSESSMENT_NOT_FOUND');
  }
  throw e;
}
