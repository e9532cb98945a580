'use server';

import {
  createDeploymentRequestSchema,
  deploymentActionRequestSchema,
  deploymentNameSchema,
  ErrorCode,
  setShadowRequestSchema,
  startCanaryRequestSchema,
  startRolloutRequestSchema,
  type DeploymentView,
} from '@slipway/contracts';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import type { ApiFailure } from './api-result';
import { actOnDeployment, createDeployment, getDeployment, type DeploymentActionKind } from './deployments-api';

/**
 * What a deployment action answers the browser: done (the deployment as it now is), refused (with the fields to
 * mark), or — for a stale baseRevision — the deployment as someone else left it, so the person can decide again.
 */
export type DeploymentActionOutcome =
  | { ok: true; deployment: DeploymentView }
  | { ok: false; message: string; code?: string; httpStatus?: number; fields: { field: string; message: string }[]; current?: DeploymentView };

function refused(failure: ApiFailure): DeploymentActionOutcome {
  return { ok: false, message: failure.message, code: failure.code, httpStatus: failure.status, fields: failure.fields ?? [] };
}

function invalid(error: z.ZodError, message: string): DeploymentActionOutcome {
  return { ok: false, message, fields: error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })) };
}

const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,255}$/);

/** Checked with the API's own contract first (same field names, no round trip); the API checks it again. */
export async function createDeploymentAction(request: unknown, idempotencyKey: string): Promise<DeploymentActionOutcome> {
  const key = idempotencyKeySchema.safeParse(idempotencyKey);
  if (!key.success) return { ok: false, message: 'The form sent no usable Idempotency-Key; reload the page.', fields: [] };
  const parsed = createDeploymentRequestSchema.safeParse(request);
  if (!parsed.success) return invalid(parsed.error, 'Some fields are not valid.');
  const result = await createDeployment(request, key.data);
  if (!result.ok) return refused(result.error);
  revalidatePath('/deployments');
  return { ok: true, deployment: result.data };
}

const actionSchemas: Record<DeploymentActionKind, z.ZodType> = {
  canary: startCanaryRequestSchema,
  shadow: setShadowRequestSchema,
  rollout: startRolloutRequestSchema,
  promote: deploymentActionRequestSchema,
  rollback: deploymentActionRequestSchema,
  abort: deploymentActionRequestSchema,
};

export async function deploymentAction(name: string, action: DeploymentActionKind, request: unknown): Promise<DeploymentActionOutcome> {
  const deploymentName = deploymentNameSchema.safeParse(name);
  if (!deploymentName.success) return invalid(deploymentName.error, 'Not a deployment name.');
  const schema = Object.hasOwn(actionSchemas, action) ? actionSchemas[action] : undefined;
  if (!schema) return { ok: false, message: `Unknown action ${String(action)}.`, fields: [] };
  const parsed = schema.safeParse(request);
  if (!parsed.success) return invalid(parsed.error, 'Some fields are not valid.');
  const result = await actOnDeployment(deploymentName.data, action, request);
  if (!result.ok) {
    const outcome = refused(result.error);
    // A stale baseRevision: read the deployment as it is now, so the page can show what changed and offer a retry.
    if (result.error.code === ErrorCode.CONFLICT && !outcome.ok) {
      const current = await getDeployment(deploymentName.data);
      if (current.ok && current.data.currentRevision !== (request as { baseRevision?: number }).baseRevision) return { ...outcome, current: current.data };
    }
    return outcome;
  }
  revalidatePath('/deployments');
  return { ok: true, deployment: result.data };
}
