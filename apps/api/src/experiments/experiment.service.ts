import { Inject, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  SlipwayError,
  type CreateExperimentRequest,
  type ExperimentList,
  type ExperimentView,
  type ListExperimentsQuery,
  type UpdateExperimentRequest,
} from '@slipway/contracts';
import { AuditLogStore, ExperimentStore, type PrismaClient } from '@slipway/db';
import type { RequestActor } from '../auth/auth.decorators';
import { PRISMA } from '../infrastructure/tokens';
import { inTransaction } from './tracking.transaction';
import { toExperimentView } from './tracking.views';

@Injectable()
export class ExperimentService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly experiments: ExperimentStore,
    private readonly audit: AuditLogStore,
  ) {}

  async create(request: CreateExperimentRequest, actor: RequestActor): Promise<ExperimentView> {
    return inTransaction(this.prisma, async (tx) => {
      const view = toExperimentView(await this.experiments.create(request, tx));
      await this.audit.record({ actor, action: 'experiment.create', entityType: 'experiment', entityId: view.id, after: view, requestId: actor.requestId }, tx);
      return view;
    });
  }

  async list(query: ListExperimentsQuery): Promise<ExperimentList> {
    const page = await this.experiments.list(query);
    return { experiments: page.experiments.map(toExperimentView), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<ExperimentView> {
    const experiment = await this.experiments.get(id);
    if (!experiment) throw new SlipwayError(ErrorCode.NOT_FOUND, `No experiment ${id}`);
    return toExperimentView(experiment);
  }

  async update(id: string, change: UpdateExperimentRequest, actor: RequestActor): Promise<ExperimentView> {
    return inTransaction(this.prisma, async (tx) => {
      const before = await this.experiments.get(id, tx);
      if (!before) throw new SlipwayError(ErrorCode.NOT_FOUND, `No experiment ${id}`);
      const after = await this.experiments.update(id, change, tx);
      if (!after) throw new SlipwayError(ErrorCode.NOT_FOUND, `No experiment ${id}`);
      const view = toExperimentView(after);
      await this.audit.record(
        {
          actor,
          action: 'experiment.update',
          entityType: 'experiment',
          entityId: id,
          before: toExperimentView(before),
          after: view,
          requestId: actor.requestId,
        },
        tx,
      );
      return view;
    });
  }
}
