import { Injectable, StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../auth/actor';
import { Clock } from '../common/clock/clock';
import { TableCell, TableFormat, tableFile, TableSpec } from '../common/csv/table';
import { addDays } from '../common/dates/calendar';
import { detail, DomainError } from '../common/errors/domain-error';
import { OrgUnitsService } from '../org-units/org-units.service';
import {
  NoShowQueryDto,
  NoShowReportDto,
  NoShowRowDto,
  SessionReportDto,
  SheetFormat,
} from './dto/session-report.dto';
import { findSession } from './session-access';
import {
  BOOKING_COUNTS_SQL,
  DAY_COUNTS_SQL,
  SESSION_DAYS_SQL,
  SESSION_INSTRUCTORS_SQL,
  SESSION_NO_SHOWS_SQL,
  SHEET_PEOPLE_SQL,
  UNIT_NO_SHOWS_SQL,
} from './session-reports.sql';
import { AttendanceSheet, roundHours, sheetTable, venueText, vnDateTime } from './session-sheet';
import { renderAttendanceSheetPdf } from './session-sheet-pdf';
import { toVnLocal } from './session-time';
import { AttendanceStatus, BookingStatus } from './session.types';

const ratio = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;

const BOOKING_LABELS: Record<BookingStatus, string> = {
  booked: 'Đã giữ chỗ',
  waitlisted: 'Danh sách chờ',
  cancelled: 'Đã hủy',
  moved: 'Đã chuyển lớp',
};

export const BOOKINGS_TABLE: TableSpec = {
  sheetName: 'Đăng ký',
  columns: [
    { header: 'Họ và tên', width: 30 },
    { header: 'Đơn vị', width: 40 },
    { header: 'Trạng thái', width: 16 },
    { header: 'Thứ tự chờ', width: 12 },
    { header: 'Thời điểm đăng ký', width: 20 },
  ],
};

export const NO_SHOWS_TABLE: TableSpec = {
  sheetName: 'Vắng mặt',
  columns: [
    { header: 'Mã đơn vị', width: 14 },
    { header: 'Đơn vị', width: 45 },
    { header: 'Số lượt giữ chỗ', width: 16 },
    { header: 'Số lượt vắng mặt', width: 16 },
    { header: 'Tỷ lệ vắng mặt (%)', width: 18 },
  ],
};

/** The days a no-show report covers when `from` is not given: a year up to `to`. */
export const NO_SHOW_DEFAULT_DAYS = 365;

/** A range of at most this many days: a wider one would be a scan of history, not a report. */
export const NO_SHOW_MAX_DAYS = 3660;

/** Midnight at the start of a Vietnam calendar day. */
const vnMidnight = (iso: string): Date => new Date(`${iso}T00:00:00+07:00`);

/**
 * Reports of classroom sessions (issue 17, item 6): the attendance sheet (PDF for signatures,
 * CSV, XLSX), a session's sign-up and attendance summary, its bookings as a file, and the
 * no-show rate per unit. Read-only; each is a fixed number of set-based statements, none per
 * person. A session is reached as its bookings list is (findSession 'manage'); the no-show
 * report reads the people of a unit of the caller's training:read scope.
 */
@Injectable()
export class SessionReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orgUnits: OrgUnitsService,
    private readonly clock: Clock,
  ) {}

  /** The sheet's facts: the session, its days and instructors, the booked people's marks. */
  async sheet(actor: Actor, sessionId: string): Promise<AttendanceSheet> {
    const em = this.dataSource.manager;
    const session = await findSession(em, actor, sessionId, 'manage');
    const [days, instructors, people] = await Promise.all([
      em.query<{ day_no: number; starts_at: Date; ends_at: Date }[]>(SESSION_DAYS_SQL, [sessionId]),
      em.query<{ full_name: string }[]>(SESSION_INSTRUCTORS_SQL, [sessionId]),
      em.query<
        {
          full_name: string;
          unit_name: string;
          posts: string | null;
          marks: (AttendanceStatus | null)[] | null;
          attended_seconds: number;
        }[]
      >(SHEET_PEOPLE_SQL, [sessionId]),
    ]);
    return {
      sessionId,
      courseCode: session.course_code,
      courseTitle: session.course_title,
      sessionTitle: session.title,
      venue: venueText(session.venue_name, session.venue_room, session.venue_address),
      onlineUrl: session.online_url,
      instructors: [...instructors.map((i) => i.full_name), ...session.external_trainers],
      days: days.map((d) => ({
        dayNo: d.day_no,
        startsAt: new Date(d.starts_at),
        endsAt: new Date(d.ends_at),
      })),
      people: people.map((p) => ({
        fullName: p.full_name,
        unitName: p.unit_name,
        posts: p.posts,
        marks: p.marks ?? [],
        attendedHours: roundHours(Number(p.attended_seconds)),
      })),
    };
  }

  /** The attendance sheet as a download: PDF (default), CSV or XLSX. */
  async sheetFile(actor: Actor, sessionId: string, format: SheetFormat): Promise<StreamableFile> {
    const sheet = await this.sheet(actor, sessionId);
    const base = `attendance-sheet-${sessionId}`;
    if (format !== 'pdf') {
      const { spec, rows } = sheetTable(sheet);
      return tableFile(format, spec, rows, base);
    }
    const pdf = await renderAttendanceSheetPdf(sheet, this.clock.now());
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `attachment; filename="${base}.pdf"`,
      length: pdf.length,
    });
  }

  /** Seats, bookings by state, the marks of each day and the no-shows of one session. */
  async report(actor: Actor, sessionId: string): Promise<SessionReportDto> {
    const em = this.dataSource.manager;
    const session = await findSession(em, actor, sessionId, 'manage');
    const [[counts], days, [{ no_shows }]] = await Promise.all([
      em.query<{ booked: number; waitlisted: number; cancelled: number; moved: number }[]>(
        BOOKING_COUNTS_SQL,
        [sessionId],
      ),
      em.query<
        {
          day_no: number;
          starts_at: Date;
          ends_at: Date;
          present: number;
          late: number;
          absent: number;
          excused: number;
          unmarked: number;
        }[]
      >(DAY_COUNTS_SQL, [sessionId]),
      em.query<{ no_shows: number }[]>(SESSION_NO_SHOWS_SQL, [sessionId, this.clock.now()]),
    ]);
    const attended = days.reduce((s, d) => s + d.present + d.late, 0);
    return {
      sessionId,
      courseId: session.course_id,
      courseTitle: session.course_title,
      title: session.title,
      status: session.status,
      capacity: session.max_seats,
      ...counts,
      days: days.map((d) => ({
        dayNo: d.day_no,
        startsAt: toVnLocal(new Date(d.starts_at)),
        endsAt: toVnLocal(new Date(d.ends_at)),
        present: d.present,
        late: d.late,
        absent: d.absent,
        excused: d.excused,
        unmarked: d.unmarked,
        attendanceRate: ratio(d.present + d.late, counts.booked),
      })),
      attendanceRate: ratio(attended, counts.booked * days.length),
      noShows: no_shows,
    };
  }

  /** Every booking of the session in request order (the waitlist's order) as CSV or XLSX. */
  async bookingsFile(
    actor: Actor,
    sessionId: string,
    format: TableFormat,
  ): Promise<StreamableFile> {
    const em = this.dataSource.manager;
    await findSession(em, actor, sessionId, 'manage');
    const rows = await em.query<
      {
        full_name: string;
        unit_name: string;
        status: BookingStatus;
        waitlist_position: number | null;
        requested_at: Date;
      }[]
    >(
      `SELECT p.full_name, o.name AS unit_name, b.status, b.requested_at,
              CASE WHEN b.status = 'waitlisted' THEN
                (row_number() OVER (PARTITION BY b.status = 'waitlisted' ORDER BY b.request_seq))::int
              END AS waitlist_position
         FROM session_bookings b
         JOIN people p ON p.id = b.person_id
         JOIN org_units o ON o.id = p.home_org_unit_id
        WHERE b.session_id = $1
        ORDER BY b.request_seq`,
      [sessionId],
    );
    const cells = rows.map((r): TableCell[] => [
      r.full_name,
      r.unit_name,
      BOOKING_LABELS[r.status],
      r.waitlist_position,
      vnDateTime(new Date(r.requested_at)),
    ]);
    return tableFile(format, BOOKINGS_TABLE, cells, `session-bookings-${sessionId}`);
  }

  /**
   * No-shows per child unit of a unit of the caller's training:read scope (by default the unit
   * of their first such grant), each child's subtree rolled up, over the sessions done whose last
   * day ends within [from, to] (Vietnam days). See NO_SHOW_SQL for what a no-show is.
   */
  async noShows(actor: Actor, query: NoShowQueryDto): Promise<NoShowReportDto> {
    const to = query.to ?? this.clock.todayVn();
    const from = query.from ?? addDays(to, -NO_SHOW_DEFAULT_DAYS);
    if (from > to) {
      throw new DomainError('VALIDATION_FAILED', {}, [
        detail(
          'from',
          `Ngày bắt đầu ${from} sau ngày kết thúc ${to}.`,
          `from ${from} is after to ${to}.`,
        ),
      ]);
    }
    if (addDays(from, NO_SHOW_MAX_DAYS) < to) {
      throw new DomainError('VALIDATION_FAILED', {}, [
        detail(
          'to',
          `Khoảng thời gian dài quá ${NO_SHOW_MAX_DAYS} ngày.`,
          `The range spans more than ${NO_SHOW_MAX_DAYS} days.`,
        ),
      ]);
    }
    const unitId = query.orgUnitId ?? this.ownUnit(actor);
    const unit = await this.orgUnits.findInScope(actor, unitId, 'training:read');
    const rows = await this.dataSource.query<
      {
        unit_id: string | null;
        code: string | null;
        name: string | null;
        booked: number;
        no_shows: number;
      }[]
    >(UNIT_NO_SHOWS_SQL, [unit.id, unit.path, vnMidnight(from), vnMidnight(addDays(to, 1))]);
    const toRow = (
      r: (typeof rows)[number],
      ref: { id: string; code: string; name: string },
    ): NoShowRowDto => ({
      unit: ref,
      booked: r.booked,
      noShows: r.no_shows,
      rate: ratio(r.no_shows, r.booked),
    });
    const self = { id: unit.id, code: unit.code, name: unit.name };
    return {
      unit: self,
      from,
      to,
      units: rows
        .filter((r) => r.unit_id !== null)
        .map((r) => toRow(r, { id: r.unit_id!, code: r.code!, name: r.name! })),
      total: toRow(
        rows.find((r) => r.unit_id === null)!,
        self,
      ),
    };
  }

  async noShowsFile(
    actor: Actor,
    query: NoShowQueryDto,
    format: TableFormat,
  ): Promise<StreamableFile> {
    const report = await this.noShows(actor, query);
    const line = (r: NoShowRowDto, name: string): TableCell[] => [
      r.unit.code,
      name,
      r.booked,
      r.noShows,
      r.rate === null ? null : Math.round(r.rate * 10_000) / 100,
    ];
    const cells = [
      ...report.units.map((r) => line(r, r.unit.name)),
      line(report.total, `Tổng cộng: ${report.unit.name}`),
    ];
    return tableFile(
      format,
      NO_SHOWS_TABLE,
      cells,
      `session-no-shows-${report.unit.code}-${report.from}-${report.to}`,
    );
  }

  /** The unit of the caller's first training:read grant (the widest comes first in scope). */
  private ownUnit(actor: Actor): string {
    const paths = actor.scopePaths('training:read');
    const grant = actor.grants.find((g) => paths.includes(g.path));
    if (!grant) throw new DomainError('ORG_UNIT_NOT_FOUND');
    return grant.orgUnitId;
  }
}
