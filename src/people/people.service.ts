import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, scopeCondition } from '../auth/actor';
import { Permission } from '../auth/roles';
import { detail, DomainError } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { escapeLike, foldForSearch, nfc, personSortKey } from '../common/text/vietnamese';
import { OrgUnitsService } from '../org-units/org-units.service';
import { CreatePersonDto, ListPeopleQueryDto, PersonDto, UpdatePersonDto } from './dto/person.dto';
import { PersonEntity } from './person.entity';
import { birthDateRange, PERSON_AGE_LIMITS } from './person-dates';
import { dmy } from '../common/dates/vietnam-dates';
import { Clock } from '../common/clock/clock';

export function maskNationalId(nationalId: string | null): string | null {
  return nationalId ? `********${nationalId.slice(-4)}` : null;
}

export function fullNameOf(p: {
  familyName: string;
  middleName: string | null;
  givenName: string;
}) {
  return [p.familyName, p.middleName, p.givenName].filter((x) => x && x.trim()).join(' ');
}

export type PersonWithPath = PersonEntity & { orgPath: string };

/**
 * A person as the audit log keeps it. The national ID is masked as for readers outside HR: the
 * log outlives the record and is read more widely, so it never holds the whole number.
 */
export function auditSnapshot(p: PersonEntity) {
  return {
    id: p.id,
    familyName: p.familyName,
    middleName: p.middleName,
    givenName: p.givenName,
    fullName: p.fullName,
    birthDate: p.birthDate,
    gender: p.gender,
    ethnicityCode: p.ethnicityCode,
    nationalId: maskNationalId(p.nationalId),
    email: p.email,
    phone: p.phone,
    homeOrgUnitId: p.homeOrgUnitId,
    status: p.status,
  };
}

