import { LATENCY_BUCKETS_MS, type BinnedCounts, type RolloutGates, type RolloutPlan } from '@slipway/contracts';
import { psi } from './drift';

/** One version's traffic over a step's window, summed over the serving replicas' windows. */
export interface VersionTraffic {
  requests: number;
  errors: number;
  /** Counts per LATENCY_BUCKETS_MS bucket, the +Inf bucket last. */
  latencyBuckets: readonly number[];
  /** Per input feature, binned with the canary version's training profile edges. */
  features: Readonly<Record<string, BinnedCounts>>;
  predictions: BinnedCounts | null;
}

export interface StepWindow {
  canary: VersionTraffic;
  stable: VersionTraffic;
  /** Feedback posted for canary predictions in the window: how many values and their mean (null when none). */
  canaryFeedback: { count: number; mean: number } | null;
  /** The canary version's training profile as reference bins per feature (profileBins); null when it has none. */
  canaryProfile: Readonly<Record<string, BinnedCounts>> | null;
}

export type GateName = keyof RolloutGates;

export interface GateResult {
  gate: GateName;
  /** What was measured; null when it could not be (the reason says why). */
  value: number | null;
  threshold: number;
  /** Null: not measurable yet (no stable traffic for a ratio, no feedback posted) — the step waits. */
  passed: boolean | null;
  /** For drift: the feature with the largest PSI, and every feature's PSI. */
  detail?: Record<string, unknown>;
  note?: string;
}

export type StepVerdict = 'pass' | 'fail' | 'wait';

export interface StepAnalysis {
  verdict: StepVerdict;
  gates: GateResult[];
  reason: string;
  canaryRequests: number;
  minRequests: number;
}

/**
 * The q-quantile (0..1) of a latency histogram, as Prometheus' histogram_quantile computes it: find the bucket
 * holding the q·total-th request and interpolate linearly between its lower and upper bound (0 for the first
 * bucket), assuming requests spread evenly within a bucket. A quantile in the +Inf bucket answers the largest
 * finite bound (the histogram cannot say more): a gate above LATENCY_BUCKETS_MS' last bound never fires.
 * Null without requests.
 */
export function latencyQuantile(buckets: readonly number[], q: number, bounds: readonly number[] = LATENCY_BUCKETS_MS): number | null {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < buckets.length; i++) {
    const upToHere = below + buckets[i];
    if (upToHere >= rank && buckets[i] > 0) {
      if (i >= bounds.length) return bounds[bounds.length - 1];
      const lower = i === 0 ? 0 : bounds[i - 1];
      return lower + (bounds[i] - lower) * ((rank - below) / buckets[i]);
    }
    below = upToHere;
  }
  return bounds[bounds.length - 1];
}

const round = (x: number) => Number(x.toPrecision(6));

function gate(name: GateName, value: number | null, threshold: number, passes: (v: number) => boolean, extra: Partial<GateResult> = {}): GateResult {
  return { gate: name, value: value === null ? null : round(value), threshold, passed: value === null ? null : passes(value), ...extra };
}

/** The most features whose PSI a gate result lists (largest first), so an event stays small on wide models. */
export const DRIFT_DETAIL_FEATURES = 20;

/** Largest PSI over the features of `actual` that have a comparable reference; null when none does. */
function worstDrift(reference: Readonly<Record<string, BinnedCounts>>, actual: Readonly<Record<string, BinnedCounts>>) {
  const measured: { feature: string; psi: number }[] = [];
  for (const [feature, counts] of Object.entries(actual)) {
    const expected = reference[feature];
    const value = expected ? psi(expected, counts) : null;
    if (value !== null) measured.push({ feature, psi: value });
  }
  measured.sort((a, b) => b.psi - a.psi || (a.feature < b.feature ? -1 : 1));
  const perFeature = Object.fromEntries(measured.slice(0, DRIFT_DETAIL_FEATURES).map((m) => [m.feature, round(m.psi)]));
  return { worst: measured[0] ?? null, perFeature };
}

/**
 * Decides one rollout step from its window. Order: too few canary requests → wait (nothing is judged on a
 * handful of requests, however bad they look); any gate failed → fail; any gate not measurable yet → wait;
 * otherwise pass. Gates absent from the plan are not checked. A drift gate on a canary whose version has no
 * training profile, or whose traffic has no binned inputs or predictions, fails: it could never pass, and
 * waiting forever would hold the rollout at a partial split.
 */
