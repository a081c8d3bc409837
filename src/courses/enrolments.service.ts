import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { gradeWord } from '../assessments/grading';
import { CertificatesService } from '../certificates/certificates.service';
import { DomainError } from '../common/errors/domain-error';
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  Page,
  PageQueryDto,
  toPage,
} from '../common/pagination/page';
import { appendLineageEvidence } from '../competencies/learning-evidence';
import { TrainingRecordsService } from '../training-records/training-records.service';
import { CourseCompetenciesService } from './course-competencies.service';
import { AuditService } from '../audit/audit.service';
import { nfc } from '../common/text/vietnamese';
import { sameCourseSql } from './course-family.sql';
import { CourseHooks } from './course-hooks';
import { CoursesService } from './courses.service';
import { EnrolmentStatus } from './course.types';
import {
  EnrolDto,
  EnrolmentDto,
  EnrolmentListDto,
  ManualCompletionDto,
  MyEnrolmentDto,
} from './dto/course.dto';
import { isoDateVi } from '../common/dates/vietnam-dates';
import { Clock } from '../common/clock/clock';
import {
  COMPLETION_FACTS_SQL,
  CompletionFactsRow,
  findMyEnrolmentsPage,
} from './enrolments.queries';

/** For the statements of other modules that start an enrolment's work (an attempt). */
export { MARK_STARTED_SQL, OWN_ENROLMENT_SQL } from './enrolment-started.sql';

interface EnrolmentRow {
  id: string;
  course_id: string;
  person_id: string;
  status: EnrolmentStatus;
  enrolled_at: Date;
  due_on: string | null;
}

export interface CompletionOutcome {
  status: EnrolmentStatus;
  score: number | null;
  grade: string | null;
  completedAt: Date | null;
  certificate: { id: string; serial: string; code: string } | null;
}

/**
 * Enrolments, lesson progress and the completion rule. Completion runs inside the caller's
 * transaction (lesson marked or assessment passed), so the enrolment, the training record and
 * the certificate are written together or not at all.
 */
