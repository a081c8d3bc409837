/**
 * Session times as people enter and read them: wall-clock time in Vietnam (Asia/Ho_Chi_Minh,
 * UTC+07:00 all year: Vietnam keeps no daylight saving), stored as timestamptz. A day of a
 * session is written `2027-03-10T08:00` (no offset: it is Hà Nội's time) and shown back as
 * `2027-03-10T08:00:00+07:00`, so a client in any zone reads the instant unambiguously.
 */
const VN_OFFSET_MINUTES = 7 * 60;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** The instant of a Vietnam wall-clock time `yyyy-MM-ddTHH:mm`, or null when it is not a real one. */
export function vnLocalToInstant(local: unknown): Date | null {
  if (typeof local !== 'string') return null;
  const m = LOCAL.exec(local);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number);
  if (year < 2000 || year > 2100 || hour > 23 || minute > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute) - VN_OFFSET_MINUTES * 60_000;
  const at = new Date(utc);
  // Date.UTC rolls 2027-02-30 over to March: a day that does not exist is refused.
  if (toVnLocal(at).slice(0, 16) !== local) return null;
  return at;
}

/** An instant as Vietnam wall-clock time with its offset: 2027-03-10T08:00:00+07:00. */
export function toVnLocal(at: Date): string {
  const shifted = new Date(at.getTime() + VN_OFFSET_MINUTES * 60_000);
  return `${shifted.toISOString().slice(0, 19)}+07:00`;
}

export interface Interval {
  startsAt: Date;
  endsAt: Date;
}

/** Half-open intervals overlap when each starts before the other ends (back to back is no clash). */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.startsAt.getTime() < b.endsAt.getTime() && b.startsAt.getTime() < a.endsAt.getTime();
}

/** Pairs of days of one list that overlap each other, by index: a session cannot double-book itself. */
export function overlappingPairs(days: readonly Interval[]): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < days.length; i++) {
    for (let j = i + 1; j < days.length; j++) {
      if (overlaps(days[i], days[j])) pairs.push([i, j]);
    }
  }
  return pairs;
}
