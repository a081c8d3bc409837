import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { OrgUnitsService } from '../org-units/org-units.service';
import { PeopleService } from '../people/people.service';
import { Actor } from './actor';
import { AuthService } from './auth.service';
import { AccountDto, CreateAccountDto, GrantRoleDto, MeDto } from './dto/account.dto';
import { PasswordService } from './password.service';
import { RoleGrantEntity } from './role-grant.entity';
import { UserAccountEntity } from './user-account.entity';

@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly people: PeopleService,
    private readonly orgUnits: OrgUnitsService,
    private readonly passwords: PasswordService,
    private readonly auth: AuthService,
  ) {}

  async me(actor: Actor): Promise<MeDto> {
    const person = await this.people.profileOf(actor, actor.personId);
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

  async create(actor: Actor, dto: CreateAccountDto): Promise<AccountDto> {
    await this.people.findInScope(actor, dto.personId, 'accounts:manage');
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
      return { id: user.id, email, personId: user.personId, active: user.active, grants: [] };
    });
  }

  async grant(actor: Actor, userId: string, dto: GrantRoleDto): Promise<AccountDto> {
    const user = await this.findInScope(actor, userId);
    await this.orgUnits.findInScope(actor, dto.orgUnitId, 'accounts:manage');
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(RoleGrantEntity)
      .values({
        userId: user.id,
        role: dto.role,
        orgUnitId: dto.orgUnitId,
        grantedBy: actor.userId,
      })
      .orIgnore()
      .execute();
    this.auth.forgetUser(user.id);
    return this.describe(user);
  }

  /** Revoking keeps the grant row with its revocation time. */
  async revoke(actor: Actor, userId: string, grantId: string): Promise<AccountDto> {
    const user = await this.findInScope(actor, userId);
    const grant = await this.dataSource
      .getRepository(RoleGrantEntity)
      .findOneBy({ id: grantId, userId });
    if (!grant) throw new DomainError('NOT_FOUND');
    await this.orgUnits.findInScope(actor, grant.orgUnitId, 'accounts:manage');
    if (!grant.revokedAt) {
      await this.dataSource
        .getRepository(RoleGrantEntity)
        .update({ id: grantId }, { revokedAt: new Date() });
      this.auth.forgetUser(user.id);
    }
    return this.describe(user);
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

  private async describe(user: UserAccountEntity): Promise<AccountDto> {
    const grants = await this.dataSource
      .getRepository(RoleGrantEntity)
      .find({ where: { userId: user.id }, order: { createdAt: 'ASC' } });
    return {
      id: user.id,
      email: user.email,
      personId: user.personId,
      active: user.active,
      grants: grants
        .filter((g) => !g.revokedAt)
        .map((g) => ({ id: g.id, role: g.role, orgUnitId: g.orgUnitId })),
    };
  }
}
