import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, SlipwayError, type CreateModelRequest, type ModelList, type ModelQuery, type ModelView, type UpdateModelRequest } from '@slipway/contracts';
import { AuditLogStore, RegistryStore, type DbClient, type ModelEntity, type PrismaClient } from '@slipway/db';
import type { RequestActor } from '../auth/auth.decorators';
import { PRISMA } from '../infrastructure/tokens';
import { registryTransaction } from './registry.transaction';
import { toModelView } from './registry.views';

export const noModel = (name: string) => new SlipwayError(ErrorCode.NOT_FOUND, `No model "${name}"`, [{ field: 'params.name', message: 'no such model' }]);

@Injectable()
export class ModelService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly registry: RegistryStore,
    private readonly audit: AuditLogStore,
  ) {}

  private async view(model: ModelEntity, db: DbClient = this.prisma): Promise<ModelView> {
    const [summary] = await this.registry.summarize([model], db);
    return toModelView(summary);
  }

  async create(request: CreateModelRequest, actor: RequestActor): Promise<ModelView> {
    return registryTransaction(this.prisma, async (tx) => {
      const model = await this.registry.createModel(request, tx);
      const view = await this.view(model, tx);
      await this.audit.record({ actor, action: 'model.create', entityType: 'model', entityId: model.id, after: view, requestId: actor.requestId }, tx);
      return view;
    });
  }

  async list(query: ModelQuery): Promise<ModelList> {
    const page = await this.registry.listModels(query);
    return { models: (await this.registry.summarize(page.models)).map(toModelView), nextCursor: page.nextCursor };
  }

  async get(name: string): Promise<ModelView> {
    const model = await this.registry.getModel(name);
    if (!model) throw noModel(name);
    return this.view(model);
  }

  async update(name: string, request: UpdateModelRequest, actor: RequestActor): Promise<ModelView> {
    return registryTransaction(this.prisma, async (tx) => {
      const model = await this.registry.lockModel(name, tx);
      if (!model) throw noModel(name);
      const before = await this.view(model, tx);
      const after = await this.view(await this.registry.updateModel(model.id, request, tx), tx);
      await this.audit.record({ actor, action: 'model.update', entityType: 'model', entityId: model.id, before, after, requestId: actor.requestId }, tx);
      return after;
    });
  }

  /** Deletes the model with its versions, aliases and tags (files are garbage-collected) unless a deployment uses it. */
  async remove(name: string, actor: RequestActor): Promise<void> {
    await registryTransaction(this.prisma, async (tx) => {
      const model = await this.registry.lockModel(name, tx);
      if (!model) throw noModel(name);
      const deployments = await this.registry.deploymentsOfModel(model.id, tx);
      if (deployments.length)
        throw new SlipwayError(ErrorCode.CONFLICT, `Model "${name}" is used by deployment(s) ${deployments.join(', ')}; delete those first`);
      const before = await this.view(model, tx);
      await this.registry.deleteModel(model.id, tx);
      await this.audit.record({ actor, action: 'model.delete', entityType: 'model', entityId: model.id, before, requestId: actor.requestId }, tx);
    });
  }
}
