import { Inject, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  SlipwayError,
  type CreateRunRequest,
  type EndRunRequest,
  type LogBatchRequest,
  type LogBatchResult,
  type RunView,
} from '@slipway/contracts';
import { ArtifactStore, AuditLogStore, ExperimentStore, MetricStore, RunStore, type DbClient, type PrismaClient, type RunEntity } from '@slipway/db';
import type { RequestActor } from '../auth/auth.decorators';
import { PRISMA } from '../infrastructure/tokens';
import { inTransaction } from './tracking.transaction';
import { toExperimentView, toRunView } from './tracking.views';

/** A run accepts params, metrics, tags and artifacts only while it is RUNNING and not deleted. */
export function assertWritable(run: RunEntity | null, id: string): RunEntity {
  if (!run) throw new SlipwayError(ErrorCode.NOT_FOUND, `No run ${id}`);
  if (run.deletedAt) throw new SlipwayError(ErrorCode.FAILED_PRECONDITION, `Run ${id} is deleted; restore it before writing to it`);
  if (run.status !== 'RUNNING') throw new SlipwayError(ErrorCode.FAILED_PRECONDITION, `Run ${id} is ${run.status}; only RUNNING runs accept writes`);
  return run;
}

@Injectable()
export class RunService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly experiments: ExperimentStore,
    private readonly runs: RunStore,
    private readonly metrics: MetricStore,
    private readonly artifacts: ArtifactStore,
    private readonly audit: AuditLogStore,
  ) {}

  async create(request: CreateRunRequest, actor: RequestActor): Promise<RunView> {
    return inTransaction(this.prisma, async (tx) => {
      const experimentId = await this.resolveExperiment(request, actor, tx);
      const run = await this.runs.create(
        {
          experimentId,
          name: request.name,
          seed: request.seed,
          datasetSha256: request.datasetSha256,
          codeVersion: request.codeVersion,
          createdBy: actor.name,
          params: request.params,
          tags: request.tags,
        },
        tx,
      );
      const view = toRunView(run, []);
      await this.audit.record({ actor, action: 'run.create', entityType: 'run', entityId: run.id, after: view, requestId: actor.requestId }, tx);
      return view;
    });
  }

  private async resolveExperiment(request: CreateRunRequest, actor: RequestActor, tx: DbClient): Promise<string> {
    if (request.experimentId) {
      const experiment = await this.experiments.get(request.experimentId, tx);
      if (!experiment)
        throw new SlipwayError(ErrorCode.NOT_FOUND, `No experiment ${request.experimentId}`, [{ field: 'body.experimentId', message: 'no such experiment' }]);
      return experiment.id;
    }
    // Like MLflow's set_experiment and W&B's project: naming an experiment that does not exist yet creates it.
    const { entity, created } = await this.experiments.getOrCreateByName(request.experimentName ?? '', tx);
    if (created) {
      await this.audit.record(
        { actor, action: 'experiment.create', entityType: 'experiment', entityId: entity.id, after: toExperimentView(entity), requestId: actor.requestId },
        tx,
      );
    }
    return entity.id;
  }

  async get(id: string): Promise<RunView> {
    const run = await this.runs.getDetail(id);
    if (!run) throw new SlipwayError(ErrorCode.NOT_FOUND, `No run ${id}`);
    return toRunView(run, await this.artifacts.list(id));
  }

  async logBatch(id: string, batch: LogBatchRequest, actor: RequestActor): Promise<LogBatchResult> {
    const receivedAt = Date.now();
    return inTransaction(this.prisma, async (tx) => {
      assertWritable(await this.runs.lock(id, 'share', tx), id);
      const conflicts = await this.runs.logParams(id, batch.params, tx);
      if (conflicts.length > 0) {
        throw new SlipwayError(
          ErrorCode.CONFLICT,
          `Params are immutable once logged: ${conflicts.map((c) => `${c.key} is already "${c.existing.slice(0, 100)}"`).join('; ')}`.slice(0, 2000),
          conflicts.map((c) => ({ field: `body.params.${c.index}.value`, message: `already logged as "${c.existing.slice(0, 100)}"` })),
        );
      }
      await this.runs.setTags(id, batch.tags, tx);
      await this.metrics.append(
        id,
        batch.metrics.map((p) => ({ key: p.key, value: p.value, step: p.step, timestamp: p.timestamp ?? receivedAt })),
        tx,
      );
      // One audit entry per batch, not per point: a training loop logs thousands of points a minute, and the
      // audit log answers "who changed what", not "what was measured" (the points themselves are the record).
      await this.audit.record(
        {
          actor,
          action: 'run.log_batch',
          entityType: 'run',
          entityId: id,
          after: {
            metrics: batch.metrics.length,
            metricKeys: [...new Set(batch.metrics.map((m) => m.key))].slice(0, 100),
            params: batch.params,
            tags: batch.tags,
          },
          requestId: actor.requestId,
        },
        tx,
      );
      return { metrics: batch.metrics.length, params: batch.params.length, tags: batch.tags.length };
    });
  }

  async end(id: string, request: EndRunRequest, actor: RequestActor): Promise<RunView> {
    return this.changeLifecycle(id, actor, 'run.end', async (before, tx) => {
      assertWritable(before, id);
      return this.runs.end(id, request.status, new Date(request.endTime ?? Date.now()), tx);
    });
  }

  async delete(id: string, actor: RequestActor): Promise<RunView> {
    return this.changeLifecycle(id, actor, 'run.delete', async (before, tx) => {
      if (before.deletedAt) throw new SlipwayError(ErrorCode.CONFLICT, `Run ${id} is already deleted`);
      return this.runs.setDeleted(id, new Date(), tx);
    });
  }

  async restore(id: string, actor: RequestActor): Promise<RunView> {
    return this.changeLifecycle(id, actor, 'run.restore', async (before, tx) => {
      if (!before.deletedAt) throw new SlipwayError(ErrorCode.CONFLICT, `Run ${id} is not deleted`);
      return this.runs.setDeleted(id, null, tx);
    });
  }

  private async changeLifecycle(
    id: string,
    actor: RequestActor,
    action: string,
    change: (before: RunEntity, tx: DbClient) => Promise<RunEntity>,
  ): Promise<RunView> {
    return inTransaction(this.prisma, async (tx) => {
      const before = await this.runs.lock(id, 'update', tx);
      if (!before) throw new SlipwayError(ErrorCode.NOT_FOUND, `No run ${id}`);
      const after = await change(before, tx);
      await this.audit.record({ actor, action, entityType: 'run', entityId: id, before, after, requestId: actor.requestId }, tx);
      const detail = await this.runs.getDetail(id, tx);
      if (!detail) throw new SlipwayError(ErrorCode.NOT_FOUND, `No run ${id}`);
      return toRunView(detail, await this.artifacts.list(id, tx));
    });
  }
}
