import { Injectable } from '@nestjs/common';
import {
  ErrorCode,
  SlipwayError,
  type CreateExperimentRequest,
  type ExperimentList,
  type ExperimentView,
  type ListExperimentsQuery,
  type UpdateExperimentRequest,
  experimentSchema,
} from '@slipway/contracts';
import { UnitOfWork } from '@slipway/db';
import type { RequestActor } from '../auth/auth.decorators';
import { inRequestFields } from '../common/request-fields';
import { respondWithin } from '../common/respond-within';
import { toExperimentView } from './experiments.views';

@Injectable()
export class ExperimentService {
  constructor(private readonly db: UnitOfWork) {}

  async create(request: CreateExperimentRequest, actor: RequestActor): Promise<ExperimentView> {
    return inRequestFields({ name: 'body.name' }, () =>
      this.db.run(actor, async (tx) => {
        const view = toExperimentView(await tx.experiments.create(request));
        await tx.record({ action: 'experiment.create', entity: { type: 'experiment', id: view.id }, after: view });
        return respondWithin(tx, experimentSchema, view);
      }),
    );
  }

  async list(query: ListExperimentsQuery): Promise<ExperimentList> {
    const page = await inRequestFields({ cursor: 'query.cursor' }, () => this.db.read.experiments.list(query));
    return { experiments: page.experiments.map(toExperimentView), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<ExperimentView> {
    const experiment = await this.db.read.experiments.get(id);
    if (!experiment) throw new SlipwayError(ErrorCode.NOT_FOUND, `No experiment ${id}`);
    return toExperimentView(experiment);
  }

  async update(id: string, change: UpdateExperimentRequest, actor: RequestActor): Promise<ExperimentView> {
    return inRequestFields({ name: 'body.name' }, () =>
      this.db.run(actor, async (tx) => {
        const before = await tx.experiments.get(id);
        if (!before) throw new SlipwayError(ErrorCode.NOT_FOUND, `No experiment ${id}`);
        const after = await tx.experiments.update(id, change);
        if (!after) throw new SlipwayError(ErrorCode.NOT_FOUND, `No experiment ${id}`);
        const view = toExperimentView(after);
        await tx.record({ action: 'experiment.update', entity: { type: 'experiment', id }, before: toExperimentView(before), after: view });
        return respondWithin(tx, experimentSchema, view);
      }),
    );
  }
}
