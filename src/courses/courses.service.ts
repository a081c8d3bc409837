import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { nfc } from '../common/text/vietnamese';
import { OrgUnitsService } from '../org-units/org-units.service';
import { CourseEntity, LessonEntity } from './course.entities';
import { courseScopeRaw } from './course-scope';
import {
  CompletionRuleDto,
  CourseDto,
  CreateCourseDto,
  CreateLessonDto,
  LessonDto,
  ListCoursesQueryDto,
} from './dto/course.dto';

export function toLessonDto(l: LessonEntity): LessonDto {
  return {
    id: l.id,
    position: l.position,
    title: l.title,
    kind: l.kind,
    content: l.content,
    url: l.url,
    required: l.required,
    assessmentId: l.assessmentId,
  };
}

/**
 * The completion rule of a course, as the learner and the officer read it: every required
 * lesson; the final assessment passed when its lesson is required (an optional one is
 * practice); the attendance share once classroom sessions exist.
 */
export function completionRuleOf(lessons: readonly LessonEntity[]): CompletionRuleDto {
  const final = lessons.find((l) => l.kind === 'assessment');
  return {
    requiredLessons: lessons.filter((l) => l.required && l.kind !== 'assessment').length,
    finalAssessment: !final ? 'none' : final.required ? 'must_pass' : 'optional',
    minAttendancePercent: null,
  };
}

export function toCourseDto(c: CourseEntity, lessons?: LessonEntity[]): CourseDto {
  return {
    id: c.id,
    code: c.code,
    title: c.title,
    description: c.description,
    deliveryMode: c.deliveryMode,
    durationHours: c.durationHours,
    passScore: c.passScore,
    ownerOrgUnitId: c.ownerOrgUnitId,
    status: c.status,
    publishedAt: c.publishedAt ? c.publishedAt.toISOString() : null,
    locked: c.status !== 'draft',
    ...(lessons
      ? { lessons: lessons.map(toLessonDto), completionRule: completionRuleOf(lessons) }
      : {}),
  };
}

interface CourseRow {
  id: string;
}

/**
 * Courses and their lessons. Decision (issue 3): LOCK, not version — once a course is
 * published its lessons and final assessment never change (COURSE_LOCKED); a change of content
 * is a new course with a new code. Learners therefore always finish what they enrolled in, and
 * a certificate names exactly what was taught. Title and description stay editable later.
 */
