import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AuthService } from './auth.service';

export const ACTOR_CHANNEL = 'actor_changed';
const FIRST_RETRY_MS = 1_000;
const LAST_RETRY_MS = 30_000;
const PING_WAIT_MS = 2_000;

/**
 * Listens on PostgreSQL for the notices the database sends when an actor changes (migration
 * ActorChangeNotices: a session revoked, an account disabled, a grant given or taken, a person's
 * home unit or the tree moved) and makes the actor cache forget what they name — the same for a
 * change by this replica, another one, or SQL. One connection of its own, outside the pool.
 *
 * While it is connected the cache keeps actors longer (AUTH_ACTOR_CACHE_LISTEN_MS); when the
 * connection is lost it falls back to AUTH_ACTOR_CACHE_MS and reconnects (1 s, doubling up to
 * 30 s), forgetting every actor once it hears again, since notices may have been missed.
 * The embedded database has no second connection: there the short TTL holds.
 */
@Injectable()
export class ActorChangeListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ActorChanges');
  private client: Client | undefined;
  private retry: NodeJS.Timeout | undefined;
  private retryMs = FIRST_RETRY_MS;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
  ) {}

  /** Connects before the app serves, so the first requests already have the longer TTL. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.databaseUrl || this.config.authActorCacheMs <= 0) return;
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    this.auth.setActorListening(false);
    await client?.end().catch(() => undefined);
  }

  /** Whether notices are being heard now. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.config.databaseUrl,
      keepAlive: true,
      application_name: 'cadre-lms actor notices',
    });
    let lost = false;
    const onLost = (reason: unknown) => {
      if (lost) return;
      lost = true;
      this.lost(client, reason);
    };
    client.on('error', onLost);
    client.on('end', () => onLost('connection ended'));
    // Its own notice, sent once listening: heard back, notices are delivered on this connection
    // (a pooling proxy in transaction mode, say, would take LISTEN and deliver nothing).
    const ping = `ping:${randomUUID()}`;
    let pinged: (heard: boolean) => void = () => undefined;
    const heard = new Promise<boolean>((resolve) => (pinged = resolve));
    client.on('notification', (message) => {
      if (message.channel !== ACTOR_CHANNEL) return;
      const notice = message.payload ?? 'all';
      if (notice === ping) pinged(true);
      else if (!notice.startsWith('ping:')) this.auth.applyActorNotice(notice);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${ACTOR_CHANNEL}`);
      await client.query(`SELECT pg_notify($1, $2)`, [ACTOR_CHANNEL, ping]);
      const timer = setTimeout(() => pinged(false), PING_WAIT_MS);
      const delivered = await heard;
      clearTimeout(timer);
      if (!delivered) throw new Error(`its own notice did not come back in ${PING_WAIT_MS} ms`);
    } catch (error) {
      onLost(error);
      return;
    }
    if (this.stopped || lost) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
    this.auth.setActorListening(true);
  }

  private lost(client: Client, reason: unknown): void {
    void client.end().catch(() => undefined);
    if (this.client !== undefined && this.client !== client) return; // an older connection
    this.client = undefined;
    this.auth.setActorListening(false);
    if (this.stopped || this.retry) return;
    this.logger.warn(
      `not hearing actor changes (${reason instanceof Error ? reason.message : String(reason)}); ` +
        `actors are kept ${this.config.authActorCacheMs} ms until it reconnects`,
    );
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, this.retryMs);
    this.retry.unref();
    this.retryMs = Math.min(LAST_RETRY_MS, this.retryMs * 2);
  }
}
