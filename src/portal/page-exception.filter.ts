import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { errorBodyOf } from '../common/http/all-exceptions.filter';
import { PageRenderer } from './page-renderer';

/**
 * Failures of a portal page as pages: not signed in (or the session ended) → the sign-in page,
 * coming back here after; anything the API would refuse → an error page with the same message
 * and status (404 "không tìm thấy" for what lies outside one's subtree, 403 for a role that
 * lacks the right); anything unexpected → a 500 page with a reference, logged.
 */
@Catch()
@Injectable()
export class PageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Pages');

  constructor(private readonly pages: PageRenderer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request & { id?: string }>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const lang = this.pages.languageOf(req);
    const body = errorBodyOf(exception, lang);
    if (body?.code === 'UNAUTHENTICATED') {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      res.redirect(303, `/sign-in${next}`);
      return;
    }
    if (body) {
      this.pages.send(req, res, 'error', { error: body, title: body.message }, body.statusCode);
      return;
    }
    const reference = String(req.id ?? randomUUID());
    this.logger.error(
      { err: exception, correlationId: reference, path: req.originalUrl },
      exception instanceof Error ? exception.stack : String(exception),
    );
    this.pages.send(req, res, 'error', { error: { statusCode: 500 }, reference }, 500);
  }
}
