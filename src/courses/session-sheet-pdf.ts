import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { projectRoot } from '../common/project-root';
import { oneLine } from '../common/text/vietnamese';
import {
  AttendanceSheet,
  dayText,
  hoursVi,
  MARK_LABELS,
  MARK_SHORT,
  vnDateTime,
} from './session-sheet';

/**
 * The printable attendance sheet: pdfkit, Be Vietnam Pro embedded (as a subset) from the npm
 * package the certificates use, so every Vietnamese letter prints as it is. A4 portrait for a
 * session of one or two days, landscape beyond; the heading (course, session, days, venue,
 * instructors) on the first page, the table's header row repeated on every page, "Trang x/y"
 * at the foot and a wide empty "Ký tên" column to sign in. Pure: the same sheet and the same
 * print time give the same bytes.
 */

const FONT_DIR = 'node_modules/@expo-google-fonts/be-vietnam-pro';
const FONTS = {
  regular: `${FONT_DIR}/400Regular/BeVietnamPro_400Regular.ttf`,
  bold: `${FONT_DIR}/700Bold/BeVietnamPro_700Bold.ttf`,
};

let fonts: { regular: Buffer; bold: Buffer } | undefined;

function fontFiles(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: readFileSync(join(projectRoot(), FONTS.regular)),
    bold: readFileSync(join(projectRoot(), FONTS.bold)),
  };
  return fonts;
}

const MARGIN = 36;
const INK = '#1f2933';
const MUTED = '#52606d';
const BLUE = '#0d3b66';
const RULE = '#9aa5b1';
const HEAD_FILL = '#e4ecf5';
/** A row tall enough to sign in. */
const ROW_MIN = 26;
const PAD = 3;
/** Horizontal padding of a cell: less in a narrow day column, so that "30" stays on one line. */
const padOf = (width: number): number => (width < 24 ? 0.5 : PAD);

interface Column {
  label: string;
  width: number;
  align: 'left' | 'center';
}

/** Portrait up to two days; landscape beyond (a column per day). */
export function sheetLayout(days: number): 'portrait' | 'landscape' {
  return days <= 2 ? 'portrait' : 'landscape';
}

function columns(sheet: AttendanceSheet, inner: number): { cols: Column[]; short: boolean } {
  const n = sheet.days.length;
  const wide = inner > 600;
  const fixed: Column[] = [
    { label: 'STT', width: 24, align: 'center' },
    { label: 'Họ và tên', width: wide ? 130 : 112, align: 'left' },
    { label: 'Đơn vị', width: wide ? 130 : 104, align: 'left' },
    { label: 'Chức vụ', width: wide ? 80 : 64, align: 'left' },
  ];
  const hours: Column = { label: 'Số giờ', width: 34, align: 'center' };
  let sign: Column = { label: 'Ký tên', width: 90, align: 'left' };
  const used = () => fixed.reduce((s, c) => s + c.width, 0) + hours.width + sign.width;
  // Many days: the unit and post columns give way before the day columns get too narrow.
  let dayWidth = Math.min(52, (inner - used()) / n);
  if (dayWidth < 30) {
    fixed[1].width = 112;
    fixed[2].width = 92;
    fixed[3].width = 52;
    sign = { ...sign, width: 72 };
    dayWidth = (inner - used()) / n;
  }
  const short = dayWidth < 38;
  // The signature column takes what the day columns leave.
  sign = {
    ...sign,
    width: inner - fixed.reduce((s, c) => s + c.width, 0) - hours.width - n * dayWidth,
  };
  // A narrow column names its day by number (and date while it fits); "Thời gian" gives the rest.
  const dayLabel = (d: { dayNo: number; startsAt: Date }): string => {
    const date = vnDateTime(d.startsAt).slice(0, 5);
    if (dayWidth >= 38) return `Ngày ${d.dayNo}\n${date}`;
    return dayWidth >= 28 ? `${d.dayNo}\n${date}` : String(d.dayNo);
  };
  const days: Column[] = sheet.days.map((d) => ({
    label: dayLabel(d),
    width: dayWidth,
    align: 'center',
  }));
  return { cols: [...fixed, ...days, hours, sign], short };
}

