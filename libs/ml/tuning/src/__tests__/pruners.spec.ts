import { describe, expect, it } from '@jest/globals';
import { tuningEarlyStoppingSchema } from '@slipway/contracts';
import { bestTrial, shouldPrune, type Direction, type TrialRecord } from '../index';

function trial(number: number, values: [number, number][], state: TrialRecord['state'] = 'COMPLETE'): TrialRecord {
  const intermediate = values.map(([step, value]) => ({ step, value }));
  const last = intermediate[intermediate.length - 1];
  return { number, params: {}, state, value: state === 'RUNNING' ? null : (last?.value ?? null), intermediate };
}

// Six completed trials with values at step 2: 0.90 0.92 0.93 0.93 0.95 0.97 → median 0.93.
const completed = [0.9, 0.92, 0.93, 0.93, 0.95, 0.97].map((v, i) =>
  trial(
    i,
    [
      [0, v - 0.2],
      [1, v - 0.1],
      [2, v],
      [3, v + 0.01],
    ],
    'COMPLETE',
  ),
);

describe('median rule', () => {
  const rule = { rule: 'median' as const, warmupSteps: 0, minTrials: 5 };
  const running = (values: [number, number][]) => trial(10, values, 'RUNNING');

  it('prunes a trial whose best value so far is worse than the median at its step, naming the numbers', () => {
    expect(
      shouldPrune({
        rule,
        direction: 'maximize',
        trial: running([
          [0, 0.5],
          [1, 0.7],
          [2, 0.81],
        ]),
        history: completed,
      }),
    ).toEqual({
      prune: true,
      reason: 'median rule: best value so far 0.81 at step 2 is worse than the median 0.93 of 6 completed trials at that step',
    });
  });

  it('keeps a trial at or above the median, and judges it by its best value so far', () => {
    expect(
      shouldPrune({
        rule,
        direction: 'maximize',
        trial: running([
          [0, 0.5],
          [1, 0.7],
          [2, 0.93],
        ]),
        history: completed,
      }),
    ).toEqual({ prune: false });
    // 0.81 now, but 0.95 at step 1: Optuna's MedianPruner compares the best intermediate value so far.
    expect(
      shouldPrune({
        rule,
        direction: 'maximize',
        trial: running([
          [1, 0.95],
          [2, 0.81],
        ]),
        history: completed,
      }),
    ).toEqual({ prune: false });
  });

  it('mirrors for minimisation', () => {
    const losses = completed.map((t) => ({ ...t, intermediate: t.intermediate.map((p) => ({ step: p.step, value: -p.value })) }));
    const decision = shouldPrune({ rule, direction: 'minimize', trial: running([[2, -0.81]]), history: losses });
    expect(decision).toEqual({ prune: true, reason: 'median rule: -0.81 at step 2 is worse than the median -0.93 of 6 completed trials at that step' });
    expect(shouldPrune({ rule, direction: 'minimize', trial: running([[2, -0.95]]), history: losses })).toEqual({ prune: false });
  });

  it('waits for the warm-up steps and for minTrials completed trials that reported that step', () => {
    const bad = running([
      [0, 0.1],
      [1, 0.1],
      [2, 0.1],
    ]);
    expect(shouldPrune({ rule: { ...rule, warmupSteps: 3 }, direction: 'maximize', trial: bad, history: completed })).toEqual({ prune: false });
    expect(shouldPrune({ rule: { ...rule, warmupSteps: 2 }, direction: 'maximize', trial: bad, history: completed }).prune).toBe(true);
    expect(shouldPrune({ rule: { ...rule, minTrials: 7 }, direction: 'maximize', trial: bad, history: completed })).toEqual({ prune: false });
    // Running, pruned and failed trials do not count towards the median.
    const others = completed.slice(0, 4).concat(completed.slice(4).map((t) => ({ ...t, state: 'PRUNED' as const })));
    expect(shouldPrune({ rule, direction: 'maximize', trial: bad, history: others })).toEqual({ prune: false });
    // A step no completed trial reported gives no comparison set.
    expect(shouldPrune({ rule, direction: 'maximize', trial: running([[7, 0.1]]), history: completed })).toEqual({ prune: false });
  });

  it('takes the contract’s parsed rule with its defaults (warm-up 0, 5 trials, every step)', () => {
    const parsed = tuningEarlyStoppingSchema.parse({ rule: 'median' });
    expect(
      shouldPrune({
        rule: parsed,
        direction: 'maximize',
        trial: running([
          [0, 0.5],
          [1, 0.7],
          [2, 0.81],
        ]),
        history: completed,
      }).prune,
    ).toBe(true);
    expect(shouldPrune({ rule: parsed, direction: 'maximize', trial: running([[2, 0.81]]), history: completed.slice(0, 4) })).toEqual({ prune: false });
    const halving = tuningEarlyStoppingSchema.parse({ rule: 'successive-halving' });
    // minResource 1, reduction factor 3: at rung 0 (step 1) 4 values compete (0.83 0.82 0.8 0.1), only the best goes on.
    expect(shouldPrune({ rule: halving, direction: 'maximize', trial: running([[1, 0.1]]), history: completed.slice(0, 3) })).toEqual({
      prune: true,
      reason: 'successive halving: 0.1 at step 1 (rung 0, step 1) is not in the top 1 of 4 trials at that rung (reduction factor 3, cut-off 0.83)',
    });
  });

  it('judges only the first report at or after each interval checkpoint', () => {
    const every2 = { ...rule, warmupSteps: 1, intervalSteps: 2 };
    // Checkpoints 1, 3, 5: step 2 after step 1 is between checkpoints.
    expect(
      shouldPrune({
        rule: every2,
        direction: 'maximize',
        trial: running([
          [1, 0.1],
          [2, 0.1],
        ]),
        history: completed,
      }),
    ).toEqual({ prune: false });
    expect(
      shouldPrune({
        rule: every2,
        direction: 'maximize',
        trial: running([
          [1, 0.1],
          [2, 0.1],
          [3, 0.1],
        ]),
        history: completed,
      }).prune,
    ).toBe(true);
    // Reporting step 2 first: it is the first report at or after checkpoint 1.
    expect(shouldPrune({ rule: every2, direction: 'maximize', trial: running([[2, 0.1]]), history: completed }).prune).toBe(true);
    expect(shouldPrune({ rule, direction: 'maximize', trial: running([]), history: completed })).toEqual({ prune: false });
  });
});

