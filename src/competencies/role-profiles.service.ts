import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { DomainError, LocalizedDetail } from '../common/errors/domain-error';
import type { OrgLevel, Sector } from '../org-units/org-unit.types';
import type { PostType } from '../posts/post-types';
import { detail } from './competency-details';
import { FrameworkVersionEntity, RoleProfileEntity } from './competency.entities';
import {
  CreateRoleProfileDto,
  ReplaceRequirementsDto,
  RequirementBodyDto,
  RequirementInputDto,
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

/** A requirement as written: the competency by its code in the profile's version. */
type RequirementSpec = Pick<RequirementInputDto, 'competencyCode' | 'requiredLevel' | 'critical'>;

/** Where a requirement came from in the request, for the field names of error details. */
type FieldOf = (index: number, field: 'competencyCode' | 'requiredLevel') => string;

const listField: FieldOf = (i, field) => `requirements.${i}.${field}`;

/** What the audit log keeps of a profile: enough to read the requirements back at any time. */
function profileSnapshot(p: RoleProfileDto) {
  return {
    versionId: p.versionId,
    postType: p.postType,
    orgLevel: p.orgLevel,
    sector: p.sector,
    requirements: p.requirements.map((r) => ({
      competencyCode: r.competencyCode,
      requiredLevel: r.requiredLevel,
      critical: r.critical,
    })),
  };
}

/**
 * What a post requires, per competency, against one framework version.
 *
 * Requirements are edited in place, not versioned: the framework version is already the unit
 * of versioning (a new version copies its profiles); every reader (gaps, the heatmap, readiness
 * suggestions) measures against the requirements in force today and stores nothing computed
 * from them, so there is no older result that an edit could contradict. What history needs is
 * kept elsewhere: each edit leaves the whole list before and after in the audit log
 * (role_profile.requirements), and a nomination's audit entries keep the readiness suggested
 * when HR decided. A retired version is history and is not edited.
 */
@Injectable()
export class RoleProfilesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly frameworks: FrameworksService,
    private readonly audit: AuditService,
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
      // Create has always answered an unknown competency as a detail of a 400; kept for clients.
      const rows = await this.checkRequirements(em, version.id, dto.requirements, listField, true);
      const [profile] = await em.query<{ id: string }[]>(
        `INSERT INTO role_profiles (version_id, post_type, org_level, sector)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING id`,
        [version.id, dto.postType, dto.orgLevel ?? null, dto.sector ?? null],
      );
      if (!profile) throw new DomainError('ROLE_PROFILE_EXISTS');
      await this.insertRequirements(em, profile.id, rows);
      const [dtoOut] = await this.toDtos(em, [
        await em.findOneByOrFail(RoleProfileEntity, { id: profile.id }),
      ]);
      const [owner] = await em.query<{ owner_org_unit_id: string }[]>(
        `SELECT f.owner_org_unit_id FROM competency_frameworks f WHERE f.id = $1`,
        [version.frameworkId],
      );
      await this.audit.record(em, actor, {
        action: 'role_profile.create',
        entityType: 'role_profile',
        entityId: profile.id,
        orgUnitId: owner.owner_org_unit_id,
        before: null,
        after: profileSnapshot(dtoOut),
      });
      return dtoOut;
    });
  }

  async get(actor: Actor, id: string): Promise<RoleProfileDto> {
    const em = this.dataSource.manager;
    const { profile } = await this.findInScope(actor, id, 'read', em);
    const [dto] = await this.toDtos(em, [profile]);
    return dto;
  }

  /** Replaces the whole list of requirements (add, change and remove in one request). */
  async replaceRequirements(
    actor: Actor,
    id: string,
    dto: ReplaceRequirementsDto,
  ): Promise<RoleProfileDto> {
    return this.editRequirements(actor, id, () => ({ next: dto.requirements, fieldOf: listField }));
  }

  /** Adds the requirement of one competency, or replaces its level (and its critical flag
   *  when one is given). */
  async putRequirement(
    actor: Actor,
    id: string,
    code: string,
    dto: RequirementBodyDto,
  ): Promise<RoleProfileDto> {
    return this.editRequirements(actor, id, (current) => {
      const at = current.findIndex((r) => r.competencyCode === code);
      // Leaving `critical` out keeps the flag the requirement has (false for a new one).
      const item = {
        competencyCode: code,
        requiredLevel: dto.requiredLevel,
        critical: dto.critical ?? (at < 0 ? false : current[at].critical),
      };
      const next = at < 0 ? [...current, item] : current.map((r, i) => (i === at ? item : r));
      const index = at < 0 ? current.length : at;
      return {
        next,
        fieldOf: (i, field) =>
          i !== index ? listField(i, field) : field === 'competencyCode' ? 'code' : field,
      };
    });
  }

  /** Removes the requirement of one competency; the last one stays (ROLE_PROFILE_EMPTY). */
  async deleteRequirement(actor: Actor, id: string, code: string): Promise<void> {
    await this.editRequirements(actor, id, (current) => {
      if (!current.some((r) => r.competencyCode === code)) {
        throw new DomainError('ROLE_PROFILE_REQUIREMENT_NOT_FOUND', { code });
      }
      return { next: current.filter((r) => r.competencyCode !== code), fieldOf: listField };
    });
  }

  /**
   * One edit of a profile's requirements, in one transaction: the profile is found in the
   * actor's manage scope (404 outside what they read, 403 where they read but do not manage),
   * its row locked so concurrent edits queue and each audit entry's "before" is what the edit
   * replaced; the new list is validated whole against the version (400 for levels off the scale
   * and duplicates, 422 for competencies the version lacks) and written; the audit entry goes
   * to the framework owner's unit. An edit that changes nothing writes nothing.
   */
  private async editRequirements(
    actor: Actor,
    id: string,
    change: (current: RequirementSpec[]) => { next: RequirementSpec[]; fieldOf: FieldOf },
  ): Promise<RoleProfileDto> {
    return this.dataSource.transaction(async (em) => {
      const { profile, version } = await this.findInScope(actor, id, 'manage', em);
      // The version's status under a share lock, so a retirement (FOR UPDATE) cannot land
      // between this check and the write; then the profile's row, so edits of it queue.
      const [{ status }] = await em.query<{ status: string }[]>(
        `SELECT status FROM framework_versions WHERE id = $1 FOR SHARE`,
        [version.id],
      );
      if (status === 'retired') throw new DomainError('FRAMEWORK_VERSION_RETIRED');
      await em.query(`SELECT id FROM role_profiles WHERE id = $1 FOR UPDATE`, [profile.id]);
      const [before] = await this.toDtos(em, [profile]);
      const current = before.requirements.map((r) => ({
        competencyCode: r.competencyCode,
        requiredLevel: r.requiredLevel,
        critical: r.critical,
      }));
      const { next, fieldOf } = change(current);
      if (next.length === 0) throw new DomainError('ROLE_PROFILE_EMPTY');
      const rows = await this.checkRequirements(em, version.id, next, fieldOf, false);

      const key = (r: { competency_id: string; level: number; critical: boolean }) =>
        `${r.competency_id}:${r.level}:${r.critical}`;
      const was = before.requirements
        .map((r) =>
          key({ competency_id: r.competencyId, level: r.requiredLevel, critical: r.critical }),
        )
        .sort();
      if (JSON.stringify(was) === JSON.stringify(rows.map(key).sort())) return before;

      await em.query(`DELETE FROM role_profile_requirements WHERE profile_id = $1`, [profile.id]);
      await this.insertRequirements(em, profile.id, rows);
      await em.query(`UPDATE role_profiles SET updated_at = now() WHERE id = $1`, [profile.id]);
      const [after] = await this.toDtos(em, [profile]);
      const [owner] = await em.query<{ owner_org_unit_id: string }[]>(
        `SELECT f.owner_org_unit_id FROM competency_frameworks f WHERE f.id = $1`,
        [version.frameworkId],
      );
      await this.audit.record(em, actor, {
        action: 'role_profile.requirements',
        entityType: 'role_profile',
        entityId: profile.id,
        orgUnitId: owner.owner_org_unit_id,
        before: profileSnapshot(before),
        after: profileSnapshot(after),
      });
      return after;
    });
  }

  /**
   * A profile whose version the actor reads (else ROLE_PROFILE_NOT_FOUND), and with `manage`
   * also manages (else FORBIDDEN), with that version.
   */
  private async findInScope(
    actor: Actor,
    id: string,
    mode: 'read' | 'manage',
    em: EntityManager,
  ): Promise<{ profile: RoleProfileEntity; version: FrameworkVersionEntity }> {
    const profile = await em.findOneBy(RoleProfileEntity, { id });
    if (!profile) throw new DomainError('ROLE_PROFILE_NOT_FOUND');
    const version = await this.frameworks
      .findVersion(actor, profile.versionId, mode, em)
      .catch((e: unknown) => {
        if (e instanceof DomainError && e.code === 'FRAMEWORK_VERSION_NOT_FOUND') {
          throw new DomainError('ROLE_PROFILE_NOT_FOUND');
        }
        throw e;
      });
    return { profile, version };
  }

  /**
   * Checks a whole list of requirements against a version and names each competency by id:
   * no competency twice and every level on the version's scale (400 with details), then every
   * competency part of the version (422 ROLE_PROFILE_COMPETENCY_UNKNOWN with details, or a 400
   * detail when `unknownIsInvalid`, as create has always answered).
   */
  private async checkRequirements(
    em: EntityManager,
    versionId: string,
    requirements: readonly RequirementSpec[],
    fieldOf: FieldOf,
    unknownIsInvalid: boolean,
  ): Promise<{ competency_id: string; level: number; critical: boolean }[]> {
    const competencies = await em.query<{ id: string; code: string }[]>(
      `SELECT id, code FROM competencies WHERE version_id = $1`,
      [versionId],
    );
    const [{ levels }] = await em.query<{ levels: number }[]>(
      `SELECT count(*)::int AS levels FROM framework_levels WHERE version_id = $1`,
      [versionId],
    );
    const byCode = new Map(competencies.map((c) => [c.code, c.id]));
    const invalid: LocalizedDetail[] = [];
    const unknown: LocalizedDetail[] = [];
    const seen = new Set<string>();
    requirements.forEach((r, i) => {
      if (seen.has(r.competencyCode)) {
        invalid.push(
          detail(fieldOf(i, 'competencyCode'), 'requiredTwice', { code: r.competencyCode }),
        );
      }
      seen.add(r.competencyCode);
      if (r.requiredLevel > levels) {
        invalid.push(detail(fieldOf(i, 'requiredLevel'), 'levelOffScale', { levels }));
      }
      if (!byCode.has(r.competencyCode)) {
        (unknownIsInvalid ? invalid : unknown).push(
          detail(fieldOf(i, 'competencyCode'), 'codeNotInVersion', { code: r.competencyCode }),
        );
      }
    });
    if (invalid.length) throw new DomainError('VALIDATION_FAILED', {}, invalid);
    if (unknown.length) {
      const codes = requirements.filter((r) => !byCode.has(r.competencyCode));
      throw new DomainError(
        'ROLE_PROFILE_COMPETENCY_UNKNOWN',
        { codes: codes.map((r) => r.competencyCode).join(', ') },
        unknown,
      );
    }
    return requirements.map((r) => ({
      competency_id: byCode.get(r.competencyCode)!,
      level: r.requiredLevel,
      critical: !!r.critical,
    }));
  }

  private async insertRequirements(
    em: EntityManager,
    profileId: string,
    rows: readonly { competency_id: string; level: number; critical: boolean }[],
  ): Promise<void> {
    await em.query(
      `INSERT INTO role_profile_requirements (profile_id, competency_id, required_level, critical)
       SELECT $1, x.competency_id, x.level, x.critical
         FROM jsonb_to_recordset($2::jsonb) AS x(competency_id uuid, level int, critical boolean)`,
      [profileId, JSON.stringify(rows)],
    );
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
