import {
  deploymentEventSchema,
  deploymentMetricsSchema,
  deploymentRevisionSchema,
  deploymentSchema,
  type DeploymentRevisionView,
  type RolloutGates,
  type RolloutPlan,
} from '@slipway/contracts';
import { z } from 'zod';

/** What the deployment page shows and polls: the deployment, its newest revisions and events (newest first). */
export const deploymentPageSchema = z.object({
  deployment: deploymentSchema,
  revisions: z.array(deploymentRevisionSchema),
  events: z.array(deploymentEventSchema),
  /** The last 15 minutes of traffic per version and role; null when the metrics could not be read (the page still works). */
  metrics: deploymentMetricsSchema.nullable(),
  metricsFailure: z.string().nullable(),
});
export type DeploymentPage = z.infer<typeof deploymentPageSchema>;

export interface TrafficShare {
  role: 'stable' | 'canary';
  version: number;
  percent: number;
}

/** How a revision splits answered traffic: the canary's percent, the rest to stable (shadow answers nothing). */
export function trafficSplit(revision: DeploymentRevisionView): TrafficShare[] {
  const canary = revision.canary;
  if (!canary) return [{ role: 'stable', version: revision.stable.version, percent: 100 }];
  return [
    { role: 'stable', version: revision.stable.version, percent: 100 - canary.percent },
    { role: 'canary', version: canary.version, percent: canary.percent },
  ];
}

/** Seconds until `at`, never negative (an analysis that is due but not yet run shows 0). */
export function secondsUntil(at: string, nowMs: number): number {
  return Math.max(0, Math.ceil((Date.parse(at) - nowMs) / 1000));
}

/** The rollout plan as the form edits it: text, so a half-typed number is kept until it is sent and checked. */
export interface PlanDraft {
  steps: string;
  intervalSeconds: string;
  minRequestsPerStep: string;
  gates: Record<keyof RolloutGates, string>;
}

export const GATE_FIELDS: { key: keyof RolloutGates; label: string; hint: string }[] = [
  { key: 'maxErrorRate', label: 'Max error rate', hint: '0..1, share of failed canary requests' },
  { key: 'maxP99LatencyMs', label: 'Max p99 latency (ms)', hint: 'canary p99, absolute' },
  { key: 'maxP99LatencyRatio', label: 'Max p99 ratio to stable', hint: '1.5 = 50% slower than stable' },
  { key: 'maxInputDrift', label: 'Max input drift (PSI)', hint: 'any feature vs the training profile' },
  { key: 'maxPredictionDrift', label: 'Max prediction drift (PSI)', hint: 'canary vs stable predictions' },
  { key: 'minFeedbackScore', label: 'Min feedback score', hint: 'mean business metric posted back' },
];

export const defaultPlanDraft: PlanDraft = {
  steps: '10, 50',
  intervalSeconds: '60',
  minRequestsPerStep: '100',
  gates: { maxErrorRate: '0.05', maxP99LatencyMs: '', maxP99LatencyRatio: '', maxInputDrift: '', maxPredictionDrift: '', minFeedbackScore: '' },
};

export function draftOfPlan(plan: RolloutPlan | null): PlanDraft {
  if (!plan) return defaultPlanDraft;
  const gates = { ...defaultPlanDraft.gates };
  for (const { key } of GATE_FIELDS) gates[key] = plan.gates[key] === undefined ? '' : String(plan.gates[key]);
  return { steps: plan.steps.join(', '), intervalSeconds: String(plan.intervalSeconds), minRequestsPerStep: String(plan.minRequestsPerStep), gates };
}

/** Numbers as typed (a blank gate is left out; text that is not a number is sent as is, so the contract names it). */
function numberOrText(value: string): number | string {
  const n = Number(value.trim());
  return value.trim() !== '' && Number.isFinite(n) ? n : value;
}

export function planOfDraft(draft: PlanDraft): unknown {
  const gates: Record<string, number | string> = {};
  for (const { key } of GATE_FIELDS) if (draft.gates[key].trim() !== '') gates[key] = numberOrText(draft.gates[key]);
  return {
    steps: draft.steps
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map(numberOrText),
    intervalSeconds: numberOrText(draft.intervalSeconds),
    minRequestsPerStep: numberOrText(draft.minRequestsPerStep),
    gates,
  };
}
