import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CalendarFeedDto, CalendarFeedStatusDto } from './dto/calendar.dto';
import { findSession, managesCourse } from './session-access';
import { CalendarDayRow, sessionCalendar } from './session-calendar.ics';

/** A feed shows the days that ended at most this many days ago, and every later one. */
export const FEED_PAST_DAYS = 90;
/** Where the feeds are served (the API's prefix, see app.setup.ts). */
const FEED_PATH = '/api/v1/calendar';
/** How often a subscribed calendar is asked to fetch the feed again (REFRESH-INTERVAL). */
const FEED_REFRESH_HOURS = 3;

/** A feed token: 256 random bits, URL-safe, 43 characters; anything else is no token. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** An .ics file as the controller sends it. */
export interface CalendarFile {
  fileName: string;
  ics: string;
}

/**
 * The days of the chosen (session, booking) pairs, as CalendarDayRow: each live day and each
 * removed day number of the session, ending at or after $1. `chosen` yields session_id,
 * booking_status, earlier_bookings and changed_at (null without a booking); its parameters
 * start at $2.
 */
const DAYS_OF = (chosen: string) => `
  WITH chosen AS (${chosen})
  SELECT s.id AS session_id, x.day_no, x.starts_at, x.ends_at, x.removed,
         c.code AS course_code, c.title AS course_title, s.title AS session_title,
         s.status AS session_status, s.venue_name, s.venue_room, s.venue_address, s.online_url,
         s.external_trainers, s.calendar_sequence,
         GREATEST(s.updated_at, COALESCE(ch.changed_at, s.updated_at)) AS stamp,
         ch.booking_status, ch.earlier_bookings,
         COALESCE((SELECT jsonb_agg(p.full_name ORDER BY p.sort_key, p.id)
                     FROM class_session_instructors i JOIN people p ON p.id = i.person_id
                    WHERE i.session_id = s.id), '[]'::jsonb) AS instructors
    FROM chosen ch
    JOIN class_sessions s ON s.id = ch.session_id
    JOIN courses c ON c.id = s.course_id
    JOIN (SELECT session_id, day_no, starts_at, ends_at, false AS removed FROM class_session_days
          UNION ALL
          SELECT session_id, day_no, starts_at, ends_at, true FROM class_session_removed_days) x
      ON x.session_id = s.id
   WHERE x.ends_at >= $1::timestamptz
   ORDER BY x.starts_at, s.id, x.day_no`;

/**
 * The calendar of classroom sessions (issue 17, item 5): a booking's days as an .ics file (its
 * holder, or a training officer whose scope holds the person), a session's days for its
 * officers, and a person's secret feed URL — a token of 256 random bits of which only the
 * SHA-256 is stored, one live per person, rotated or revoked by its owner (the old rows kept).
 */
