import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { scopeConditionRaw } from './actor';
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  Page,
  PageQueryDto,
  toPage,
} from '../common/pagination/page';
import { OrgUnitsService } from '../org-units/org-units.service';
import { PeopleService } from '../people/people.service';
import { Actor } from './actor';
import { AuthService } from './auth.service';
import { AccountDto, CreateAccountDto, GrantRoleDto, MeDto } from './dto/account.dto';
import { PasswordService } from './password.service';
import { RoleGrantEntity } from './role-grant.entity';
import { UserAccountEntity } from './user-account.entity';

interface GrantRow {
  id: string;
  role: string;
  org_unit_id: string;
  granted_by: string | null;
  created_at: Date | string;
  revoked_at: Date | string | null;
}

const GRANT_COLUMNS = 'id, role, org_unit_id, granted_by, created_at, revoked_at';

const isoOrNull = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** A grant as the audit log keeps it: the account it belongs to by id and e-mail. */
function grantSnapshot(g: GrantRow, user: UserAccountEntity) {
  return {
    id: g.id,
    userId: user.id,
    email: user.email,
    personId: user.personId,
    role: g.role,
    orgUnitId: g.org_unit_id,
    grantedBy: g.granted_by,
    grantedAt: isoOrNull(g.created_at),
    revokedAt: isoOrNull(g.revoked_at),
  };
}

