import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthenticatedRequest, Public, RequirePermission } from '../auth/access.decorators';
import { AccountCredentialsService } from '../auth/account-credentials.service';
import { Actor } from '../auth/actor';
import {
  ChangePasswordDto,
  ForgotPasswordDto,
  SetPasswordDto,
} from '../auth/dto/account-admin.dto';
import { SessionCookieService } from '../auth/session-cookie.service';
import { CertificatesService } from '../certificates/certificates.service';
import { errorBodyOf } from '../common/http/all-exceptions.filter';
import { formFields, FormProblem, formProblem, text, validated } from './forms';
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
    private readonly credentials: AccountCredentialsService,
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
  signInPage(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Query('next') next: unknown,
    @Query('done') done: unknown,
  ) {
    if (req.actor) return res.redirect(303, localPath(next));
    this.pages.send(req, res, 'sign-in', {
      next: localPath(next),
      title: 'signIn.title',
      notice: done === 'password' ? 'password.setDone' : undefined,
    });
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

  /** A forgotten password: the e-mail, then the same words whether or not it has an account. */
  @Get('forgot-password')
  @Public()
  forgotPage(@Req() req: AuthenticatedRequest, @Res() res: Response): void {
    this.pages.send(req, res, 'forgot-password', { title: 'password.forgotTitle' });
  }

  @Post('forgot-password')
  @Public('login')
  async forgot(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const form = formFields(req.body);
    const email = text(form.email);
    try {
      const dto = await validated(ForgotPasswordDto, { email });
      await this.credentials.forgot(dto.email);
    } catch (error) {
      this.refuse(req, res, 'forgot-password', error, {
        title: 'password.forgotTitle',
        email: email ?? '',
      });
      return;
    }
    // The same words whether or not the e-mail has an account (the API's answer, in vi and en).
    this.pages.send(req, res, 'forgot-password', { title: 'password.forgotTitle', sent: true });
  }

  /** The page an invitation's link opens: the password to set, or why the link is dead. */
  @Get('set-password/:token')
  @Public()
  async setPage(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('token') token: string,
  ) {
    await this.linkPage(req, res, 'set', token);
  }

  @Post('set-password/:token')
  @Public()
  async set(@Req() req: AuthenticatedRequest, @Res() res: Response, @Param('token') token: string) {
    await this.useLink(req, res, 'set', token);
  }

  /** The page a reset link opens. */
  @Get('reset-password/:token')
  @Public()
  async resetPage(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('token') token: string,
  ) {
    await this.linkPage(req, res, 'reset', token);
  }

  @Post('reset-password/:token')
  @Public()
  async reset(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('token') token: string,
  ) {
    await this.useLink(req, res, 'reset', token);
  }

  /** The signed-in user's own password. */
  @Get('password')
  @RequirePermission('self:use')
  changePage(@Req() req: AuthenticatedRequest, @Res() res: Response, @Query('done') done: unknown) {
    this.pages.send(req, res, 'password', {
      title: 'password.changeTitle',
      notice: done === 'changed' ? 'password.changed' : undefined,
    });
  }

  @Post('password')
  @RequirePermission('self:use')
  async change(@Req() req: AuthenticatedRequest & { actor: Actor }, @Res() res: Response) {
    const form = formFields(req.body);
    try {
      const dto = await validated(ChangePasswordDto, {
        currentPassword: typeof form.currentPassword === 'string' ? form.currentPassword : '',
        newPassword: typeof form.newPassword === 'string' ? form.newPassword : '',
      });
      await this.credentials.changeOwn(req.actor, dto.currentPassword, dto.newPassword);
    } catch (error) {
      this.refuse(req, res, 'password', error, { title: 'password.changeTitle' });
      return;
    }
    res.redirect(303, '/password?done=changed');
  }

  private async linkPage(
    req: AuthenticatedRequest,
    res: Response,
    kind: 'set' | 'reset',
    token: string,
  ): Promise<void> {
    const title = kind === 'set' ? 'password.setTitle' : 'password.resetTitle';
    try {
      const link = await this.credentials.inspectLink(token);
      this.pages.send(req, res, 'set-password', { title, kind, token, email: link.email });
    } catch (error) {
      this.refuse(req, res, 'set-password', error, { title, kind, dead: true });
    }
  }

  private async useLink(
    req: AuthenticatedRequest,
    res: Response,
    kind: 'set' | 'reset',
    token: string,
  ): Promise<void> {
    const form = formFields(req.body);
    const title = kind === 'set' ? 'password.setTitle' : 'password.resetTitle';
    const password = typeof form.password === 'string' ? form.password : '';
    try {
      if (password !== form.confirm) {
        this.pages.send(req, res, 'set-password', { title, kind, token, mismatch: true }, 400);
        return;
      }
      const dto = await validated(SetPasswordDto, { token, password });
      await this.credentials.setWithLink(dto.token, dto.password);
    } catch (error) {
      const problem = formProblem(error, this.pages.languageOf(req));
      if (!problem) throw error;
      // A dead link cannot be retried; a refused password can.
      const dead = !problem.fields.password;
      this.pages.send(
        req,
        res,
        'set-password',
        { title, kind, token: dead ? undefined : token, dead, problem },
        problem.status,
      );
      return;
    }
    res.redirect(303, '/sign-in?done=password');
  }

  /** A refusal the person can act on, shown on the page; anything else is the error page's. */
  private refuse(
    req: AuthenticatedRequest,
    res: Response,
    view: string,
    error: unknown,
    model: Record<string, unknown>,
  ): void {
    const problem: FormProblem | undefined = formProblem(error, this.pages.languageOf(req));
    if (!problem) throw error;
    this.pages.send(req, res, view, { ...model, problem }, problem.status);
  }
}
