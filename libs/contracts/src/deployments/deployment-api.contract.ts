import { z } from 'zod';
import { cursorSchema } from '../common/cursor';
import { fieldErrorSchema } from '../errors/error-code';
import { pageQuerySchema } from '../common/page-query';
import { freeText, int32, isoDateTime, nameText, patternText, text, uuidText } from '../common/primitives';
import { aliasNameSchema, descriptionSchema, modelNameSchema, versionNumberBodySchema } from '../registry/registry-names.contract';
import { deploymentEventDataSchema, rolloutPlanSchema } from './deployment.contract';

/**
 * Deployments: what serves a model's traffic. Every action (create, canary, shadow, rollout, promote, roll back,
 * abort, alias redeploy, the analyser's steps) writes a new immutable revision; the deployment points at its
 * current one. Actions carry the revision they were based on (`baseRevision`): a stale one is a 409 with the
 * current state, so two people acting at once cannot both win.
 */

/** A DNS-label-like name: it appears in URLs (`/v1/deployments/:name/predict`), metrics labels and Kubernetes. */
export const deploymentNameSchema = patternText(
  /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/,
  'lower-case letters, digits and "-", 1 to 64 characters, starting and ending with a letter or digit',
  64,
);

export const DEPLOYMENT_STATUSES = ['ACTIVE', 'ROLLING_OUT', 'PAUSED', 'DELETED'] as const;
export const deploymentStatusSchema = z.enum(DEPLOYMENT_STATUSES);
export type DeploymentStatusName = z.infer<typeof deploymentStatusSchema>;

export const DEPLOYMENT_ACTIONS = [
  'CREATE',
  'UPDATE',
  'GRAY_START',
  'GRAY_STEP',
  'PROMOTE',
  'ROLLBACK',
  'AUTO_ROLLBACK',
  'ALIAS_REDEPLOY',
  'SHADOW',
  'ABORT',
] as const;
export const deploymentActionSchema = z.enum(DEPLOYMENT_ACTIONS);
export type DeploymentActionName = z.infer<typeof deploymentActionSchema>;

/** What moving a followed alias does: serve the new version at once, or start the deployment's rollout plan with it. */
export const aliasPolicySchema = z.enum(['redeploy', 'rollout']);
export type AliasPolicy = z.infer<typeof aliasPolicySchema>;

/**
 * Sticky canary routing: the request header or input field whose value is hashed into 100 buckets, so one caller
 * always lands on one version. Stored in deployment_revisions.sticky_key as `header:<name>` or `field:<name>`.
 */
export const stickyKeySchema = z.union([
  z.object({ header: patternText(/^[a-z0-9-]{1,100}$/, 'a lower-case HTTP header name', 100) }).strict(),
  z.object({ field: nameText(100) }).strict(),
]);
export type StickyKey = z.infer<typeof stickyKeySchema>;

/** The revision an action is based on (the deployment's `currentRevision` as the caller last saw it). */
export const baseRevisionSchema = int32(1);
const reason = freeText(1000).optional();

export const createDeploymentRequestSchema = z
  .object({
    name: deploymentNameSchema,
    description: descriptionSchema.optional(),
    model: modelNameSchema,
    /** The version to serve; or `alias` to serve what the alias points at now. */
    version: versionNumberBodySchema.optional(),
    alias: aliasNameSchema.optional(),
    /** With `alias`: keep following it; moving the alias then acts per `aliasPolicy`. */
    followAlias: z.boolean().default(false),
    aliasPolicy: aliasPolicySchema.default('redeploy'),
    /** The plan an alias move starts under aliasPolicy `rollout` (and the default for POST …/rollout). */
    rolloutPlan: rolloutPlanSchema.optional(),
    reason,
  })
  .strict()
  .refine((body) => (body.version === undefined) !== (body.alias === undefined), { message: 'give exactly one of version and alias', path: ['version'] })
  .refine((body) => !body.followAlias || body.alias !== undefined, { message: 'followAlias needs the alias to follow', path: ['followAlias'] })
  .refine((body) => body.aliasPolicy !== 'rollout' || body.rolloutPlan !== undefined, {
    message: 'aliasPolicy rollout needs a rolloutPlan',
    path: ['rolloutPlan'],
  });
export type CreateDeploymentRequest = z.infer<typeof createDeploymentRequestSchema>;

export const updateDeploymentRequestSchema = z
  .object({
    description: descriptionSchema.optional(),
    aliasPolicy: aliasPolicySchema.optional(),
    rolloutPlan: rolloutPlanSchema.nullable().optional(),
  })
  .strict()
  .refine((b) => b.description !== undefined || b.aliasPolicy !== undefined || b.rolloutPlan !== undefined, 'give description, aliasPolicy and/or rolloutPlan');
export type UpdateDeploymentRequest = z.infer<typeof updateDeploymentRequestSchema>;

