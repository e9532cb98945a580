import { Injectable } from '@nestjs/common';
import {
  ErrorCode,
  modelSchema,
  SlipwayError,
  type CreateModelRequest,
  type ModelList,
  type ModelQuery,
  type ModelView,
  type UpdateModelRequest,
} from '@slipway/contracts';
import { UnitOfWork, type ModelEntity, type Stores } from '@slipway/db';
import type { RequestActor } from '../auth/auth.decorators';
import { inRequestFields } from '../common/request-fields';
import { respondWithin } from '../common/respond-within';
import { toModelView } from './registry.views';

export const noModel = (name: string) => new SlipwayError(ErrorCode.NOT_FOUND, `No model "${name}"`, [{ field: 'params.name', message: 'no such model' }]);

@Injectable()
export class ModelService {
  constructor(private readonly db: UnitOfWork) {}

  private async view(model: ModelEntity, stores: Stores = this.db.read): Promise<ModelView> {
    const [summary] = await stores.models.summarize([model]);
    return toModelView(summary);
  }

  async create(request: CreateModelRequest, actor: RequestActor): Promise<ModelView> {
    return inRequestFields({ name: 'body.name' }, () =>
      this.db.run(actor, async (tx) => {
        const model = await tx.models.create(request);
        const view = await this.view(model, tx);
        await tx.record({ action: 'model.create', entity: { type: 'model', id: model.id }, after: view });
        return respondWithin(tx, modelSchema, view);
      }),
    );
  }

  async list(query: ModelQuery): Promise<ModelList> {
    const page = await inRequestFields({ cursor: 'query.cursor' }, () => this.db.read.models.list(query));
    return { models: (await this.db.read.models.summarize(page.models)).map(toModelView), nextCursor: page.nextCursor };
  }

  async get(name: string): Promise<ModelView> {
    const model = await this.db.read.models.get(name);
    if (!model) throw noModel(name);
    return this.view(model);
  }

  async update(name: string, request: UpdateModelRequest, actor: RequestActor): Promise<ModelView> {
    return this.db.run(actor, async (tx) => {
      const model = await tx.models.lock(name);
      if (!model) throw noModel(name);
      const before = await this.view(model, tx);
      const after = await this.view(await tx.models.update(model.id, request), tx);
      await tx.record({ action: 'model.update', entity: { type: 'model', id: model.id }, before, after });
      return respondWithin(tx, modelSchema, after);
    });
  }

  /** Deletes the model with its versions, aliases and tags (files are garbage-collected) unless a deployment uses it. */
  async remove(name: string, actor: RequestActor): Promise<void> {
    await this.db.run(actor, async (tx) => {
      const model = await tx.models.lock(name);
      if (!model) throw noModel(name);
      const deployments = await tx.usage.deploymentsOfModel(model.id);
      if (deployments.length)
        throw new SlipwayError(ErrorCode.CONFLICT, `Model "${name}" is used by deployment(s) ${deployments.join(', ')}; delete those first`);
      const before = await this.view(model, tx);
      await tx.models.delete(model.id);
      await tx.record({ action: 'model.delete', entity: { type: 'model', id: model.id }, before });
    });
  }
}
