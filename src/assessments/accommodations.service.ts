import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { escapeLike, foldForSearch, nfc } from '../common/text/vietnamese';
import { CoursesService } from '../courses/courses.service';
import { AssessmentEntity } from './assessment.entities';
import { notFound } from './assessments.service';
import {
  AccommodationCandidateDto,
  AccommodationDto,
  GrantAccommodationDto,
} from './dto/accommodation.dto';

interface AccommodationRow {
  id: string;
  assessment_id: string;
  person_id: string;
  full_name: string;
  extra_minutes: number;
  extra_attempts: number;
  reason: string;
  granted_at: Date;
  revoked_at: Date | null;
}

const toDto = (r: AccommodationRow): AccommodationDto => ({
  id: r.id,
  assessmentId: r.assessment_id,
  personId: r.person_id,
  personName: r.full_name,
  extraMinutes: r.extra_minutes,
  extraAttempts: r.extra_attempts,
  reason: r.reason,
  grantedAt: new Date(r.granted_at).toISOString(),
  revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
});

/**
 * Per-person accommodations on an assessment (issue 16, item 2): extra minutes and attempts,
 * granted by an officer who may change the course, for a person enrolled in it and in the
 * officer's training:manage subtree, always with a reason. A new grant supersedes the current
 * one and a revoke ends it; neither deletes, and both are audited. They count from the next
 * attempt started.
 */
