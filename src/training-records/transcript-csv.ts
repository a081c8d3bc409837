import { day, TableCell, TableSpec } from '../common/csv/table';

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

/** The transcript as a table (CSV and XLSX): Vietnamese header, one line per training. */
export const TRANSCRIPT_TABLE: TableSpec = {
  sheetName: 'Quá trình đào tạo',
  columns: [
    { header: 'Mã khóa học', width: 12 },
    { header: 'Tên khóa học', width: 48 },
    { header: 'Ngày hoàn thành', width: 16 },
    { header: 'Số giờ', width: 8 },
    { header: 'Xếp loại', width: 12 },
    { header: 'Số hiệu chứng nhận', width: 18 },
    { header: 'Hình thức', width: 32 },
    { header: 'Đơn vị đào tạo', width: 36 },
    { header: 'Ghi chú', width: 40 },
  ],
};

export const TRANSCRIPT_CSV_HEADER = TRANSCRIPT_TABLE.columns.map((c) => c.header);

/** The transcript's rows: the completion day as a date, the hours as a number. */
export function transcriptRows(lines: readonly TranscriptLine[]): TableCell[][] {
  return lines.map((l) => [
    l.courseCode,
    l.courseTitle,
    day(l.completedOn),
    l.hours,
    l.grade,
    l.certificateSerial,
    RECOGNITION_LABELS_VI[l.recognition],
    l.provider,
    l.note,
  ]);
}
