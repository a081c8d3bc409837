import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { Actor } from './actor';
import { Permission, rolesWith } from './roles';

export const ACCESS_KEY = 'lms:access';

/**
 * How a public route is rate limited per client address (TRUST_PROXY says which address counts):
 * - 'public', the default: PUBLIC_LIMIT_PER_MINUTE;
 * - 'login': LOGIN_IP_LIMIT_PER_MINUTE, per address and per account (the e-mail tried);
 * - 'none': only for /health, which a load balancer polls and which must answer 503, not fail,
 *   when the database where the limits are counted is down.
 * A route without a token is otherwise anyone's to call as often as they like.
 */
export type PublicRateLimit = 'public' | 'login' | 'none';

export type AccessRule =
  { kind: 'public'; rateLimit: PublicRateLimit } | { kind: 'permission'; permission: Permission };

/**
 * Every route states who may call it, with exactly one of these two decorators. The same
 * decorator writes the rule into the OpenAPI document; a test fails for a route without one.
 */
export function RequirePermission(permission: Permission): MethodDecorator & ClassDecorator {
  const roles = rolesWith(permission).join(', ');
  return applyDecorators(
    SetMetadata(ACCESS_KEY, { kind: 'permission', permission } satisfies AccessRule),
    ApiExtension('x-permission', { permission, roles: rolesWith(permission) }),
    // The bearer token itself is declared once for the whole document (src/common/openapi).
    ApiErrors(401, { status: 403, description: `Needs ${permission} (roles: ${roles}).` }, 404),
  );
}

/** A route anyone may call without a token, rate limited per client address (see above). */
export function Public(rateLimit: PublicRateLimit = 'public'): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ACCESS_KEY, { kind: 'public', rateLimit } satisfies AccessRule),
    // The OpenAPI document marks these operations `security: []` (no token needed).
    ApiExtension('x-permission', { permission: 'public' }),
    ...(rateLimit === 'none' ? [] : [ApiErrors('TOO_MANY_REQUESTS')]),
  );
}

/**
 * Marks the controllers of the web portal (src/portal): the guard reads their caller from the
 * session cookie instead of a bearer token, checks the CSRF token of every form they receive,
 * and lets a public page see who is signed in. The portal's own decorator adds the rest.
 */
export const PAGE_KEY = 'lms:page';

export interface AuthenticatedRequest extends Request {
  actor?: Actor;
}

/** The signed-in caller; only on routes guarded by RequirePermission. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without RequirePermission');
  return actor;
});
