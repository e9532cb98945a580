import { describe, expect, it } from '@jest/globals';
import { createStudyRequestSchema, HYPERPARAMETER_SCHEMAS, type SearchSpace, type TuningTrialView } from '@slipway/contracts';
import { z } from 'zod';
import { draftForParam, readChoice, readSearchSpace, tunableParams, type DimensionDraft } from '../search-space-draft';
import { intermediateCurves, niceTicks, optimisationHistory, parallelCoordinates, sortTrials, studyTaskOf } from '../study-view';

// The study pages draw what these functions compute from the API's answer; the search-space editor sends what
// readSearchSpace reads from its rows. Both are checked here against the contracts' own schemas.

const cartSchema = z.toJSONSchema(HYPERPARAMETER_SCHEMAS.cart, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
const nnSchema = z.toJSONSchema(HYPERPARAMETER_SCHEMAS['nn-regression'], { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
const cartParams = tunableParams(cartSchema, HYPERPARAMETER_SCHEMAS.cart.parse({}));

let id = 0;
function trial(
  number: number,
  status: TuningTrialView['status'],
  value: number | null,
  params: TuningTrialView['params'] = {},
  extra: Partial<TuningTrialView> = {},
): TuningTrialView {
  id += 1;
  return {
    id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    number,
    status,
    params,
    value,
    intermediateValues: [],
    prunedAtStep: null,
    error: null,
    trainingJobId: null,
    runId: null,
    attempts: 1,
    createdAt: '2026-12-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    ...extra,
  };
}

describe('tunableParams', () => {
  it("offers CART's numbers, enums and the constant options of its unions, with the schema's bounds", () => {
    const byName = new Map(cartParams.map((p) => [p.name, p]));
    expect([...byName.keys()].sort()).toEqual(['criterion', 'maxDepth', 'maxFeatures', 'minSamplesLeaf', 'minSamplesSplit', 'preprocessing']);
    expect(byName.get('criterion')).toMatchObject({ choices: ['gini', 'entropy', 'squared_error'], closed: true });
    // integer 1..1000 | null: a range, with none as a choice.
    expect(byName.get('maxDepth')).toMatchObject({ number: { integer: true, minimum: 1, maximum: 1000 }, choices: [null], closed: false });
    expect(byName.get('minSamplesSplit')?.number).toMatchObject({ integer: true, minimum: 2, maximum: 1_000_000 });
    expect(byName.get('maxFeatures')?.choices).toEqual(['sqrt', 'log2', null]);
  });

  it('leaves out what a search cannot vary (lists of layers, settings objects)', () => {
    const names = tunableParams(nnSchema, {}).map((p) => p.name);
    expect(names).toContain('learningRate');
    expect(names).toContain('optimizer');
    expect(names).not.toContain('hiddenLayers');
  });
});

describe('draftForParam', () => {
  it('starts an integer row inside the bounds and a closed choice as all its values', () => {
    const depth = draftForParam(
      cartParams.find((p) => p.name === 'maxDepth'),
      'maxDepth',
    );
    expect(depth).toMatchObject({ type: 'int', low: '1' });
    expect(Number(depth.high)).toBeGreaterThan(1);
    expect(Number(depth.high)).toBeLessThanOrEqual(1000);
    expect(
      draftForParam(
        cartParams.find((p) => p.name === 'criterion'),
        'criterion',
      ),
    ).toMatchObject({ type: 'categorical', choices: ['gini', 'entropy', 'squared_error'] });
  });

  it('starts a positive float with a default as a log range around it', () => {
    const lr = tunableParams(nnSchema, { learningRate: 0.001 }).find((p) => p.name === 'learningRate');
    const row = draftForParam(lr, 'learningRate');
    expect(row).toMatchObject({ type: 'float', log: true, low: '0.0001', high: '0.01' });
  });
});

describe('readSearchSpace', () => {
  const row = (patch: Partial<DimensionDraft>): DimensionDraft => ({
    key: patch.name ?? 'k',
    name: '',
    type: 'int',
    low: '',
    high: '',
    log: false,
    step: '',
    choices: [],
    whenParam: '',
    whenIn: [],
    ...patch,
  });

  it('reads rows into a space the create contract accepts, tags typed back to numbers and null', () => {
    const read = readSearchSpace(
      [
        row({ name: 'maxDepth', type: 'int', low: '2', high: '8' }),
        row({ name: 'criterion', type: 'categorical', choices: ['gini', 'entropy'] }),
        row({ name: 'maxFeatures', type: 'categorical', choices: ['sqrt', '0.5', 'null'] }),
        row({ name: 'minSamplesLeaf', type: 'int', low: '1', high: '9', step: '2', whenParam: 'criterion', whenIn: ['entropy'] }),
      ],
      cartParams,
    );
    expect(read.problems).toEqual([]);
    expect(read.space).toEqual({
      maxDepth: { type: 'int', low: 2, high: 8, log: false },
      criterion: { type: 'categorical', choices: ['gini', 'entropy'] },
      maxFeatures: { type: 'categorical', choices: ['sqrt', 0.5, null] },
      minSamplesLeaf: { type: 'int', low: 1, high: 9, log: false, step: 2, when: { param: 'criterion', in: ['entropy'] } },
    });
    const parsed = createStudyRequestSchema.safeParse({
      name: 's',
      datasetId: '00000000-0000-4000-8000-000000000001',
      algorithm: 'cart',
      searchSpace: read.space,
      objective: { metric: 'accuracy', direction: 'maximize' },
      maxTrials: 6,
    });
    expect(parsed.success).toBe(true);
  });

  it("names each problem by the request path the API would name, and the contract's own low > high by its path too", () => {
    const read = readSearchSpace(
      [
        row({ name: 'maxDepth', type: 'int', low: '9', high: '3' }),
        row({ name: 'minSamplesSplit', type: 'int', low: '1', high: 'x' }),
        row({ name: 'maxDepth', type: 'int', low: '1', high: '2' }),
        row({ name: '', type: 'int' }),
        row({ name: 'criterion', type: 'categorical', choices: [] }),
      ],
      cartParams,
    );
    expect(read.problems).toEqual([
      { field: 'searchSpace.minSamplesSplit.high', message: 'must be a whole number' },
      { field: 'searchSpace.minSamplesSplit.low', message: 'minSamplesSplit must be at least 2' },
      { field: 'searchSpace.maxDepth', message: 'maxDepth is searched twice' },
      { field: 'searchSpace.#3', message: 'name the hyper-parameter' },
      { field: 'searchSpace.criterion.choices', message: 'add at least one choice' },
    ]);
    const contract = createStudyRequestSchema.safeParse({
      name: 's',
      datasetId: '00000000-0000-4000-8000-000000000001',
      algorithm: 'cart',
      searchSpace: { maxDepth: read.space['maxDepth'] },
      objective: { metric: 'accuracy', direction: 'maximize' },
      maxTrials: 6,
    });
    expect(contract.success).toBe(false);
    expect(contract.error?.issues.map((i) => i.path.join('.'))).toEqual(['searchSpace.maxDepth.high']);
  });

  it('asks for at least one row', () => {
    expect(readSearchSpace([], cartParams).problems).toEqual([{ field: 'searchSpace', message: 'add at least one parameter to search over' }]);
  });

  it('keeps an enum value that looks like a number as text', () => {
    expect(readChoice('1', { name: 'x', choices: ['1', '2'], closed: true })).toBe('1');
    expect(readChoice('1', undefined)).toBe(1);
    expect(readChoice('true', undefined)).toBe(true);
  });
});

describe('studyTaskOf', () => {
  it("follows CART's criterion, fixed or first in the space", () => {
    expect(studyTaskOf('cart', {}, {})).toBe('classification');
    expect(studyTaskOf('cart', { criterion: 'squared_error' }, {})).toBe('regression');
    expect(studyTaskOf('cart', {}, { criterion: { type: 'categorical', choices: ['squared_error'] } })).toBe('regression');
    expect(studyTaskOf('kmeans', {}, {})).toBe('clustering');
  });
});

describe('sortTrials', () => {
  const trials = [
    trial(0, 'COMPLETED', 0.9),
    trial(1, 'FAILED', null),
    trial(2, 'COMPLETED', 0.95),
    trial(3, 'RUNNING', null),
    trial(4, 'PRUNED', 0.5),
    trial(5, 'PRUNED', 0.99),
  ];
  it('sorts by value: completed trials, then pruned ones (a partial value, even a higher one), then the valueless, in both directions', () => {
    expect(sortTrials(trials, 'value', 'desc').map((t) => t.number)).toEqual([2, 0, 5, 4, 1, 3]);
    expect(sortTrials(trials, 'value', 'asc').map((t) => t.number)).toEqual([0, 2, 4, 5, 1, 3]);
  });
  it('sorts by state (running first) and by number', () => {
    expect(sortTrials(trials, 'status', 'asc').map((t) => t.number)).toEqual([3, 0, 2, 4, 5, 1]);
    expect(sortTrials(trials, 'number', 'desc').map((t) => t.number)).toEqual([5, 4, 3, 2, 1, 0]);
  });
});

describe('optimisationHistory', () => {
  it('plots completed and pruned values; only completed ones move the best so far', () => {
    const trials = [trial(2, 'COMPLETED', 0.8), trial(0, 'COMPLETED', 0.9), trial(1, 'PRUNED', 0.99), trial(3, 'FAILED', null), trial(4, 'COMPLETED', 0.95)];
    const { points, best } = optimisationHistory(trials, 'maximize');
    expect(points.map((p) => [p.number, p.value])).toEqual([
      [0, 0.9],
      [1, 0.99],
      [2, 0.8],
      [4, 0.95],
    ]);
    expect(best).toEqual([
      { number: 0, best: 0.9 },
      { number: 2, best: 0.9 },
      { number: 4, best: 0.95 },
    ]);
    expect(optimisationHistory(trials, 'minimize').best.map((b) => b.best)).toEqual([0.9, 0.8, 0.8]);
  });
});

describe('parallelCoordinates', () => {
  const space: SearchSpace = {
    criterion: { type: 'categorical', choices: ['gini', 'entropy', 'log_loss'] },
    lr: { type: 'float', low: 0.001, high: 1, log: true },
    depth: { type: 'int', low: 2, high: 10, log: false, when: { param: 'criterion', in: ['gini'] } },
  };
  const trials = [
    trial(0, 'COMPLETED', 0.5, { criterion: 'gini', lr: 0.001, depth: 2 }),
    trial(1, 'COMPLETED', 0.9, { criterion: 'log_loss', lr: 1 }),
    trial(2, 'COMPLETED', 0.7, { criterion: 'entropy', lr: 10 ** -1.5 }),
    trial(3, 'RUNNING', null, { criterion: 'gini', lr: 0.1, depth: 5 }),
  ];

  it('spaces categorical ticks evenly, uses a log axis for log dimensions and one line per completed trial', () => {
    const { axes, lines } = parallelCoordinates(space, trials, { metric: 'accuracy', direction: 'maximize' });
    expect(axes.map((a) => [a.name, a.scale])).toEqual([
      ['criterion', 'categorical'],
      ['lr', 'log'],
      ['depth', 'linear'],
      ['accuracy', 'linear'],
    ]);
    expect(axes[0].ticks.map((t) => [t.label, t.at])).toEqual([
      ['gini', 0],
      ['entropy', 0.5],
      ['log_loss', 1],
    ]);
    expect(lines).toHaveLength(3);
    const byNumber = new Map(lines.map((l) => [l.number, l]));
    // 10^-1.5 sits halfway between 10^-3 and 10^0 on a log axis.
    expect(byNumber.get(2)?.positions[1]).toBeCloseTo(0.5, 10);
    // A conditional parameter the trial did not draw breaks its line there.
    expect(byNumber.get(1)?.positions[2]).toBeNull();
    expect(byNumber.get(0)?.positions[2]).toBe(0);
    expect(byNumber.get(1)?.rank).toBe(1);
    expect(byNumber.get(0)?.rank).toBe(0);
    expect(parallelCoordinates(space, trials, { metric: 'loss', direction: 'minimize' }).lines.find((l) => l.number === 0)?.rank).toBe(1);
  });
});

describe('intermediateCurves', () => {
  it('one curve per reporting trial, pruned ones flagged', () => {
    const curves = intermediateCurves([
      trial(
        1,
        'PRUNED',
        0.4,
        {},
        {
          intermediateValues: [
            { step: 0, value: 0.3 },
            { step: 1, value: 0.4 },
          ],
          prunedAtStep: 1,
        },
      ),
      trial(0, 'COMPLETED', 0.9, {}, { intermediateValues: [{ step: 0, value: 0.5 }] }),
      trial(2, 'QUEUED', null),
    ]);
    expect(curves.map((c) => [c.number, c.pruned, c.points.length])).toEqual([
      [0, false, 1],
      [1, true, 2],
    ]);
  });
});

describe('niceTicks', () => {
  it('round steps covering the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.913, 0.962, 5)).toEqual([0.92, 0.93, 0.94, 0.95, 0.96]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});
