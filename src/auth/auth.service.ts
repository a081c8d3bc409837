import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { prepared } from '../common/sql/prepared';
import { DEMO_PASSWORD } from '../seed/demo-data';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Actor, ActorGrant } from './actor';
import { ActorCache } from './actor-cache';
import { AuthSessionEntity } from './auth-session.entity';
import { TokensDto } from './dto/auth.dto';
import { NotificationsService } from '../notifications/notifications.service';
import { PasswordService } from './password.service';
import { RefreshTokenEntity } from './refresh-token.entity';
import { Role } from './roles';
import { UserAccountEntity } from './user-account.entity';

interface AccessClaims {
  sub: string;
  sid: string;
  /** Only the portal's session cookie has an audience; a bearer token with one is refused. */
  aud?: unknown;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

@Injectable()
export class AuthService {
  /** Live actors by session; see ActorCache for how long, and what is forgotten when. */
  private readonly actors: ActorCache;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly passwords: PasswordService,
    private readonly notifications: NotificationsService,
  ) {
    this.actors = new ActorCache(
      config.authActorCacheMs,
      50_000,
      Date.now,
      config.authActorCacheListenMs,
    );
  }

  /**
   * Signs in (docs/domain.md, "Signing in"). Unknown e-mail, wrong password and a held account
   * get one answer, 401 AUTH_INVALID_CREDENTIALS, after the same work: exactly one argon2 check.
   * Wrong passwords in a row put the account on hold for a time that doubles from the
   * LOGIN_MAX_FAILURES-th (1, 2, 4 … minutes, at most LOGIN_LOCK_MINUTES), and the owner is told
   * when a hold starts. During a hold only the right password from a known device (its
   * deviceToken) passes — so a stranger's guesses cannot lock the owner out — and an
   * administrator can lift it. Attempts during a hold do not lengthen it.
   */
  async login(
    emailInput: string,
    password: string,
    client: ClientInfo,
    deviceToken?: string,
  ): Promise<TokensDto> {
    const email = emailInput.trim().toLowerCase();

    const users = this.dataSource.getRepository(UserAccountEntity);
    const user = await users.findOneBy({ email });
    // An invited account has no password yet: it answers like an unknown e-mail.
    if (!user?.passwordHash) {
      await this.passwords.burn(password);
      throw new DomainError('AUTH_INVALID_CREDENTIALS');
    }
    const right = await this.passwords.verify(user.passwordHash, password);
    const held = user.lockedUntil !== null && user.lockedUntil.getTime() > Date.now();
    const device = deviceToken ? await this.knownDevice(user.id, deviceToken) : null;
    if (held && !(right && device)) throw new DomainError('AUTH_INVALID_CREDENTIALS');
    if (!right) {
      await this.recordFailure(user.id, client);
      throw new DomainError('AUTH_INVALID_CREDENTIALS');
    }
    if (!user.active) throw new DomainError('AUTH_ACCOUNT_DISABLED');
    // The hash has just verified this password: if it is the demo one, the account is a demo
    // account (or copied its password) and production refuses it — no extra hashing needed.
    if (this.config.env === 'production' && password === DEMO_PASSWORD) {
      throw new DomainError('DEMO_PASSWORD_REFUSED');
    }

    return this.dataSource.transaction(async (em) => {
      await em.update(
        UserAccountEntity,
        { id: user.id },
        { failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() },
      );
      const session = await em.save(
        em.create(AuthSessionEntity, {
          userId: user.id,
          ip: client.ip?.slice(0, 64) ?? null,
          userAgent: client.userAgent?.slice(0, 300) ?? null,
        }),
      );
      const tokens = await this.issueTokens(em, user.id, session.id);
      return { ...tokens, deviceToken: await this.rememberDevice(em, user.id, device) };
    });
  }

  /** Lifts a hold on signing in (an administrator's act, audited by the caller). */
  async liftHold(em: EntityManager, userId: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await em.query(
      `UPDATE user_accounts SET failed_logins = 0, locked_until = NULL
        WHERE id = $1 AND (failed_logins > 0 OR locked_until IS NOT NULL)`,
      [userId],
    );
    return affected > 0;
  }

