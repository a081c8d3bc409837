import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { StoredMessage, textsOf } from './email-renderer';
import { DeliveryError, MAIL_TRANSPORT, MailTransport } from './mail-transport';

const OUTBOX_INTERVAL = 'notification-outbox';

interface ClaimedRow extends StoredMessage {
  id: string;
  to_address: string | null;
  body_html: string | null;
  attempts: number;
}

/** A claimed message with the texts it goes out with. */
interface ReadyRow extends ClaimedRow {
  subject: string;
  body_text: string;
}

export interface WorkerRun {
  claimed: number;
  sent: number;
  failed: number;
  dead: number;
  /** Given back untried because the mail server was unavailable (see delivery-failure.ts). */
  deferred: number;
}

/**
 * Sends the outbox. Each run:
 *  1. claims a batch in one short transaction — SELECT … FOR UPDATE SKIP LOCKED, so replicas
 *     never take the same rows — and marks it 'sending' with attempts + 1 and a lease; in the
 *     same transaction it renders every claimed message that has no texts yet (Handlebars, in
 *     the message's language) and stores them: the outbox keeps what was sent, and a retry
 *     sends the very same text. A message that cannot be rendered is dead at once;
 *  2. sends the messages (as many at once as the transport's pool has connections), and the
 *     moment the SMTP server has accepted the end of DATA marks each 'sent' (one statement,
 *     fenced on the attempt number it claimed), before anything else;
 *  3. a failure of the message goes to 'failed' with next_attempt_at = now + base × 2^attempts,
 *     or to 'dead' after the last attempt or a permanent refusal (5xx at RCPT or DATA);
 *  4. a failure of the server (unreachable, 421, TLS, login: delivery-failure.ts) stops the
 *     batch: the messages not sent go back as they were, attempt not counted, due at the next
 *     run, and one log line tells the operator.
 * A row left 'sending' by a crash is claimed again only after its lease has run out, so a
 * restart never re-sends what a live worker is still sending.
 *
 * Residual risk, which SMTP cannot remove: the server accepts DATA and the process dies (or the
 * database is unreachable) before step 2's UPDATE commits. After the lease that message is sent
 * once more. The window is one round trip to the database; the resend carries the same
 * Message-ID (the outbox id), so a receiving system that deduplicates drops it.
 */
