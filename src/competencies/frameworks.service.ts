import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import {
  CompetencyDomainEntity,
  CompetencyEntity,
  CompetencyIndicatorEntity,
  FrameworkEntity,
  FrameworkLevelEntity,
  FrameworkVersionEntity,
} from './competency.entities';
import { DomainDto, FrameworkDto, ListFrameworksQueryDto, VersionDto } from './dto/framework.dto';
import { frameworkManageScope, frameworkReadScope } from './framework-scope';
import { toCompetencyDto, toFrameworkDto, toVersionSummary } from './framework-mappers';

/**
 * Reading competency frameworks and their versions within the actor's scope, and the scoped
 * finders (findVersion, lockDraft) that authoring, role profiles, ratings, gaps and the exchange
 * build on. Writes live in FrameworkAuthoringService; the insert helpers in framework-inserts.
 */
@Injectable()
export class FrameworksService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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

  /** Frameworks the actor reads, by code, keyset-paginated, with their versions' summaries. */
  async list(actor: Actor, query: ListFrameworksQueryDto): Promise<Page<FrameworkDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['text']);
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
    return this.versionTreeUnscoped(this.dataSource.manager, version);
  }

  /**
   * The whole version in five queries, whatever its size. Checks no scope: the caller found
   * `version` through findVersion or lockDraft.
   */
  async versionTreeUnscoped(
    em: EntityManager,
    version: FrameworkVersionEntity,
  ): Promise<VersionDto> {
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
}
