import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { PlatformConfig } from '@slipway/config';
import { ErrorCode, SlipwayError, type ApiTokenView, type CreateApiTokenRequest, type CreatedApiToken } from '@slipway/contracts';
import { ApiTokenStore, AuditLogStore, hashToken, type ApiTokenEntity, type PrismaClient } from '@slipway/db';
import { PLATFORM_CONFIG, PRISMA } from '../infrastructure/tokens';
import type { RequestActor } from './auth.decorators';

export function toApiTokenView(token: ApiTokenEntity): ApiTokenView {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    prefix: token.prefix,
    createdBy: token.createdBy,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class ApiTokenService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiTokenService.name);

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly tokens: ApiTokenStore,
    private readonly audit: AuditLogStore,
  ) {}

  /** SLIPWAY_BOOTSTRAP_TOKEN becomes an admin token the first time it is seen (a revoked one stays revoked). */
  async onApplicationBootstrap(): Promise<void> {
    const bootstrap = this.config.bootstrapToken;
    if (!bootstrap) return;
    if (await this.tokens.findByHash(hashToken(bootstrap))) return;
    await this.prisma.$transaction(async (tx) => {
      const { entity } = await this.tokens.create({ name: 'bootstrap-admin', role: 'admin', createdBy: 'system', token: bootstrap }, tx);
      await this.audit.record(
        { actor: { tokenId: null, name: 'system' }, action: 'token.create', entityType: 'api_token', entityId: entity.id, after: toApiTokenView(entity) },
        tx,
      );
    });
    this.logger.log('bootstrap admin token registered');
  }

  async create(request: CreateApiTokenRequest, actor: RequestActor): Promise<CreatedApiToken> {
    return this.prisma.$transaction(async (tx) => {
      const { entity, token } = await this.tokens.create(
        {
          name: request.name,
          role: request.role,
          createdBy: actor.name,
          expiresAt: request.expiresInDays ? new Date(Date.now() + request.expiresInDays * DAY_MS) : null,
        },
        tx,
      );
      const view = toApiTokenView(entity);
      await this.audit.record({ actor, action: 'token.create', entityType: 'api_token', entityId: entity.id, after: view, requestId: actor.requestId }, tx);
      return { ...view, token };
    });
  }

  async list(): Promise<ApiTokenView[]> {
    return (await this.tokens.list()).map(toApiTokenView);
  }

  async revoke(id: string, actor: RequestActor): Promise<ApiTokenView> {
    return this.prisma.$transaction(async (tx) => {
      const before = await this.tokens.get(id, tx);
      if (!before) throw new SlipwayError(ErrorCode.NOT_FOUND, `No API token ${id}`);
      const after = await this.tokens.revoke(id, tx);
      if (!after) throw new SlipwayError(ErrorCode.CONFLICT, `API token ${id} is already revoked`);
      await this.audit.record(
        {
          actor,
          action: 'token.revoke',
          entityType: 'api_token',
          entityId: id,
          before: toApiTokenView(before),
          after: toApiTokenView(after),
          requestId: actor.requestId,
        },
        tx,
      );
      return toApiTokenView(after);
    });
  }
}
