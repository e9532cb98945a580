import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { SearchSpace } from '@slipway/contracts';
import {
  GridExhaustedError,
  MAX_GRID_SIZE,
  TuningSpaceError,
  gridExhausted,
  gridPoints,
  gridSize,
  suggest,
  validateSpaceForSampler,
  type ParamValue,
  type SamplerConfig,
  type SearchSpaceInput,
  type TrialRecord,
} from '../index';

const mixed: SearchSpaceInput = {
  model: { type: 'categorical', choices: ['tree', 'nn-regression', 'knn'] },
  learningRate: { type: 'float', low: 1e-4, high: 1e-1, log: true, when: { param: 'model', in: ['nn-regression'] } },
  layers: { type: 'int', low: 1, high: 4, when: { param: 'model', in: ['nn-regression'] } },
  maxDepth: { type: 'int', low: 2, high: 20, step: 3, when: { param: 'model', in: ['tree'] } },
  k: { type: 'int', low: 1, high: 64, log: true, when: { param: 'model', in: ['knn'] } },
  dropout: { type: 'float', low: 0, high: 0.5, step: 0.1 },
  subsample: { type: 'float', low: 0.5, high: 1 },
};

function complete(number: number, params: Record<string, ParamValue>, value: number): TrialRecord {
  return { number, params, state: 'COMPLETE', value, intermediate: [] };
}

function checkPoint(space: SearchSpaceInput, params: Record<string, ParamValue>): void {
  for (const [name, dim] of Object.entries(space)) {
    const parent = dim.when ? params[dim.when.param] : undefined;
    const active = !dim.when || (dim.when.param in params && dim.when.in.includes(parent as ParamValue));
    expect([name, name in params]).toEqual([name, active]);
    if (!active) continue;
    const value = params[name];
    if (dim.type === 'categorical') {
      expect(dim.choices).toContain(value);
      continue;
    }
    expect(typeof value).toBe('number');
    const v = value as number;
    expect(v).toBeGreaterThanOrEqual(dim.low);
    expect(v).toBeLessThanOrEqual(dim.high);
    if (dim.type === 'int') expect(Number.isInteger(v)).toBe(true);
    if (dim.step !== undefined) {
      const k = (v - dim.low) / dim.step;
      expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-9);
    }
  }
  for (const name of Object.keys(params)) expect(Object.keys(space)).toContain(name);
}

