import type { ModelInputSchema, TrainingEvaluation } from '@slipway/contracts';
import type { RunEntity, Transaction, UnitOfWork } from '@slipway/db';
import type { ApiTestApp } from '../api-test-app';

/**
 * The run a worker opens for a training job's attempt, holding a model file under `model/` as training leaves it;
 * uploaded through the API's artifact route, as the worker does.
 */
export async function workerRunWithModel(api: ApiTestApp, uow: UnitOfWork, job: { experimentId: string | null; name: string }): Promise<RunEntity> {
  if (!job.experimentId) throw new Error(`job ${job.name} has no experiment to open a run in`);
  const run = await uow.read.runs.create({ experimentId: job.experimentId, name: job.name, createdBy: 'worker', params: [], tags: {} });
  const put = await fetch(`${api.baseUrl}/api/v1/runs/${run.id}/artifacts/model/slipway.json`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${api.tokens.editor}`, 'content-type': 'application/octet-stream' },
    body: Buffer.from(JSON.stringify({ format: 'slipway.cart', tree: [1, 2, 3] })),
  });
  if (put.status !== 201) throw new Error(`uploading the model file answered ${put.status}: ${await put.text()}`);
  return run;
}

/**
 * What a worker writes when a job's first attempt succeeds on `run`: the attempt started and ended SUCCEEDED with
 * `evaluation` and a result describing the model's inputs. Runs in the caller's transaction so a study's trial can
 * be pointed at the run in the same commit.
 */
export async function succeedFirstAttempt(
  tx: Transaction,
  jobId: string,
  runId: string,
  outcome: { evaluation: TrainingEvaluation; featureNames: string[]; inputSchema: ModelInputSchema },
): Promise<void> {
  await tx.trainingJobs.lock(jobId);
  const at = new Date();
  const history = [{ attempt: 1, runId, workerId: 'w1', startedAt: at.toISOString(), endedAt: null, outcome: 'RUNNING' as const, reason: null }];
  await tx.trainingJobs.startAttempt(jobId, { workerId: 'w1', runId, at, history });
  await tx.trainingJobs.finish(jobId, 1, {
    status: 'SUCCEEDED',
    at,
    history: [{ ...history[0], endedAt: at.toISOString(), outcome: 'SUCCEEDED' }],
    evaluation: outcome.evaluation,
    result: {
      backend: { backend: 'wasm', tfBackend: 'wasm' },
      codeVersion: 'test',
      workerId: 'w1',
      durationsMs: { queued: 1, load: 2, fit: 3, save: 4, total: 10 },
      artifact: { path: 'model', files: [] },
      featureNames: outcome.featureNames,
      inputSchema: outcome.inputSchema,
    },
  });
}