export function analyseStep(window: StepWindow, plan: RolloutPlan, step: number): StepAnalysis {
  const g = plan.gates;
  const { canary, stable } = window;
  const minRequests = plan.minRequestsPerStep;
  const gates: GateResult[] = [];

  if (g.maxErrorRate !== undefined) {
    gates.push(gate('maxErrorRate', canary.requests > 0 ? canary.errors / canary.requests : null, g.maxErrorRate, (v) => v <= (g.maxErrorRate as number)));
  }
  const canaryP99 = latencyQuantile(canary.latencyBuckets, 0.99);
  if (g.maxP99LatencyMs !== undefined) {
    gates.push(gate('maxP99LatencyMs', canaryP99, g.maxP99LatencyMs, (v) => v <= (g.maxP99LatencyMs as number)));
  }
  if (g.maxP99LatencyRatio !== undefined) {
    const stableP99 = latencyQuantile(stable.latencyBuckets, 0.99);
    const ratio = canaryP99 !== null && stableP99 !== null && stableP99 > 0 ? canaryP99 / stableP99 : null;
    gates.push(
      gate('maxP99LatencyRatio', ratio, g.maxP99LatencyRatio, (v) => v <= (g.maxP99LatencyRatio as number), {
        detail: { canaryP99Ms: canaryP99 === null ? null : round(canaryP99), stableP99Ms: stableP99 === null ? null : round(stableP99) },
        ...(ratio === null ? { note: 'no stable latency in the window to compare with' } : {}),
      }),
    );
  }
  if (g.maxInputDrift !== undefined) {
    const threshold = g.maxInputDrift;
    if (!window.canaryProfile) {
      gates.push({
        gate: 'maxInputDrift',
        value: null,
        threshold,
        passed: false,
        note: 'the canary version has no training profile to compare its inputs with',
      });
    } else {
      const { worst, perFeature } = worstDrift(window.canaryProfile, canary.features);
      gates.push(
        worst
          ? gate('maxInputDrift', worst.psi, threshold, (v) => v <= threshold, { detail: { feature: worst.feature, psi: perFeature } })
          : {
              gate: 'maxInputDrift',
              value: null,
              threshold,
              passed: false,
              note: 'no input feature of the canary traffic could be compared with the training profile',
            },
      );
    }
  }
  if (g.maxPredictionDrift !== undefined) {
    const threshold = g.maxPredictionDrift;
    const value = canary.predictions && stable.predictions ? psi(stable.predictions, canary.predictions) : null;
    gates.push(
      value !== null
        ? gate('maxPredictionDrift', value, threshold, (v) => v <= threshold)
        : { gate: 'maxPredictionDrift', value: null, threshold, passed: null, note: 'no comparable predictions of both versions in the window yet' },
    );
  }
  if (g.minFeedbackScore !== undefined) {
    const threshold = g.minFeedbackScore;
    const fb = window.canaryFeedback;
    gates.push(
      gate('minFeedbackScore', fb ? fb.mean : null, threshold, (v) => v >= threshold, {
        detail: { feedbackCount: fb?.count ?? 0 },
        ...(fb ? {} : { note: 'no feedback posted for canary predictions yet' }),
      }),
    );
  }

  const at = `step ${step + 1}/${plan.steps.length} (${plan.steps[step]}%)`;
  if (canary.requests < minRequests) {
    return {
      verdict: 'wait',
      gates,
      canaryRequests: canary.requests,
      minRequests,
      reason: `${at}: ${canary.requests} of ${minRequests} canary requests so far`,
    };
  }
  const failed = gates.filter((r) => r.passed === false);
  if (failed.length > 0) {
    const why = failed.map((r) => (r.value === null ? `${r.gate}: ${r.note}` : `${r.gate} ${r.value} (threshold ${r.threshold})`)).join('; ');
    return { verdict: 'fail', gates, canaryRequests: canary.requests, minRequests, reason: `${at} failed: ${why}` };
  }
  const pending = gates.filter((r) => r.passed === null);
  if (pending.length > 0) {
    return {
      verdict: 'wait',
      gates,
      canaryRequests: canary.requests,
      minRequests,
      reason: `${at}: waiting on ${pending.map((r) => `${r.gate} (${r.note})`).join('; ')}`,
    };
  }
  return {
    verdict: 'pass',
    gates,
    canaryRequests: canary.requests,
    minRequests,
    reason: `${at} passed${gates.length ? `: ${gates.map((r) => `${r.gate} ${r.value}`).join(', ')}` : ' (no gates)'}`,
  };
}
