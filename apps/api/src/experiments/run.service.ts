import { Injectable } from '@nestjs/common';
import {
  ErrorCode,
  SlipwayError,
  type CreateRunRequest,
  type EndRunRequest,
  type LogBatchRequest,
  type LogBatchResult,
  type RunView,
  logBatchResultSchema,
  runSchema,
} from '@slipway/contracts';
import { UnitOfWork, type RunEntity, type Transaction } from '@slipway/db';
import type { RequestActor } from '../auth/auth.decorators';
import { respondWithin } from '../common/respond-within';
import { toExperimentView, toRunView } from './experiments.views';

/** A run accepts params, metrics, tags and artifacts only while it is RUNNING and not deleted. */
export function assertWritable(run: RunEntity | null, id: string): RunEntity {
  if (!run) throw new SlipwayError(ErrorCode.NOT_FOUND, `No run ${id}`);
  if (run.deletedAt) throw new SlipwayError(ErrorCode.CONFLICT, `Run ${id} is deleted; restore it before writing to it`);
  if (run.status !== 'RUNNING') throw new SlipwayError(ErrorCode.CONFLICT, `Run ${id} is ${run.status}; only RUNNING runs accept writes`);
  return run;
}

@Injectable()
export class RunService {
  constructor(private readonly db: UnitOfWork) {}

  async create(request: CreateRunRequest, actor: RequestActor): Promise<RunView> {
    return this.db.run(actor, async (tx) => {
      const experimentId = await this.resolveExperiment(request, tx);
      const run = await tx.runs.create({
        experimentId,
        name: request.name,
        seed: request.seed,
        datasetSha256: request.datasetSha256,
        codeVersion: request.codeVersion,
        createdBy: actor.name,
        params: request.params,
        tags: request.tags,
      });
      const view = toRunView(run, []);
      await tx.record({ action: 'run.create', entity: { type: 'run', id: run.id }, after: view });
      return respondWithin(tx, runSchema, view);
    });
  }

  private async resolveExperiment(request: CreateRunRequest, tx: Transaction): Promise<string> {
    if (request.experimentId) {
      const experiment = await tx.experiments.get(request.experimentId);
      if (!experiment)
        throw new SlipwayError(ErrorCode.NOT_FOUND, `No experiment ${request.experimentId}`, [{ field: 'body.experimentId', message: 'no such experiment' }]);
      return experiment.id;
    }
    // Like MLflow's set_experiment and W&B's project: naming an experiment that does not exist yet creates it.
    const { entity, created } = await tx.experiments.getOrCreateByName(request.experimentName ?? '');
    if (created) await tx.record({ action: 'experiment.create', entity: { type: 'experiment', id: entity.id }, after: toExperimentView(entity) });
    return entity.id;
  }

  async get(id: string): Promise<RunView> {
    const run = await this.db.read.runs.getDetail(id);
    if (!run) throw new SlipwayError(ErrorCode.NOT_FOUND, `No run ${id}`);
    return toRunView(run, await this.db.read.artifacts.list(id));
  }

  async logBatch(id: string, batch: LogBatchRequest, actor: RequestActor): Promise<LogBatchResult> {
    const receivedAt = Date.now();
    return this.db.run(actor, async (tx) => {
      assertWritable(await tx.runs.lock(id, 'share'), id);
      const conflicts = await tx.runs.logParams(id, batch.params);
      if (conflicts.length > 0) {
        throw new SlipwayError(
          ErrorCode.CONFLICT,
          `Params are immutable once logged: ${conflicts.map((c) => `${c.key} is already "${c.existing.slice(0, 100)}"`).join('; ')}`.slice(0, 2000),
          conflicts.map((c) => ({ field: `body.params.${c.index}.value`, message: `already logged as "${c.existing.slice(0, 100)}"` })),
        );
      }
      await tx.runs.setTags(id, batch.tags);
      await tx.metrics.append(
        id,
        batch.metrics.map((p) => ({ key: p.key, value: p.value, step: p.step, timestamp: p.timestamp ?? receivedAt })),
      );
      // One audit entry per batch, not per point: a training loop logs thousands of points a minute, and the
      // audit log answers "who changed what", not "what was measured" (the points themselves are the record).
      await tx.record({
        action: 'run.log_batch',
        entity: { type: 'run', id },
        after: {
          metrics: batch.metrics.length,
          metricKeys: [...new Set(batch.metrics.map((m) => m.key))].slice(0, 100),
          params: batch.params,
          tags: batch.tags,
        },
      });
      return respondWithin(tx, logBatchResultSchema, { metrics: batch.metrics.length, params: batch.params.length, tags: Object.keys(batch.tags).length });
    });
  }

  async end(id: string, request: EndRunRequest, actor: RequestActor): Promise<RunView> {
    return this.changeLifecycle(id, actor, 'run.end', async (before, tx) => {
      assertWritable(before, id);
      return tx.runs.end(id, request.status, new Date(request.endTime ?? Date.now()));
    });
  }

  async delete(id: string, actor: RequestActor): Promise<RunView> {
    return this.changeLifecycle(id, actor, 'run.delete', async (before, tx) => {
      if (before.deletedAt) throw new SlipwayError(ErrorCode.CONFLICT, `Run ${id} is already deleted`);
      return tx.runs.setDeleted(id, new Date());
    });
  }

  async restore(id: string, actor: RequestActor): Promise<RunView> {
    return this.changeLifecycle(id, actor, 'run.restore', async (before, tx) => {
      if (!before.deletedAt) throw new SlipwayError(ErrorCode.CONFLICT, `Run ${id} is not deleted`);
      return tx.runs.setDeleted(id, null);
    });
  }

  private async changeLifecycle(
    id: string,
    actor: RequestActor,
    action: string,
    change: (before: RunEntity, tx: Transaction) => Promise<RunEntity>,
  ): Promise<RunView> {
    return this.db.run(actor, async (tx) => {
      const before = await tx.runs.lock(id, 'update');
      if (!before) throw new SlipwayError(ErrorCode.NOT_FOUND, `No run ${id}`);
      const after = await change(before, tx);
      await tx.record({ action, entity: { type: 'run', id }, before, after });
      const detail = await tx.runs.getDetail(id);
      if (!detail) throw new SlipwayError(ErrorCode.NOT_FOUND, `No run ${id}`);
      return respondWithin(tx, runSchema, toRunView(detail, await tx.artifacts.list(id)));
    });
  }
}
