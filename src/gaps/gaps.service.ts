import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { decodeCursor, encodeCursor } from '../common/pagination/page';
import { currentLevelsSql } from '../competencies/competency-levels.query';
import type { RatingSource } from '../competencies/competency.types';
import { frameworkReadScope } from '../competencies/framework-scope';
import { FrameworksService } from '../competencies/frameworks.service';
import { profileSpecificitySql, RoleProfilesService } from '../competencies/role-profiles.service';
import { CourseCompetenciesService } from '../courses/course-competencies.service';
import type { OrgLevel, Sector } from '../org-units/org-unit.types';
import { OrgUnitsService } from '../org-units/org-units.service';
import { PeopleService } from '../people/people.service';
import { AppointmentsService } from '../posts/appointments.service';
import type { PostType } from '../posts/post-types';
import {
  CompetencyGapDto,
  GapBlockDto,
  GapCourseDto,
  HEATMAP_DEFAULT_ROWS,
  HeatmapDto,
  HeatmapQueryDto,
  HeatmapRowDto,
  PersonGapsDto,
  PersonGapsQueryDto,
} from './dto/gaps.dto';
import { HeatmapRow, heatmapSql } from './heatmap.sql';
import { Clock } from '../common/clock/clock';

interface UnitRow {
  id: string;
  code: string;
  name: string;
  level: OrgLevel;
  sector: Sector | null;
  path: string;
}

interface Target {
  postType: PostType;
  post: { id: string; title: string; appointmentId: string } | null;
  unit: UnitRow;
}

/** Someone measured against a post type at a unit (a nominee against the nominated post). */
export interface GapTarget {
  /** The caller's key for the result (a nomination id). */
  key: string;
  personId: string;
  postType: PostType;
  /** The unit whose level and sector pick the profile and whose catalogue offers the courses. */
  orgUnitId: string;
}

/** The gaps of one target: the version and profile chosen, and one item per requirement. */
export interface TargetGaps {
  versionId: string | null;
  profile: { id: string; orgLevel: OrgLevel | null; sector: Sector | null } | null;
  items: CompetencyGapDto[];
}

interface GapRow {
  competency_id: string;
  lineage_id: string;
  code: string;
  name_vi: string;
  name_en: string;
  required_level: number;
  critical: boolean;
  level: number | null;
  source: RatingSource | null;
  rated_on: string | null;
  valid_until: string | null;
  rated_version_id: string | null;
  age_days: number | null;
  gap: number;
  courses: GapCourseDto[];
}

function toGapDto(r: GapRow): CompetencyGapDto {
  const courses =
    typeof r.courses === 'string' ? (JSON.parse(r.courses) as GapCourseDto[]) : r.courses;
  return {
    competencyId: r.competency_id,
    lineageId: r.lineage_id,
    code: r.code,
    nameVi: r.name_vi,
    nameEn: r.name_en,
    requiredLevel: Number(r.required_level),
    critical: r.critical,
    currentLevel: r.level === null ? null : Number(r.level),
    source: r.source,
    ratedOn: r.rated_on,
    validUntil: r.valid_until,
    ratedVersionId: r.rated_version_id,
    ageDays: r.age_days === null ? null : Number(r.age_days),
    gap: Number(r.gap),
    courses: courses ?? [],
  };
}

/**
 * Competency gaps (issue 4, item 7): a person against the role profile of their posts, and the
 * heatmap of a subtree. Read-only; evidence counts as current by the version's policy
 * (CompetencyLevelsQuery: a self-rating only where nothing else is valid, evidence of every
 * version of the competency's lineage); no valid evidence counts as level 0. Each item says
 * where its level came from (source, ratedOn, validUntil, ratedVersionId).
 */