@Injectable()
export class AccommodationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
    private readonly audit: AuditService,
  ) {}

  /** Current and past accommodations of the assessment for people in the reader's scope. */
  async list(actor: Actor, assessmentId: string): Promise<AccommodationDto[]> {
    const a = await this.findAssessment(actor, assessmentId, 'use');
    const scope = scopeConditionRaw('o.path', actor.scopePaths('training:read'), 2);
    const rows = await this.dataSource.query<AccommodationRow[]>(
      `SELECT x.*, p.full_name FROM assessment_accommodations x
         JOIN people p ON p.id = x.person_id
         JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE x.assessment_id = $1 AND ${scope.sql}
        ORDER BY x.granted_at DESC, x.id DESC
        LIMIT 500`,
      [a.id, ...scope.params],
    );
    return rows.map(toDto);
  }

  /**
   * The people an officer may grant to on this assessment — enrolled in its course and in their
   * training:manage subtree, as grant requires — by name (sort key), optionally those whose name
   * holds `name` (accents and case ignored); at most `limit`.
   */
  async candidates(
    actor: Actor,
    assessmentId: string,
    name?: string,
    limit = 200,
  ): Promise<AccommodationCandidateDto[]> {
    const a = await this.findAssessment(actor, assessmentId, 'use');
    const scope = scopeConditionRaw('o.path', actor.scopePaths('training:manage'), 4);
    const rows = await this.dataSource.query<
      { id: string; full_name: string; unit_name: string }[]
    >(
      `SELECT p.id, p.full_name, o.name AS unit_name FROM people p
         JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = p.id AND e.course_id = $1)
          AND ($2::text IS NULL OR p.search_name LIKE $2 ESCAPE '\\')
          AND ${scope.sql}
        ORDER BY p.sort_key, p.id LIMIT $3`,
      [
        a.courseId,
        name === undefined ? null : `%${escapeLike(foldForSearch(name))}%`,
        limit,
        ...scope.params,
      ],
    );
    return rows.map((r) => ({ personId: r.id, personName: r.full_name, unitName: r.unit_name }));
  }

  async grant(
    actor: Actor,
    assessmentId: string,
    personId: string,
    dto: GrantAccommodationDto,
  ): Promise<AccommodationDto> {
    if (dto.extraMinutes === 0 && dto.extraAttempts === 0) {
      throw new DomainError('VALIDATION_FAILED', {}, [
        {
          field: 'extraMinutes',
          vi: 'Cần thêm thời gian hoặc thêm lượt làm bài (ít nhất một).',
          en: 'Give extra minutes or extra attempts (at least one).',
        },
      ]);
    }
    return this.dataSource.transaction(async (em) => {
      const a = await this.findAssessment(actor, assessmentId, 'write', em);
      const person = await this.findLearner(em, actor, a, personId);
      const [current] = await em.query<AccommodationRow[]>(
        `WITH u AS (
           UPDATE assessment_accommodations SET revoked_at = now(), revoked_by_user_id = $3
            WHERE assessment_id = $1 AND person_id = $2 AND revoked_at IS NULL
            RETURNING *
         ) SELECT * FROM u`,
        [a.id, personId, actor.userId],
      );
      const [row] = await em.query<AccommodationRow[]>(
        `INSERT INTO assessment_accommodations (assessment_id, person_id, extra_minutes,
                                                extra_attempts, reason, granted_by_user_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [a.id, personId, dto.extraMinutes, dto.extraAttempts, nfc(dto.reason), actor.userId],
      );
      const dtoOut = toDto({ ...row, full_name: person.full_name });
      await this.audit.record(em, actor, {
        action: 'assessment_accommodation.grant',
        entityType: 'assessment_accommodation',
        entityId: row.id,
        orgUnitId: person.home_org_unit_id,
        before: current ? toDto({ ...current, full_name: person.full_name }) : null,
        after: dtoOut,
      });
      return dtoOut;
    });
  }

  async revoke(actor: Actor, assessmentId: string, personId: string): Promise<AccommodationDto> {
    return this.dataSource.transaction(async (em) => {
      const a = await this.findAssessment(actor, assessmentId, 'write', em);
      const person = await this.findLearner(em, actor, a, personId);
      const rows = await em.query<AccommodationRow[]>(
        `WITH u AS (
           UPDATE assessment_accommodations SET revoked_at = now(), revoked_by_user_id = $3
            WHERE assessment_id = $1 AND person_id = $2 AND revoked_at IS NULL
            RETURNING *
         ) SELECT * FROM u`,
        [a.id, personId, actor.userId],
      );
      if (!rows[0]) throw new DomainError('ACCOMMODATION_NOT_ACTIVE');
      const out = toDto({ ...rows[0], full_name: person.full_name });
      await this.audit.record(em, actor, {
        action: 'assessment_accommodation.revoke',
        entityType: 'assessment_accommodation',
        entityId: rows[0].id,
        orgUnitId: person.home_org_unit_id,
        before: { ...out, revokedAt: null },
        after: out,
      });
      return out;
    });
  }

  private async findAssessment(
    actor: Actor,
    id: string,
    mode: 'write' | 'use',
    em: EntityManager = this.dataSource.manager,
  ): Promise<AssessmentEntity> {
    const a = await em.findOneBy(AssessmentEntity, { id });
    if (!a) throw new DomainError('ASSESSMENT_NOT_FOUND');
    await this.courses.findForStaff(actor, a.courseId, mode, em).catch(notFound);
    return a;
  }

  /** A person in the officer's training:manage subtree, enrolled in the course; else 404. */
  private async findLearner(
    em: EntityManager,
    actor: Actor,
    a: AssessmentEntity,
    personId: string,
  ): Promise<{ full_name: string; home_org_unit_id: string }> {
    const scope = scopeConditionRaw('o.path', actor.scopePaths('training:manage'), 3);
    const [p] = await em.query<{ full_name: string; home_org_unit_id: string }[]>(
      `SELECT p.full_name, p.home_org_unit_id FROM people p
         JOIN org_units o ON o.id = p.home_org_unit_id
         JOIN enrolments e ON e.person_id = p.id AND e.course_id = $2
        WHERE p.id = $1 AND ${scope.sql}`,
      [personId, a.courseId, ...scope.params],
    );
    if (!p) throw new DomainError('PERSON_NOT_FOUND');
    return p;
  }
}