/** Start a canary by hand: `percent` of traffic (random, or sticky by a key) goes to `version`. */
export const startCanaryRequestSchema = z
  .object({
    baseRevision: baseRevisionSchema,
    version: versionNumberBodySchema,
    percent: z.number().int().min(1).max(99),
    sticky: stickyKeySchema.optional(),
    reason,
  })
  .strict();
export type StartCanaryRequest = z.infer<typeof startCanaryRequestSchema>;

/** Mirror `percent` of traffic to `version` (asynchronously, never answering), or stop shadowing with `version: null`. */
export const setShadowRequestSchema = z
  .object({ baseRevision: baseRevisionSchema, version: versionNumberBodySchema.nullable(), percent: z.number().int().min(1).max(100).default(100), reason })
  .strict();
export type SetShadowRequest = z.infer<typeof setShadowRequestSchema>;

/** Start a metric-gated rollout of `version` (the deployment's own plan when `plan` is absent). */
export const startRolloutRequestSchema = z
  .object({
    baseRevision: baseRevisionSchema,
    version: versionNumberBodySchema,
    plan: rolloutPlanSchema.optional(),
    sticky: stickyKeySchema.optional(),
    reason,
  })
  .strict();
export type StartRolloutRequest = z.infer<typeof startRolloutRequestSchema>;

/** Promote (the canary becomes stable), roll back (to the previous stable, or drop the canary), abort (stop a rollout, keep stable). */
export const deploymentActionRequestSchema = z.object({ baseRevision: baseRevisionSchema, reason }).strict();
export type DeploymentActionRequest = z.infer<typeof deploymentActionRequestSchema>;

export const deploymentNameParamsSchema = z.object({ name: deploymentNameSchema }).strict();

export const deploymentQuerySchema = pageQuerySchema(
  { status: deploymentStatusSchema.optional(), model: modelNameSchema.optional() },
  { default: 50, max: 200 },
);
export type DeploymentQuery = z.infer<typeof deploymentQuerySchema>;
export const deploymentRevisionQuerySchema = pageQuerySchema({}, { default: 50, max: 200 });
export const deploymentEventQuerySchema = pageQuerySchema({ type: text({ max: 64 }).optional() }, { default: 100, max: 500 });

// ─── views ───

const servedVersionSchema = z.object({ versionId: uuidText(), version: z.number().int() }).strict();

export const deploymentRevisionSchema = z.object({
  revision: z.number().int(),
  action: deploymentActionSchema,
  stable: servedVersionSchema,
  canary: servedVersionSchema.extend({ percent: z.number().int(), sticky: stickyKeySchema.nullable() }).nullable(),
  shadow: servedVersionSchema.extend({ percent: z.number().int() }).nullable(),
  rolloutPlan: rolloutPlanSchema.nullable(),
  /** Index into rolloutPlan.steps of the step this revision serves (null outside a rollout). */
  rolloutStep: z.number().int().nullable(),
  reason: z.string(),
  createdBy: z.string().nullable(),
  createdAt: isoDateTime(),
});
export type DeploymentRevisionView = z.infer<typeof deploymentRevisionSchema>;

export const deploymentSchema = z.object({
  id: uuidText(),
  name: z.string(),
  description: z.string(),
  model: z.string(),
  status: deploymentStatusSchema,
  trackedAlias: z.string().nullable(),
  aliasPolicy: aliasPolicySchema,
  rolloutPlan: rolloutPlanSchema.nullable(),
  currentRevision: z.number().int(),
  revision: deploymentRevisionSchema,
  /** During a rollout: when the current step started and when the analyser next looks at it. */
  rollout: z
    .object({ step: z.number().int(), steps: z.array(z.number().int()), stepStartedAt: isoDateTime(), nextAnalysisAt: isoDateTime() })
    .strict()
    .nullable(),
  createdBy: z.string().nullable(),
  createdAt: isoDateTime(),
  updatedAt: isoDateTime(),
});
export type DeploymentView = z.infer<typeof deploymentSchema>;

export const deploymentListSchema = z.object({ deployments: z.array(deploymentSchema).max(200), nextCursor: cursorSchema.nullable() });
export type DeploymentList = z.infer<typeof deploymentListSchema>;
export const deploymentRevisionListSchema = z.object({ revisions: z.array(deploymentRevisionSchema).max(200), nextCursor: cursorSchema.nullable() });

export const deploymentEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  message: z.string(),
  data: deploymentEventDataSchema.nullable(),
  actor: z.string().nullable(),
  revision: z.number().int().nullable(),
  createdAt: isoDateTime(),
});
export const deploymentEventListSchema = z.object({ events: z.array(deploymentEventSchema).max(500), nextCursor: cursorSchema.nullable() });

/** A stale `baseRevision`: the 409's body carries the deployment as it is now, so the caller can decide again. */
export const deploymentConflictSchema = z.object({
  error: z.object({ code: z.literal('CONFLICT'), message: z.string(), fields: z.array(fieldErrorSchema).optional(), requestId: z.string().optional() }),
  current: deploymentSchema,
});
