import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { DomainError } from '../common/errors/domain-error';
import { Actor } from './actor';
import { ACCESS_KEY, AccessRule, AuthenticatedRequest, PAGE_KEY } from './access.decorators';
import { AuthService } from './auth.service';
import { SessionCookieService } from './session-cookie.service';

/** Methods that change nothing: a form posted with any other needs its CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global guard: authenticate, resolve the actor, check the route's declared permission.
 * A route that declares nothing is a programming error and is refused, never left open.
 * API routes read a bearer token; portal pages (PAGE_KEY) read the session cookie, and a form
 * they receive must carry the CSRF token.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly cookies: SessionCookieService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, targets);
    if (!rule)
      throw new Error(
        `Route ${context.getClass().name}.${context.getHandler().name} declares no access rule`,
      );
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const page = this.reflector.getAllAndOverride<boolean | undefined>(PAGE_KEY, targets);
    if (page) {
      if (!SAFE_METHODS.has(request.method) && !this.cookies.csrfMatches(request)) {
        throw new DomainError('CSRF_INVALID');
      }
      const response = context.switchToHttp().getResponse<Response>();
      const actor = await this.cookies.actorOf(request, response);
      if (actor) request.actor = actor;
      if (rule.kind === 'public') return true;
      return this.permit(actor, rule.permission, request);
    }
    if (rule.kind === 'public') return true;

    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw new DomainError('UNAUTHENTICATED');
    return this.permit(await this.auth.authenticate(token), rule.permission, request);
  }

  private permit(
    actor: Actor | undefined,
    permission: Extract<AccessRule, { kind: 'permission' }>['permission'],
    request: AuthenticatedRequest,
  ): boolean {
    if (!actor) throw new DomainError('UNAUTHENTICATED');
    if (!actor.can(permission)) throw new DomainError('FORBIDDEN');
    request.actor = actor;
    return true;
  }
}
