import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor } from '../auth/actor';
import { DomainError, LocalizedDetail } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { nfc } from '../common/text/vietnamese';
import { AuditService } from '../audit/audit.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import {
  CompetencyDomainEntity,
  CompetencyEntity,
  CompetencyIndicatorEntity,
  FrameworkEntity,
  FrameworkLevelEntity,
  FrameworkVersionEntity,
} from './competency.entities';
import { detail, ownerLevelDetail } from './competency-details';
import { FRAMEWORK_OWNER_LEVELS } from './competency.types';
import {
  CompetencyBodyDto,
  CompetencyDto,
  CompetencyInputDto,
  CreateFrameworkDto,
  DomainBodyDto,
  DomainDto,
  FrameworkDto,
  ListFrameworksQueryDto,
  PolicyInputDto,
  UpdateVersionDto,
  VersionDto,
  VersionInputDto,
  VersionSummaryDto,
} from './dto/framework.dto';
import { frameworkManageScope, frameworkReadScope } from './framework-scope';
import { checkCompetency, checkPolicy, checkVersionStructure } from './framework-structure';

const text = (s: string | undefined | null): string | null => (s ? nfc(s.trim()) || null : null);

export function toVersionSummary(v: FrameworkVersionEntity): VersionSummaryDto {
  return {
    id: v.id,
    frameworkId: v.frameworkId,
    versionNo: v.versionNo,
    status: v.status,
    locked: v.status !== 'draft',
    proficientLevel: v.proficientLevel,
    policy: { kind: v.policy, years: v.policyYears },
    copiedFromId: v.copiedFromId,
    publishedAt: v.publishedAt ? v.publishedAt.toISOString() : null,
    retiredAt: v.retiredAt ? v.retiredAt.toISOString() : null,
  };
}

function toFrameworkDto(f: FrameworkEntity, versions: FrameworkVersionEntity[]): FrameworkDto {
  return {
    id: f.id,
    code: f.code,
    nameVi: f.nameVi,
    nameEn: f.nameEn,
    description: f.description,
    ownerOrgUnitId: f.ownerOrgUnitId,
    versions: versions.map(toVersionSummary),
  };
}

function toCompetencyDto(
  c: CompetencyEntity,
  domainCode: string,
  indicators: CompetencyIndicatorEntity[],
): CompetencyDto {
  return {
    id: c.id,
    lineageId: c.lineageId,
    code: c.code,
    domainCode,
    nameVi: c.nameVi,
    nameEn: c.nameEn,
    descriptionVi: c.descriptionVi,
    descriptionEn: c.descriptionEn,
    position: c.position,
    indicators: indicators
      .sort((a, b) => a.level - b.level)
      .map((i) => ({ level: i.level, textVi: i.textVi, textEn: i.textEn })),
  };
}

function policyColumns(p: PolicyInputDto): { policy: string; years: number | null } {
  return {
    policy: p.kind,
    years: p.kind === 'highest_valid_within_years' ? (p.years ?? null) : null,
  };
}

function invalid(details: LocalizedDetail[]): DomainError {
  return new DomainError('VALIDATION_FAILED', {}, details);
}

/**
 * Writes version 1 of a framework with its whole content: one set-based INSERT per table,
 * rows passed as JSON and unpacked by jsonb_to_recordset. Returns the new version's id.
 */
