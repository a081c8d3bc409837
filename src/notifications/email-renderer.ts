import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/project-root';
import {
  isAccountEvent,
  isCertificateEvent,
  isCourseEvent,
  isSessionEvent,
  NOTIFICATION_EVENTS,
  NOTIFICATION_LOCALES,
  NotificationEvent,
  NotificationLocale,
  NotificationPayload,
} from './notification.types';
import { daysBetween } from '../common/dates/calendar';
import { dmy, VIETNAM_TIME_ZONE } from '../common/dates/vietnam-dates';
import { oneLine } from '../common/text/vietnamese';

/**
 * E-mails from templates/emails/<event>.<locale>.hbs. A template renders the subject on its first
 * line and the plain-text body after the first blank line. Every template is compiled once per
 * process (Handlebars.create(), strict, no HTML escaping: the output is plain text).
 */

export const EMAIL_TEMPLATE_DIR = 'templates/emails';

export interface RenderedEmail {
  subject: string;
  text: string;
}

interface ProgrammeView {
  code: string;
  title: string;
  cycle: number;
  dueOn: string | null;
  expiresOn: string | null;
  daysOverdue: number | null;
}

interface CertificateView {
  serial: string;
  courseCode: string;
  courseTitle: string;
  issuerName: string;
  issuedOn: string | null;
  validUntil: string | null;
  verifyUrl: string;
  replacesSerial: string | null;
  reason: string | null;
}

interface CourseView {
  code: string;
  title: string;
  dueOn: string | null;
}

/**
 * A classroom session (session events): its days as people in Vietnam read them, one line each
 * ("10/03/2027, 08:00–11:30"), and where it takes place.
 */
interface SessionView {
  courseCode: string;
  courseTitle: string;
  sessionTitle: string;
  days: string[];
  /** The first day told, on its own (a reminder's one day). */
  firstDay: string;
  venue: string | null;
  onlineUrl: string | null;
  daysChanged: boolean;
  venueChanged: boolean;
  linkChanged: boolean;
}

/** A hold on signing in (account_locked): times in Vietnam's time, as HH:mm dd/MM/yyyy. */
interface HoldView {
  at: string;
  until: string;
  failures: number;
  ip: string | null;
}

/** A one-time link (account_invited, password_reset): its end in Vietnam's time. */
interface LinkView {
  url: string;
  expiresAt: string;
}

/**
 * What a template reads. A programme event lists `programmes`, a course event `courses`, a
 * certificate event `certificates`, an account event has its `hold`; `first`, `count` and
 * `many` speak of the list the event is about. `appUrl` is where learners sign in (PORTAL_URL), or null while there is no such page:
 * templates then print no link.
 */
interface EmailView {
  fullName: string;
  programmes: ProgrammeView[];
  certificates: CertificateView[];
  courses: CourseView[];
  sessions: SessionView[];
  hold: HoldView | null;
  link: LinkView | null;
  first: ProgrammeView | CourseView | CertificateView | SessionView | HoldView | LinkView;
  count: number;
  many: boolean;
  appUrl: string | null;
}

type Template = Handlebars.TemplateDelegate<EmailView>;
let templates: Map<string, Template> | undefined;

function compiled(): Map<string, Template> {
  if (templates) return templates;
  const handlebars = Handlebars.create();
  const root = projectRoot();
  const map = new Map<string, Template>();
  for (const event of NOTIFICATION_EVENTS) {
    for (const locale of NOTIFICATION_LOCALES) {
      const file = join(root, EMAIL_TEMPLATE_DIR, `${event}.${locale}.hbs`);
      map.set(
        `${event}.${locale}`,
        handlebars.compile<EmailView>(readFileSync(file, 'utf8'), { noEscape: true, strict: true }),
      );
    }
  }
  templates = map;
  return map;
}

/** An instant as people in Vietnam read it: 14:05 31/01/2027 (both languages). */
export function formatInstant(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: VIETNAM_TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value;
  return `${part('hour')}:${part('minute')} ${part('day')}/${part('month')}/${part('year')}`;
}

/** A day of a session as people in Vietnam read it: 10/03/2027, 08:00–11:30 (both languages). */
export function formatSessionDay(startsAt: string, endsAt: string): string {
  const [time, date] = formatInstant(startsAt).split(' ');
  const [endTime, endDate] = formatInstant(endsAt).split(' ');
  return endDate === date
    ? `${date}, ${time}–${endTime}`
    : `${date}, ${time} – ${endDate}, ${endTime}`;
}

/** 2027-01-31 → 31/01/2027, the date people read (both languages). */
export function formatDay(iso: string | null): string | null {
  return iso ? dmy(iso.slice(0, 10)) : null;
}

/**
 * Fills the template of an event in a language from the aggregated payload (every programme,
 * or every course, or every certificate, of the person for that event and day). `eventDay`
 * dates the overdue counts.
 */
