import { isIP, Socket, connect as netConnect } from 'node:net';
import { hostname } from 'node:os';
import { connect as tlsConnect, TLSSocket } from 'node:tls';
import { dotStuff } from './mime';

/**
 * A small SMTP client (RFC 5321) over node:net / node:tls: EHLO, STARTTLS when offered (or
 * implicit TLS with smtps://), AUTH PLAIN or LOGIN, MAIL FROM, RCPT TO, DATA. One connection
 * carries many messages (RSET between them after a refusal). Enough for a relay or a
 * submission server; no pipelining, no DSN.
 */

export interface SmtpSettings {
  host: string;
  port: number;
  /** smtps://: TLS from the first byte (port 465). */
  secure: boolean;
  /** For smtp://: 'auto' upgrades when the server offers STARTTLS, 'required' refuses otherwise. */
  startTls: 'auto' | 'never' | 'required';
  user?: string;
  pass?: string;
  timeoutMs: number;
  /** Name given in EHLO. */
  clientName: string;
  /** Verify the server's certificate (off only for a test relay: ?tlsInsecure=1). */
  rejectUnauthorized: boolean;
}

/**
 * smtp://user:pass@host:587?starttls=required, smtps://host:465, smtp://127.0.0.1:2525.
 * Throws on anything else, so that a wrong SMTP_URL stops the start.
 */
export function parseSmtpUrl(url: string, timeoutMs = 30_000): SmtpSettings {
  const u = new URL(url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') {
    throw new Error('SMTP_URL must start with smtp:// or smtps://');
  }
  if (!u.hostname) throw new Error('SMTP_URL lacks a host');
  const secure = u.protocol === 'smtps:';
  const startTls = (u.searchParams.get('starttls') ?? 'auto') as SmtpSettings['startTls'];
  if (!['auto', 'never', 'required'].includes(startTls)) {
    throw new Error('SMTP_URL starttls must be auto, never or required');
  }
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    startTls,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    pass: u.password ? decodeURIComponent(u.password) : undefined,
    timeoutMs,
    clientName: u.searchParams.get('name') ?? (hostname() || 'localhost'),
    rejectUnauthorized: u.searchParams.get('tlsInsecure') !== '1',
  };
}

/** A refusal or a broken conversation. 5xx replies are permanent: sending again cannot help. */
export class SmtpError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly stage: string,
  ) {
    super(message);
    this.name = 'SmtpError';
  }

  get permanent(): boolean {
    return this.code !== null && this.code >= 500 && this.code < 600;
  }
}

interface Reply {
  code: number;
  lines: string[];
}

export interface Envelope {
  from: string;
  to: string;
}

export class SmtpConnection {
  private buffer = '';
  private current: string[] = [];
  private readonly replies: Reply[] = [];
  private waiter: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  private extensions = new Set<string>();
  private authMechanisms: string[] = [];

  private constructor(
    private socket: Socket | TLSSocket,
    private readonly settings: SmtpSettings,
  ) {
    this.attach(socket);
  }

  /** Connects, reads the greeting, says EHLO, upgrades to TLS and authenticates as configured. */
  static async open(settings: SmtpSettings): Promise<SmtpConnection> {
    const socket = await new Promise<Socket | TLSSocket>((resolve, reject) => {
      const s: Socket = settings.secure
        ? tlsConnect({
            host: settings.host,
            port: settings.port,
            servername: isIP(settings.host) ? undefined : settings.host,
            rejectUnauthorized: settings.rejectUnauthorized,
          })
        : netConnect({ host: settings.host, port: settings.port });
      const ok = () => {
        s.off('error', fail);
        resolve(s);
      };
      const fail = (e: Error) => reject(new SmtpError(e.message, null, 'connect'));
      s.once(settings.secure ? 'secureConnect' : 'connect', ok);
      s.once('error', fail);
      s.setTimeout(settings.timeoutMs, () =>
        s.destroy(new SmtpError('connection timed out', null, 'connect')),
      );
    });
    const conn = new SmtpConnection(socket, settings);
    try {
      await conn.expect(await conn.read(), [220], 'greeting');
      await conn.ehlo();
      if (!settings.secure && settings.startTls !== 'never') {
        if (conn.extensions.has('STARTTLS')) await conn.startTls();
        else if (settings.startTls === 'required') {
          throw new SmtpError('the server does not offer STARTTLS', null, 'starttls');
        }
      }
      if (settings.user !== undefined) await conn.authenticate(settings.user, settings.pass ?? '');
      return conn;
    } catch (e) {
      conn.destroy();
      throw e;
    }
  }

