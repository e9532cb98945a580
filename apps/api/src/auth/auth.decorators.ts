import { createParamDecorator, SetMetadata, applyDecorators, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from '@slipway/contracts';
import type { Request } from 'express';

export const REQUIRED_ROLE = 'slipway:requiredRole';
export const PUBLIC_ROUTE = 'slipway:public';

/** The token role a route needs (viewer < editor < admin). Every non-public route carries one. */
export function RequireRole(role: Role) {
  return applyDecorators(
    SetMetadata(REQUIRED_ROLE, role),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No valid API token' }),
    ApiForbiddenResponse({ description: `Token role below ${role}` }),
  );
}

/** A route anyone may call without a token (health checks). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The caller, as established by the auth guard. */
export interface RequestActor {
  tokenId: string;
  name: string;
  role: Role;
  requestId: string;
}

export type AuthenticatedRequest = Request & { actor?: RequestActor };

export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): RequestActor => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.actor) throw new Error('CurrentActor used on a route without authentication');
  return request.actor;
});
