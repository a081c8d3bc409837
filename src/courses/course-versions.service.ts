import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { RequestValidationError } from '../common/http/validation';
import { nfc } from '../common/text/vietnamese';
import { OrgUnitsService } from '../org-units/org-units.service';
import { CourseStatus } from './course.types';
import { CourseEntity } from './course.entities';
import { CourseHooks } from './course-hooks';
import { CourseLessonsService } from './course-lessons.service';
import { codeTaken, CoursesService, toCourseDto } from './courses.service';
import { CopyCourseDto, CourseDto, NewVersionDto, RetireCourseDto } from './dto/course.dto';

interface VersionRow {
  id: string;
  version_no: number;
  status: CourseStatus;
}

/**
 * The life of a course across versions (issue 11, item 5).
 * - A course is its code; each version is a row with its number. At most one version is
 *   published (the current one) and at most one is a draft, per code (partial unique indexes).
 * - A new version is a draft copy of a published, superseded or retired version: lessons, the
 *   final assessment (through CourseHooks.copied, the assessments module copies it) and the
 *   competencies the course develops. Publishing it supersedes the published version in the
 *   same transaction. Enrolments, lesson completions, attempts and certificates keep pointing
 *   at the version they were made on; new enrolments go to the current version.
 * - Retiring sets the current version 'archived': no new enrolments, learners finish.
 *   Publishing a later draft of a retired course offers it again.
 * - A copy is a new course under a new code (version 1, draft) with the same content; the
 *   final assessment comes along only when the copier is one of the source's authors.
 * Publish, new version, supersede, retire and copy are written to the audit log in the same
 * transaction. Every statement that changes more than one version locks all versions of the
 * code, by version number, so that two of them never interleave.
 */
