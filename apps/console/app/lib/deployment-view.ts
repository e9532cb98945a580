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

/**
 * What the deployment page polls: the deployment and the first page of its revisions and events (newest first),
 * with the cursors to the older ones. Traffic metrics are polled on their own, at their range's pace.
 */
export const deploymentPageSchema = z.object({
  deployment: deploymentSchema,
  revisions: z.array(deploymentRevisionSchema),
  revisionsNextCursor: z.string().nullable(),
  events: z.array(deploymentEventSchema),
  eventsNextCursor: z.string().nullable(),
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

// ─── metrics time range ───

/**
 * The time ranges the deployment page charts. Longer ranges are drawn in coarser steps (the API answers 10 s
 * windows: a day of them is 8,640 points per line) and polled less often, since one more 10 s window barely
 * moves a day-long chart.
 */
export const METRICS_RANGES = {
  '5m': { label: 'Last 5 min', seconds: 5 * 60, stepSeconds: 10, pollMs: 2000 },
  '15m': { label: 'Last 15 min', seconds: 15 * 60, stepSeconds: 10, pollMs: 2000 },
  '1h': { label: 'Last 1 h', seconds: 3600, stepSeconds: 30, pollMs: 5000 },
  '24h': { label: 'Last 24 h', seconds: 24 * 3600, stepSeconds: 600, pollMs: 30_000 },
} as const;
export type MetricsRange = keyof typeof METRICS_RANGES;
export const DEFAULT_METRICS_RANGE: MetricsRange = '15m';
export const metricsRangeSchema = z.enum(Object.keys(METRICS_RANGES) as [MetricsRange, ...MetricsRange[]]);

/** An unknown or absent `range` query value reads as the default, so an old or hand-edited URL still opens the page. */
export function metricsRangeOf(value: string | undefined): MetricsRange {
  const parsed = metricsRangeSchema.safeParse(value);
  return parsed.success ? parsed.data : DEFAULT_METRICS_RANGE;
}

/**
 * The `since` to ask the API for: the range back from now, moved forward to a step boundary so the first chart
 * step is whole, and never further back than the range. The API refuses a `since` more than 24 h before its own
 * clock, which runs a little later than ours by the time the request lands (and may be skewed): the longest
 * range keeps a minute in hand.
 */
export function metricsSince(range: MetricsRange, nowMs: number): string {
  const { seconds, stepSeconds } = METRICS_RANGES[range];
  const margin = range === '24h' ? 60_000 : 0;
  const stepMs = stepSeconds * 1000;
  return new Date(Math.ceil((nowMs - seconds * 1000 + margin) / stepMs) * stepMs).toISOString();
}

type MetricsView = z.infer<typeof deploymentMetricsSchema>;

/**
 * The API's 10 s windows summed into `stepSeconds` steps: requests add up, the request rate is over the step's
 * seconds (the step still filling at `until` over the seconds it has had), the error rate is errors over
 * requests, and p99 is the highest window p99 in the step (quantiles do not add up; the worst window is what a
 * gate on p99 would have caught). Totals and drift are over the whole range already and stay as they are.
 */
export function downsampleMetrics(metrics: MetricsView, stepSeconds: number): MetricsView {
  if (stepSeconds <= metrics.windowSeconds) return metrics;
  const stepMs = stepSeconds * 1000;
  const untilMs = Date.parse(metrics.until);
  const windowMs = metrics.windowSeconds * 1000;
  return {
    ...metrics,
    windowSeconds: stepSeconds,
    series: metrics.series.map((series) => {
      const steps = new Map<number, { requests: number; errors: number; p99: number | null }>();
      for (const point of series.points) {
        const start = Math.floor(Date.parse(point.at) / stepMs) * stepMs;
        const step = steps.get(start) ?? { requests: 0, errors: 0, p99: null };
        step.requests += point.requests;
        step.errors += point.errorRate === null ? 0 : Math.round(point.errorRate * point.requests);
        if (point.p99Ms !== null) step.p99 = step.p99 === null ? point.p99Ms : Math.max(step.p99, point.p99Ms);
        steps.set(start, step);
      }
      const points = [...steps.entries()]
        .sort(([a], [b]) => a - b)
        .map(([start, step]) => {
          const seconds = Math.max(windowMs, Math.min(stepMs, untilMs - start)) / 1000;
          return {
            at: new Date(start).toISOString(),
            requests: step.requests,
            requestRate: Number((step.requests / seconds).toPrecision(6)),
            errorRate: step.requests > 0 ? Number((step.errors / step.requests).toPrecision(6)) : null,
            p99Ms: step.p99,
          };
        });
      return { ...series, points };
    }),
  };
}

// ─── paging the revision history and the events ───

/**
 * The first page (polled, so it moves as new items arrive) and the older pages loaded on request, as one list
 * newest first. Items polled once are kept: when the first page moves on, what fell off its end is older than
 * its new end but newer than the first older page loaded, and would otherwise vanish from the middle.
 */
export function mergeNewestFirst<T>(lists: readonly (readonly T[])[], key: (item: T) => string, newer: (a: T, b: T) => number): T[] {
  const byKey = new Map<string, T>();
  // Later lists are older pages; the first sighting (the freshest poll) wins for an item that is in two.
  for (const list of lists) for (const item of list) if (!byKey.has(key(item))) byKey.set(key(item), item);
  return [...byKey.values()].sort(newer);
}

export const revisionKey = (r: { revision: number }) => String(r.revision);
export const newerRevision = (a: { revision: number }, b: { revision: number }) => b.revision - a.revision;
export const eventKey = (e: { id: string }) => e.id;
/** Event ids are bigint sequence values, as text: compare them as numbers (length first), not as strings. */
export const newerEvent = (a: { id: string }, b: { id: string }) => b.id.length - a.id.length || (a.id === b.id ? 0 : a.id < b.id ? 1 : -1);

// ─── settings (PATCH) ───

export interface DeploymentSettings {
  description: string;
  aliasPolicy: 'redeploy' | 'rollout';
  rolloutPlan: RolloutPlan | null;
}

export function settingsOf(deployment: { description: string; aliasPolicy: 'redeploy' | 'rollout'; rolloutPlan: RolloutPlan | null }): DeploymentSettings {
  return { description: deployment.description, aliasPolicy: deployment.aliasPolicy, rolloutPlan: deployment.rolloutPlan };
}

/** JSON with object keys sorted, so two plans with their gates in another order compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** The settings that differ between two readings (the names of DeploymentSettings' keys). */
export function changedSettings(a: DeploymentSettings, b: DeploymentSettings): (keyof DeploymentSettings)[] {
  return (['description', 'aliasPolicy', 'rolloutPlan'] as const).filter((k) => canonical(a[k]) !== canonical(b[k]));
}

/** A request field path as the form keys it: the API's `body.` prefix off, so its errors and the contract's land on one field. */
export function formField(path: string): string {
  return path.startsWith('body.') ? path.slice('body.'.length) : path;
}
