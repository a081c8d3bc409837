import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { detail, DomainError, LocalizedDetail } from '../common/errors/domain-error';
import { nfc } from '../common/text/vietnamese';
import { CoursesService } from './courses.service';
import { sameCourseSql } from './course-family.sql';
import { CreateSessionDto, SessionDto, SessionListDto, UpdateSessionDto } from './dto/session.dto';
import { assertSomeField } from './courses.service';
import { assertPeopleInScope, findSession, SessionRow, sessionsByIds } from './session-access';
import { Interval, overlappingPairs, toVnLocal, vnLocalToInstant } from './session-time';
import { SessionStatus } from './session.types';
import { SessionSeats } from './session-seats';
import { SessionAttendanceService } from './session-attendance.service';
import { SessionNotices } from './session-notices';

/** The explicit status actions: from which statuses each may start, and where it leads. */
const TRANSITIONS: Record<
  'open' | 'close' | 'complete' | 'cancel',
  {
    from: readonly SessionStatus[];
    to: SessionStatus;
  }
> = {
  open: { from: ['draft'], to: 'open' },
  close: { from: ['open', 'full'], to: 'closed' },
  complete: { from: ['closed'], to: 'done' },
  cancel: { from: ['draft', 'open', 'full', 'closed'], to: 'cancelled' },
};
export type SessionAction = keyof typeof TRANSITIONS;

interface ClashRow {
  session_id: string;
  kind: 'room' | 'instructor';
  person_id: string | null;
  starts_at: Date;
}