@Injectable()
export class GapsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly frameworks: FrameworksService,
    private readonly people: PeopleService,
    private readonly orgUnits: OrgUnitsService,
    private readonly appointments: AppointmentsService,
    private readonly clock: Clock,
  ) {}

  /**
   * One block per current post of the person (or per current post of the type asked for; a
   * post type the person does not hold is measured at their home unit). The profile is the most
   * specific for the post type at the unit's level and sector. The person themself, or staff
   * (people:read) whose scope covers them; a learner asking for someone else → 403.
   */
  async personGaps(
    actor: Actor,
    personId: string,
    query: PersonGapsQueryDto,
  ): Promise<PersonGapsDto> {
    const em = this.dataSource.manager;
    await this.people.assertCanRead(actor, personId, 'people:read', em);
    const asOf = this.clock.todayVn();
    const explicit = query.versionId
      ? await this.usableVersion(actor, query.versionId, em)
      : undefined;
    const targets = await this.targetsOf(em, personId, query.postType, asOf);
    const blocks: GapBlockDto[] = [];
    for (const target of targets) {
      blocks.push(await this.block(actor, em, personId, target, explicit, asOf));
    }
    if (query.postType && blocks.every((b) => !b.profile)) {
      throw new DomainError('ROLE_PROFILE_NOT_FOUND');
    }
    return { personId, asOf, blocks };
  }

  /**
   * The heatmap of the subtree of `unitId`: rows are its child units (a page, keyset on the
   * tree's sort order), columns the competencies of the version; each cell the share of current
   * holders of the post type below the level their applicable profile requires. One statement
   * (heatmapSql). hr, training officers and admins whose scope covers the unit.
   */
  async heatmap(actor: Actor, unitId: string, query: HeatmapQueryDto): Promise<HeatmapDto> {
    const em = this.dataSource.manager;
    const postType = query.postType ?? 'chair';
    const cursor = decodeCursor(query.cursor, ['text', 'uuid']);
    // The unit's scope and the version are independent checks, run side by side; the unit's
    // refusal wins so that an out-of-scope unit always answers ORG_UNIT_NOT_FOUND.
    const [unitResult, versionResult] = await Promise.allSettled([
      this.orgUnits.findInScope(actor, unitId, 'people:read', em),
      query.versionId
        ? this.usableVersion(actor, query.versionId, em)
        : this.defaultVersion(actor, postType, em),
    ]);
    if (unitResult.status === 'rejected') throw unitResult.reason;
    if (versionResult.status === 'rejected') throw versionResult.reason;
    const root = unitResult.value;
    const versionId = versionResult.value;
    if (!versionId) throw new DomainError('ROLE_PROFILE_NOT_FOUND');
    const asOf = this.clock.todayVn();
    const limit = query.limit ?? HEATMAP_DEFAULT_ROWS;
    const q = heatmapSql({
      rootId: root.id,
      rootPath: root.path,
      versionId,
      postType,
      asOf,
      limit: limit + 1,
      after: cursor,
    });
    const [rows, competencies] = await Promise.all([
      em.query<HeatmapRow[]>(q.sql, q.params),
      em.query<{ id: string; code: string; name_vi: string; name_en: string }[]>(
        `SELECT id, code, name_vi, name_en FROM competencies WHERE version_id = $1
          ORDER BY position, code`,
        [versionId],
      ),
    ]);
    const out: HeatmapRowDto[] = [];
    let lastKey: [string, string] | null = null;
    for (const r of rows) {
      let row = out[out.length - 1];
      if (!row || row.orgUnit.id !== r.unit_id) {
        row = { orgUnit: { id: r.unit_id, code: r.unit_code, name: r.unit_name }, cells: [] };
        out.push(row);
        if (out.length <= limit) lastKey = [r.unit_sort_key, r.unit_id];
      }
      const holders = Number(r.holders);
      const below = Number(r.below);
      row.cells.push({
        competencyId: r.competency_id,
        code: r.competency_code,
        holders,
        below,
        share: holders ? Math.round((below / holders) * 10000) / 10000 : null,
      });
    }
    const more = out.length > limit;
    return {
      orgUnit: { id: root.id, code: root.code, name: root.name },
      versionId,
      postType,
      asOf,
      competencies: competencies.map((c) => ({
        id: c.id,
        code: c.code,
        nameVi: c.name_vi,
        nameEn: c.name_en,
      })),
      rows: out.slice(0, limit),
      nextCursor: more && lastKey ? encodeCursor(lastKey) : null,
    };
  }

  /**
   * The gaps of many targets in one statement (planning: every nominee of a page against the
   * post they are nominated for). Per target, the version is the latest published one that has
   * a profile for the post type among the frameworks that apply at the target's unit (owned by
   * it or a unit above it, as the catalogue of courses is) — so the answer does not depend on
   * who asks; the profile is the most specific for the unit's level and sector (as
   * RoleProfilesService.resolve); current levels follow each version's policy; no valid evidence
   * counts as level 0. With `courses`, each item lists the published courses of the unit's
   * catalogue developing the competency (coursesDevelopingSql), otherwise an empty list.
   * Targets whose unit does not exist are absent from the map.
   */
  async gapsForTargets(
    em: EntityManager,
    targets: readonly GapTarget[],
    options: { courses?: boolean; asOf?: string } = {},
  ): Promise<Map<string, TargetGaps>> {
    const out = new Map<string, TargetGaps>();
    if (targets.length === 0) return out;
    const asOf = options.asOf ?? this.clock.todayVn();
    const courses = options.courses
      ? CourseCompetenciesService.coursesDevelopingSql(
          'c.lineage_id',
          'rq.required_level',
          `tp.path LIKE o.path || '%'`,
        )
      : `'[]'::jsonb`;
    const rows = await em.query<
      (Omit<GapRow, 'competency_id'> & {
        key: string;
        version_id: string | null;
        profile_id: string | null;
        profile_level: OrgLevel | null;
        profile_sector: Sector | null;
        competency_id: string | null;
      })[]
    >(
      `WITH t AS (
         SELECT x.key, x.person_id, x.post_type, o.level::text AS org_level,
                o.sector::text AS sector, o.path
           FROM unnest($1::text[], $2::uuid[], $3::text[], $4::uuid[])
                  AS x(key, person_id, post_type, org_unit_id)
           JOIN org_units o ON o.id = x.org_unit_id
       ),
       tp AS (
         SELECT t.*, v.id AS version_id, p.id AS profile_id, p.org_level AS profile_level,
                p.sector AS profile_sector
           FROM t
           LEFT JOIN LATERAL (
             SELECT v.id FROM framework_versions v
               JOIN competency_frameworks f ON f.id = v.framework_id
               JOIN org_units fo ON fo.id = f.owner_org_unit_id
              WHERE v.status = 'published' AND t.path LIKE fo.path || '%'
                AND EXISTS (SELECT 1 FROM role_profiles rp
                             WHERE rp.version_id = v.id AND rp.post_type::text = t.post_type)
              ORDER BY v.published_at DESC, v.id
              LIMIT 1) v ON TRUE
           LEFT JOIN LATERAL (
             SELECT p.id, p.org_level, p.sector FROM role_profiles p
              WHERE p.version_id = v.id AND p.post_type::text = t.post_type
                AND (p.org_level IS NULL OR p.org_level::text = t.org_level)
                AND (p.sector IS NULL OR p.sector::text = t.sector)
              ORDER BY ${profileSpecificitySql('p')}
              LIMIT 1) p ON TRUE
       ),
       cur AS (${currentLevelsSql(
         'ANY(ARRAY(SELECT DISTINCT version_id FROM tp WHERE version_id IS NOT NULL))',
         '$5::date',
         'r.person_id = ANY($2::uuid[])',
       )})
       SELECT tp.key, tp.version_id, tp.profile_id, tp.profile_level, tp.profile_sector,
              c.id AS competency_id, c.lineage_id, c.code, c.name_vi, c.name_en,
              rq.required_level, rq.critical, cur.level, cur.source,
              cur.rated_on::text AS rated_on, cur.valid_until::text AS valid_until,
              cur.rated_version_id, ($5::date - cur.rated_on) AS age_days,
              GREATEST(0, rq.required_level - COALESCE(cur.level, 0)) AS gap,
              CASE WHEN c.id IS NULL THEN '[]'::jsonb ELSE ${courses} END AS courses
         FROM tp
         LEFT JOIN role_profile_requirements rq ON rq.profile_id = tp.profile_id
         LEFT JOIN competencies c ON c.id = rq.competency_id
         LEFT JOIN cur ON cur.person_id = tp.person_id AND cur.competency_id = c.id
        ORDER BY tp.key, c.position, c.code`,
      [
        targets.map((x) => x.key),
        targets.map((x) => x.personId),
        targets.map((x) => x.postType),
        targets.map((x) => x.orgUnitId),
        asOf,
      ],
    );
    for (const r of rows) {
      let entry = out.get(r.key);
      if (!entry) {
        entry = {
          versionId: r.version_id,
          profile: r.profile_id
            ? { id: r.profile_id, orgLevel: r.profile_level, sector: r.profile_sector }
            : null,
          items: [],
        };
        out.set(r.key, entry);
      }
      if (r.competency_id) entry.items.push(toGapDto({ ...r, competency_id: r.competency_id }));
    }
    return out;
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────

  /** A version the actor reads that gaps can be measured against: not a draft. */
  private async usableVersion(actor: Actor, id: string, em: EntityManager): Promise<string> {
    const version = await this.frameworks.findVersion(actor, id, 'read', em);
    if (version.status === 'draft') throw new DomainError('FRAMEWORK_VERSION_NOT_PUBLISHED');
    return version.id;
  }

  /** The latest published version the actor reads that has a profile for the post type. */
  private async defaultVersion(
    actor: Actor,
    postType: PostType,
    em: EntityManager,
  ): Promise<string | null> {
    const read = frameworkReadScope(actor, 2);
    const [row] = await em.query<{ id: string }[]>(
      `SELECT v.id FROM framework_versions v
         JOIN competency_frameworks f ON f.id = v.framework_id
         JOIN org_units o ON o.id = f.owner_org_unit_id
        WHERE v.status = 'published' AND ${read.sql}
          AND EXISTS (SELECT 1 FROM role_profiles rp WHERE rp.version_id = v.id AND rp.post_type = $1)
        ORDER BY v.published_at DESC, v.id
        LIMIT 1`,
      [postType, ...read.params],
    );
    return row?.id ?? null;
  }

  /** What to measure against: the current posts (of the type asked for), else the home unit. */
  private async targetsOf(
    em: EntityManager,
    personId: string,
    postType: PostType | undefined,
    asOf: string,
  ): Promise<Target[]> {
    const posts = (await this.appointments.currentPostsOf(em, personId, asOf)).filter(
      (p) => !postType || p.post.postType === postType,
    );
    const unitIds = posts.map((p) => p.orgUnit.id);
    const units = await em.query<UnitRow[]>(
      `SELECT o.id, o.code, o.name, o.level, o.sector, o.path FROM org_units o
        WHERE o.id = ANY($1::uuid[])
           OR ($3::boolean AND o.id = (SELECT home_org_unit_id FROM people WHERE id = $2))`,
      [unitIds, personId, !!postType && posts.length === 0],
    );
    const byId = new Map(units.map((u) => [u.id, u]));
    if (postType && posts.length === 0) {
      return units.length ? [{ postType, post: null, unit: units[0] }] : [];
    }
    return posts.map((p) => ({
      postType: p.post.postType,
      post: { id: p.post.id, title: p.post.title, appointmentId: p.appointmentId },
      unit: byId.get(p.orgUnit.id)!,
    }));
  }

  /**
   * One block: the profile, then per required competency the current level, the gap and the
   * courses — one statement for all competencies. Courses: published, linked to the
   * competency's lineage, owned by the block's unit or a unit above it (the catalogue open to
   * the person there); those reaching the required level first.
   */
  private async block(
    actor: Actor,
    em: EntityManager,
    personId: string,
    target: Target,
    explicitVersion: string | undefined,
    asOf: string,
  ): Promise<GapBlockDto> {
    const unit = {
      id: target.unit.id,
      code: target.unit.code,
      name: target.unit.name,
      level: target.unit.level,
      sector: target.unit.sector,
    };
    const versionId =
      explicitVersion ?? (await this.defaultVersion(actor, target.postType, em)) ?? null;
    const profile = versionId
      ? await RoleProfilesService.resolve(em, {
          versionId,
          postType: target.postType,
          orgLevel: target.unit.level,
          sector: target.unit.sector,
        })
      : null;
    if (!versionId || !profile) {
      return { ...target, orgUnit: unit, versionId, profile: null, totalGap: 0, items: [] };
    }
    const rows = await em.query<GapRow[]>(
      `WITH cur AS (${currentLevelsSql('$2::uuid', '$3::date', 'r.person_id = $4')})
       SELECT c.id AS competency_id, c.lineage_id, c.code, c.name_vi, c.name_en,
              rq.required_level, rq.critical, cur.level, cur.source,
              cur.rated_on::text AS rated_on, cur.valid_until::text AS valid_until,
              cur.rated_version_id, ($3::date - cur.rated_on) AS age_days,
              GREATEST(0, rq.required_level - COALESCE(cur.level, 0)) AS gap,
              ${CourseCompetenciesService.coursesDevelopingSql('c.lineage_id', 'rq.required_level', `$5 LIKE o.path || '%'`)} AS courses
         FROM role_profile_requirements rq
         JOIN competencies c ON c.id = rq.competency_id
         LEFT JOIN cur ON cur.competency_id = c.id
        WHERE rq.profile_id = $1
        ORDER BY c.position, c.code`,
      [profile.id, versionId, asOf, personId, target.unit.path],
    );
    const items = rows.map(toGapDto);
    return {
      postType: target.postType,
      post: target.post,
      orgUnit: unit,
      versionId,
      profile: { id: profile.id, orgLevel: profile.orgLevel, sector: profile.sector },
      totalGap: items.reduce((s, i) => s + i.gap, 0),
      items,
    };
  }
}
