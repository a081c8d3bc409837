/** Messages about programme cycles: their payload lists programmes. */
export const PROGRAMME_EVENTS = [
  'assigned',
  'due_in_7_days',
  'overdue',
  'recert_window_open',
] as const;
export type ProgrammeEvent = (typeof PROGRAMME_EVENTS)[number];

/**
 * Messages about courses a person was enrolled in outside a programme (a development plan), and
 * seats of a course's classroom session granted from its waitlist: their payload lists courses
 * (for a seat, the title names the session and its first day).
 */
export const COURSE_EVENTS = ['plan_enrolled', 'session_seat_granted'] as const;
export type CourseEvent = (typeof COURSE_EVENTS)[number];

/** Messages about the holder's certificates: their payload lists certificates. */
export const CERTIFICATE_EVENTS = [
  'certificate_issued',
  'certificate_suspended',
  'certificate_reinstated',
  'certificate_revoked',
] as const;
export type CertificateEvent = (typeof CERTIFICATE_EVENTS)[number];

/**
 * Messages about a classroom session the person is booked on (issue 17, item 5): the reminder
 * the day before a session day, a change of its days, venue or link, its cancellation. Their
 * payload lists sessions (one: each message tells one fact, under a topic of its own).
 */
export const SESSION_EVENTS = ['session_reminder', 'session_changed', 'session_cancelled'] as const;
export type SessionEvent = (typeof SESSION_EVENTS)[number];

/** Messages about the person's account: their payload describes one security event. */
export const ACCOUNT_EVENTS = ['account_locked', 'account_invited', 'password_reset'] as const;
export type AccountEvent = (typeof ACCOUNT_EVENTS)[number];

export const NOTIFICATION_EVENTS = [
  ...PROGRAMME_EVENTS,
  ...COURSE_EVENTS,
  ...CERTIFICATE_EVENTS,
  ...SESSION_EVENTS,
  ...ACCOUNT_EVENTS,
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export function isCourseEvent(event: NotificationEvent): event is CourseEvent {
  return (COURSE_EVENTS as readonly string[]).includes(event);
}

export function isAccountEvent(event: NotificationEvent): event is AccountEvent {
  return (ACCOUNT_EVENTS as readonly string[]).includes(event);
}

export function isSessionEvent(event: NotificationEvent): event is SessionEvent {
  return (SESSION_EVENTS as readonly string[]).includes(event);
}

export function isCertificateEvent(event: NotificationEvent): event is CertificateEvent {
  return (CERTIFICATE_EVENTS as readonly string[]).includes(event);
}

export const NOTIFICATION_LOCALES = ['vi', 'en'] as const;
export type NotificationLocale = (typeof NOTIFICATION_LOCALES)[number];

/** 'email' is how a message is meant to go; 'log' records that it went to the log (no SMTP_URL). */
export const NOTIFICATION_CHANNELS = ['email', 'log'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/**
 * pending → sending → sent; a failed attempt goes to 'failed' (retried after its backoff) and,
 * after the last attempt or a permanent refusal, to 'dead'.
 */
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed', 'dead'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** One programme a message speaks of; a message lists every programme of its person and day. */
export interface NotificationProgramme {
  assignmentId: string;
  programmeId: string;
  code: string;
  title: string;
  cycle: number;
  /** ISO dates. */
  dueOn: string | null;
  expiresOn: string | null;
}

/** One course a person was enrolled in (a development plan), with its due date. */
export interface NotificationCourse {
  enrolmentId: string;
  courseId: string;
  code: string;
  title: string;
  /** ISO date; null: no deadline. */
  dueOn: string | null;
}

/** One certificate a message speaks of (frozen texts, as printed). */
export interface NotificationCertificate {
  certificateId: string;
  serial: string;
  courseCode: string;
  courseTitle: string;
  issuerName: string;
  /** ISO dates. */
  issuedOn: string;
  validUntil: string | null;
  /** The public verification link printed on the certificate (the page /verify/:code; its API twin is GET /api/v1/verify/:code). */
  verifyUrl: string;
  /** A reissue: the serial it replaces. */
  replacesSerial: string | null;
  /** Suspension, revocation: why (the holder is told; verification never shows it). */
  reason: string | null;
}

/** One day of a classroom session: its number in the session and its instants (ISO, UTC). */
export interface NotificationSessionDay {
  dayNo: number;
  startsAt: string;
  endsAt: string;
}

/**
 * A classroom session a message speaks of, as it stands when the message is written: the
 * course, the session, its days (a reminder: the one day it reminds of), where it takes place.
 */
export interface NotificationSession {
  bookingId: string;
  sessionId: string;
  courseId: string;
  courseCode: string;
  courseTitle: string;
  sessionTitle: string;
  days: NotificationSessionDay[];
  /** Venue name, room and address on one line; null for a session held online only. */
  venue: string | null;
  onlineUrl: string | null;
  /** session_changed: what changed ('days', 'venue', 'onlineUrl'); empty otherwise. */
  changed: ('days' | 'venue' | 'onlineUrl')[];
}

/** What a message lists, by the name of the list in its payload. */
export interface NotificationLists {
  programmes: NotificationProgramme;
  courses: NotificationCourse;
  certificates: NotificationCertificate;
  sessions: NotificationSession;
}
export type NotificationList = keyof NotificationLists;

/** The events whose messages list each kind of item. */
export interface NotificationListEvents {
  programmes: ProgrammeEvent;
  courses: CourseEvent;
  certificates: CertificateEvent;
  sessions: SessionEvent;
}

/** A programme message lists programmes, a course message courses, a certificate one certificates. */
export interface NotificationPayload {
  fullName: string;
  programmes?: NotificationProgramme[];
  courses?: NotificationCourse[];
  certificates?: NotificationCertificate[];
  sessions?: NotificationSession[];
  /** account_locked: when sign-in was held, until when, after how many wrong passwords. */
  hold?: NotificationHold;
  /** account_invited, password_reset: the one-time link to set a password, and its end. */
  link?: NotificationLink;
}

/**
 * A one-time link to set a password. The outbox is the channel that delivers it, so the message
 * holds the link; the database keeps only the token's hash, and readers other than the owner see
 * the link without its token (see redactLink).
 */
export interface NotificationLink {
  url: string;
  /** ISO instant after which the link no longer works. */
  expiresAt: string;
}

/** A link's token hidden: what an officer reading the outbox may see of it. */
export function redactLink(url: string): string {
  const cut = url.lastIndexOf('/');
  return cut < 0 ? '…' : `${url.slice(0, cut + 1)}…`;
}

export interface NotificationHold {
  /** ISO instant the hold started and ends. */
  at: string;
  until: string;
  failures: number;
  /** The address the last wrong password came from, as the service saw it. */
  ip: string | null;
}
