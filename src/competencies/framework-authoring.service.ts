import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { DomainError, LocalizedDetail } from '../common/errors/domain-error';
import { AuditService } from '../audit/audit.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import {
  CompetencyDomainEntity,
  CompetencyEntity,
  CompetencyIndicatorEntity,
  FrameworkEntity,
  FrameworkVersionEntity,
} from './competency.entities';
import { detail, ownerLevelDetail } from './competency-details';
import { FRAMEWORK_OWNER_LEVELS } from './competency.types';
import {
  CompetencyBodyDto,
  CompetencyDto,
  CreateFrameworkDto,
  DomainBodyDto,
  DomainDto,
  FrameworkDto,
  UpdateVersionDto,
  VersionDto,
} from './dto/framework.dto';
import {
  insertCompetenciesUnscoped,
  insertIndicatorsUnscoped,
  insertVersionUnscoped,
  policyColumns,
  text,
} from './framework-inserts';
import { toCompetencyDto, toFrameworkDto } from './framework-mappers';
import { checkCompetency, checkPolicy, checkVersionStructure } from './framework-structure';
import { FrameworksService } from './frameworks.service';

function invalid(details: LocalizedDetail[]): DomainError {
  return new DomainError('VALIDATION_FAILED', {}, details);
}

/**
 * Authoring competency frameworks. A version is built as a draft, published once and then never
 * changes: every write to a published or retired version answers FRAMEWORK_VERSION_LOCKED; a
 * change starts as a new draft copied from it (newVersion), so ratings and role profiles keep
 * naming exactly what they were made against. Scope comes from FrameworksService's finders.
 */