  /**
   * Rotates a refresh token. A token that was already used means someone else holds a copy:
   * the whole session is revoked, for the thief and the owner alike.
   */
  async refresh(refreshToken: string): Promise<TokensDto> {
    const outcome = await this.dataSource.transaction(async (em) => {
      const token = await em
        .createQueryBuilder(RefreshTokenEntity, 't')
        .setLock('pessimistic_write')
        .where('t.token_hash = :hash', { hash: sha256(refreshToken) })
        .getOne();
      if (!token) return { error: 'AUTH_REFRESH_INVALID' as const };
      const session = await em.findOneBy(AuthSessionEntity, { id: token.sessionId });
      if (!session || session.revokedAt) return { error: 'AUTH_REFRESH_INVALID' as const };
      if (token.usedAt) {
        await em.update(
          AuthSessionEntity,
          { id: session.id },
          { revokedAt: new Date(), revokedReason: 'reuse' },
        );
        return { error: 'AUTH_REFRESH_REUSED' as const, sessionId: session.id };
      }
      if (token.expiresAt.getTime() <= Date.now())
        return { error: 'AUTH_REFRESH_INVALID' as const };
      const user = await em.findOneBy(UserAccountEntity, { id: token.userId });
      if (!user?.active) return { error: 'AUTH_REFRESH_INVALID' as const };
      await em.update(RefreshTokenEntity, { id: token.id }, { usedAt: new Date() });
      return { tokens: await this.issueTokens(em, token.userId, token.sessionId) };
    });
    // The revocation above must commit, so the refusal is thrown only after the transaction;
    // and only then is the session's actor forgotten, or a request in between could reload it.
    if ('error' in outcome && outcome.error) {
      if (outcome.error === 'AUTH_REFRESH_REUSED' && outcome.sessionId) {
        this.actors.forgetSession(outcome.sessionId);
      }
      throw new DomainError(outcome.error);
    }
    return outcome.tokens;
  }

  async logout(actor: Actor): Promise<void> {
    await this.dataSource.query(
      `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'logout'
        WHERE id = $1 AND revoked_at IS NULL`,
      [actor.sessionId],
    );
    this.actors.forgetSession(actor.sessionId);
  }

  /**
   * Ends every live session of an account but `keep` (the caller's own, on a change of password):
   * their refresh tokens are refused from now on (a refresh needs a live session) and their
   * access tokens at the next request once the caller forgets the user's actors after commit
   * (forgetUser) — on other replicas when the database's notice reaches them (ActorChangeListener),
   * or within AUTH_ACTOR_CACHE_MS where there is none.
   */
  async endSessions(
    em: EntityManager,
    userId: string,
    reason: 'deactivated' | 'password_changed' | 'password_reset',
    keep: string | null = null,
  ): Promise<number> {
    const [, ended]: [unknown, number] = await em.query(
      `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2
        WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)`,
      [userId, reason, keep],
    );
    return ended;
  }

  /** Roles of the user changed in this process: their sessions' next requests reload them. */
  forgetUser(userId: string): void {
    this.actors.forgetUser(userId);
  }

  /** A notice of the database that an actor changed (ActorChangeListener). */
  applyActorNotice(notice: string): void {
    this.actors.applyNotice(notice);
  }

  /** Whether the database's notices are heard: actors are then kept longer. */
  setActorListening(on: boolean): void {
    this.actors.setListening(on);
  }

