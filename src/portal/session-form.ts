import type { SessionDto } from '../courses/dto/session.dto';
import { numberOrText, text } from './forms';

/** Rows of days the session form offers (a session has one to a few; more by editing again). */
export const DAY_ROWS = 5;

export type Form = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The session form's fields as CreateSessionDto's JSON: the days typed (blank rows left out),
 * a venue when any of its fields is filled, trainers one per line. Days and the sign-up window
 * come from datetime-local inputs, whose value (2027-03-10T08:00) is the API's Vietnam time.
 * On edit (`clearBlank`), an emptied venue, link or trainers field is sent as null, which
 * UpdateSessionDto takes as "clear it" — left out, the service would keep the old value.
 */
export function sessionBodyOf(
  form: Form,
  { clearBlank = false }: { clearBlank?: boolean } = {},
): Record<string, unknown> {
  const blank = clearBlank ? null : undefined;
  const days: { startsAt: string; endsAt: string }[] = [];
  // An edited session may have more days than the blank form offers: read up to the API's limit.
  for (let i = 0; i < 30; i++) {
    const startsAt = text(form[`day${i}Start`]);
    const endsAt = text(form[`day${i}End`]);
    if (startsAt === undefined && endsAt === undefined) continue;
    days.push({ startsAt: startsAt ?? '', endsAt: endsAt ?? '' });
  }
  const venueName = text(form.venueName);
  const venueRoom = text(form.venueRoom);
  const venueAddress = text(form.venueAddress);
  const venueCapacity = numberOrText(form.venueCapacity);
  const venue =
    venueName || venueRoom || venueAddress || venueCapacity !== undefined
      ? Object.fromEntries(
          Object.entries({
            name: venueName ?? '',
            address: venueAddress,
            room: venueRoom,
            capacity: venueCapacity ?? '',
          }).filter(([, v]) => v !== undefined),
        )
      : blank;
  const trainers = str(form.externalTrainers)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return Object.fromEntries(
    Object.entries({
      title: text(form.title) ?? '',
      days,
      venue,
      onlineUrl: text(form.onlineUrl) ?? blank,
      externalTrainers: trainers.length ? trainers : blank,
      signupOpensAt: text(form.signupOpensAt) ?? '',
      signupClosesAt: text(form.signupClosesAt) ?? '',
      minSeats: numberOrText(form.minSeats),
      maxSeats: numberOrText(form.maxSeats) ?? '',
      cancelCutoffHours: numberOrText(form.cancelCutoffHours),
    }).filter(([, v]) => v !== undefined),
  );
}

/** The form's input of an API field named in a refusal (days[1].endsAt, venue.room …). */
export function inputOfField(field: string): string | undefined {
  const f = field.replace(/\[(\d+)\]/g, '.$1');
  let m = /^days\.(\d+)\.(startsAt|endsAt)/.exec(f);
  if (m) return `day${m[1]}${m[2] === 'startsAt' ? 'Start' : 'End'}`;
  m = /^days\.(\d+)$/.exec(f);
  if (m) return `day${m[1]}Start`;
  if (f === 'days') return 'day0Start';
  m = /^venue(?:\.(name|address|room|capacity))?$/.exec(f);
  if (m) return `venue${(m[1] ?? 'name')[0].toUpperCase()}${(m[1] ?? 'name').slice(1)}`;
  if (f.startsWith('externalTrainers')) return 'externalTrainers';
  const plain = [
    'title',
    'onlineUrl',
    'signupOpensAt',
    'signupClosesAt',
    'minSeats',
    'maxSeats',
    'cancelCutoffHours',
  ];
  return plain.find((p) => f === p);
}

/** The form's values of a session, to edit it. */
export function formOfSession(s: SessionDto): Form {
  const form: Form = {
    title: s.title,
    venueName: s.venue?.name ?? '',
    venueAddress: s.venue?.address ?? '',
    venueRoom: s.venue?.room ?? '',
    venueCapacity: s.venue ? String(s.venue.capacity) : '',
    onlineUrl: s.onlineUrl ?? '',
    externalTrainers: s.externalTrainers.join('\n'),
    signupOpensAt: s.signupOpensAt.slice(0, 16),
    signupClosesAt: s.signupClosesAt.slice(0, 16),
    minSeats: String(s.minSeats),
    maxSeats: String(s.maxSeats),
    cancelCutoffHours: String(s.cancelCutoffHours),
  };
  s.days.forEach((d, i) => {
    form[`day${i}Start`] = d.startsAt.slice(0, 16);
    form[`day${i}End`] = d.endsAt.slice(0, 16);
  });
  return form;
}

/** The day rows of the form, with what was typed and each one's refusal. */
export function dayRowsOf(form: Form, errors: Record<string, string>, count = DAY_ROWS) {
  return Array.from({ length: Math.max(count, DAY_ROWS) }, (_, i) => ({
    no: i + 1,
    start: {
      name: `day${i}Start`,
      value: str(form[`day${i}Start`]),
      error: errors[`day${i}Start`],
    },
    end: { name: `day${i}End`, value: str(form[`day${i}End`]), error: errors[`day${i}End`] },
    required: i === 0,
  }));
}
