import type { SMTPPoolOptions } from 'nodemailer/lib/smtp-pool';

/**
 * SMTP_URL read into the options of nodemailer's pooled SMTP transport.
 *
 *   smtp://user:pass@host:587       STARTTLS required (credentials never go in clear)
 *   smtps://user:pass@host:465      TLS from the first byte
 *   smtp://relay.internal:25        no credentials: STARTTLS when offered
 *   smtp://relay.internal:25?starttls=never    a plain relay (refused with credentials)
 *
 * Query parameters: starttls=auto|required|never, name=<EHLO name>, tlsInsecure=1 (do not
 * verify the server's certificate: a test relay only). Anything else throws, so that a wrong
 * SMTP_URL stops the start instead of failing at the first message.
 */
export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  startTls: 'auto' | 'required' | 'never';
  user?: string;
  pass?: string;
  clientName?: string;
  rejectUnauthorized: boolean;
}

const PARAMS = new Set(['starttls', 'name', 'tlsInsecure']);

export function parseSmtpUrl(url: string): SmtpSettings {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('SMTP_URL is not a URL');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') {
    throw new Error('SMTP_URL must start with smtp:// or smtps://');
  }
  if (!u.hostname) throw new Error('SMTP_URL lacks a host');
  for (const key of u.searchParams.keys()) {
    if (!PARAMS.has(key)) throw new Error(`SMTP_URL has an unknown parameter ${key}`);
  }
  const startTls = u.searchParams.get('starttls') ?? 'auto';
  if (startTls !== 'auto' && startTls !== 'required' && startTls !== 'never') {
    throw new Error('SMTP_URL starttls must be auto, required or never');
  }
  const secure = u.protocol === 'smtps:';
  const user = u.username ? decodeURIComponent(u.username) : undefined;
  const pass = u.password ? decodeURIComponent(u.password) : undefined;
  if ((user !== undefined || pass !== undefined) && !secure && startTls === 'never') {
    throw new Error(
      'SMTP_URL has credentials and starttls=never: they would go in clear (use STARTTLS or smtps://)',
    );
  }
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    startTls,
    user,
    pass,
    clientName: u.searchParams.get('name') ?? undefined,
    rejectUnauthorized: u.searchParams.get('tlsInsecure') !== '1',
  };
}

/**
 * The pooled transport's options. With credentials TLS is required: over smtp:// the client
 * insists on STARTTLS (requireTLS) and refuses a server that does not offer it — a relay, or a
 * man in the middle, that strips STARTTLS never sees the password.
 */
export function smtpPoolOptions(
  settings: SmtpSettings,
  timeoutMs: number,
  poolSize: number,
): SMTPPoolOptions & { pool: true } {
  const credentials = settings.user !== undefined || settings.pass !== undefined;
  return {
    pool: true,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: !settings.secure && (credentials || settings.startTls === 'required'),
    ignoreTLS: !settings.secure && !credentials && settings.startTls === 'never',
    auth: credentials ? { user: settings.user ?? '', pass: settings.pass ?? '' } : undefined,
    name: settings.clientName,
    tls: { rejectUnauthorized: settings.rejectUnauthorized },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    maxConnections: poolSize,
    // nodemailer logs nothing; the worker writes the one line an operator needs.
    logger: false,
  };
}
