import { describe, expect, it } from '@jest/globals';
import { LATENCY_BUCKETS_MS, rolloutPlanSchema, type BinnedCounts, type RolloutGates } from '@slipway/contracts';
import { expectNamed } from '@slipway/testing-matchers';
import { analyseStep, latencyQuantile, type StepWindow, type VersionTraffic } from '../rollout-analysis';

/** `n` requests all in the latency bucket whose upper bound is `boundMs`. */
function latencies(n: number, boundMs: number): number[] {
  const buckets = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  const i = LATENCY_BUCKETS_MS.indexOf(boundMs as (typeof LATENCY_BUCKETS_MS)[number]);
  buckets[i === -1 ? LATENCY_BUCKETS_MS.length : i] = n;
  return buckets;
}

const EDGES = [0, 1, 2, 3];
const hist = (counts: number[]): BinnedCounts => ({ kind: 'histogram', edges: EDGES, counts });

function traffic(over: Partial<VersionTraffic> = {}): VersionTraffic {
  return {
    requests: 1000,
    errors: 0,
    latencyBuckets: latencies(1000, 10),
    features: { x: hist([250, 250, 500]) },
    predictions: hist([300, 300, 400]),
    ...over,
  };
}

function win(over: Partial<StepWindow> = {}): StepWindow {
  return { canary: traffic(), stable: traffic(), canaryFeedback: { count: 50, mean: 0.8 }, canaryProfile: { x: hist([25, 25, 50]) }, ...over };
}

const plan = (gates: RolloutGates, minRequestsPerStep = 100) => rolloutPlanSchema.parse({ steps: [10, 50], intervalSeconds: 60, minRequestsPerStep, gates });

describe('latencyQuantile', () => {
  it('interpolates within the bucket holding the rank, as Prometheus does', () => {
    // 100 requests in (2, 5]: rank 99 is 99% of the way through that bucket.
    expect(latencyQuantile(latencies(100, 5), 0.99)).toBeCloseTo(2 + 3 * 0.99, 12);
    // The first bucket's lower bound is 0.
    expect(latencyQuantile(latencies(10, 0.5), 0.5)).toBeCloseTo(0.25, 12);
    // 98 fast, 2 slow: p99 falls in the slow bucket (rank 99 is the first of its two requests: halfway).
    const mixed = latencies(98, 1);
    mixed[LATENCY_BUCKETS_MS.indexOf(500)] = 2;
    expect(latencyQuantile(mixed, 0.99)).toBeCloseTo(200 + 300 * 0.5, 12);
    expect(latencyQuantile(mixed, 0.5)).toBeCloseTo(0.5 + 0.5 * (50 / 98), 12);
  });

  it('answers the largest finite bound for the +Inf bucket, null without requests', () => {
    expect(latencyQuantile(latencies(5, Infinity), 0.99)).toBe(10_000);
    expect(latencyQuantile(latencies(0, 1), 0.99)).toBeNull();
  });
});

