import 'server-only';
import {
  deploymentEventListSchema,
  deploymentListSchema,
  deploymentMetricsSchema,
  deploymentRevisionListSchema,
  deploymentSchema,
  type DeploymentList,
  type DeploymentMetricsView,
  type DeploymentView,
} from '@slipway/contracts';
import type { SlipwayClient } from '@slipway/client';
import type { z } from 'zod';
import { callApi } from './api';
import type { ApiResult } from './api-result';
import type { DeploymentPage } from './deployment-view';

type DeploymentRevisionList = z.infer<typeof deploymentRevisionListSchema>;
type DeploymentEventList = z.infer<typeof deploymentEventListSchema>;

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

async function sendJson<S extends z.ZodType>(api: SlipwayClient, method: 'PATCH' | 'DELETE', path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return api.parseBody(schema, await api.send(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}

const deploymentPath = (name: string) => `/api/v1/deployments/${encodeURIComponent(name)}`;

/** The list page's size: a page of deployments, each row with its traffic bar. */
export const DEPLOYMENTS_PAGE_SIZE = 50;
/** First and older pages of the revision history and the events on the deployment page. */
export const REVISIONS_PAGE_SIZE = 50;
export const EVENTS_PAGE_SIZE = 100;

const query = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  return search.toString();
};

export function listDeployments(page: { cursor?: string; limit?: number } = {}): Promise<ApiResult<DeploymentList>> {
  return callApi((api) =>
    getJson(api, `/api/v1/deployments?${query({ limit: page.limit ?? DEPLOYMENTS_PAGE_SIZE, cursor: page.cursor })}`, deploymentListSchema),
  );
}

export function getDeployment(name: string): Promise<ApiResult<DeploymentView>> {
  return callApi((api) => getJson(api, deploymentPath(name), deploymentSchema));
}

export function listDeploymentRevisions(name: string, cursor?: string): Promise<ApiResult<DeploymentRevisionList>> {
  return callApi((api) => getJson(api, `${deploymentPath(name)}/revisions?${query({ limit: REVISIONS_PAGE_SIZE, cursor })}`, deploymentRevisionListSchema));
}

export function listDeploymentEvents(name: string, cursor?: string): Promise<ApiResult<DeploymentEventList>> {
  return callApi((api) => getJson(api, `${deploymentPath(name)}/events?${query({ limit: EVENTS_PAGE_SIZE, cursor })}`, deploymentEventListSchema));
}

/** Traffic per version and role since `since` (an ISO instant at most 24 h back). */
export function getDeploymentMetrics(name: string, since: string): Promise<ApiResult<DeploymentMetricsView>> {
  return callApi((api) => getJson(api, `${deploymentPath(name)}/metrics?${query({ since })}`, deploymentMetricsSchema));
}

/** The deployment with the first page of its revisions and events: what its page shows and polls. */
export async function getDeploymentPage(name: string): Promise<ApiResult<DeploymentPage>> {
  const [deployment, revisions, events] = await Promise.all([getDeployment(name), listDeploymentRevisions(name), listDeploymentEvents(name)]);
  if (!deployment.ok) return deployment;
  if (!revisions.ok) return revisions;
  if (!events.ok) return events;
  return {
    ok: true,
    data: {
      deployment: deployment.data,
      revisions: revisions.data.revisions,
      revisionsNextCursor: revisions.data.nextCursor,
      events: events.data.events,
      eventsNextCursor: events.data.nextCursor,
    },
  };
}

/** The key makes a retried submit answer the first deployment instead of a second attempt. */
export function createDeployment(request: unknown, idempotencyKey: string): Promise<ApiResult<DeploymentView>> {
  return callApi((api) => postJson(api, '/api/v1/deployments', deploymentSchema, request, idempotencyKey));
}

export function updateDeployment(name: string, request: unknown): Promise<ApiResult<DeploymentView>> {
  return callApi((api) => sendJson(api, 'PATCH', deploymentPath(name), deploymentSchema, request));
}

export function deleteDeployment(name: string): Promise<ApiResult<DeploymentView>> {
  return callApi((api) => sendJson(api, 'DELETE', deploymentPath(name), deploymentSchema));
}

export type DeploymentActionKind = 'canary' | 'shadow' | 'rollout' | 'promote' | 'rollback' | 'abort';

export function actOnDeployment(name: string, action: DeploymentActionKind, body: unknown): Promise<ApiResult<DeploymentView>> {
  return callApi((api) => postJson(api, `${deploymentPath(name)}/${action}`, deploymentSchema, body));
}
