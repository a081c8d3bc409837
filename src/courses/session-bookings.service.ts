import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import {
  DEFAULT_PAGE_SIZE,
  decodeCursor,
  Page,
  PageQueryDto,
  toPage,
} from '../common/pagination/page';
import { sameCourseSql } from './course-family.sql';
import { BookingDto, BookingListDto } from './dto/session.dto';
import {
  assertPeopleInScope,
  findSession,
  managesCourse,
  SessionRow,
  sessionsByIds,
} from './session-access';
import { SessionSeats } from './session-seats';
import { toVnLocal } from './session-time';
import { BookingStatus } from './session.types';

interface BookingRow {
  id: string;
  session_id: string;
  course_id: string;
  person_id: string;
  person_name: string;
  session_title: string;
  status: BookingStatus;
  request_seq: number;
  requested_at: Date;
  moved_to_booking_id: string | null;
  waitlist_position: number | null;
}

const BOOKING_COLUMNS = `b.id, b.session_id, b.course_id, b.person_id, b.status,
  (SELECT p.full_name FROM people p WHERE p.id = b.person_id) AS person_name,
  (SELECT s.title FROM class_sessions s WHERE s.id = b.session_id) AS session_title,
  b.request_seq, b.requested_at, b.moved_to_booking_id,
  CASE WHEN b.status = 'waitlisted' THEN
    (SELECT count(*)::int FROM session_bookings w
      WHERE w.session_id = b.session_id AND w.status = 'waitlisted'
        AND w.request_seq <= b.request_seq) END AS waitlist_position`;

const toDto = (r: BookingRow): BookingDto => ({
  id: r.id,
  sessionId: r.session_id,
  courseId: r.course_id,
  personId: r.person_id,
  personName: r.person_name,
  sessionTitle: r.session_title,
  status: r.status,
  waitlistPosition: r.waitlist_position,
  requestedAt: new Date(r.requested_at).toISOString(),
  movedToBookingId: r.moved_to_booking_id,
});

/**
 * Sign-up to classroom sessions (issue 17, item 2). Every seat decision runs with the session
 * row locked FOR UPDATE (SessionSeats); a person holds one active booking (booked or
 * waitlisted) per course, enforced by a partial unique index; bookings are never deleted —
 * cancelling or moving changes their state, and every change is audited.
 */
