import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Actor } from './actor';
import { AuthService, ClientInfo } from './auth.service';

/** Cookie of a portal session: a signed { sub, sid } for the pages, never a bearer token. */
export const SESSION_COOKIE = 'lms_session';
/** Double-submit CSRF token: a random value in a cookie that every form repeats in `_csrf`. */
export const CSRF_COOKIE = 'lms_csrf';
/** The device token of the login throttle (docs/domain.md, "Signing in"), kept by the browser. */
export const DEVICE_COOKIE = 'lms_device';
/** The form field that carries the CSRF token. */
export const CSRF_FIELD = '_csrf';

/** Audience of the session cookie's token: an API access token has none, so neither passes as the other. */
const AUDIENCE = 'portal';
/** A session cookie unused this long ends (idle timeout); every page seen renews it. */
const IDLE_SECONDS = 2 * 3600;
/** Renewed when older than this, so most page views do not sign a new cookie. */
const RENEW_AFTER_SECONDS = 10 * 60;

interface SessionClaims {
  sub: string;
  sid: string;
  /** When the user signed in (epoch seconds): the session ends REFRESH_TOKEN_TTL_DAYS later. */
  auth: number;
  iat?: number;
}

/**
 * The web portal's sign-in, over the API's own: AuthService.login opens the session (same
 * throttle, holds, known devices and audit), and the browser keeps a cookie naming that session
 * instead of tokens. The cookie is httpOnly, SameSite=Lax and Secure in production; it lives
 * IDLE_SECONDS after the last page and never beyond the refresh tokens' lifetime. Signing out
 * or an administrator's revocation ends the session in the sessions table, and the cookie with it.
 */
@Injectable()
export class SessionCookieService {
  constructor(
    private readonly auth: AuthService,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Signs in with e-mail and password and sets the cookies; throws the API's login errors. */
  async signIn(
    req: Request,
    res: Response,
    email: string,
    password: string,
    client: ClientInfo,
  ): Promise<void> {
    const device = cookie(req, DEVICE_COOKIE);
    const tokens = await this.auth.login(email, password, client, device);
    const claims = this.jwt.decode<{ sub: string; sid: string }>(tokens.accessToken);
    await this.setSession(res, { sub: claims.sub, sid: claims.sid, auth: nowSeconds() });
    if (tokens.deviceToken) {
      res.cookie(DEVICE_COOKIE, tokens.deviceToken, {
        ...this.options(),
        maxAge: 365 * 86_400_000,
      });
    }
  }

  /**
   * The actor of the request's session cookie, or undefined when there is none or it ended.
   * Renews the cookie when it is older than RENEW_AFTER_SECONDS.
   */
  async actorOf(req: Request, res: Response): Promise<Actor | undefined> {
    const token = cookie(req, SESSION_COOKIE);
    if (!token) return undefined;
    let claims: SessionClaims;
    try {
      claims = await this.jwt.verifyAsync<SessionClaims>(token, { audience: AUDIENCE });
    } catch {
      return undefined;
    }
    const lifetime = this.config.refreshTokenTtlDays * 86_400;
    if (typeof claims.auth !== 'number' || claims.auth + lifetime < nowSeconds()) return undefined;
    const actor = await this.auth.actorOfSession(claims.sub, claims.sid);
    if (actor && nowSeconds() - (claims.iat ?? 0) > RENEW_AFTER_SECONDS) {
      await this.setSession(res, { sub: claims.sub, sid: claims.sid, auth: claims.auth });
    }
    return actor;
  }

  /** Ends the session in the sessions table and clears the cookie. */
  async signOut(res: Response, actor: Actor | undefined): Promise<void> {
    if (actor) await this.auth.logout(actor);
    res.clearCookie(SESSION_COOKIE, this.options());
  }

  /** The request's CSRF token, made and set as a cookie the first time a form is shown. */
  csrfToken(req: Request, res: Response): string {
    const existing = cookie(req, CSRF_COOKIE);
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const token = randomBytes(32).toString('base64url');
    res.cookie(CSRF_COOKIE, token, this.options());
    // Later reads in the same request see the new token.
    (req as { cookies?: Record<string, string> }).cookies = {
      ...((req as { cookies?: Record<string, string> }).cookies ?? {}),
      [CSRF_COOKIE]: token,
    };
    return token;
  }

  /**
   * Whether a form's `_csrf` field repeats the CSRF cookie. A file upload (multipart) carries it
   * in the form's address instead: its body is read after the guard, by the upload's handler.
   */
  csrfMatches(req: Request): boolean {
    const expected = cookie(req, CSRF_COOKIE);
    const multipart = req.is('multipart/form-data') === 'multipart/form-data';
    const sent = multipart
      ? (req.query as Record<string, unknown>)[CSRF_FIELD]
      : (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
    if (!expected || typeof sent !== 'string' || sent.length !== expected.length) return false;
    return timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
  }

  private async setSession(res: Response, claims: SessionClaims): Promise<void> {
    const token = await this.jwt.signAsync(
      { sub: claims.sub, sid: claims.sid, auth: claims.auth },
      { audience: AUDIENCE, expiresIn: IDLE_SECONDS },
    );
    res.cookie(SESSION_COOKIE, token, { ...this.options(), maxAge: IDLE_SECONDS * 1000 });
  }

  private options(): CookieOptions {
    return {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.env === 'production',
      path: '/',
    };
  }
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function cookie(req: Request, name: string): string | undefined {
  const value = (req as { cookies?: Record<string, unknown> }).cookies?.[name];
  return typeof value === 'string' && value.length > 0 && value.length < 4096 ? value : undefined;
}
