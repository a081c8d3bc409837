import { AddressInfo, createServer, Server, Socket } from 'node:net';

/** A message as the fake server received it, with the headers and body decoded. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  headers: Record<string, string>;
  subject: string;
  text: string;
  auth: string | null;
}

export interface FakeSmtpOptions {
  /** Reply to the end of DATA with this code (e.g. 451, 550) instead of 250. */
  rejectDataWith?: number;
  /** Offer AUTH and require it. */
  auth?: { user: string; pass: string };
  /** The AUTH mechanisms offered (default PLAIN and LOGIN). */
  mechanisms?: string[];
}

/**
 * A tiny SMTP server on 127.0.0.1 for tests: enough of RFC 5321 for our client, and a decoder
 * of what arrives (RFC 2047 headers, base64 or 7bit body) so tests can compare the exact text.
 */
export class FakeSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** Every DATA the server answered, accepted or not. */
  attempts = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(public options: FakeSmtpOptions = {}) {}

  get url(): string {
    const port = (this.server!.address() as AddressInfo).port;
    const auth = this.options.auth
      ? `${encodeURIComponent(this.options.auth.user)}:${encodeURIComponent(this.options.auth.pass)}@`
      : '';
    return `smtp://${auth}127.0.0.1:${port}?starttls=never&name=test.local`;
  }

  async start(): Promise<this> {
    this.server = createServer((socket) => this.session(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private session(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    const say = (line: string) => socket.write(`${line}\r\n`);
    let buffer = '';
    let inData = false;
    let data: string[] = [];
    let from = '';
    let to: string[] = [];
    let authed = !this.options.auth;
    let auth: string | null = null;
    let loginStep: 'user' | 'pass' | null = null;
    let loginUser = '';
    say('220 fake.smtp.test ESMTP ready');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let at: number;
      while ((at = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            this.attempts += 1;
            const code = this.options.rejectDataWith;
            if (code) {
              say(`${code} try again later`);
            } else {
              this.received.push(decode(data.join('\r\n'), from, to, auth));
              say('250 2.0.0 queued');
            }
            data = [];
          } else {
            data.push(line.startsWith('..') ? line.slice(1) : line);
          }
          continue;
        }
        if (loginStep === 'user') {
          loginUser = Buffer.from(line, 'base64').toString('utf8');
          loginStep = 'pass';
          say('334 UGFzc3dvcmQ6');
          continue;
        }
        if (loginStep === 'pass') {
          const pass = Buffer.from(line, 'base64').toString('utf8');
          loginStep = null;
          authed = this.checkAuth(loginUser, pass);
          auth = authed ? `LOGIN ${loginUser}` : null;
          say(authed ? '235 ok' : '535 bad credentials');
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') {
          say('250-fake.smtp.test');
          if (this.options.auth) {
            say(`250-AUTH ${(this.options.mechanisms ?? ['PLAIN', 'LOGIN']).join(' ')}`);
          }
          say('250 8BITMIME');
        } else if (line.toUpperCase().startsWith('AUTH PLAIN ')) {
          const [, user, pass] = Buffer.from(line.slice(11), 'base64').toString('utf8').split('\0');
          authed = this.checkAuth(user ?? '', pass ?? '');
          auth = authed ? `PLAIN ${user}` : null;
          say(authed ? '235 ok' : '535 bad credentials');
        } else if (line.toUpperCase() === 'AUTH LOGIN') {
          loginStep = 'user';
          say('334 VXNlcm5hbWU6');
        } else if (verb === 'MAIL') {
          if (!authed) say('530 authentication required');
          else {
            from = /<([^>]*)>/.exec(line)?.[1] ?? '';
            to = [];
            say('250 ok');
          }
        } else if (verb === 'RCPT') {
          to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          say('250 ok');
        } else if (verb === 'DATA') {
          inData = true;
          say('354 end with .');
        } else if (verb === 'RSET') {
          from = '';
          to = [];
          say('250 ok');
        } else if (verb === 'QUIT') {
          say('221 bye');
          socket.end();
        } else {
          say('502 not implemented');
        }
      }
    });
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

function decode(raw: string, from: string, to: string[], auth: string | null): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const at = line.indexOf(':');
    headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : body.replace(/\r\n$/, '');
  return {
    from,
    to,
    raw,
    headers,
    subject: decodeHeader(headers.subject ?? ''),
    text: text.replace(/\r\n/g, '\n'),
    auth,
  };
}
