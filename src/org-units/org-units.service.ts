import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, scopeCondition } from '../auth/actor';
import { Permission } from '../auth/roles';
import { detail, DomainError } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { escapeLike, foldForSearch, nfc, vietnameseSortKey } from '../common/text/vietnamese';
import {
  CreateOrgUnitDto,
  ListOrgUnitsQueryDto,
  OrgUnitDto,
  UpdateOrgUnitDto,
} from './dto/org-unit.dto';
import { OrgUnitEntity } from './org-unit.entity';
import { canSitUnder, OrgLevel } from './org-unit.types';

export function toOrgUnitDto(u: OrgUnitEntity): OrgUnitDto {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    level: u.level,
    sector: u.sector,
    provinceCode: u.provinceCode,
    parentId: u.parentId,
    depth: u.depth,
    memberCount: u.memberCount,
    status: u.status,
  };
}

export interface NewOrgUnit {
  code: string;
  name: string;
  level: OrgLevel;
  sector: string | null;
  provinceCode: string | null;
  parent: { id: string; path: string; depth: number } | null;
  memberCount: number;
}

/**
 * Inserts a unit with its materialized path in one statement: the sequence number is drawn
 * first so the path can end with it. Returns the new id, or null when the code already exists
 * and `onConflictSkip` is set (used by the idempotent demo seed).
 */
export async function insertOrgUnit(
  em: EntityManager,
  unit: NewOrgUnit,
  onConflictSkip = false,
): Promise<string | null> {
  const name = nfc(unit.name);
  const rows: { id: string }[] = await em.query(
    `INSERT INTO org_units (seq, code, name, search_name, sort_key, level, sector, province_code,
                            parent_id, path, depth, member_count)
     SELECT s.seq, $1, $2, $3, $4, $5::org_level, $6::org_sector, $7, $8::uuid,
            $9 || s.seq || '/', $10, $11
       FROM (SELECT nextval(pg_get_serial_sequence('org_units', 'seq')) AS seq) s
     ${onConflictSkip ? 'ON CONFLICT (code) DO NOTHING' : ''}
     RETURNING id`,
    [
      unit.code,
      name,
      foldForSearch(name),
      vietnameseSortKey(name),
      unit.level,
      unit.sector,
      unit.provinceCode,
      unit.parent?.id ?? null,
      unit.parent?.path ?? '/',
      (unit.parent?.depth ?? -1) + 1,
      unit.memberCount,
    ],
  );
  return rows[0]?.id ?? null;
}

const GRASSROOTS_LEVELS: readonly OrgLevel[] = ['grassroots', 'sub_unit'];

/**
 * A check another module runs before a unit is archived, inside the archive's transaction and
 * after the unit's row is locked FOR UPDATE: it throws a DomainError when something of its own
 * (people, post holders) still lives in the unit. Modules register theirs at start, so this
 * module reads no other module's tables and depends on none of them.
 */
export type ArchiveGuard = (em: EntityManager, unit: OrgUnitEntity) => Promise<void>;

/**
 * How findInScope locks the row: `update` (FOR UPDATE) for changes to the unit itself, `share`
 * (FOR SHARE) for adding something to the unit — many such adds run side by side, but none runs
 * beside an archive, which holds FOR UPDATE.
 */
export type UnitLock = boolean | 'update' | 'share';

