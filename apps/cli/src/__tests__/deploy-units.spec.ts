import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { deploymentSchema, rolloutPlanSchema, type DeploymentView } from '@slipway/contracts';
import { DeploymentConflictError } from '@slipway/client';
import { conflictText, rolloutText, trafficLines, trafficText } from '../commands/deploy.command';
import { predictionTable } from '../commands/predict.command';
import { buildRolloutPlan, firstJsonErrorOffset, jsonErrorAt, parsePercent, parseRows, parseShadowPercent, parseSteps, parseSticky } from '../deploy-arguments';

const dir = mkdtempSync(join(tmpdir(), 'slipway-deploy-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('--sticky', () => {
  it('reads header:<name> and field:<name> into the API’s sticky key', () => {
    expect(parseSticky('header:x-user')).toEqual({ header: 'x-user' });
    expect(parseSticky('field:customer_id')).toEqual({ field: 'customer_id' });
    // Only the first colon separates: a field name may hold one.
    expect(parseSticky('field:a:b')).toEqual({ field: 'a:b' });
  });

  it('refuses other kinds, empty names and names the API would refuse, saying what is expected', () => {
    expect(() => parseSticky('cookie:x')).toThrow('expected header:<name> or field:<name>, got "cookie:x"');
    expect(() => parseSticky('header:')).toThrow('expected header:<name> or field:<name>');
    expect(() => parseSticky('x-user')).toThrow('expected header:<name> or field:<name>');
    expect(() => parseSticky('header:X-User')).toThrow('header "X-User": a lower-case HTTP header name');
    expect(() => parseSticky('field:a\u0000b')).toThrow('field "a\u0000b": ');
  });
});

describe('percents and steps', () => {
  it('takes whole percents in range only', () => {
    expect(parsePercent('10')).toBe(10);
    for (const bad of ['0', '100', '10.5', '1e1', '-5', ' 10', ''])
      expect(() => parsePercent(bad)).toThrow(`expected a whole percent from 1 to 99, got "${bad}"`);
    expect(parseShadowPercent('100')).toBe(100);
    expect(() => parseShadowPercent('101')).toThrow('from 1 to 100');
  });

  it('reads increasing steps and names the step that is wrong', () => {
    expect(parseSteps('10,25,50,100')).toEqual([10, 25, 50, 100]);
    expect(parseSteps(' 5 , 50 ')).toEqual([5, 50]);
    expect(() => parseSteps('10,x,50')).toThrow('step "x" is not a whole percent from 1 to 100');
    expect(() => parseSteps('10,101')).toThrow('step "101"');
    expect(() => parseSteps('50,25')).toThrow('steps must increase, got 50,25');
    expect(() => parseSteps('10,10')).toThrow('steps must increase');
  });
});

