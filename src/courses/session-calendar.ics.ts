import { ICalCalendar, ICalEventStatus } from 'ical-generator';
import { BookingStatus, SessionStatus } from './session.types';

/**
 * One day of a classroom session as a calendar shows it, with the booking it is shown for
 * (none in an officer's export of the session). `removed`: a day number a correction took away
 * (class_session_removed_days), shown cancelled so a calendar that imported it drops it.
 */
export interface CalendarDayRow {
  session_id: string;
  day_no: number;
  starts_at: Date;
  ends_at: Date;
  removed: boolean;
  course_code: string;
  course_title: string;
  session_title: string;
  session_status: SessionStatus;
  venue_name: string | null;
  venue_room: string | null;
  venue_address: string | null;
  online_url: string | null;
  instructors: string[];
  external_trainers: string[];
  calendar_sequence: number;
  /** When the event last changed: the later of the session's and the booking's last change. */
  stamp: Date;
  booking_status: BookingStatus | null;
  /** How many earlier bookings the same person made of the same session (a re-booking). */
  earlier_bookings: number;
}

/**
 * The UID of a session day: the same in every file and feed, whatever changes (the day's
 * times, the venue, the booking), so a calendar updates the event instead of adding another.
 */
export const dayUid = (sessionId: string, dayNo: number) =>
  `class-session-${sessionId}-day-${dayNo}@cadre-lms`;

/** How far a booking's state has gone: each step shows a new revision of its events. */
const BOOKING_STEP: Record<BookingStatus, number> = {
  waitlisted: 0,
  booked: 1,
  cancelled: 2,
  moved: 2,
};

/**
 * SEQUENCE of an event: the session's calendar_sequence (raised by every change of the session
 * a calendar shows) plus the steps of the booking it is shown for. A booking only moves forward
 * (waitlisted → booked → cancelled or moved) and a re-booking of the same session starts three
 * steps above every earlier one, so the number never goes down for one person and UID.
 */
export function eventSequence(row: CalendarDayRow): number {
  const booking =
    row.booking_status === null ? 0 : 3 * row.earlier_bookings + BOOKING_STEP[row.booking_status];
  return row.calendar_sequence + booking;
}

/** CANCELLED: the session, the day or the booking is; TENTATIVE: waitlisted, or a draft. */
export function eventStatus(row: CalendarDayRow): ICalEventStatus {
  if (
    row.removed ||
    row.session_status === 'cancelled' ||
    row.booking_status === 'cancelled' ||
    row.booking_status === 'moved'
  ) {
    return ICalEventStatus.CANCELLED;
  }
  if (row.booking_status === 'waitlisted' || row.session_status === 'draft') {
    return ICalEventStatus.TENTATIVE;
  }
  return ICalEventStatus.CONFIRMED;
}

/** Venue name, room and address on one line, or the online link when there is no venue. */
export function eventLocation(row: CalendarDayRow): string | null {
  const venue = [row.venue_name, row.venue_room, row.venue_address].filter(Boolean).join(', ');
  return venue || row.online_url;
}

function eventDescription(row: CalendarDayRow): string {
  const teachers = [...row.instructors, ...row.external_trainers];
  const lines = [
    `Khóa học: ${row.course_code} — ${row.course_title}`,
    `Lớp: ${row.session_title}`,
    `Buổi học số ${row.day_no}`,
    teachers.length ? `Giảng viên: ${teachers.join('; ')}` : null,
    row.online_url ? `Học trực tuyến: ${row.online_url}` : null,
    row.booking_status === 'waitlisted' ? 'Đồng chí đang trong danh sách chờ.' : null,
    eventStatus(row) === ICalEventStatus.CANCELLED ? 'Buổi học này đã bị hủy.' : null,
  ];
  return lines.filter((l): l is string => l !== null).join('\n');
}

/**
 * An iCalendar file of session days (RFC 5545), times in UTC ("…Z"): unambiguous in every
 * client, which shows them in its own zone — 08:00 in Hà Nội is 01:00Z. One VEVENT per day:
 * summary the course title, location the venue (or the link), description the class, the day
 * and the instructors. Written by ical-generator, which escapes and folds the lines (UTF-8).
 */
export function sessionCalendar(
  name: string,
  rows: readonly CalendarDayRow[],
  refreshHours?: number,
): string {
  const calendar = new ICalCalendar({
    name,
    prodId: { company: 'congdoan.vn', product: 'cadre-lms', language: 'VI' },
    ttl: refreshHours ? refreshHours * 3600 : null,
  });
  for (const row of rows) {
    calendar.createEvent({
      id: dayUid(row.session_id, row.day_no),
      sequence: eventSequence(row),
      stamp: new Date(row.stamp),
      start: new Date(row.starts_at),
      end: new Date(row.ends_at),
      summary: row.course_title,
      location: eventLocation(row),
      description: eventDescription(row),
      url: row.online_url,
      status: eventStatus(row),
    });
  }
  return calendar.toString();
}
