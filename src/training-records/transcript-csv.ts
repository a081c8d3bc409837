import { formatDateVi } from '../certificates/certificate-format';

export interface TranscriptLine {
  courseCode: string;
  courseTitle: string;
  completedAt: Date;
  hours: number;
  /** Null for a course completed without a final assessment. */
  grade: string | null;
  certificateSerial: string | null;
}

export const TRANSCRIPT_CSV_HEADER = [
  'Mã khóa học',
  'Tên khóa học',
  'Ngày hoàn thành',
  'Số giờ',
  'Xếp loại',
  'Số hiệu chứng nhận',
];

/** RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet never runs a cell. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The transcript as CSV for Excel: UTF-8 with a byte-order mark (else Excel reads the
 * diacritics as ANSI), CRLF line ends, dates dd/MM/yyyy, header in Vietnamese.
 */
export function transcriptCsv(lines: readonly TranscriptLine[]): string {
  const rows = [
    TRANSCRIPT_CSV_HEADER,
    ...lines.map((l) => [
      l.courseCode,
      l.courseTitle,
      formatDateVi(l.completedAt),
      String(l.hours),
      l.grade ?? '',
      l.certificateSerial ?? '',
    ]),
  ];
  return `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
