import { TableCell, TableSpec } from '../common/csv/table';
import { oneLine } from '../common/text/vietnamese';
import { toVnLocal } from './session-time';
import { AttendanceStatus } from './session.types';

/**
 * The attendance sheet of a session (issue 17, item 6) as the PDF, CSV and XLSX share it: the
 * session's heading facts and one line per booked person with the mark of each day. Built by
 * SessionReportsService from one query; no national ID number is ever read into it.
 */

export interface SheetDay {
  dayNo: number;
  startsAt: Date;
  endsAt: Date;
}

export interface SheetPerson {
  fullName: string;
  unitName: string;
  /** The titles of the posts the person holds now, '; '-joined; null when none. */
  posts: string | null;
  /** One per day, in the days' order; null where nobody marked the person. */
  marks: (AttendanceStatus | null)[];
  /** Length of the days marked present or late, in hours. */
  attendedHours: number;
}

export interface AttendanceSheet {
  sessionId: string;
  courseCode: string;
  courseTitle: string;
  sessionTitle: string;
  venue: string | null;
  onlineUrl: string | null;
  instructors: string[];
  days: SheetDay[];
  people: SheetPerson[];
}

export const MARK_LABELS: Record<AttendanceStatus, string> = {
  present: 'Có mặt',
  late: 'Muộn',
  absent: 'Vắng',
  excused: 'Có phép',
};

/** Short marks for a narrow day column (many days), with the legend printed under the table. */
export const MARK_SHORT: Record<AttendanceStatus, string> = {
  present: 'C',
  late: 'M',
  absent: 'V',
  excused: 'P',
};

/** An instant as people in Vietnam read it: 10/03/2027 08:00. */
export function vnDateTime(at: Date): string {
  const local = toVnLocal(at);
  return `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 16)}`;
}

/** A day of the session: 10/03/2027 08:00–16:30 (the end's date too when it is another day). */
export function dayText(day: SheetDay): string {
  const start = vnDateTime(day.startsAt);
  const end = vnDateTime(day.endsAt);
  return start.slice(0, 10) === end.slice(0, 10)
    ? `${start}–${end.slice(11)}`
    : `${start} – ${end}`;
}

/** The venue as one line: name, room, address (those given). */
export function venueText(name: string | null, room: string | null, address: string | null) {
  const parts = [name, room, address].filter((p): p is string => !!p).map(oneLine);
  return parts.length ? parts.join(', ') : null;
}

/** Hours with at most two decimals (7.5, 0.33): a number cell, and the PDF's text. */
export function roundHours(seconds: number): number {
  return Math.round((seconds / 3600) * 100) / 100;
}

export function hoursVi(hours: number): string {
  return String(hours).replace('.', ',');
}

/** The sheet as a table: STT, name, unit, post, a column per day, attended hours. */
export function sheetTable(sheet: AttendanceSheet): {
  spec: TableSpec;
  rows: TableCell[][];
} {
  const spec: TableSpec = {
    sheetName: 'Điểm danh',
    columns: [
      { header: 'STT', width: 6 },
      { header: 'Họ và tên', width: 30 },
      { header: 'Đơn vị', width: 40 },
      { header: 'Chức vụ', width: 30 },
      ...sheet.days.map((d) => ({
        header: `Ngày ${d.dayNo} (${vnDateTime(d.startsAt).slice(0, 10)})`,
        width: 16,
      })),
      { header: 'Số giờ tham dự', width: 14 },
    ],
  };
  const rows = sheet.people.map((p, i): TableCell[] => [
    i + 1,
    p.fullName,
    p.unitName,
    p.posts ?? '',
    ...p.marks.map((m) => (m ? MARK_LABELS[m] : '')),
    p.attendedHours,
  ]);
  return { spec, rows };
}