export async function renderAttendanceSheetPdf(
  sheet: AttendanceSheet,
  printedAt: Date,
): Promise<Buffer> {
  const layout = sheetLayout(sheet.days.length);
  const doc = new PDFDocument({
    size: 'A4',
    layout,
    margin: 0,
    bufferPages: true,
    lang: 'vi-VN',
    info: {
      Title: `Danh sách điểm danh — ${oneLine(sheet.sessionTitle)}`,
      Author: 'Tổng Liên đoàn Lao động Việt Nam',
      Creator: 'Cadre LMS',
      Producer: 'Cadre LMS (pdfkit)',
      CreationDate: printedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const { regular, bold } = fontFiles();
  doc.registerFont('Regular', regular);
  doc.registerFont('Bold', bold);

  const W = doc.page.width;
  const H = doc.page.height;
  const inner = W - 2 * MARGIN;
  const bottom = H - MARGIN - 16;

  // ── heading ──────────────────────────────────────────────────────────────────────────────
  let y = MARGIN;
  doc.fillColor(MUTED).font('Regular').fontSize(9);
  doc.text('TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM', MARGIN, y, { width: inner, align: 'center' });
  y += 16;
  doc.fillColor(BLUE).font('Bold').fontSize(14);
  doc.text('DANH SÁCH ĐIỂM DANH HỌC VIÊN', MARGIN, y, { width: inner, align: 'center' });
  y += 22;
  const line = (label: string, value: string): void => {
    doc.font('Bold').fontSize(9).fillColor(INK);
    const text = `${label}: `;
    doc.text(text, MARGIN, y, { continued: true, width: inner });
    doc.font('Regular').text(value, { width: inner });
    y = doc.y + 2;
  };
  line('Khóa học', `${oneLine(sheet.courseTitle)} (${oneLine(sheet.courseCode)})`);
  line('Lớp', oneLine(sheet.sessionTitle));
  line('Thời gian', sheet.days.map((d) => `Ngày ${d.dayNo}: ${dayText(d)}`).join('; ') || '—');
  const place = [sheet.venue, sheet.onlineUrl ? `Trực tuyến: ${sheet.onlineUrl}` : null]
    .filter(Boolean)
    .join(' · ');
  line('Địa điểm', place || '—');
  line('Giảng viên', sheet.instructors.map(oneLine).join(', ') || '—');
  y += 6;

  // ── table ────────────────────────────────────────────────────────────────────────────────
  const { cols, short } = columns(sheet, inner);
  const header = (): void => {
    doc.font('Bold').fontSize(8);
    const h =
      Math.max(
        ...cols.map((c) => doc.heightOfString(c.label, { width: c.width - 2 * padOf(c.width) })),
      ) +
      2 * PAD;
    let x = MARGIN;
    for (const c of cols) {
      doc.rect(x, y, c.width, h).fillAndStroke(HEAD_FILL, RULE);
      doc.fillColor(BLUE).text(c.label, x + padOf(c.width), y + PAD, {
        width: c.width - 2 * padOf(c.width),
        align: 'center',
      });
      x += c.width;
    }
    y += h;
  };
  header();
  if (sheet.people.length === 0) {
    doc
      .fillColor(MUTED)
      .font('Regular')
      .fontSize(9)
      .text('Chưa có học viên nào giữ chỗ trong lớp.', MARGIN, y + 6);
    y += 24;
  }
  sheet.people.forEach((p, i) => {
    const cells = [
      String(i + 1),
      oneLine(p.fullName),
      oneLine(p.unitName),
      p.posts ? oneLine(p.posts) : '',
      ...p.marks.map((m) => (m ? (short ? MARK_SHORT[m] : MARK_LABELS[m]) : '')),
      p.attendedHours ? hoursVi(p.attendedHours) : '0',
      '',
    ];
    doc.font('Regular').fontSize(8);
    const h = Math.max(
      ROW_MIN,
      ...cells.map(
        (text, c) =>
          doc.heightOfString(text, { width: cols[c].width - 2 * padOf(cols[c].width) }) + 2 * PAD,
      ),
    );
    if (y + h > bottom) {
      doc.addPage({ size: 'A4', layout, margin: 0 });
      y = MARGIN;
      header();
      doc.font('Regular').fontSize(8);
    }
    let x = MARGIN;
    cells.forEach((text, c) => {
      const col = cols[c];
      doc.rect(x, y, col.width, h).stroke(RULE);
      const pad = padOf(col.width);
      const top = y + (h - doc.heightOfString(text, { width: col.width - 2 * pad })) / 2;
      doc.fillColor(INK).text(text, x + pad, top, { width: col.width - 2 * pad, align: col.align });
      x += col.width;
    });
    y += h;
  });

  // ── legend and signatures of the officers ───────────────────────────────────────────────
  const legend = short
    ? 'Ký hiệu: C = Có mặt, M = Muộn, V = Vắng, P = Vắng có phép; ô trống: chưa điểm danh. ' +
      'Cột 1, 2, …: ngày học thứ 1, 2, … (xem Thời gian).'
    : 'Ô trống: chưa điểm danh. Số giờ: thời lượng các buổi có mặt hoặc đi muộn.';
  if (y + 70 > bottom) {
    doc.addPage({ size: 'A4', layout, margin: 0 });
    y = MARGIN;
  }
  doc
    .fillColor(MUTED)
    .font('Regular')
    .fontSize(8)
    .text(legend, MARGIN, y + 6, { width: inner });
  y += 24;
  doc.fillColor(INK).font('Bold').fontSize(9);
  doc.text('Giảng viên', MARGIN, y, { width: inner / 2, align: 'center' });
  doc.text('Cán bộ phụ trách lớp', MARGIN + inner / 2, y, { width: inner / 2, align: 'center' });
  doc.font('Regular').fontSize(8).fillColor(MUTED);
  doc.text('(ký, ghi rõ họ tên)', MARGIN, y + 12, { width: inner / 2, align: 'center' });
  doc.text('(ký, ghi rõ họ tên)', MARGIN + inner / 2, y + 12, {
    width: inner / 2,
    align: 'center',
  });

  // ── foot of every page ───────────────────────────────────────────────────────────────────
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    doc.fillColor(MUTED).font('Regular').fontSize(8);
    doc.text(
      `${oneLine(sheet.sessionTitle)} · In lúc ${vnDateTime(printedAt)}`,
      MARGIN,
      H - MARGIN - 4,
      { width: inner - 100, lineBreak: false },
    );
    doc.text(`Trang ${i - range.start + 1}/${range.count}`, W - MARGIN - 100, H - MARGIN - 4, {
      width: 100,
      align: 'right',
      lineBreak: false,
    });
  }
  doc.end();
  return done;
}
