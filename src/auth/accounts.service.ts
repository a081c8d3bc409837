import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { scopeConditionRaw } from './actor';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { OrgUnitsService } from '../org-units/org-units.service';
import { PeopleService } from '../people/people.service';
import { Actor } from './actor';
import { AuthService } from './auth.service';
import { AccountDto, CreateAccountDto, GrantRoleDto, MeDto } from './dto/account.dto';
import { AccountStatus, ListAccountsQueryDto } from './dto/account-admin.dto';
import { assertPasswordPolicy } from './password-policy';
import { escapeLike, foldForSearch } from '../common/text/vietnamese';
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
    assertPasswordPolicy(dto.password, email);
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
      return {
        ...account,
        status: 'active' as const,
        lastSignInAt: null,
        signInHeldUntil: null,
        failedLogins: 0,
        grants: [],
      };
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
   * paged, each with its current role grants (the admin portal's list). Filters: a name or an
   * e-mail (diacritics optional), a live role, a status, the last sign-in's day (Vietnam time).
   */
  async list(actor: Actor, query: ListAccountsQueryDto): Promise<Page<AccountDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['text', 'uuid']);
    const scope = scopeConditionRaw('o.path', actor.scopePaths('accounts:manage'), 1);
    const params: unknown[] = [...scope.params];
    const where = [scope.sql];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.q) {
      const folded = `%${escapeLike(foldForSearch(query.q))}%`;
      const raw = `%${escapeLike(query.q.trim().toLowerCase())}%`;
      where.push(`(p.search_name LIKE ${param(folded)} ESCAPE '\\'
                   OR u.email LIKE ${param(raw)} ESCAPE '\\')`);
    }
    if (query.role) {
      where.push(
        query.role === 'learner'
          ? 'TRUE' // everyone with an account is a learner at their home unit
          : `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id
                      AND g.role = ${param(query.role)}::user_role AND g.revoked_at IS NULL)`,
      );
    }
    if (query.status) where.push(STATUS_SQL[query.status]);
    if (query.lastSignInAfter) {
      where.push(`u.last_login_at >= ${param(vnDayStart(query.lastSignInAfter))}::timestamptz`);
    }
    if (query.lastSignInBefore) {
      where.push(`u.last_login_at < ${param(vnDayStart(query.lastSignInBefore))}::timestamptz`);
    }
    if (cursor) {
      where.push(`(u.email, u.id) > (${param(cursor[0])}::text, ${param(cursor[1])}::uuid)`);
    }
    const ids = await this.dataSource.query<{ id: string; email: string }[]>(
      `SELECT u.id, u.email FROM user_accounts u
         JOIN people p ON p.id = u.person_id
         JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE ${where.join(' AND ')}
        ORDER BY u.email, u.id
        LIMIT ${param(limit + 1)}`,
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

  /**
   * Deactivates an account in scope: it can no longer sign in nor ask for a reset link, and
   * every session ends at once (refresh tokens refused, access tokens at their next request).
   * Deactivating an inactive account changes and records nothing; an administrator cannot
   * deactivate themself. Audited with the reason at the person's home unit.
   */
  async deactivate(actor: Actor, userId: string, reason: string): Promise<AccountDto> {
    const user = await this.findInScope(actor, userId);
    if (user.id === actor.userId) throw new DomainError('ACCOUNT_CANNOT_DEACTIVATE_SELF');
    const result = await this.dataSource.transaction(async (em) => {
      const [, changed]: [unknown, number] = await em.query(
        `UPDATE user_accounts SET active = false, deactivated_at = now(), updated_at = now()
          WHERE id = $1 AND active`,
        [user.id],
      );
      if (changed > 0) {
        const ended = await this.auth.endSessions(em, user.id, 'deactivated');
        await em.query(
          `UPDATE account_tokens SET superseded_at = now()
            WHERE user_id = $1 AND used_at IS NULL AND superseded_at IS NULL`,
          [user.id],
        );
        await this.audit.record(em, actor, {
          action: 'account.deactivate',
          entityType: 'user_account',
          entityId: user.id,
          orgUnitId: await this.homeUnitOf(em, user.personId),
          before: { email: user.email, active: true },
          after: { email: user.email, active: false, reason, sessionsEnded: ended },
        });
      }
      return this.describe(await em.findOneByOrFail(UserAccountEntity, { id: user.id }), em);
    });
    this.auth.forgetUser(user.id);
    return result;
  }

  /**
   * Reactivates a deactivated account: it can sign in again with its password (sessions ended
   * by the deactivation stay ended). Reactivating an active account changes and records nothing.
   */
  async reactivate(actor: Actor, userId: string): Promise<AccountDto> {
    const user = await this.findInScope(actor, userId);
    return this.dataSource.transaction(async (em) => {
      const [, changed]: [unknown, number] = await em.query(
        `UPDATE user_accounts SET active = true, deactivated_at = NULL, updated_at = now()
          WHERE id = $1 AND NOT active`,
        [user.id],
      );
      if (changed > 0) {
        await this.audit.record(em, actor, {
          action: 'account.reactivate',
          entityType: 'user_account',
          entityId: user.id,
          orgUnitId: await this.homeUnitOf(em, user.personId),
          before: { email: user.email, active: false },
          after: { email: user.email, active: true },
        });
      }
      return this.describe(await em.findOneByOrFail(UserAccountEntity, { id: user.id }), em);
    });
  }

  private async homeUnitOf(em: EntityManager, personId: string): Promise<string> {
    const [home] = await em.query<{ home_org_unit_id: string }[]>(
      `SELECT home_org_unit_id FROM people WHERE id = $1`,
      [personId],
    );
    return home.home_org_unit_id;
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

/** Each status as SQL over user_accounts u; the order of precedence is accountStatus's. */
const STATUS_SQL: Record<AccountStatus, string> = {
  inactive: 'NOT u.active',
  invited: 'u.active AND u.password_hash IS NULL',
  locked: 'u.active AND u.password_hash IS NOT NULL AND u.locked_until > now()',
  active:
    'u.active AND u.password_hash IS NOT NULL AND (u.locked_until IS NULL OR u.locked_until <= now())',
};

function accountStatus(user: UserAccountEntity, held: boolean): AccountStatus {
  if (!user.active) return 'inactive';
  if (!user.passwordHash) return 'invited';
  return held ? 'locked' : 'active';
}

/** The instant a Vietnamese calendar day starts (UTC+7, no daylight saving). */
function vnDayStart(day: string): string {
  return `${day}T00:00:00+07:00`;
}

/** An account as the API shows it: never its hash; its live grants only, oldest first. */
function accountDto(user: UserAccountEntity, grants: RoleGrantEntity[]): AccountDto {
  const held = user.lockedUntil !== null && user.lockedUntil.getTime() > Date.now();
  return {
    id: user.id,
    email: user.email,
    personId: user.personId,
    active: user.active,
    status: accountStatus(user, held),
    lastSignInAt: user.lastLoginAt ? user.lastLoginAt.toISOString() : null,
    signInHeldUntil: held ? user.lockedUntil!.toISOString() : null,
    failedLogins: user.failedLogins,
    grants: grants
      .filter((g) => !g.revokedAt)
      .map((g) => ({ id: g.id, role: g.role, orgUnitId: g.orgUnitId })),
  };
}
