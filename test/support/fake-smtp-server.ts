import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { generate } from 'selfsigned';

/** A message as the fake server received it, with the headers and body decoded. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  headers: Record<string, string>;
  subject: string;
  /** The text/plain body (of a multipart message, its text/plain part). */
  text: string;
  /** The text/html part, when there is one. */
  html: string | null;
  auth: string | null;
  /** Whether the message came over TLS. */
  tls: boolean;
}

/** Every AUTH the server was sent, accepted or not. */
export interface LoginAttempt {
  mechanism: string;
  user: string;
  accepted: boolean;
  /** False: the password crossed the wire in clear. */
  tls: boolean;
}

export interface FakeSmtpOptions {
  /** Reply to the end of DATA with this code (e.g. 451, 550) instead of 250. */
  rejectDataWith?: number;
  /** Offer AUTH and require it. */
  auth?: { user: string; pass: string };
  /** The AUTH mechanisms offered (default PLAIN and LOGIN). */
  mechanisms?: string[];
  /**
   * Offer STARTTLS, with a self-signed certificate made when the server starts (its url tells
   * the client not to verify it: tlsInsecure=1).
   */
  tls?: boolean;
  /** A man in the middle that strips STARTTLS: not offered, and refused (502) if asked for. */
  stripStartTls?: boolean;
  /** Greet with this code (421: shutting down) and close, instead of 220. */
  greetWith?: number;
  /** Refuse every login with 535, whatever the credentials. */
  rejectAuth?: boolean;
  /** Refuse these recipients at RCPT TO with the code given (e.g. 550, 450). */
  rejectRecipients?: Record<string, number>;
}

let certificate: Promise<{ key: string; cert: string }> | null = null;