@Injectable()
export class EnrolmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
    private readonly certificates: CertificatesService,
    private readonly trainingRecords: TrainingRecordsService,
    private readonly hooks: CourseHooks,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Enrols many people in a course: its current (published) version, whichever version the id
   * names — a new enrolment always goes to the version offered now (a draft answers
   * COURSE_NOT_PUBLISHED, a retired course COURSE_RETIRED). Every person must lie in the
   * officer's scope (checked in one query; the missing ones are listed). A person who already
   * holds an enrolment in any version of the course keeps it and is reported with it
   * (created: false): one INSERT … SELECT unnest … WHERE NOT EXISTS, and one SELECT that
   * returns new and existing enrolments alike.
   */
  async enrol(actor: Actor, dto: EnrolDto): Promise<EnrolmentListDto> {
    return this.dataSource.transaction(async (em) => {
      const course = await this.courses.findForStaff(
        actor,
        dto.courseId,
        'use',
        em,
        false,
        'training:manage',
      );
      if (course.status === 'draft') throw new DomainError('COURSE_NOT_PUBLISHED');
      // Share-locked: a retire or a new version's publish waits for this enrolment to commit.
      const [current] = await em.query<{ id: string }[]>(
        `SELECT id FROM courses WHERE code = $1 AND status = 'published' FOR SHARE`,
        [course.code],
      );
      if (!current) throw new DomainError('COURSE_RETIRED', { code: course.code });
      const today = this.clock.todayVn();
      if (dto.dueOn !== undefined && dto.dueOn < today) {
        throw new DomainError('DUE_DATE_IN_PAST', { dueDate: dto.dueOn, today }, [
          { field: 'dueOn', message: dto.dueOn },
        ]);
      }
      const scope = scopeConditionRaw('o.path', actor.scopePaths('training:manage'), 2);
      const found = await em.query<{ id: string }[]>(
        `SELECT p.id FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
          WHERE p.id = ANY($1::uuid[]) AND ${scope.sql}`,
        [dto.personIds, ...scope.params],
      );
      const inScope = new Set(found.map((r) => r.id));
      const missing = dto.personIds.filter((id) => !inScope.has(id));
      if (missing.length) {
        throw new DomainError(
          'PERSON_NOT_FOUND',
          {},
          missing.map((id) => ({
            field: `personIds[${dto.personIds.indexOf(id)}]`,
            message: id,
          })),
        );
      }
      const inserted = await em.query<{ id: string }[]>(
        `INSERT INTO enrolments (course_id, person_id, enrolled_by, due_on)
         SELECT $1, x.person_id, $3, $4::date FROM unnest($2::uuid[]) AS x(person_id)
          WHERE NOT EXISTS (SELECT 1 FROM enrolments e
                             WHERE e.person_id = x.person_id AND ${sameCourseSql('e.course_id', '$1')})
         ON CONFLICT (course_id, person_id, cycle) DO NOTHING
         RETURNING id`,
        [current.id, dto.personIds, actor.userId, dto.dueOn ?? null],
      );
      const created = new Set(inserted.map((r) => r.id));
      if (dto.dueOn !== undefined) {
        // The officer's newest instruction is the deadline of whoever has not finished yet.
        await em.query(
          `UPDATE enrolments e SET due_on = $3::date
            WHERE ${sameCourseSql('e.course_id', '$1')} AND e.person_id = ANY($2::uuid[])
              AND e.status <> 'completed' AND e.due_on IS DISTINCT FROM $3::date`,
          [current.id, dto.personIds, dto.dueOn],
        );
      }
      const rows = await em.query<EnrolmentRow[]>(
        // A recertified person has several takes of the course: the latest one is theirs now.
        `SELECT DISTINCT ON (person_id) id, course_id, person_id, status, enrolled_at,
                due_on::text AS due_on
           FROM enrolments e
          WHERE ${sameCourseSql('e.course_id', '$1')} AND person_id = ANY($2::uuid[])
          ORDER BY person_id, cycle DESC, enrolled_at DESC`,
        [current.id, dto.personIds],
      );
      const byPerson = new Map(rows.map((r) => [r.person_id, r]));
      const items: EnrolmentDto[] = dto.personIds.map((pid) => {
        const r = byPerson.get(pid)!;
        return {
          id: r.id,
          courseId: r.course_id,
          personId: r.person_id,
          status: r.status,
          enrolledAt: new Date(r.enrolled_at).toISOString(),
          dueOn: r.due_on,
          created: created.has(r.id),
        };
      });
      return { items };
    });
  }

  /**
   * Enrols one person in many courses with a due date, in the caller's transaction
   * (development plans, issue 5 item 4). Each course is taken at its current version, as in
   * `enrol`: a person holding an enrolment in any version of it keeps that one as it is (its
   * due date too) and is never enrolled twice; a course that is retired, or was never
   * published, is skipped (absent from the result) unless the person holds an enrolment in it.
   * One INSERT … SELECT … ON CONFLICT DO NOTHING, then one SELECT, in the order of `courseIds`.
   * Scope and plan checks are the caller's.
   */
  async enrolInCourses(
    em: EntityManager,
    params: { personId: string; courseIds: readonly string[]; dueOn: string; enrolledBy: string },
  ): Promise<
    {
      id: string;
      courseId: string;
      code: string;
      title: string;
      status: EnrolmentStatus;
      dueOn: string | null;
      created: boolean;
    }[]
  > {
    if (params.courseIds.length === 0) return [];
    const inserted = await em.query<{ id: string }[]>(
      `INSERT INTO enrolments (course_id, person_id, enrolled_by, due_on)
       SELECT DISTINCT cur.id, $2::uuid, $3::uuid, $4::date
         FROM courses k
         JOIN courses cur ON cur.code = k.code AND cur.status = 'published'
        WHERE k.id = ANY($1::uuid[])
          AND NOT EXISTS (SELECT 1 FROM enrolments e JOIN courses v ON v.id = e.course_id
                           WHERE e.person_id = $2 AND v.code = k.code)
       ON CONFLICT (course_id, person_id, cycle) DO NOTHING
       RETURNING id`,
      [params.courseIds, params.personId, params.enrolledBy, params.dueOn],
    );
    const created = new Set(inserted.map((r) => r.id));
    const rows = await em.query<
      {
        id: string;
        course_id: string;
        code: string;
        title: string;
        status: EnrolmentStatus;
        due_on: string | null;
      }[]
    >(
      // Per course asked for (first mention of a code wins), the person's latest take of any
      // version of it.
      `SELECT latest.* FROM (
         SELECT DISTINCT ON (asked.code)
                e.id, e.course_id, v.code, v.title, e.status, e.due_on::text AS due_on, asked.n
           FROM (SELECT k.code, min(x.n) AS n
                   FROM unnest($2::uuid[]) WITH ORDINALITY AS x(id, n)
                   JOIN courses k ON k.id = x.id
                  GROUP BY k.code) asked
           JOIN courses v ON v.code = asked.code
           JOIN enrolments e ON e.course_id = v.id AND e.person_id = $1
          ORDER BY asked.code, e.cycle DESC, e.enrolled_at DESC) latest
        ORDER BY latest.n`,
      [params.personId, params.courseIds],
    );
    return rows.map((r) => ({
      id: r.id,
      courseId: r.course_id,
      code: r.code,
      title: r.title,
      status: r.status,
      dueOn: r.due_on,
      created: created.has(r.id),
    }));
  }

  /** The caller's own enrolments, newest first, with progress: one query per page. */
  async mine(actor: Actor, query: PageQueryDto, onlyId?: string): Promise<Page<MyEnrolmentDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const rows = await findMyEnrolmentsPage(this.dataSource.manager, {
      personId: actor.personId,
      limit: limit + 1,
      after: cursor ? [String(cursor[0]), String(cursor[1])] : undefined,
      onlyId,
    });
    const today = this.clock.todayVn();
    return toPage(
      rows,
      limit,
      (r) => [r.at_key, r.id],
      (r) => ({
        id: r.id,
        course: { id: r.course_id, code: r.code, title: r.title },
        status: r.status,
        progress: {
          completedLessons: r.completed_lessons,
          totalLessons: r.total_lessons,
          percent: r.total_lessons ? Math.round((r.completed_lessons / r.total_lessons) * 100) : 0,
        },
        assessmentId: r.assessment_id,
        completedLessonIds: r.completed_lesson_ids ?? [],
        score: r.score === null ? null : Number(r.score),
        grade: r.grade,
        completedAt: r.completed_at ? new Date(r.completed_at).toISOString() : null,
        certificateId: r.certificate_id,
        enrolledAt: new Date(r.enrolled_at).toISOString(),
        dueOn: r.due_on,
        overdue: r.status !== 'completed' && r.due_on !== null && r.due_on < today,
      }),
    );
  }

  /**
   * Marks a non-assessment lesson of the caller's own enrolment complete (idempotent), then
   * applies the completion rule in the same transaction.
   */
  async completeLesson(
    actor: Actor,
    enrolmentId: string,
    lessonId: string,
  ): Promise<MyEnrolmentDto> {
    await this.dataSource.transaction(async (em) => {
      const [row] = await em.query<
        { id: string; course_id: string; status: EnrolmentStatus; lesson_kind: string | null }[]
      >(
        `SELECT e.id, e.course_id, e.status, l.kind AS lesson_kind
           FROM enrolments e
           LEFT JOIN course_lessons l ON l.course_id = e.course_id AND l.id = $3
          WHERE e.id = $1 AND e.person_id = $2
          FOR UPDATE OF e`,
        [enrolmentId, actor.personId, lessonId],
      );
      if (!row) throw new DomainError('ENROLMENT_NOT_FOUND');
      if (!row.lesson_kind) throw new DomainError('LESSON_NOT_FOUND');
      if (row.lesson_kind === 'assessment') throw new DomainError('LESSON_NOT_MANUAL');
      // Marking a lesson of a course already completed stays possible (reviewing); a course
      // not open yet (a later course of an in-order programme set) is refused.
      if (row.status !== 'completed') {
        await this.hooks.assertOpen(em, actor.personId, row.course_id);
      }
      await em.query(
        `INSERT INTO lesson_completions (enrolment_id, lesson_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING`,
        [enrolmentId, lessonId],
      );
      await em.query(
        `UPDATE enrolments SET status = 'in_progress' WHERE id = $1 AND status = 'enrolled'`,
        [enrolmentId],
      );
      await this.tryComplete(em, enrolmentId);
    });
    return this.mineOne(actor, enrolmentId);
  }

  private async mineOne(actor: Actor, enrolmentId: string): Promise<MyEnrolmentDto> {
    const [item] = (await this.mine(actor, { limit: 1 }, enrolmentId)).items;
    if (!item) throw new DomainError('ENROLMENT_NOT_FOUND');
    return item;
  }

  /**
   * An officer completes an enrolment by hand: recognition of prior learning, with the reason.
   * Everything an ordinary completion writes follows (certificate, transcript line marked as
   * recognised, competency evidence, programme progress), in one transaction with its audit
   * entry. Only staff whose training scope covers the learner (else 404); never one's own
   * enrolment (four eyes); a completed enrolment stays as it is (409).
   */
  async completeByOfficer(
    actor: Actor,
    enrolmentId: string,
    reason: string,
  ): Promise<ManualCompletionDto> {
    return this.dataSource.transaction(async (em) => {
      const scope = scopeConditionRaw('o.path', actor.scopePaths('training:manage'), 2);
      const [row] = await em.query<
        { id: string; person_id: string; status: EnrolmentStatus; home_unit: string }[]
      >(
        `SELECT e.id, e.person_id, e.status, p.home_org_unit_id AS home_unit
           FROM enrolments e
           JOIN people p ON p.id = e.person_id
           JOIN org_units o ON o.id = p.home_org_unit_id
          WHERE e.id = $1 AND ${scope.sql}
          FOR UPDATE OF e`,
        [enrolmentId, ...scope.params],
      );
      if (!row) throw new DomainError('ENROLMENT_NOT_FOUND');
      if (row.person_id === actor.personId) throw new DomainError('LEARNING_SELF_RECOGNITION');
      if (row.status === 'completed') throw new DomainError('ENROLMENT_ALREADY_COMPLETED');
      const text = nfc(reason.trim());
      const outcome = await this.tryComplete(em, row.id, {
        reason: text,
        actorUserId: actor.userId,
      });
      const certificate = outcome.certificate!;
      await this.audit.record(em, actor, {
        action: 'enrolment.complete_manual',
        entityType: 'enrolment',
        entityId: row.id,
        orgUnitId: row.home_unit,
        before: { status: row.status },
        after: {
          status: 'completed',
          completionMethod: 'manual',
          reason: text,
          certificateSerial: certificate.serial,
        },
      });
      return {
        id: row.id,
        personId: row.person_id,
        status: 'completed',
        completionMethod: 'manual',
        completionReason: text,
        completedAt: outcome.completedAt!.toISOString(),
        score: outcome.score,
        grade: outcome.grade,
        certificate: { id: certificate.id, serial: certificate.serial },
      };
    });
  }

  /** Records a passed final assessment (first pass wins) and ticks its lesson. */
  async recordAssessmentPass(em: EntityManager, enrolmentId: string, score: number): Promise<void> {
    await em.query(
      `UPDATE enrolments
          SET assessment_score = $2, assessment_passed_at = now(),
              status = CASE WHEN status = 'enrolled' THEN 'in_progress'::enrolment_status
                            ELSE status END
        WHERE id = $1 AND assessment_passed_at IS NULL`,
      [enrolmentId, score],
    );
    await em.query(
      `INSERT INTO lesson_completions (enrolment_id, lesson_id)
       SELECT e.id, l.id FROM enrolments e
         JOIN course_lessons l ON l.course_id = e.course_id AND l.kind = 'assessment'
        WHERE e.id = $1
       ON CONFLICT DO NOTHING`,
      [enrolmentId],
    );
  }

  /** Refuses work on a course that a registered gate keeps closed for this person (409). */
  assertCourseOpen(em: EntityManager, personId: string, courseId: string): Promise<void> {
    return this.hooks.assertOpen(em, personId, courseId);
  }

  /**
   * The completion rule, the same for every course and shown with it (CourseDto.completionRule):
   * every required lesson complete — a required final-assessment lesson is completed by passing
   * the assessment — and, once classroom sessions exist, the attendance share. A course without
   * a final assessment (or with an optional one) therefore completes on its lessons alone.
   * Runs in the caller's transaction with the enrolment row locked, so two racing calls
   * complete it once; the certificate's own unique constraint backs this. Everything a
   * completion implies — certificate, transcript line, competency evidence, and through the
   * registered hooks programme progress and recertification expiry — is written here.
   */
  async tryComplete(
    em: EntityManager,
    enrolmentId: string,
    manual?: { reason: string; actorUserId: string },
  ): Promise<CompletionOutcome> {
    const [e] = await em.query<CompletionFactsRow[]>(COMPLETION_FACTS_SQL, [
      enrolmentId,
      this.clock.now(),
    ]);
    if (!e) throw new DomainError('ENROLMENT_NOT_FOUND');
    if (e.status === 'completed') {
      return {
        status: e.status,
        score: e.score === null ? null : Number(e.score),
        grade: e.grade,
        completedAt: e.completed_at,
        certificate: null,
      };
    }
    const ruleMet =
      e.missing === 0 &&
      (!e.assessment_required || e.assessment_passed_at) &&
      !e.attendance_short &&
      !e.attendance_pending;
    if (!ruleMet && !manual) {
      return { status: e.status, score: null, grade: null, completedAt: null, certificate: null };
    }
    // Without a final assessment there is no score: the certificate attests completion only.
    const score = e.assessment_score === null ? null : Number(e.assessment_score);
    const grade = score === null ? null : gradeWord(score);
    const completedAt = this.clock.now();
    const hours = Number(e.duration_hours);
    const certificate = await this.certificates.issueForCompletion(em, {
      enrolmentId: e.id,
      personId: e.person_id,
      courseId: e.course_id,
      holderName: e.holder_name,
      courseCode: e.code,
      courseTitle: e.title,
      hours,
      attendedHours: e.attended_hours === null ? null : Number(e.attended_hours),
      score,
      grade,
      issuerOrgUnitId: e.owner_org_unit_id,
      issuerName: e.owner_name,
      completedAt,
    });
    await this.trainingRecords.recordCompletion(em, {
      personId: e.person_id,
      enrolmentId: e.id,
      courseId: e.course_id,
      courseCode: e.code,
      courseTitle: e.title,
      hours,
      score,
      grade,
      completedAt,
      certificateId: certificate.id,
      certificateSerial: certificate.serial,
      recognition: manual ? 'manual' : 'rules',
      note: manual ? manual.reason : null,
    });
    // Course evidence (issue 4, item 6): each competency the course declares, at its level,
    // against every published version of that lineage; idempotent per enrolment.
    const links = await CourseCompetenciesService.linksOf(em, e.course_id);
    await appendLineageEvidence(
      em,
      links.map((l) => ({
        personId: e.person_id,
        lineageId: l.competencyLineageId,
        level: l.level,
        source: 'course' as const,
        ratedOn: isoDateVi(completedAt),
        sourceType: 'enrolment',
        sourceId: e.id,
      })),
    );
    await em.query(
      `UPDATE enrolments SET status = 'completed', score = $2, grade = $3, completed_at = $4,
                             certificate_id = $5, completion_method = $6,
                             completion_reason = $7, completed_by = $8
        WHERE id = $1`,
      [
        e.id,
        score,
        grade,
        completedAt,
        certificate.id,
        manual ? 'manual' : 'rules',
        manual?.reason ?? null,
        manual?.actorUserId ?? null,
      ],
    );
    await this.hooks.completed(em, {
      enrolmentId: e.id,
      personId: e.person_id,
      courseId: e.course_id,
      completedAt,
      certificateId: certificate.id,
    });
    return { status: 'completed', score, grade, completedAt, certificate };
  }
}
