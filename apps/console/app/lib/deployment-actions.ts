'use server';

import {
  baseRevisionSchema,
  createDeploymentRequestSchema,
  deploymentActionRequestSchema,
  deploymentNameSchema,
  ErrorCode,
  setShadowRequestSchema,
  startCanaryRequestSchema,
  startRolloutRequestSchema,
  updateDeploymentRequestSchema,
  type DeploymentView,
} from '@slipway/contracts';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import type { ApiFailure } from './api-result';
import { changedSettings, formField, settingsOf, type DeploymentSettings } from './deployment-view';
import { actOnDeployment, createDeployment, deleteDeployment, getDeployment, updateDeployment, type DeploymentActionKind } from './deployments-api';

/**
 * What a deployment action answers the browser: done (the deployment as it now is), refused (with the fields to
 * mark), or — for a stale baseRevision — the deployment as someone else left it, so the person can decide again.
 */
export type DeploymentActionOutcome =
  | { ok: true; deployment: DeploymentView }
  | { ok: false; message: string; code?: string; httpStatus?: number; fields: { field: string; message: string }[]; current?: DeploymentView };

/** The API names fields `body.sticky.header`, the contract checked here `sticky.header`: the form gets one name for both. */
function refused(failure: ApiFailure): DeploymentActionOutcome {
  const fields = (failure.fields ?? []).map((f) => ({ field: formField(f.field), message: f.message }));
  return { ok: false, message: failure.message, code: failure.code, httpStatus: failure.status, fields };
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

const settingsSchema = z.object({
  description: z.string(),
  aliasPolicy: z.enum(['redeploy', 'rollout']),
  rolloutPlan: z.unknown(),
});

/**
 * PATCH the settings the person changed. The route takes no base revision (settings write no revision), so the
 * settings the form was opened on (`base`) are compared with the deployment as it is now first: when someone
 * else changed one of the fields this edit sets, nothing is sent and the current settings come back to decide
 * on again. A change to another field is kept, since only the changed fields are sent.
 */
export async function updateDeploymentAction(name: string, base: DeploymentSettings, changes: unknown): Promise<DeploymentActionOutcome> {
  const deploymentName = deploymentNameSchema.safeParse(name);
  if (!deploymentName.success) return invalid(deploymentName.error, 'Not a deployment name.');
  const baseSettings = settingsSchema.safeParse(base);
  if (!baseSettings.success) return { ok: false, message: 'The form sent no settings to compare with; reload the page.', fields: [] };
  const parsed = updateDeploymentRequestSchema.safeParse(changes);
  if (!parsed.success) return invalid(parsed.error, 'Some fields are not valid.');
  const current = await getDeployment(deploymentName.data);
  if (!current.ok) return refused(current.error);
  const overlap = changedSettings(base, settingsOf(current.data)).filter((k) => parsed.data[k] !== undefined);
  if (overlap.length > 0) {
    return {
      ok: false,
      code: ErrorCode.CONFLICT,
      message: `Someone else changed ${overlap.join(', ')} since you opened the form; nothing was saved.`,
      fields: [],
      current: current.data,
    };
  }
  const result = await updateDeployment(deploymentName.data, parsed.data);
  if (!result.ok) return refused(result.error);
  revalidatePath('/deployments');
  return { ok: true, deployment: result.data };
}

/**
 * DELETE, asked with the name typed back and the revision the person was looking at: if anything acted on the
 * deployment since (a canary, a rollout step), the deployment as it is now comes back instead, to confirm again.
 */
export async function deleteDeploymentAction(name: string, baseRevision: number, typedName: string): Promise<DeploymentActionOutcome> {
  const deploymentName = deploymentNameSchema.safeParse(name);
  if (!deploymentName.success) return invalid(deploymentName.error, 'Not a deployment name.');
  const base = baseRevisionSchema.safeParse(baseRevision);
  if (!base.success) return invalid(base.error, 'The form sent no revision to delete at; reload the page.');
  if (typedName !== deploymentName.data)
    return { ok: false, message: 'Type the deployment name to confirm.', fields: [{ field: 'confirmName', message: `type ${deploymentName.data}` }] };
  const current = await getDeployment(deploymentName.data);
  if (!current.ok) return refused(current.error);
  if (current.data.currentRevision !== base.data) {
    return {
      ok: false,
      code: ErrorCode.CONFLICT,
      message: `The deployment moved to revision ${current.data.currentRevision} since you asked; nothing was deleted.`,
      fields: [],
      current: current.data,
    };
  }
  const result = await deleteDeployment(deploymentName.data);
  if (!result.ok) return refused(result.error);
  revalidatePath('/deployments');
  return { ok: true, deployment: result.data };
}
