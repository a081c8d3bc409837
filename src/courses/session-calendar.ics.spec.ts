import ical, { VEvent } from 'node-ical';
import {
  CalendarDayRow,
  dayUid,
  eventLocation,
  eventSequence,
  eventStatus,
  sessionCalendar,
} from './session-calendar.ics';

const ROW: CalendarDayRow = {
  session_id: '3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41',
  day_no: 1,
  // 08:00–11:30 in Hà Nội.
  starts_at: new Date('2027-03-10T01:00:00Z'),
  ends_at: new Date('2027-03-10T04:30:00Z'),
  removed: false,
  course_code: 'K05',
  course_title: 'Kỹ năng đối thoại, thương lượng tập thể; “cơ sở”, Hà Nội',
  session_title: 'Lớp K05 — đợt 1',
  session_status: 'open',
  venue_name: 'Trường Cán bộ Công đoàn Hà Nội',
  venue_room: 'P.301',
  venue_address: '65 Quán Sứ, Hoàn Kiếm, Hà Nội',
  online_url: null,
  instructors: ['Nguyễn Thị Hương'],
  external_trainers: ['TS. Nguyễn Văn An (Trường ĐH Công đoàn)'],
  calendar_sequence: 2,
  stamp: new Date('2027-03-01T00:00:00Z'),
  booking_status: 'booked',
  earlier_bookings: 0,
};

describe('session days as iCalendar', () => {
  it('writes UTC times, escapes and folds Vietnamese text that parses back the same', () => {
    const long = { ...ROW, course_title: `${ROW.course_title} ${'Công đoàn '.repeat(12)}`.trim() };
    const text = sessionCalendar('Lịch học', [long, { ...ROW, day_no: 2 }]);
    expect(text).toContain('DTSTART:20270310T010000Z\r\n');
    // Folded lines stay within 75 octets and never split a character.
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const events = Object.values(ical.sync.parseICS(text)).filter(
      (c): c is VEvent => c?.type === 'VEVENT',
    );
    expect(events).toHaveLength(2);
    const first = events.find((e) => e.uid === dayUid(ROW.session_id, 1))!;
    expect(first.summary).toBe(long.course_title);
    expect(first.location).toBe(
      'Trường Cán bộ Công đoàn Hà Nội, P.301, 65 Quán Sứ, Hoàn Kiếm, Hà Nội',
    );
    expect(first.description).toContain('Giảng viên: Nguyễn Thị Hương; TS. Nguyễn Văn An');
    expect(first.start.toISOString()).toBe('2027-03-10T01:00:00.000Z');
    expect(first.sequence).toBe(3);
  });

  it('never lowers SEQUENCE as a booking moves on or the person books the session again', () => {
    const steps: CalendarDayRow[] = [
      { ...ROW, booking_status: 'waitlisted' },
      { ...ROW, booking_status: 'booked' },
      { ...ROW, booking_status: 'cancelled' },
      { ...ROW, booking_status: 'booked', earlier_bookings: 1 },
      { ...ROW, booking_status: 'moved', earlier_bookings: 1 },
    ];
    const sequences = steps.map(eventSequence);
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
    expect(new Set(sequences).size).toBe(sequences.length);
  });

  it('shows waitlisted as tentative, and a cancelled session, booking or removed day as cancelled', () => {
    expect(eventStatus(ROW)).toBe('CONFIRMED');
    expect(eventStatus({ ...ROW, booking_status: 'waitlisted' })).toBe('TENTATIVE');
    expect(eventStatus({ ...ROW, session_status: 'cancelled' })).toBe('CANCELLED');
    expect(eventStatus({ ...ROW, booking_status: 'moved' })).toBe('CANCELLED');
    expect(eventStatus({ ...ROW, removed: true })).toBe('CANCELLED');
    expect(eventStatus({ ...ROW, booking_status: null, session_status: 'draft' })).toBe(
      'TENTATIVE',
    );
  });

  it('places an online-only session at its link', () => {
    const online = {
      ...ROW,
      venue_name: null,
      venue_room: null,
      venue_address: null,
      online_url: 'https://meet.congdoan.vn/k05',
    };
    expect(eventLocation(online)).toBe('https://meet.congdoan.vn/k05');
  });
});
