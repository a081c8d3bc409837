import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import {
  CertificateEvent,
  NotificationCertificate,
  NotificationHold,
  NotificationEvent,
  NotificationList,
  NotificationListEvents,
  NotificationLists,
  PROGRAMME_EVENTS,
} from './notification.types';
import { Clock } from '../common/clock/clock';

/**
 * The rows a selection yields: one per (person, item), in columns person_id and item (a jsonb
 * item of the message's list: a NotificationProgramme, a NotificationCourse). Every programme
 * selection below reads assignment_members and programmes in SQL: enqueueing is set-based, one
 * statement whatever the number of people.
 * `onePerPerson`: the selection cannot yield two rows for a person (one assignment, one cycle),
 * so the grouping by person is skipped (measured: 15 % of a 150,000-message enqueue).
 * `unsentOnly`: the selection already leaves out every item any message named (the "not told
 * yet" test), so the test against the day's messages is skipped.
 */
type Selection = {
  sql: string;
  params: unknown[];
  list?: NotificationList;
  onePerPerson?: boolean;
  unsentOnly?: boolean;
};

/**
 * The fields that name an item of each list: an item is never listed twice in a person's
 * messages of one event and day (nor, for "assigned", ever: see NOT_YET_SENT).
 */
const ITEM_KEYS: { [L in NotificationList]: (keyof NotificationLists[L])[] } = {
  programmes: ['assignmentId', 'cycle'],
  courses: ['enrolmentId'],
  certificates: ['certificateId'],
  sessions: ['bookingId'],
};

const itemKeySql = (list: NotificationList, item: string) =>
  `jsonb_build_object(${ITEM_KEYS[list].map((k) => `'${k}', ${item}->'${k}'`).join(', ')})`;

const PROGRAMME_ITEM = (expiresOn: string) => `jsonb_build_object(
    'assignmentId', m.assignment_id, 'programmeId', p.id, 'code', p.code, 'title', p.title,
    'cycle', m.cycle, 'dueOn', m.due_on, 'expiresOn', ${expiresOn})`;

/** The last take of each (assignment, person) only: earlier cycles are history. */
const LATEST_CYCLE = `NOT EXISTS (SELECT 1 FROM assignment_members m2
   WHERE m2.assignment_id = m.assignment_id AND m2.person_id = m.person_id AND m2.cycle > m.cycle)`;

/** A message for this (assignment, cycle) was already written: never twice for the same fact. */
const NOT_YET_SENT = (event: NotificationEvent) => `NOT EXISTS (
    SELECT 1 FROM notification_outbox n
     WHERE n.person_id = m.person_id AND n.event = '${event}'
       AND n.payload->'programmes' @> jsonb_build_array(
             jsonb_build_object('assignmentId', m.assignment_id, 'cycle', m.cycle)))`;

/**
 * Reminders a person may turn off (notification_preferences.email_notifications = false): the
 * programme messages and the reminder of a session day. Certificate changes, account events,
 * plan enrolments, seats granted and changes or cancellations of a session are always told.
 */
const REMINDER_EVENTS: ReadonlySet<NotificationEvent> = new Set<NotificationEvent>([
  ...PROGRAMME_EVENTS,
  'session_reminder',
]);

/** Writers of "assigned" messages outside the run's transaction take turns on this lock. */
const ASSIGNED_TURN = `SELECT pg_advisory_xact_lock(hashtext('lms:assigned-messages'))`;

