import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { RequestValidationError } from '../common/http/validation';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { nfc } from '../common/text/vietnamese';
import { OrgUnitsService } from '../org-units/org-units.service';
import { CourseEntity, LessonEntity } from './course.entities';
import { courseScopeRaw } from './course-scope';
import { sameCourseSql } from './course-family.sql';
import {
  CompletionRuleDto,
  CourseDto,
  CourseVersionListDto,
  CreateCourseDto,
  LessonDto,
  ListCoursesQueryDto,
  UpdateCourseDto,
} from './dto/course.dto';
import { isUniqueViolation } from '../common/sql/unique-violation';

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
export function completionRuleOf(
  lessons: readonly LessonEntity[],
  minAttendancePercent: number | null = null,
): CompletionRuleDto {
  const final = lessons.find((l) => l.kind === 'assessment');
  return {
    requiredLessons: lessons.filter((l) => l.required && l.kind !== 'assessment').length,
    finalAssessment: !final ? 'none' : final.required ? 'must_pass' : 'optional',
    minAttendancePercent,
  };
}

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** `hasSessions`: the course has classroom sessions, so its attendance share is part of the rule. */
export function toCourseDto(
  c: CourseEntity,
  lessons?: LessonEntity[],
  hasSessions = false,
): CourseDto {
  return {
    id: c.id,
    code: c.code,
    versionNo: c.versionNo,
    basedOnId: c.basedOnId,
    title: c.title,
    description: c.description,
    deliveryMode: c.deliveryMode,
    durationHours: c.durationHours,
    passScore: c.passScore,
    attendanceMinPercent: c.attendanceMinPercent,
    ownerOrgUnitId: c.ownerOrgUnitId,
    status: c.status,
    publishedAt: isoOrNull(c.publishedAt),
    supersededAt: isoOrNull(c.supersededAt),
    retiredAt: isoOrNull(c.retiredAt),
    locked: c.status !== 'draft',
    ...(lessons
      ? {
          lessons: lessons.map(toLessonDto),
          completionRule: completionRuleOf(lessons, hasSessions ? c.attendanceMinPercent : null),
        }
      : {}),
  };
}

/** A PATCH body must change something; fields given as undefined do not count. */
export function assertSomeField(dto: object): void {
  if (Object.values(dto).some((v) => v !== undefined)) return;
  throw new RequestValidationError([
    {
      field: 'body',
      constraint: 'isNotEmpty',
      en: 'give at least one field to change',
      vi: 'Cần gửi ít nhất một trường để thay đổi.',
    },
  ]);
}

interface CourseRow {
  id: string;
}