/**
 * Classroom sessions of a course (issue 17, item 1): created by a training officer who manages
 * the course, read by staff of its catalogue and by the people enrolled in it. A session's
 * days are entered and shown in Vietnam time and stored as timestamptz. Creating one refuses a
 * clash — an instructor or a room (venue name + room) already taken by a non-cancelled session
 * whose days overlap — checked in the creating transaction under advisory locks on the room
 * and on each instructor, so two racing bookings of the same room run one after the other.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
    private readonly seats: SessionSeats,
    private readonly audit: AuditService,
    private readonly notices: SessionNotices,
    private readonly attendance: SessionAttendanceService,
  ) {}

  async create(actor: Actor, courseId: string, dto: CreateSessionDto): Promise<SessionDto> {
    return this.dataSource.transaction(async (em) => {
      const course = await this.courses.findForStaff(actor, courseId, 'write', em);
      // The rules across fields come after scope: another subtree's course is 404 whatever the body.
      const days = readDays(dto);
      if (course.status === 'archived' || course.status === 'superseded') {
        throw new DomainError('COURSE_RETIRED', { code: course.code });
      }
      const instructors = dto.instructorPersonIds ?? [];
      await assertPeopleInScope(em, actor, instructors, 'instructorPersonIds');
      await this.lockAndRefuseClashes(em, dto, instructors, days, null);
      const [{ id }] = await em.query<{ id: string }[]>(
        `INSERT INTO class_sessions (course_id, title, venue_name, venue_address, venue_room,
                                     venue_capacity, online_url, external_trainers,
                                     signup_opens_at, signup_closes_at, min_seats, max_seats,
                                     cancel_cutoff_hours, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13, $14)
         RETURNING id`,
        [
          courseId,
          nfc(dto.title),
          dto.venue ? nfc(dto.venue.name) : null,
          dto.venue?.address ? nfc(dto.venue.address) : null,
          dto.venue?.room ? nfc(dto.venue.room) : null,
          dto.venue?.capacity ?? null,
          dto.onlineUrl ?? null,
          JSON.stringify((dto.externalTrainers ?? []).map((t) => nfc(t.trim()))),
          vnLocalToInstant(dto.signupOpensAt),
          vnLocalToInstant(dto.signupClosesAt),
          dto.minSeats ?? 0,
          dto.maxSeats,
          dto.cancelCutoffHours ?? 24,
          actor.userId,
        ],
      );
      await this.insertDays(em, id, days);
      await this.insertInstructors(em, id, instructors);
      const [dto2] = await this.toDtos(em, [id]);
      await this.audit.record(em, actor, {
        action: 'class_session.create',
        entityType: 'class_session',
        entityId: id,
        orgUnitId: course.ownerOrgUnitId,
        after: dto2,
      });
      return dto2;
    });
  }

  /**
   * Corrects a session that is not over (done or cancelled answer 409): the changes are merged
   * into what it holds and checked as a new session would be — the rules across fields, the
   * instructors' scope, clashes (its own days aside). Fewer seats than the people booked is
   * refused; more seats are given to the waitlist at once, in request order. New days, venue or
   * link are told to everyone booked, in this transaction (SessionNotices).
   */
  async update(actor: Actor, id: string, patch: UpdateSessionDto): Promise<SessionDto> {
    assertSomeField(patch);
    return this.dataSource.transaction(async (em) => {
      const session = await findSession(em, actor, id, 'manage', true);
      if (session.status === 'done' || session.status === 'cancelled') {
        throw new DomainError('SESSION_STATUS_CONFLICT', {
          status: session.status,
          action: 'update',
        });
      }
      const [before] = await this.toDtos(em, [id]);
      const merged: CreateSessionDto = {
        title: before.title,
        days: before.days.map((d) => ({
          startsAt: d.startsAt.slice(0, 16),
          endsAt: d.endsAt.slice(0, 16),
        })),
        venue: before.venue
          ? {
              name: before.venue.name,
              address: before.venue.address ?? undefined,
              room: before.venue.room ?? undefined,
              capacity: before.venue.capacity,
            }
          : undefined,
        onlineUrl: before.onlineUrl ?? undefined,
        instructorPersonIds: before.instructorPersonIds,
        externalTrainers: before.externalTrainers,
        signupOpensAt: before.signupOpensAt.slice(0, 16),
        signupClosesAt: before.signupClosesAt.slice(0, 16),
        minSeats: before.minSeats,
        maxSeats: before.maxSeats,
        cancelCutoffHours: before.cancelCutoffHours,
        // Absent keys keep the old value; null (venue, onlineUrl, externalTrainers only: the
        // DTO refuses it elsewhere) clears it — written as NULL and [] below, and readDays
        // refuses a session left with neither a venue nor a link (400 naming venue).
        ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
      };
      const days = readDays(merged);
      const instructors = merged.instructorPersonIds ?? [];
      if (patch.instructorPersonIds) {
        await assertPeopleInScope(em, actor, patch.instructorPersonIds, 'instructorPersonIds');
      }
      if (merged.maxSeats < before.bookedSeats) {
        throw new DomainError('SESSION_SEATS_BELOW_BOOKED', { booked: before.bookedSeats }, [
          { field: 'maxSeats', message: String(merged.maxSeats) },
        ]);
      }
      await this.lockAndRefuseClashes(em, merged, instructors, days, id);
      await em.query(
        `UPDATE class_sessions
            SET title = $2, venue_name = $3, venue_address = $4, venue_room = $5,
                venue_capacity = $6, online_url = $7, external_trainers = $8::jsonb,
                signup_opens_at = $9, signup_closes_at = $10, min_seats = $11, max_seats = $12,
                cancel_cutoff_hours = $13, updated_at = now()
          WHERE id = $1`,
        [
          id,
          nfc(merged.title),
          merged.venue ? nfc(merged.venue.name) : null,
          merged.venue?.address ? nfc(merged.venue.address) : null,
          merged.venue?.room ? nfc(merged.venue.room) : null,
          merged.venue?.capacity ?? null,
          merged.onlineUrl ?? null,
          JSON.stringify((merged.externalTrainers ?? []).map((t) => nfc(t.trim()))),
          vnLocalToInstant(merged.signupOpensAt),
          vnLocalToInstant(merged.signupClosesAt),
          merged.minSeats ?? 0,
          merged.maxSeats,
          merged.cancelCutoffHours ?? 24,
        ],
      );
      if (patch.days) await this.replaceDays(em, id, days);
      if (patch.instructorPersonIds) {
        await em.query(`DELETE FROM class_session_instructors WHERE session_id = $1`, [id]);
        await this.insertInstructors(em, id, instructors);
      }
      const [reread] = await sessionsByIds(em, [id]);
      if (merged.maxSeats > before.maxSeats) await this.seats.promote(em, actor, reread);
      else await this.seats.settleFull(em, id);
      const [after] = await this.toDtos(em, [id]);
      // Calendars see the change (SEQUENCE); people booked are told of new days, venue or link.
      await this.notices.corrected(em, before, after);
      await this.audit.record(em, actor, {
        action: 'class_session.update',
        entityType: 'class_session',
        entityId: id,
        orgUnitId: session.owner_org_unit_id,
        before,
        after,
      });
      return after;
    });
  }

  /**
   * The days of a session after a correction, by day number: a day that stays has its times
   * corrected in place (its attendance marks stay with it), new days are added, and days beyond
   * the new count are removed — refused (409) for a day that already has attendance recorded.
   */
  private async replaceDays(
    em: EntityManager,
    id: string,
    days: readonly Interval[],
  ): Promise<void> {
    const [attended] = await em.query<{ day_no: number }[]>(
      `SELECT day_no FROM session_attendance_changes WHERE session_id = $1 AND day_no > $2
       UNION SELECT day_no FROM session_attendance WHERE session_id = $1 AND day_no > $2
       ORDER BY day_no LIMIT 1`,
      [id, days.length],
    );
    if (attended) {
      throw new DomainError('SESSION_DAY_ATTENDED', { day: attended.day_no }, [
        { field: 'days', message: String(attended.day_no) },
      ]);
    }
    await em.query(
      `WITH x AS (
         SELECT n::int AS n, s, e
           FROM unnest($2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS x(s, e, n)
       ), removed AS (
         DELETE FROM class_session_days WHERE session_id = $1 AND day_no > $4
       )
       INSERT INTO class_session_days (session_id, day_no, starts_at, ends_at)
       SELECT $1, x.n, x.s, x.e FROM x
       ON CONFLICT (session_id, day_no)
         DO UPDATE SET starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at`,
      [id, days.map((d) => d.startsAt), days.map((d) => d.endsAt), days.length],
    );
  }

  private async insertDays(
    em: EntityManager,
    id: string,
    days: readonly Interval[],
  ): Promise<void> {
    await em.query(
      `INSERT INTO class_session_days (session_id, day_no, starts_at, ends_at)
       SELECT $1, x.n, x.s, x.e
         FROM unnest($2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS x(s, e, n)`,
      [id, days.map((d) => d.startsAt), days.map((d) => d.endsAt)],
    );
  }

  private async insertInstructors(
    em: EntityManager,
    id: string,
    instructors: readonly string[],
  ): Promise<void> {
    await em.query(
      `INSERT INTO class_session_instructors (session_id, person_id)
       SELECT $1, x FROM unnest($2::uuid[]) AS x`,
      [id, instructors],
    );
  }

  /**
   * Sessions of a course, by first day. Staff with training:read over the course see every
   * session, drafts included; a person enrolled in any version of the course sees those out of
   * draft (open, full, closed, done, cancelled), as GET /sessions/:id lets them read each one.
   * Anyone else: 404, whether the course exists or not.
   */
  async listForCourse(actor: Actor, courseId: string): Promise<SessionListDto> {
    const em = this.dataSource.manager;
    const staff =
      actor.can('training:read') &&
      (await this.courses.findForStaff(actor, courseId, 'use', em).then(
        () => true,
        (e: unknown) => {
          if (e instanceof DomainError) return false;
          throw e;
        },
      ));
    if (!staff) {
      const enrolled = await em.query<unknown[]>(
        `SELECT 1 FROM enrolments e
          WHERE e.person_id = $1 AND ${sameCourseSql('e.course_id', '$2')} LIMIT 1`,
        [actor.personId, courseId],
      );
      if (!enrolled.length) throw new DomainError('COURSE_NOT_FOUND');
    }
    const rows = await em.query<{ id: string }[]>(
      `SELECT id FROM class_sessions WHERE course_id = $1 ${staff ? '' : `AND status <> 'draft'`}`,
      [courseId],
    );
    return {
      items: await this.toDtos(
        em,
        rows.map((r) => r.id),
      ),
    };
  }

  async get(actor: Actor, id: string): Promise<SessionDto> {
    const em = this.dataSource.manager;
    await findSession(em, actor, id, 'read');
    const [dto] = await this.toDtos(em, [id]);
    return dto;
  }

  /** An explicit status action; `full` is never set here (the seat logic owns it). */
  async transition(actor: Actor, id: string, action: SessionAction): Promise<SessionDto> {
    return this.dataSource.transaction(async (em) => {
      const session = await findSession(em, actor, id, 'manage', true);
      const rule = TRANSITIONS[action];
      if (!rule.from.includes(session.status)) {
        throw new DomainError('SESSION_STATUS_CONFLICT', { status: session.status, action });
      }
      await em.query(`UPDATE class_sessions SET status = $2, updated_at = now() WHERE id = $1`, [
        id,
        rule.to,
      ]);
      await this.audit.record(em, actor, {
        action: `class_session.${action}`,
        entityType: 'class_session',
        entityId: id,
        orgUnitId: session.owner_org_unit_id,
        before: { status: session.status },
        after: { status: rule.to },
      });
      if (action === 'open') await this.seats.settleFull(em, id);
      // Done: the attendance share of each person booked is judged now (completion, certificate).
      if (action === 'complete') await this.attendance.completeBooked(em, id, session.course_id);
      if (action === 'cancel') {
        // Everyone booked or waitlisted is told while their bookings are still active.
        await this.notices.cancelling(em, session);
        await this.seats.cancelAllOf(em, actor, session);
      }
      const [dto] = await this.toDtos(em, [id]);
      return dto;
    });
  }

  /**
   * Takes the advisory locks of the room and of each instructor (in one order, so two creators
   * never wait on each other crosswise), then looks for a non-cancelled session that holds one
   * of them on an overlapping day. The locks last until the transaction ends, so the check and
   * the insert are one step for anyone else booking the same room or person.
   */
  private async lockAndRefuseClashes(
    em: EntityManager,
    dto: CreateSessionDto,
    instructors: readonly string[],
    days: readonly Interval[],
    self: string | null,
  ): Promise<void> {
    const room = dto.venue?.room ? roomKey(dto.venue.name, dto.venue.room) : null;
    const keys = [
      ...(room ? [`lms:session-room:${room}`] : []),
      ...instructors.map((p) => `lms:session-instructor:${p.toLowerCase()}`),
    ].sort();
    for (const key of keys) {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [key]);
    }
    if (!keys.length) return;
    const clashes = await em.query<ClashRow[]>(
      `WITH wanted AS (
         SELECT x.s, x.e FROM unnest($1::timestamptz[], $2::timestamptz[]) AS x(s, e))
       SELECT DISTINCT s.id AS session_id, 'room' AS kind, NULL::uuid AS person_id, d.starts_at
         FROM class_sessions s
         JOIN class_session_days d ON d.session_id = s.id
         JOIN wanted w ON d.starts_at < w.e AND w.s < d.ends_at
        WHERE $3::text IS NOT NULL AND s.status <> 'cancelled' AND s.venue_room IS NOT NULL
          AND s.id IS DISTINCT FROM $5::uuid
          AND lower(s.venue_name) || '|' || lower(s.venue_room) = $3
       UNION
       SELECT DISTINCT s.id, 'instructor', i.person_id, d.starts_at
         FROM class_session_instructors i
         JOIN class_sessions s ON s.id = i.session_id
         JOIN class_session_days d ON d.session_id = s.id
         JOIN wanted w ON d.starts_at < w.e AND w.s < d.ends_at
        WHERE i.person_id = ANY($4::uuid[]) AND s.status <> 'cancelled'
          AND s.id IS DISTINCT FROM $5::uuid
        ORDER BY 4, 1`,
      [days.map((d) => d.startsAt), days.map((d) => d.endsAt), room, instructors, self],
    );
    if (!clashes.length) return;
    throw new DomainError(
      'SESSION_CLASH',
      {},
      clashes.map((c) => {
        const when = toVnLocal(new Date(c.starts_at));
        const field =
          c.kind === 'room'
            ? 'venue.room'
            : `instructorPersonIds[${instructors.indexOf(c.person_id!)}]`;
        return detail(
          field,
          `Đã được xếp cho lớp ${c.session_id}, buổi bắt đầu ${when}.`,
          `Already booked for session ${c.session_id}, day starting ${when}.`,
        );
      }),
    );
  }

  /** The response of each session, in the order of their first days. */
  async toDtos(em: EntityManager, ids: readonly string[]): Promise<SessionDto[]> {
    if (!ids.length) return [];
    const sessions = await sessionsByIds(em, ids);
    const days = await em.query<{ session_id: string; starts_at: Date; ends_at: Date }[]>(
      `SELECT session_id, starts_at, ends_at FROM class_session_days
        WHERE session_id = ANY($1::uuid[]) ORDER BY session_id, day_no`,
      [ids],
    );
    const instructors = await em.query<{ session_id: string; person_id: string }[]>(
      `SELECT session_id, person_id FROM class_session_instructors
        WHERE session_id = ANY($1::uuid[]) ORDER BY session_id, person_id`,
      [ids],
    );
    const counts = await this.seats.counts(em, ids);
    return sessions.map((s) => toDto(s, days, instructors, counts.get(s.id)));
  }
}

