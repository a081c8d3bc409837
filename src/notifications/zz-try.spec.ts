import { FakeSmtpServer } from '../../test/support/fake-smtp-server';
import { SmtpTransport } from './mail-transport';

it('try', async () => {
  const server = await new FakeSmtpServer({ tls: true, auth: { user: 'lms', pass: 'mật khẩu' } }).start();
  const t = new SmtpTransport({ url: server.url, timeoutMs: 5000, from: 'daotao@lms.congdoan.test', fromName: 'Hệ thống đào tạo cán bộ công đoàn', poolSize: 2 });
  const text = 'Kính gửi đồng chí Nguyễn Thị Hương,\n\n.Dòng chấm\nĐối thoại, thương lượng tập thể.\n';
  await t.send({ id: 'abc', to: 'x@y.vn', subject: 'Bạn được giao chương trình “Bồi dưỡng chủ tịch CĐCS mới bầu” — hạn 31/01/2027', text, html: null });
  console.log(server.received[0].raw, JSON.stringify(server.received[0].text), server.received[0].subject, server.logins, server.received[0].headers);
  expect(server.received[0].text).toBe(text);
  server.options.rejectRecipients = { 'bad@y.vn': 550 };
  const e = await t.send({ id: 'abd', to: 'bad@y.vn', subject: 's', text: 't', html: null }).catch((e) => e);
  console.log(e);
  server.options.stripStartTls = true;
  server.dropConnections();
  const e2 = await t.send({ id: 'abe', to: 'x@y.vn', subject: 's', text: 't', html: null }).catch((e) => e);
  console.log(e2, server.logins);
  await t.close();
  await server.stop();
});