describe('successive halving', () => {
  // minResource 1, reduction factor 3: rungs at steps 1, 3, 9.
  const rule = { rule: 'successive-halving' as const, minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 0 };
  const others = [0.9, 0.8, 0.7, 0.6, 0.4].map((v, i) =>
    trial(
      i,
      [
        [1, v],
        [3, v + 0.05],
      ],
      i === 4 ? 'PRUNED' : 'COMPLETE',
    ),
  );

  it('keeps a trial only in the top 1/reductionFactor at its rung', () => {
    // 6 values at rung 0 (0.9 0.8 0.7 0.6 0.5 0.4): the top 2 go on, the cut-off is 0.8.
    expect(shouldPrune({ rule, direction: 'maximize', trial: trial(9, [[1, 0.5]], 'RUNNING'), history: others })).toEqual({
      prune: true,
      reason: 'successive halving: 0.5 at step 1 (rung 0, step 1) is not in the top 2 of 6 trials at that rung (reduction factor 3, cut-off 0.8)',
    });
    expect(shouldPrune({ rule, direction: 'maximize', trial: trial(9, [[1, 0.8]], 'RUNNING'), history: others })).toEqual({ prune: false });
    expect(shouldPrune({ rule, direction: 'minimize', trial: trial(9, [[1, 0.5]], 'RUNNING'), history: others })).toEqual({ prune: false });
    expect(shouldPrune({ rule, direction: 'minimize', trial: trial(9, [[1, 0.65]], 'RUNNING'), history: others }).prune).toBe(true);
  });

  it('only decides when a report crosses a rung', () => {
    expect(
      shouldPrune({
        rule,
        direction: 'maximize',
        trial: trial(
          9,
          [
            [1, 0.95],
            [2, 0.01],
          ],
          'RUNNING',
        ),
        history: others,
      }),
    ).toEqual({ prune: false });
    // Jumping from step 1 to 4 crosses rung 1 (step 3), where the others recorded 0.95 … 0.45.
    const decision = shouldPrune({
      rule,
      direction: 'maximize',
      trial: trial(
        9,
        [
          [1, 0.95],
          [4, 0.8],
        ],
        'RUNNING',
      ),
      history: others,
    });
    expect(decision).toEqual({
      prune: true,
      reason: 'successive halving: 0.8 at step 4 (rung 1, step 3) is not in the top 2 of 6 trials at that rung (reduction factor 3, cut-off 0.85)',
    });
    expect(
      shouldPrune({ rule: { ...rule, minEarlyStoppingRate: 1 }, direction: 'maximize', trial: trial(9, [[1, 0.01]], 'RUNNING'), history: others }),
    ).toEqual({ prune: false });
  });

  it('promotes only the best while fewer than reductionFactor trials reached the rung', () => {
    const two = others.slice(0, 2);
    expect(shouldPrune({ rule, direction: 'maximize', trial: trial(9, [[1, 0.95]], 'RUNNING'), history: two })).toEqual({ prune: false });
    expect(shouldPrune({ rule, direction: 'maximize', trial: trial(9, [[1, 0.85]], 'RUNNING'), history: two }).prune).toBe(true);
    expect(shouldPrune({ rule, direction: 'maximize', trial: trial(9, [[1, 0.1]], 'RUNNING'), history: [] })).toEqual({ prune: false });
  });
});

describe('bestTrial', () => {
  const history: TrialRecord[] = [
    { number: 0, params: {}, state: 'COMPLETE', value: 0.5, intermediate: [] },
    { number: 1, params: {}, state: 'PRUNED', value: 0.99, intermediate: [{ step: 1, value: 0.99 }] },
    { number: 2, params: {}, state: 'COMPLETE', value: 0.8, intermediate: [] },
    { number: 3, params: {}, state: 'COMPLETE', value: 0.8, intermediate: [] },
    { number: 4, params: {}, state: 'FAILED', value: null, intermediate: [] },
  ];
  it.each<[Direction, number | null]>([
    ['maximize', 2],
    ['minimize', 0],
  ])('%s: COMPLETE trials only, ties to the lower number', (direction, expected) => {
    expect(bestTrial(history, direction)?.number ?? null).toBe(expected);
    expect(bestTrial([...history].reverse(), direction)?.number ?? null).toBe(expected);
  });
  it('is null without complete trials', () => expect(bestTrial(history.slice(4), 'maximize')).toBeNull());
});
