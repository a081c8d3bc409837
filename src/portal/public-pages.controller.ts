import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthenticatedRequest, Public, RequirePermission } from '../auth/access.decorators';
import { SessionCookieService } from '../auth/session-cookie.service';
import { CertificatesService } from '../certificates/certificates.service';
import { errorBodyOf } from '../common/http/all-exceptions.filter';
import { formFields, text } from './forms';
import { LANGUAGE_COOKIE, PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';
import { localPath } from './portal-routes';

/** Where each user starts: the first part of the menu their roles open. */
const HOME_BY_PERMISSION = [
  ['accounts:manage', '/admin'],
  ['hr:manage', '/hr'],
  ['training:manage', '/officer'],
  ['self:use', '/learn'],
] as const;

/** The pages anyone reaches: home, signing in and out, the language switch, verification. */
@Controller()
@PortalPages()
export class PublicPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly cookies: SessionCookieService,
    private readonly certificates: CertificatesService,
  ) {}

  @Get()
  @Public()
  home(@Req() req: AuthenticatedRequest, @Res() res: Response): void {
    const actor = req.actor;
    if (!actor) return res.redirect(303, '/sign-in');
    const start = HOME_BY_PERMISSION.find(([permission]) => actor.can(permission));
    res.redirect(303, start ? start[1] : '/learn');
  }

  @Get('sign-in')
  @Public()
  signInPage(@Req() req: AuthenticatedRequest, @Res() res: Response, @Query('next') next: unknown) {
    if (req.actor) return res.redirect(303, localPath(next));
    this.pages.send(req, res, 'sign-in', { next: localPath(next), title: 'signIn.title' });
  }

  @Post('sign-in')
  @Public('login')
  async signIn(@Req() req: Request, @Res() res: Response): Promise<void> {
    const form = formFields(req.body);
    const email = text(form.email) ?? '';
    const next = localPath(form.next);
    try {
      await this.cookies.signIn(
        req,
        res,
        email,
        typeof form.password === 'string' ? form.password : '',
        {
          ip: req.ip ?? null,
          userAgent: req.headers['user-agent'] ?? null,
        },
      );
    } catch (error) {
      const body = errorBodyOf(error, this.pages.languageOf(req));
      if (!body || body.statusCode >= 500) throw error;
      this.pages.send(req, res, 'sign-in', { email, next, problem: body.message }, body.statusCode);
      return;
    }
    res.redirect(303, next);
  }

  @Post('sign-out')
  @RequirePermission('self:use')
  async signOut(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    await this.cookies.signOut(res, req.actor);
    res.redirect(303, '/sign-in');
  }

  /** The language switch of the header: remembered for a year, back to the page it was on. */
  @Get('language')
  @Public()
  language(@Res() res: Response, @Query('to') to: unknown, @Query('back') back: unknown): void {
    if (to === 'vi' || to === 'en') {
      res.cookie(LANGUAGE_COOKIE, to, { sameSite: 'lax', maxAge: 365 * 86_400_000, path: '/' });
    }
    res.redirect(303, localPath(back));
  }

  /**
   * The page a certificate's QR code opens (/verify/:code, rewritten to this route): holder, course, issuer, dates and status in words,
   * from the same verification as GET /api/v1/verify/:code (never the national ID).
   */
  @Get('verification/:code')
  @Public()
  async verify(
    @Req() req: Request,
    @Res() res: Response,
    @Param('code') code: string,
  ): Promise<void> {
    const certificate = await this.certificates.verify(code, this.pages.languageOf(req));
    this.pages.send(req, res, 'verify', { certificate, title: 'verify.title' });
  }
}
