import { renderEmail, textsOf } from './email-renderer';
import {
  CERTIFICATE_EVENTS,
  COURSE_EVENTS,
  NOTIFICATION_LOCALES,
  NotificationCertificate,
  NotificationCourse,
  NotificationPayload,
  NotificationProgramme,
  NotificationSession,
  PROGRAMME_EVENTS,
  SESSION_EVENTS,
} from './notification.types';

const PROGRAMME: NotificationProgramme = {
  assignmentId: 'a1',
  programmeId: 'p1',
  code: 'CT-CTCĐCS',
  title: 'Bồi dưỡng chủ tịch CĐCS mới bầu',
  cycle: 1,
  dueOn: '2027-02-28',
  expiresOn: '2029-11-30',
};
const ONE: NotificationPayload = { fullName: 'Nguyễn Thị Hương', programmes: [PROGRAMME] };
const TWO: NotificationPayload = {
  ...ONE,
  programmes: [
    PROGRAMME,
    { ...PROGRAMME, assignmentId: 'a2', code: 'CT-ĐTTL', title: 'Đối thoại, thương lượng tập thể' },
  ],
};
const CERTIFICATE: NotificationCertificate = {
  certificateId: 'c1',
  serial: 'GCN-2027-000012',
  courseCode: 'K01',
  courseTitle: 'Nghiệp vụ chủ tịch CĐCS mới bầu',
  issuerName: 'Liên đoàn Lao động Thành phố Hà Nội',
  issuedOn: '2027-01-31',
  validUntil: '2030-01-31',
  verifyUrl: 'https://lms.congdoan.vn/api/v1/verify/ABCDEFGHIJKLMNOPQRSTUVWX',
  replacesSerial: null,
  reason: null,
};
const ONE_CERT: NotificationPayload = { fullName: 'Nguyễn Thị Hương', certificates: [CERTIFICATE] };
const TWO_CERTS: NotificationPayload = {
  ...ONE_CERT,
  certificates: [
    CERTIFICATE,
    {
      ...CERTIFICATE,
      certificateId: 'c2',
      serial: 'GCN-2027-000013',
      courseCode: 'K02',
      courseTitle: 'Đối thoại và thương lượng tập thể',
      validUntil: null,
      reason: 'Chờ xác minh kết quả bài kiểm tra',
    },
  ],
};
const COURSE: NotificationCourse = {
  enrolmentId: 'e1',
  courseId: 'c1',
  code: 'K02',
  title: 'Đối thoại và thương lượng tập thể',
  dueOn: '2027-06-30',
};
const ONE_COURSE: NotificationPayload = { fullName: 'Nguyễn Thị Hương', courses: [COURSE] };
const TWO_COURSES: NotificationPayload = {
  ...ONE_COURSE,
  courses: [
    COURSE,
    {
      enrolmentId: 'e2',
      courseId: 'c2',
      code: 'K04',
      title: 'Tài chính và kiểm tra công đoàn',
      dueOn: null,
    },
  ],
};
const SESSION: NotificationSession = {
  bookingId: 'b1',
  sessionId: 's1',
  courseId: 'c1',
  courseCode: 'K05',
  courseTitle: 'Kỹ năng đối thoại, thương lượng tập thể',
  sessionTitle: 'Lớp K05 — đợt 1 năm 2027',
  // 01:00Z is 08:00 in Hà Nội.
  days: [
    { dayNo: 1, startsAt: '2027-03-10T01:00:00Z', endsAt: '2027-03-10T04:30:00Z' },
    { dayNo: 2, startsAt: '2027-03-11T06:30:00Z', endsAt: '2027-03-11T10:00:00Z' },
  ],
  venue: 'Trường Cán bộ Công đoàn Hà Nội, P.301, 65 Quán Sứ, Hoàn Kiếm, Hà Nội',
  onlineUrl: null,
  changed: [],
};
const ONE_SESSION: NotificationPayload = { fullName: 'Nguyễn Thị Hương', sessions: [SESSION] };
const options = { appUrl: 'https://lms.congdoan.vn', eventDay: '2027-03-03' };