describe('analyseStep', () => {
  it('passes with no gates once the canary has its minimum requests, and waits below it', () => {
    expect(analyseStep(win(), plan({}), 0)).toMatchObject({ verdict: 'pass', gates: [] });
    const few = analyseStep(win({ canary: traffic({ requests: 99, errors: 99 }) }), plan({ maxErrorRate: 0.01 }), 0);
    // 100% errors, but on too few requests: nothing is judged yet (the gate is still reported).
    expect(few).toMatchObject({ verdict: 'wait', canaryRequests: 99, minRequests: 100 });
    expect(few.gates[0]).toMatchObject({ gate: 'maxErrorRate', value: 1, passed: false });
    expect(few.reason).toContain('99 of 100 canary requests');
  });

  const cases: { name: string; gates: RolloutGates; good: Partial<StepWindow>; bad: Partial<StepWindow>; value: number }[] = [
    { name: 'maxErrorRate', gates: { maxErrorRate: 0.05 }, good: { canary: traffic({ errors: 50 }) }, bad: { canary: traffic({ errors: 51 }) }, value: 0.051 },
    {
      name: 'maxP99LatencyMs',
      gates: { maxP99LatencyMs: 20 },
      good: { canary: traffic({ latencyBuckets: latencies(1000, 20) }) },
      bad: { canary: traffic({ latencyBuckets: latencies(1000, 50) }) },
      value: 49.7,
    },
    {
      name: 'maxP99LatencyRatio',
      gates: { maxP99LatencyRatio: 1.5 },
      good: { canary: traffic({ latencyBuckets: latencies(1000, 10) }) },
      bad: { canary: traffic({ latencyBuckets: latencies(1000, 20) }) },
      // canary p99 in (10, 20]: 10 + 10·0.99 = 19.9, against stable's in (2, 5]: 2 + 3·0.99 = 4.97.
      value: 19.9 / 4.97,
    },
    {
      name: 'maxInputDrift',
      gates: { maxInputDrift: 0.1 },
      good: { canary: traffic({ features: { x: hist([260, 240, 500]) } }) },
      bad: { canary: traffic({ features: { x: hist([700, 200, 100]) } }) },
      // numpy: the same PSI definition over these proportions (no empty bins).
      value: 1.1182610802708717,
    },
    {
      name: 'maxPredictionDrift',
      gates: { maxPredictionDrift: 0.1 },
      good: { canary: traffic({ predictions: hist([310, 290, 400]) }) },
      bad: { canary: traffic({ predictions: hist([900, 50, 50]) }) },
      value: 1.8349117800958221,
    },
    {
      name: 'minFeedbackScore',
      gates: { minFeedbackScore: 0.7 },
      good: { canaryFeedback: { count: 3, mean: 0.7 } },
      bad: { canaryFeedback: { count: 3, mean: 0.69 } },
      value: 0.69,
    },
  ];

  it.each(cases)('$name: passes at or within its threshold, fails past it naming the gate with its numbers', ({ name, gates, good, bad, value }) => {
    const stable = name === 'maxP99LatencyRatio' ? { stable: traffic({ latencyBuckets: latencies(1000, 10) }) } : {};
    const stableFast = name === 'maxP99LatencyRatio' ? { stable: traffic({ latencyBuckets: latencies(1000, 5) }) } : {};
    const passed = analyseStep(win({ ...good, ...stable }), plan(gates), 1);
    expectNamed(passed.verdict, `${name} good`).toBe('pass');
    expectNamed(
      passed.gates.map((r) => r.gate),
      `${name} gates`,
    ).toEqual([name]);
    const failed = analyseStep(win({ ...bad, ...stableFast }), plan(gates), 1);
    expectNamed(failed.verdict, `${name} bad`).toBe('fail');
    expectNamed(failed.gates[0], `${name} result`).toMatchObject({ gate: name, passed: false, threshold: Object.values(gates)[0] });
    expectNamed(failed.gates[0].value, `${name} value`).toBeCloseTo(value, 4);
    expectNamed(failed.reason, `${name} reason`).toContain(`step 2/2 (50%) failed: ${name} `);
  });

  it('names the drifting feature and every feature PSI; ignores features without a reference', () => {
    const result = analyseStep(
      win({ canary: traffic({ features: { x: hist([700, 200, 100]), y: hist([1, 1, 1]) } }), canaryProfile: { x: hist([25, 25, 50]), y: hist([1, 1, 1]) } }),
      plan({ maxInputDrift: 0.2 }),
      0,
    );
    expect(result.gates[0].detail).toEqual({ feature: 'x', psi: { x: expect.any(Number), y: 0 } });
    const unknown = analyseStep(win({ canary: traffic({ features: { x: hist([25, 25, 50]), z: hist([9, 0, 0]) } }) }), plan({ maxInputDrift: 0.2 }), 0);
    expect(unknown.verdict).toBe('pass');
  });

  it('fails a drift gate that can never be measured (no training profile, no comparable inputs)', () => {
    const noProfile = analyseStep(win({ canaryProfile: null }), plan({ maxInputDrift: 0.2 }), 0);
    expect(noProfile).toMatchObject({ verdict: 'fail', gates: [{ gate: 'maxInputDrift', value: null, passed: false }] });
    expect(noProfile.reason).toContain('no training profile');
    const noInputs = analyseStep(win({ canary: traffic({ features: {} }) }), plan({ maxInputDrift: 0.2 }), 0);
    expect(noInputs.verdict).toBe('fail');
  });

  it('waits on what later traffic can still bring: no feedback yet, no stable latency, no predictions to compare', () => {
    expect(analyseStep(win({ canaryFeedback: null }), plan({ minFeedbackScore: 0.5 }), 0)).toMatchObject({
      verdict: 'wait',
      gates: [{ gate: 'minFeedbackScore', value: null, passed: null }],
    });
    expect(analyseStep(win({ stable: traffic({ requests: 0, latencyBuckets: latencies(0, 1) }) }), plan({ maxP99LatencyRatio: 2 }), 0).verdict).toBe('wait');
    expect(analyseStep(win({ canary: traffic({ predictions: null }) }), plan({ maxPredictionDrift: 0.2 }), 0).verdict).toBe('wait');
  });

  it('fails when any gate fails even while another waits; passes only when every gate passed', () => {
    const result = analyseStep(win({ canary: traffic({ errors: 500 }), canaryFeedback: null }), plan({ maxErrorRate: 0.1, minFeedbackScore: 0.5 }), 0);
    expect(result.verdict).toBe('fail');
    expect(result.reason).toBe('step 1/2 (10%) failed: maxErrorRate 0.5 (threshold 0.1)');
    const all = analyseStep(
      win(),
      plan({ maxErrorRate: 0.01, maxP99LatencyMs: 100, maxP99LatencyRatio: 1.1, maxInputDrift: 0.1, maxPredictionDrift: 0.1, minFeedbackScore: 0.5 }),
      0,
    );
    expect(all.verdict).toBe('pass');
    expect(all.gates.map((r) => r.passed)).toEqual([true, true, true, true, true, true]);
  });
});