@Injectable()
export class FrameworkAuthoringService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly frameworks: FrameworksService,
    private readonly orgUnits: OrgUnitsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * One audit entry of a version's life (create, publish, retire, new version), in the unit
   * that owns the framework, so its HR reads it.
   */
  private async auditVersion(
    em: EntityManager,
    actor: Actor,
    action: string,
    versionId: string,
    before: { status: string } | null,
  ): Promise<void> {
    const [v] = await em.query<
      { code: string; version_no: number; status: string; owner: string }[]
    >(
      `SELECT f.code, v.version_no, v.status, f.owner_org_unit_id AS owner
         FROM framework_versions v JOIN competency_frameworks f ON f.id = v.framework_id
        WHERE v.id = $1`,
      [versionId],
    );
    await this.audit.record(em, actor, {
      action,
      entityType: 'framework_version',
      entityId: versionId,
      orgUnitId: v.owner,
      before,
      after: { frameworkCode: v.code, versionNo: v.version_no, status: v.status },
    });
  }

  async create(actor: Actor, dto: CreateFrameworkDto): Promise<FrameworkDto> {
    const details = checkVersionStructure(dto.version);
    if (details.length) throw invalid(details);
    return this.dataSource.transaction(async (em) => {
      const owner = await this.orgUnits.findInScope(
        actor,
        dto.ownerOrgUnitId,
        'competencies:manage',
        em,
      );
      if (!(FRAMEWORK_OWNER_LEVELS as readonly string[]).includes(owner.level)) {
        throw new DomainError('FRAMEWORK_OWNER_LEVEL_INVALID', {}, [ownerLevelDetail(owner.level)]);
      }
      const rows = await em.query<{ id: string }[]>(
        `INSERT INTO competency_frameworks (code, name_vi, name_en, description, owner_org_unit_id)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (code) DO NOTHING RETURNING id`,
        [dto.code, text(dto.nameVi), text(dto.nameEn), text(dto.description), owner.id],
      );
      if (!rows[0]) {
        throw new DomainError('FRAMEWORK_CODE_TAKEN', { code: dto.code }, [
          detail('code', 'codeTaken', { code: dto.code }),
        ]);
      }
      const versionId = await insertVersionUnscoped(em, rows[0].id, dto.version);
      await this.auditVersion(em, actor, 'framework_version.create', versionId, null);
      return toFrameworkDto(
        await em.findOneByOrFail(FrameworkEntity, { id: rows[0].id }),
        await em.find(FrameworkVersionEntity, { where: { frameworkId: rows[0].id } }),
      );
    });
  }

  private async scaleSize(em: EntityManager, versionId: string): Promise<number> {
    const [row] = await em.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM framework_levels WHERE version_id = $1`,
      [versionId],
    );
    return row.n;
  }

  async updateVersion(actor: Actor, id: string, dto: UpdateVersionDto): Promise<VersionDto> {
    const policyDetails = dto.policy ? checkPolicy(dto.policy, 'policy') : [];
    if (policyDetails.length) throw invalid(policyDetails);
    return this.dataSource.transaction(async (em) => {
      const version = await this.frameworks.lockDraft(actor, id, em);
      if (dto.proficientLevel !== undefined) {
        const levels = await this.scaleSize(em, id);
        if (dto.proficientLevel > levels) {
          throw invalid([detail('proficientLevel', 'levelOffScale', { levels })]);
        }
      }
      const policy = dto.policy ? policyColumns(dto.policy) : null;
      await em.query(
        `UPDATE framework_versions
            SET proficient_level = COALESCE($2, proficient_level),
                policy = COALESCE($3::current_level_policy, policy),
                policy_years = CASE WHEN $3::text IS NULL THEN policy_years ELSE $4::smallint END,
                updated_at = now()
          WHERE id = $1`,
        [id, dto.proficientLevel ?? null, policy?.policy ?? null, policy?.years ?? null],
      );
      return this.frameworks.versionTreeUnscoped(
        em,
        await em.findOneByOrFail(FrameworkVersionEntity, { id: version.id }),
      );
    });
  }

  /** Adds a domain to a draft version, or renames it. */
  async putDomain(actor: Actor, id: string, code: string, dto: DomainBodyDto): Promise<DomainDto> {
    return this.dataSource.transaction(async (em) => {
      await this.frameworks.lockDraft(actor, id, em);
      const [row] = await em.query<CompetencyDomainEntity[]>(
        `INSERT INTO competency_domains (version_id, code, name_vi, name_en, position)
         SELECT $1, $2, $3, $4, COALESCE(MAX(position), 0) + 1
           FROM competency_domains WHERE version_id = $1
         ON CONFLICT (version_id, code)
         DO UPDATE SET name_vi = EXCLUDED.name_vi, name_en = EXCLUDED.name_en
         RETURNING id, code, name_vi AS "nameVi", name_en AS "nameEn", position`,
        [id, code, text(dto.nameVi), text(dto.nameEn)],
      );
      return row;
    });
  }

  async deleteDomain(actor: Actor, id: string, code: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await this.frameworks.lockDraft(actor, id, em);
      const [domain] = await em.query<{ id: string; used: boolean }[]>(
        `SELECT d.id, EXISTS (SELECT 1 FROM competencies c WHERE c.domain_id = d.id) AS used
           FROM competency_domains d WHERE d.version_id = $1 AND d.code = $2`,
        [id, code],
      );
      if (!domain) throw new DomainError('NOT_FOUND');
      if (domain.used) throw new DomainError('COMPETENCY_DOMAIN_IN_USE');
      await em.query(`DELETE FROM competency_domains WHERE id = $1`, [domain.id]);
    });
  }

  /** Adds a competency to a draft version or replaces its content and indicators. */
  async putCompetency(
    actor: Actor,
    id: string,
    code: string,
    dto: CompetencyBodyDto,
  ): Promise<CompetencyDto> {
    return this.dataSource.transaction(async (em) => {
      await this.frameworks.lockDraft(actor, id, em);
      const levels = await this.scaleSize(em, id);
      const domains = await em.find(CompetencyDomainEntity, { where: { versionId: id } });
      const details = checkCompetency(dto, levels, new Set(domains.map((d) => d.code)), 'body');
      if (details.length) throw invalid(details);
      const existing = await em.findOne(CompetencyEntity, { where: { versionId: id, code } });
      const domain = domains.find((d) => d.code === dto.domainCode)!;
      if (existing) {
        await em.query(
          `UPDATE competencies
              SET domain_id = $2, name_vi = $3, name_en = $4, description_vi = $5,
                  description_en = $6, position = COALESCE($7, position)
            WHERE id = $1`,
          [
            existing.id,
            domain.id,
            text(dto.nameVi),
            text(dto.nameEn),
            text(dto.descriptionVi),
            text(dto.descriptionEn),
            dto.position ?? null,
          ],
        );
        await em.query(`DELETE FROM competency_indicators WHERE competency_id = $1`, [existing.id]);
        await insertIndicatorsUnscoped(
          em,
          id,
          dto.indicators.map((i) => ({ code, ...i })),
        );
      } else {
        const [{ next }] = await em.query<{ next: number }[]>(
          `SELECT COALESCE(MAX(position), 0) + 1 AS next FROM competencies WHERE version_id = $1`,
          [id],
        );
        await insertCompetenciesUnscoped(em, id, [{ ...dto, code }], next);
      }
      const saved = await em.findOneByOrFail(CompetencyEntity, { versionId: id, code });
      const indicators = await em.find(CompetencyIndicatorEntity, {
        where: { competencyId: saved.id },
      });
      return toCompetencyDto(saved, domain.code, indicators);
    });
  }

  async deleteCompetency(actor: Actor, id: string, code: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await this.frameworks.lockDraft(actor, id, em);
      const rows = await em.query<unknown[]>(
        `DELETE FROM competencies WHERE version_id = $1 AND code = $2 RETURNING id`,
        [id, code],
      );
      if (!rows.length) throw new DomainError('COMPETENCY_NOT_FOUND', { code });
    });
  }

  async publish(actor: Actor, id: string): Promise<VersionDto> {
    return this.dataSource.transaction(async (em) => {
      const version = await this.frameworks.findVersion(actor, id, 'manage', em, true);
      if (version.status === 'retired') {
        throw new DomainError('FRAMEWORK_VERSION_LOCKED', { versionNo: version.versionNo });
      }
      if (version.status === 'draft') {
        const [{ n }] = await em.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM competencies WHERE version_id = $1`,
          [id],
        );
        if (n === 0) throw new DomainError('FRAMEWORK_VERSION_EMPTY');
        await em.query(
          `UPDATE framework_versions SET status = 'published', published_at = now(),
                  updated_at = now() WHERE id = $1`,
          [id],
        );
        await this.auditVersion(em, actor, 'framework_version.publish', id, { status: 'draft' });
      }
      return this.frameworks.versionTreeUnscoped(
        em,
        await em.findOneByOrFail(FrameworkVersionEntity, { id }),
      );
    });
  }

  /** Retires a published version: no new ratings or profiles against it; history stays. */
  async retire(actor: Actor, id: string): Promise<VersionDto> {
    return this.dataSource.transaction(async (em) => {
      const version = await this.frameworks.findVersion(actor, id, 'manage', em, true);
      if (version.status === 'draft') throw new DomainError('FRAMEWORK_VERSION_NOT_PUBLISHED');
      if (version.status === 'published') {
        await em.query(
          `UPDATE framework_versions SET status = 'retired', retired_at = now(),
                  updated_at = now() WHERE id = $1`,
          [id],
        );
        await this.auditVersion(em, actor, 'framework_version.retire', id, {
          status: 'published',
        });
      }
      return this.frameworks.versionTreeUnscoped(
        em,
        await em.findOneByOrFail(FrameworkVersionEntity, { id }),
      );
    });
  }

  /**
   * Starts a new draft as a copy of a published (or retired) version: the scale, domains,
   * competencies (same codes and lineages), indicators and role profiles, each copied by one
   * INSERT … SELECT. One draft per framework: the framework row is locked while checking, and a
   * partial unique index backs the rule.
   */
  async newVersion(actor: Actor, id: string): Promise<VersionDto> {
    return this.dataSource.transaction(async (em) => {
      const source = await this.frameworks.findVersion(actor, id, 'manage', em);
      if (source.status === 'draft') throw new DomainError('FRAMEWORK_VERSION_NOT_PUBLISHED');
      await em.query(`SELECT id FROM competency_frameworks WHERE id = $1 FOR UPDATE`, [
        source.frameworkId,
      ]);
      const drafts = await em.query<unknown[]>(
        `SELECT 1 FROM framework_versions WHERE framework_id = $1 AND status = 'draft'`,
        [source.frameworkId],
      );
      if (drafts.length) throw new DomainError('FRAMEWORK_DRAFT_EXISTS');
      const [created] = await em.query<{ id: string }[]>(
        `INSERT INTO framework_versions (framework_id, version_no, status, proficient_level,
                                         policy, policy_years, copied_from_id)
         SELECT s.framework_id,
                (SELECT MAX(version_no) + 1 FROM framework_versions WHERE framework_id = s.framework_id),
                'draft', s.proficient_level, s.policy, s.policy_years, s.id
           FROM framework_versions s WHERE s.id = $1
         RETURNING id`,
        [id],
      );
      const to = created.id;
      await em.query(
        `INSERT INTO framework_levels (version_id, level, name_vi, name_en, description_vi,
                                       description_en)
         SELECT $2, level, name_vi, name_en, description_vi, description_en
           FROM framework_levels WHERE version_id = $1`,
        [id, to],
      );
      await em.query(
        `INSERT INTO competency_domains (version_id, code, name_vi, name_en, position)
         SELECT $2, code, name_vi, name_en, position FROM competency_domains WHERE version_id = $1`,
        [id, to],
      );
      await em.query(
        `INSERT INTO competencies (version_id, domain_id, lineage_id, code, name_vi, name_en,
                                   description_vi, description_en, position)
         SELECT $2, nd.id, c.lineage_id, c.code, c.name_vi, c.name_en, c.description_vi,
                c.description_en, c.position
           FROM competencies c
           JOIN competency_domains od ON od.id = c.domain_id
           JOIN competency_domains nd ON nd.version_id = $2 AND nd.code = od.code
          WHERE c.version_id = $1`,
        [id, to],
      );
      await em.query(
        `INSERT INTO competency_indicators (competency_id, level, text_vi, text_en)
         SELECT nc.id, i.level, i.text_vi, i.text_en
           FROM competency_indicators i
           JOIN competencies oc ON oc.id = i.competency_id
           JOIN competencies nc ON nc.version_id = $2 AND nc.code = oc.code
          WHERE oc.version_id = $1`,
        [id, to],
      );
      await em.query(
        `INSERT INTO role_profiles (version_id, post_type, org_level, sector)
         SELECT $2, post_type, org_level, sector FROM role_profiles WHERE version_id = $1`,
        [id, to],
      );
      await em.query(
        `INSERT INTO role_profile_requirements (profile_id, competency_id, required_level, critical)
         SELECT np.id, nc.id, r.required_level, r.critical
           FROM role_profile_requirements r
           JOIN role_profiles op ON op.id = r.profile_id
           JOIN role_profiles np ON np.version_id = $2 AND np.post_type = op.post_type
                AND np.org_level IS NOT DISTINCT FROM op.org_level
                AND np.sector IS NOT DISTINCT FROM op.sector
           JOIN competencies oc ON oc.id = r.competency_id
           JOIN competencies nc ON nc.version_id = $2 AND nc.code = oc.code
          WHERE op.version_id = $1`,
        [id, to],
      );
      await this.auditVersion(em, actor, 'framework_version.create', to, null);
      return this.frameworks.versionTreeUnscoped(
        em,
        await em.findOneByOrFail(FrameworkVersionEntity, { id: to }),
      );
    });
  }
}
