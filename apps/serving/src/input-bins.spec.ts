import { describe, expect, it } from '@jest/globals';
import { LATENCY_BUCKETS_MS, type BinnedCounts } from '@slipway/contracts';
import type { DeploymentMetricsDelta, UnitOfWork } from '@slipway/db';
import pino from 'pino';
import { addBins, bump, bumpNumber, emptyBins, histogramBin, IMAGE_INTENSITY_EDGES, OTHER_CATEGORY, type Binner } from './input-bins';
import { latencyBucket, TrafficMetrics } from './traffic-metrics';

const EDGES = [0, 1, 2, 4] as const;
const histogram: Binner = { kind: 'histogram', edges: EDGES };
const counts = (bins: BinnedCounts) => (bins.kind === 'histogram' ? bins.counts : Object.values(bins.counts));

describe('histogram bins', () => {
  it('puts a value on an inner edge in the bin that edge opens, the last edge in the last bin', () => {
    expect(histogramBin(EDGES, 0)).toBe(0);
    expect(histogramBin(EDGES, 1)).toBe(1);
    expect(histogramBin(EDGES, 2)).toBe(2);
    expect(histogramBin(EDGES, 4)).toBe(2);
    expect(histogramBin(EDGES, 1 - 2 ** -53)).toBe(0); // the double just below 1
    expect(histogramBin(EDGES, 1 + 2 ** -52)).toBe(1);
  });

  it('puts values outside the edges (however large) in the first or last bin, and counts no NaN or ±Infinity', () => {
    expect(histogramBin(EDGES, -1e308)).toBe(0);
    expect(histogramBin(EDGES, -0)).toBe(0);
    expect(histogramBin(EDGES, 1.7976931348623157e308)).toBe(2);
    expect(histogramBin(EDGES, Number.MIN_VALUE)).toBe(0);
    for (const x of [Number.NaN, Infinity, -Infinity]) expect(histogramBin(EDGES, x)).toBe(-1);
    const bins = emptyBins(histogram);
    for (const x of [Number.NaN, Infinity, -Infinity, 3, 1e300]) bumpNumber(bins, x);
    expect(counts(bins)).toEqual([0, 0, 2]);
  });

  it('works on two edges (one bin) and on edges with a repeated value', () => {
    expect(histogramBin([5, 5], 5)).toBe(0);
    expect(histogramBin([5, 5], -3)).toBe(0);
    expect(histogramBin([0, 1, 1, 2], 1)).toBe(2);
  });

  it('counts request values: numbers, numeric text and booleans; missing values not at all', () => {
    const bins = emptyBins(histogram);
    for (const value of [0.5, '1.5', true, false, null, undefined, '', 'wide', '1e999']) bump(histogram, bins, value);
    // 0.5 and false → bin 0; '1.5' and true (1) → bin 1; 'wide' and '1e999' (Infinity) are not numbers.
    expect(counts(bins)).toEqual([2, 2, 0]);
  });

  it('starts empty (every bin 0, its own copy of the edges) and adds windows of the same edges', () => {
    const a = emptyBins(histogram);
    const b = emptyBins(histogram);
    expect(a).toEqual({ kind: 'histogram', edges: [...EDGES], counts: [0, 0, 0] });
    bumpNumber(a, 0.5);
    bumpNumber(b, 3);
    expect(addBins(a, b)).toEqual({ kind: 'histogram', edges: [...EDGES], counts: [1, 0, 1] });
    expect(addBins(undefined, b)).toBe(b);
    // Different edge counts (a new version's profile) cannot be added up.
    expect(addBins(a, { kind: 'histogram', edges: [0, 1], counts: [1] })).toBeNull();
    expect(addBins(a, { kind: 'categories', counts: { x: 1 } })).toBeNull();
  });

  it('spans the image pixel range 0..256 in 64 bins of 4 for image mean intensities', () => {
    expect(IMAGE_INTENSITY_EDGES).toHaveLength(65);
    expect(histogramBin(IMAGE_INTENSITY_EDGES, 0)).toBe(0);
    expect(histogramBin(IMAGE_INTENSITY_EDGES, 4)).toBe(1);
    expect(histogramBin(IMAGE_INTENSITY_EDGES, 255)).toBe(63);
    expect(histogramBin(IMAGE_INTENSITY_EDGES, 256)).toBe(63);
  });
});

describe('category bins', () => {
  const categories: Binner = { kind: 'categories', known: new Set(['red', 'blue', '1']) };
  it('counts known values under themselves (numbers by their text) and the rest under __other__', () => {
    const bins = emptyBins(categories);
    for (const value of ['red', 'red', 'blue', 'green', 1, true, null, '']) bump(categories, bins, value);
    expect(bins).toEqual({ kind: 'categories', counts: { red: 2, blue: 1, [OTHER_CATEGORY]: 2, '1': 1 } });
    expect(addBins(bins, { kind: 'categories', counts: { red: 1, yellow: 4 } })).toEqual({
      kind: 'categories',
      counts: { red: 3, blue: 1, [OTHER_CATEGORY]: 2, '1': 1, yellow: 4 },
    });
  });
});

