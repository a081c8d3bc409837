import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { DEMO_PASSWORD } from '../seed/demo-data';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Actor, ActorGrant } from './actor';
import { ActorCache } from './actor-cache';
import { AuthSessionEntity } from './auth-session.entity';
import { TokensDto } from './dto/auth.dto';
import { PasswordService } from './password.service';
import { RefreshTokenEntity } from './refresh-token.entity';
import { Role } from './roles';
import { UserAccountEntity } from './user-account.entity';

interface AccessClaims {
  sub: string;
  sid: string;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

@Injectable()
export class AuthService {
  /** Live actors by session for a few seconds; see ActorCache for what is forgotten when. */
  private readonly actors: ActorCache;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly passwords: PasswordService,
  ) {
    this.actors = new ActorCache(config.authActorCacheMs);
  }

  async login(emailInput: string, password: string, client: ClientInfo): Promise<TokensDto> {
    const email = emailInput.trim().toLowerCase();

    const users = this.dataSource.getRepository(UserAccountEntity);
    const user = await users.findOneBy({ email });
    if (!user) {
      await this.passwords.burn(password);
      throw new DomainError('AUTH_INVALID_CREDENTIALS');
    }
    if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
      throw new DomainError('AUTH_ACCOUNT_LOCKED', { minutes: this.minutesLeft(user.lockedUntil) });
    }
    if (!(await this.passwords.verify(user.passwordHash, password))) {
      const lockedUntil = await this.recordFailure(user.id);
      if (lockedUntil) {
        throw new DomainError('AUTH_ACCOUNT_LOCKED', { minutes: this.minutesLeft(lockedUntil) });
      }
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
      return this.issueTokens(em, user.id, session.id);
    });
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

  /** Roles of the user changed in this process: their sessions' next requests reload them. */
  forgetUser(userId: string): void {
    this.actors.forgetUser(userId);
  }

  /** Resolves a bearer token into an actor, or undefined when it is not (or no longer) valid. */
  async authenticate(accessToken: string): Promise<Actor | undefined> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(accessToken, { algorithms: ['HS256'] });
    } catch {
      return undefined;
    }
    // A signed token still names rows only by uuid; anything else would reach SQL as a bad cast.
    if (!isUUID(claims.sub) || !isUUID(claims.sid)) return undefined;
    return this.actors.get(claims.sub, claims.sid, () => this.loadActor(claims.sub, claims.sid));
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
    }[] = await this.dataSource.query(
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

  /** Counts a wrong password in one statement; the Nth failure locks and restarts the count. */
  private async recordFailure(userId: string): Promise<Date | null> {
    // TypeORM answers an UPDATE with [rows, affected], not with the rows alone.
    const [rows]: [{ locked_until: Date | null }[], number] = await this.dataSource.query(
      `UPDATE user_accounts
          SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
              locked_until = CASE WHEN failed_logins + 1 >= $2
                                  THEN now() + make_interval(mins => $3) ELSE locked_until END
        WHERE id = $1
        RETURNING CASE WHEN locked_until > now() THEN locked_until END AS locked_until`,
      [userId, this.config.loginMaxFailures, this.config.loginLockMinutes],
    );
    return rows[0]?.locked_until ?? null;
  }

  private minutesLeft(until: Date): number {
    return Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  }
}
