import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { NotificationsService } from '../notifications/notifications.service';
import { NotificationSession } from '../notifications/notification.types';
import { SessionDto } from './dto/session.dto';
import { SessionRow } from './session-access';

/** How long before a session day starts its reminder goes out (the scan finds days this close). */
export const REMINDER_LEAD_HOURS = 24;

const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/** A day as a message lists it (NotificationSessionDay), from a row with day_no, starts_at, ends_at. */
const DAY_ITEM = (d: string) =>
  `jsonb_build_object('dayNo', ${d}.day_no, 'startsAt', ${iso(`${d}.starts_at`)},
                      'endsAt', ${iso(`${d}.ends_at`)})`;

/** Every day of session `s`, in order. */
const ALL_DAYS = `COALESCE((SELECT jsonb_agg(${DAY_ITEM('d')} ORDER BY d.day_no)
   FROM class_session_days d WHERE d.session_id = s.id), '[]'::jsonb)`;

/**
 * The NotificationSession of booking `b` of session `s` (course `c`), built in SQL so that one
 * statement writes the messages of everyone concerned.
 */
const SESSION_ITEM = (days: string, changed: string) => `jsonb_build_object(
  'bookingId', b.id, 'sessionId', s.id, 'courseId', s.course_id, 'courseCode', c.code,
  'courseTitle', c.title, 'sessionTitle', s.title, 'days', ${days},
  'venue', NULLIF(concat_ws(', ', s.venue_name, s.venue_room, s.venue_address), ''),
  'onlineUrl', s.online_url, 'changed', ${changed})`;

type Change = NotificationSession['changed'][number];

/**
 * What the learners of a session are told, and what calendars see change (issue 17, item 5):
 * - a correction of the days, the venue or the link tells everyone booked, in the correcting
 *   transaction; a correction of anything else (seats, sign-up window) tells nobody;
 * - a cancellation tells everyone booked or waitlisted, before their bookings are cancelled;
 * - the reminder scan tells everyone booked of each session day that starts within the next
 *   24 hours, once (session_day_reminders is the marker).
 * Every change a calendar shows raises the session's calendar_sequence (the SEQUENCE of its
 * events). Each message is one INSERT … SELECT into the outbox, whatever the number of people.
 */
@Injectable()
export class SessionNotices {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /** After a correction (the session's rows rewritten, `before` and `after` as the API shows them). */
  async corrected(em: EntityManager, before: SessionDto, after: SessionDto): Promise<number> {
    const changed: Change[] = [];
    if (JSON.stringify(before.days) !== JSON.stringify(after.days)) changed.push('days');
    const venue = (s: SessionDto) =>
      JSON.stringify(s.venue && [s.venue.name, s.venue.room, s.venue.address]);
    if (venue(before) !== venue(after)) changed.push('venue');
    if (before.onlineUrl !== after.onlineUrl) changed.push('onlineUrl');
    const shown =
      changed.length > 0 ||
      before.title !== after.title ||
      JSON.stringify(before.instructorPersonIds) !== JSON.stringify(after.instructorPersonIds) ||
      JSON.stringify(before.externalTrainers) !== JSON.stringify(after.externalTrainers);
    if (!shown) return 0;
    await this.raiseSequence(em, after.id);
    if (changed.includes('days')) await this.keepRemovedDays(em, before, after);
    if (!changed.length) return 0;
    return this.notifications.enqueueTopics(em, {
      event: 'session_changed',
      list: 'sessions',
      sql: `SELECT b.person_id, 'session-changed:' || s.id || ':' || s.calendar_sequence AS topic,
                   ${SESSION_ITEM(ALL_DAYS, '$3::jsonb')} AS item, NULL::date AS event_day
              FROM session_bookings b
              JOIN class_sessions s ON s.id = b.session_id
              JOIN courses c ON c.id = s.course_id
             WHERE b.session_id = $2 AND b.status = 'booked'`,
      params: [after.id, JSON.stringify(changed)],
      today: this.clock.todayVn(),
    });
  }