@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * "You have been assigned": every targeted, not yet completed first-cycle member of the
   * assignment who was not told about it before. Call it in the assigning transaction (after the
   * member rows are written); re-running it adds only the newly assigned.
   *
   * `firstRun`: the caller's word that the assignment had no member before this transaction, so
   * nobody can have been told of it yet (messages are written in the same transaction as the
   * members). The "not told yet" test is then skipped — not only to save it: on an outbox that
   * is empty when the statement is planned, PostgreSQL may answer it with a sequential scan
   * repeated for every member, over pages this very INSERT keeps adding (measured: minutes for
   * 150,000 members instead of seconds).
   */
  enqueueAssigned(
    em: EntityManager,
    assignmentId: string,
    opts: { firstRun?: boolean; today?: string } = {},
  ): Promise<number> {
    return this.enqueue(em, 'assigned', opts.today ?? this.clock.todayVn(), {
      sql: `SELECT m.person_id, ${PROGRAMME_ITEM('NULL')} AS item
              FROM assignment_members m
              JOIN programme_assignments a ON a.id = m.assignment_id
              JOIN programmes p ON p.id = a.programme_id
             WHERE m.assignment_id = $2 AND m.cycle = 1 AND m.targeted AND m.completed_at IS NULL
               ${opts.firstRun ? '' : `AND ${NOT_YET_SENT('assigned')}`}`,
      params: [assignmentId],
      onePerPerson: true, // (assignment, person, cycle) is the members' primary key
      unsentOnly: true,
    });
  }

  /**
   * "You have been assigned" for a run committed earlier in another transaction (background
   * jobs). `firstRun` is then only a hint: the daily scan may have told some members in
   * between, so it takes turns with the scan and, if any message of the assignment exists
   * already, keeps the "not told yet" test.
   */
  async enqueueAssignedAfterCommit(
    em: EntityManager,
    assignmentId: string,
    opts: { firstRun: boolean; today?: string },
  ): Promise<number> {
    await em.query(ASSIGNED_TURN);
    let firstRun = opts.firstRun;
    if (firstRun) {
      const [told] = await em.query<unknown[]>(
        `SELECT 1 FROM notification_outbox
          WHERE event = 'assigned'
            AND payload->'programmes' @> jsonb_build_array(jsonb_build_object('assignmentId', $1::text))
          LIMIT 1`,
        [assignmentId],
      );
      firstRun = !told;
    }
    return this.enqueueAssigned(em, assignmentId, { firstRun, today: opts.today });
  }

  /**
   * The daily scan's safety net for the same message: first-cycle members assigned in the last
   * `days` days (of any assignment) not told yet — whoever assigned them, in whatever process.
   */
  async enqueueRecentlyAssigned(em: EntityManager, today: string, days = 7): Promise<number> {
    await em.query(ASSIGNED_TURN);
    return this.enqueue(em, 'assigned', today, {
      sql: `SELECT m.person_id, ${PROGRAMME_ITEM('NULL')} AS item
              FROM assignment_members m
              JOIN programme_assignments a ON a.id = m.assignment_id
              JOIN programmes p ON p.id = a.programme_id
             WHERE m.assigned_at >= ($1::date - $2::int)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
               AND m.assigned_at < ($1::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
               AND m.cycle = 1 AND m.targeted AND m.completed_at IS NULL
               AND ${NOT_YET_SENT('assigned')}`,
      params: [days],
      unsentOnly: true,
    });
  }

  /** Members due exactly 7 days after `today`, not completed. */
  enqueueDueSoon(em: EntityManager, today: string): Promise<number> {
    return this.enqueue(em, 'due_in_7_days', today, {
      sql: `SELECT m.person_id, ${PROGRAMME_ITEM('NULL')} AS item
              FROM assignment_members m
              JOIN programme_assignments a ON a.id = m.assignment_id
              JOIN programmes p ON p.id = a.programme_id
             WHERE m.due_on = $1::date + 7 AND m.targeted AND m.completed_at IS NULL
               AND ${LATEST_CYCLE}`,
      params: [],
    });
  }

  /**
   * Members past due and not completed, reminded the first day overdue and every 7 days after:
   * a stateless cadence, so a missed scan costs one reminder, never a flood.
   */
  enqueueOverdue(em: EntityManager, today: string): Promise<number> {
    return this.enqueue(em, 'overdue', today, {
      sql: `SELECT m.person_id, ${PROGRAMME_ITEM('NULL')} AS item
              FROM assignment_members m
              JOIN programme_assignments a ON a.id = m.assignment_id
              JOIN programmes p ON p.id = a.programme_id
             WHERE m.due_on < $1::date AND ($1::date - m.due_on - 1) % 7 = 0
               AND m.targeted AND m.completed_at IS NULL AND ${LATEST_CYCLE}`,
      params: [],
    });
  }

  /**
   * "Your recertification is open": every recertification cycle (cycle > 1) already assigned on
   * or before `today`, not completed, whose holder was not told yet. The expiry it renews is the
   * previous cycle's, in the same assignment or in the source assignment of another programme.
   */
  enqueueRecertWindow(em: EntityManager, today: string): Promise<number> {
    return this.enqueue(em, 'recert_window_open', today, {
      sql: `SELECT m.person_id, ${PROGRAMME_ITEM('prev.expires_on')} AS item
              FROM assignment_members m
              JOIN programme_assignments a ON a.id = m.assignment_id
              JOIN programmes p ON p.id = a.programme_id
              LEFT JOIN recertification_targets t ON t.target_assignment_id = m.assignment_id
              JOIN assignment_members prev
                ON prev.assignment_id = COALESCE(t.source_assignment_id, m.assignment_id)
               AND prev.person_id = m.person_id AND prev.cycle = m.cycle - 1
             WHERE m.cycle > 1 AND m.targeted AND m.completed_at IS NULL
               AND (m.assigned_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= $1::date
               AND ${NOT_YET_SENT('recert_window_open')}`,
      params: [],
      unsentOnly: true,
    });
  }

  /**
   * A message to the holder about one change of a certificate (issued, suspended, reinstated,
   * revoked), written in the caller's transaction: the one that makes the change, so the message
   * exists exactly when the change commits. Each change is a message of its own (its `topic`,
   * e.g. `certificate:<id>:<change>`): never merged into another, never lost because a message
   * of the same kind was already sent that day; writing the same topic again adds nothing.
   * Answers 1 when a message was written, else 0.
   */
  async enqueueCertificate(
    em: EntityManager,
    event: CertificateEvent,
    personId: string,
    certificate: NotificationCertificate & { topic: string },
    today: string = this.clock.todayVn(),
  ): Promise<number> {
    const { topic, ...item } = certificate;
    const [{ n }] = await em.query<{ n: number }[]>(
      `WITH written AS (
       INSERT INTO notification_outbox AS o
              (person_id, event, event_day, topic, locale, to_address, payload)
       SELECT pe.id, $2::notification_event, $3::date, $4,
              COALESCE(np.locale::text, 'vi')::notification_locale,
              COALESCE(pe.email, ua.email),
              jsonb_build_object('fullName', pe.full_name,
                                 'certificates', jsonb_build_array($5::jsonb))
         FROM people pe
         LEFT JOIN user_accounts ua ON ua.person_id = pe.id
         LEFT JOIN notification_preferences np ON np.person_id = pe.id
        WHERE pe.id = $1
       ON CONFLICT (person_id, event, event_day, topic) WHERE status = 'pending' DO NOTHING
       RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
      [personId, event, today, topic, JSON.stringify(item)],
    );
    return n;
  }

  /**
   * Tells the owner of an account that signing in was held (issue 13, item 9), in the caller's
   * transaction: the one that starts the hold. Each hold is a message of its own (its topic is
   * the hold's end), so a second hold the same day is told too. Answers 1 when written, else 0.
   */
  async enqueueAccountLocked(
    em: EntityManager,
    userId: string,
    hold: NotificationHold,
    today: string = this.clock.todayVn(),
  ): Promise<number> {
    const [{ n }] = await em.query<{ n: number }[]>(
      `WITH written AS (
       INSERT INTO notification_outbox AS o
              (person_id, event, event_day, topic, locale, to_address, payload)
       SELECT pe.id, 'account_locked', $2::date, 'account-locked:' || $3,
              COALESCE(np.locale::text, 'vi')::notification_locale,
              ua.email,
              jsonb_build_object('fullName', pe.full_name, 'hold', $4::jsonb)
         FROM user_accounts ua
         JOIN people pe ON pe.id = ua.person_id
         LEFT JOIN notification_preferences np ON np.person_id = pe.id
        WHERE ua.id = $1
       ON CONFLICT (person_id, event, event_day, topic) WHERE status = 'pending' DO NOTHING
       RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
      [userId, today, hold.until, JSON.stringify(hold)],
    );
    return n;
  }

  /**
   * One-time links to set a password (account_invited, password_reset), one message per link,
   * written in the caller's transaction in one statement whatever their number (a bulk
   * invitation of every chair of a province). A message goes to the account's e-mail in its
   * owner's language; each link is its own topic, so a newer link is a new message.
   */
  async enqueueAccountLinks(
    em: EntityManager,
    event: 'account_invited' | 'password_reset',
    links: { userId: string; tokenId: string; url: string; expiresAt: string }[],
    today: string = this.clock.todayVn(),
  ): Promise<number> {
    if (links.length === 0) return 0;
    const [{ n }] = await em.query<{ n: number }[]>(
      `WITH written AS (
       INSERT INTO notification_outbox AS o
              (person_id, event, event_day, topic, locale, to_address, payload)
       SELECT pe.id, $1::notification_event, $2::date, 'account-link:' || l.token_id,
              COALESCE(np.locale::text, 'vi')::notification_locale,
              ua.email,
              jsonb_build_object('fullName', pe.full_name,
                'link', jsonb_build_object('url', l.url, 'expiresAt', l.expires_at))
         FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[])
                AS l(user_id, token_id, url, expires_at)
         JOIN user_accounts ua ON ua.id = l.user_id
         JOIN people pe ON pe.id = ua.person_id
         LEFT JOIN notification_preferences np ON np.person_id = pe.id
       ON CONFLICT (person_id, event, event_day, topic) WHERE status = 'pending' DO NOTHING
       RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
      [
        event,
        today,
        links.map((l) => l.userId),
        links.map((l) => l.tokenId),
        links.map((l) => l.url),
        links.map((l) => l.expiresAt),
      ],
    );
    return n;
  }

  /**
   * Messages that each tell a fact of their own, any number in one statement: the selection
   * yields rows (person_id, topic, item, event_day) — one message per row, listing that one item
   * of `list`, on its own topic (so never merged with another, and writing the same pending
   * topic again adds nothing). `event_day` may be NULL for `today`. `ctes` are WITH clauses
   * placed before the selection (a data-modifying one, such as the insert of a marker that
   * makes a scan idempotent, must stand at the top level); the selection's parameters start at
   * $2 ($1 is today). Written in the caller's transaction, with the fact it tells. Answers the
   * number of messages written.
   */
  async enqueueTopics<L extends NotificationList>(
    em: EntityManager,
    message: {
      event: NotificationListEvents[L];
      list: L;
      ctes?: string;
      sql: string;
      params: unknown[];
      today?: string;
    },
  ): Promise<number> {
    const { event, list } = message;
    const [{ n }] = await em.query<{ n: number }[]>(
      `WITH ${message.ctes ? `${message.ctes},` : ''}
            sel AS (${message.sql}),
            written AS (
       INSERT INTO notification_outbox AS o
              (person_id, event, event_day, topic, locale, to_address, payload)
       SELECT s.person_id, '${event}', COALESCE(s.event_day, $1::date), s.topic,
              COALESCE(np.locale::text, 'vi')::notification_locale,
              COALESCE(pe.email, ua.email),
              jsonb_build_object('fullName', pe.full_name, '${list}', jsonb_build_array(s.item))
         FROM sel s
         JOIN people pe ON pe.id = s.person_id
         LEFT JOIN user_accounts ua ON ua.person_id = s.person_id
         LEFT JOIN notification_preferences np ON np.person_id = s.person_id
        ${REMINDER_EVENTS.has(event) ? 'WHERE np.email_notifications IS DISTINCT FROM false' : ''}
        ORDER BY s.person_id, s.topic
       ON CONFLICT (person_id, event, event_day, topic) WHERE status = 'pending' DO NOTHING
       RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
      [message.today ?? this.clock.todayVn(), ...message.params],
    );
    return n;
  }

  /**
   * A message of a kind to one person, listing `items`, written in the caller's transaction —
   * the one that makes the fact it tells, so the message exists exactly when the fact commits.
   * The outbox's rules hold: the items join the person's pending message of that event and day
   * (or start a new one when the earlier one was already claimed or sent), and an item a message
   * of that day already named is not named again. Answers 1 when a message was written or
   * extended, else 0. (Development plans use it for their enrolments; any module may.)
   */
  enqueueForPerson<L extends NotificationList>(
    em: EntityManager,
    message: {
      event: NotificationListEvents[L];
      personId: string;
      list: L;
      items: NotificationLists[L][];
      today?: string;
    },
  ): Promise<number> {
    if (!message.items.length) return Promise.resolve(0);
    return this.enqueue(em, message.event, message.today ?? this.clock.todayVn(), {
      sql: `SELECT $2::uuid AS person_id, x.item
              FROM jsonb_array_elements($3::jsonb) AS x(item)`,
      params: [message.personId, JSON.stringify(message.items)],
      list: message.list,
    });
  }

  /**
   * One statement writes the messages: the selection grouped by person (every item of the
   * person in one payload), INSERT … ON CONFLICT on the person's PENDING message of the event
   * and day, which takes in the new items (merged, without duplicates). When that day's message
   * was already claimed or sent, the new items go in a second message rather than being lost;
   * items any message of that day already named are left out first, so a scan that runs every
   * hour never tells the same thing twice. Nothing is rendered here: a national assignment
   * queues 150,000 messages, and rendering them in JS cost more than writing the assignment
   * itself. The worker renders each message when it sends it and readers render the page they
   * read (see textsOf). A merge clears texts that a row might carry, so they are never stale
   * against the merged payload.
   */
  private async enqueue(
    em: EntityManager,
    event: NotificationEvent,
    today: string,
    selection: Selection,
  ): Promise<number> {
    const list = selection.list ?? 'programmes';
    // Through the outbox's person index: a person has a few messages, not thousands.
    const fresh = selection.unsentOnly
      ? `SELECT * FROM sel`
      : `SELECT s.* FROM sel s
          WHERE NOT EXISTS (
            SELECT 1 FROM notification_outbox d
             WHERE d.person_id = s.person_id AND d.event = '${event}' AND d.event_day = $1::date
               AND d.payload->'${list}' @> jsonb_build_array(${itemKeySql(list, 's.item')}))`;
    const grouped = selection.onePerPerson
      ? `SELECT person_id, jsonb_build_array(item) AS items FROM fresh`
      : `SELECT person_id, jsonb_agg(item ORDER BY item->>'code', item::text) AS items
           FROM fresh GROUP BY person_id`;
    const [{ n }] = await em.query<{ n: number }[]>(
      `WITH sel AS (${selection.sql}),
            fresh AS (${fresh}),
            grouped AS (${grouped}),
            written AS (
       INSERT INTO notification_outbox AS o (person_id, event, event_day, locale, to_address, payload)
       SELECT g.person_id, '${event}', $1::date,
              COALESCE(np.locale::text, 'vi')::notification_locale,
              COALESCE(pe.email, ua.email),
              jsonb_build_object('fullName', pe.full_name, '${list}', g.items)
         FROM grouped g
         JOIN people pe ON pe.id = g.person_id
         LEFT JOIN user_accounts ua ON ua.person_id = g.person_id
         LEFT JOIN notification_preferences np ON np.person_id = g.person_id
        ${REMINDER_EVENTS.has(event) ? 'WHERE np.email_notifications IS DISTINCT FROM false' : ''}
        -- In person order, the order of the outbox's person indexes and of the people key the
        -- foreign key checks: a national run writes 150,000 rows faster this way.
        ORDER BY g.person_id
       ON CONFLICT (person_id, event, event_day, topic) WHERE status = 'pending' DO UPDATE
          SET payload = jsonb_set(o.payload, '{${list}}', (
                SELECT jsonb_agg(DISTINCT x) FROM jsonb_array_elements(
                  COALESCE(o.payload->'${list}', '[]'::jsonb) || (EXCLUDED.payload->'${list}'))
                  AS x)),
              subject = NULL, body_text = NULL
        WHERE o.status = 'pending'
          AND NOT COALESCE(o.payload->'${list}', '[]'::jsonb) @> (EXCLUDED.payload->'${list}')
       RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
      [today, ...selection.params],
    );
    return n;
  }
}