@Injectable()
export class CourseVersionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
    private readonly lessons: CourseLessonsService,
    private readonly orgUnits: OrgUnitsService,
    private readonly audit: AuditService,
    private readonly hooks: CourseHooks,
  ) {}

  async publish(actor: Actor, id: string): Promise<CourseDto> {
    return this.dataSource.transaction(async (em) => {
      const found = await this.courses.findForStaff(actor, id, 'write', em);
      const versions = await this.lockVersions(em, found.code);
      const me = versionOf(versions, id);
      if (me.status === 'published') return this.view(em, id);
      if (me.status !== 'draft') {
        throw new DomainError('COURSE_LOCKED', { code: found.code, versionNo: me.version_no });
      }
      const lessons = await this.courses.lessonsOf(em, id);
      if (lessons.length === 0) throw new DomainError('COURSE_EMPTY');
      const previous = versions.find((v) => v.status === 'published');
      if (previous) {
        await em.query(
          `UPDATE courses SET status = 'superseded', superseded_at = now(), updated_at = now()
            WHERE id = $1`,
          [previous.id],
        );
        await this.audit.record(em, actor, {
          action: 'course.supersede',
          entityType: 'course',
          entityId: previous.id,
          orgUnitId: found.ownerOrgUnitId,
          before: { status: 'published', versionNo: previous.version_no },
          after: { status: 'superseded', supersededById: id, supersededByVersionNo: me.version_no },
        });
      }
      await em.query(
        `UPDATE courses SET status = 'published', published_at = now(), updated_at = now()
          WHERE id = $1`,
        [id],
      );
      await this.audit.record(em, actor, {
        action: 'course.publish',
        entityType: 'course',
        entityId: id,
        orgUnitId: found.ownerOrgUnitId,
        before: { status: 'draft' },
        after: {
          status: 'published',
          code: found.code,
          versionNo: me.version_no,
          title: found.title,
          lessons: lessons.length,
          supersedes: previous ? { id: previous.id, versionNo: previous.version_no } : null,
        },
      });
      return this.view(em, id);
    });
  }

  /**
   * A new draft version of the course, copied from version `id` (published, superseded or
   * retired). One draft per course at a time: a second one answers COURSE_DRAFT_EXISTS naming
   * the draft to edit.
   */
  async newVersion(actor: Actor, id: string, dto: NewVersionDto): Promise<CourseDto> {
    return this.dataSource.transaction(async (em) => {
      const source = await this.courses.findForStaff(actor, id, 'write', em);
      const versions = await this.lockVersions(em, source.code);
      versionOf(versions, id);
      const draft = versions.find((v) => v.status === 'draft');
      if (draft) {
        throw new DomainError(
          'COURSE_DRAFT_EXISTS',
          { code: source.code, versionNo: draft.version_no },
          [{ field: 'id', message: draft.id }],
        );
      }
      const versionNo = Math.max(...versions.map((v) => v.version_no)) + 1;
      const [{ id: newId }] = await em.query<{ id: string }[]>(
        `INSERT INTO courses (code, version_no, based_on_id, title, description, delivery_mode,
                              duration_hours, pass_score, owner_org_unit_id, attendance_min_percent)
         SELECT code, $2, id, title, description, delivery_mode, duration_hours, pass_score,
                owner_org_unit_id, attendance_min_percent
           FROM courses WHERE id = $1
         RETURNING id`,
        [id, versionNo],
      );
      await this.copyContent(em, id, newId, true);
      await this.audit.record(em, actor, {
        action: 'course.version',
        entityType: 'course',
        entityId: newId,
        orgUnitId: source.ownerOrgUnitId,
        before: null,
        after: {
          status: 'draft',
          code: source.code,
          versionNo,
          basedOn: { id, versionNo: source.versionNo },
          note: dto.note === undefined ? null : nfc(dto.note),
        },
      });
      return this.view(em, newId);
    });
  }

  /**
   * Retires the course: its current (published) version is archived and takes no new
   * enrolments; the people enrolled finish it. Retiring again changes nothing.
   */
  async retire(actor: Actor, id: string, dto: RetireCourseDto): Promise<CourseDto> {
    return this.dataSource.transaction(async (em) => {
      const found = await this.courses.findForStaff(actor, id, 'write', em);
      const me = versionOf(await this.lockVersions(em, found.code), id);
      if (me.status === 'archived') return this.view(em, id);
      if (me.status === 'draft') throw new DomainError('COURSE_NOT_PUBLISHED');
      if (me.status === 'superseded') {
        throw new DomainError('COURSE_SUPERSEDED', { code: found.code, versionNo: me.version_no });
      }
      await em.query(
        `UPDATE courses SET status = 'archived', retired_at = now(), updated_at = now()
          WHERE id = $1`,
        [id],
      );
      await this.audit.record(em, actor, {
        action: 'course.retire',
        entityType: 'course',
        entityId: id,
        orgUnitId: found.ownerOrgUnitId,
        before: { status: 'published' },
        after: {
          status: 'archived',
          code: found.code,
          versionNo: me.version_no,
          reason: dto.reason === undefined ? null : nfc(dto.reason),
        },
      });
      return this.view(em, id);
    });
  }

  /**
   * A new course under a new code (version 1, draft) with the content of `id`: any course the
   * officer may use, a national one included, into a unit the officer manages (the owner of
   * the course copied when the officer manages it, else ownerOrgUnitId is required).
   */
  async copy(actor: Actor, id: string, dto: CopyCourseDto): Promise<CourseDto> {
    return this.dataSource.transaction(async (em) => {
      const source = await this.courses.findForStaff(
        actor,
        id,
        'use',
        em,
        false,
        'training:manage',
      );
      const owner = dto.ownerOrgUnitId ?? source.ownerOrgUnitId;
      try {
        await this.orgUnits.findInScope(actor, owner, 'training:manage', em);
      } catch (e) {
        if (dto.ownerOrgUnitId || !(e instanceof DomainError)) throw e;
        throw new RequestValidationError([
          {
            field: 'ownerOrgUnitId',
            constraint: 'isDefined',
            en: 'required: the course copied belongs to a unit you do not manage',
            vi: 'Cần chọn đơn vị quản lý: khóa học được sao chép thuộc đơn vị bạn không quản lý.',
          },
        ]);
      }
      const rows = await em.query<{ id: string }[]>(
        `INSERT INTO courses (code, based_on_id, title, description, delivery_mode,
                              duration_hours, pass_score, owner_org_unit_id, attendance_min_percent)
         SELECT $2, id, COALESCE($3, title), description, delivery_mode, duration_hours,
                pass_score, $4, attendance_min_percent
           FROM courses WHERE id = $1
         ON CONFLICT (code, version_no) DO NOTHING
         RETURNING id`,
        [id, dto.code, dto.title === undefined ? null : nfc(dto.title), owner],
      );
      if (!rows[0]) throw codeTaken(dto.code);
      const newId = rows[0].id;
      // The final assessment comes along only for the source's authors: a copy must not be a
      // way to read right answers that a learner-officer could not see otherwise.
      const author = await this.courses.findForStaff(actor, id, 'write', em).then(
        () => true,
        (e: unknown) => {
          if (e instanceof DomainError) return false;
          throw e;
        },
      );
      await this.copyContent(em, id, newId, author);
      await this.audit.record(em, actor, {
        action: 'course.copy',
        entityType: 'course',
        entityId: newId,
        orgUnitId: owner,
        before: null,
        after: {
          status: 'draft',
          code: dto.code,
          versionNo: 1,
          copiedFrom: { id, code: source.code, versionNo: source.versionNo },
          withAssessment: author,
        },
      });
      return this.view(em, newId);
    });
  }

  /** Lessons, competencies and (through the hooks) the final assessment, into a new draft. */
  private async copyContent(
    em: EntityManager,
    fromId: string,
    toId: string,
    withAssessment: boolean,
  ): Promise<void> {
    await this.lessons.copyLessons(em, fromId, toId);
    await em.query(
      `INSERT INTO course_competencies (course_id, competency_lineage_id, level)
       SELECT $2, competency_lineage_id, level FROM course_competencies WHERE course_id = $1`,
      [fromId, toId],
    );
    await this.hooks.copied(em, { fromCourseId: fromId, toCourseId: toId, withAssessment });
    if (!withAssessment) await this.lessons.compact(em, toId);
  }

  /** Every version of the code, locked in version order for the rest of the transaction. */
  private lockVersions(em: EntityManager, code: string): Promise<VersionRow[]> {
    return em.query<VersionRow[]>(
      `SELECT id, version_no, status FROM courses WHERE code = $1
        ORDER BY version_no FOR UPDATE`,
      [code],
    );
  }

  private async view(em: EntityManager, id: string): Promise<CourseDto> {
    return toCourseDto(
      await em.findOneByOrFail(CourseEntity, { id }),
      await this.courses.lessonsOf(em, id),
      await this.courses.hasSessions(em, id),
    );
  }
}

/** The locked row of `id`; absent when its code changed in between (a retry will see it). */
function versionOf(versions: VersionRow[], id: string): VersionRow {
  const me = versions.find((v) => v.id === id);
  if (!me) throw new DomainError('CONCURRENT_UPDATE');
  return me;
}
