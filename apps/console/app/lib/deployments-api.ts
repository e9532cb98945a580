import 'server-only';
import {
  deploymentEventListSchema,
  deploymentListSchema,
  deploymentMetricsSchema,
  deploymentRevisionListSchema,
  deploymentSchema,
  type DeploymentList,
  type DeploymentView,
} from '@slipway/contracts';
import type { SlipwayClient } from '@slipway/client';
import type { z } from 'zod';
import { callApi } from './api';
import type { ApiResult } from './api-result';
import type { DeploymentPage } from './deployment-view';

// The deployments routes through the one typed client's `send` + `parseBody` (token, error mapping and contract
// check), as training-api.ts does, so the console does not wait for the generated client to wrap them.

async function getJson<S extends z.ZodType>(api: SlipwayClient, path: string, schema: S): Promise<z.infer<S>> {
  return api.parseBody(schema, await api.send(path, { method: 'GET', headers: { accept: 'application/json' } }));
}

async function postJson<S extends z.ZodType>(api: SlipwayClient, path: string, schema: S, body: unknown, idempotencyKey?: string): Promise<z.infer<S>> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
  return api.parseBody(schema, await api.send(path, { method: 'POST', headers, body: JSON.stringify(body) }));
}

const deploymentPath = (name: string) => `/api/v1/deployments/${encodeURIComponent(name)}`;

export function listDeployments(): Promise<ApiResult<DeploymentList>> {
  return callApi((api) => getJson(api, '/api/v1/deployments?limit=200', deploymentListSchema));
}

export function getDeployment(name: string): Promise<ApiResult<DeploymentView>> {
  return callApi((api) => getJson(api, deploymentPath(name), deploymentSchema));
}

/** The deployment with its newest revisions, events and last 15 minutes of traffic: what its page shows and polls. */
export async function getDeploymentPage(name: string): Promise<ApiResult<DeploymentPage>> {
  const [deployment, revisions, events, metrics] = await Promise.all([
    getDeployment(name),
    callApi((api) => getJson(api, `${deploymentPath(name)}/revisions?limit=50`, deploymentRevisionListSchema)),
    callApi((api) => getJson(api, `${deploymentPath(name)}/events?limit=100`, deploymentEventListSchema)),
    callApi((api) => getJson(api, `${deploymentPath(name)}/metrics`, deploymentMetricsSchema)),
  ]);
  if (!deployment.ok) return deployment;
  if (!revisions.ok) return revisions;
  if (!events.ok) return events;
  return {
    ok: true,
    data: {
      deployment: deployment.data,
      revisions: revisions.data.revisions,
      events: events.data.events,
      metrics: metrics.ok ? metrics.data : null,
      metricsFailure: metrics.ok ? null : metrics.error.message,
    },
  };
}

/** The key makes a retried submit answer the first deployment instead of a second attempt. */
export function createDeployment(request: unknown, idempotencyKey: string): Promise<ApiResult<DeploymentView>> {
  return callApi((api) => postJson(api, '/api/v1/deployments', deploymentSchema, request, idempotencyKey));
}

export type DeploymentActionKind = 'canary' | 'shadow' | 'rollout' | 'promote' | 'rollback' | 'abort';

export function actOnDeployment(name: string, action: DeploymentActionKind, body: unknown): Promise<ApiResult<DeploymentView>> {
  return callApi((api) => postJson(api, `${deploymentPath(name)}/${action}`, deploymentSchema, body));
}