describe('rollout plans from --plan files and flags', () => {
  it('builds the plan from flags alone, with the API’s defaults filled in', async () => {
    const plan = await buildRolloutPlan({ steps: [10, 25, 50, 100], interval: 60, minRequests: 100, maxErrorRate: 0.01, maxP99Ms: 50, maxP99Ratio: 1.5 });
    expect(plan).toEqual({
      steps: [10, 25, 50, 100],
      intervalSeconds: 60,
      minRequestsPerStep: 100,
      gates: { maxErrorRate: 0.01, maxP99LatencyMs: 50, maxP99LatencyRatio: 1.5 },
    });
    expect(rolloutPlanSchema.parse(plan)).toEqual(plan);
    expect(await buildRolloutPlan({ steps: [20], interval: 5 })).toEqual({ steps: [20], intervalSeconds: 5, minRequestsPerStep: 100, gates: {} });
    // Nothing said: the deployment's own plan applies.
    expect(await buildRolloutPlan({})).toBeUndefined();
  });

  it('reads YAML and JSON plan files; flags win field by field and gate by gate', async () => {
    const yaml = file(
      'plan.yaml',
      ['steps: [10, 50]', 'intervalSeconds: 30', 'minRequestsPerStep: 5', 'gates:', '  maxErrorRate: 0.05', '  maxInputDrift: 0.2'].join('\n'),
    );
    expect(await buildRolloutPlan({ plan: yaml })).toEqual({
      steps: [10, 50],
      intervalSeconds: 30,
      minRequestsPerStep: 5,
      gates: { maxErrorRate: 0.05, maxInputDrift: 0.2 },
    });
    expect(await buildRolloutPlan({ plan: yaml, interval: 90, maxErrorRate: 0.01, maxPredictionDrift: 0.3 })).toEqual({
      steps: [10, 50],
      intervalSeconds: 90,
      minRequestsPerStep: 5,
      gates: { maxErrorRate: 0.01, maxInputDrift: 0.2, maxPredictionDrift: 0.3 },
    });
    const json = file('plan.json', JSON.stringify({ steps: [25, 100], intervalSeconds: 10 }));
    expect(await buildRolloutPlan({ plan: json, minFeedback: 0.7 })).toEqual({
      steps: [25, 100],
      intervalSeconds: 10,
      minRequestsPerStep: 100,
      gates: { minFeedbackScore: 0.7 },
    });
  });

  it('names what is missing or wrong: the flag, the field in the file, or the line and column of a broken file', async () => {
    await expect(buildRolloutPlan({ interval: 60 })).rejects.toThrow('the rollout plan needs --steps (or steps in --plan)');
    await expect(buildRolloutPlan({ steps: [10] })).rejects.toThrow('the rollout plan needs --interval (or intervalSeconds in --plan)');
    await expect(buildRolloutPlan({ steps: [10], interval: 60, maxErrorRate: 2 })).rejects.toThrow(/^rollout plan: gates\.maxErrorRate: /);
    const decreasing = file('decreasing.yaml', 'steps: [50, 10]\nintervalSeconds: 60\n');
    await expect(buildRolloutPlan({ plan: decreasing })).rejects.toThrow(`--plan ${decreasing}: steps: steps must increase`);
    const unknownGate = file('unknown.yaml', 'steps: [10]\nintervalSeconds: 60\ngates:\n  maxLatency: 3\n');
    await expect(buildRolloutPlan({ plan: unknownGate })).rejects.toThrow(`--plan ${unknownGate}: gates: `);
    const brokenYaml = file('broken.yaml', 'steps: [10, 50\nintervalSeconds: 60\n');
    await expect(buildRolloutPlan({ plan: brokenYaml })).rejects.toThrow(new RegExp(`--plan ${brokenYaml}: not valid YAML: .*line \\d+, column \\d+`));
    const brokenJson = file('broken.json', '{\n  "steps": [10],\n  "intervalSeconds": ,\n}');
    await expect(buildRolloutPlan({ plan: brokenJson })).rejects.toThrow(`--plan ${brokenJson}: not valid JSON: line 3 column 22`);
    await expect(buildRolloutPlan({ plan: join(dir, 'absent.yaml') })).rejects.toThrow('absent.yaml: no such file');
    const list = file('list.yaml', '- 10\n- 20\n');
    await expect(buildRolloutPlan({ plan: list })).rejects.toThrow('expected an object (steps, intervalSeconds, gates, …)');
  });
});

describe('predict rows', () => {
  it('takes an array of rows or the request body, and says where a broken file breaks', () => {
    expect(parseRows('[[5.1, 3.5, 1.4, 0.2], {"sepal_length": 6}]', 'rows.json')).toEqual([[5.1, 3.5, 1.4, 0.2], { sepal_length: 6 }]);
    expect(parseRows('{"inputs": [[1, 2]]}', 'rows.json')).toEqual([[1, 2]]);
    expect(() => parseRows('[]', 'rows.json')).toThrow('-f rows.json: no rows');
    expect(() => parseRows('{"rows": []}', 'rows.json')).toThrow('-f rows.json: expected a JSON array of rows or { "inputs": [...] }');
    expect(() => parseRows('[\n  [1, 2],\n  [3, ]\n]', 'stdin')).toThrow('-f stdin: not valid JSON: line 3 column 7');
  });

  it('turns a position into a line and column', () => {
    expect(jsonErrorAt('ab\ncd', 'Unexpected token in JSON at position 4')).toBe('line 2 column 2: Unexpected token');
    // Without a stated position the text is scanned for it.
    expect(jsonErrorAt('{"a": 1,\n "b": tru}', 'Unexpected token')).toBe('line 2 column 10: Unexpected token');
    expect(jsonErrorAt('[1, 2', 'Unexpected end of JSON input')).toBe('line 1 column 6: Unexpected end of JSON input');
    for (const valid of ['[1, -2.5e3, "a\\u00e9\\n", true, false, null, {"k": []}]', ' {} ']) expect(firstJsonErrorOffset(valid)).toBeUndefined();
    expect(firstJsonErrorOffset('[01]')).toBe(2);
    expect(firstJsonErrorOffset('["a\tb"]')).toBe(3);
  });

  it('prints one line per row with the probability of each label', () => {
    const table = predictionTable({
      deployment: 'flowers',
      revision: 2,
      model: 'iris',
      version: 3,
      role: 'canary',
      predictions: ['setosa', 'virginica'],
      probabilities: {
        labels: ['setosa', 'virginica'],
        values: [
          [0.9, 0.1],
          [0.25, 0.75],
        ],
      },
      requestId: 'r',
    });
    expect(table.split('\n')).toEqual(['ROW  PREDICTION  P(setosa)  P(virginica)', '0    setosa      0.9        0.1', '1    virginica   0.25       0.75', '']);
  });
});