  /** Resolves a bearer token into an actor, or undefined when it is not (or no longer) valid. */
  async authenticate(accessToken: string): Promise<Actor | undefined> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(accessToken, { algorithms: ['HS256'] });
    } catch {
      return undefined;
    }
    if (claims.aud !== undefined) return undefined;
    return this.actorOfSession(claims.sub, claims.sid);
  }

  /** The actor of a live session of a user (a bearer token's or the portal cookie's). */
  async actorOfSession(userId: unknown, sessionId: unknown): Promise<Actor | undefined> {
    // A signed token still names rows only by uuid; anything else would reach SQL as a bad cast.
    if (typeof userId !== 'string' || typeof sessionId !== 'string') return undefined;
    if (!isUUID(userId) || !isUUID(sessionId)) return undefined;
    return this.actors.get(userId, sessionId, () => this.loadActor(userId, sessionId));
  }

  /**
   * One query: the account, its live session and every grant with the current path of its
   * unit (paths change when units move, so they are never baked into tokens). Everyone with an
   * account is a learner at their home unit.
   */
  private async loadActor(userId: string, sessionId: string): Promise<Actor | undefined> {
    const rows: {
      email: string;
      person_id: string;
      role: Role | null;
      org_unit_id: string | null;
      path: string | null;
    }[] = await prepared(
      this.dataSource,
      `SELECT u.email, u.person_id, g.role, g.org_unit_id, g.path
         FROM user_accounts u
         JOIN auth_sessions s ON s.user_id = u.id AND s.id = $2 AND s.revoked_at IS NULL
         JOIN people p ON p.id = u.person_id
         LEFT JOIN LATERAL (
           SELECT rg.role::text AS role, rg.org_unit_id, o.path
             FROM role_grants rg JOIN org_units o ON o.id = rg.org_unit_id
            WHERE rg.user_id = u.id AND rg.revoked_at IS NULL
           UNION ALL
           SELECT 'learner', h.id, h.path FROM org_units h WHERE h.id = p.home_org_unit_id
         ) g ON TRUE
        WHERE u.id = $1 AND u.active`,
      [userId, sessionId],
    );
    const first = rows[0];
    if (!first) return undefined;
    const grants: ActorGrant[] = rows
      .filter((r) => r.role && r.org_unit_id && r.path)
      .map((r) => ({ role: r.role!, orgUnitId: r.org_unit_id!, path: r.path! }));
    return new Actor(userId, first.person_id, first.email, sessionId, grants);
  }

  private async issueTokens(
    em: EntityManager,
    userId: string,
    sessionId: string,
  ): Promise<TokensDto> {
    const refreshToken = randomBytes(32).toString('base64url');
    await em.insert(RefreshTokenEntity, {
      tokenHash: sha256(refreshToken),
      sessionId,
      userId,
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlDays * 86_400_000),
    });
    const accessToken = await this.jwt.signAsync(
      { sub: userId, sid: sessionId } satisfies AccessClaims,
      { expiresIn: this.config.accessTokenTtlSeconds, algorithm: 'HS256' },
    );
    return {
      accessToken,
      refreshToken,
      expiresIn: this.config.accessTokenTtlSeconds,
      tokenType: 'Bearer',
    };
  }

  /**
   * Counts a wrong password in one statement; from the LOGIN_MAX_FAILURES-th in a row, each
   * starts a hold of 2^(n − max) minutes (at most LOGIN_LOCK_MINUTES) and tells the owner.
   */
  private async recordFailure(userId: string, client: ClientInfo): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      // TypeORM answers an UPDATE with [rows, affected], not with the rows alone.
      const [rows]: [{ failed_logins: number; locked_until: Date | null }[], number] =
        await em.query(
          `UPDATE user_accounts
              SET failed_logins = failed_logins + 1,
                  locked_until = CASE WHEN failed_logins + 1 >= $2
                    THEN now() + make_interval(
                           mins => LEAST($3, power(2, LEAST(failed_logins + 1 - $2, 20)))::int)
                    ELSE locked_until END
            WHERE id = $1
            RETURNING failed_logins, locked_until`,
          [userId, this.config.loginMaxFailures, this.config.loginLockMinutes],
        );
      const row = rows[0];
      if (!row?.locked_until || row.failed_logins < this.config.loginMaxFailures) return;
      await this.notifications.enqueueAccountLocked(em, userId, {
        at: new Date().toISOString(),
        until: row.locked_until.toISOString(),
        failures: row.failed_logins,
        ip: client.ip?.slice(0, 64) ?? null,
      });
    });
  }

  /** The known device of this account that `token` names, if any. */
  private async knownDevice(userId: string, token: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM known_devices WHERE token_hash = $1 AND user_id = $2`,
      [sha256(token), userId],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * The device token a sign-in answers: a fresh one each time (the one sent is retired), so a
   * token copied from a device stops working once the device signs in again. Only its hash is
   * kept; an account keeps its 20 most recently used devices.
   */
  private async rememberDevice(
    em: EntityManager,
    userId: string,
    previous: string | null,
  ): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    if (previous) {
      await em.query(
        `UPDATE known_devices SET token_hash = $2, last_used_at = now() WHERE id = $1`,
        [previous, sha256(token)],
      );
    } else {
      await em.query(`INSERT INTO known_devices (user_id, token_hash) VALUES ($1, $2)`, [
        userId,
        sha256(token),
      ]);
      await em.query(
        `DELETE FROM known_devices WHERE user_id = $1 AND id NOT IN (
           SELECT id FROM known_devices WHERE user_id = $1 ORDER BY last_used_at DESC LIMIT 20)`,
        [userId],
      );
    }
    return token;
  }
}