describe('random sampler', () => {
  it('keeps every value inside its bounds, integral, on its step grid, and only active parameters present', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 10_000 }), (seed, number) => {
        checkPoint(mixed, suggest({ space: mixed, history: [], direction: 'minimize', seed, number, sampler: { kind: 'random' } }));
      }),
      { numRuns: 300 },
    );
  });

  it('draws log dimensions uniformly in log space', () => {
    const space: SearchSpaceInput = { lr: { type: 'float', low: 1e-6, high: 1, log: true } };
    const logs = Array.from({ length: 4000 }, (_, number) =>
      Math.log10(suggest({ space, history: [], direction: 'minimize', seed: 7, number, sampler: { kind: 'random' } }).lr as number),
    );
    // Each decade of the six holds about a sixth of the draws (a uniform draw in the original scale would put 90% in the last).
    const decades = [0, 0, 0, 0, 0, 0];
    for (const l of logs) decades[Math.min(5, Math.floor(l + 6))]++;
    for (const count of decades) expect(Math.abs(count / logs.length - 1 / 6)).toBeLessThan(0.03);
  });

  it('reaches both ends of int, stepped and log-int dimensions', () => {
    const space: SearchSpaceInput = {
      a: { type: 'int', low: 3, high: 5 },
      b: { type: 'float', low: 0, high: 1, step: 0.25 },
      c: { type: 'int', low: 1, high: 4, log: true },
    };
    const seen = { a: new Set<ParamValue>(), b: new Set<ParamValue>(), c: new Set<ParamValue>() };
    for (let number = 0; number < 400; number++) {
      const p = suggest({ space, history: [], direction: 'minimize', seed: 1, number, sampler: { kind: 'random' } });
      seen.a.add(p.a);
      seen.b.add(p.b);
      seen.c.add(p.c);
    }
    expect([...seen.a].sort()).toEqual([3, 4, 5]);
    expect([...seen.b].sort()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect([...seen.c].sort()).toEqual([1, 2, 3, 4]);
  });

  it('is a pure function of (seed, number) and differs across both', () => {
    const at = (seed: number, number: number) => suggest({ space: mixed, history: [], direction: 'minimize', seed, number, sampler: { kind: 'random' } });
    expect(at(42, 3)).toEqual(at(42, 3));
    expect(at(42, 3)).not.toEqual(at(42, 4));
    expect(at(42, 3)).not.toEqual(at(43, 3));
  });

  it('does not depend on the key order of the stored space', () => {
    const reversed = Object.fromEntries(Object.entries(mixed).reverse()) as SearchSpaceInput;
    for (let number = 0; number < 20; number++) {
      const input = { history: [], direction: 'minimize' as const, seed: 5, number, sampler: { kind: 'random' as const } };
      expect(suggest({ ...input, space: reversed })).toEqual(suggest({ ...input, space: mixed }));
    }
  });

  it('accepts the contract type and refuses malformed spaces with the field path', () => {
    const contractSpace: SearchSpace = { depth: { type: 'int', low: 1, high: 3, log: false } };
    expect(suggest({ space: contractSpace, history: [], direction: 'minimize', seed: 1, number: 0, sampler: { kind: 'random' } }).depth).toBeGreaterThanOrEqual(
      1,
    );
    expect(validateSpaceForSampler({ a: { type: 'float', low: 0, high: 1, log: true } }, 'random')).toEqual([
      { path: 'a.low', message: 'a log scale needs low > 0' },
    ]);
    expect(validateSpaceForSampler({ a: { type: 'float', low: 0, high: 1, when: { param: 'b', in: [1] } } }, 'tpe')).toEqual([
      { path: 'a.when.param', message: 'names no dimension of the space (b)' },
    ]);
    expect(
      validateSpaceForSampler({ b: { type: 'int', low: 0, high: 3 }, a: { type: 'float', low: 0, high: 1, when: { param: 'b', in: [1] } } }, 'tpe')[0].path,
    ).toBe('a.when.param');
    expect(
      validateSpaceForSampler(
        { b: { type: 'categorical', choices: ['x'] }, a: { type: 'float', low: 0, high: 1, when: { param: 'b', in: ['y'] } } },
        'random',
      )[0],
    ).toEqual({
      path: 'a.when.in',
      message: '"y" is not a choice of b',
    });
    const cycle: SearchSpaceInput = {
      a: { type: 'categorical', choices: [1, 2], when: { param: 'b', in: [1] } },
      b: { type: 'categorical', choices: [1, 2], when: { param: 'a', in: [1] } },
    };
    expect(validateSpaceForSampler(cycle, 'random')[0].message).toMatch(/cycle/);
    expect(() => suggest({ space: cycle, history: [], direction: 'minimize', seed: 1, number: 0, sampler: { kind: 'random' } })).toThrow(TuningSpaceError);
  });
});

