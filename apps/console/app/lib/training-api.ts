import 'server-only';
import {
  datasetListSchema,
  trainingAlgorithmListSchema,
  trainingJobListSchema,
  trainingJobSchema,
  versionSchema,
  type CancelTrainingJobRequest,
  type CreateTrainingJobRequestInput,
  type DatasetList,
  type MetricHistory,
  type RegisterTrainingJobRequest,
  type RunView,
  type TrainingAlgorithmList,
  type TrainingJobList,
  type TrainingJobStatus,
  type TrainingJobView,
  type VersionView,
} from '@slipway/contracts';
import type { SlipwayClient } from '@slipway/client';
import type { z } from 'zod';
import { callApi, getMetricHistory, getRun } from './api';
import type { ApiResult } from './api-result';
import type { TrainingJobPage } from './training-view';

// The training-jobs routes through the one typed client. They go through its `send` + `parseBody` (the token,
// error mapping and contract check every typed route gets) so the console does not depend on which release of
// the generated client wraps them.

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

async function getJson<S extends z.ZodType>(api: SlipwayClient, path: string, schema: S): Promise<z.infer<S>> {
  return api.parseBody(schema, await api.send(path, { method: 'GET', headers: { accept: 'application/json' } }));
}

async function postJson<S extends z.ZodType>(api: SlipwayClient, path: string, schema: S, body: unknown, idempotencyKey?: string): Promise<z.infer<S>> {
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
  return api.parseBody(schema, await api.send(path, { method: 'POST', headers, body: JSON.stringify(body) }));
}

const jobPath = (id: string) => `/api/v1/training-jobs/${encodeURIComponent(id)}`;

export function listTrainingAlgorithms(): Promise<ApiResult<TrainingAlgorithmList>> {
  return callApi((api) => getJson(api, '/api/v1/training-jobs/algorithms', trainingAlgorithmListSchema));
}

export interface TrainingJobFilter {
  status?: TrainingJobStatus;
  datasetId?: string;
  limit?: number;
  cursor?: string;
}

export function listTrainingJobs(filter: TrainingJobFilter = {}): Promise<ApiResult<TrainingJobList>> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== '') query.set(key, String(value));
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return callApi((api) => getJson(api, `/api/v1/training-jobs${search}`, trainingJobListSchema));
}

export function getTrainingJob(id: string): Promise<ApiResult<TrainingJobView>> {
  return callApi((api) => getJson(api, jobPath(id), trainingJobSchema));
}

/** The key makes a retried submit (a double click, a reload of the action) answer the first job instead of a second one. */
export function createTrainingJob(request: CreateTrainingJobRequestInput, idempotencyKey: string): Promise<ApiResult<TrainingJobView>> {
  return callApi((api) => postJson(api, '/api/v1/training-jobs', trainingJobSchema, request, idempotencyKey));
}

export function cancelTrainingJob(id: string, request: CancelTrainingJobRequest): Promise<ApiResult<TrainingJobView>> {
  return callApi((api) => postJson(api, `${jobPath(id)}/cancel`, trainingJobSchema, request));
}

/** Needs no Idempotency-Key: registering a job again under the same model answers the version it already made. */
export function registerTrainingJob(id: string, request: RegisterTrainingJobRequest): Promise<ApiResult<VersionView>> {
  return callApi((api) => postJson(api, `${jobPath(id)}/register`, versionSchema, request));
}

export function listDatasetsForTraining(): Promise<ApiResult<DatasetList>> {
  return callApi((api) => getJson(api, '/api/v1/datasets?limit=200', datasetListSchema));
}

/** Metrics the training page charts (per epoch) and tabulates (per fold), as the worker logs them to the run. */
export const isProgressMetric = (key: string): boolean => key.startsWith('epoch/') || key.startsWith('fold/');
/** A run logs a handful of these (loss, val_loss, accuracy, … per epoch; each evaluation metric per fold). */
const MAX_PROGRESS_METRICS = 40;

/**
 * A job with what its page shows live: the current attempt's run (for its latest metrics) and the history of
 * every per-epoch and per-fold metric. A run that cannot be read (not created yet, deleted) leaves the job
 * readable without them.
 */
export async function getTrainingJobPage(id: string): Promise<ApiResult<TrainingJobPage>> {
  const job = await getTrainingJob(id);
  if (!job.ok) return job;
  const runId = job.data.runId;
  if (runId === null) return { ok: true, data: { job: job.data, histories: [], runFailure: null } };
  const run: ApiResult<RunView> = await getRun(runId);
  if (!run.ok) return { ok: true, data: { job: job.data, histories: [], runFailure: run.error.message } };
  const keys = run.data.metrics
    .map((m) => m.key)
    .filter(isProgressMetric)
    .slice(0, MAX_PROGRESS_METRICS);
  const histories: ApiResult<MetricHistory>[] = await Promise.all(keys.map((key) => getMetricHistory(runId, key)));
  const failed = histories.find((h) => !h.ok);
  return {
    ok: true,
    data: {
      job: job.data,
      histories: histories.flatMap((h) => (h.ok ? [{ key: h.data.key, points: h.data.points.map((p) => ({ step: p.step, value: p.value })) }] : [])),
      runFailure: failed && !failed.ok ? failed.error.message : null,
    },
  };
}
