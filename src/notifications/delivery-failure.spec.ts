import { FakeSmtpServer } from '../../test/support/fake-smtp-server';
import { classifySmtpFailure, DeliveryError } from './delivery-failure';
import { OutgoingMail, SmtpTransport } from './mail-transport';
import { parseSmtpUrl, smtpPoolOptions } from './smtp-settings';

const SUBJECT = 'Bạn được giao chương trình “Bồi dưỡng chủ tịch CĐCS mới bầu” — hạn 31/01/2027';
const TEXT = [
  'Kính gửi đồng chí Nguyễn Thị Hương,',
  '',
  '.Dòng bắt đầu bằng dấu chấm vẫn giữ nguyên.',
  'Đối thoại, thương lượng tập thể; Tổng Liên đoàn Lao động Việt Nam.',
  '',
].join('\n');

describe('classifySmtpFailure: the step decides, not only the reply code', () => {
  it.each([
    ['a refused connection', { code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' }],
    ['a connect timeout', { code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT', command: 'CONN' }],
    ['421 at the greeting', { code: 'EPROTOCOL', responseCode: 421, command: 'CONN' }],
    ['421 at EHLO', { code: 'ECONNECTION', responseCode: 421, command: 'EHLO' }],
    [
      '421 to a throttled MAIL FROM',
      { code: 'EENVELOPE', responseCode: 421, command: 'MAIL FROM' },
    ],
    ['STARTTLS refused (stripped)', { code: 'ETLS', responseCode: 502, command: 'STARTTLS' }],
    ['a TLS handshake failure', { code: 'ETLS', command: 'CONN' }],
    ['an untrusted certificate', { code: 'ESOCKET', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' }],
    ['535 at AUTH', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }],
    ['the sender refused', { code: 'EENVELOPE', responseCode: 553, command: 'MAIL FROM' }],
    ['530 authentication required', { code: 'EENVELOPE', responseCode: 530, command: 'MAIL FROM' }],
  ])('%s: the server is unavailable (the batch waits)', (_, err) => {
    expect(classifySmtpFailure({ message: 'x', ...err })).toBe('unavailable');
  });

  it.each([
    ['550 at RCPT', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }],
    ['554 at the end of DATA', { code: 'EMESSAGE', responseCode: 554, command: 'DATA' }],
    ['552 too large at MAIL FROM', { code: 'EENVELOPE', responseCode: 552, command: 'MAIL FROM' }],
    ['an address refused before sending', { code: 'EENVELOPE', command: 'API' }],
  ])('%s: permanent for this message', (_, err) => {
    expect(classifySmtpFailure({ message: 'x', ...err })).toBe('permanent');
  });

  it.each([
    ['450 at RCPT', { code: 'EENVELOPE', responseCode: 450, command: 'RCPT TO' }],
    ['451 at the end of DATA', { code: 'EMESSAGE', responseCode: 451, command: 'DATA' }],
    ['503 bad sequence', { code: 'EENVELOPE', responseCode: 503, command: 'DATA' }],
  ])('%s: transient for this message', (_, err) => {
    expect(classifySmtpFailure({ message: 'x', ...err })).toBe('transient');
  });

  it.each([
    ['a connection closed', { code: 'ECONNECTION', command: 'CONN' }],
    ['a reset', { code: 'ESOCKET', originalCode: 'ECONNRESET', command: 'CONN' }],
    ['a reply timeout', { code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT' }],
  ])('%s: uncertain (the transport asks the server)', (_, err) => {
    expect(classifySmtpFailure({ message: 'x', ...err })).toBe('uncertain');
  });
});

describe('SMTP_URL', () => {
  it('requires TLS whenever there are credentials', () => {
    const opts = (url: string) => smtpPoolOptions(parseSmtpUrl(url), 5000, 2);
    expect(opts('smtp://u:p@mail.example.vn')).toMatchObject({
      pool: true,
      port: 587,
      secure: false,
      requireTLS: true,
      ignoreTLS: false,
      auth: { user: 'u', pass: 'p' },
      maxConnections: 2,
    });
    expect(opts('smtps://u%40x:p%3Aw@mail.example.vn')).toMatchObject({
      port: 465,
      secure: true,
      auth: { user: 'u@x', pass: 'p:w' },
    });
    expect(opts('smtp://relay:25?starttls=never')).toMatchObject({
      requireTLS: false,
      ignoreTLS: true,
      auth: undefined,
    });
    expect(opts('smtp://relay:25')).toMatchObject({ requireTLS: false, ignoreTLS: false });
    expect(() => parseSmtpUrl('smtp://u:p@relay:25?starttls=never')).toThrow(/in clear/);
    expect(() => parseSmtpUrl('http://x')).toThrow();
    expect(() => parseSmtpUrl('smtp://x?starttls=maybe')).toThrow();
    expect(() => parseSmtpUrl('smtp://x?pool=true')).toThrow(/unknown parameter/);
  });
});

describe('SmtpTransport against the fake server', () => {
  let server: FakeSmtpServer;
  let transport: SmtpTransport;
  const mail = (to: string, id = 'm-1'): OutgoingMail => ({
    id,
    to,
    subject: SUBJECT,
    text: TEXT,
    html: null,
  });
  const failure = (p: Promise<void>) => p.then(() => null).catch((e: DeliveryError) => e);
  const open = (url = server.url) =>
    (transport = new SmtpTransport({
      url,
      timeoutMs: 5000,
      from: 'daotao@lms.congdoan.test',
      fromName: 'Hệ thống đào tạo cán bộ công đoàn',
      poolSize: 2,
    }));

  afterEach(async () => {
    await transport?.close();
    await server?.stop();
  });

  it('logs in over STARTTLS and delivers Vietnamese exactly', async () => {
    server = await new FakeSmtpServer({
      tls: true,
      auth: { user: 'lms', pass: 'mật khẩu' },
    }).start();
    await open().send(mail('chutich@example.vn', 'abc-123'));
    await transport.send(mail('second@example.vn', 'abc-124'));
    expect(server.received).toHaveLength(2);
    const [m] = server.received;
    expect(m).toMatchObject({ auth: 'PLAIN lms', tls: true, to: ['chutich@example.vn'] });
    expect(m.subject).toBe(SUBJECT);
    expect(m.text).toBe(TEXT);
    expect(m.headers['message-id']).toBe('<abc-123@lms.congdoan.test>');
    expect(server.logins.every((l) => l.tls)).toBe(true);
    expect(server.sessions).toBe(1); // pooled: one connection carried both
  });

  it('535 at AUTH: the server is unavailable, not the message', async () => {
    server = await new FakeSmtpServer({
      tls: true,
      auth: { user: 'lms', pass: 'right' },
      rejectAuth: true,
    }).start();
    const err = await failure(open().send(mail('a@example.vn')));
    expect(err).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/535/) });
  });

  it('421 at connect: unavailable', async () => {
    server = await new FakeSmtpServer({ greetWith: 421 }).start();
    const err = await failure(open().send(mail('a@example.vn')));
    expect(err).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/421/) });
  });

  it('a stripped STARTTLS: refused before the password is sent', async () => {
    server = await new FakeSmtpServer({
      tls: true,
      stripStartTls: true,
      auth: { user: 'lms', pass: 'bí mật' },
    }).start();
    const err = await failure(open().send(mail('a@example.vn')));
    expect(err).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/STARTTLS/) });
    expect(server.logins).toEqual([]);
    expect(server.received).toEqual([]);
  });

  it('a refused connection: unavailable', async () => {
    server = await new FakeSmtpServer().start();
    const url = server.url;
    await server.stop();
    const err = await failure(open(url).send(mail('a@example.vn')));
    expect(err).toMatchObject({ kind: 'unavailable' });
  });

  it('550 at RCPT is permanent for that recipient; 450 is transient; the next one goes', async () => {
    server = await new FakeSmtpServer({
      rejectRecipients: { 'khongco@example.vn': 550, 'ban@example.vn': 450 },
    }).start();
    open();
    expect(await failure(transport.send(mail('khongco@example.vn')))).toMatchObject({
      kind: 'permanent',
      message: expect.stringMatching(/550/),
    });
    expect(await failure(transport.send(mail('ban@example.vn')))).toMatchObject({
      kind: 'transient',
    });
    expect(await failure(transport.send(mail('co@example.vn')))).toBeNull();
    expect(server.received.map((m) => m.to)).toEqual([['co@example.vn']]);
  });

  it('451 at the end of DATA is transient for the message, 554 permanent', async () => {
    server = await new FakeSmtpServer({ rejectDataWith: 451 }).start();
    open();
    expect(await failure(transport.send(mail('a@example.vn')))).toMatchObject({
      kind: 'transient',
    });
    server.options.rejectDataWith = 554;
    expect(await failure(transport.send(mail('a@example.vn')))).toMatchObject({
      kind: 'permanent',
    });
  });

  it('refuses an address that could smuggle another recipient', async () => {
    server = await new FakeSmtpServer().start();
    expect(await failure(open().send(mail('a@b.vn, c@d.vn')))).toMatchObject({
      kind: 'permanent',
    });
    expect(await failure(transport.send({ ...mail('x@y.vn'), to: null }))).toMatchObject({
      kind: 'permanent',
    });
    expect(server.sessions).toBe(0);
  });
});
