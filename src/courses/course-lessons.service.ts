import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { RawDetail, RequestValidationError } from '../common/http/validation';
import { nfc } from '../common/text/vietnamese';
import { CourseEntity, LessonEntity } from './course.entities';
import { assertSomeField, CoursesService, toCourseDto, toLessonDto } from './courses.service';
import {
  CourseDto,
  CreateLessonDto,
  LessonDto,
  ReorderLessonsDto,
  UpdateLessonDto,
} from './dto/course.dto';

type NewLesson = Pick<
  LessonEntity,
  'title' | 'kind' | 'content' | 'url' | 'required' | 'assessmentId'
>;

/**
 * The lessons of a draft version: add, correct, reorder, delete. Nothing references a draft's
 * lessons (nobody can enrol in a draft), so a delete is a real delete; positions stay 1…n.
 * Every change takes the course row lock (lockDraft), so concurrent edits of one course queue.
 */
@Injectable()
export class CourseLessonsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
  ) {}

  async add(actor: Actor, courseId: string, dto: CreateLessonDto): Promise<LessonDto> {
    if (dto.kind === 'assessment') throw new DomainError('LESSON_KIND_RESERVED');
    return this.dataSource.transaction(async (em) => {
      await this.courses.lockDraft(actor, courseId, em);
      const lesson = await this.appendLesson(em, courseId, {
        title: dto.title,
        kind: dto.kind,
        content: dto.content ?? null,
        url: dto.url ?? null,
        required: dto.required ?? true,
        assessmentId: null,
      });
      return toLessonDto(lesson);
    });
  }

  /**
   * Corrects a lesson of a draft, checked as it will be: a text lesson needs its content, a
   * video or link lesson its url. The final assessment's lesson takes only title and required.
   */
  async update(
    actor: Actor,
    courseId: string,
    lessonId: string,
    dto: UpdateLessonDto,
  ): Promise<LessonDto> {
    assertSomeField(dto);
    return this.dataSource.transaction(async (em) => {
      await this.courses.lockDraft(actor, courseId, em);
      const lesson = await this.lessonOf(em, courseId, lessonId);
      if (
        lesson.kind === 'assessment' &&
        (dto.kind !== undefined || dto.content !== undefined || dto.url !== undefined)
      ) {
        throw new DomainError('LESSON_IS_ASSESSMENT');
      }
      const next = {
        title: dto.title === undefined ? lesson.title : nfc(dto.title),
        kind: dto.kind ?? lesson.kind,
        content:
          dto.content === undefined
            ? lesson.content
            : dto.content === null
              ? null
              : nfc(dto.content),
        url: dto.url === undefined ? lesson.url : dto.url,
        required: dto.required ?? lesson.required,
      };
      const missing: RawDetail[] = [];
      if (next.kind === 'text' && next.content === null) {
        missing.push({
          field: 'content',
          constraint: 'isDefined',
          en: 'a text lesson needs its content',
          vi: 'Bài học dạng văn bản cần có nội dung.',
        });
      }
      if ((next.kind === 'video' || next.kind === 'link') && next.url === null) {
        missing.push({
          field: 'url',
          constraint: 'isDefined',
          en: 'a video or link lesson needs its url',
          vi: 'Bài học dạng video hoặc liên kết cần có đường dẫn.',
        });
      }
      if (missing.length) throw new RequestValidationError(missing);
      await em.query(
        `UPDATE course_lessons SET title = $2, kind = $3, content = $4, url = $5, required = $6
          WHERE id = $1`,
        [lessonId, next.title, next.kind, next.content, next.url, next.required],
      );
      await this.touch(em, courseId);
      return toLessonDto(await em.findOneByOrFail(LessonEntity, { id: lessonId }));
    });
  }

  /** Deletes a lesson of a draft for good; the final assessment's lesson goes with it only. */
  async remove(actor: Actor, courseId: string, lessonId: string): Promise<CourseDto> {
    return this.dataSource.transaction(async (em) => {
      await this.courses.lockDraft(actor, courseId, em);
      const lesson = await this.lessonOf(em, courseId, lessonId);
      if (lesson.kind === 'assessment') throw new DomainError('LESSON_IS_ASSESSMENT');
      await em.query(`DELETE FROM course_lessons WHERE id = $1`, [lessonId]);
      await this.renumber(em, courseId);
      return this.courseView(em, courseId);
    });
  }

  /**
   * Puts the lessons of a draft in the order given: the list names every lesson of the course
   * once. Missing, unknown and repeated ids are refused together, each in its own detail.
   */
  async reorder(actor: Actor, courseId: string, dto: ReorderLessonsDto): Promise<CourseDto> {
    return this.dataSource.transaction(async (em) => {
      await this.courses.lockDraft(actor, courseId, em);
      const lessons = await this.courses.lessonsOf(em, courseId);
      const known = new Set(lessons.map((l) => l.id));
      const seen = new Set<string>();
      const details: RawDetail[] = [];
      dto.lessonIds.forEach((id, i) => {
        if (!known.has(id)) {
          details.push({
            field: `lessonIds[${i}]`,
            constraint: 'lessonUnknown',
            en: `${id} is not a lesson of this course`,
            vi: `${id} không phải bài học của khóa học này.`,
          });
        } else if (seen.has(id)) {
          details.push({
            field: `lessonIds[${i}]`,
            constraint: 'arrayUnique',
            en: `${id} is listed more than once`,
            vi: `${id} có mặt nhiều lần trong danh sách.`,
          });
        }
        seen.add(id);
      });
      for (const l of lessons) {
        if (!seen.has(l.id)) {
          details.push({
            field: 'lessonIds',
            constraint: 'lessonMissing',
            en: `lesson ${l.id} (${l.title}) is missing`,
            vi: `Thiếu bài học ${l.id} (${l.title}).`,
          });
        }
      }
      if (details.length) throw new RequestValidationError(details);
      await this.renumber(em, courseId, dto.lessonIds);
      return this.courseView(em, courseId);
    });
  }

  /** Adds a lesson at the end; the caller holds the course row lock (see lockDraft). */
  async appendLesson(em: EntityManager, courseId: string, l: NewLesson): Promise<LessonEntity> {
    const rows = await em.query<{ id: string }[]>(
      `INSERT INTO course_lessons (course_id, position, title, kind, content, url, required,
                                   assessment_id)
       SELECT $1, COALESCE(MAX(position), 0) + 1, $2, $3, $4, $5, $6, $7
         FROM course_lessons WHERE course_id = $1
       RETURNING id`,
      [
        courseId,
        nfc(l.title.trim()),
        l.kind,
        l.content === null ? null : nfc(l.content),
        l.url,
        l.required,
        l.assessmentId,
      ],
    );
    await this.touch(em, courseId);
    return em.findOneByOrFail(LessonEntity, { id: rows[0].id });
  }

  /**
   * Copies the lessons of one version into a new draft at the same positions, all but the
   * final assessment's, whose place the assessments module fills when it copies the assessment
   * (insertAssessmentLesson).
   */
  async copyLessons(em: EntityManager, fromCourseId: string, toCourseId: string): Promise<void> {
    await em.query(
      `INSERT INTO course_lessons (course_id, position, title, kind, content, url, required)
       SELECT $2, position, title, kind, content, url, required
         FROM course_lessons WHERE course_id = $1 AND kind <> 'assessment'
        ORDER BY position`,
      [fromCourseId, toCourseId],
    );
  }

  /** The lesson that stands for the final assessment `assessmentId`, if any. */
  async assessmentLessonOf(em: EntityManager, assessmentId: string): Promise<LessonEntity | null> {
    return em.findOneBy(LessonEntity, { assessmentId });
  }

  /** Puts a copied assessment's lesson where the original stood (see copyLessons). */
  async insertAssessmentLesson(
    em: EntityManager,
    courseId: string,
    l: { position: number; title: string; required: boolean; assessmentId: string },
  ): Promise<void> {
    await em.query(
      `INSERT INTO course_lessons (course_id, position, title, kind, required, assessment_id)
       VALUES ($1, $2, $3, 'assessment', $4, $5)`,
      [courseId, l.position, l.title, l.required, l.assessmentId],
    );
  }

  /** Closes the gaps in a draft's positions (after a copy that left the assessment out). */
  async compact(em: EntityManager, courseId: string): Promise<void> {
    await this.renumber(em, courseId);
  }

  /** Deletes the lesson of a draft's final assessment when the assessment is deleted. */
  async removeAssessmentLesson(
    em: EntityManager,
    courseId: string,
    assessmentId: string,
  ): Promise<void> {
    await em.query(`DELETE FROM course_lessons WHERE course_id = $1 AND assessment_id = $2`, [
      courseId,
      assessmentId,
    ]);
    await this.renumber(em, courseId);
  }

  private async lessonOf(
    em: EntityManager,
    courseId: string,
    lessonId: string,
  ): Promise<LessonEntity> {
    const lesson = await em.findOneBy(LessonEntity, { id: lessonId, courseId });
    if (!lesson) throw new DomainError('LESSON_NOT_FOUND');
    return lesson;
  }

  /**
   * Positions 1…n, in `order` when given, else in the present order. Two statements: the
   * unique (course_id, position) is checked row by row, so the rows first step aside to
   * negative positions, then take their places.
   */
  private async renumber(em: EntityManager, courseId: string, order?: string[]): Promise<void> {
    await em.query(`UPDATE course_lessons SET position = -position WHERE course_id = $1`, [
      courseId,
    ]);
    await em.query(
      order
        ? `UPDATE course_lessons l SET position = x.n
             FROM unnest($2::uuid[]) WITH ORDINALITY AS x(id, n)
            WHERE l.course_id = $1 AND l.id = x.id`
        : `UPDATE course_lessons l SET position = x.n
             FROM (SELECT id, row_number() OVER (ORDER BY position DESC) AS n
                     FROM course_lessons WHERE course_id = $1) x
            WHERE l.id = x.id`,
      order ? [courseId, order] : [courseId],
    );
    await this.touch(em, courseId);
  }

  private async touch(em: EntityManager, courseId: string): Promise<void> {
    await em.query(`UPDATE courses SET updated_at = now() WHERE id = $1`, [courseId]);
  }

  private async courseView(em: EntityManager, courseId: string): Promise<CourseDto> {
    return toCourseDto(
      await em.findOneByOrFail(CourseEntity, { id: courseId }),
      await this.courses.lessonsOf(em, courseId),
      await this.courses.hasSessions(em, courseId),
    );
  }
}