describe('latency buckets', () => {
  it('puts a latency on a bucket bound in that bucket (Prometheus le), beyond the last in +Inf, and NaN in +Inf', () => {
    LATENCY_BUCKETS_MS.forEach((bound, i) => expect(latencyBucket(bound)).toBe(i));
    expect(latencyBucket(-1)).toBe(0);
    expect(latencyBucket(Number.MAX_VALUE)).toBe(LATENCY_BUCKETS_MS.length);
    expect(latencyBucket(Number.NaN)).toBe(LATENCY_BUCKETS_MS.length);
  });
});

describe('traffic windows', () => {
  const WINDOW = 10_000;
  function metrics(clock: { now: number }, add: (batch: DeploymentMetricsDelta[]) => Promise<void>) {
    const uow = { read: { deploymentMetrics: { add } } } as unknown as UnitOfWork;
    return new TrafficMetrics(uow, pino({ level: 'silent' }), 60_000, () => clock.now);
  }

  it('writes nothing for an empty window, and cuts windows at the boundary (the boundary opens the next one)', async () => {
    const clock = { now: 5 * WINDOW + 9_999 };
    const written: DeploymentMetricsDelta[][] = [];
    const traffic = metrics(clock, async (batch) => void written.push(batch.map((d) => structuredClone(d))));
    await traffic.flush();
    expect(written).toEqual([]);
    traffic.record('d', 'dep', 'v', 1, 'stable', 0.7, false);
    clock.now = 6 * WINDOW;
    traffic.record('d', 'dep', 'v', 1, 'stable', 3, true);
    traffic.record('d', 'dep', 'v', 1, 'stable', 3, false);
    await traffic.flush();
    expect(written).toHaveLength(1);
    const byWindow = written[0].map((d) => [d.windowStart.getTime(), d.requests, d.errors, d.latencyBuckets.reduce((a, b) => a + b, 0)]);
    expect(byWindow).toEqual([
      [5 * WINDOW, 1, 0, 1],
      [6 * WINDOW, 2, 1, 2],
    ]);
    expect(written[0][0].latencyBuckets[latencyBucket(0.7)]).toBe(1);
    expect(written[0][1].latencySumMs).toBe(6);
    // Nothing new: the next flush writes nothing, and counting resumes into a fresh delta of the same window.
    await traffic.flush();
    expect(written).toHaveLength(1);
    traffic.record('d', 'dep', 'v', 1, 'stable', 1, false);
    await traffic.flush();
    expect(written[1].map((d) => [d.windowStart.getTime(), d.requests])).toEqual([[6 * WINDOW, 1]]);
  });

  it('keeps a failed flush for the next one, added to what was counted meanwhile in the same window', async () => {
    const clock = { now: 7 * WINDOW + 1 };
    let fail = true;
    const written: DeploymentMetricsDelta[][] = [];
    const traffic = metrics(clock, async (batch) => {
      if (fail) throw new Error('database down');
      written.push(batch.map((d) => structuredClone(d)));
    });
    const tally = (value: number) => (bins: { features: Record<string, BinnedCounts> }) => bumpNumber((bins.features.x ??= emptyBins(histogram)), value);
    traffic.record('d', 'dep', 'v', 1, 'canary', 1, false, tally(0.5));
    await traffic.flush();
    traffic.record('d', 'dep', 'v', 1, 'canary', 1, false, tally(3));
    fail = false;
    await traffic.flush();
    expect(written).toHaveLength(1);
    expect(written[0]).toHaveLength(1);
    expect(written[0][0]).toMatchObject({ role: 'canary', requests: 2, features: { x: { kind: 'histogram', counts: [1, 0, 1] } } });
  });

  it('counts each (deployment, version, role) apart', async () => {
    const clock = { now: WINDOW };
    const written: DeploymentMetricsDelta[][] = [];
    const traffic = metrics(clock, async (batch) => void written.push(batch));
    traffic.record('d', 'dep', 'v1', 1, 'stable', 1, false);
    traffic.record('d', 'dep', 'v2', 2, 'canary', 1, false);
    traffic.record('d', 'dep', 'v2', 2, 'shadow', 1, false);
    traffic.record('d', 'dep', 'v2', 2, 'shadow', 1, false);
    await traffic.flush();
    expect(written[0].map((d) => [d.versionId, d.role, d.requests])).toEqual([
      ['v1', 'stable', 1],
      ['v2', 'canary', 1],
      ['v2', 'shadow', 2],
    ]);
    const exposed = await traffic.registry.getSingleMetricAsString('slipway_serving_requests_total');
    expect(exposed).toContain('slipway_serving_requests_total{deployment="dep",version="2",role="shadow"} 2');
  });
});
