import { extractPdfText } from '../../test/support/pdf-text';
import {
  AttendanceSheet,
  dayText,
  hoursVi,
  roundHours,
  sheetTable,
  venueText,
  vnDateTime,
} from './session-sheet';
import { renderAttendanceSheetPdf, sheetLayout } from './session-sheet-pdf';

const day = (n: number, date: string) => ({
  dayNo: n,
  startsAt: new Date(`${date}T08:00:00+07:00`),
  endsAt: new Date(`${date}T16:30:00+07:00`),
});

const sheet = (days: number, people: number): AttendanceSheet => ({
  sessionId: '3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41',
  courseCode: 'K01',
  courseTitle: 'Kỹ năng thương lượng, đối thoại tại nơi làm việc',
  sessionTitle: 'Lớp K01 — đợt 1 năm 2027',
  venue: 'Trường Cán bộ Công đoàn Hà Nội, P.301',
  onlineUrl: null,
  instructors: ['Nguyễn Văn An', 'TS. Trần Thị Hằng (Trường ĐH Công đoàn)'],
  days: Array.from({ length: days }, (_, i) =>
    day(i + 1, `2027-03-${String(i + 1).padStart(2, '0')}`),
  ),
  people: Array.from({ length: people }, (_, i) => ({
    fullName: `Phạm Thị Ngọc Ánh ${i + 1}`.normalize('NFD'),
    unitName: 'Công đoàn cơ sở Công ty TNHH May Hà Đông',
    posts: i === 0 ? 'Chủ tịch' : null,
    marks: Array.from({ length: days }, (_, d) =>
      d === 0 ? 'present' : d === 1 ? 'late' : d === 2 ? 'excused' : d === 3 ? 'absent' : null,
    ),
    attendedHours: 17,
  })),
});

describe('attendance sheet formatting', () => {
  it('writes times in Vietnam whatever the zone of the machine', () => {
    expect(vnDateTime(new Date('2027-03-10T01:00:00Z'))).toBe('10/03/2027 08:00');
    expect(vnDateTime(new Date('2027-03-10T17:30:00Z'))).toBe('11/03/2027 00:30');
    expect(dayText(day(1, '2027-03-10'))).toBe('10/03/2027 08:00–16:30');
    expect(
      dayText({
        dayNo: 1,
        startsAt: new Date('2027-03-10T20:00:00+07:00'),
        endsAt: new Date('2027-03-11T02:00:00+07:00'),
      }),
    ).toBe('10/03/2027 20:00 – 11/03/2027 02:00');
  });

  it('rounds hours to two decimals and writes them with a decimal comma', () => {
    expect(roundHours(3.5 * 3600)).toBe(3.5);
    expect(roundHours(1200)).toBe(0.33);
    expect(hoursVi(3.5)).toBe('3,5');
    expect(venueText('Hội trường', null, '65 Quán Sứ')).toBe('Hội trường, 65 Quán Sứ');
    expect(venueText(null, null, null)).toBeNull();
  });

  it('gives the table a column per day with the marks in words, blank where unmarked', () => {
    const { spec, rows } = sheetTable(sheet(5, 1));
    expect(spec.columns.map((c) => c.header)).toEqual([
      'STT',
      'Họ và tên',
      'Đơn vị',
      'Chức vụ',
      'Ngày 1 (01/03/2027)',
      'Ngày 2 (02/03/2027)',
      'Ngày 3 (03/03/2027)',
      'Ngày 4 (04/03/2027)',
      'Ngày 5 (05/03/2027)',
      'Số giờ tham dự',
    ]);
    expect(rows[0].slice(4)).toEqual(['Có mặt', 'Muộn', 'Có phép', 'Vắng', '', 17]);
  });

  it('prints portrait up to two days and landscape beyond', () => {
    expect(sheetLayout(1)).toBe('portrait');
    expect(sheetLayout(2)).toBe('portrait');
    expect(sheetLayout(3)).toBe('landscape');
  });

  it('fits thirty days on a landscape page with short marks and their legend, text intact', async () => {
    const pdf = await renderAttendanceSheetPdf(sheet(30, 3), new Date('2027-04-01T02:00:00Z'));
    const again = await renderAttendanceSheetPdf(sheet(30, 3), new Date('2027-04-01T02:00:00Z'));
    expect(pdf.equals(again)).toBe(true);
    expect(pdf.toString('latin1')).toContain('BeVietnamPro-Regular');
    const text = extractPdfText(pdf);
    expect(text).toContain('Phạm Thị Ngọc Ánh 1');
    expect(text).toContain('Ngày 30');
    expect(text).toContain('C = Có mặt, M = Muộn, V = Vắng, P = Vắng có phép');
    expect(text).toContain('In lúc 01/04/2027 09:00');
    expect(text).toContain('Trang 1/1');
  });
});
