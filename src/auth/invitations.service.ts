import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { detail, DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { NotificationsService } from '../notifications/notifications.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import { PeopleService } from '../people/people.service';
import { issueLinks } from './account-links';
import { Actor, scopeConditionRaw } from './actor';
import { BulkInvitationDto, BulkInvitationResultDto, InvitationDto } from './dto/account-admin.dto';
import { InvitationResultDto } from './dto/account-admin.dto';
import { RoleGrantDto } from './dto/account.dto';

interface CountsRow {
  invited: number;
  skipped_no_email: number;
  already_have_account: number;
  skipped_email_taken: number;
}

/**
 * Invitations: an account without a usable password and a one-time link (7 days) to set one,
 * sent through the outbox. For one person, or for every holder of a post in a subtree at once.
 */
@Injectable()
export class InvitationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly people: PeopleService,
    private readonly orgUnits: OrgUnitsService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Invites a person in scope. A person without an account gets one (the e-mail given, else the
   * person's own) with the roles asked for, each over a unit in scope; a person whose account
   * still waits for its password is invited again, the older link superseded. An account that
   * has a password already, or is deactivated, is refused. One transaction, audited.
   */
  async invite(actor: Actor, dto: InvitationDto): Promise<InvitationResultDto> {
    const person = await this.people.findInScope(actor, dto.personId, 'accounts:manage');
    return this.dataSource.transaction(async (em) => {
      const [existing] = await em.query<
        { id: string; email: string; has_password: boolean; active: boolean }[]
      >(
        `SELECT id, email, password_hash IS NOT NULL AS has_password, active
           FROM user_accounts WHERE person_id = $1 FOR UPDATE`,
        [person.id],
      );
      if (existing?.has_password) throw new DomainError('ACCOUNT_ALREADY_EXISTS');
      if (existing && !existing.active) throw new DomainError('ACCOUNT_INACTIVE');
      const email = (dto.email ?? existing?.email ?? person.email ?? '').trim().toLowerCase();
      if (!email) {
        throw new DomainError('ACCOUNT_PERSON_NO_EMAIL', {}, [
          detail('email', 'Cần nhập email cho tài khoản.', 'An e-mail is needed for the account.'),
        ]);
      }
      const [taken] = await em.query<{ id: string }[]>(
        `SELECT id FROM user_accounts WHERE email = $1 AND id IS DISTINCT FROM $2::uuid`,
        [email, existing?.id ?? null],
      );
      if (taken) {
        throw new DomainError('ACCOUNT_EMAIL_TAKEN', { email }, [
          { field: 'email', message: email },
        ]);
      }
      let userId: string;
      if (existing) {
        userId = existing.id;
        if (existing.email !== email) {
          await em.query(`UPDATE user_accounts SET email = $2, updated_at = now() WHERE id = $1`, [
            userId,
            email,
          ]);
        }
      } else {
        const [created] = await em.query<{ id: string }[]>(
          `INSERT INTO user_accounts (email, password_hash, person_id) VALUES ($1, NULL, $2)
           RETURNING id`,
          [email, person.id],
        );
        userId = created.id;
      }
      const grants = await this.grantRoles(em, actor, userId, email, dto.roles ?? []);
      const links = await issueLinks(em, 'invite', [userId], {
        baseUrl: this.config.publicBaseUrl,
        now: this.clock.now(),
        createdBy: actor.userId,
      });
      await this.notifications.enqueueAccountLinks(em, 'account_invited', links);
      await this.audit.record(em, actor, {
        action: existing ? 'account.reinvite' : 'account.invite',
        entityType: 'user_account',
        entityId: userId,
        orgUnitId: person.homeOrgUnitId,
        before: existing ? { email: existing.email, status: 'invited' } : null,
        after: { email, personId: person.id, status: 'invited', expiresAt: links[0].expiresAt },
      });
      return { id: userId, email, personId: person.id, expiresAt: links[0].expiresAt, grants };
    });
  }

  /**
   * Every person in scope who currently holds a post of the type in the unit's subtree, has an
   * e-mail and no account, is invited: set-based, in one transaction — one INSERT … SELECT of
   * the accounts, one batch of links, one INSERT of the messages, one of the audit entries.
   * A dry run only counts. People whose e-mail is another account's (or another candidate's)
   * are skipped and counted.
   */
  async bulkInvite(actor: Actor, dto: BulkInvitationDto): Promise<BulkInvitationResultDto> {
    const unit = await this.orgUnits.findInScope(actor, dto.orgUnitId, 'accounts:manage');
    const scope = scopeConditionRaw('ho.path', actor.scopePaths('accounts:manage'), 3);
    const params: unknown[] = [`${unit.path}%`, dto.postType ?? 'chair', ...scope.params];
    // The holders, one row per person, with what decides their fate. An e-mail another account
    // or an earlier candidate (by id) already uses cannot be given twice.
    const candidates = `
      WITH holders AS (
        SELECT DISTINCT pe.id AS person_id, lower(btrim(pe.email)) AS email, pe.home_org_unit_id
          FROM appointments a
          JOIN posts po ON po.id = a.post_id
          JOIN org_units pu ON pu.id = po.org_unit_id
          JOIN people pe ON pe.id = a.person_id
          JOIN org_units ho ON ho.id = pe.home_org_unit_id
         WHERE a.status = 'active' AND po.post_type = $2::post_type AND pu.path LIKE $1
           AND pe.status = 'active' AND ${scope.sql}),
      flagged AS (
        SELECT h.*,
               EXISTS (SELECT 1 FROM user_accounts ua WHERE ua.person_id = h.person_id) AS has_account,
               (h.email IS NULL OR h.email = '') AS no_email,
               EXISTS (SELECT 1 FROM user_accounts ua WHERE ua.email = h.email) AS email_used
          FROM holders h),
      judged AS (
        -- Among holders without an account who share an e-mail, the first by id gets it: a
        -- window over the set, not a lookup per holder (150,000 chairs of a country).
        SELECT f.*,
               email_used OR (NOT has_account AND row_number() OVER (
                 PARTITION BY f.email, f.has_account ORDER BY f.person_id) > 1) AS email_taken
          FROM flagged f)`;
    const [counts] = await this.dataSource.query<CountsRow[]>(
      `${candidates}
       SELECT count(*) FILTER (WHERE has_account)::int AS already_have_account,
              count(*) FILTER (WHERE NOT has_account AND no_email)::int AS skipped_no_email,
              count(*) FILTER (WHERE NOT has_account AND NOT no_email AND email_taken)::int
                AS skipped_email_taken,
              count(*) FILTER (WHERE NOT has_account AND NOT no_email AND NOT email_taken)::int
                AS invited
         FROM judged`,
      params,
    );
    const answer = (invited: number): BulkInvitationResultDto => ({
      dryRun: dto.dryRun ?? false,
      invited,
      skippedNoEmail: counts.skipped_no_email,
      skippedEmailTaken: counts.skipped_email_taken,
      alreadyHaveAccount: counts.already_have_account,
    });
    if (dto.dryRun || counts.invited === 0) return answer(counts.invited);
    return this.dataSource.transaction(async (em) => {
      // ON CONFLICT: a person or an e-mail that got an account since the count is skipped.
      const created = await em.query<{ id: string }[]>(
        `${candidates}
         INSERT INTO user_accounts (email, password_hash, person_id)
         SELECT email, NULL, person_id FROM judged
          WHERE NOT has_account AND NOT no_email AND NOT email_taken
          ORDER BY person_id
         ON CONFLICT DO NOTHING
         RETURNING id`,
        params,
      );
      const ids = created.map((r) => r.id);
      const links = await issueLinks(em, 'invite', ids, {
        baseUrl: this.config.publicBaseUrl,
        now: this.clock.now(),
        createdBy: actor.userId,
      });
      await this.notifications.enqueueAccountLinks(em, 'account_invited', links);
      await this.audit.recordSet(em, actor, {
        action: 'account.invite',
        entityType: 'user_account',
        rows: `SELECT ua.id AS entity_id, pe.home_org_unit_id AS org_unit_id, NULL::jsonb AS before,
                      jsonb_build_object('email', ua.email, 'personId', ua.person_id,
                        'status', 'invited', 'expiresAt', $2::text, 'bulk', true) AS after
                 FROM user_accounts ua JOIN people pe ON pe.id = ua.person_id
                WHERE ua.id = ANY($1::uuid[])`,
        params: [ids, links[0]?.expiresAt ?? null],
      });
      return answer(ids.length);
    });
  }

  /** The roles an invitation asks for, each over a unit in the caller's scope; audited. */
  private async grantRoles(
    em: EntityManager,
    actor: Actor,
    userId: string,
    email: string,
    roles: { role: string; orgUnitId: string }[],
  ): Promise<RoleGrantDto[]> {
    for (const r of roles) {
      await this.orgUnits.findInScope(actor, r.orgUnitId, 'accounts:manage', em);
      const [inserted] = await em.query<{ id: string }[]>(
        `INSERT INTO role_grants (user_id, role, org_unit_id, granted_by)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, role, org_unit_id) WHERE revoked_at IS NULL DO NOTHING
         RETURNING id`,
        [userId, r.role, r.orgUnitId, actor.userId],
      );
      if (inserted) {
        await this.audit.record(em, actor, {
          action: 'role_grant.grant',
          entityType: 'role_grant',
          entityId: inserted.id,
          orgUnitId: r.orgUnitId,
          before: null,
          after: { id: inserted.id, userId, email, role: r.role, orgUnitId: r.orgUnitId },
        });
      }
    }
    return em.query<RoleGrantDto[]>(
      `SELECT id, role::text AS role, org_unit_id AS "orgUnitId" FROM role_grants
        WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at, id`,
      [userId],
    );
  }
}
