import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { DomainError, ErrorDetail } from '../common/errors/domain-error';
import type { OrgLevel, Sector } from '../org-units/org-unit.types';
import type { PostType } from '../posts/post-types';
import { RoleProfileEntity } from './competency.entities';
import {
  CreateRoleProfileDto,
  ResolveRoleProfileQueryDto,
  RoleProfileDto,
  RoleProfileListDto,
} from './dto/role-profile.dto';
import { FrameworksService } from './frameworks.service';

interface RequirementRow {
  profile_id: string;
  competency_id: string;
  code: string;
  name_vi: string;
  name_en: string;
  required_level: number;
  critical: boolean;
}

/**
 * The order that makes one profile "more specific" than another for the same post type:
 * level and sector both named, then the org level alone, then the sector alone, then neither.
 * Written as SQL over a role_profiles alias so set-based reports can rank the same way.
 */
export function profileSpecificitySql(alias: string): string {
  return `(${alias}.org_level IS NOT NULL AND ${alias}.sector IS NOT NULL) DESC,
          (${alias}.org_level IS NOT NULL) DESC, (${alias}.sector IS NOT NULL) DESC`;
}

/** What a post requires, per competency, against one framework version. */
@Injectable()
export class RoleProfilesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly frameworks: FrameworksService,
  ) {}

  /**
   * The most specific profile of `versionId` for a post type at an org level and sector: a
   * profile applies when each of its org level and sector is either null ("any") or equal.
   * Null when none applies. No scope check: callers have already checked the version.
   */
  static async resolve(
    em: EntityManager,
    q: {
      versionId: string;
      postType: PostType;
      orgLevel?: OrgLevel | null;
      sector?: Sector | null;
    },
  ): Promise<RoleProfileEntity | null> {
    const rows = await em.query<{ id: string }[]>(
      `SELECT p.id FROM role_profiles p
        WHERE p.version_id = $1 AND p.post_type = $2
          AND (p.org_level IS NULL OR p.org_level::text = $3)
          AND (p.sector IS NULL OR p.sector::text = $4)
        ORDER BY ${profileSpecificitySql('p')}
        LIMIT 1`,
      [q.versionId, q.postType, q.orgLevel ?? null, q.sector ?? null],
    );
    return rows[0] ? em.findOneByOrFail(RoleProfileEntity, { id: rows[0].id }) : null;
  }

  async create(actor: Actor, dto: CreateRoleProfileDto): Promise<RoleProfileDto> {
    return this.dataSource.transaction(async (em) => {
      const version = await this.frameworks.findVersion(actor, dto.versionId, 'manage', em);
      if (version.status === 'retired') throw new DomainError('FRAMEWORK_VERSION_RETIRED');
      const competencies = await em.query<{ id: string; code: string }[]>(
        `SELECT id, code FROM competencies WHERE version_id = $1`,
        [version.id],
      );
      const [{ levels }] = await em.query<{ levels: number }[]>(
        `SELECT count(*)::int AS levels FROM framework_levels WHERE version_id = $1`,
        [version.id],
      );
      const details: ErrorDetail[] = [];
      const seen = new Set<string>();
      const rows = dto.requirements.flatMap((r, i) => {
        const at = `requirements.${i}`;
        const competency = competencies.find((c) => c.code === r.competencyCode);
        if (!competency) {
          details.push({
            field: `${at}.competencyCode`,
            message: 'not a competency of this version',
          });
          return [];
        }
        if (seen.has(competency.id)) {
          details.push({ field: `${at}.competencyCode`, message: `${r.competencyCode} twice` });
        }
        seen.add(competency.id);
        if (r.requiredLevel > levels) {
          details.push({
            field: `${at}.requiredLevel`,
            message: `must be a level of the scale (1..${levels})`,
          });
        }
        return [{ competency_id: competency.id, level: r.requiredLevel, critical: !!r.critical }];
      });
      if (details.length) throw new DomainError('VALIDATION_FAILED', {}, details);
      const [profile] = await em.query<{ id: string }[]>(
        `INSERT INTO role_profiles (version_id, post_type, org_level, sector)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING id`,
        [version.id, dto.postType, dto.orgLevel ?? null, dto.sector ?? null],
      );
      if (!profile) throw new DomainError('ROLE_PROFILE_EXISTS');
      await em.query(
        `INSERT INTO role_profile_requirements (profile_id, competency_id, required_level, critical)
         SELECT $1, x.competency_id, x.level, x.critical
           FROM jsonb_to_recordset($2::jsonb) AS x(competency_id uuid, level int, critical boolean)`,
        [profile.id, JSON.stringify(rows)],
      );
      const [dtoOut] = await this.toDtos(em, [
        await em.findOneByOrFail(RoleProfileEntity, { id: profile.id }),
      ]);
      return dtoOut;
    });
  }

  async get(actor: Actor, id: string): Promise<RoleProfileDto> {
    const em = this.dataSource.manager;
    const profile = await em.findOneBy(RoleProfileEntity, { id });
    if (!profile) throw new DomainError('ROLE_PROFILE_NOT_FOUND');
    await this.frameworks.findVersion(actor, profile.versionId, 'read', em).catch((e: unknown) => {
      if (e instanceof DomainError && e.code === 'FRAMEWORK_VERSION_NOT_FOUND') {
        throw new DomainError('ROLE_PROFILE_NOT_FOUND');
      }
      throw e;
    });
    const [dto] = await this.toDtos(em, [profile]);
    return dto;
  }

  /** Every profile of a version (a bounded set: post types × org levels × sectors). */
  async list(actor: Actor, versionId: string): Promise<RoleProfileListDto> {
    const em = this.dataSource.manager;
    await this.frameworks.findVersion(actor, versionId, 'read', em);
    const profiles = await em
      .createQueryBuilder(RoleProfileEntity, 'p')
      .where('p.version_id = :versionId', { versionId })
      .orderBy('p.post_type', 'ASC')
      .addOrderBy('p.org_level', 'ASC', 'NULLS FIRST')
      .addOrderBy('p.sector', 'ASC', 'NULLS FIRST')
      .getMany();
    return { items: await this.toDtos(em, profiles) };
  }

  async resolveFor(actor: Actor, q: ResolveRoleProfileQueryDto): Promise<RoleProfileDto> {
    const em = this.dataSource.manager;
    await this.frameworks.findVersion(actor, q.versionId, 'read', em);
    const profile = await RoleProfilesService.resolve(em, q);
    if (!profile) throw new DomainError('ROLE_PROFILE_NOT_FOUND');
    const [dto] = await this.toDtos(em, [profile]);
    return dto;
  }

  /** Profiles with their requirements: one query for all requirements. */
  private async toDtos(
    em: EntityManager,
    profiles: RoleProfileEntity[],
  ): Promise<RoleProfileDto[]> {
    if (profiles.length === 0) return [];
    const rows = await em.query<RequirementRow[]>(
      `SELECT r.profile_id, r.competency_id, c.code, c.name_vi, c.name_en, r.required_level,
              r.critical
         FROM role_profile_requirements r JOIN competencies c ON c.id = r.competency_id
        WHERE r.profile_id = ANY($1::uuid[])
        ORDER BY c.position, c.code`,
      [profiles.map((p) => p.id)],
    );
    return profiles.map((p) => ({
      id: p.id,
      versionId: p.versionId,
      postType: p.postType,
      orgLevel: p.orgLevel,
      sector: p.sector,
      requirements: rows
        .filter((r) => r.profile_id === p.id)
        .map((r) => ({
          competencyId: r.competency_id,
          competencyCode: r.code,
          nameVi: r.name_vi,
          nameEn: r.name_en,
          requiredLevel: r.required_level,
          critical: r.critical,
        })),
    }));
  }
}
