import { z } from 'zod';
import { boundedJson, finiteNumber, nameString } from '../common/primitives';

/**
 * deployment_revisions.rollout_plan: canary traffic steps in percent (increasing, ending at 100 when the
 * rollout promotes), the wait between steps, and the gates a step must pass before the next.
 */
export const rolloutPlanSchema = z
  .object({
    steps: z
      .array(z.number().int().min(1).max(100))
      .min(1)
      .max(20)
      .refine((steps) => steps.every((s, i) => i === 0 || s > steps[i - 1]), 'steps must increase'),
    intervalSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600),
    gates: z
      .object({
        /** Largest share of failed requests on the canary, 0..1. */
        maxErrorRate: finiteNumber.min(0).max(1).optional(),
        maxP99LatencyMs: finiteNumber.gt(0).max(3_600_000).optional(),
        /** Largest prediction-drift score against the training profile. */
        maxDrift: finiteNumber.min(0).max(1_000_000).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
export type RolloutPlan = z.infer<typeof rolloutPlanSchema>;

/**
 * deployment_events.data (nullable): details of one event (the gate values measured at a step, the
 * versions involved in a rollback, …). Free-form by design — each event type adds what it knows — but
 * bounded: at most 100 named fields of finite, NUL-free JSON.
 */
export const deploymentEventDataSchema = z
  .record(nameString, boundedJson({ maxDepth: 6, maxEntries: 1000 }))
  .refine((data) => Object.keys(data).length <= 100, 'at most 100 fields');
export type DeploymentEventData = z.infer<typeof deploymentEventDataSchema>;
