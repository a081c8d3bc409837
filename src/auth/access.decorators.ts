import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtension,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor } from './actor';
import { Permission, rolesWith } from './roles';

export const ACCESS_KEY = 'lms:access';

export type AccessRule = { kind: 'public' } | { kind: 'permission'; permission: Permission };

/**
 * Every route states who may call it, with exactly one of these two decorators. The same
 * decorator writes the rule into the OpenAPI document; a test fails for a route without one.
 */
export function RequirePermission(permission: Permission): MethodDecorator & ClassDecorator {
  const roles = rolesWith(permission).join(', ');
  return applyDecorators(
    SetMetadata(ACCESS_KEY, { kind: 'permission', permission } satisfies AccessRule),
    ApiBearerAuth(),
    ApiExtension('x-permission', { permission, roles: rolesWith(permission) }),
    ApiUnauthorizedResponse({ description: 'No or expired access token (UNAUTHENTICATED)' }),
    ApiForbiddenResponse({ description: `Needs ${permission} (roles: ${roles})` }),
    ApiNotFoundResponse({
      description: 'Not found, or outside the caller’s part of the hierarchy',
    }),
  );
}

export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule),
    ApiExtension('x-permission', { permission: 'public' }),
  );
}

export interface AuthenticatedRequest extends Request {
  actor?: Actor;
}

/** The signed-in caller; only on routes guarded by RequirePermission. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without RequirePermission');
  return actor;
});
