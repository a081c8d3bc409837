export const NOTIFICATION_EVENTS = [
  'assigned',
  'due_in_7_days',
  'overdue',
  'recert_window_open',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

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

export interface NotificationPayload {
  fullName: string;
  programmes: NotificationProgramme[];
}
