import { describe, expect, it } from '@jest/globals';
import { deploymentMetricsQuerySchema, deploymentMetricsSchema, MAX_METRICS_RANGE_SECONDS, type DeploymentMetricsView } from '@slipway/contracts';
import {
  changedSettings,
  downsampleMetrics,
  eventKey,
  formField,
  mergeNewestFirst,
  metricsRangeOf,
  metricsSince,
  newerEvent,
  newerRevision,
  revisionKey,
  type DeploymentSettings,
} from '../deployment-view';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

function metrics(points: DeploymentMetricsView['series'][number]['points'], until = at(600)): DeploymentMetricsView {
  return {
    deployment: 'scorer',
    windowSeconds: 10,
    since: at(0),
    until,
    series: [
      {
        versionId: '00000000-0000-4000-8000-000000000001',
        version: 1,
        role: 'stable',
        points,
        totals: { requests: 0, errors: 0, errorRate: null, p99Ms: null },
        drift: [{ feature: 'x', psi: 0.2 }],
      },
    ],
  };
}

describe('metrics range', () => {
  it('asks for a since the API accepts for every range, on a step boundary, never further back than the range', () => {
    const now = Date.parse('2026-12-01T12:34:56.789Z');
    for (const range of ['5m', '15m', '1h', '24h'] as const) {
      const since = metricsSince(range, now);
      expect(deploymentMetricsQuerySchema.parse({ since }).since).toBe(since);
      expect(Date.parse(since)).toBeGreaterThan(now - MAX_METRICS_RANGE_SECONDS * 1000);
    }
    expect(metricsSince('5m', now)).toBe('2026-12-01T12:30:00.000Z');
    expect(metricsSince('1h', now)).toBe('2026-12-01T11:35:00.000Z');
    // A day back, a minute in hand for the API's later clock, rounded forward to the 10-minute step.
    expect(metricsSince('24h', now)).toBe('2026-11-30T12:40:00.000Z');
  });

  it('reads an unknown range from the URL as the default', () => {
    expect(metricsRangeOf('24h')).toBe('24h');
    expect(metricsRangeOf('7d')).toBe('15m');
    expect(metricsRangeOf(undefined)).toBe('15m');
  });

  it('sums 10 s windows into steps: requests add, rate over the step, errors over requests, p99 the worst window', () => {
    const input = metrics(
      [
        { at: at(0), requests: 10, requestRate: 1, errorRate: 0.1, p99Ms: 20 },
        { at: at(10), requests: 30, requestRate: 3, errorRate: 0, p99Ms: 35 },
        { at: at(20), requests: 0, requestRate: 0, errorRate: null, p99Ms: null },
        { at: at(60), requests: 5, requestRate: 0.5, errorRate: 0.4, p99Ms: 12 },
      ],
      at(75),
    );
    const out = downsampleMetrics(input, 60);
    expect(deploymentMetricsSchema.parse(out)).toEqual(out);
    expect(out.windowSeconds).toBe(60);
    expect(out.series[0].points).toEqual([
      { at: at(0), requests: 40, requestRate: Number((40 / 60).toPrecision(6)), errorRate: 0.025, p99Ms: 35 },
      // The step still filling at `until` (15 s of it so far): its rate is over those seconds.
      { at: at(60), requests: 5, requestRate: Number((5 / 15).toPrecision(6)), errorRate: 0.4, p99Ms: 12 },
    ]);
    expect(out.series[0].drift).toEqual(input.series[0].drift);
    expect(out.series[0].totals).toEqual(input.series[0].totals);
  });

  it('leaves 10 s windows as they are when the step is no coarser', () => {
    const input = metrics([{ at: at(0), requests: 1, requestRate: 0.1, errorRate: 0, p99Ms: 3 }]);
    expect(downsampleMetrics(input, 10)).toBe(input);
  });
});

describe('paging newest first', () => {
  it('merges the polled first page with older pages, each item once, the freshest copy winning', () => {
    const first = [
      { revision: 7, v: 'new' },
      { revision: 6, v: 'new' },
    ];
    const kept = [
      { revision: 6, v: 'old' },
      { revision: 5, v: 'old' },
    ];
    const older = [
      { revision: 4, v: 'old' },
      { revision: 3, v: 'old' },
    ];
    expect(mergeNewestFirst([first, kept, older], revisionKey, newerRevision)).toEqual([
      { revision: 7, v: 'new' },
      { revision: 6, v: 'new' },
      { revision: 5, v: 'old' },
      { revision: 4, v: 'old' },
      { revision: 3, v: 'old' },
    ]);
  });

  it('orders event ids as the bigints they are, not as text', () => {
    const events = [{ id: '9' }, { id: '100' }, { id: '10' }, { id: '99' }];
    expect(mergeNewestFirst([events], eventKey, newerEvent).map((e) => e.id)).toEqual(['100', '99', '10', '9']);
  });
});

describe('settings and fields', () => {
  const plan = { steps: [10, 50], intervalSeconds: 60, minRequestsPerStep: 100, gates: { maxErrorRate: 0.05, maxP99LatencyMs: 200 } };
  const base: DeploymentSettings = { description: 'scores', aliasPolicy: 'redeploy', rolloutPlan: plan };

  it('names the settings that differ; a plan with its gates in another order is the same plan', () => {
    const reordered = { ...base, rolloutPlan: { ...plan, gates: { maxP99LatencyMs: 200, maxErrorRate: 0.05 } } };
    expect(changedSettings(base, reordered)).toEqual([]);
    expect(changedSettings(base, { ...base, description: 'other', rolloutPlan: null })).toEqual(['description', 'rolloutPlan']);
    expect(changedSettings(base, { ...base, aliasPolicy: 'rollout' })).toEqual(['aliasPolicy']);
  });

  it("puts the API's body.* field names and the contract's on the same form field", () => {
    expect(formField('body.sticky.header')).toBe('sticky.header');
    expect(formField('sticky.header')).toBe('sticky.header');
    expect(formField('params.name')).toBe('params.name');
  });
});