  /** Before a cancellation cancels the bookings: everyone booked or waitlisted is told. */
  async cancelling(em: EntityManager, session: SessionRow): Promise<number> {
    await this.raiseSequence(em, session.id);
    return this.notifications.enqueueTopics(em, {
      event: 'session_cancelled',
      list: 'sessions',
      sql: `SELECT b.person_id, 'session-cancelled:' || s.id AS topic,
                   ${SESSION_ITEM(ALL_DAYS, `'[]'::jsonb`)} AS item, NULL::date AS event_day
              FROM session_bookings b
              JOIN class_sessions s ON s.id = b.session_id
              JOIN courses c ON c.id = s.course_id
             WHERE b.session_id = $2 AND b.status IN ('booked', 'waitlisted')`,
      params: [session.id],
      today: this.clock.todayVn(),
    });
  }

  /**
   * The reminder scan: every person booked on a session day that starts after `now` and within
   * REMINDER_LEAD_HOURS gets one message about that day. One statement: the marker rows are
   * inserted (ON CONFLICT DO NOTHING) and only the ones it inserted become messages, so a second
   * scan — or a replica racing this one — writes nothing. A day moved to a new time is a new
   * marker, reminded again. Days of draft, cancelled or finished sessions are not reminded.
   * The message's day is the session day (in Vietnam), its topic the day and its start.
   */
  async sendReminders(now: Date = this.clock.now()): Promise<number> {
    return this.dataSource.transaction((em) =>
      this.notifications.enqueueTopics(em, {
        event: 'session_reminder',
        list: 'sessions',
        ctes: `due AS (
                 SELECT b.id AS booking_id, b.person_id, d.session_id, d.day_no, d.starts_at, d.ends_at
                   FROM class_session_days d
                   JOIN class_sessions s ON s.id = d.session_id
                   JOIN session_bookings b ON b.session_id = d.session_id AND b.status = 'booked'
                  WHERE d.starts_at > $2::timestamptz
                    AND d.starts_at <= $2::timestamptz + make_interval(hours => $3::int)
                    AND s.status IN ('open', 'full', 'closed')),
               marked AS (
                 INSERT INTO session_day_reminders (session_id, day_no, person_id, starts_at)
                 SELECT session_id, day_no, person_id, starts_at FROM due
                 ON CONFLICT DO NOTHING
                 RETURNING session_id, day_no, person_id)`,
        sql: `SELECT u.person_id,
                     'session-reminder:' || u.session_id || ':' || u.day_no || ':'
                       || floor(extract(epoch FROM u.starts_at))::bigint AS topic,
                     ${SESSION_ITEM(`jsonb_build_array(${DAY_ITEM('u')})`, `'[]'::jsonb`)} AS item,
                     (u.starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS event_day
                FROM marked m
                JOIN due u ON u.session_id = m.session_id AND u.day_no = m.day_no
                          AND u.person_id = m.person_id
                JOIN session_bookings b ON b.id = u.booking_id
                JOIN class_sessions s ON s.id = u.session_id
                JOIN courses c ON c.id = s.course_id`,
        params: [now.toISOString(), REMINDER_LEAD_HOURS],
        today: this.clock.todayVn(),
      }),
    );
  }

  private async raiseSequence(em: EntityManager, sessionId: string): Promise<void> {
    await em.query(
      `UPDATE class_sessions SET calendar_sequence = calendar_sequence + 1 WHERE id = $1`,
      [sessionId],
    );
  }

  /**
   * Day numbers a correction took away keep their last times (shown cancelled in calendars);
   * a number in use again is a live day once more.
   */
  private async keepRemovedDays(
    em: EntityManager,
    before: SessionDto,
    after: SessionDto,
  ): Promise<void> {
    const gone = before.days.slice(after.days.length);
    if (gone.length) {
      await em.query(
        `INSERT INTO class_session_removed_days (session_id, day_no, starts_at, ends_at)
         SELECT $1, $2::int + x.n, x.s, x.e
           FROM unnest($3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS x(s, e, n)
         ON CONFLICT (session_id, day_no)
           DO UPDATE SET starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
                         removed_at = now()`,
        [
          after.id,
          after.days.length,
          gone.map((d) => new Date(d.startsAt).toISOString()),
          gone.map((d) => new Date(d.endsAt).toISOString()),
        ],
      );
    }
    await em.query(
      `DELETE FROM class_session_removed_days WHERE session_id = $1 AND day_no <= $2`,
      [after.id, after.days.length],
    );
  }
}
