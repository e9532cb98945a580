import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { bestTrial, defaultGamma, defaultWeights, suggest, type ParamValue, type SamplerConfig, type SearchSpaceInput, type TrialRecord } from '../index';
import { rankTrials } from '../tpe/tpe-sampler';

function runStudy(space: SearchSpaceInput, f: (p: Record<string, ParamValue>) => number, sampler: SamplerConfig, seed: number, trials: number): TrialRecord[] {
  const history: TrialRecord[] = [];
  for (let number = 0; number < trials; number++) {
    const params = suggest({ space, history, direction: 'minimize', seed, number, sampler });
    history.push({ number, params, state: 'COMPLETE', value: f(params), intermediate: [] });
  }
  return history;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
}

const quadraticSpace: SearchSpaceInput = {
  x: { type: 'float', low: -5, high: 5 },
  y: { type: 'float', low: 0.01, high: 100, log: true },
  n: { type: 'int', low: 0, high: 20 },
};
const quadratic = (p: Record<string, ParamValue>) => ((p.x as number) - 1.3) ** 2 + (Math.log10(p.y as number) - 0.5) ** 2 + (((p.n as number) - 7) / 4) ** 2;

describe('TPE', () => {
  it('follows Optuna’s default γ and weights', () => {
    expect([0, 1, 10, 11, 100, 250, 1000].map(defaultGamma)).toEqual([0, 1, 1, 2, 10, 25, 25]);
    expect(Array.from(defaultWeights(3))).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w[0]).toBeCloseTo(1 / 30, 12);
    expect(w[4]).toBeCloseTo(1, 12);
    expect(Array.from(w.subarray(5))).toEqual(new Array(25).fill(1));
  });

  it.each([false, true])('beats random search on a quadratic over 50 trials across seeds (multivariate %s)', (multivariate) => {
    const tpe: number[] = [];
    const random: number[] = [];
    let wins = 0;
    for (let seed = 0; seed < 10; seed++) {
      const a = bestTrial(runStudy(quadraticSpace, quadratic, { kind: 'tpe', multivariate }, seed, 50), 'minimize')?.value as number;
      const b = bestTrial(runStudy(quadraticSpace, quadratic, { kind: 'random' }, seed, 50), 'minimize')?.value as number;
      tpe.push(a);
      random.push(b);
      if (a < b) wins++;
    }
    expect(wins).toBeGreaterThanOrEqual(8);
    expect(median(tpe)).toBeLessThan(median(random) / 2);
  });

  it('maximises as well as it minimises', () => {
    const history: TrialRecord[] = [];
    for (let number = 0; number < 40; number++) {
      const params = suggest({ space: quadraticSpace, history, direction: 'maximize', seed: 3, number, sampler: { kind: 'tpe' } });
      history.push({ number, params, state: 'COMPLETE', value: -quadratic(params), intermediate: [] });
    }
    const late = history.slice(30).map((t) => t.value as number);
    const early = history.slice(0, 10).map((t) => t.value as number);
    expect(median(late)).toBeGreaterThan(median(early));
  });

  it('with the constant liar, four suggestions made while the others are pending are distinct', () => {
    const space: SearchSpaceInput = { x: { type: 'int', low: 0, high: 9 }, c: { type: 'categorical', choices: ['a', 'b', 'c'] } };
    const f = (p: Record<string, ParamValue>) => ((p.x as number) - 3) ** 2 + (p.c === 'b' ? 0 : 2);
    let duplicatesWithoutLiar = 0;
    for (const seed of [0, 1, 2, 3, 4]) {
      const done = runStudy(space, f, { kind: 'tpe' }, seed, 20);
      const pending = (constantLiar: boolean) => {
        const history = [...done];
        for (let number = 20; number < 24; number++) {
          const params = suggest({ space, history, direction: 'minimize', seed, number, sampler: { kind: 'tpe', constantLiar } });
          history.push({ number, params, state: 'RUNNING', value: null, intermediate: [] });
        }
        return history.slice(20).map((t) => JSON.stringify(t.params));
      };
      expect(new Set(pending(true)).size).toBe(4);
      duplicatesWithoutLiar += 4 - new Set(pending(false)).size;
    }
    // The space is small and the optimum sharp: without the liar, parallel suggestions do collide.
    expect(duplicatesWithoutLiar).toBeGreaterThan(0);
  });

  it('ranks COMPLETE trials by value, PRUNED ones behind by step reached then last value, RUNNING (the liar) last, FAILED never', () => {
    const t = (number: number, state: TrialRecord['state'], value: number | null, steps: [number, number][] = []): TrialRecord => ({
      number,
      params: {},
      state,
      value,
      intermediate: steps.map(([step, v]) => ({ step, value: v })),
    });
    const history = [
      t(0, 'PRUNED', 0.1, [[1, 0.1]]),
      t(1, 'COMPLETE', 0.9),
      t(2, 'PRUNED', 0.5, [
        [1, 0.9],
        [3, 0.5],
      ]),
      t(3, 'RUNNING', null),
      t(4, 'COMPLETE', 0.2),
      t(5, 'FAILED', null),
      t(6, 'PRUNED', 0.3, [[3, 0.3]]),
      t(7, 'PRUNED', null),
      t(8, 'RUNNING', null),
    ];
    const input = { space: {}, history, direction: 'maximize' as const, seed: 0, number: 8, sampler: { kind: 'tpe' as const } };
    expect(rankTrials(history, input, true).map((s) => s.trial.number)).toEqual([1, 4, 2, 6, 0, 7, 3]);
    expect(rankTrials(history, { ...input, direction: 'minimize' }, false).map((s) => s.trial.number)).toEqual([4, 1, 6, 2, 0, 7]);
  });

  it('models a conditional parameter only from the trials where it was active', () => {
    const space: SearchSpaceInput = {
      model: { type: 'categorical', choices: ['tree', 'nn'] },
      lr: { type: 'float', low: 1e-5, high: 1, log: true, when: { param: 'model', in: ['nn'] } },
      depth: { type: 'int', low: 1, high: 30, when: { param: 'model', in: ['tree'] } },
    };
    // nn is better overall and best at lr = 1e-2; tree trials say nothing about lr.
    const f = (p: Record<string, ParamValue>) => (p.model === 'nn' ? Math.abs(Math.log10(p.lr as number) + 2) : 3 + Math.abs((p.depth as number) - 10) / 10);
    const history = runStudy(space, f, { kind: 'tpe' }, 5, 60);
    for (const trial of history) expect('lr' in trial.params).toBe(trial.params.model === 'nn');
    const lateNn = history.slice(40).filter((t) => t.params.model === 'nn');
    expect(lateNn.length).toBeGreaterThan(12);
    expect(median(lateNn.map((t) => Math.abs(Math.log10(t.params.lr as number) + 2)))).toBeLessThan(0.6);
  });

  it('keeps suggestions inside bounds and on step grids for arbitrary histories', () => {
    const space: SearchSpaceInput = {
      a: { type: 'float', low: -1, high: 1, step: 0.25 },
      b: { type: 'int', low: 1, high: 1000, log: true },
      c: { type: 'int', low: -10, high: 10, step: 5 },
      d: { type: 'categorical', choices: [null, 1, 'one', true] },
      e: { type: 'float', low: 1e-3, high: 1e3, log: true, when: { param: 'd', in: [1, true] } },
    };
    const trialArb = fc.record({
      a: fc.integer({ min: 0, max: 8 }).map((k) => -1 + k * 0.25),
      b: fc.integer({ min: 1, max: 1000 }),
      c: fc.constantFrom(-10, -5, 0, 5, 10),
      d: fc.constantFrom<ParamValue>(null, 1, 'one', true),
      e: fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
      value: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      state: fc.constantFrom<TrialRecord['state']>('COMPLETE', 'COMPLETE', 'PRUNED', 'RUNNING', 'FAILED'),
    });
    fc.assert(
      fc.property(fc.array(trialArb, { minLength: 0, maxLength: 40 }), fc.integer({ min: 0, max: 1000 }), fc.boolean(), (rows, seed, multivariate) => {
        const history: TrialRecord[] = rows.map(({ value, state, e, ...params }, number) => ({
          number,
          params: params.d === 1 || params.d === true ? { ...params, e } : params,
          state,
          value: state === 'COMPLETE' || state === 'PRUNED' ? value : null,
          intermediate: state === 'PRUNED' ? [{ step: number % 5, value }] : [],
        }));
        const p = suggest({ space, history, direction: 'minimize', seed, number: history.length, sampler: { kind: 'tpe', startupTrials: 3, multivariate } });
        expect(((p.a as number) + 1) / 0.25).toBeCloseTo(Math.round(((p.a as number) + 1) / 0.25), 9);
        expect(Math.abs(p.a as number)).toBeLessThanOrEqual(1);
        expect(Number.isInteger(p.b) && (p.b as number) >= 1 && (p.b as number) <= 1000).toBe(true);
        expect([-10, -5, 0, 5, 10]).toContain(p.c);
        expect([null, 1, 'one', true]).toContain(p.d);
        expect('e' in p).toBe(p.d === 1 || p.d === true);
        if ('e' in p) expect((p.e as number) >= 1e-3 && (p.e as number) <= 1e3).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
