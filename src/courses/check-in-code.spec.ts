import {
  CHECK_IN_WINDOW_MS,
  checkInKey,
  issueCheckInCode,
  verifyCheckInCode,
} from './check-in-code';

describe('check-in code', () => {
  const key = checkInKey('x'.repeat(32));
  const session = '3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41';
  const at = new Date('2027-03-10T01:00:30Z');
  const later = (windows: number) => new Date(at.getTime() + windows * CHECK_IN_WINDOW_MS);

  it('is accepted in its own minute and the next, naming its day', () => {
    const { code, rotatesAt } = issueCheckInCode(key, session, 2, at);
    expect(rotatesAt.toISOString()).toBe('2027-03-10T01:01:00.000Z');
    expect(verifyCheckInCode(key, code, at)).toEqual({ ok: true, sessionId: session, dayNo: 2 });
    expect(verifyCheckInCode(key, code, later(1))).toEqual({
      ok: true,
      sessionId: session,
      dayNo: 2,
    });
  });

  it('rotates every minute', () => {
    expect(issueCheckInCode(key, session, 2, at).code).not.toBe(
      issueCheckInCode(key, session, 2, later(1)).code,
    );
  });

  it('is expired two windows later and after', () => {
    const { code } = issueCheckInCode(key, session, 2, at);
    expect(verifyCheckInCode(key, code, later(2))).toEqual({ ok: false, reason: 'expired' });
    expect(verifyCheckInCode(key, code, later(600))).toEqual({ ok: false, reason: 'expired' });
  });

  it('is invalid from the future, with another key, or altered to another day or session', () => {
    const { code } = issueCheckInCode(key, session, 2, at);
    expect(verifyCheckInCode(key, code, later(-1))).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyCheckInCode(checkInKey('y'.repeat(32)), code, at).ok).toBe(false);
    expect(verifyCheckInCode(key, code.replace(`${session}.2.`, `${session}.3.`), at)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    const other = '00000000-0000-4000-8000-000000000000';
    expect(verifyCheckInCode(key, code.replace(session, other), at).ok).toBe(false);
  });

  it('is invalid when not a code at all', () => {
    for (const bad of ['', 'abc', `${session}.0.1.${'a'.repeat(22)}`, `${session}.2.1.short`]) {
      expect(verifyCheckInCode(key, bad, at)).toEqual({ ok: false, reason: 'invalid' });
    }
  });
});