describe('grid sampler', () => {
  const gridSpace: SearchSpaceInput = {
    model: { type: 'categorical', choices: ['tree', 'nn'] },
    depth: { type: 'int', low: 2, high: 6, step: 2, when: { param: 'model', in: ['tree'] } },
    lr: { type: 'float', low: 0.1, high: 0.3, step: 0.1, when: { param: 'model', in: ['nn'] } },
    bias: { type: 'categorical', choices: [true, false] },
  };

  it('counts every combination, conditional dimensions only under their parent', () => {
    // tree: 3 depths × 2 biases; nn: 3 rates × 2 biases.
    expect(gridSize(gridSpace)).toBe(12);
    expect(gridPoints(gridSpace)).toHaveLength(12);
    expect(gridSize({ a: { type: 'int', low: 1, high: 8, log: true }, b: { type: 'float', low: 2, high: 2 } })).toBe(8);
  });

  it('visits every point exactly once, then reports the grid exhausted', () => {
    const history: TrialRecord[] = [];
    for (let number = 0; number < 12; number++) {
      expect(gridExhausted(gridSpace, history)).toBe(false);
      const params = suggest({ space: gridSpace, history, direction: 'maximize', seed: 9, number, sampler: { kind: 'grid' } });
      checkPoint(gridSpace, params);
      history.push({ number, params, state: number % 3 === 0 ? 'FAILED' : 'RUNNING', value: null, intermediate: [] });
    }
    const keys = new Set(history.map((t) => JSON.stringify(Object.entries(t.params).sort())));
    expect(keys.size).toBe(12);
    expect(keys).toContain(
      JSON.stringify([
        ['bias', true],
        ['lr', 0.3],
        ['model', 'nn'],
      ]),
    );
    expect(gridExhausted(gridSpace, history)).toBe(true);
    expect(() => suggest({ space: gridSpace, history, direction: 'maximize', seed: 9, number: 12, sampler: { kind: 'grid' } })).toThrow(GridExhaustedError);
  });

  it('resumes: the next point depends only on the taken set, and the order on the seed', () => {
    const first = (seed: number, history: TrialRecord[]) =>
      suggest({ space: gridSpace, history, direction: 'maximize', seed, number: history.length, sampler: { kind: 'grid' } });
    const taken = [complete(0, first(3, []), 1)];
    expect(first(3, taken)).toEqual(first(3, [...taken]));
    expect(first(3, taken)).not.toEqual(taken[0].params);
    const orders = new Set([1, 2, 3, 4, 5, 6].map((seed) => JSON.stringify(first(seed, []))));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('refuses a float without a step and a grid over MAX_GRID_SIZE, naming the field', () => {
    const infinite: SearchSpaceInput = { a: { type: 'int', low: 0, high: 3 }, lr: { type: 'float', low: 0, high: 1 } };
    expect(() => gridSize(infinite)).toThrow(TuningSpaceError);
    expect(validateSpaceForSampler(infinite, 'grid')).toEqual([
      { path: 'lr.step', message: 'a float dimension needs a step for grid search (the grid would be infinite)' },
    ]);
    expect(validateSpaceForSampler(infinite, 'random')).toEqual([]);
    const huge: SearchSpaceInput = { a: { type: 'int', low: 0, high: 999 }, b: { type: 'int', low: 0, high: 999 } };
    expect(() => gridSize(huge)).toThrow(new RegExp(`more than ${MAX_GRID_SIZE}`));
    expect(validateSpaceForSampler(huge, 'grid')).toHaveLength(1);
    // One dimension past the cap is refused by arithmetic, naming it, without listing its billion values.
    expect(validateSpaceForSampler({ a: { type: 'int', low: 0, high: 3 }, fine: { type: 'float', low: 0, high: 1, step: 1e-9 } }, 'grid')).toEqual([
      { path: 'fine.step', message: `fine alone has 1000000001 grid values, more than ${MAX_GRID_SIZE}` },
    ]);
    expect(() => suggest({ space: huge, history: [], direction: 'minimize', seed: 1, number: 0, sampler: { kind: 'grid' } })).toThrow(TuningSpaceError);
  });
});

describe('determinism', () => {
  const samplers: SamplerConfig[] = [{ kind: 'random' }, { kind: 'tpe', startupTrials: 3 }, { kind: 'tpe', startupTrials: 3, multivariate: true }];
  it.each(samplers)('same inputs give the same suggestion (%j)', (sampler) => {
    const history: TrialRecord[] = [];
    for (let number = 0; number < 15; number++) {
      const params = suggest({ space: mixed, history, direction: 'minimize', seed: 11, number, sampler });
      expect(suggest({ space: mixed, history: structuredClone(history), direction: 'minimize', seed: 11, number, sampler })).toEqual(params);
      checkPoint(mixed, params);
      history.push(complete(number, params, (params.subsample as number) + (params.dropout as number)));
    }
  });
});
