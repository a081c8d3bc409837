import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The QR self-check-in code of a session day (issue 17, item 3): the day and a minute window,
 * signed with HMAC-SHA-256. The code rotates every minute; the current and the previous window
 * are accepted (a code read just before the minute turns still works), an older one is expired
 * (a screenshot passed on to a friend). The key is derived from the app's signing secret
 * (JWT_SECRET, from the environment) under its own label, so no second secret has to be
 * managed and a check-in code can never pass for an access token or the reverse.
 */
export const CHECK_IN_WINDOW_MS = 60_000;

const LABEL = 'lms/session-check-in/v1';
const CODE = /^([0-9a-f-]{36})\.([1-9]\d{0,3})\.(\d{1,12})\.([A-Za-z0-9_-]{22})$/;

export type CheckInVerdict =
  { ok: true; sessionId: string; dayNo: number } | { ok: false; reason: 'invalid' | 'expired' };

/** The check-in key derived from the app's secret. */
export function checkInKey(appSecret: string): Buffer {
  return createHmac('sha256', appSecret).update(LABEL).digest();
}

const windowOf = (at: Date): number => Math.floor(at.getTime() / CHECK_IN_WINDOW_MS);

function mac(key: Buffer, sessionId: string, dayNo: number, window: number): string {
  return createHmac('sha256', key)
    .update(`${sessionId}:${dayNo}:${window}`)
    .digest('base64url')
    .slice(0, 22);
}

/** The code of a day for the minute of `at`, and when that minute ends. */
export function issueCheckInCode(
  key: Buffer,
  sessionId: string,
  dayNo: number,
  at: Date,
): { code: string; rotatesAt: Date } {
  const window = windowOf(at);
  return {
    code: `${sessionId}.${dayNo}.${window}.${mac(key, sessionId, dayNo, window)}`,
    rotatesAt: new Date((window + 1) * CHECK_IN_WINDOW_MS),
  };
}

/**
 * Whether `code` is a genuine code of this or the previous minute at `at`. A code whose
 * signature does not match (altered, of another deployment, not a code) is invalid, as is one
 * from a future window; a genuine one from two or more windows ago is expired.
 */
export function verifyCheckInCode(key: Buffer, code: string, at: Date): CheckInVerdict {
  const m = CODE.exec(code);
  if (!m) return { ok: false, reason: 'invalid' };
  const [, sessionId, day, win, given] = m;
  const dayNo = Number(day);
  const window = Number(win);
  const expected = Buffer.from(mac(key, sessionId, dayNo, window));
  if (!timingSafeEqual(expected, Buffer.from(given))) return { ok: false, reason: 'invalid' };
  const now = windowOf(at);
  if (window > now) return { ok: false, reason: 'invalid' };
  if (window < now - 1) return { ok: false, reason: 'expired' };
  return { ok: true, sessionId, dayNo };
}