function toDto(
  s: SessionRow,
  days: { session_id: string; starts_at: Date; ends_at: Date }[],
  instructors: { session_id: string; person_id: string }[],
  count: { booked: number; waitlisted: number } | undefined,
): SessionDto {
  return {
    id: s.id,
    courseId: s.course_id,
    courseCode: s.course_code,
    courseTitle: s.course_title,
    title: s.title,
    status: s.status,
    days: days
      .filter((d) => d.session_id === s.id)
      .map((d) => ({
        startsAt: toVnLocal(new Date(d.starts_at)),
        endsAt: toVnLocal(new Date(d.ends_at)),
      })),
    venue:
      s.venue_name === null
        ? null
        : {
            name: s.venue_name,
            address: s.venue_address,
            room: s.venue_room,
            capacity: s.venue_capacity ?? 0,
          },
    onlineUrl: s.online_url,
    instructorPersonIds: instructors.filter((i) => i.session_id === s.id).map((i) => i.person_id),
    externalTrainers: s.external_trainers,
    signupOpensAt: toVnLocal(new Date(s.signup_opens_at)),
    signupClosesAt: toVnLocal(new Date(s.signup_closes_at)),
    minSeats: s.min_seats,
    maxSeats: s.max_seats,
    cancelCutoffHours: s.cancel_cutoff_hours,
    bookedSeats: count?.booked ?? 0,
    waitlisted: count?.waitlisted ?? 0,
  };
}