@Injectable()
export class SessionIcalService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Every day of a booking's session, in the booking's state; another person's is 404. */
  async forBooking(actor: Actor, bookingId: string): Promise<CalendarFile> {
    const em = this.dataSource.manager;
    const scope = scopeConditionRaw('o.path', actor.scopePaths('training:manage'), 3);
    const [booking] = await em.query<
      { id: string; session_id: string; course_id: string; own: boolean }[]
    >(
      `SELECT b.id, b.session_id, b.course_id, b.person_id = $2 AS own FROM session_bookings b
         JOIN people p ON p.id = b.person_id
         JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE b.id = $1 AND (b.person_id = $2 OR ${scope.sql})`,
      [bookingId, actor.personId, ...scope.params],
    );
    // Another person's booking, as everywhere else: the officer manages the course as well as
    // the person.
    if (!booking || (!booking.own && !(await managesCourse(em, actor, booking.course_id)))) {
      throw new DomainError('BOOKING_NOT_FOUND');
    }
    const rows = await this.days(
      em,
      `SELECT b.session_id, b.status AS booking_status, b.changed_at,
              (SELECT count(*) FROM session_bookings e
                WHERE e.person_id = b.person_id AND e.session_id = b.session_id
                  AND e.request_seq < b.request_seq)::int AS earlier_bookings
         FROM session_bookings b WHERE b.id = $2`,
      [booking.id],
    );
    return {
      fileName: `lop-hoc-${booking.id}.ics`,
      ics: sessionCalendar(calendarName(rows), rows),
    };
  }

  /** Every day of a session, without a booking: for the officers who manage its course. */
  async forSession(actor: Actor, sessionId: string): Promise<CalendarFile> {
    const em = this.dataSource.manager;
    const session = await findSession(em, actor, sessionId, 'manage');
    const rows = await this.days(
      em,
      `SELECT $2::uuid AS session_id, NULL::varchar AS booking_status,
              NULL::timestamptz AS changed_at, 0 AS earlier_bookings`,
      [session.id],
    );
    return {
      fileName: `lop-hoc-${session.id}.ics`,
      ics: sessionCalendar(calendarName(rows), rows),
    };
  }

  /**
   * The feed of a token: the person's latest booking of each session — booked or waitlisted,
   * or cancelled with its session (shown cancelled, so subscribed calendars drop the days) —
   * with the days that ended in the last FEED_PAST_DAYS days or later. An unknown, rotated or
   * revoked token, or one of an account no longer active, is 404: nothing tells them apart.
   */
  async feed(token: string): Promise<CalendarFile> {
    if (!TOKEN_FORMAT.test(token)) throw new DomainError('CALENDAR_FEED_NOT_FOUND');
    const em = this.dataSource.manager;
    const [feed] = await em.query<{ person_id: string; full_name: string }[]>(
      `SELECT f.person_id, p.full_name FROM calendar_feeds f
         JOIN user_accounts ua ON ua.id = f.user_id AND ua.active
         JOIN people p ON p.id = f.person_id
        WHERE f.token_hash = $1 AND f.revoked_at IS NULL`,
      [sha256(token)],
    );
    if (!feed) throw new DomainError('CALENDAR_FEED_NOT_FOUND');
    const rows = await this.days(
      em,
      `SELECT l.session_id, l.status AS booking_status, l.changed_at, l.earlier_bookings
         FROM (SELECT b.session_id, b.status, b.changed_at,
                      (count(*) OVER (PARTITION BY b.session_id ORDER BY b.request_seq) - 1)::int
                        AS earlier_bookings,
                      row_number() OVER (PARTITION BY b.session_id ORDER BY b.request_seq DESC) AS k
                 FROM session_bookings b WHERE b.person_id = $2) l
         JOIN class_sessions s ON s.id = l.session_id
        WHERE l.k = 1
          AND (l.status IN ('booked', 'waitlisted')
               OR (l.status = 'cancelled' AND s.status = 'cancelled'))`,
      [feed.person_id],
      new Date(this.clock.now().getTime() - FEED_PAST_DAYS * 86_400_000),
    );
    return {
      fileName: 'lich-hoc.ics',
      ics: sessionCalendar(`Lịch học — ${feed.full_name}`, rows, FEED_REFRESH_HOURS),
    };
  }

  /** Whether the caller has a live feed, and since when (the URL itself is never shown again). */
  async feedStatus(actor: Actor): Promise<CalendarFeedStatusDto> {
    const [live] = await this.dataSource.query<{ created_at: Date }[]>(
      `SELECT created_at FROM calendar_feeds WHERE person_id = $1 AND revoked_at IS NULL`,
      [actor.personId],
    );
    return { active: !!live, createdAt: live ? new Date(live.created_at).toISOString() : null };
  }

  /**
   * A new feed URL for the caller, shown this once: a live one is revoked as `rotated` (its URL
   * answers 404 from now on). Calls of one person take turns on an advisory lock, so the
   * "one live feed" index never sees two.
   */
  async createFeed(actor: Actor): Promise<CalendarFeedDto> {
    const token = randomBytes(32).toString('base64url');
    const created = await this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `lms:calendar-feed:${actor.personId}`,
      ]);
      const rotated = await this.revokeLive(em, actor, 'rotated');
      const [row] = await em.query<{ id: string; created_at: Date; org_unit_id: string }[]>(
        `WITH made AS (
           INSERT INTO calendar_feeds (person_id, user_id, token_hash)
           VALUES ($1, $2, $3) RETURNING id, person_id, created_at)
         SELECT m.id, m.created_at, p.home_org_unit_id AS org_unit_id
           FROM made m JOIN people p ON p.id = m.person_id`,
        [actor.personId, actor.userId, sha256(token)],
      );
      await this.audit.record(em, actor, {
        action: 'calendar_feed.create',
        entityType: 'calendar_feed',
        entityId: row.id,
        orgUnitId: row.org_unit_id,
        before: rotated ? { rotatedFeedId: rotated } : null,
        after: { personId: actor.personId },
      });
      return row;
    });
    const url = `${this.config.publicBaseUrl}${FEED_PATH}/${token}.ics`;
    return {
      url,
      webcalUrl: url.replace(/^https?:/, 'webcal:'),
      createdAt: new Date(created.created_at).toISOString(),
    };
  }

  /** Ends the caller's live feed (kept as revoked); with none, nothing changes. */
  async revokeFeed(actor: Actor): Promise<CalendarFeedStatusDto> {
    await this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `lms:calendar-feed:${actor.personId}`,
      ]);
      await this.revokeLive(em, actor, 'revoked');
    });
    return { active: false, createdAt: null };
  }

  /** Revokes the person's live feed, audited; answers its id, or null when there was none. */
  private async revokeLive(
    em: EntityManager,
    actor: Actor,
    reason: 'rotated' | 'revoked',
  ): Promise<string | null> {
    const [ended] = await em.query<{ id: string; org_unit_id: string }[]>(
      // Wrapped in a WITH so the driver answers the rows (a bare UPDATE answers a count too).
      `WITH ended AS (
         UPDATE calendar_feeds f SET revoked_at = clock_timestamp(), revoked_reason = $2
           FROM people p
          WHERE f.person_id = $1 AND f.revoked_at IS NULL AND p.id = f.person_id
          RETURNING f.id, p.home_org_unit_id AS org_unit_id)
       SELECT id, org_unit_id FROM ended`,
      [actor.personId, reason],
    );
    if (!ended) return null;
    await this.audit.record(em, actor, {
      action: `calendar_feed.${reason === 'rotated' ? 'rotate' : 'revoke'}`,
      entityType: 'calendar_feed',
      entityId: ended.id,
      orgUnitId: ended.org_unit_id,
      before: { revoked: false },
      after: { revoked: true, reason },
    });
    return ended.id;
  }

  private days(
    em: EntityManager,
    chosen: string,
    params: unknown[],
    since: Date = new Date(0),
  ): Promise<CalendarDayRow[]> {
    return em.query<CalendarDayRow[]>(DAYS_OF(chosen), [since.toISOString(), ...params]);
  }
}

/** A file of one session is named after its course. */
function calendarName(rows: readonly CalendarDayRow[]): string {
  return rows[0]?.course_title ?? 'Lịch học';
}
