import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { detail, DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { NotificationsService } from '../notifications/notifications.service';
import { issueLinks, LINK_TOKEN_FORMAT, LinkPurpose, sha256 } from './account-links';
import { Actor } from './actor';
import { AuthService } from './auth.service';
import { assertPasswordPolicy, passwordProblems } from './password-policy';
import { PasswordService } from './password.service';

interface TokenRow {
  id: string;
  user_id: string;
  purpose: LinkPurpose;
  expires_at: Date;
  used_at: Date | null;
  superseded_at: Date | null;
  email: string;
  active: boolean;
  home_org_unit_id: string;
}

/**
 * Passwords chosen by their owners: through an invitation or reset link, after a forgotten
 * password, or a change while signed in. Every new password meets the policy
 * (password-policy.ts); a change ends the account's other sessions.
 */
@Injectable()
export class AccountCredentialsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly passwords: PasswordService,
    private readonly auth: AuthService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * What a link names, checked as the page that opens it needs: the purpose and the e-mail of
   * a live link, or the stable refusal (invalid, used or superseded, expired).
   */
  async inspectLink(token: string): Promise<{ purpose: LinkPurpose; email: string }> {
    const row = await this.liveLink(this.dataSource.manager, token, false);
    return { purpose: row.purpose, email: row.email };
  }

  /**
   * Sets the password of the account a live link names and spends the link. An invited
   * account can sign in from then on; a reset ends every earlier session. The password is
   * judged and hashed before the transaction; the link is checked again under a lock inside it,
   * so two uses of one link cannot both win.
   */
  async setWithLink(token: string, password: string): Promise<void> {
    const first = await this.liveLink(this.dataSource.manager, token, false);
    assertPasswordPolicy(password, first.email);
    const hash = await this.passwords.hash(password);
    const userId = await this.dataSource.transaction(async (em) => {
      const link = await this.liveLink(em, token, true);
      const now = this.clock.now().toISOString();
      await em.query(`UPDATE account_tokens SET used_at = $2 WHERE id = $1`, [link.id, now]);
      // Any other open link of the account is of no use any more.
      await em.query(
        `UPDATE account_tokens SET superseded_at = $2
          WHERE user_id = $1 AND used_at IS NULL AND superseded_at IS NULL`,
        [link.user_id, now],
      );
      await em.query(
        `UPDATE user_accounts
            SET password_hash = $2, failed_logins = 0, locked_until = NULL, updated_at = now()
          WHERE id = $1`,
        [link.user_id, hash],
      );
      const ended = await this.auth.endSessions(em, link.user_id, 'password_reset');
      await this.audit.record(em, null, {
        action: link.purpose === 'invite' ? 'account.password_set' : 'account.password_reset',
        entityType: 'user_account',
        entityId: link.user_id,
        orgUnitId: link.home_org_unit_id,
        before: { email: link.email },
        after: { email: link.email, linkId: link.id, sessionsEnded: ended },
      });
      return link.user_id;
    });
    this.auth.forgetUser(userId);
  }

  /**
   * A forgotten password. The answer never tells whether the e-mail has an account: the caller
   * answers the same whatever this does. An active account with that e-mail gets a reset link
   * (an hour, single use; earlier reset links are superseded) through the outbox.
   */
  async forgot(emailInput: string): Promise<void> {
    const email = emailInput.trim().toLowerCase();
    await this.dataSource.transaction(async (em) => {
      const [user] = await em.query<{ id: string }[]>(
        `SELECT id FROM user_accounts WHERE email = $1 AND active FOR UPDATE`,
        [email],
      );
      if (!user) return;
      const links = await issueLinks(em, 'reset', [user.id], {
        baseUrl: this.config.publicBaseUrl,
        now: this.clock.now(),
        createdBy: null,
      });
      await this.notifications.enqueueAccountLinks(em, 'password_reset', links);
    });
  }

  /**
   * The signed-in owner changes their password: the current one is required, the new one meets
   * the policy and differs from it; every other session of the account ends (the caller's stays),
   * and open reset links are superseded. Audited.
   */
  async changeOwn(actor: Actor, current: string, next: string): Promise<void> {
    const [user] = await this.dataSource.query<
      { password_hash: string | null; home_org_unit_id: string }[]
    >(
      `SELECT u.password_hash, p.home_org_unit_id
         FROM user_accounts u JOIN people p ON p.id = u.person_id WHERE u.id = $1`,
      [actor.userId],
    );
    if (!user?.password_hash || !(await this.passwords.verify(user.password_hash, current))) {
      throw new DomainError('PASSWORD_CURRENT_WRONG', {}, [
        detail(
          'currentPassword',
          'Mật khẩu hiện tại không đúng.',
          'The current password is wrong.',
        ),
      ]);
    }
    const problems = passwordProblems(next, actor.email, 'newPassword');
    if (next === current) {
      problems.push(
        detail(
          'newPassword',
          'Mật khẩu mới phải khác mật khẩu hiện tại.',
          'The new password must differ from the current one.',
        ),
      );
    }
    if (problems.length > 0) throw new DomainError('PASSWORD_POLICY', {}, problems);
    const hash = await this.passwords.hash(next);
    await this.dataSource.transaction(async (em) => {
      await em.query(
        `UPDATE user_accounts SET password_hash = $2, updated_at = now() WHERE id = $1`,
        [actor.userId, hash],
      );
      await em.query(
        `UPDATE account_tokens SET superseded_at = $2
          WHERE user_id = $1 AND used_at IS NULL AND superseded_at IS NULL`,
        [actor.userId, this.clock.now().toISOString()],
      );
      const ended = await this.auth.endSessions(
        em,
        actor.userId,
        'password_changed',
        actor.sessionId,
      );
      await this.audit.record(em, actor, {
        action: 'account.password_change',
        entityType: 'user_account',
        entityId: actor.userId,
        orgUnitId: user.home_org_unit_id,
        before: { email: actor.email },
        after: { email: actor.email, sessionsEnded: ended },
      });
    });
    this.auth.forgetUser(actor.userId);
  }

  /** The link a token names if it can still be used, else the refusal that says why not. */
  private async liveLink(
    em: DataSource['manager'],
    token: string,
    lock: boolean,
  ): Promise<TokenRow> {
    if (!LINK_TOKEN_FORMAT.test(token)) throw new DomainError('PASSWORD_TOKEN_INVALID');
    const [row] = await em.query<TokenRow[]>(
      `SELECT t.id, t.user_id, t.purpose, t.expires_at, t.used_at, t.superseded_at,
              u.email, u.active, p.home_org_unit_id
         FROM account_tokens t
         JOIN user_accounts u ON u.id = t.user_id
         JOIN people p ON p.id = u.person_id
        WHERE t.token_hash = $1
        ${lock ? 'FOR UPDATE OF t, u' : ''}`,
      [sha256(token)],
    );
    if (!row) throw new DomainError('PASSWORD_TOKEN_INVALID');
    if (row.used_at || row.superseded_at) throw new DomainError('PASSWORD_TOKEN_USED');
    if (new Date(row.expires_at).getTime() <= this.clock.now().getTime()) {
      throw new DomainError('PASSWORD_TOKEN_EXPIRED');
    }
    if (!row.active) throw new DomainError('AUTH_ACCOUNT_DISABLED');
    return row;
  }
}
