import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { Clock } from '../common/clock/clock';
import { detail, DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { checkInKey, issueCheckInCode, verifyCheckInCode } from './check-in-code';
import { sameCourseSql } from './course-family.sql';
import {
  AttendanceMarkDto,
  AttendanceMarkListDto,
  AttendanceSheetDto,
  CheckInCodeDto,
  CheckInResultDto,
  MarkAttendanceDto,
} from './dto/attendance.dto';
import { EnrolmentsService } from './enrolments.service';
import { findSession } from './session-access';
import { WRITE_MARKS_SQL } from './session-attendance.sql';
import { toVnLocal } from './session-time';
import { AttendanceStatus } from './session.types';

/** Self check-in opens this long before a day starts and closes when it ends. */
export const CHECK_IN_OPENS_BEFORE_MS = 30 * 60_000;

interface DayRow {
  starts_at: Date;
  ends_at: Date;
}

/**
 * Attendance per session day (issue 17, item 3): an officer's marks in bulk, the rotating QR
 * code of a day and the learner's self check-in. Every write is one statement (WRITE_MARKS_SQL)
 * that keeps the replaced mark in the change log, and is followed in the same transaction by an
 * attempt to complete each marked person's enrolment (item 4: the attendance share is part of
 * the one completion rule, EnrolmentsService.tryComplete).
 */
@Injectable()
export class SessionAttendanceService {
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly enrolments: EnrolmentsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = checkInKey(config.jwtSecret);
  }

  /**
   * An officer of the course marks people booked on the session for one day. Marks open when
   * self check-in does (30 min before the day starts): a future day cannot be marked attended.
   */
  async mark(
    actor: Actor,
    sessionId: string,
    dayParam: string,
    dto: MarkAttendanceDto,
  ): Promise<AttendanceMarkListDto> {
    const seen = new Map<string, number>();
    const repeated = dto.marks.flatMap((m, i) => {
      const first = seen.get(m.personId);
      seen.set(m.personId, first ?? i);
      return first === undefined
        ? []
        : [
            detail(
              `marks[${i}].personId`,
              `Đã có ở marks[${first}]: mỗi người một dấu điểm danh.`,
              `Already in marks[${first}]: one mark per person.`,
            ),
          ];
    });
    if (repeated.length) throw new DomainError('VALIDATION_FAILED', {}, repeated);
    return this.dataSource.transaction(async (em) => {
      // The session row's lock serialises the marks of a session (see WRITE_MARKS_SQL).
      const session = await findSession(em, actor, sessionId, 'manage', true);
      this.assertMarkable(session.status);
      const dayNo = parseDayNo(dayParam);
      const day = await this.findDay(em, sessionId, dayNo);
      const opensAt = new Date(day.starts_at.getTime() - CHECK_IN_OPENS_BEFORE_MS);
      if (this.clock.now() < opensAt) {
        throw new DomainError('ATTENDANCE_DAY_NOT_STARTED', { opensAt: toVnLocal(opensAt) });
      }
      const ids = dto.marks.map((m) => m.personId);
      const booked = await em.query<{ person_id: string }[]>(
        `SELECT person_id FROM session_bookings
          WHERE session_id = $1 AND status = 'booked' AND person_id = ANY($2::uuid[])`,
        [sessionId, ids],
      );
      const bookedIds = new Set(booked.map((b) => b.person_id));
      const strangers = ids.flatMap((id, i) =>
        bookedIds.has(id) ? [] : [{ field: `marks[${i}].personId`, message: id }],
      );
      if (strangers.length) throw new DomainError('ATTENDANCE_NOT_BOOKED', {}, strangers);
      const rows = await this.write(
        em,
        sessionId,
        dayNo,
        dto.marks.map((m) => ({ person_id: m.personId, status: m.status })),
        'officer',
        actor.userId,
      );
      const completed = await this.tryCompleteAll(em, session.course_id, ids);
      return {
        sessionId,
        dayNo,
        items: rows.map((r): AttendanceMarkDto => ({
          personId: r.person_id,
          status: r.status,
          previousStatus: r.previous_status,
          completed: completed.has(r.person_id),
        })),
      };
    });
  }

  /**
   * The attendance sheet of a day: everyone booked on the session (a session holds at most its
   * seats, so one list), by name, with the current mark and whether it came from a check-in.
   */
  async sheet(actor: Actor, sessionId: string, dayParam: string): Promise<AttendanceSheetDto> {
    const em = this.dataSource.manager;
    await findSession(em, actor, sessionId, 'manage');
    const dayNo = parseDayNo(dayParam);
    const day = await this.findDay(em, sessionId, dayNo);
    const rows = await em.query<
      { person_id: string; full_name: string; status: AttendanceStatus | null; source: string }[]
    >(
      `SELECT b.person_id, p.full_name, a.status, a.source
         FROM session_bookings b
         JOIN people p ON p.id = b.person_id
         LEFT JOIN session_attendance a
           ON a.session_id = b.session_id AND a.day_no = $2 AND a.person_id = b.person_id
        WHERE b.session_id = $1 AND b.status = 'booked'
        ORDER BY p.sort_key, p.id`,
      [sessionId, dayNo],
    );
    return {
      sessionId,
      dayNo,
      startsAt: toVnLocal(new Date(day.starts_at)),
      endsAt: toVnLocal(new Date(day.ends_at)),
      items: rows.map((r) => ({
        personId: r.person_id,
        fullName: r.full_name,
        status: r.status,
        source: (r.source as 'officer' | 'check_in' | null) ?? null,
      })),
    };
  }

  /** The QR code of a day for this minute: officers of the course only. */
  async checkInCode(actor: Actor, sessionId: string, dayParam: string): Promise<CheckInCodeDto> {
    const session = await findSession(this.dataSource.manager, actor, sessionId, 'manage');
    this.assertMarkable(session.status);
    const dayNo = parseDayNo(dayParam);
    await this.findDay(this.dataSource.manager, sessionId, dayNo);
    const { code, rotatesAt } = issueCheckInCode(this.key, sessionId, dayNo, this.clock.now());
    return { code, rotatesAt: rotatesAt.toISOString() };
  }

  /**
   * The signed-in learner checks in with the code shown in the classroom: a genuine code of
   * this or the last minute, a session they are booked on, from 30 min before the day starts
   * to its end. Present, unless already marked present or late (a second scan changes nothing).
   */
  async checkIn(actor: Actor, code: string): Promise<CheckInResultDto> {
    const now = this.clock.now();
    const verdict = verifyCheckInCode(this.key, code, now);
    if (!verdict.ok) {
      throw new DomainError(
        verdict.reason === 'expired' ? 'CHECK_IN_CODE_EXPIRED' : 'CHECK_IN_CODE_INVALID',
      );
    }
    const { sessionId, dayNo } = verdict;
    return this.dataSource.transaction(async (em) => {
      const [row] = await em.query<
        (DayRow & { course_id: string; status: string; booked: boolean; mark: string | null })[]
      >(
        `SELECT d.starts_at, d.ends_at, s.course_id, s.status,
                EXISTS (SELECT 1 FROM session_bookings b WHERE b.session_id = s.id
                           AND b.person_id = $3 AND b.status = 'booked') AS booked,
                (SELECT a.status FROM session_attendance a WHERE a.session_id = s.id
                    AND a.day_no = d.day_no AND a.person_id = $3) AS mark
           FROM class_session_days d JOIN class_sessions s ON s.id = d.session_id
          WHERE d.session_id = $1 AND d.day_no = $2
            FOR UPDATE OF s`,
        [sessionId, dayNo, actor.personId],
      );
      if (!row || row.status === 'draft' || row.status === 'cancelled') {
        throw new DomainError('CHECK_IN_CODE_INVALID');
      }
      if (!row.booked) throw new DomainError('CHECK_IN_NOT_BOOKED');
      const opensAt = new Date(row.starts_at.getTime() - CHECK_IN_OPENS_BEFORE_MS);
      if (now < opensAt || now > row.ends_at) {
        throw new DomainError('CHECK_IN_OUTSIDE_WINDOW', {
          opensAt: toVnLocal(opensAt),
          closesAt: toVnLocal(row.ends_at),
        });
      }
      let status = row.mark as AttendanceStatus | null;
      if (status !== 'present' && status !== 'late') {
        const marks = [{ person_id: actor.personId, status: 'present' }];
        await this.write(em, sessionId, dayNo, marks, 'check_in', actor.userId);
        status = 'present';
      }
      const completed = await this.tryCompleteAll(em, row.course_id, [actor.personId]);
      return { sessionId, dayNo, status, completed: completed.size > 0 };
    });
  }

  private write(
    em: EntityManager,
    sessionId: string,
    dayNo: number,
    marks: { person_id: string; status: string }[],
    source: 'officer' | 'check_in',
    userId: string | null,
  ): Promise<
    { person_id: string; status: AttendanceStatus; previous_status: AttendanceStatus | null }[]
  > {
    return em.query(WRITE_MARKS_SQL, [sessionId, dayNo, JSON.stringify(marks), source, userId]);
  }

  /**
   * Attempts completion of each person's current (latest) enrolment in the course, any
   * version; returns who completed now.
   */
  /**
   * A session just done: each person booked on it whose attendance share was waiting for the
   * session's end is tried for completion (the one completion rule), in the caller's transaction.
   */
  async completeBooked(em: EntityManager, sessionId: string, courseId: string): Promise<void> {
    const booked = await em.query<{ person_id: string }[]>(
      `SELECT person_id FROM session_bookings WHERE session_id = $1 AND status = 'booked'`,
      [sessionId],
    );
    if (booked.length) {
      await this.tryCompleteAll(
        em,
        courseId,
        booked.map((b) => b.person_id),
      );
    }
  }

  private async tryCompleteAll(
    em: EntityManager,
    courseId: string,
    personIds: readonly string[],
  ): Promise<Set<string>> {
    const latest = await em.query<{ id: string; person_id: string; status: string }[]>(
      `SELECT DISTINCT ON (e.person_id) e.id, e.person_id, e.status FROM enrolments e
        WHERE e.person_id = ANY($1::uuid[]) AND ${sameCourseSql('e.course_id', '$2')}
        ORDER BY e.person_id, e.cycle DESC, e.enrolled_at DESC`,
      [personIds, courseId],
    );
    const done = new Set<string>();
    for (const e of latest) {
      if (e.status === 'completed') continue;
      const outcome = await this.enrolments.tryComplete(em, e.id);
      if (outcome.status === 'completed') done.add(e.person_id);
    }
    return done;
  }

  private assertMarkable(status: string): void {
    if (status === 'draft' || status === 'cancelled') {
      throw new DomainError('SESSION_STATUS_CONFLICT', { status, action: 'attendance' });
    }
  }

  private async findDay(em: EntityManager, sessionId: string, dayNo: number): Promise<DayRow> {
    const [day] = await em.query<DayRow[]>(
      `SELECT starts_at, ends_at FROM class_session_days WHERE session_id = $1 AND day_no = $2`,
      [sessionId, dayNo],
    );
    if (!day) throw new DomainError('SESSION_DAY_NOT_FOUND');
    return day;
  }
}

/** A day of a session is its number (1, 2 …); anything else in the path is a 400. */
export function parseDayNo(value: string): number {
  if (/^[1-9]\d{0,3}$/.test(value)) return Number(value);
  throw new DomainError('VALIDATION_FAILED', {}, [
    detail('dayId', 'Phải là số thứ tự của buổi học (1, 2 …).', 'Must be the day number (1, 2 …).'),
  ]);
}
