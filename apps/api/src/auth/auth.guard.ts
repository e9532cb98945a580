import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, roleAllows, SlipwayError, type Role } from '@slipway/contracts';
import { UnitOfWork } from '@slipway/db';
import { PUBLIC_ROUTE, REQUIRED_ROLE, type AuthenticatedRequest } from './auth.decorators';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Global guard: every route is public (explicitly) or needs a live token with at least the route's role. */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly db: UnitOfWork,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!required) {
      // Deny by default: a route someone forgot to annotate must not be open.
      this.logger.error(`route ${request.method} ${request.path} has no @RequireRole/@Public; denied`);
      throw new SlipwayError(ErrorCode.PERMISSION_DENIED, 'This route has no access rule');
    }
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match) throw new SlipwayError(ErrorCode.UNAUTHENTICATED, 'Missing API token: send "Authorization: Bearer <token>"');
    const token = await this.db.read.tokens.authenticate(match[1]);
    if (!token) throw new SlipwayError(ErrorCode.UNAUTHENTICATED, 'Invalid, expired or revoked API token');
    if (!roleAllows(token.role, required)) {
      throw new SlipwayError(ErrorCode.PERMISSION_DENIED, `This needs the ${required} role; token "${token.name}" is ${token.role}`);
    }
    request.actor = { tokenId: token.id, name: token.name, role: token.role, requestId: String(request.headers['x-request-id'] ?? '') };
    return true;
  }
}
