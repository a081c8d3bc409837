import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { NotificationsService } from '../notifications/notifications.service';
import { SessionRow } from './session-access';
import { toVnLocal } from './session-time';

/** The jsonb of a booking's state as the audit log keeps it (before / after). */
const BOOKING_STATE = (b: string) =>
  `jsonb_build_object('sessionId', ${b}.session_id, 'personId', ${b}.person_id,
                      'status', ${b}.status, 'requestSeq', ${b}.request_seq)`;

/** 2027-03-10T08:00 in Vietnam → "08:00 10/03/2027", the way e-mails write an instant. */
function vnTimeAndDate(at: Date): string {
  const [date, time] = toVnLocal(at).slice(0, 16).split('T');
  const [y, m, d] = date.split('-');
  return `${time} ${d}/${m}/${y}`;
}

/**
 * The seat logic of a session, always run with the session row locked FOR UPDATE by the
 * caller: so "count the booked seats, then book or waitlist" is one step, and the last seat
 * goes to exactly one of two racing requests. It also owns the `full` status (set when the
 * last seat is taken, cleared when one frees) and the promotion of the waitlist, in request
 * order, with a message through the outbox in the same transaction.
 */
@Injectable()
export class SessionSeats {
  constructor(
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async counts(
    em: EntityManager,
    sessionIds: readonly string[],
  ): Promise<Map<string, { booked: number; waitlisted: number }>> {
    const rows = await em.query<{ session_id: string; booked: number; waitlisted: number }[]>(
      `SELECT session_id,
              count(*) FILTER (WHERE status = 'booked')::int AS booked,
              count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted
         FROM session_bookings
        WHERE session_id = ANY($1::uuid[]) AND status IN ('booked', 'waitlisted')
        GROUP BY session_id`,
      [sessionIds],
    );
    return new Map(rows.map((r) => [r.session_id, r]));
  }

  /**
   * Books people into a locked session in the order given: as many as there are free seats
   * get one, the rest join the waitlist behind everyone already on it (request_seq is taken in
   * list order). People who already hold an active booking for the course are left out by the
   * partial unique index. One INSERT … SELECT, one audit statement. Answers the new bookings.
   */
  async book(
    em: EntityManager,
    actor: Actor,
    session: SessionRow,
    personIds: readonly string[],
  ): Promise<{ id: string; person_id: string; status: string }[]> {
    const free = await this.freeSeats(em, session);
    const inserted = await em.query<{ id: string; person_id: string; status: string }[]>(
      `INSERT INTO session_bookings (session_id, course_id, person_id, status, booked_by, request_seq)
       SELECT $1, $2, r.person_id,
              CASE WHEN r.n <= $4 THEN 'booked' ELSE 'waitlisted' END, $5,
              nextval('session_booking_request_seq')
         FROM (SELECT x.person_id, row_number() OVER (ORDER BY x.n) AS n
                 FROM unnest($3::uuid[]) WITH ORDINALITY AS x(person_id, n)
                WHERE NOT EXISTS (SELECT 1 FROM session_bookings b
                                   WHERE b.course_id = $2 AND b.person_id = x.person_id
                                     AND b.status IN ('booked', 'waitlisted'))
                ORDER BY x.n) r
       ON CONFLICT (course_id, person_id) WHERE status IN ('booked', 'waitlisted') DO NOTHING
       RETURNING id, person_id, status`,
      [session.id, session.course_id, personIds, free, actor.userId],
    );
    // A person booked elsewhere in the course by a concurrent request is skipped by ON CONFLICT
    // after being numbered: the seat they were counted for goes to the next one waitlisted.
    if (inserted.length) await this.rebalance(em, session, inserted);
    const rows = await em.query<{ id: string; person_id: string; status: string }[]>(
      `SELECT id, person_id, status FROM session_bookings WHERE id = ANY($1::uuid[])
        ORDER BY request_seq`,
      [inserted.map((r) => r.id)],
    );
    await this.recordBookings(
      em,
      actor,
      session,
      'session_booking.create',
      rows.map((r) => r.id),
    );
    await this.settleFull(em, session.id);
    return rows;
  }

  /**
   * One person's sign-up into a locked session, in one statement: booked while a seat is free,
   * else waitlisted behind everyone already on it; the session turns `full` with its last seat.
   * Answers nothing when the person already holds an active booking for the course (the
   * partial unique index). Audited in a second statement; both run under the session's lock.
   */
  async bookOne(
    em: EntityManager,
    actor: Actor,
    session: SessionRow,
    personId: string,
  ): Promise<{ id: string; status: string } | undefined> {
    const [row] = await em.query<{ id: string; status: string }[]>(
      `WITH n AS (
         SELECT count(*)::int AS booked FROM session_bookings
          WHERE session_id = $1 AND status = 'booked'
       ), ins AS (
         INSERT INTO session_bookings (session_id, course_id, person_id, status, booked_by,
                                       request_seq)
         SELECT $1, $2, $3, CASE WHEN n.booked < $4 THEN 'booked' ELSE 'waitlisted' END, $5,
                nextval('session_booking_request_seq')
           FROM n
         ON CONFLICT (course_id, person_id) WHERE status IN ('booked', 'waitlisted') DO NOTHING
         RETURNING id, status
       ), filled AS (
         UPDATE class_sessions SET status = 'full', updated_at = now()
          WHERE id = $1 AND status = 'open' AND (SELECT booked FROM n) + 1 >= max_seats
            AND EXISTS (SELECT 1 FROM ins WHERE ins.status = 'booked')
       )
       SELECT id, status FROM ins`,
      [session.id, session.course_id, personId, session.max_seats, actor.userId],
    );
    if (row) await this.recordBookings(em, actor, session, 'session_booking.create', [row.id]);
    return row;
  }

  /** Any seat still free after an insert goes to its waitlisted ones, in request order. */
  private async rebalance(
    em: EntityManager,
    session: SessionRow,
    inserted: { id: string }[],
  ): Promise<void> {
    const free = await this.freeSeats(em, session);
    if (free <= 0) return;
    await em.query(
      `UPDATE session_bookings SET status = 'booked', changed_at = clock_timestamp()
        WHERE id IN (SELECT id FROM session_bookings
                      WHERE id = ANY($1::uuid[]) AND status = 'waitlisted'
                      ORDER BY request_seq LIMIT $2)`,
      [inserted.map((r) => r.id), free],
    );
  }

  private async freeSeats(em: EntityManager, session: SessionRow): Promise<number> {
    const [{ booked }] = await em.query<{ booked: number }[]>(
      `SELECT count(*)::int AS booked FROM session_bookings
        WHERE session_id = $1 AND status = 'booked'`,
      [session.id],
    );
    return Math.max(session.max_seats - booked, 0);
  }

  /**
   * Fills freed seats from the waitlist, oldest request first, audits each promotion and tells
   * each person through the outbox. Runs only while the session still takes people.
   */
  async promote(em: EntityManager, actor: Actor | null, session: SessionRow): Promise<void> {
    const [{ status }] = await em.query<{ status: string }[]>(
      `SELECT status FROM class_sessions WHERE id = $1`,
      [session.id],
    );
    if (!['open', 'full', 'closed'].includes(status)) return;
    const free = await this.freeSeats(em, session);
    if (free > 0) {
      const promoted = await em.query<{ id: string; person_id: string }[]>(
        // Wrapped in a WITH so the driver answers the rows (a bare UPDATE answers a count too).
        `WITH promoted AS (
           UPDATE session_bookings SET status = 'booked', changed_at = clock_timestamp()
            WHERE id IN (SELECT id FROM session_bookings
                          WHERE session_id = $1 AND status = 'waitlisted'
                          ORDER BY request_seq LIMIT $2)
            RETURNING id, person_id, request_seq)
         SELECT id, person_id FROM promoted ORDER BY request_seq`,
        [session.id, free],
      );
      if (promoted.length) {
        await this.recordBookings(
          em,
          actor,
          session,
          'session_booking.promote',
          promoted.map((p) => p.id),
          { status: 'waitlisted' },
        );
        // The course, the session and its first day as people in Vietnam read it (08:00 10/03/2027).
        const firstDay = session.first_starts_at
          ? ` (${vnTimeAndDate(new Date(session.first_starts_at))})`
          : '';
        for (const p of promoted) {
          await this.notifications.enqueueForPerson(em, {
            event: 'session_seat_granted',
            personId: p.person_id,
            list: 'courses',
            items: [
              {
                enrolmentId: p.id,
                courseId: session.course_id,
                code: session.course_code,
                title: `${session.course_title} — ${session.title}${firstDay}`,
                dueOn: null,
              },
            ],
            today: this.clock.todayVn(),
          });
        }
      }
    }
    await this.settleFull(em, session.id);
  }

  /** Sets `full` when every seat is booked and `open` when one is free; other statuses stay. */
  async settleFull(em: EntityManager, sessionId: string): Promise<void> {
    await em.query(
      `UPDATE class_sessions s
          SET status = CASE WHEN b.booked >= s.max_seats THEN 'full' ELSE 'open' END,
              updated_at = now()
         FROM (SELECT count(*)::int AS booked FROM session_bookings
                WHERE session_id = $1 AND status = 'booked') b
        WHERE s.id = $1 AND s.status IN ('open', 'full')
          AND s.status <> CASE WHEN b.booked >= s.max_seats THEN 'full' ELSE 'open' END`,
      [sessionId],
    );
  }

  /** A cancelled session cancels its active bookings, each audited, in one statement each. */
  async cancelAllOf(em: EntityManager, actor: Actor, session: SessionRow): Promise<void> {
    await this.audit.recordSet(em, actor, {
      action: 'session_booking.cancel',
      entityType: 'session_booking',
      rows: `UPDATE session_bookings b SET status = 'cancelled', changed_at = clock_timestamp()
              WHERE b.session_id = $1 AND b.status IN ('booked', 'waitlisted')
              RETURNING b.id AS entity_id, $2::uuid AS org_unit_id, NULL::jsonb AS before,
                        ${BOOKING_STATE('b')} || jsonb_build_object('reason', 'session_cancelled') AS after`,
      params: [session.id, session.owner_org_unit_id],
    });
  }

  /** One audit entry per booking of `ids`, with its state now (and the state before, if given). */
  async recordBookings(
    em: EntityManager,
    actor: Actor | null,
    session: SessionRow,
    action: string,
    ids: readonly string[],
    before: Record<string, unknown> | null = null,
  ): Promise<void> {
    if (!ids.length) return;
    await this.audit.recordSet(em, actor, {
      action,
      entityType: 'session_booking',
      rows: `SELECT b.id AS entity_id, $2::uuid AS org_unit_id, $3::jsonb AS before,
                    ${BOOKING_STATE('b')} AS after
               FROM session_bookings b WHERE b.id = ANY($1::uuid[])`,
      params: [ids, session.owner_org_unit_id, before === null ? null : JSON.stringify(before)],
    });
  }
}
