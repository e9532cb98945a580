import { z } from 'zod';
import { boundedJson, finiteNumber, nameString } from '../common/primitives';

/**
 * The gates a rollout step must pass (Flagger's and Argo Rollouts' analysis, made model-aware), each compared
 * between the canary and the stable version over the step's window. Absent gates are not checked.
 */
export const rolloutGatesSchema = z
  .object({
    /** Largest share of failed requests on the canary, 0..1. */
    maxErrorRate: finiteNumber.min(0).max(1).optional(),
    /** Largest canary p99 latency, absolute. */
    maxP99LatencyMs: finiteNumber.gt(0).max(3_600_000).optional(),
    /** Largest canary p99 relative to the stable version's p99 over the same window (1.5 = 50% slower). */
    maxP99LatencyRatio: finiteNumber.gt(0).max(1000).optional(),
    /** Largest PSI of any input feature of the canary's traffic against the canary version's training profile. */
    maxInputDrift: finiteNumber.min(0).max(1_000_000).optional(),
    /** Largest PSI of the canary's predictions against the stable version's predictions over the window. */
    maxPredictionDrift: finiteNumber.min(0).max(1_000_000).optional(),
    /** Smallest mean of a business metric posted back as feedback for canary predictions (higher is better). */
    minFeedbackScore: finiteNumber.optional(),
  })
  .strict();
export type RolloutGates = z.infer<typeof rolloutGatesSchema>;

/**
 * deployment_revisions.rollout_plan: canary traffic steps in percent (increasing; the step after the last
 * promotes), the wait between analyses, how many canary requests a step needs before it can pass, and gates.
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
    /** A step with fewer canary requests than this in its window neither passes nor fails: it waits another interval. */
    minRequestsPerStep: z.number().int().min(0).max(100_000_000).default(100),
    gates: rolloutGatesSchema.default({}),
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
