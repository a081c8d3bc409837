import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('hides a calendar feed token and the values of token and code parameters', () => {
    expect(redactUrl('/api/v1/calendar/AbC-123_xyz.ics')).toBe('/api/v1/calendar/[redacted].ics');
    expect(redactUrl('/learn/check-in?code=ZX81&lang=vi')).toBe(
      '/learn/check-in?code=[redacted]&lang=vi',
    );
    expect(redactUrl('/reset?lang=en&token=s3cr3t#top')).toBe(
      '/reset?lang=en&token=[redacted]#top',
    );
  });

  it('keeps every other address as it is', () => {
    expect(redactUrl('/api/v1/sessions/5/calendar.ics')).toBe('/api/v1/sessions/5/calendar.ics');
    expect(redactUrl('/api/v1/people?cursor=abc&codeName=x')).toBe(
      '/api/v1/people?cursor=abc&codeName=x',
    );
    expect(redactUrl(undefined)).toBeUndefined();
  });
});