@Injectable()
export class NotificationWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('NotificationWorker');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<WorkerRun> | null = null;
  private stopped = false;
  /** The outage the log last told of (one line per outage, not one per run). */
  private outageSince: number | null = null;
  private outageReason = '';
  private outageLoggedAt = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  /**
   * An interval of @nestjs/schedule's registry ('notification-outbox'). No lock: replicas share
   * the outbox through SKIP LOCKED claims, so each may send its own batch.
   */
  onApplicationBootstrap(): void {
    if (!this.config.notifyWorkerEnabled) return;
    this.timer = setInterval(() => {
      if (this.running || this.stopped) return;
      this.runOnce().catch((e: unknown) => this.logger.error(e, 'outbox run failed'));
    }, this.config.notifyWorkerIntervalMs);
    this.timer.unref();
    this.registry?.addInterval(OUTBOX_INTERVAL, this.timer);
  }

  /** Stops the timer and lets a run in progress finish before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.registry?.doesExist('interval', OUTBOX_INTERVAL)) {
      this.registry.deleteInterval(OUTBOX_INTERVAL);
    }
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One batch (also called by tests and operators). Runs never overlap in one process. */
  runOnce(): Promise<WorkerRun> {
    if (this.running) return this.running;
    this.running = this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<WorkerRun> {
    const result: WorkerRun = { claimed: 0, sent: 0, failed: 0, dead: 0, deferred: 0 };
    result.dead += await this.buryExpiredLeases();
    const { ready: rows, unrenderable } = await this.claim();
    result.claimed = rows.length + unrenderable.length;
    for (const { row, error } of unrenderable) {
      await this.markFailed(row, new DeliveryError(`cannot render: ${error}`, 'permanent'));
      result.dead += 1;
    }
    if (!rows.length) return result;
    const queue = [...rows];
    const held: ReadyRow[] = [];
    let outage: DeliveryError | null = null;
    // Up to `concurrency` messages at once (the SMTP pool's connections). The first failure of
    // the server itself stops the batch: nothing more is handed over, and what is left waits.
    const lane = async () => {
      for (let row = queue.shift(); row && !outage; row = queue.shift()) {
        try {
          await this.transport.send({
            id: row.id,
            to: row.to_address,
            subject: row.subject,
            text: row.body_text,
            html: row.body_html,
          });
        } catch (e) {
          const err = e instanceof DeliveryError ? e : new DeliveryError(String(e), 'transient');
          if (err.kind === 'unavailable') {
            outage ??= err;
            held.push(row);
            continue;
          }
          const status = await this.markFailed(row, err);
          if (status === 'dead') result.dead += 1;
          else result.failed += 1;
          continue;
        }
        await this.markSent(row);
        result.sent += 1;
      }
    };
    const lanes = Math.max(1, Math.min(this.transport.concurrency, rows.length));
    const settled = await Promise.allSettled(Array.from({ length: lanes }, lane));
    held.push(...queue);
    if (outage && held.length) {
      result.deferred = await this.release(held, outage);
      this.reportOutage(outage, result.deferred);
    } else if (!outage && this.outageSince) {
      this.logger.log('mail server reachable again: sending resumed');
      this.outageSince = null;
    }
    const failure = settled.find((s) => s.status === 'rejected');
    if (failure) throw failure.reason;
    return result;
  }

  /**
   * The server could not take any message: give the batch back as it was — attempt not
   * counted, due again at once — so that an outage, however long, never kills a message.
   * A message never tried goes back to 'pending', unless the day's facts already started a
   * new pending message meanwhile (one pending message per person, event, day and topic); it
   * then waits as 'failed', due at once all the same.
   */
  private async release(rows: ClaimedRow[], err: DeliveryError): Promise<number> {
    const params = [
      rows.map((r) => r.id),
      rows.map((r) => r.attempts),
      `not sent, server unavailable: ${err.message}`.slice(0, 2000),
    ];
    const sql = (status: string) => `
      WITH r AS (SELECT * FROM unnest($1::uuid[], $2::int[]) AS r(id, attempts)),
      released AS (
        UPDATE notification_outbox o
           SET status = ${status}, attempts = o.attempts - 1, lease_until = NULL, last_error = $3
          FROM r
         WHERE o.id = r.id AND o.status = 'sending' AND o.attempts = r.attempts
        RETURNING o.id)
      SELECT count(*)::int AS n FROM released`;
    const back = `(CASE WHEN o.attempts > 1 OR EXISTS (
                     SELECT 1 FROM notification_outbox p
                      WHERE p.status = 'pending' AND p.person_id = o.person_id
                        AND p.event = o.event AND p.event_day = o.event_day
                        AND p.topic = o.topic)
                   THEN 'failed' ELSE 'pending' END)::notification_status`;
    try {
      const [{ n }] = await this.dataSource.query<{ n: number }[]>(sql(back), params);
      return n;
    } catch (e) {
      // A pending message of the same key committed between the check and the update.
      if ((e as { code?: string }).code !== '23505') throw e;
      const [{ n }] = await this.dataSource.query<{ n: number }[]>(
        sql(`'failed'::notification_status`),
        params,
      );
      return n;
    }
  }

  /** One line when the server goes away (and again if the reason changes or every 10 min). */
  private reportOutage(err: DeliveryError, deferred: number): void {
    const now = Date.now();
    const repeat =
      this.outageSince !== null &&
      this.outageReason === err.message &&
      now - this.outageLoggedAt < 10 * 60_000;
    this.outageSince ??= now;
    this.outageReason = err.message;
    const line = `mail server unavailable (${err.message}): ${deferred} message(s) stay queued, attempts not counted; retried next run`;
    if (repeat) {
      this.logger.debug(line);
      return;
    }
    this.outageLoggedAt = now;
    this.logger.warn(line);
  }

  private async claim(): Promise<{
    ready: ReadyRow[];
    unrenderable: { row: ClaimedRow; error: string }[];
  }> {
    return this.dataSource.transaction(async (em) => {
      const rows = await em.query<ClaimedRow[]>(
        `WITH c AS (
           SELECT id FROM notification_outbox
            WHERE (status IN ('pending', 'failed') AND next_attempt_at <= now())
               OR (status = 'sending' AND lease_until < now() AND attempts < $3)
            ORDER BY next_attempt_at, id
            LIMIT $1
            FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE notification_outbox o
            SET status = 'sending', attempts = o.attempts + 1,
                lease_until = now() + make_interval(secs => $2)
           FROM c WHERE o.id = c.id
         RETURNING o.id, o.to_address, o.subject, o.body_text, o.body_html, o.attempts,
                   o.event, o.locale, o.event_day::text AS event_day, o.payload)
         SELECT * FROM claimed`,
        [
          this.config.notifyBatchSize,
          this.config.notifyLeaseSeconds,
          this.config.notifyMaxAttempts,
        ],
      );
      const ready: ReadyRow[] = [];
      const unrenderable: { row: ClaimedRow; error: string }[] = [];
      const fresh: ReadyRow[] = [];
      for (const row of rows) {
        const stored = row.subject !== null && row.body_text !== null;
        try {
          const texts = textsOf(row, this.config.portalUrl);
          const out = { ...row, subject: texts.subject, body_text: texts.text };
          ready.push(out);
          if (!stored) fresh.push(out);
        } catch (e) {
          unrenderable.push({ row, error: e instanceof Error ? e.message : String(e) });
        }
      }
      if (fresh.length) {
        await em.query(
          `UPDATE notification_outbox o SET subject = r.subject, body_text = r.body
             FROM unnest($1::uuid[], $2::text[], $3::text[]) AS r(id, subject, body)
            WHERE o.id = r.id`,
          [fresh.map((r) => r.id), fresh.map((r) => r.subject), fresh.map((r) => r.body_text)],
        );
      }
      return { ready, unrenderable };
    });
  }

  /**
   * A lease that ran out after the last attempt: the worker died mid-send and nobody knows
   * whether the server took the message. Retrying would exceed the attempts, so it is dead.
   */
  private async buryExpiredLeases(): Promise<number> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      // (UPDATE … RETURNING wrapped in a SELECT: TypeORM answers a bare UPDATE with
      // [rows, count] instead of the rows.)
      `WITH d AS (
         UPDATE notification_outbox
            SET status = 'dead', lease_until = NULL,
                last_error = 'lease expired after the last attempt (delivery unknown)'
          WHERE status = 'sending' AND lease_until < now() AND attempts >= $1
          RETURNING id)
       SELECT id FROM d`,
      [this.config.notifyMaxAttempts],
    );
    return rows.length;
  }

  /** Fenced on the attempt claimed: a run whose lease was taken over cannot overwrite it. */
  private async markSent(row: ClaimedRow): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification_outbox
          SET status = 'sent', sent_at = now(), channel = $3, lease_until = NULL, last_error = NULL
        WHERE id = $1 AND status = 'sending' AND attempts = $2`,
      [row.id, row.attempts, this.transport.channel],
    );
  }

  private async markFailed(row: ClaimedRow, err: DeliveryError): Promise<'failed' | 'dead'> {
    const dead = err.kind === 'permanent' || row.attempts >= this.config.notifyMaxAttempts;
    await this.dataSource.query(
      `UPDATE notification_outbox
          SET status = $3::notification_status, lease_until = NULL, last_error = $4,
              next_attempt_at = now() + make_interval(secs => $5 * power(2, attempts))
        WHERE id = $1 AND status = 'sending' AND attempts = $2`,
      [
        row.id,
        row.attempts,
        dead ? 'dead' : 'failed',
        err.message.slice(0, 2000),
        this.config.notifyRetryBaseSeconds,
      ],
    );
    return dead ? 'dead' : 'failed';
  }
}