const revision = (over: Partial<DeploymentView['revision']> = {}): DeploymentView['revision'] => ({
  revision: 4,
  action: 'GRAY_START',
  stable: { versionId: '6f1c1c9e-1a7e-4f43-9d56-2f3f0e1c1a01', version: 1 },
  canary: { versionId: '6f1c1c9e-1a7e-4f43-9d56-2f3f0e1c1a02', version: 2, percent: 10, sticky: { header: 'x-user' } },
  shadow: null,
  rolloutPlan: { steps: [10, 50], intervalSeconds: 60, minRequestsPerStep: 100, gates: { maxErrorRate: 0.01, maxP99LatencyRatio: 1.5 } },
  rolloutStep: 0,
  reason: 'try v2',
  createdBy: 'alice',
  createdAt: '2026-12-01T20:58:00.000Z',
  ...over,
});
const deployment = (over: Partial<DeploymentView> = {}): DeploymentView =>
  deploymentSchema.parse({
    id: '6f1c1c9e-1a7e-4f43-9d56-2f3f0e1c1a09',
    name: 'scorer',
    description: '',
    model: 'fraud',
    status: 'ROLLING_OUT',
    trackedAlias: null,
    aliasPolicy: 'redeploy',
    rolloutPlan: null,
    currentRevision: 4,
    revision: revision(),
    rollout: { step: 0, steps: [10, 50], stepStartedAt: '2026-12-01T20:58:00.000Z', nextAnalysisAt: '2026-12-01T20:59:00.000Z' },
    createdBy: 'bob',
    createdAt: '2026-12-01T20:00:00.000Z',
    updatedAt: '2026-12-01T20:58:00.000Z',
    ...over,
  });

describe('status text', () => {
  it('shows the traffic split, sticky key and shadow', () => {
    expect(trafficText(revision())).toBe('v1 90% stable | v2 10% canary (sticky header:x-user)');
    expect(trafficText(revision({ canary: null, shadow: { versionId: '6f1c1c9e-1a7e-4f43-9d56-2f3f0e1c1a03', version: 3, percent: 50 } }))).toBe(
      'v1 100% stable; shadow v3 gets a copy of 50%',
    );
  });

  it('shows the rollout step among the steps, its gates and the next analysis', () => {
    expect(rolloutText(deployment())).toBe(
      'rollout step 1/2: [10%] → 50% → promote; step since 2026-12-01 20:58, next analysis 2026-12-01T20:59:00.000Z; gates: error rate ≤ 0.01, p99 ≤ 1.5× stable; at least 100 canary requests a step, every 60 s',
    );
    expect(rolloutText(deployment({ status: 'ACTIVE', rollout: null }))).toBeNull();
  });

  it('sums up each version’s counted traffic, leaving out versions without requests', () => {
    const totals = (requests: number, errorRate: number | null, p99Ms: number | null) => ({ requests, errors: 0, errorRate, p99Ms });
    const series = (version: number | null, role: 'stable' | 'canary' | 'shadow', t: ReturnType<typeof totals>) => ({
      versionId: '6f1c1c9e-1a7e-4f43-9d56-2f3f0e1c1a01',
      version,
      role,
      windows: [],
      totals: t,
      drift: [],
    });
    const lines = trafficLines({
      deployment: 'scorer',
      windowSeconds: 10,
      since: '2026-12-01T20:45:00.000Z',
      until: '2026-12-01T21:00:00.000Z',
      series: [series(1, 'stable', totals(1200, 0.00125, 3.25)), series(2, 'canary', totals(130, 0, 12.3456)), series(3, 'shadow', totals(0, null, null))],
    } as never);
    expect(lines).toEqual(['v1 stable: 1200 requests, 0.125% errors, p99 3.25 ms', 'v2 canary: 130 requests, 0% errors, p99 12.3 ms']);
  });

  it('says who changed a deployment meanwhile and what it serves now', () => {
    const conflict = new DeploymentConflictError('stale', deployment());
    expect(conflictText(conflict).split('\n')).toEqual([
      'changed meanwhile by alice: now revision 4 (GRAY_START by alice, 2026-12-01 20:58): try v2',
      'traffic: v1 90% stable | v2 10% canary (sticky header:x-user)',
      expect.stringMatching(/^rollout step 1\/2/),
    ]);
  });
});