/** One self-signed certificate per test process (an EC key: made in milliseconds). */
function testCertificate(): Promise<{ key: string; cert: string }> {
  certificate ??= generate([{ name: 'commonName', value: 'fake.smtp.test' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 2 * 86_400_000),
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return certificate;
}

/**
 * A tiny SMTP server on 127.0.0.1 for tests: enough of RFC 5321 for nodemailer (EHLO,
 * STARTTLS, AUTH PLAIN and LOGIN, MAIL, RCPT, DATA, RSET, QUIT), failures scripted through
 * `options` (which a test may change between runs), and a decoder of what arrives (RFC 2047
 * headers, base64 or quoted-printable bodies, multipart/alternative) so tests can compare the
 * exact text.
 */
export class FakeSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** Every AUTH tried. */
  readonly logins: LoginAttempt[] = [];
  /** Every DATA the server answered, accepted or not. */
  attempts = 0;
  /** Connections accepted. */
  sessions = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private pems: { key: string; cert: string } | null = null;

  constructor(public options: FakeSmtpOptions = {}) {}

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  get url(): string {
    const auth = this.options.auth
      ? `${encodeURIComponent(this.options.auth.user)}:${encodeURIComponent(this.options.auth.pass)}@`
      : '';
    const tls = this.options.tls ? '&tlsInsecure=1' : '';
    return `smtp://${auth}127.0.0.1:${this.port}?name=test.local${tls}`;
  }

  async start(): Promise<this> {
    if (this.options.tls) this.pems = await testCertificate();
    this.server = createServer((socket) => this.session(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) =>
      this.server?.listening ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** Closes every open connection (as a server restart would), keeping the listener. */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  private session(plain: Socket): void {
    this.sessions += 1;
    this.sockets.add(plain);
    plain.on('close', () => this.sockets.delete(plain));
    plain.on('error', () => undefined);
    let socket: Socket = plain;
    let secure = false;
    const say = (line: string) => {
      if (!socket.destroyed) socket.write(`${line}\r\n`);
    };
    if (this.options.greetWith) {
      say(`${this.options.greetWith} fake.smtp.test service not available, closing channel`);
      plain.end();
      return;
    }
    let buffer = '';
    let inData = false;
    let data: string[] = [];
    let from = '';
    let to: string[] = [];
    let authed = !this.options.auth;
    let auth: string | null = null;
    let loginStep: 'user' | 'pass' | null = null;
    let loginUser = '';
    const login = (mechanism: string, user: string, pass: string) => {
      authed = !this.options.rejectAuth && this.checkAuth(user, pass);
      this.logins.push({ mechanism, user, accepted: authed, tls: secure });
      auth = authed ? `${mechanism} ${user}` : null;
      say(authed ? '235 2.7.0 ok' : '535 5.7.8 authentication credentials invalid');
    };
    const onLine = (line: string) => {
      if (inData) {
        if (line === '.') {
          inData = false;
          this.attempts += 1;
          const code = this.options.rejectDataWith;
          if (code) {
            say(`${code} ${code < 500 ? 'try again later' : 'message refused'}`);
          } else {
            this.received.push(decode(data.join('\r\n'), from, to, auth, secure));
            say('250 2.0.0 queued');
          }
          data = [];
        } else {
          data.push(line.startsWith('..') ? line.slice(1) : line);
        }
        return;
      }
      if (loginStep === 'user') {
        loginUser = Buffer.from(line, 'base64').toString('utf8');
        loginStep = 'pass';
        say('334 UGFzc3dvcmQ6');
        return;
      }
      if (loginStep === 'pass') {
        loginStep = null;
        login('LOGIN', loginUser, Buffer.from(line, 'base64').toString('utf8'));
        return;
      }
      const upper = line.toUpperCase();
      const verb = upper.slice(0, 4);
      if (verb === 'EHLO') {
        say('250-fake.smtp.test');
        if (this.options.tls && !secure && !this.options.stripStartTls) say('250-STARTTLS');
        if (this.options.auth) {
          say(`250-AUTH ${(this.options.mechanisms ?? ['PLAIN', 'LOGIN']).join(' ')}`);
        }
        say('250 8BITMIME');
      } else if (upper === 'STARTTLS') {
        if (!this.options.tls || secure || this.options.stripStartTls || !this.pems) {
          say('502 5.5.1 command not implemented');
          return;
        }
        say('220 2.0.0 ready to start TLS');
        plain.removeListener('data', onData);
        const tls = new TLSSocket(plain, { isServer: true, ...this.pems });
        tls.on('error', () => undefined);
        tls.setEncoding('utf8');
        tls.on('data', onData);
        socket = tls;
        secure = true;
        buffer = '';
        authed = !this.options.auth;
        auth = null;
      } else if (upper.startsWith('AUTH PLAIN ')) {
        const [, user, pass] = Buffer.from(line.slice(11), 'base64').toString('utf8').split('\0');
        login('PLAIN', user ?? '', pass ?? '');
      } else if (upper === 'AUTH LOGIN') {
        loginStep = 'user';
        say('334 VXNlcm5hbWU6');
      } else if (verb === 'MAIL') {
        if (!authed) say('530 5.7.0 authentication required');
        else {
          from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          to = [];
          say('250 ok');
        }
      } else if (verb === 'RCPT') {
        const rcpt = /<([^>]*)>/.exec(line)?.[1] ?? '';
        const refused = this.options.rejectRecipients?.[rcpt];
        if (refused) {
          say(`${refused} ${refused < 500 ? '4.2.1 mailbox busy' : '5.1.1 no such user'}`);
        } else {
          to.push(rcpt);
          say('250 ok');
        }
      } else if (verb === 'DATA') {
        if (!to.length) say('554 5.5.1 no valid recipients');
        else {
          inData = true;
          say('354 end with .');
        }
      } else if (verb === 'RSET') {
        from = '';
        to = [];
        say('250 ok');
      } else if (verb === 'NOOP') {
        say('250 ok');
      } else if (verb === 'QUIT') {
        say('221 bye');
        socket.end();
      } else {
        say('502 5.5.2 not implemented');
      }
    };
    const onData = (chunk: string) => {
      buffer += chunk;
      let at: number;
      while ((at = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        onLine(line);
      }
    };
    plain.setEncoding('utf8');
    plain.on('data', onData);
    say('220 fake.smtp.test ESMTP ready');
  }

  private checkAuth(user: string, pass: string): boolean {
    return user === this.options.auth?.user && pass === this.options.auth?.pass;
  }
}

/** Decodes RFC 2047 encoded-words (B and Q) in a header value. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
      (_, _charset: string, enc: string, text: string) =>
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64').toString('utf8')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-F]{2})/gi, (__, h: string) =>
                  String.fromCharCode(parseInt(h, 16)),
                ),
              'latin1',
            ).toString('utf8'),
    );
}

/** Quoted-printable (RFC 2045) to the UTF-8 text it carries. */
function decodeQuotedPrintable(body: string): string {
  const bytes = body
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function parseHeaders(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  return headers;
}

function splitEntity(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  return split < 0
    ? { headers: parseHeaders(raw), body: '' }
    : { headers: parseHeaders(raw.slice(0, split)), body: raw.slice(split + 4) };
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : Buffer.from(body, 'latin1').toString('utf8');
  return text.replace(/\r\n/g, '\n');
}

/** The text/plain and text/html bodies of an entity, looking into multipart ones. */
function bodies(headers: Record<string, string>, body: string): { text?: string; html?: string } {
  const type = (headers['content-type'] ?? 'text/plain').toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'])?.[1];
    if (!boundary) return {};
    const out: { text?: string; html?: string } = {};
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      const entity = splitEntity(part.replace(/^\r\n/, '').replace(/\r\n$/, ''));
      const found = bodies(entity.headers, entity.body);
      out.text ??= found.text;
      out.html ??= found.html;
    }
    return out;
  }
  const text = decodeBody(headers, body);
  return type.startsWith('text/html') ? { html: text } : { text };
}

function decode(
  raw: string,
  from: string,
  to: string[],
  auth: string | null,
  tls: boolean,
): ReceivedMail {
  // The socket reads UTF-8 (so an 8bit body arrives as text): back to bytes for the decoders.
  const { headers, body } = splitEntity(Buffer.from(raw, 'utf8').toString('latin1'));
  for (const key of Object.keys(headers)) {
    headers[key] = Buffer.from(headers[key], 'latin1').toString('utf8');
  }
  const found = bodies(headers, body);
  return {
    from,
    to,
    raw,
    headers,
    subject: decodeHeader(headers.subject ?? ''),
    text: found.text ?? '',
    html: found.html ?? null,
    auth,
    tls,
  };
}
