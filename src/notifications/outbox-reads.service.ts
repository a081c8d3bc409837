import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MyNotificationDto, OutboxEntryDto, OutboxQueryDto } from './dto/notification.dto';
import { RenderedEmail, StoredMessage, textsOf } from './email-renderer';
import { redactLink } from './notification.types';

interface OutboxRow extends StoredMessage {
  id: string;
  person_id: string;
  channel: string;
  to_address: string | null;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  sent_at: Date | null;
  created_at: Date;
  /** created_at in UTC to the microsecond: the keyset's exact value (a Date keeps ms). */
  at_key: string;
}

/**
 * The outbox as people read it: an officer's view of the messages of people in their scope,
 * and each person's own messages. Writing to the outbox is NotificationsService's job.
 */
@Injectable()
export class OutboxReadsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The outbox of people in the officer's scope, newest first; a person outside it answers 404. */
  async listOutbox(actor: Actor, query: OutboxQueryDto): Promise<Page<OutboxEntryDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const scope = scopeConditionRaw('u.path', actor.scopePaths('training:manage'), 1);
    const params: unknown[] = [...scope.params];
    const where = [scope.sql];
    if (query.personId) {
      params.push(query.personId);
      const [found] = await this.dataSource.query<{ id: string }[]>(
        `SELECT pe.id FROM people pe JOIN org_units u ON u.id = pe.home_org_unit_id
          WHERE ${scope.sql} AND pe.id = $${params.length}`,
        params,
      );
      if (!found) throw new DomainError('PERSON_NOT_FOUND');
      where.push(`n.person_id = $${params.length}`);
    }
    if (query.status) {
      params.push(query.status);
      where.push(`n.status = $${params.length}::notification_status`);
    }
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where.push(
        `(n.created_at, n.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    params.push(limit + 1);
    const rows = await this.dataSource.query<OutboxRow[]>(
      `SELECT n.id, n.person_id, n.event, n.event_day::text AS event_day, n.locale, n.channel,
              n.to_address, n.subject, n.body_text, n.payload, n.status, n.attempts,
              n.next_attempt_at, n.last_error, n.sent_at, n.created_at,
              to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key
         FROM notification_outbox n
         JOIN people pe ON pe.id = n.person_id
         JOIN org_units u ON u.id = pe.home_org_unit_id
        WHERE ${where.join(' AND ')}
        ORDER BY n.created_at DESC, n.id DESC
        LIMIT $${params.length}`,
      params,
    );
    const appUrl = this.config.portalUrl;
    return toPage(
      rows,
      limit,
      (r) => [r.at_key, r.id],
      (r) => toOutboxDto(r, withoutLinkTokens(r, readableTexts(r, appUrl))),
    );
  }

  /** The caller's own messages, newest first. */
  async listMine(actor: Actor, query: OutboxQueryDto): Promise<Page<MyNotificationDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const params: unknown[] = [actor.personId];
    let after = '';
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      after = 'AND (n.created_at, n.id) < ($2::timestamptz, $3::uuid)';
    }
    params.push(limit + 1);
    const rows = await this.dataSource.query<OutboxRow[]>(
      `SELECT n.id, n.event, n.event_day::text AS event_day, n.locale, n.subject, n.body_text,
              n.payload, n.status, n.sent_at, n.created_at,
              to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key
         FROM notification_outbox n
        WHERE n.person_id = $1 ${after}
        ORDER BY n.created_at DESC, n.id DESC
        LIMIT $${params.length}`,
      params,
    );
    const appUrl = this.config.portalUrl;
    return toPage(
      rows,
      limit,
      (r) => [r.at_key, r.id],
      (r) => {
        const texts = readableTexts(r, appUrl);
        return {
          id: r.id,
          event: r.event,
          eventDay: r.event_day,
          locale: r.locale,
          subject: texts.subject,
          bodyText: texts.text,
          programmes: r.payload.programmes ?? [],
          certificates: r.payload.certificates ?? [],
          courses: r.payload.courses ?? [],
          sessions: r.payload.sessions ?? [],
          delivered: r.status === 'sent',
          createdAt: new Date(r.created_at).toISOString(),
        };
      },
    );
  }
}

/**
 * A reader's texts of a row. A message that cannot be rendered (the worker marked it dead with
 * the reason in last_error) still lists, with empty texts: a page never fails for one row.
 */
function readableTexts(r: OutboxRow, appUrl: string | null): RenderedEmail {
  try {
    return textsOf(r, appUrl);
  } catch {
    return { subject: '', text: '' };
  }
}

/**
 * An officer reading the outbox sees where a one-time link points, never its token: with it,
 * anyone could set the password of someone else's account. (Its owner sees it in their own list.)
 */
function withoutLinkTokens(r: OutboxRow, texts: RenderedEmail): RenderedEmail {
  const url = r.payload.link?.url;
  if (!url) return texts;
  return {
    subject: texts.subject.split(url).join(redactLink(url)),
    text: texts.text.split(url).join(redactLink(url)),
  };
}

/** A page holds at most MAX_PAGE_SIZE rows: rendering the not yet sent ones here is cheap. */
function toOutboxDto(r: OutboxRow, texts: RenderedEmail): OutboxEntryDto {
  return {
    id: r.id,
    personId: r.person_id,
    event: r.event,
    eventDay: r.event_day,
    locale: r.locale,
    channel: r.channel,
    toAddress: r.to_address,
    subject: texts.subject,
    bodyText: texts.text,
    programmes: r.payload.programmes ?? [],
    certificates: r.payload.certificates ?? [],
    courses: r.payload.courses ?? [],
    sessions: r.payload.sessions ?? [],
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: new Date(r.next_attempt_at).toISOString(),
    lastError: r.last_error,
    sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