@Injectable()
export class OrgUnitsService {
  private readonly archiveGuards: ArchiveGuard[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Registers a check that may refuse an archive (see ArchiveGuard); run in registration order. */
  addArchiveGuard(guard: ArchiveGuard): void {
    this.archiveGuards.push(guard);
  }

  /** A unit the actor may see with `permission`; anything else is "not found". */
  async findInScope(
    actor: Actor,
    id: string,
    permission: Permission = 'org-units:read',
    em: EntityManager = this.dataSource.manager,
    lock: UnitLock = false,
  ): Promise<OrgUnitEntity> {
    const scope = scopeCondition('u.path', actor.scopePaths(permission));
    const qb = em
      .createQueryBuilder(OrgUnitEntity, 'u')
      .where('u.id = :id', { id })
      .andWhere(scope.sql, scope.params);
    if (lock === 'share') qb.setLock('pessimistic_read');
    else if (lock) qb.setLock('pessimistic_write');
    const unit = await qb.getOne();
    if (!unit) throw new DomainError('ORG_UNIT_NOT_FOUND');
    return unit;
  }

  /**
   * A unit in the actor's scope that is about to receive someone (a new person, a person moving
   * in), share-locked until the caller's transaction ends; an archived unit → 409
   * ORG_UNIT_ARCHIVED. The lock is what keeps a concurrent archive from missing the newcomer:
   * whichever of the two locks the row first, the other sees its result.
   */
  async lockOpenInScope(
    actor: Actor,
    id: string,
    permission: Permission,
    em: EntityManager,
  ): Promise<OrgUnitEntity> {
    const unit = await this.findInScope(actor, id, permission, em, 'share');
    if (unit.status === 'archived') throw new DomainError('ORG_UNIT_ARCHIVED');
    return unit;
  }

  /**
   * The status of a unit, share-locked until the caller's transaction ends, for system paths
   * that have checked scope already (appointments, rotations) and decide themselves what an
   * archived unit means for them.
   */
  async shareLockStatus(em: EntityManager, id: string): Promise<OrgUnitEntity['status']> {
    const [unit] = await em.query<{ status: OrgUnitEntity['status'] }[]>(
      `SELECT status FROM org_units WHERE id = $1 FOR SHARE`,
      [id],
    );
    if (!unit) throw new DomainError('ORG_UNIT_NOT_FOUND');
    return unit.status;
  }

  async get(actor: Actor, id: string): Promise<OrgUnitDto> {
    return toOrgUnitDto(await this.findInScope(actor, id));
  }

  /**
   * Children of one unit, or a search through a subtree (the actor's whole scope by default).
   * Keyset pagination on (sort_key, id); the search compares folded names, so diacritics are
   * optional in the query.
   */
  async list(actor: Actor, query: ListOrgUnitsQueryDto): Promise<Page<OrgUnitDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['text', 'uuid']);
    const scope = scopeCondition('u.path', actor.scopePaths('org-units:read'));
    const qb = this.dataSource
      .createQueryBuilder(OrgUnitEntity, 'u')
      .where(scope.sql, scope.params)
      .orderBy('u.sort_key', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(limit + 1);

    if (query.parentId) {
      await this.findInScope(actor, query.parentId);
      qb.andWhere('u.parent_id = :parentId', { parentId: query.parentId });
    } else if (query.under) {
      const root = await this.findInScope(actor, query.under);
      qb.andWhere('u.path LIKE :under', { under: `${root.path}%` });
    } else if (!query.q && !query.level && !query.sector) {
      // No filter at all: the tops of the actor's scope, so a client can start browsing there.
      qb.andWhere('u.path IN (:...roots)', { roots: actor.scopePaths('org-units:read') });
    }
    if (query.q) {
      const folded = escapeLike(foldForSearch(query.q));
      qb.andWhere(
        "(u.search_name LIKE :q ESCAPE '\\' OR lower(u.code) LIKE :codePrefix ESCAPE '\\')",
        {
          q: `%${folded}%`,
          codePrefix: `${escapeLike(query.q.trim().toLowerCase())}%`,
        },
      );
    }
    if (query.level) qb.andWhere('u.level = :level', { level: query.level });
    if (query.sector) qb.andWhere('u.sector = :sector', { sector: query.sector });
    if (!query.includeArchived) qb.andWhere("u.status = 'active'");
    if (cursor) {
      qb.andWhere('(u.sort_key, u.id) > (:ck, :cid)', { ck: cursor[0], cid: cursor[1] });
    }
    const rows = await qb.getMany();
    return toPage(rows, limit, (u) => [u.sortKey, u.id], toOrgUnitDto);
  }

  async create(actor: Actor, dto: CreateOrgUnitDto): Promise<OrgUnitDto> {
    return this.dataSource.transaction(async (em) => {
      const parent = await this.findInScope(actor, dto.parentId, 'org-units:write', em, true);
      if (parent.status === 'archived') throw new DomainError('ORG_UNIT_ARCHIVED');
      this.checkPlacement(dto.level, parent.level, dto.sector ?? null);
      await this.checkCodeFree(em, dto.code);
      const id = (await insertOrgUnit(em, {
        code: dto.code,
        name: dto.name,
        level: dto.level,
        sector: dto.sector ?? null,
        provinceCode: dto.provinceCode ?? parent.provinceCode,
        parent,
        memberCount: dto.memberCount ?? 0,
      }))!;
      return toOrgUnitDto(await em.findOneByOrFail(OrgUnitEntity, { id }));
    });
  }

  async update(actor: Actor, id: string, dto: UpdateOrgUnitDto): Promise<OrgUnitDto> {
    return this.dataSource.transaction(async (em) => {
      const unit = await this.findInScope(actor, id, 'org-units:write', em, true);
      if (dto.code !== undefined && dto.code !== unit.code) await this.checkCodeFree(em, dto.code);
      if (dto.sector !== undefined) this.checkPlacement(unit.level, null, dto.sector);
      const changes: Partial<OrgUnitEntity> = {};
      if (dto.code !== undefined) changes.code = dto.code;
      if (dto.name !== undefined) {
        changes.name = nfc(dto.name);
        changes.searchName = foldForSearch(changes.name);
        changes.sortKey = vietnameseSortKey(changes.name);
      }
      if (dto.sector !== undefined) changes.sector = dto.sector;
      if (dto.provinceCode !== undefined) changes.provinceCode = dto.provinceCode;
      if (dto.memberCount !== undefined) changes.memberCount = dto.memberCount;
      if (Object.keys(changes).length) await em.update(OrgUnitEntity, { id }, changes);
      return toOrgUnitDto(await em.findOneByOrFail(OrgUnitEntity, { id }));
    });
  }