export async function insertVersion(
  em: EntityManager,
  frameworkId: string,
  v: VersionInputDto,
): Promise<string> {
  const { policy, years } = policyColumns(v.policy);
  const [version] = await em.query<{ id: string }[]>(
    `INSERT INTO framework_versions (framework_id, version_no, status, proficient_level, policy,
                                     policy_years)
     VALUES ($1, 1, 'draft', $2, $3, $4) RETURNING id`,
    [frameworkId, v.scale.proficientLevel, policy, years],
  );
  await em.query(
    `INSERT INTO framework_levels (version_id, level, name_vi, name_en, description_vi,
                                   description_en)
     SELECT $1, x.level, x.name_vi, x.name_en, x.description_vi, x.description_en
       FROM jsonb_to_recordset($2::jsonb)
         AS x(level int, name_vi text, name_en text, description_vi text, description_en text)`,
    [
      version.id,
      JSON.stringify(
        v.scale.levels.map((l) => ({
          level: l.level,
          name_vi: text(l.nameVi),
          name_en: text(l.nameEn),
          description_vi: text(l.descriptionVi),
          description_en: text(l.descriptionEn),
        })),
      ),
    ],
  );
  await em.query(
    `INSERT INTO competency_domains (version_id, code, name_vi, name_en, position)
     SELECT $1, x.code, x.name_vi, x.name_en, x.position
       FROM jsonb_to_recordset($2::jsonb) AS x(code text, name_vi text, name_en text, position int)`,
    [
      version.id,
      JSON.stringify(
        v.domains.map((d, i) => ({
          code: d.code,
          name_vi: text(d.nameVi),
          name_en: text(d.nameEn),
          position: i + 1,
        })),
      ),
    ],
  );
  await insertCompetencies(em, version.id, v.competencies, 1);
  return version.id;
}

/** Competencies (new lineages) and their indicators, set-based, from `firstPosition` on. */
async function insertCompetencies(
  em: EntityManager,
  versionId: string,
  competencies: CompetencyInputDto[],
  firstPosition: number,
): Promise<void> {
  await em.query(
    `WITH x AS (
       SELECT gen_random_uuid() AS id, x.*
         FROM jsonb_to_recordset($2::jsonb)
           AS x(code text, domain_code text, name_vi text, name_en text, description_vi text,
                description_en text, position int)
     )
     INSERT INTO competencies (id, lineage_id, version_id, domain_id, code, name_vi, name_en,
                               description_vi, description_en, position)
     SELECT x.id, x.id, $1, d.id, x.code, x.name_vi, x.name_en, x.description_vi,
            x.description_en, x.position
       FROM x JOIN competency_domains d ON d.version_id = $1 AND d.code = x.domain_code`,
    [
      versionId,
      JSON.stringify(
        competencies.map((c, i) => ({
          code: c.code,
          domain_code: c.domainCode,
          name_vi: text(c.nameVi),
          name_en: text(c.nameEn),
          description_vi: text(c.descriptionVi),
          description_en: text(c.descriptionEn),
          position: c.position ?? firstPosition + i,
        })),
      ),
    ],
  );
  await insertIndicators(
    em,
    versionId,
    competencies.flatMap((c) => c.indicators.map((ind) => ({ code: c.code, ...ind }))),
  );
}

