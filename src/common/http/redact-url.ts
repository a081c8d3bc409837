/** Query parameters whose values are secrets or short-lived keys (QR check-in codes, links). */
const SECRET_PARAMS = /([?&](?:token|code)=)[^&#]*/gi;

/** A calendar feed's address holds its secret token: /api/v1/calendar/<token>.ics. */
const FEED_TOKEN = /(\/calendar\/)[^/?#]+(\.ics)/gi;

/**
 * The address of a request as logs may keep it: a calendar feed's token and the values of
 * `token` and `code` query parameters replaced by [redacted]. Everything else is kept, so a
 * log line still says which route was called.
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return url;
  return url.replace(FEED_TOKEN, '$1[redacted]$2').replace(SECRET_PARAMS, '$1[redacted]');
}