@Injectable()
export class SessionBookingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly seats: SessionSeats,
    private readonly clock: Clock,
  ) {}

  /** The caller signs up: enrolled in the course, the session open and inside its window. */
  async bookSelf(actor: Actor, sessionId: string): Promise<BookingDto> {
    const id = await this.dataSource.transaction(async (em) => {
      // What does not depend on the seats is checked before the session's lock is taken, so
      // that a crowd racing for the last seats queues on as few statements as possible.
      const seen = await findSession(em, actor, sessionId, 'read');
      this.assertSignupOpen(seen);
      await this.assertEnrolled(em, seen, [actor.personId], 'personId');
      const session = await findSession(em, actor, sessionId, 'read', true);
      this.assertSignupOpen(session);
      const row = await this.seats.bookOne(em, actor, session, actor.personId);
      if (!row) throw new DomainError('BOOKING_ALREADY_ACTIVE');
      return row.id;
    });
    // Read once committed: the position is the booking's place in the waitlist as it stands.
    return this.one(this.dataSource.manager, id);
  }

  /**
   * An officer books people of their subtree, enrolled in the course, in list order (seats
   * first, then the waitlist). People who already hold a booking for the course keep it and
   * are listed with it. Set-based: one scope query, one enrolment query, one INSERT … SELECT.
   */
  async bookMany(actor: Actor, sessionId: string, personIds: string[]): Promise<BookingListDto> {
    return this.dataSource.transaction(async (em) => {
      const session = await findSession(em, actor, sessionId, 'manage', true);
      if (session.status !== 'open' && session.status !== 'full') {
        throw this.closed(session);
      }
      await assertPeopleInScope(em, actor, personIds, 'personIds');
      await this.assertEnrolled(em, session, personIds, 'personIds');
      await this.seats.book(em, actor, session, personIds);
      const rows = await em.query<BookingRow[]>(
        `SELECT ${BOOKING_COLUMNS} FROM session_bookings b
          WHERE b.course_id = $1 AND b.person_id = ANY($2::uuid[])
            AND b.status IN ('booked', 'waitlisted')
          ORDER BY b.request_seq`,
        [session.course_id, personIds],
      );
      return { items: rows.map(toDto) };
    });
  }

  /**
   * Cancels a booking. Its holder may until the session's cut-off (cancelCutoffHours before
   * the first day); an officer who manages the course may at any time. A freed seat goes to
   * the first on the waitlist.
   */
  async cancel(actor: Actor, bookingId: string): Promise<BookingDto> {
    return this.dataSource.transaction(async (em) => {
      const { booking, session } = await this.lockBooking(em, actor, bookingId);
      await this.assertMayLeave(em, actor, booking, session);
      await em.query(
        `UPDATE session_bookings SET status = 'cancelled', changed_at = clock_timestamp()
          WHERE id = $1`,
        [booking.id],
      );
      await this.seats.recordBookings(em, actor, session, 'session_booking.cancel', [booking.id], {
        status: booking.status,
      });
      if (booking.status === 'booked') await this.seats.promote(em, actor, session);
      return this.one(em, booking.id);
    });
  }

  /**
   * Moves a booking to another open session of the same course: the old booking becomes
   * `moved` and points to the new one (history kept), the new one is booked or waitlisted
   * like any sign-up, and a seat freed in the old session is given to its waitlist. Both
   * sessions are locked, in id order, so two moves across the same pair never deadlock.
   */
  async move(actor: Actor, bookingId: string, toSessionId: string): Promise<BookingDto> {
    return this.dataSource.transaction(async (em) => {
      const first = await this.findBooking(em, actor, bookingId);
      const ordered = [first.session_id, toSessionId].sort();
      await em.query(
        `SELECT id FROM class_sessions WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [ordered],
      );
      const { booking, session } = await this.lockBooking(em, actor, bookingId);
      const target = await findSession(em, actor, toSessionId, 'read', true);
      if (target.id === session.id || target.course_id !== session.course_id) {
        throw new DomainError('BOOKING_MOVE_INVALID', {}, [
          { field: 'toSessionId', message: toSessionId },
        ]);
      }
      const officer = await managesCourse(em, actor, session.course_id);
      await this.assertMayLeave(em, actor, booking, session, officer);
      if (officer) {
        if (target.status !== 'open' && target.status !== 'full') throw this.closed(target);
      } else {
        this.assertSignupOpen(target);
      }
      await em.query(
        `UPDATE session_bookings SET status = 'moved', changed_at = clock_timestamp()
          WHERE id = $1`,
        [booking.id],
      );
      const [created] = await this.seats.book(em, actor, target, [booking.person_id]);
      if (!created) throw new DomainError('BOOKING_ALREADY_ACTIVE');
      await em.query(`UPDATE session_bookings SET moved_to_booking_id = $2 WHERE id = $1`, [
        booking.id,
        created.id,
      ]);
      await this.seats.recordBookings(em, actor, session, 'session_booking.move', [booking.id], {
        status: booking.status,
      });
      if (booking.status === 'booked') await this.seats.promote(em, actor, session);
      return this.one(em, created.id);
    });
  }

  /** Every booking of a session in request order, with waitlist positions; keyset paged. */
  async listForSession(
    actor: Actor,
    sessionId: string,
    query: PageQueryDto,
  ): Promise<Page<BookingDto>> {
    const em = this.dataSource.manager;
    // The cursor is read first: a malformed one is 400 whatever the session.
    decodeCursor(query.cursor, ['int'] as const);
    await findSession(em, actor, sessionId, 'manage');
    return this.page(em, 'b.session_id = $1', [sessionId], query);
  }

  /** The caller's own bookings, every state, in request order; keyset paged. */
  mine(actor: Actor, query: PageQueryDto): Promise<Page<BookingDto>> {
    return this.page(this.dataSource.manager, 'b.person_id = $1', [actor.personId], query);
  }

  private async page(
    em: EntityManager,
    where: string,
    params: unknown[],
    query: PageQueryDto,
  ): Promise<Page<BookingDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['int'] as const);
    const after = cursor ? `AND b.request_seq > $${params.length + 1}::int` : '';
    const rows = await em.query<BookingRow[]>(
      `SELECT ${BOOKING_COLUMNS} FROM session_bookings b
        WHERE ${where} ${after}
        ORDER BY b.request_seq LIMIT $${params.length + (cursor ? 2 : 1)}`,
      [...params, ...(cursor ? [cursor[0]] : []), limit + 1],
    );
    return toPage(rows, limit, (r) => [r.request_seq], toDto);
  }

  private async one(em: EntityManager, id: string): Promise<BookingDto> {
    const [row] = await em.query<BookingRow[]>(
      `SELECT ${BOOKING_COLUMNS} FROM session_bookings b WHERE b.id = $1`,
      [id],
    );
    return toDto(row);
  }

  /** A booking the actor may act on: their own, or one of a course they manage; else 404. */
  private async findBooking(em: EntityManager, actor: Actor, id: string): Promise<BookingRow> {
    const [row] = await em.query<BookingRow[]>(
      `SELECT ${BOOKING_COLUMNS} FROM session_bookings b WHERE b.id = $1`,
      [id],
    );
    if (!row) throw new DomainError('BOOKING_NOT_FOUND');
    if (row.person_id === actor.personId) return row;
    if (await managesCourse(em, actor, row.course_id)) {
      // The person must lie in the officer's subtree too: another federation's learner is not theirs.
      try {
        await assertPeopleInScope(em, actor, [row.person_id], 'personId');
        return row;
      } catch {
        throw new DomainError('BOOKING_NOT_FOUND');
      }
    }
    throw new DomainError('BOOKING_NOT_FOUND');
  }

  /** The booking and its session, the session locked FOR UPDATE first, then the booking read. */
  private async lockBooking(
    em: EntityManager,
    actor: Actor,
    id: string,
  ): Promise<{ booking: BookingRow; session: SessionRow }> {
    const found = await this.findBooking(em, actor, id);
    await em.query(`SELECT id FROM class_sessions WHERE id = $1 FOR UPDATE`, [found.session_id]);
    const booking = await this.findBooking(em, actor, id);
    const [session] = await sessionsByIds(em, [booking.session_id]);
    if (booking.status !== 'booked' && booking.status !== 'waitlisted') {
      throw new DomainError('BOOKING_NOT_ACTIVE', { status: booking.status });
    }
    return { booking, session };
  }

  /** Leaving a session: an officer of the course any time; its holder until the cut-off. */
  private async assertMayLeave(
    em: EntityManager,
    actor: Actor,
    booking: BookingRow,
    session: SessionRow,
    officer?: boolean,
  ): Promise<void> {
    if (session.status === 'done') {
      throw new DomainError('SESSION_STATUS_CONFLICT', { status: session.status, action: 'leave' });
    }
    if (officer ?? (await managesCourse(em, actor, session.course_id))) return;
    if (!session.first_starts_at) return;
    const cutoff = new Date(
      new Date(session.first_starts_at).getTime() - session.cancel_cutoff_hours * 3_600_000,
    );
    if (this.clock.now() > cutoff) {
      throw new DomainError('BOOKING_CUTOFF_PASSED', { cutoff: toVnLocal(cutoff) });
    }
  }

  private assertSignupOpen(session: SessionRow): void {
    const now = this.clock.now();
    const inWindow =
      now >= new Date(session.signup_opens_at) && now < new Date(session.signup_closes_at);
    if ((session.status === 'open' || session.status === 'full') && inWindow) return;
    throw this.closed(session);
  }

  private closed(session: SessionRow): DomainError {
    return new DomainError('SESSION_SIGNUP_CLOSED', {
      status: session.status,
      opensAt: toVnLocal(new Date(session.signup_opens_at)),
      closesAt: toVnLocal(new Date(session.signup_closes_at)),
    });
  }

  /** Every person holds an unfinished enrolment in some version of the session's course. */
  private async assertEnrolled(
    em: EntityManager,
    session: SessionRow,
    personIds: readonly string[],
    field: string,
  ): Promise<void> {
    const rows = await em.query<{ person_id: string }[]>(
      `SELECT DISTINCT e.person_id FROM enrolments e
        WHERE e.person_id = ANY($1::uuid[]) AND e.status <> 'completed'
          AND ${sameCourseSql('e.course_id', '$2')}`,
      [personIds, session.course_id],
    );
    const enrolled = new Set(rows.map((r) => r.person_id));
    const missing = personIds
      .map((id, i) => ({ id, i }))
      .filter((p) => !enrolled.has(p.id))
      .map((p) => ({
        field: personIds.length === 1 && field === 'personId' ? field : `${field}[${p.i}]`,
        message: p.id,
      }));
    if (missing.length) throw new DomainError('SESSION_NOT_ENROLLED', {}, missing);
  }
}