@Injectable()
export class CoursesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orgUnits: OrgUnitsService,
  ) {}

  /**
   * The course if the actor may see it in `mode`, else COURSE_NOT_FOUND (404, never 403, so a
   * course outside the caller's part of the hierarchy does not reveal that it exists).
   * With `lock` the course row is locked FOR UPDATE for the rest of the transaction.
   */
  async findForStaff(
    actor: Actor,
    id: string,
    mode: 'write' | 'use',
    em: EntityManager = this.dataSource.manager,
    lock = false,
    permission?: 'training:manage' | 'training:read',
  ): Promise<CourseEntity> {
    const scope = courseScopeRaw(actor, mode, 2, permission);
    const rows = await em.query<CourseRow[]>(
      `SELECT c.id FROM courses c JOIN org_units o ON o.id = c.owner_org_unit_id
        WHERE c.id = $1 AND ${scope.sql} ${lock ? 'FOR UPDATE OF c' : ''}`,
      [id, ...scope.params],
    );
    if (!rows[0]) throw new DomainError('COURSE_NOT_FOUND');
    return em.findOneByOrFail(CourseEntity, { id });
  }

  /** A draft course the actor may change, locked until the transaction ends; else 404/409. */
  async lockDraft(actor: Actor, id: string, em: EntityManager): Promise<CourseEntity> {
    const course = await this.findForStaff(actor, id, 'write', em, true);
    if (course.status !== 'draft') throw new DomainError('COURSE_LOCKED');
    return course;
  }

  async create(actor: Actor, dto: CreateCourseDto): Promise<CourseDto> {
    return this.dataSource.transaction(async (em) => {
      await this.orgUnits.findInScope(actor, dto.ownerOrgUnitId, 'training:manage', em);
      const rows = await em.query<{ id: string }[]>(
        `INSERT INTO courses (code, title, description, delivery_mode, duration_hours, pass_score,
                              owner_org_unit_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (code) DO NOTHING RETURNING id`,
        [
          dto.code,
          nfc(dto.title.trim()),
          dto.description ? nfc(dto.description) : null,
          dto.deliveryMode,
          dto.durationHours,
          dto.passScore ?? 5,
          dto.ownerOrgUnitId,
        ],
      );
      if (!rows[0]) {
        throw new DomainError('COURSE_CODE_TAKEN', { code: dto.code }, [
          { field: 'code', message: 'taken' },
        ]);
      }
      return toCourseDto(await em.findOneByOrFail(CourseEntity, { id: rows[0].id }), []);
    });
  }

  async addLesson(actor: Actor, courseId: string, dto: CreateLessonDto): Promise<LessonDto> {
    if (dto.kind === 'assessment') throw new DomainError('LESSON_KIND_RESERVED');
    return this.dataSource.transaction(async (em) => {
      await this.lockDraft(actor, courseId, em);
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

  /** Adds a lesson at the end; the caller holds the course row lock (see lockDraft). */
  async appendLesson(
    em: EntityManager,
    courseId: string,
    l: Pick<LessonEntity, 'title' | 'kind' | 'content' | 'url' | 'required' | 'assessmentId'>,
  ): Promise<LessonEntity> {
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
    return em.findOneByOrFail(LessonEntity, { id: rows[0].id });
  }

  async publish(actor: Actor, id: string): Promise<CourseDto> {
    return this.dataSource.transaction(async (em) => {
      const course = await this.findForStaff(actor, id, 'write', em, true);
      const lessons = await this.lessonsOf(em, id);
      if (course.status === 'published') return toCourseDto(course, lessons);
      if (course.status !== 'draft') throw new DomainError('COURSE_LOCKED');
      if (lessons.length === 0) throw new DomainError('COURSE_EMPTY');
      await em.query(
        `UPDATE courses SET status = 'published', published_at = now(), updated_at = now()
          WHERE id = $1`,
        [id],
      );
      return toCourseDto(await em.findOneByOrFail(CourseEntity, { id }), lessons);
    });
  }

  lessonsOf(em: EntityManager, courseId: string): Promise<LessonEntity[]> {
    return em.find(LessonEntity, { where: { courseId }, order: { position: 'ASC' } });
  }

  /** Staff in scope read any course; a learner reads the courses they are enrolled in. */
  async get(actor: Actor, id: string): Promise<CourseDto> {
    const em = this.dataSource.manager;
    let visible = false;
    if (actor.can('training:read')) {
      visible = await this.findForStaff(actor, id, 'use', em).then(
        () => true,
        (e: unknown) => {
          if (e instanceof DomainError) return false;
          throw e;
        },
      );
    }
    if (!visible) {
      const rows = await em.query<unknown[]>(
        `SELECT 1 FROM enrolments WHERE course_id = $1 AND person_id = $2`,
        [id, actor.personId],
      );
      if (!rows.length) throw new DomainError('COURSE_NOT_FOUND');
    }
    const course = await em.findOneByOrFail(CourseEntity, { id });
    return toCourseDto(course, await this.lessonsOf(em, id));
  }

  /** The catalogue the officer may use, by code, keyset-paginated. */
  async list(actor: Actor, query: ListCoursesQueryDto): Promise<Page<CourseDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, 2);
    const scope = courseScopeRaw(actor, 'use', 1);
    const params: unknown[] = [...scope.params];
    const where = [scope.sql];
    if (query.status) {
      params.push(query.status);
      where.push(`c.status = $${params.length}`);
    }
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where.push(`(c.code, c.id) > ($${params.length - 1}, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const ids = await this.dataSource.query<{ id: string }[]>(
      `SELECT c.id FROM courses c JOIN org_units o ON o.id = c.owner_org_unit_id
        WHERE ${where.join(' AND ')}
        ORDER BY c.code, c.id LIMIT $${params.length}`,
      params,
    );
    if (!ids.length) return { items: [], nextCursor: null };
    const courses = await this.dataSource
      .createQueryBuilder(CourseEntity, 'c')
      .where('c.id IN (:...ids)', { ids: ids.map((r) => r.id) })
      .orderBy('c.code', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
    return toPage(
      courses,
      limit,
      (c) => [c.code, c.id],
      (c) => toCourseDto(c),
    );
  }
}
