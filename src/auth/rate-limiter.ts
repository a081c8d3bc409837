import { ExecutionContext, Injectable, Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import {
  ThrottlerGuard,
  ThrottlerModule,
  ThrottlerStorage,
  type ThrottlerLimitDetail,
  type ThrottlerOptions,
} from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ACCESS_KEY, AccessRule, PublicRateLimit } from './access.decorators';

const WINDOW_MS = 60_000;
/** One in this many hits also deletes the rows whose window has ended. */
const PRUNE_EVERY = 200;

/**
 * Fixed-window counters in PostgreSQL (PGlite when embedded), so that every replica on the same
 * database counts the same hits: one atomic upsert per hit starts a new window when the old one
 * has ended, else adds one. A key is blocked until its window ends once it passes the limit —
 * the rule the in-process limiter had; blockDuration is therefore the window.
 */
@Injectable()
export class PgThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly dataSource: DataSource) {}

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const [row] = await this.dataSource.query<{ hits: number; seconds_left: number }[]>(
      `WITH hit AS (
         INSERT INTO rate_limit_hits AS h (key, hits, window_ends_at)
         VALUES ($1, 1, clock_timestamp() + make_interval(secs => $2::double precision / 1000))
         ON CONFLICT (key) DO UPDATE
            SET hits = CASE WHEN h.window_ends_at <= clock_timestamp() THEN 1 ELSE h.hits + 1 END,
                window_ends_at = CASE WHEN h.window_ends_at <= clock_timestamp()
                                      THEN EXCLUDED.window_ends_at ELSE h.window_ends_at END
         RETURNING hits, window_ends_at)
       SELECT hits,
              GREATEST(1, CEIL(EXTRACT(EPOCH FROM (window_ends_at - clock_timestamp()))))::int
                AS seconds_left
         FROM hit`,
      [key, ttl],
    );
    if (Math.random() * PRUNE_EVERY < 1) {
      await this.dataSource.query(
        `DELETE FROM rate_limit_hits WHERE window_ends_at < clock_timestamp()`,
      );
    }
    const hits = Number(row.hits);
    const secondsLeft = Number(row.seconds_left);
    const isBlocked = hits > limit;
    return {
      totalHits: hits,
      timeToExpire: secondsLeft,
      isBlocked,
      timeToBlockExpire: isBlocked ? secondsLeft : 0,
    };
  }
}

/**
 * @nestjs/throttler's guard, answering a refusal with the project's error body (429
 * TOO_MANY_REQUESTS and its seconds; the exception filter sets Retry-After from them).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new DomainError('TOO_MANY_REQUESTS', { seconds: Math.max(1, detail.timeToBlockExpire) });
  }
}

/**
 * Which limit counts a route: the one its @Public names; none for a route behind a token (its
 * caller is known, and the token is checked after this guard).
 */
export function rateLimitOf(
  reflector: Reflector,
  context: ExecutionContext,
): PublicRateLimit | undefined {
  const rule = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
    context.getHandler(),
    context.getClass(),
  ]);
  return rule?.kind === 'public' ? rule.rateLimit : undefined;
}

function throttlers(config: AppConfig, reflector: Reflector): ThrottlerOptions[] {
  const only = (limit: PublicRateLimit) => (context: ExecutionContext) =>
    rateLimitOf(reflector, context) !== limit;
  const clientIp = (req: Record<string, unknown>) =>
    typeof req.ip === 'string' ? req.ip : 'unknown';
  return [
    // req.ip is the client only as far as TRUST_PROXY says; see configureApp.
    {
      name: 'login-ip',
      ttl: WINDOW_MS,
      limit: config.loginIpLimitPerMinute,
      skipIf: only('login'),
      getTracker: clientIp,
    },
    {
      // Per account, whatever the address: spreading guesses over many addresses does not
      // multiply them. The lock after LOGIN_MAX_FAILURES wrong passwords still holds too.
      name: 'login-account',
      ttl: WINDOW_MS,
      limit: config.loginIpLimitPerMinute,
      skipIf: only('login'),
      getTracker: (req) => {
        const email = (req.body as { email?: unknown } | undefined)?.email;
        return typeof email === 'string' ? email.trim().toLowerCase() : '';
      },
    },
    {
      // Every other public route (refresh, certificate verification, …), each counted apart.
      name: 'public-ip',
      ttl: WINDOW_MS,
      limit: config.publicLimitPerMinute,
      skipIf: only('public'),
      getTracker: clientIp,
    },
  ];
}

/** The rate limits of the public routes, counted in the database shared by all replicas. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, getDataSourceToken(), Reflector],
      useFactory: (config: AppConfig, dataSource: DataSource, reflector: Reflector) => ({
        throttlers: throttlers(config, reflector),
        storage: new PgThrottlerStorage(dataSource),
        setHeaders: false,
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class RateLimitModule {}