@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly people: PeopleService,
    private readonly orgUnits: OrgUnitsService,
    private readonly passwords: PasswordService,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  async me(actor: Actor): Promise<MeDto> {
    const person = await this.people.profileUnscoped(actor, actor.personId);
    return {
      id: actor.userId,
      email: actor.email,
      person: {
        id: person.id,
        fullName: person.fullName,
        familyName: person.familyName,
        middleName: person.middleName,
        givenName: person.givenName,
        homeOrgUnitId: person.homeOrgUnitId,
      },
      roles: actor.grants.map((g) => ({ role: g.role, orgUnitId: g.orgUnitId })),
    };
  }

  /**
   * Opens an account for a person in scope. The audit entry belongs to the person's home unit;
   * it names the e-mail, never the password or its hash.
   */
  async create(actor: Actor, dto: CreateAccountDto): Promise<AccountDto> {
    const person = await this.people.findInScope(actor, dto.personId, 'accounts:manage');
    const email = dto.email.trim().toLowerCase();
    const passwordHash = await this.passwords.hash(dto.password);
    return this.dataSource.transaction(async (em) => {
      if (await em.existsBy(UserAccountEntity, { email })) {
        throw new DomainError('ACCOUNT_EMAIL_TAKEN', { email }, [
          { field: 'email', message: email },
        ]);
      }
      if (await em.existsBy(UserAccountEntity, { personId: dto.personId })) {
        throw new DomainError('ACCOUNT_ALREADY_EXISTS');
      }
      const user = await em.save(
        em.create(UserAccountEntity, { email, passwordHash, personId: dto.personId }),
      );
      const account = { id: user.id, email, personId: user.personId, active: user.active };
      await this.audit.record(em, actor, {
        action: 'account.create',
        entityType: 'user_account',
        entityId: user.id,
        orgUnitId: person.homeOrgUnitId,
        before: null,
        after: account,
      });
      return { ...account, signInHeldUntil: null, failedLogins: 0, grants: [] };
    });
  }

  /**
   * Grants a role over a unit's subtree. Granting a role the account already holds there
   * changes nothing and records nothing. The audit entry belongs to the unit the grant covers,
   * so the HR and administrators of that subtree can read who was given power over it.
   */
  async grant(actor: Actor, userId: string, dto: GrantRoleDto): Promise<AccountDto> {
    const user = await this.findInScope(actor, userId);
    const result = await this.dataSource.transaction(async (em) => {
      await this.orgUnits.findInScope(actor, dto.orgUnitId, 'accounts:manage', em);
      const [inserted] = await em.query<GrantRow[]>(
        `INSERT INTO role_grants (user_id, role, org_unit_id, granted_by)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, role, org_unit_id) WHERE revoked_at IS NULL DO NOTHING
         RETURNING ${GRANT_COLUMNS}`,
        [user.id, dto.role, dto.orgUnitId, actor.userId],
      );
      if (inserted) {
        await this.audit.record(em, actor, {
          action: 'role_grant.grant',
          entityType: 'role_grant',
          entityId: inserted.id,
          orgUnitId: inserted.org_unit_id,
          before: null,
          after: grantSnapshot(inserted, user),
        });
      }
      return this.describe(user, em);
    });
    this.auth.forgetUser(user.id);
    return result;
  }

  /**
   * Revoking keeps the grant row with its revocation time; revoking it again changes and
   * records nothing. The audit entry belongs to the unit the grant covered.
   */
  async revoke(actor: Actor, userId: string, grantId: string): Promise<AccountDto> {
    const user = await this.findInScope(actor, userId);
    const result = await this.dataSource.transaction(async (em) => {
      const [grant] = await em.query<GrantRow[]>(
        `SELECT ${GRANT_COLUMNS} FROM role_grants WHERE id = $1 AND user_id = $2 FOR UPDATE`,
        [grantId, user.id],
      );
      if (!grant) throw new DomainError('NOT_FOUND');
      await this.orgUnits.findInScope(actor, grant.org_unit_id, 'accounts:manage', em);
      if (grant.revoked_at === null) {
        await em.query(`UPDATE role_grants SET revoked_at = now() WHERE id = $1`, [grant.id]);
        const [revoked] = await em.query<GrantRow[]>(
          `SELECT ${GRANT_COLUMNS} FROM role_grants WHERE id = $1`,
          [grant.id],
        );
        await this.audit.record(em, actor, {
          action: 'role_grant.revoke',
          entityType: 'role_grant',
          entityId: grant.id,
          orgUnitId: grant.org_unit_id,
          before: grantSnapshot(grant, user),
          after: grantSnapshot(revoked, user),
        });
      }
      return this.describe(user, em);
    });
    this.auth.forgetUser(user.id);
    return result;
  }

  /**
   * Lifts a hold on signing in set by wrong passwords (and forgets the count). Lifting an
   * account that is not held changes and records nothing. Audited at the person's home unit.
   */
  async liftHold(actor: Actor, userId: string): Promise<AccountDto> {
    const user = await this.findInScope(actor, userId);
    return this.dataSource.transaction(async (em) => {
      const before = { failedLogins: user.failedLogins, lockedUntil: user.lockedUntil };
      if (await this.auth.liftHold(em, user.id)) {
        const [home] = await em.query<{ home_org_unit_id: string }[]>(
          `SELECT home_org_unit_id FROM people WHERE id = $1`,
          [user.personId],
        );
        await this.audit.record(em, actor, {
          action: 'account.lift_hold',
          entityType: 'user_account',
          entityId: user.id,
          orgUnitId: home.home_org_unit_id,
          before: { email: user.email, ...before },
          after: { email: user.email, failedLogins: 0, lockedUntil: null },
        });
      }
      const fresh = await em.findOneByOrFail(UserAccountEntity, { id: user.id });
      return this.describe(fresh, em);
    });
  }

  /**
   * The accounts of the people in the caller's scope for accounts:manage, by e-mail, keyset
   * paged, each with its current role grants (the admin portal's list).
   */
  async list(actor: Actor, query: PageQueryDto): Promise<Page<AccountDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['text', 'uuid']);
    const scope = scopeConditionRaw('o.path', actor.scopePaths('accounts:manage'), 1);
    const params: unknown[] = [...scope.params];
    let after = '';
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      after = `AND (u.email, u.id) > ($${params.length - 1}::text, $${params.length}::uuid)`;
    }
    params.push(limit + 1);
    const ids = await this.dataSource.query<{ id: string; email: string }[]>(
      `SELECT u.id, u.email FROM user_accounts u
         JOIN people p ON p.id = u.person_id
         JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE ${scope.sql} ${after}
        ORDER BY u.email, u.id
        LIMIT $${params.length}`,
      params,
    );
    const users =
      ids.length === 0
        ? []
        : await this.dataSource
            .getRepository(UserAccountEntity)
            .findBy({ id: In(ids.map((r) => r.id)) });
    const byId = new Map(users.map((u) => [u.id, u]));
    const page = toPage(
      ids,
      limit,
      (r) => [r.email, r.id],
      (r) => byId.get(r.id)!,
    );
    // The grants of the whole page in one query, not one per account.
    const grants =
      page.items.length === 0
        ? []
        : await this.dataSource.getRepository(RoleGrantEntity).find({
            where: { userId: In(page.items.map((u) => u.id)) },
            order: { createdAt: 'ASC' },
          });
    return {
      items: page.items.map((u) =>
        accountDto(
          u,
          grants.filter((g) => g.userId === u.id),
        ),
      ),
      nextCursor: page.nextCursor,
    };
  }

  async get(actor: Actor, userId: string): Promise<AccountDto> {
    return this.describe(await this.findInScope(actor, userId));
  }

  private async findInScope(actor: Actor, userId: string): Promise<UserAccountEntity> {
    const user = await this.dataSource.getRepository(UserAccountEntity).findOneBy({ id: userId });
    if (!user) throw new DomainError('ACCOUNT_NOT_FOUND');
    try {
      await this.people.findInScope(actor, user.personId, 'accounts:manage');
    } catch {
      throw new DomainError('ACCOUNT_NOT_FOUND');
    }
    return user;
  }

  private async describe(
    user: UserAccountEntity,
    em: EntityManager = this.dataSource.manager,
  ): Promise<AccountDto> {
    const grants = await em
      .getRepository(RoleGrantEntity)
      .find({ where: { userId: user.id }, order: { createdAt: 'ASC' } });
    return accountDto(user, grants);
  }
}

/** An account as the API shows it: never its hash; its live grants only, oldest first. */
function accountDto(user: UserAccountEntity, grants: RoleGrantEntity[]): AccountDto {
  return {
    id: user.id,
    email: user.email,
    personId: user.personId,
    active: user.active,
    signInHeldUntil:
      user.lockedUntil && user.lockedUntil.getTime() > Date.now()
        ? user.lockedUntil.toISOString()
        : null,
    failedLogins: user.failedLogins,
    grants: grants
      .filter((g) => !g.revokedAt)
      .map((g) => ({ id: g.id, role: g.role, orgUnitId: g.orgUnitId })),
  };
}
