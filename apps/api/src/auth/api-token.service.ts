import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { PlatformConfig } from '@slipway/config';
import {
  apiTokenSchema,
  createdApiTokenSchema,
  ErrorCode,
  SlipwayError,
  wireTime,
  wireTimeOrNull,
  type ApiTokenView,
  type CreateApiTokenRequest,
  type CreatedApiToken,
} from '@slipway/contracts';
import { hashToken, SYSTEM_ACTOR, UnitOfWork, type ApiTokenEntity } from '@slipway/db';
import { PLATFORM_CONFIG } from '../infrastructure/tokens';
import { respondWithin } from '../common/respond-within';
import type { RequestActor } from './auth.decorators';

export function toApiTokenView(token: ApiTokenEntity): ApiTokenView {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    prefix: token.prefix,
    createdBy: token.createdBy,
    createdAt: wireTime(token.createdAt),
    lastUsedAt: wireTimeOrNull(token.lastUsedAt),
    expiresAt: wireTimeOrNull(token.expiresAt),
    revokedAt: wireTimeOrNull(token.revokedAt),
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class ApiTokenService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiTokenService.name);

  constructor(
    private readonly db: UnitOfWork,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /** SLIPWAY_BOOTSTRAP_TOKEN becomes an admin token the first time it is seen (a revoked one stays revoked). */
  async onApplicationBootstrap(): Promise<void> {
    const bootstrap = this.config.bootstrapToken;
    if (!bootstrap) return;
    if (await this.db.read.tokens.findByHash(hashToken(bootstrap))) return;
    await this.db.run(SYSTEM_ACTOR, async (tx) => {
      const { entity } = await tx.tokens.create({ name: 'bootstrap-admin', role: 'admin', createdBy: 'system', token: bootstrap });
      await tx.record({ action: 'token.create', entity: { type: 'api_token', id: entity.id }, after: toApiTokenView(entity) });
    });
    this.logger.log('bootstrap admin token registered');
  }

  async create(request: CreateApiTokenRequest, actor: RequestActor): Promise<CreatedApiToken> {
    return this.db.run(actor, async (tx) => {
      const { entity, token } = await tx.tokens.create({
        name: request.name,
        role: request.role,
        createdBy: actor.name,
        expiresAt: request.expiresInDays ? new Date(Date.now() + request.expiresInDays * DAY_MS) : null,
      });
      const view = toApiTokenView(entity);
      await tx.record({ action: 'token.create', entity: { type: 'api_token', id: entity.id }, after: view });
      // Checked before commit but not handed to the transaction: the token is shown once and never stored.
      return respondWithin(null, createdApiTokenSchema, { ...view, token });
    });
  }

  async list(): Promise<ApiTokenView[]> {
    return (await this.db.read.tokens.list()).map(toApiTokenView);
  }

  async revoke(id: string, actor: RequestActor): Promise<ApiTokenView> {
    return this.db.run(actor, async (tx) => {
      const before = await tx.tokens.get(id);
      if (!before) throw new SlipwayError(ErrorCode.NOT_FOUND, `No API token ${id}`);
      const after = await tx.tokens.revoke(id);
      if (!after) throw new SlipwayError(ErrorCode.CONFLICT, `API token ${id} is already revoked`);
      await tx.record({ action: 'token.revoke', entity: { type: 'api_token', id }, before: toApiTokenView(before), after: toApiTokenView(after) });
      return respondWithin(tx, apiTokenSchema, toApiTokenView(after));
    });
  }
}
