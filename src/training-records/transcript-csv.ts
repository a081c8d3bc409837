import { isoToVi } from '../common/dates/vietnam-dates';

export const TRANSCRIPT_KINDS = ['course', 'external'] as const;
export type TranscriptKind = (typeof TRANSCRIPT_KINDS)[number];
export const TRANSCRIPT_RECOGNITIONS = ['rules', 'manual', 'external'] as const;
/** rules: completed in the system; manual: prior learning recognised; external: elsewhere. */
export type TranscriptRecognition = (typeof TRANSCRIPT_RECOGNITIONS)[number];

export interface TranscriptLine {
  kind: TranscriptKind;
  /** Null for external training. */
  courseCode: string | null;
  courseTitle: string;
  /** Who gave external training; null for courses of the system. */
  provider: string | null;
  /** yyyy-MM-dd, Vietnam time (the last day, for external training). */
  completedOn: string;
  hours: number;
  /** Null without a final assessment, and for external training. */
  score: number | null;
  grade: string | null;
  recognition: TranscriptRecognition;
  /** The officer's reason (recognised learning) or evidence note (external). */
  note: string | null;
  certificateSerial: string | null;
}

export const RECOGNITION_LABELS_VI: Record<TranscriptRecognition, string> = {
  rules: 'Hoàn thành khóa học',
  manual: 'Công nhận kết quả học tập trước',
  external: 'Đào tạo bên ngoài (đã xác minh)',
};

export const TRANSCRIPT_CSV_HEADER = [
  'Mã khóa học',
  'Tên khóa học',
  'Ngày hoàn thành',
  'Số giờ',
  'Xếp loại',
  'Số hiệu chứng nhận',
  'Hình thức',
  'Đơn vị đào tạo',
  'Ghi chú',
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
      l.courseCode ?? '',
      l.courseTitle,
      isoToVi(l.completedOn),
      String(l.hours),
      l.grade ?? '',
      l.certificateSerial ?? '',
      RECOGNITION_LABELS_VI[l.recognition],
      l.provider ?? '',
      l.note ?? '',
    ]),
  ];
  return `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
