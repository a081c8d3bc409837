import { renderEmail, textsOf } from './email-renderer';
import {
  NOTIFICATION_EVENTS,
  NOTIFICATION_LOCALES,
  NotificationPayload,
} from './notification.types';

const ONE: NotificationPayload = {
  fullName: 'Nguyễn Thị Hương',
  programmes: [
    {
      assignmentId: 'a1',
      programmeId: 'p1',
      code: 'CT-CTCĐCS',
      title: 'Bồi dưỡng chủ tịch CĐCS mới bầu',
      cycle: 1,
      dueOn: '2027-02-28',
      expiresOn: '2029-11-30',
    },
  ],
};
const TWO: NotificationPayload = {
  ...ONE,
  programmes: [
    ...ONE.programmes,
    {
      ...ONE.programmes[0],
      assignmentId: 'a2',
      code: 'CT-ĐTTL',
      title: 'Đối thoại, thương lượng tập thể',
    },
  ],
};
const options = { appUrl: 'https://lms.congdoan.vn', eventDay: '2027-03-03' };

describe('e-mail templates', () => {
  it('renders every event in both languages with a one-line subject', () => {
    for (const event of NOTIFICATION_EVENTS) {
      for (const locale of NOTIFICATION_LOCALES) {
        for (const payload of [ONE, TWO]) {
          const mail = renderEmail(event, locale, payload, options);
          expect(mail.subject).not.toMatch(/\n/);
          expect(mail.text).toContain('Bồi dưỡng chủ tịch CĐCS mới bầu');
          expect(mail.text).not.toMatch(/\{\{|undefined|null/);
        }
      }
    }
  });

  it('writes Vietnamese with exact diacritics, NFC', () => {
    const mail = renderEmail('assigned', 'vi', ONE, options);
    expect(mail.subject).toBe('Đồng chí được giao chương trình “Bồi dưỡng chủ tịch CĐCS mới bầu”');
    expect(mail.text).toBe(
      [
        'Kính gửi đồng chí Nguyễn Thị Hương,',
        '',
        'Đồng chí vừa được giao chương trình bồi dưỡng sau:',
        '- CT-CTCĐCS — Bồi dưỡng chủ tịch CĐCS mới bầu: hoàn thành trước ngày 28/02/2027',
        '',
        'Đồng chí vui lòng đăng nhập hệ thống để bắt đầu học: https://lms.congdoan.vn',
        '',
        'Trân trọng,',
        'Hệ thống đào tạo cán bộ công đoàn',
        '',
      ].join('\n'),
    );
    expect(mail.text.normalize('NFC')).toBe(mail.text);
  });

  it('lists every merged programme and counts overdue days; English when asked', () => {
    const vi = renderEmail('overdue', 'vi', TWO, options);
    expect(vi.subject).toBe('2 chương trình bồi dưỡng đã quá hạn hoàn thành');
    expect(vi.text).toContain(
      '- CT-ĐTTL — Đối thoại, thương lượng tập thể: hạn 28/02/2027, quá 3 ngày',
    );
    const en = renderEmail('overdue', 'en', TWO, options);
    expect(en.subject).toBe('2 training programmes are overdue');
    expect(en.text).toContain('Dear Nguyễn Thị Hương,');
    expect(en.text).toContain('due 28/02/2027, 3 days overdue');
  });

  it('textsOf: stored texts win (what was sent); without them it renders the row now', () => {
    const row = {
      event: 'assigned' as const,
      locale: 'vi' as const,
      event_day: '2027-03-03',
      payload: TWO,
      subject: null,
      body_text: null,
    };
    expect(textsOf(row, options.appUrl)).toEqual(renderEmail('assigned', 'vi', TWO, options));
    expect(textsOf({ ...row, subject: 'Đã gửi', body_text: 'Nội dung đã gửi\n' }, 'x')).toEqual({
      subject: 'Đã gửi',
      text: 'Nội dung đã gửi\n',
    });
    // Half-stored never happens (both are written together); it renders rather than mixes.
    expect(textsOf({ ...row, subject: 'Đã gửi' }, options.appUrl).subject).not.toBe('Đã gửi');
  });
});
