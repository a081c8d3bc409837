import { decodeHeader, FakeSmtpServer } from '../../test/support/fake-smtp-server';
import { buildMessage, dotStuff, encodeHeaderWords } from './mime';
import { parseSmtpUrl, SmtpConnection, SmtpError } from './smtp-client';

const SUBJECT = 'Bạn được giao chương trình “Bồi dưỡng chủ tịch CĐCS mới bầu” — hạn 31/01/2027';
const TEXT = [
  'Kính gửi đồng chí Nguyễn Thị Hương,',
  '',
  '.Dòng bắt đầu bằng dấu chấm vẫn giữ nguyên.',
  'Đối thoại, thương lượng tập thể; Tổng Liên đoàn Lao động Việt Nam.',
].join('\n');

describe('MIME encoding', () => {
  it('splits encoded-words on whole characters, each at most 75 characters', () => {
    const encoded = encodeHeaderWords(SUBJECT);
    for (const word of encoded.split('\r\n ')) expect(word.length).toBeLessThanOrEqual(75);
    expect(decodeHeader(encoded)).toBe(SUBJECT);
    expect(encodeHeaderWords('Plain ASCII')).toBe('Plain ASCII');
  });

  it('keeps header injection out', () => {
    expect(encodeHeaderWords('a\r\nBcc: x@y')).not.toMatch(/\r\nBcc/);
    expect(() =>
      buildMessage({ from: 'a@b', to: 'x@y>\r\nBcc: z', subject: 's', text: 't', messageId: '1' }),
    ).toThrow();
  });

  it('dot-stuffs lines that start with a dot', () => {
    expect(dotStuff('.a\r\nb\r\n.c')).toBe('..a\r\nb\r\n..c');
  });
});

describe('SmtpConnection against a fake server', () => {
  let server: FakeSmtpServer;

  afterEach(async () => {
    await server.stop();
  });

  it('delivers a Vietnamese message that decodes back exactly (AUTH PLAIN)', async () => {
    server = await new FakeSmtpServer({ auth: { user: 'lms', pass: 'bí mật' } }).start();
    const conn = await SmtpConnection.open(parseSmtpUrl(server.url, 5000));
    const data = buildMessage({
      from: 'daotao@lms.congdoan.test',
      fromName: 'Hệ thống đào tạo cán bộ công đoàn',
      to: 'chutich@example.vn',
      subject: SUBJECT,
      text: TEXT,
      messageId: 'abc-123',
    });
    await conn.send({ from: 'daotao@lms.congdoan.test', to: 'chutich@example.vn' }, data);
    await conn.send({ from: 'daotao@lms.congdoan.test', to: 'second@example.vn' }, data);
    await conn.close();
    expect(server.received).toHaveLength(2);
    const [mail] = server.received;
    expect(mail.auth).toBe('PLAIN lms');
    expect(mail.to).toEqual(['chutich@example.vn']);
    expect(mail.subject).toBe(SUBJECT);
    expect(mail.text).toBe(TEXT);
    expect(decodeHeader(mail.headers.from)).toBe(
      'Hệ thống đào tạo cán bộ công đoàn <daotao@lms.congdoan.test>',
    );
    expect(mail.headers['message-id']).toBe('<abc-123@lms.congdoan.test>');
  });

  it('authenticates with AUTH LOGIN when PLAIN is not offered', async () => {
    server = await new FakeSmtpServer({
      auth: { user: 'lms', pass: 'mật khẩu' },
      mechanisms: ['LOGIN'],
    }).start();
    const conn = await SmtpConnection.open(parseSmtpUrl(server.url, 5000));
    const data = buildMessage({
      from: 'a@b.c',
      to: 'x@y.z',
      subject: SUBJECT,
      text: TEXT,
      messageId: '2',
    });
    await conn.send({ from: 'a@b.c', to: 'x@y.z' }, data);
    await conn.close();
    expect(server.received[0]).toMatchObject({ auth: 'LOGIN lms', subject: SUBJECT, text: TEXT });
  });

  it('reports a refusal with its code, transient or permanent, and stays usable', async () => {
    server = await new FakeSmtpServer({ rejectDataWith: 451 }).start();
    const conn = await SmtpConnection.open(parseSmtpUrl(server.url, 5000));
    const data = buildMessage({
      from: 'a@b.c',
      to: 'x@y.z',
      subject: 's',
      text: 't',
      messageId: '1',
    });
    const err = await conn.send({ from: 'a@b.c', to: 'x@y.z' }, data).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmtpError);
    expect((err as SmtpError).code).toBe(451);
    expect((err as SmtpError).permanent).toBe(false);
    expect(conn.usable).toBe(true);
    server.options.rejectDataWith = 550;
    const err2 = await conn.send({ from: 'a@b.c', to: 'x@y.z' }, data).catch((e: unknown) => e);
    expect((err2 as SmtpError).permanent).toBe(true);
    await conn.close();
  });

  it('fails AUTH with wrong credentials and refuses a closed port', async () => {
    server = await new FakeSmtpServer({ auth: { user: 'lms', pass: 'right' } }).start();
    const wrong = parseSmtpUrl(server.url.replace('lms:right', 'lms:wrong'), 5000);
    await expect(SmtpConnection.open(wrong)).rejects.toMatchObject({ code: 535 });
    await expect(
      SmtpConnection.open(parseSmtpUrl('smtp://127.0.0.1:1?starttls=never', 2000)),
    ).rejects.toBeInstanceOf(SmtpError);
  });

  it('reads SMTP_URL', () => {
    expect(parseSmtpUrl('smtps://u%40x:p%3Aw@mail.example.vn')).toMatchObject({
      host: 'mail.example.vn',
      port: 465,
      secure: true,
      user: 'u@x',
      pass: 'p:w',
    });
    expect(() => parseSmtpUrl('http://x')).toThrow();
    expect(() => parseSmtpUrl('smtp://x?starttls=maybe')).toThrow();
  });
});