  /**
   * Sends one message. `data` is the full message (headers and body). Resolves with the server's
   * reply to the end of DATA: once it resolves the server has taken responsibility for the mail.
   */
  async send(envelope: Envelope, data: string): Promise<string> {
    for (const a of [envelope.from, envelope.to]) {
      if (/[\r\n<>\s]/.test(a)) throw new SmtpError(`invalid address ${a}`, 501, 'envelope');
    }
    try {
      await this.command(`MAIL FROM:<${envelope.from}>`, [250], 'mail');
      await this.command(`RCPT TO:<${envelope.to}>`, [250, 251], 'rcpt');
      await this.command('DATA', [354], 'data');
      const body = dotStuff(data.endsWith('\r\n') ? data : `${data}\r\n`);
      this.write(`${body}.\r\n`);
      const reply = await this.expect(await this.read(), [250], 'data-end');
      return reply.lines.join(' ');
    } catch (e) {
      // A refused message leaves a half transaction on the server: reset it so that the
      // connection can carry the next message. A broken connection is simply dropped.
      if (e instanceof SmtpError && e.code !== null && !this.failure) {
        await this.command('RSET', [250], 'rset').catch(() => this.destroy());
      }
      throw e;
    }
  }

  get usable(): boolean {
    return !this.failure && !this.socket.destroyed;
  }

  /** QUIT, politely; never throws. */
  async close(): Promise<void> {
    if (this.usable) await this.command('QUIT', [221], 'quit').catch(() => undefined);
    this.destroy();
  }

  destroy(): void {
    if (!this.socket.destroyed) this.socket.destroy();
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.setEncoding('utf8');
    socket.setTimeout(this.settings.timeoutMs, () =>
      socket.destroy(new SmtpError('the server stopped answering', null, 'timeout')),
    );
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (e: Error) => this.fail(e));
    socket.on('close', () => this.fail(new SmtpError('connection closed', null, 'closed')));
  }

  private detach(socket: Socket | TLSSocket): void {
    socket.removeAllListeners('data');
    socket.removeAllListeners('error');
    socket.removeAllListeners('close');
    socket.setTimeout(0);
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let at: number;
    while ((at = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, at).replace(/\r$/, '');
      this.buffer = this.buffer.slice(at + 1);
      this.current.push(line.slice(4));
      // "250-…" continues a multi-line reply, "250 …" (or a bare "250") ends it.
      if (/^\d{3}(?: |$)/.test(line)) {
        const reply = { code: Number(line.slice(0, 3)), lines: this.current };
        this.current = [];
        if (this.waiter) {
          const w = this.waiter;
          this.waiter = null;
          w.resolve(reply);
        } else {
          this.replies.push(reply);
        }
      }
    }
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e instanceof SmtpError ? e : new SmtpError(e.message, null, 'socket');
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.reject(this.failure);
    }
  }

  private read(): Promise<Reply> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  private write(text: string): void {
    if (this.failure) throw this.failure;
    this.socket.write(text, 'utf8');
  }

  private async expect(reply: Reply, codes: number[], stage: string): Promise<Reply> {
    if (!codes.includes(reply.code)) {
      throw new SmtpError(`${stage}: ${reply.code} ${reply.lines.join(' ')}`, reply.code, stage);
    }
    return reply;
  }

  private async command(line: string, codes: number[], stage: string): Promise<Reply> {
    this.write(`${line}\r\n`);
    return this.expect(await this.read(), codes, stage);
  }

  private async ehlo(): Promise<void> {
    const reply = await this.command(`EHLO ${this.settings.clientName}`, [250], 'ehlo');
    this.extensions = new Set();
    this.authMechanisms = [];
    for (const line of reply.lines.slice(1)) {
      const [keyword, ...args] = line.trim().split(/\s+/);
      const key = (keyword ?? '').toUpperCase();
      this.extensions.add(key);
      if (key === 'AUTH') this.authMechanisms = args.map((a) => a.toUpperCase());
    }
  }

  private async startTls(): Promise<void> {
    await this.command('STARTTLS', [220], 'starttls');
    const plain = this.socket;
    this.detach(plain);
    const secure = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({
        socket: plain,
        servername: isIP(this.settings.host) ? undefined : this.settings.host,
        rejectUnauthorized: this.settings.rejectUnauthorized,
      });
      s.once('secureConnect', () => resolve(s));
      s.once('error', (e: Error) => reject(new SmtpError(e.message, null, 'starttls')));
    });
    this.socket = secure;
    this.attach(secure);
    await this.ehlo();
  }

  private async authenticate(user: string, pass: string): Promise<void> {
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    if (this.authMechanisms.includes('PLAIN')) {
      await this.command(`AUTH PLAIN ${b64(`\u0000${user}\u0000${pass}`)}`, [235], 'auth');
    } else if (this.authMechanisms.includes('LOGIN')) {
      await this.command('AUTH LOGIN', [334], 'auth');
      await this.command(b64(user), [334], 'auth');
      await this.command(b64(pass), [235], 'auth');
    } else {
      throw new SmtpError('the server offers neither AUTH PLAIN nor AUTH LOGIN', null, 'auth');
    }
  }
}