@Injectable()
export class PeopleService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orgUnits: OrgUnitsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** A unit whose active people still call it home cannot be archived. */
  onModuleInit(): void {
    this.orgUnits.addArchiveGuard(async (em, unit) => {
      const [{ count }] = await em.query<{ count: number }[]>(
        `SELECT count(*)::int AS count FROM people
          WHERE home_org_unit_id = $1 AND status = 'active'`,
        [unit.id],
      );
      if (count > 0) throw new DomainError('ORG_UNIT_HAS_PEOPLE', { count });
    });
  }

  /** The national ID is shown whole only to hr and admin whose scope covers the person. */
  toDto(actor: Actor, p: PersonWithPath): PersonDto {
    const seesId = actor.covers('people:read-national-id', p.orgPath);
    return {
      id: p.id,
      familyName: p.familyName,
      middleName: p.middleName,
      givenName: p.givenName,
      fullName: p.fullName,
      birthDate: p.birthDate,
      gender: p.gender,
      ethnicityCode: p.ethnicityCode,
      nationalId: seesId ? p.nationalId : maskNationalId(p.nationalId),
      email: p.email,
      phone: p.phone,
      homeOrgUnitId: p.homeOrgUnitId,
      status: p.status,
    };
  }

  private baseQuery(em: EntityManager) {
    return em
      .createQueryBuilder(PersonEntity, 'p')
      .innerJoin('org_units', 'o', 'o.id = p.home_org_unit_id')
      .addSelect('o.path', 'org_path');
  }

  private async fetchWithPath(
    qb: ReturnType<PeopleService['baseQuery']>,
  ): Promise<PersonWithPath[]> {
    const { entities, raw } = await qb.getRawAndEntities<{ org_path: string }>();
    return entities.map((e, i) => Object.assign(e, { orgPath: raw[i].org_path }));
  }

  /** A person whose home unit lies in the actor's scope for `permission`; else 404. */
  async findInScope(
    actor: Actor,
    id: string,
    permission: Permission = 'people:read',
    em: EntityManager = this.dataSource.manager,
  ): Promise<PersonWithPath> {
    const scope = scopeCondition('o.path', actor.scopePaths(permission));
    const [person] = await this.fetchWithPath(
      this.baseQuery(em).where('p.id = :id', { id }).andWhere(scope.sql, scope.params),
    );
    if (!person) throw new DomainError('PERSON_NOT_FOUND');
    return person;
  }

  /**
   * The one person-read check of every "a person's …" read (profile, gaps, ratings, transcript,
   * external training): the person themself; staff holding `permission` whose scope covers the
   * person (404 PERSON_NOT_FOUND outside it, as if the person did not exist); anyone else 403.
   * Returns the person when staff read them, undefined for oneself.
   */
  async assertCanRead(
    actor: Actor,
    personId: string,
    permission: Permission = 'people:read',
    em: EntityManager = this.dataSource.manager,
  ): Promise<PersonWithPath | undefined> {
    if (personId === actor.personId) return undefined;
    if (!actor.can(permission)) throw new DomainError('FORBIDDEN');
    return this.findInScope(actor, personId, permission, em);
  }

  /** Reads a person: staff in scope, or the person themself. */
  async get(actor: Actor, id: string): Promise<PersonDto> {
    const person = await this.assertCanRead(actor, id);
    return person ? this.toDto(actor, person) : this.profileUnscoped(actor, id);
  }

  /** A person's profile by id with no scope check: for the actor's own account only. */
  async profileUnscoped(actor: Actor, personId: string): Promise<PersonDto> {
    const [self] = await this.fetchWithPath(
      this.baseQuery(this.dataSource.manager).where('p.id = :id', { id: personId }),
    );
    if (!self) throw new DomainError('PERSON_NOT_FOUND');
    return this.toDto(actor, self);
  }

  async list(actor: Actor, query: ListPeopleQueryDto): Promise<Page<PersonDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['text', 'uuid']);
    const scope = scopeCondition('o.path', actor.scopePaths('people:read'));
    const qb = this.baseQuery(this.dataSource.manager)
      .where(scope.sql, scope.params)
      .orderBy('p.sort_key', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(limit + 1);
    if (query.orgUnitId) {
      const unit = await this.orgUnits.findInScope(actor, query.orgUnitId, 'people:read');
      qb.andWhere('o.path LIKE :under', { under: `${unit.path}%` });
    }
    if (query.q) {
      qb.andWhere("p.search_name LIKE :q ESCAPE '\\'", {
        q: `%${escapeLike(foldForSearch(query.q))}%`,
      });
    }
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (cursor) qb.andWhere('(p.sort_key, p.id) > (:ck, :cid)', { ck: cursor[0], cid: cursor[1] });
    const rows = await this.fetchWithPath(qb);
    return toPage(
      rows,
      limit,
      (p) => [p.sortKey, p.id],
      (p) => this.toDto(actor, p),
    );
  }

  async create(actor: Actor, dto: CreatePersonDto): Promise<PersonDto> {
    return this.dataSource.transaction(async (em) => {
      await this.orgUnits.lockOpenInScope(actor, dto.homeOrgUnitId, 'people:write', em);
      this.checkBirthDate(dto.birthDate);
      await this.checkNationalIdFree(em, dto.nationalId, null);
      const names = this.names(dto.familyName, dto.middleName ?? null, dto.givenName);
      const person = await em.save(
        em.create(PersonEntity, {
          ...names,
          birthDate: dto.birthDate ?? null,
          gender: dto.gender ?? null,
          ethnicityCode: dto.ethnicityCode ?? null,
          nationalId: dto.nationalId ?? null,
          email: dto.email?.toLowerCase() ?? null,
          phone: dto.phone ?? null,
          homeOrgUnitId: dto.homeOrgUnitId,
          status: dto.status ?? 'active',
        }),
      );
      const created = await this.findInScope(actor, person.id, 'people:write', em);
      await this.audit.record(em, actor, {
        action: 'person.create',
        entityType: 'person',
        entityId: created.id,
        orgUnitId: created.homeOrgUnitId,
        before: null,
        after: auditSnapshot(created),
      });
      return this.toDto(actor, created);
    });
  }

  /**
   * Changes a person's record. The audit entry (before and after) belongs to the person's home
   * unit; a move between units leaves a second entry at the unit left, so its HR keeps the trace
   * of who went where. A request that changes nothing records nothing.
   */
  async update(actor: Actor, id: string, dto: UpdatePersonDto): Promise<PersonDto> {
    return this.dataSource.transaction((em) => this.updateIn(em, actor, id, dto));
  }

  /**
   * `update` in the caller's transaction: the approval of a profile change request applies the
   * change and decides the request in one.
   */
  async updateIn(
    em: EntityManager,
    actor: Actor,
    id: string,
    dto: UpdatePersonDto,
  ): Promise<PersonDto> {
    // Locked first, so that `before` in the audit entry is the state this change replaced.
    await em.query(`SELECT 1 FROM people WHERE id = $1 FOR UPDATE`, [id]);
    const current = await this.findInScope(actor, id, 'people:write', em);
    const moves = !!dto.homeOrgUnitId && dto.homeOrgUnitId !== current.homeOrgUnitId;
    const reactivates = dto.status === 'active' && current.status !== 'active';
    // Nobody moves into an archived unit, and nobody becomes active in one: an archived unit
    // keeps no active people (OrgUnitsService.archive checks the same under the same lock).
    if (moves || reactivates) {
      const home = moves ? dto.homeOrgUnitId! : current.homeOrgUnitId;
      await this.orgUnits.lockOpenInScope(actor, home, 'people:write', em);
    }
    if (dto.birthDate !== undefined) this.checkBirthDate(dto.birthDate);
    if (dto.nationalId !== undefined) await this.checkNationalIdFree(em, dto.nationalId, id);
    const names = this.names(
      dto.familyName ?? current.familyName,
      dto.middleName !== undefined ? dto.middleName : current.middleName,
      dto.givenName ?? current.givenName,
    );
    const changes: Partial<PersonEntity> = { ...names };
    if (dto.birthDate !== undefined) changes.birthDate = dto.birthDate;
    if (dto.gender !== undefined) changes.gender = dto.gender;
    if (dto.ethnicityCode !== undefined) changes.ethnicityCode = dto.ethnicityCode;
    if (dto.nationalId !== undefined) changes.nationalId = dto.nationalId;
    if (dto.email !== undefined) changes.email = dto.email?.toLowerCase() ?? null;
    if (dto.phone !== undefined) changes.phone = dto.phone;
    if (dto.homeOrgUnitId !== undefined) changes.homeOrgUnitId = dto.homeOrgUnitId;
    if (dto.status !== undefined) changes.status = dto.status;
    await em.update(PersonEntity, { id }, changes);
    const updated = await this.findInScope(actor, id, 'people:write', em);
    const before = auditSnapshot(current);
    const after = auditSnapshot(updated);
    const nationalIdChanged = current.nationalId !== updated.nationalId;
    if (nationalIdChanged || JSON.stringify(before) !== JSON.stringify(after)) {
      // The masked numbers may read the same (same last four digits): say that it changed.
      const entry = {
        before,
        after: nationalIdChanged ? { ...after, nationalIdChanged } : after,
      };
      await this.audit.record(em, actor, {
        action: 'person.update',
        entityType: 'person',
        entityId: id,
        orgUnitId: updated.homeOrgUnitId,
        ...entry,
      });
      if (updated.homeOrgUnitId !== current.homeOrgUnitId) {
        await this.audit.record(em, actor, {
          action: 'person.move_out',
          entityType: 'person',
          entityId: id,
          orgUnitId: current.homeOrgUnitId,
          ...entry,
        });
      }
    }
    return this.toDto(actor, updated);
  }

  /**
   * One's own record, read (and locked, `forUpdate`) in the caller's transaction without a scope
   * check: for the actor's own person only (the self-service profile).
   */
  async ownRecordUnscoped(
    em: EntityManager,
    actor: Actor,
    opts: { forUpdate?: boolean } = {},
  ): Promise<PersonWithPath> {
    if (opts.forUpdate) {
      await em.query(`SELECT 1 FROM people WHERE id = $1 FOR UPDATE`, [actor.personId]);
    }
    const [self] = await this.fetchWithPath(
      this.baseQuery(em).where('p.id = :id', { id: actor.personId }),
    );
    if (!self) throw new DomainError('PERSON_NOT_FOUND');
    return self;
  }

  /**
   * The person corrects their own contact details (phone, contact e-mail), audited as
   * person.update in their home unit. Not the sign-in e-mail: that is the account's.
   */
  async updateOwnContact(
    em: EntityManager,
    actor: Actor,
    changes: { phone?: string | null; email?: string | null },
  ): Promise<PersonWithPath> {
    const current = await this.ownRecordUnscoped(em, actor, { forUpdate: true });
    const set: Partial<PersonEntity> = {};
    if (changes.phone !== undefined) set.phone = changes.phone;
    if (changes.email !== undefined) set.email = changes.email?.toLowerCase() ?? null;
    if (!Object.keys(set).length) return current;
    await em.update(PersonEntity, { id: current.id }, set);
    const updated = await this.ownRecordUnscoped(em, actor);
    const before = auditSnapshot(current);
    const after = auditSnapshot(updated);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await this.audit.record(em, actor, {
        action: 'person.update',
        entityType: 'person',
        entityId: current.id,
        orgUnitId: current.homeOrgUnitId,
        before,
        after,
      });
    }
    return updated;
  }

  /**
   * A birth date giving an age from 16 to 80 today (Vietnam time); a date in the future, or one
   * making the person younger or older, is a typing error → 422 with the allowed range.
   */
  checkBirthDate(birthDate: string | null | undefined): void {
    if (!birthDate) return;
    const today = this.clock.todayVn();
    const { earliest, latest } = birthDateRange(today);
    if (birthDate >= earliest && birthDate <= latest) return;
    const { min, max } = PERSON_AGE_LIMITS;
    const range = {
      vi: `từ ${dmy(earliest)} đến ${dmy(latest)}`,
      en: `from ${dmy(earliest)} to ${dmy(latest)}`,
    };
    const why =
      birthDate > today
        ? {
            vi: `Ngày sinh ${dmy(birthDate)} ở tương lai`,
            en: `${dmy(birthDate)} is in the future`,
          }
        : birthDate > latest
          ? { vi: `Chưa đủ ${min} tuổi`, en: `Younger than ${min}` }
          : { vi: `Đã quá ${max} tuổi`, en: `Older than ${max}` };
    throw new DomainError(
      'PERSON_BIRTH_DATE_OUT_OF_RANGE',
      { earliest, latest, minAge: min, maxAge: max },
      [
        detail(
          'birthDate',
          `${why.vi}: ngày sinh phải ${range.vi}.`,
          `${why.en}: the birth date must be ${range.en}.`,
        ),
      ],
    );
  }

  /** The name parts in NFC and what derives from them (full name, search name, sort key). */
  names(familyName: string, middleName: string | null, givenName: string) {
    const parts = {
      familyName: nfc(familyName),
      middleName: middleName && nfc(middleName) ? nfc(middleName) : null,
      givenName: nfc(givenName),
    };
    const fullName = fullNameOf(parts);
    return {
      ...parts,
      fullName,
      searchName: foldForSearch(fullName),
      sortKey: personSortKey(parts),
    };
  }

  async checkNationalIdFree(
    em: EntityManager,
    nationalId: string | null | undefined,
    selfId: string | null,
  ) {
    if (!nationalId) return;
    const owner = await em.findOne(PersonEntity, { where: { nationalId }, select: { id: true } });
    if (owner && owner.id !== selfId) {
      throw new DomainError('PERSON_NATIONAL_ID_TAKEN', {}, [
        detail(
          'nationalId',
          'Số CCCD này đã thuộc về một cán bộ khác.',
          'This national ID belongs to another person.',
        ),
      ]);
    }
  }
}