export function renderEmail(
  event: NotificationEvent,
  locale: NotificationLocale,
  payload: NotificationPayload,
  options: { appUrl: string | null; eventDay: string },
): RenderedEmail {
  const template = compiled().get(`${event}.${locale}`);
  if (!template) throw new Error(`no e-mail template ${event}.${locale}`);
  const programmes: ProgrammeView[] = [...(payload.programmes ?? [])]
    .sort((a, b) => a.code.localeCompare(b.code, 'vi') || a.cycle - b.cycle)
    .map((p) => ({
      code: oneLine(p.code),
      title: oneLine(p.title),
      cycle: p.cycle,
      dueOn: formatDay(p.dueOn),
      expiresOn: formatDay(p.expiresOn),
      daysOverdue: p.dueOn ? Math.max(0, daysBetween(p.dueOn, options.eventDay)) : null,
    }));
  const certificates: CertificateView[] = [...(payload.certificates ?? [])]
    .sort((a, b) => a.serial.localeCompare(b.serial))
    .map((c) => ({
      serial: oneLine(c.serial),
      courseCode: oneLine(c.courseCode),
      courseTitle: oneLine(c.courseTitle),
      issuerName: oneLine(c.issuerName),
      issuedOn: formatDay(c.issuedOn),
      validUntil: formatDay(c.validUntil),
      verifyUrl: c.verifyUrl,
      replacesSerial: c.replacesSerial ? oneLine(c.replacesSerial) : null,
      reason: c.reason ? oneLine(c.reason) : null,
    }));
  const courses: CourseView[] = [...(payload.courses ?? [])]
    .sort((a, b) => a.code.localeCompare(b.code, 'vi'))
    .map((c) => ({ code: oneLine(c.code), title: oneLine(c.title), dueOn: formatDay(c.dueOn) }));
  const sessions: SessionView[] = (payload.sessions ?? []).map((x) => {
    const days = [...x.days]
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
      .map((d) => formatSessionDay(d.startsAt, d.endsAt));
    return {
      courseCode: oneLine(x.courseCode),
      courseTitle: oneLine(x.courseTitle),
      sessionTitle: oneLine(x.sessionTitle),
      days,
      firstDay: days[0] ?? '',
      venue: x.venue ? oneLine(x.venue) : null,
      onlineUrl: x.onlineUrl,
      daysChanged: x.changed.includes('days'),
      venueChanged: x.changed.includes('venue'),
      linkChanged: x.changed.includes('onlineUrl'),
    };
  });
  const hold: HoldView[] = payload.hold
    ? [
        {
          at: formatInstant(payload.hold.at),
          until: formatInstant(payload.hold.until),
          failures: payload.hold.failures,
          ip: payload.hold.ip ? oneLine(payload.hold.ip) : null,
        },
      ]
    : [];
  const link: LinkView[] = payload.link
    ? [{ url: payload.link.url, expiresAt: formatInstant(payload.link.expiresAt) }]
    : [];
  const about: (
    ProgrammeView | CourseView | CertificateView | SessionView | HoldView | LinkView
  )[] = isAccountEvent(event)
    ? event === 'account_locked'
      ? hold
      : link
    : isCertificateEvent(event)
      ? certificates
      : isCourseEvent(event)
        ? courses
        : isSessionEvent(event)
          ? sessions
          : programmes;
  if (!about.length) {
    const kind = isAccountEvent(event)
      ? event === 'account_locked'
        ? 'hold'
        : 'link'
      : isCertificateEvent(event)
        ? 'certificate'
        : isCourseEvent(event)
          ? 'course'
          : isSessionEvent(event)
            ? 'session'
            : 'programme';
    throw new Error(`a message needs at least one ${kind}`);
  }
  const out = template({
    fullName: oneLine(payload.fullName),
    programmes,
    certificates,
    courses,
    sessions,
    hold: hold[0] ?? null,
    link: link[0] ?? null,
    first: about[0],
    count: about.length,
    many: about.length > 1,
    appUrl: options.appUrl,
  })
    .normalize('NFC')
    .replace(/\r\n/g, '\n')
    .replace(/^\s+/, '');
  const split = out.indexOf('\n\n');
  const subject = oneLine(split < 0 ? out : out.slice(0, split));
  const text = split < 0 ? '' : `${out.slice(split + 2).replace(/\s+$/, '')}\n`;
  if (!subject) throw new Error(`template ${event}.${locale} renders no subject`);
  return { subject, text };
}

/** What a reader or the worker needs of an outbox row to know its texts. */
export interface StoredMessage {
  event: NotificationEvent;
  locale: NotificationLocale;
  event_day: string;
  payload: NotificationPayload;
  subject: string | null;
  body_text: string | null;
}

/**
 * The texts of an outbox row: the stored ones once the worker has rendered them for sending
 * (what was actually sent), else rendered now from the row's own facts — the same function, the
 * same inputs, so a reader sees what the worker will send.
 */
export function textsOf(row: StoredMessage, appUrl: string | null): RenderedEmail {
  if (row.subject !== null && row.body_text !== null) {
    return { subject: row.subject, text: row.body_text };
  }
  return renderEmail(row.event, row.locale, row.payload, { appUrl, eventDay: row.event_day });
}
