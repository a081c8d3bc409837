import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/errors/domain-error';
import { ACCESS_KEY, AccessRule, AuthenticatedRequest } from './access.decorators';
import { AuthService } from './auth.service';

/**
 * Global guard: authenticate, resolve the actor, check the route's declared permission.
 * A route that declares nothing is a programming error and is refused, never left open.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule)
      throw new Error(
        `Route ${context.getClass().name}.${context.getHandler().name} declares no access rule`,
      );
    if (rule.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw new DomainError('UNAUTHENTICATED');
    const actor = await this.auth.authenticate(token);
    if (!actor) throw new DomainError('UNAUTHENTICATED');
    if (!actor.can(rule.permission)) throw new DomainError('FORBIDDEN');
    request.actor = actor;
    return true;
  }
}
