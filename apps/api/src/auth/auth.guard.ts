import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import type { PlatformConfig } from '@slipway/config';
import { ErrorCode, roleAllows, SlipwayError, type Role } from '@slipway/contracts';
import { UnitOfWork } from '@slipway/db';
import { PLATFORM_CONFIG } from '../infrastructure/tokens';
import { AuthFailureThrottle } from './auth-failure-throttle';
import { PUBLIC_ROUTE, REQUIRED_ROLE, type AuthenticatedRequest } from './auth.decorators';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Global guard: every route is public (explicitly) or needs a live token with at least the route's role. */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);
  private readonly throttle: AuthFailureThrottle;

  constructor(
    private readonly reflector: Reflector,
    private readonly db: UnitOfWork,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
  ) {
    this.throttle = new AuthFailureThrottle(config.authFailuresPerMinute);
  }

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
    // A request without credentials guesses nothing, so it is neither counted nor held back.
    if (header === undefined) throw new SlipwayError(ErrorCode.UNAUTHENTICATED, 'Missing API token: send "Authorization: Bearer <token>"');
    // The socket's address (no proxy headers are trusted): one client's guessing never locks out another's.
    const client = request.socket.remoteAddress ?? 'unknown';
    const wait = this.throttle.retryAfterSeconds(client);
    if (wait > 0) {
      // Even a valid token is not looked at while the address is held back: answering it would tell a guesser it won.
      context.switchToHttp().getResponse<Response>().setHeader('retry-after', String(wait));
      throw new SlipwayError(ErrorCode.RESOURCE_EXHAUSTED, `Too many failed authentications from this address; retry in ${wait} s`);
    }
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match) {
      this.throttle.recordFailure(client);
      throw new SlipwayError(ErrorCode.UNAUTHENTICATED, 'Missing API token: send "Authorization: Bearer <token>"');
    }
    const token = await this.db.read.tokens.authenticate(match[1]);
    if (!token) {
      this.throttle.recordFailure(client);
      throw new SlipwayError(ErrorCode.UNAUTHENTICATED, 'Invalid, expired or revoked API token');
    }
    if (!roleAllows(token.role, required)) {
      throw new SlipwayError(ErrorCode.PERMISSION_DENIED, `This needs the ${required} role; token "${token.name}" is ${token.role}`);
    }
    request.actor = { tokenId: token.id, name: token.name, role: token.role, requestId: String(request.headers['x-request-id'] ?? '') };
    return true;
  }
}
