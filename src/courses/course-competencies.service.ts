import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AnyDetail, detail, DomainError } from '../common/errors/domain-error';
import { frameworkReadScope } from '../competencies/framework-scope';
import { CourseCompetencyListDto, PutCourseCompetenciesDto } from './course-competencies.dto';
import { CoursesService } from './courses.service';

/** One link of a course to a competency lineage. */
export interface CourseCompetencyLink {
  competencyLineageId: string;
  level: number;
}

/**
 * Which competencies a course develops (course_competencies), linked by lineage so a link
 * survives a new framework version.
 *
 * Decision: the set is metadata about what the course teaches, not its content, so it may be
 * replaced on a draft or a published course alike (the COURSE_LOCKED rule guards lessons and
 * the final assessment). A change applies to evidence appended from then on; evidence already
 * appended from completions is history and never rewritten.
 */
@Injectable()
export class CourseCompetenciesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
  ) {}

  /**
   * The links of a course, for use inside another module's transaction (evidence from
   * learning): no scope check, the caller has checked the course.
   */
  static async linksOf(em: EntityManager, courseId: string): Promise<CourseCompetencyLink[]> {
    const rows = await em.query<{ competency_lineage_id: string; level: number }[]>(
      `SELECT competency_lineage_id, level FROM course_competencies
        WHERE course_id = $1 ORDER BY competency_lineage_id`,
      [courseId],
    );
    return rows.map((r) => ({ competencyLineageId: r.competency_lineage_id, level: r.level }));
  }

  /**
   * The SQL of "published courses that develop a competency lineage", as a correlated
   * subquery returning a jsonb array [{id, code, title, level}] ordered by whether the course
   * reaches `required` (level ≥ required first), then by level and code. `lineage` and
   * `required` are SQL expressions of the outer query; `ownerCondition` filters the owner
   * unit (alias o). Served by ix_course_competencies_lineage.
   */
  static coursesDevelopingSql(lineage: string, required: string, ownerCondition: string): string {
    return `(SELECT COALESCE(jsonb_agg(jsonb_build_object(
                      'id', k.id, 'code', k.code, 'title', k.title, 'level', cc.level,
                      'reachesRequired', cc.level >= ${required})
                    ORDER BY (cc.level >= ${required}) DESC, cc.level DESC, k.code), '[]'::jsonb)
               FROM course_competencies cc
               JOIN courses k ON k.id = cc.course_id AND k.status = 'published'
               JOIN org_units o ON o.id = k.owner_org_unit_id
              WHERE cc.competency_lineage_id = ${lineage} AND ${ownerCondition})`;
  }

  async list(actor: Actor, courseId: string): Promise<CourseCompetencyListDto> {
    const em = this.dataSource.manager;
    await this.courses.findForStaff(actor, courseId, 'use', em);
    return this.listOf(em, courseId);
  }

  /**
   * Replaces the course's set. Each competencyId must be a competency of a published version
   * the actor may read (else COURSE_COMPETENCY_UNKNOWN, 422, per item); its level must be on
   * that version's scale; two items of the same lineage are refused.
   */
  async replace(
    actor: Actor,
    courseId: string,
    dto: PutCourseCompetenciesDto,
  ): Promise<CourseCompetencyListDto> {
    return this.dataSource.transaction(async (em) => {
      await this.courses.findForStaff(actor, courseId, 'write', em, true);
      const ids = [...new Set(dto.items.map((i) => i.competencyId))];
      const read = frameworkReadScope(actor, 2);
      const found = ids.length
        ? await em.query<{ id: string; lineage_id: string; levels: number }[]>(
            `SELECT c.id, c.lineage_id,
                    (SELECT count(*)::int FROM framework_levels l WHERE l.version_id = v.id) AS levels
               FROM competencies c
               JOIN framework_versions v ON v.id = c.version_id AND v.status = 'published'
               JOIN competency_frameworks f ON f.id = v.framework_id
               JOIN org_units o ON o.id = f.owner_org_unit_id
              WHERE c.id = ANY($1::uuid[]) AND ${read.sql}`,
            [ids, ...read.params],
          )
        : [];
      const byId = new Map(found.map((f) => [f.id, f]));
      const unknown: AnyDetail[] = [];
      const invalid: AnyDetail[] = [];
      const seen = new Map<string, number>();
      const rows = dto.items.flatMap((item, i) => {
        const c = byId.get(item.competencyId);
        if (!c) {
          unknown.push(
            detail(
              `items.${i}.competencyId`,
              'Không phải năng lực của một phiên bản khung năng lực đã công bố.',
              'Not a competency of a published framework version.',
            ),
          );
          return [];
        }
        const first = seen.get(c.lineage_id);
        if (first !== undefined) {
          invalid.push(
            detail(
              `items.${i}.competencyId`,
              `Trùng năng lực với items.${first}.`,
              `The same competency as items.${first}.`,
            ),
          );
        } else seen.set(c.lineage_id, i);
        if (item.level > c.levels) {
          invalid.push(
            detail(
              `items.${i}.level`,
              `Phải là một cấp độ của thang (1–${c.levels}).`,
              `Must be a level of the scale (1–${c.levels}).`,
            ),
          );
        }
        return [{ lineage: c.lineage_id, level: item.level }];
      });
      if (invalid.length) throw new DomainError('VALIDATION_FAILED', {}, invalid);
      if (unknown.length) throw new DomainError('COURSE_COMPETENCY_UNKNOWN', {}, unknown);
      await em.query(`DELETE FROM course_competencies WHERE course_id = $1`, [courseId]);
      if (rows.length) {
        await em.query(
          `INSERT INTO course_competencies (course_id, competency_lineage_id, level)
           SELECT $1, x.lineage, x.level
             FROM jsonb_to_recordset($2::jsonb) AS x(lineage uuid, level smallint)`,
          [courseId, JSON.stringify(rows)],
        );
      }
      return this.listOf(em, courseId);
    });
  }

  /**
   * The links with the competency each lineage has in its latest published version (a fully
   * retired lineage falls back to its latest non-draft version), in framework and position order.
   */
  private async listOf(em: EntityManager, courseId: string): Promise<CourseCompetencyListDto> {
    const rows = await em.query<
      {
        competency_lineage_id: string;
        level: number;
        competency_id: string;
        version_id: string;
        framework_code: string;
        code: string;
        name_vi: string;
        name_en: string;
      }[]
    >(
      `SELECT cc.competency_lineage_id, cc.level, x.competency_id, x.version_id, x.framework_code,
              x.code, x.name_vi, x.name_en
         FROM course_competencies cc
         JOIN LATERAL (
           SELECT c.id AS competency_id, v.id AS version_id, f.code AS framework_code, c.code,
                  c.name_vi, c.name_en, c.position
             FROM competencies c
             JOIN framework_versions v ON v.id = c.version_id AND v.status <> 'draft'
             JOIN competency_frameworks f ON f.id = v.framework_id
            WHERE c.lineage_id = cc.competency_lineage_id
            ORDER BY (v.status = 'published') DESC, v.version_no DESC
            LIMIT 1
         ) x ON TRUE
        WHERE cc.course_id = $1
        ORDER BY x.framework_code, x.position, x.code`,
      [courseId],
    );
    return {
      courseId,
      items: rows.map((r) => ({
        competencyLineageId: r.competency_lineage_id,
        competencyId: r.competency_id,
        versionId: r.version_id,
        frameworkCode: r.framework_code,
        code: r.code,
        nameVi: r.name_vi,
        nameEn: r.name_en,
        level: r.level,
      })),
    };
  }
}