/** Venue name + room as one key, case-insensitive: "P.301" of one school is one room. */
export function roomKey(venueName: string, room: string): string {
  return `${nfc(venueName.trim()).toLowerCase()}|${nfc(room.trim()).toLowerCase()}`;
}

/**
 * The days and the sign-up window as instants, or 400 naming every field at fault: a time
 * that does not exist, an end not after its start, two days that overlap, a window that does
 * not end by the first day, more seats than the room holds, neither a venue nor a link.
 */
export function readDays(dto: CreateSessionDto): Interval[] {
  const problems: LocalizedDetail[] = [];
  const at = (value: string, field: string): Date | null => {
    const instant = vnLocalToInstant(value);
    if (!instant) {
      problems.push(
        detail(field, 'Không phải một thời điểm có thật.', 'Not a real date and time.'),
      );
    }
    return instant;
  };
  const days: Interval[] = [];
  dto.days.forEach((d, i) => {
    const startsAt = at(d.startsAt, `days[${i}].startsAt`);
    const endsAt = at(d.endsAt, `days[${i}].endsAt`);
    if (!startsAt || !endsAt) return;
    if (endsAt <= startsAt) {
      problems.push(
        detail(`days[${i}].endsAt`, 'Phải sau giờ bắt đầu.', 'Must be after the start.'),
      );
      return;
    }
    days.push({ startsAt, endsAt });
  });
  if (days.length === dto.days.length) {
    for (const [, j] of overlappingPairs(days)) {
      problems.push(
        detail(`days[${j}]`, 'Trùng giờ với một ngày khác của lớp.', 'Overlaps another day.'),
      );
    }
  }
  const opens = at(dto.signupOpensAt, 'signupOpensAt');
  const closes = at(dto.signupClosesAt, 'signupClosesAt');
  if (opens && closes && closes <= opens) {
    problems.push(
      detail('signupClosesAt', 'Phải sau thời điểm mở đăng ký.', 'Must be after signupOpensAt.'),
    );
  }
  const first = days.length ? Math.min(...days.map((d) => d.startsAt.getTime())) : null;
  if (closes && first !== null && closes.getTime() > first) {
    problems.push(
      detail(
        'signupClosesAt',
        'Phải không muộn hơn giờ bắt đầu của ngày học đầu tiên.',
        'Must not be later than the start of the first day.',
      ),
    );
  }
  if ((dto.minSeats ?? 0) > dto.maxSeats) {
    problems.push(
      detail('minSeats', 'Không được lớn hơn maxSeats.', 'Must not be greater than maxSeats.'),
    );
  }
  if (dto.venue && dto.maxSeats > dto.venue.capacity) {
    problems.push(
      detail(
        'maxSeats',
        'Không được lớn hơn sức chứa của phòng học.',
        'Must not exceed the venue capacity.',
      ),
    );
  }
  if (!dto.venue && !dto.onlineUrl) {
    problems.push(
      detail(
        'venue',
        'Cần địa điểm hoặc đường dẫn học trực tuyến.',
        'Give a venue or an onlineUrl.',
      ),
    );
  }
  if (problems.length) throw new DomainError('VALIDATION_FAILED', {}, problems);
  return days;
}