/**
 * Courses: create, read, list, and the corrections of a draft version. Decision (issue 11,
 * item 5, replacing the issue-3 lock without versions): a course is its code, and it has
 * versions. Only a draft version changes; a published version is frozen — learners finish what
 * they enrolled in and a certificate names what was taught — and is changed by making a new
 * version (CourseVersionsService), which supersedes it when published.
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
    if (course.status !== 'draft') {
      throw new DomainError('COURSE_LOCKED', { code: course.code, versionNo: course.versionNo });
    }
    return course;
  }

  async create(actor: Actor, dto: CreateCourseDto): Promise<CourseDto> {
    return this.dataSource.transaction(async (em) => {
      await this.orgUnits.findInScope(actor, dto.ownerOrgUnitId, 'training:manage', em);
      // Every course has a version 1, so a code taken by any course conflicts here.
      const rows = await em.query<{ id: string }[]>(
        `INSERT INTO courses (code, title, description, delivery_mode, duration_hours, pass_score,
                              owner_org_unit_id, attendance_min_percent)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (code, version_no) DO NOTHING RETURNING id`,
        [
          dto.code,
          nfc(dto.title.trim()),
          dto.description ? nfc(dto.description) : null,
          dto.deliveryMode,
          dto.durationHours,
          dto.passScore ?? 5,
          dto.ownerOrgUnitId,
          dto.attendanceMinPercent ?? 80,
        ],
      );
      if (!rows[0]) throw codeTaken(dto.code);
      return toCourseDto(await em.findOneByOrFail(CourseEntity, { id: rows[0].id }), []);
    });
  }

  /**
   * Corrects a draft version. Code and owner belong to the course, not the version: they change
   * only while the course has no other version (COURSE_CODE_FIXED), and a new code must be free.
   */
  async update(actor: Actor, id: string, dto: UpdateCourseDto): Promise<CourseDto> {
    assertSomeField(dto);
    return this.dataSource.transaction(async (em) => {
      const course = await this.lockDraft(actor, id, em);
      const recode = dto.code !== undefined && dto.code !== course.code;
      const reown =
        dto.ownerOrgUnitId !== undefined && dto.ownerOrgUnitId !== course.ownerOrgUnitId;
      if ((recode || reown) && course.versionNo !== 1) throw new DomainError('COURSE_CODE_FIXED');
      if (reown) {
        await this.orgUnits.findInScope(actor, dto.ownerOrgUnitId!, 'training:manage', em);
      }
      try {
        await em.query(
          `UPDATE courses
              SET code = COALESCE($2, code), title = COALESCE($3, title),
                  description = CASE WHEN $4::boolean THEN $5 ELSE description END,
                  delivery_mode = COALESCE($6::course_delivery_mode, delivery_mode),
                  duration_hours = COALESCE($7, duration_hours),
                  pass_score = COALESCE($8, pass_score),
                  owner_org_unit_id = COALESCE($9, owner_org_unit_id),
                  attendance_min_percent = COALESCE($10, attendance_min_percent),
                  updated_at = now()
            WHERE id = $1`,
          [
            id,
            dto.code ?? null,
            dto.title === undefined ? null : nfc(dto.title),
            dto.description !== undefined,
            dto.description ? nfc(dto.description) : null,
            dto.deliveryMode ?? null,
            dto.durationHours ?? null,
            dto.passScore ?? null,
            dto.ownerOrgUnitId ?? null,
            dto.attendanceMinPercent ?? null,
          ],
        );
      } catch (e) {
        if (isUniqueViolation(e) && recode) throw codeTaken(dto.code!);
        throw e;
      }
      return toCourseDto(
        await em.findOneByOrFail(CourseEntity, { id }),
        await this.lessonsOf(em, id),
        await this.hasSessions(em, id),
      );
    });
  }

  /** Whether any version of the course has a classroom session not cancelled (as tryComplete). */
  async hasSessions(em: EntityManager, courseId: string): Promise<boolean> {
    const [row] = await em.query<{ any: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM class_sessions s
                       WHERE ${sameCourseSql('s.course_id', '$1')} AND s.status <> 'cancelled') AS any`,
      [courseId],
    );
    return row.any;
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
    return toCourseDto(course, await this.lessonsOf(em, id), await this.hasSessions(em, id));
  }

  /** Every version of the course that the officer may see, oldest first. */
  async versions(actor: Actor, id: string): Promise<CourseVersionListDto> {
    const em = this.dataSource.manager;
    const course = await this.findForStaff(actor, id, 'use', em);
    const scope = courseScopeRaw(actor, 'use', 2);
    const ids = await em.query<{ id: string }[]>(
      `SELECT c.id FROM courses c JOIN org_units o ON o.id = c.owner_org_unit_id
        WHERE c.code = $1 AND ${scope.sql}`,
      [course.code, ...scope.params],
    );
    const versions = await em
      .createQueryBuilder(CourseEntity, 'c')
      .where('c.id IN (:...ids)', { ids: ids.map((r) => r.id) })
      .orderBy('c.version_no', 'ASC')
      .getMany();
    return { items: versions.map((c) => toCourseDto(c)) };
  }

  /** The catalogue the officer may use, by code then version, keyset-paginated. */
  async list(actor: Actor, query: ListCoursesQueryDto): Promise<Page<CourseDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['text', 'int']);
    const scope = courseScopeRaw(actor, 'use', 1);
    const params: unknown[] = [...scope.params];
    const where = [scope.sql];
    if (query.status) {
      params.push(query.status);
      where.push(`c.status = $${params.length}`);
    }
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where.push(`(c.code, c.version_no) > ($${params.length - 1}, $${params.length}::int)`);
    }
    params.push(limit + 1);
    const ids = await this.dataSource.query<{ id: string }[]>(
      `SELECT c.id FROM courses c JOIN org_units o ON o.id = c.owner_org_unit_id
        WHERE ${where.join(' AND ')}
        ORDER BY c.code, c.version_no LIMIT $${params.length}`,
      params,
    );
    if (!ids.length) return { items: [], nextCursor: null };
    const courses = await this.dataSource
      .createQueryBuilder(CourseEntity, 'c')
      .where('c.id IN (:...ids)', { ids: ids.map((r) => r.id) })
      .orderBy('c.code', 'ASC')
      .addOrderBy('c.version_no', 'ASC')
      .getMany();
    return toPage(
      courses,
      limit,
      (c) => [c.code, c.versionNo],
      (c) => toCourseDto(c),
    );
  }
}

export const codeTaken = (code: string) =>
  new DomainError('COURSE_CODE_TAKEN', { code }, [{ field: 'code', message: code }]);
