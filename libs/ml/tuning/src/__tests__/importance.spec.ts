import { describe, expect, it } from '@jest/globals';
import { parameterImportance, Rng, type ParamValue, type SearchSpaceInput, type TrialRecord } from '../index';

const space: SearchSpaceInput = {
  lr: { type: 'float', low: 1e-4, high: 1, log: true },
  depth: { type: 'int', low: 1, high: 10 },
  noise: { type: 'float', low: 0, high: 1 },
  kind: { type: 'categorical', choices: ['a', 'b', 'c'] },
};

function history(f: (p: Record<string, number | string>) => number, n: number, seed = 1): TrialRecord[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, number) => {
    const params = { lr: 10 ** rng.uniform(-4, 0), depth: 1 + rng.int(10), noise: rng.next(), kind: ['a', 'b', 'c'][rng.int(3)] };
    return { number, params, state: 'COMPLETE' as const, value: f(params), intermediate: [] };
  });
}

describe('parameterImportance', () => {
  it('puts the dominant parameter first, shares summing to 1', () => {
    // log10(lr) spans 4 units and dominates; depth matters a little; noise and kind not at all.
    const result = parameterImportance({
      space,
      history: history((p) => Math.log10(p.lr as number) ** 2 + 0.3 * (p.depth as number), 200),
      direction: 'minimize',
      seed: 0,
    });
    expect(result.map((r) => r.param)).toEqual(['lr', 'depth', expect.any(String), expect.any(String)]);
    expect(result[0].importance).toBeGreaterThan(0.8);
    expect(result[1].importance).toBeGreaterThan(result[2].importance);
    expect(result.reduce((s, r) => s + r.importance, 0)).toBeCloseTo(1, 10);
    for (let i = 1; i < result.length; i++) expect(result[i - 1].importance).toBeGreaterThanOrEqual(result[i].importance);
  });

  it('finds a categorical effect and is deterministic for a seed', () => {
    const f = (p: Record<string, number | string>) => ({ a: 0, b: 5, c: -5 })[p.kind as 'a'] + 0.1 * (p.noise as number);
    const input = { space, history: history(f, 120), direction: 'maximize' as const, seed: 4 };
    const result = parameterImportance(input);
    expect(result[0].param).toBe('kind');
    expect(result[0].importance).toBeGreaterThan(0.9);
    expect(parameterImportance(input)).toEqual(result);
  });

  it('weighs a conditional parameter by where it is active, and ignores unfinished trials', () => {
    const conditional: SearchSpaceInput = {
      model: { type: 'categorical', choices: ['nn', 'tree'] },
      lr: { type: 'float', low: 0, high: 1, when: { param: 'model', in: ['nn'] } },
      depth: { type: 'int', low: 1, high: 5, when: { param: 'model', in: ['tree'] } },
    };
    const rng = new Rng(9);
    const trials: TrialRecord[] = Array.from({ length: 150 }, (_, number) => {
      const params: Record<string, ParamValue> = rng.next() < 0.5 ? { model: 'nn', lr: rng.next() } : { model: 'tree', depth: 1 + rng.int(5) };
      const value = params.model === 'nn' ? 10 * (params.lr as number) : 0.01 * (params.depth as number);
      return { number, params, state: number % 10 === 9 ? 'FAILED' : 'COMPLETE', value: number % 10 === 9 ? null : value, intermediate: [] };
    });
    const result = parameterImportance({ space: conditional, history: trials, direction: 'minimize', seed: 0 });
    expect(result[0].param).toBe('lr');
    expect(result.find((r) => r.param === 'depth')?.importance).toBeLessThan(0.05);
  });

  it('is empty with fewer than 2 complete trials or a constant objective', () => {
    expect(parameterImportance({ space, history: history(() => 1, 1), direction: 'minimize', seed: 0 })).toEqual([]);
    expect(parameterImportance({ space, history: history(() => 1, 50), direction: 'minimize', seed: 0 })).toEqual([]);
    const running = history((p) => p.noise as number, 10).map((t) => ({ ...t, state: 'RUNNING' as const, value: null }));
    expect(parameterImportance({ space, history: running, direction: 'minimize', seed: 0 })).toEqual([]);
  });
});
