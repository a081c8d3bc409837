import type { Language } from '../common/http/language';
import type { BookingDto, SessionDto } from '../courses/dto/session.dto';

/**
 * What the session pages (the learner's and the officer's) share: a session's days as people
 * read them in Vietnam — "Thứ Tư 10/03/2027, 08:00–16:30" — from the API's wall-clock times
 * (2027-03-10T08:00:00+07:00, already Hà Nội's time: read as written, never shifted by the
 * server's zone), its seats left, and the word keys of its states.
 */

const WEEKDAYS: Record<Language, string[]> = {
  vi: ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/;

/** The parts of a Vietnam wall-clock time as the API writes it. */
function partsOf(value: string): { y: number; m: number; d: number; time: string } | null {
  const p = LOCAL.exec(value);
  if (!p) return null;
  return { y: Number(p[1]), m: Number(p[2]), d: Number(p[3]), time: `${p[4]}:${p[5]}` };
}

/** The calendar day of a wall-clock time: yyyy-MM-dd. */
export const dayKeyOf = (value: string): string => value.slice(0, 10);

/** "Thứ Tư 10/03/2027" (or the English weekday). */
export function dayText(value: string, lang: Language): string {
  const p = partsOf(value);
  if (!p) return value;
  const weekday = WEEKDAYS[lang][new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay()];
  return `${weekday} ${String(p.d).padStart(2, '0')}/${String(p.m).padStart(2, '0')}/${p.y}`;
}

/** "08:00". */
export const timeText = (value: string): string => partsOf(value)?.time ?? value;

/** "Thứ Tư 10/03/2027, 08:00–16:30"; a day that ends on another date names both. */
export function spanText(startsAt: string, endsAt: string, lang: Language): string {
  if (dayKeyOf(startsAt) === dayKeyOf(endsAt)) {
    return `${dayText(startsAt, lang)}, ${timeText(startsAt)}–${timeText(endsAt)}`;
  }
  return `${dayText(startsAt, lang)} ${timeText(startsAt)} – ${dayText(endsAt, lang)} ${timeText(endsAt)}`;
}

/** "10/03/2027 08:00" — an instant of the sign-up window or a cut-off. */
export function momentText(value: string): string {
  const p = partsOf(value);
  if (!p) return value;
  return `${String(p.d).padStart(2, '0')}/${String(p.m).padStart(2, '0')}/${p.y} ${p.time}`;
}

/** A session as both areas show it. */
export function sessionView(s: SessionDto, lang: Language) {
  return {
    ...s,
    statusKey: `sessions.status.${s.status}`,
    seatsLeft: Math.max(0, s.maxSeats - s.bookedSeats),
    dayLines: s.days.map((d, i) => ({
      no: i + 1,
      text: spanText(d.startsAt, d.endsAt, lang),
      startsAt: d.startsAt,
      endsAt: d.endsAt,
    })),
    signupText: `${momentText(s.signupOpensAt)} – ${momentText(s.signupClosesAt)}`,
    trainers: s.externalTrainers.join('; '),
  };
}

/** A booking with the word key of its state. */
export function bookingView(b: BookingDto) {
  return {
    ...b,
    statusKey: `sessions.booking.${b.status}`,
    active: b.status === 'booked' || b.status === 'waitlisted',
  };
}

/** The current month of Vietnam time, yyyy-MM. */
export function currentVnMonth(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 7);
}

/** The month before and after a yyyy-MM month. */
export function monthsAround(month: string): { previous: string; next: string } {
  const [y, m] = month.split('-').map(Number);
  const shift = (delta: number) => {
    const at = new Date(Date.UTC(y, m - 1 + delta, 1));
    return at.toISOString().slice(0, 7);
  };
  return { previous: shift(-1), next: shift(1) };
}

/** "03/2027". */
export const monthText = (month: string): string => `${month.slice(5, 7)}/${month.slice(0, 4)}`;