  /**
   * Moves a unit with its whole subtree under a new parent: one UPDATE rewrites every
   * descendant's path and depth. Both rows are locked in id order first, so two crossing moves
   * cannot together build a cycle.
   */
  async move(actor: Actor, id: string, newParentId: string): Promise<OrgUnitDto> {
    return this.dataSource.transaction(async (em) => {
      const [firstId, secondId] = [id, newParentId].sort();
      const locked = new Map<string, OrgUnitEntity>();
      for (const lockId of new Set([firstId, secondId])) {
        locked.set(lockId, await this.findInScope(actor, lockId, 'org-units:write', em, true));
      }
      const unit = locked.get(id)!;
      const parent = locked.get(newParentId)!;
      if (parent.path.startsWith(unit.path)) throw new DomainError('ORG_UNIT_MOVE_CYCLE');
      if (parent.status === 'archived') throw new DomainError('ORG_UNIT_ARCHIVED');
      this.checkPlacement(unit.level, parent.level, unit.sector);
      if (unit.parentId === parent.id) return toOrgUnitDto(unit);

      const newPath = `${parent.path}${unit.seq}/`;
      await em.query(
        `UPDATE org_units
            SET path = $2 || substr(path, length($1) + 1),
                depth = depth + $3,
                parent_id = CASE WHEN id = $4 THEN $5::uuid ELSE parent_id END,
                updated_at = now()
          WHERE path LIKE $1 || '%'`,
        [unit.path, newPath, parent.depth + 1 - unit.depth, unit.id, parent.id],
      );
      return toOrgUnitDto(await em.findOneByOrFail(OrgUnitEntity, { id }));
    });
  }

  /**
   * Archives a unit that has no active sub-units and that the registered guards let go (no
   * active people at home there, no current post holders); the row and its history stay. The
   * row is locked FOR UPDATE before any check, so a person created or moved in concurrently
   * (which share-locks the row) is either seen by the checks or refused as ORG_UNIT_ARCHIVED.
   */
  async archive(actor: Actor, id: string): Promise<OrgUnitDto> {
    return this.dataSource.transaction(async (em) => {
      const unit = await this.findInScope(actor, id, 'org-units:write', em, true);
      if (unit.parentId === null) throw new DomainError('FORBIDDEN');
      if (unit.status === 'archived') return toOrgUnitDto(unit);
      const activeChild = await em.existsBy(OrgUnitEntity, { parentId: id, status: 'active' });
      if (activeChild) throw new DomainError('ORG_UNIT_HAS_ACTIVE_CHILDREN');
      for (const guard of this.archiveGuards) await guard(em, unit);
      await em.update(OrgUnitEntity, { id }, { status: 'archived' });
      return toOrgUnitDto(await em.findOneByOrFail(OrgUnitEntity, { id }));
    });
  }

  /** Paths of several units at once, for other modules' scope checks. */
  async pathsOf(ids: readonly string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.dataSource
      .createQueryBuilder(OrgUnitEntity, 'u')
      .select(['u.id', 'u.path'])
      .where('u.id IN (:...ids)', { ids })
      .getMany();
    return new Map(rows.map((r) => [r.id, r.path]));
  }

  private checkPlacement(level: OrgLevel, parentLevel: OrgLevel | null, sector: string | null) {
    if (parentLevel && !canSitUnder(level, parentLevel)) {
      throw new DomainError('ORG_UNIT_LEVEL_INVALID', { level, parentLevel });
    }
    if (sector && !GRASSROOTS_LEVELS.includes(level)) {
      throw new DomainError('ORG_UNIT_SECTOR_INVALID', {}, [
        detail(
          'sector',
          'Chỉ công đoàn cơ sở và đơn vị trực thuộc cơ sở có khu vực.',
          'Only grassroots units and their sub-units have a sector.',
        ),
      ]);
    }
  }

  private async checkCodeFree(em: EntityManager, code: string): Promise<void> {
    if (await em.existsBy(OrgUnitEntity, { code })) {
      throw new DomainError('ORG_UNIT_CODE_TAKEN', { code }, [{ field: 'code', message: code }]);
    }
  }
}
