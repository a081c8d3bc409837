import { join } from 'node:path';
import { projectRoot } from '../common/project-root';

/**
 * The first path segment of every portal page: these are served outside the API's /api/v1
 * prefix (besides `/` itself, the home page). A page controller uses one of them.
 */
export const PAGE_ROOTS = [
  'sign-in',
  'sign-out',
  'language',
  'verification',
  'learn',
  'officer',
  'hr',
  'admin',
  // Passwords: a forgotten one, the links of invitations and resets, a change while signed in.
  'forgot-password',
  'set-password',
  'reset-password',
  'password',
] as const;

/**
 * The certificate verification page's public address, /verify/:code (the QR code of every PDF).
 * The API's own GET /api/v1/verify/:code has the same path under the prefix, and Nest's prefix
 * exclusion goes by path, so the page is routed as /verification/:code and this rewrite sends
 * /verify/:code there.
 */
export function verifyPageRewrite(
  req: { method: string; url: string },
  _res: unknown,
  next: () => void,
): void {
  if (req.method === 'GET' || req.method === 'HEAD') {
    const m = /^\/verify\/([^/?#]+)(\?.*)?$/.exec(req.url);
    if (m) req.url = `/verification/${m[1]}${m[2] ?? ''}`;
  }
  next();
}

/** URL and folder of the portal's stylesheet and script (served by express.static). */
export const ASSETS_PATH = '/assets';
export const ASSETS_DIR = join(projectRoot(), 'templates', 'pages', 'assets');
export const PAGES_DIR = join(projectRoot(), 'templates', 'pages');

/** A local path to return to after signing in or switching language; anything else is home. */
export function localPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500) return '/';
  // One leading slash, not two (//host is another site), and no backslash (browsers read it as /).
  return /^\/(?![/\\])[^\s\\]*$/.test(value) ? value : '/';
}