async function insertIndicators(
  em: EntityManager,
  versionId: string,
  rows: { code: string; level: number; textVi: string; textEn: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await em.query(
    `INSERT INTO competency_indicators (competency_id, level, text_vi, text_en)
     SELECT c.id, x.level, x.text_vi, x.text_en
       FROM jsonb_to_recordset($2::jsonb) AS x(code text, level int, text_vi text, text_en text)
       JOIN competencies c ON c.version_id = $1 AND c.code = x.code`,
    [
      versionId,
      JSON.stringify(
        rows.map((r) => ({
          code: r.code,
          level: r.level,
          text_vi: text(r.textVi),
          text_en: text(r.textEn),
        })),
      ),
    ],
  );
}

/**
 * Competency frameworks and their versions. A version is built as a draft, published once and
 * then never changes: every write to a published or retired version answers
 * FRAMEWORK_VERSION_LOCKED; a change starts as a new draft copied from it (newVersion), so
 * ratings and role profiles keep naming exactly what they were made against.
 */
@Injectable()
export class FrameworksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
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

  /**
   * A version the actor reads (mode 'read') or manages (mode 'manage'): outside what the actor
   * may read → 404; readable but not theirs to manage → 403. With `lock` the version row is
   * locked for the rest of the transaction.
   */
  async findVersion(
    actor: Actor,
    id: string,
    mode: 'read' | 'manage',
    em: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<FrameworkVersionEntity> {
    const read = frameworkReadScope(actor, 2);
    const manage = frameworkManageScope(actor, 2 + read.params.length);
    const rows = await em.query<{ manageable: boolean }[]>(
      `SELECT ${manage.sql} AS manageable
         FROM framework_versions v
         JOIN competency_frameworks f ON f.id = v.framework_id
         JOIN org_units o ON o.id = f.owner_org_unit_id
        WHERE v.id = $1 AND ${read.sql} ${lock ? 'FOR UPDATE OF v' : ''}`,
      [id, ...read.params, ...manage.params],
    );
    if (!rows[0]) throw new DomainError('FRAMEWORK_VERSION_NOT_FOUND');
    if (mode === 'manage' && !rows[0].manageable) throw new DomainError('FORBIDDEN');
    return em.findOneByOrFail(FrameworkVersionEntity, { id });
  }

  /** A draft version the actor manages, locked until the transaction ends; else 404/403/409. */
  async lockDraft(actor: Actor, id: string, em: EntityManager): Promise<FrameworkVersionEntity> {
    const version = await this.findVersion(actor, id, 'manage', em, true);
    if (version.status !== 'draft') {
      throw new DomainError('FRAMEWORK_VERSION_LOCKED', { versionNo: version.versionNo });
    }
    return version;
  }

  private async findFramework(
    actor: Actor,
    id: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<FrameworkEntity> {
    const read = frameworkReadScope(actor, 2);
    const rows = await em.query<unknown[]>(
      `SELECT 1 FROM competency_frameworks f JOIN org_units o ON o.id = f.owner_org_unit_id
        WHERE f.id = $1 AND ${read.sql}`,
      [id, ...read.params],
    );
    if (!rows[0]) throw new DomainError('FRAMEWORK_NOT_FOUND');
    return em.findOneByOrFail(FrameworkEntity, { id });
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
      const versionId = await insertVersion(em, rows[0].id, dto.version);
      await this.auditVersion(em, actor, 'framework_version.create', versionId, null);
      return toFrameworkDto(
        await em.findOneByOrFail(FrameworkEntity, { id: rows[0].id }),
        await em.find(FrameworkVersionEntity, { where: { frameworkId: rows[0].id } }),
      );
    });
  }

  /** Frameworks the actor reads, by code, keyset-paginated, with their versions' summaries. */
  async list(actor: Actor, query: ListFrameworksQueryDto): Promise<Page<FrameworkDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['string']);
    const read = frameworkReadScope(actor, 3);
    const rows = await this.dataSource.query<{ id: string; code: string }[]>(
      `SELECT f.id, f.code FROM competency_frameworks f
         JOIN org_units o ON o.id = f.owner_org_unit_id
        WHERE ($1::text IS NULL OR f.code > $1) AND ${read.sql}
        ORDER BY f.code LIMIT $2`,
      [cursor ? cursor[0] : null, limit + 1, ...read.params],
    );
    const ids = rows.slice(0, limit).map((r) => r.id);
    const [frameworks, versions] = ids.length
      ? await Promise.all([
          this.dataSource.manager.find(FrameworkEntity, { where: { id: In(ids) } }),
          this.dataSource.manager.find(FrameworkVersionEntity, {
            where: { frameworkId: In(ids) },
            order: { versionNo: 'ASC' },
          }),
        ])
      : [[], []];
    const byId = new Map(frameworks.map((f) => [f.id, f]));
    return toPage(
      rows,
      limit,
      (r) => [r.code],
      (r) =>
        toFrameworkDto(
          byId.get(r.id)!,
          versions.filter((v) => v.frameworkId === r.id),
        ),
    );
  }

  async get(actor: Actor, id: string): Promise<FrameworkDto> {
    const framework = await this.findFramework(actor, id);
    const versions = await this.dataSource.manager.find(FrameworkVersionEntity, {
      where: { frameworkId: id },
      order: { versionNo: 'ASC' },
    });
    return toFrameworkDto(framework, versions);
  }

  async getVersion(actor: Actor, id: string): Promise<VersionDto> {
    const version = await this.findVersion(actor, id, 'read');
    return this.versionTree(this.dataSource.manager, version);
  }

  /** The whole version in five queries, whatever its size. */
  async versionTree(em: EntityManager, version: FrameworkVersionEntity): Promise<VersionDto> {
    // Sequential on purpose: inside a transaction the manager holds one connection.
    const framework = await em.findOneByOrFail(FrameworkEntity, { id: version.frameworkId });
    const levels = await em.find(FrameworkLevelEntity, {
      where: { versionId: version.id },
      order: { level: 'ASC' },
    });
    const domains = await em.find(CompetencyDomainEntity, {
      where: { versionId: version.id },
      order: { position: 'ASC', code: 'ASC' },
    });
    const competencies = await em.find(CompetencyEntity, {
      where: { versionId: version.id },
      order: { position: 'ASC', code: 'ASC' },
    });
    const indicators = await em
      .createQueryBuilder(CompetencyIndicatorEntity, 'i')
      .innerJoin(CompetencyEntity, 'c', 'c.id = i.competency_id')
      .where('c.version_id = :id', { id: version.id })
      .getMany();
    const domainCode = new Map(domains.map((d) => [d.id, d.code]));
    const byCompetency = new Map<string, CompetencyIndicatorEntity[]>();
    for (const i of indicators) {
      byCompetency.set(i.competencyId, [...(byCompetency.get(i.competencyId) ?? []), i]);
    }
    return {
      ...toVersionSummary(version),
      framework: {
        id: framework.id,
        code: framework.code,
        nameVi: framework.nameVi,
        nameEn: framework.nameEn,
      },
      scale: levels.map((l) => ({
        level: l.level,
        nameVi: l.nameVi,
        nameEn: l.nameEn,
        descriptionVi: l.descriptionVi,
        descriptionEn: l.descriptionEn,
      })),
      domains: domains.map((d): DomainDto => ({
        id: d.id,
        code: d.code,
        nameVi: d.nameVi,
        nameEn: d.nameEn,
        position: d.position,
      })),
      competencies: competencies.map((c) =>
        toCompetencyDto(c, domainCode.get(c.domainId)!, byCompetency.get(c.id) ?? []),
      ),
    };
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
      const version = await this.lockDraft(actor, id, em);
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
      return this.versionTree(
        em,
        await em.findOneByOrFail(FrameworkVersionEntity, { id: version.id }),
      );
    });
  }

  /** Adds a domain to a draft version, or renames it. */
  async putDomain(actor: Actor, id: string, code: string, dto: DomainBodyDto): Promise<DomainDto> {
    return this.dataSource.transaction(async (em) => {
      await this.lockDraft(actor, id, em);
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
      await this.lockDraft(actor, id, em);
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
      await this.lockDraft(actor, id, em);
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
        await insertIndicators(
          em,
          id,
          dto.indicators.map((i) => ({ code, ...i })),
        );
      } else {
        const [{ next }] = await em.query<{ next: number }[]>(
          `SELECT COALESCE(MAX(position), 0) + 1 AS next FROM competencies WHERE version_id = $1`,
          [id],
        );
        await insertCompetencies(em, id, [{ ...dto, code }], next);
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
      await this.lockDraft(actor, id, em);
      const rows = await em.query<unknown[]>(
        `DELETE FROM competencies WHERE version_id = $1 AND code = $2 RETURNING id`,
        [id, code],
      );
      if (!rows.length) throw new DomainError('COMPETENCY_NOT_FOUND', { code });
    });
  }

  async publish(actor: Actor, id: string): Promise<VersionDto> {
    return this.dataSource.transaction(async (em) => {
      const version = await this.findVersion(actor, id, 'manage', em, true);
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
      return this.versionTree(em, await em.findOneByOrFail(FrameworkVersionEntity, { id }));
    });
  }

  /** Retires a published version: no new ratings or profiles against it; history stays. */
  async retire(actor: Actor, id: string): Promise<VersionDto> {
    return this.dataSource.transaction(async (em) => {
      const version = await this.findVersion(actor, id, 'manage', em, true);
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
      return this.versionTree(em, await em.findOneByOrFail(FrameworkVersionEntity, { id }));
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
      const source = await this.findVersion(actor, id, 'manage', em);
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
      return this.versionTree(em, await em.findOneByOrFail(FrameworkVersionEntity, { id: to }));
    });
  }
}