describe('e-mail templates', () => {
  it('renders every event in both languages with a one-line subject, with or without a link', () => {
    const cases = [
      ...PROGRAMME_EVENTS.map((event) => ({ event, payloads: [ONE, TWO], title: PROGRAMME.title })),
      ...COURSE_EVENTS.map((event) => ({
        event,
        payloads: [ONE_COURSE, TWO_COURSES],
        title: COURSE.title,
      })),
      ...CERTIFICATE_EVENTS.map((event) => ({
        event,
        payloads: [ONE_CERT, TWO_CERTS],
        title: CERTIFICATE.courseTitle,
      })),
      ...SESSION_EVENTS.map((event) => ({
        event,
        payloads: [ONE_SESSION],
        title: SESSION.courseTitle,
      })),
    ];
    for (const { event, payloads, title } of cases) {
      for (const locale of NOTIFICATION_LOCALES) {
        for (const payload of payloads) {
          const mail = renderEmail(event, locale, payload, options);
          expect(mail.subject).not.toMatch(/\n/);
          expect(mail.text).toContain('Nguyễn Thị Hương');
          expect(mail.text).toContain(title);
          expect(mail.text).toContain('https://lms.congdoan.vn');
          expect(mail.text).not.toMatch(/\{\{|undefined|null/);
          // No portal configured: no link at all, never one to a page that does not exist.
          const bare = renderEmail(event, locale, payload, { ...options, appUrl: null });
          expect(bare.text).toContain(title);
          // A certificate message links its public verification page, which always exists.
          const withoutPortal = bare.text.replace(/https?:\/\/\S+\/api\/v1\/verify\/\S+/g, '');
          expect(withoutPortal).not.toMatch(/https?:|undefined|null/);
        }
      }
    }
  });

  it('refuses a message with nothing to speak of', () => {
    expect(() => renderEmail('certificate_issued', 'vi', ONE, options)).toThrow(/certificate/);
    expect(() => renderEmail('assigned', 'vi', ONE_CERT, options)).toThrow(/programme/);
    expect(() => renderEmail('plan_enrolled', 'vi', ONE, options)).toThrow(/course/);
    expect(() => renderEmail('assigned', 'vi', ONE_COURSE, options)).toThrow(/programme/);
    expect(() => renderEmail('session_reminder', 'vi', ONE_COURSE, options)).toThrow(/session/);
  });

  it('reminds of one session day in Vietnam time, with the venue and the link', () => {
    const day = { ...SESSION, days: [SESSION.days[0]], onlineUrl: 'https://meet.congdoan.vn/k05' };
    const vi = renderEmail('session_reminder', 'vi', { ...ONE_SESSION, sessions: [day] }, options);
    expect(vi.subject).toBe(
      'Nhắc lịch học: lớp “Kỹ năng đối thoại, thương lượng tập thể”, 10/03/2027, 08:00–11:30',
    );
    expect(vi.text).toBe(
      [
        'Kính gửi đồng chí Nguyễn Thị Hương,',
        '',
        'Đồng chí có buổi học sắp tới của lớp học tập trung sau:',
        '- Khóa học: K05 — Kỹ năng đối thoại, thương lượng tập thể',
        '- Lớp: Lớp K05 — đợt 1 năm 2027',
        '- Thời gian: 10/03/2027, 08:00–11:30 (giờ Việt Nam)',
        '- Địa điểm: Trường Cán bộ Công đoàn Hà Nội, P.301, 65 Quán Sứ, Hoàn Kiếm, Hà Nội',
        '- Học trực tuyến: https://meet.congdoan.vn/k05',
        '',
        'Nếu không thể tham dự, đồng chí vui lòng báo cán bộ đào tạo hoặc xem lại đăng ký tại: https://lms.congdoan.vn',
        '',
        'Trân trọng,',
        'Hệ thống đào tạo cán bộ công đoàn',
        '',
      ].join('\n'),
    );
    const en = renderEmail('session_reminder', 'en', { ...ONE_SESSION, sessions: [day] }, options);
    expect(en.subject).toBe(
      'Reminder: “Kỹ năng đối thoại, thương lượng tập thể”, 10/03/2027, 08:00–11:30',
    );
  });

  it('marks what changed in a session and lists every day; a cancellation lists the planned days', () => {
    const changed = { ...SESSION, changed: ['days' as const] };
    const vi = renderEmail(
      'session_changed',
      'vi',
      { ...ONE_SESSION, sessions: [changed] },
      options,
    );
    expect(vi.subject).toBe('Thay đổi lịch lớp học “Kỹ năng đối thoại, thương lượng tập thể”');
    expect(vi.text).toContain(
      '- Lịch học (đã thay đổi), giờ Việt Nam:\n  + 10/03/2027, 08:00–11:30\n  + 11/03/2027, 13:30–17:00\n',
    );
    expect(vi.text).toContain('- Địa điểm: Trường Cán bộ');
    expect(vi.text).not.toContain('Địa điểm (đã thay đổi)');
    const en = renderEmail(
      'session_changed',
      'en',
      { ...ONE_SESSION, sessions: [changed] },
      options,
    );
    expect(en.text).toContain('- Days (changed), Vietnam time:');
    const cancelled = renderEmail('session_cancelled', 'vi', ONE_SESSION, options);
    expect(cancelled.subject).toBe('Lớp học “Kỹ năng đối thoại, thương lượng tập thể” đã bị hủy');
    expect(cancelled.text).toContain('  + 11/03/2027, 13:30–17:00\n');
  });

  it('tells the holder of a new certificate, its end of validity and where to verify it', () => {
    const mail = renderEmail('certificate_issued', 'vi', ONE_CERT, options);
    expect(mail.subject).toBe(
      'Đồng chí được cấp giấy chứng nhận khóa học “Nghiệp vụ chủ tịch CĐCS mới bầu”',
    );
    expect(mail.text).toBe(
      [
        'Kính gửi đồng chí Nguyễn Thị Hương,',
        '',
        'Đồng chí được cấp giấy chứng nhận sau:',
        '- Số hiệu GCN-2027-000012: K01 — Nghiệp vụ chủ tịch CĐCS mới bầu, cấp ngày 31/01/2027, có giá trị đến hết ngày 31/01/2030',
        '  Đơn vị cấp: Liên đoàn Lao động Thành phố Hà Nội',
        '  Kiểm tra giấy chứng nhận: https://lms.congdoan.vn/api/v1/verify/ABCDEFGHIJKLMNOPQRSTUVWX',
        '',
        'Cơ quan, đơn vị nhận giấy chứng nhận có thể kiểm tra tính hợp lệ tại địa chỉ kiểm tra nêu trên.',
        '',
        'Trân trọng,',
        'Hệ thống đào tạo cán bộ công đoàn',
        '',
      ].join('\n'),
    );
    const reissued = renderEmail(
      'certificate_issued',
      'en',
      { ...ONE_CERT, certificates: [{ ...CERTIFICATE, replacesSerial: 'GCN-2026-000004' }] },
      options,
    );
    expect(reissued.subject).toBe(
      'You have been issued the certificate for “Nghiệp vụ chủ tịch CĐCS mới bầu”',
    );
    expect(reissued.text).toContain('A reissue, replacing certificate No. GCN-2026-000004');
    expect(reissued.text).toContain('valid through 31/01/2030');
  });

  it('gives the reason of a suspension or revocation, one line per certificate', () => {
    const vi = renderEmail('certificate_suspended', 'vi', TWO_CERTS, options);
    expect(vi.subject).toBe('2 giấy chứng nhận của đồng chí bị tạm đình chỉ hiệu lực');
    expect(vi.text).toContain('  Lý do: Chờ xác minh kết quả bài kiểm tra\n');
    expect(vi.text.match(/Lý do/g)).toHaveLength(1); // the first one has no reason
    const en = renderEmail('certificate_revoked', 'en', ONE_CERT, options);
    expect(en.subject).toBe('Your certificate No. GCN-2027-000012 has been revoked');
    expect(en.text).toContain('has been revoked and is no longer valid:');
  });

  it('tells the enrolments of a development plan with their due dates', () => {
    const vi = renderEmail('plan_enrolled', 'vi', TWO_COURSES, { ...options, appUrl: null });
    expect(vi.subject).toBe('Đồng chí được ghi danh 2 khóa học theo kế hoạch phát triển');
    expect(vi.text).toBe(
      [
        'Kính gửi đồng chí Nguyễn Thị Hương,',
        '',
        'Theo kế hoạch phát triển cán bộ, đồng chí vừa được ghi danh các khóa học sau:',
        '- K02 — Đối thoại và thương lượng tập thể: hoàn thành trước ngày 30/06/2027',
        '- K04 — Tài chính và kiểm tra công đoàn',
        '',
        'Đồng chí vui lòng đăng nhập hệ thống đào tạo để bắt đầu học.',
        '',
        'Trân trọng,',
        'Hệ thống đào tạo cán bộ công đoàn',
        '',
      ].join('\n'),
    );
    const en = renderEmail('plan_enrolled', 'en', ONE_COURSE, options);
    expect(en.subject).toBe(
      'You have been enrolled in “Đối thoại và thương lượng tập thể” under your development plan',
    );
    expect(en.text).toContain('- K02 — Đối thoại và thương lượng tập thể: complete by 30/06/2027');
    expect(en.text).toContain('Please sign in to start learning: https://lms.congdoan.vn');
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

  describe('one-time password links', () => {
    const link = {
      fullName: 'Nguyễn Thị Hương',
      link: {
        url: 'https://lms.congdoan.vn/set-password/AbC_12-xyz',
        // 10:30 UTC is 17:30 in Vietnam.
        expiresAt: '2027-03-10T10:30:00.000Z',
      },
    };
    const opts = { appUrl: null, eventDay: '2027-03-03' };

    it('account_invited: the link on a line of its own and its end in Vietnam time', () => {
      const vi = renderEmail('account_invited', 'vi', link, opts);
      expect(vi.subject).toBe(
        'Mời đồng chí đặt mật khẩu cho tài khoản trên Hệ thống đào tạo cán bộ công đoàn',
      );
      expect(vi.text).toContain('Kính gửi đồng chí Nguyễn Thị Hương,');
      expect(vi.text).toContain('\nhttps://lms.congdoan.vn/set-password/AbC_12-xyz\n');
      expect(vi.text).toContain('hết hạn lúc 17:30 10/03/2027');
      const en = renderEmail('account_invited', 'en', link, opts);
      expect(en.subject).toBe(
        'Set the password of your account on the trade union cadre training system',
      );
      expect(en.text).toContain('expires at 17:30 10/03/2027 (Vietnam time)');
    });

    it('password_reset: its own words in both languages', () => {
      const vi = renderEmail('password_reset', 'vi', link, opts);
      expect(vi.subject).toBe('Đặt lại mật khẩu tài khoản của đồng chí');
      expect(vi.text).toContain('mọi phiên đăng nhập cũ của đồng chí sẽ kết thúc');
      expect(renderEmail('password_reset', 'en', link, opts).subject).toBe(
        'Reset the password of your account',
      );
    });

    it('refuses a link message without its link', () => {
      expect(() => renderEmail('password_reset', 'vi', { fullName: 'A' }, opts)).toThrow(
        'a message needs at least one link',
      );
    });
  });
});
