/**
 * What a failed send means for the message and for the rest of the batch.
 *
 * - `unavailable`: the mail server could not be reached or would not open a session for us —
 *   refused or timed-out connection, a 421 (at the greeting or at any later step: the server is
 *   closing the channel), a failed or stripped STARTTLS, a refused login (535), a refused sender.
 *   Nothing is wrong with the message: the worker stops the batch and every message stays
 *   queued, its attempt not counted, for the next run.
 * - `transient`: this message was refused for now (4xx at MAIL, RCPT or DATA): it is retried
 *   with backoff, and dies after the last attempt.
 * - `permanent`: this message can never go (5xx at RCPT or DATA, an address the server or we
 *   refuse, a person without an address): dead at once.
 */
export type FailureKind = 'unavailable' | 'transient' | 'permanent';

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }

  /** Sending the same message again can never succeed. */
  get permanent(): boolean {
    return this.kind === 'permanent';
  }
}

/** The fields nodemailer puts on the errors it hands back (a subset of its NodemailerError). */
export interface SmtpFailure {
  message: string;
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  originalCode?: string;
  timeoutType?: string;
}

/**
 * `uncertain`: the connection broke (closed, reset, timed out mid-reply) and the error does not
 * tell whether it broke while the session was being opened or while this message was on it.
 * The transport asks the server (a fresh connection, greeting, TLS and login, no message) to
 * decide: unreachable → `unavailable`; reachable → `transient` for this message, so that a
 * message that keeps breaking the connection cannot hold the outbox back forever.
 */
export type Classification = FailureKind | 'uncertain';

/** Codes nodemailer gives to a failure of opening a session, never of a message. */
const SESSION_CODES = new Set(['ETLS', 'EAUTH', 'ENOAUTH', 'EOAUTH2', 'EDNS', 'EPROXY', 'ECONFIG']);
/** Commands of the session's opening: a refusal there is a refusal of every message. */
const SESSION_COMMANDS = /^(EHLO|HELO|LHLO|STARTTLS|AUTH\b)/i;
/** Waits of the session's opening (an ETIMEDOUT's timeoutType). */
const SESSION_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);
/** Socket errors that can only happen before a byte was exchanged. */
const UNREACHABLE =
  /^(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN|EADDRNOTAVAIL|ENOTFOUND|EAI_AGAIN)$|CERT|SELF_SIGNED|^ERR_TLS|^ERR_SSL/;

/** Classifies one failure from nodemailer's SMTP transport, by the step it happened at. */
export function classifySmtpFailure(err: SmtpFailure): Classification {
  const code = err.code ?? '';
  const reply = err.responseCode;
  const command = (err.command ?? '').toUpperCase();
  // 421: "service not available, closing transmission channel" — about the server, whatever
  // command it answers (a greeting, a login, a throttled MAIL FROM).
  if (reply === 421) return 'unavailable';
  if (SESSION_CODES.has(code) || SESSION_COMMANDS.test(command)) return 'unavailable';
  if (code === 'ETIMEDOUT' && SESSION_TIMEOUTS.has(err.timeoutType ?? '')) return 'unavailable';
  if (code === 'ESOCKET' && UNREACHABLE.test(err.originalCode ?? '')) return 'unavailable';
  if (code === 'EENVELOPE' || code === 'EMESSAGE') {
    if (reply === undefined) {
      // Refused before it reached the server (an address nodemailer cannot use).
      return 'permanent';
    }
    if (command === 'MAIL FROM' && reply >= 500 && reply !== 552) {
      // Every message has the same sender: a refusal of SMTP_FROM (or of sending without a
      // login, 530) refuses them all and is fixed by configuration, not by the message.
      // 552 (message too large for the declared SIZE) is the message's own.
      return 'unavailable';
    }
    if (reply === 530) return 'unavailable';
    // RFC 5321: 5yz is a permanent refusal, 4yz a transient one; 503 (bad sequence of
    // commands) is the session's state, not the message, and goes again on a new connection.
    return reply >= 500 && reply < 600 && reply !== 503 ? 'permanent' : 'transient';
  }
  return 'uncertain';
}

/** One line that says what went wrong, with the server's reply when there is one. */
export function describeSmtpFailure(err: SmtpFailure): string {
  const where = err.command ? ` at ${err.command}` : '';
  const code = err.code ? `${err.code}${err.originalCode ? `/${err.originalCode}` : ''}` : 'error';
  const text = err.message.replace(/\s+/g, ' ').trim();
  return `${code}${where}: ${text}`;
}
