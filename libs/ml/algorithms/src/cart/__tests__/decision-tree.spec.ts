import { loadBuiltinDataset, loadBuiltinSplit, selectRows, type BuiltinDatasetName } from '@slipway/ml-datasets';
import { describe, expect, it } from '@jest/globals';
import { golden } from '../../__fixtures__/golden';
import { MlInputErrorCode } from '../../common';
import { loadCart, saveCart } from '../cart-artifact';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../decision-tree';
import { treeToJson, treeToRulesText, type TreeNodeJson } from '../tree-export';
import { inputErrorOf } from '../../__fixtures__/input-error-of';

function trainTest(name: BuiltinDatasetName) {
  const ds = loadBuiltinDataset(name);
  const split = loadBuiltinSplit(name);
  const tr = selectRows(ds, split.train);
  const te = selectRows(ds, split.test);
  return {
    ds,
    train: { x: { data: tr.features, nRows: tr.nRows, nFeatures: tr.nFeatures }, y: tr.targets },
    test: { x: { data: te.features, nRows: te.nRows, nFeatures: te.nFeatures }, y: te.targets },
  };
}

const accuracyOf = (pred: ArrayLike<number>, y: ArrayLike<number>): number => {
  let hits = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) hits++;
  return hits / y.length;
};

describe('DecisionTreeClassifier against scikit-learn 1.2.1 DecisionTreeClassifier(random_state=0)', () => {
  it.each(golden.tree.map((g) => [g.dataset, g.criterion, g] as const))('%s / %s: test accuracy within 1 point; same tree', (_d, _c, g) => {
    const { train, test } = trainTest(g.dataset);
    const tree = new DecisionTreeClassifier({ criterion: g.criterion, seed: 0 }).fit(train.x, train.y);
    const pred = tree.predict(test.x);
    expect(Math.abs(accuracyOf(pred, test.y) - g.testAccuracy)).toBeLessThanOrEqual(0.01);
    // The seed drives scikit-learn's own feature-order RNG, so the trees are the same, not just as good.
    expect(accuracyOf(pred, test.y)).toBe(g.testAccuracy);
    expect(Array.from(pred)).toEqual(g.testPredictions);
    expect(tree.nodeCount).toBe(g.nodeCount);
    expect(tree.depth).toBe(g.depth);
    Array.from(tree.featureImportances).forEach((v, j) => expect(v).toBeCloseTo(g.featureImportances[j], 9));
  });
});

describe('DecisionTreeClassifier', () => {
  const { ds, train, test } = trainTest('iris');

  it('respects maxDepth, minSamplesLeaf and minSamplesSplit', () => {
    const shallow = new DecisionTreeClassifier({ maxDepth: 2 }).fit(train.x, train.y);
    expect(shallow.depth).toBe(2);
    expect(shallow.nodeCount).toBeLessThanOrEqual(7);
    const leafy = new DecisionTreeClassifier({ minSamplesLeaf: 10 }).fit(train.x, train.y);
    const t = leafy.tree;
    for (let node = 0; node < t.nodeCount; node++) if (t.feature[node] === -1) expect(t.nSamples[node]).toBeGreaterThanOrEqual(10);
    const split = new DecisionTreeClassifier({ minSamplesSplit: 40 }).fit(train.x, train.y);
    const s = split.tree;
    for (let node = 0; node < s.nodeCount; node++) if (s.feature[node] !== -1) expect(s.nSamples[node]).toBeGreaterThanOrEqual(40);
  });

  it('maxFeatures samples features with the seed; different seeds may grow different trees', () => {
    const a = saveCart(new DecisionTreeClassifier({ maxFeatures: 'sqrt', seed: 1 }).fit(train.x, train.y));
    expect(saveCart(new DecisionTreeClassifier({ maxFeatures: 'sqrt', seed: 1 }).fit(train.x, train.y))).toBe(a);
    const seeds = [2, 3, 4, 5, 6].map((seed) => saveCart(new DecisionTreeClassifier({ maxFeatures: 1, seed }).fit(train.x, train.y)));
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });

  it('predictProba rows sum to 1 and agree with predict', () => {
    const tree = new DecisionTreeClassifier({ maxDepth: 3 }).fit(train.x, train.y);
    const proba = tree.predictProba(test.x);
    const pred = tree.predict(test.x);
    expect([proba.nRows, proba.nFeatures]).toEqual([30, 3]);
    for (let i = 0; i < proba.nRows; i++) {
      const row = Array.from(proba.data.subarray(i * 3, i * 3 + 3));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(row.indexOf(Math.max(...row))).toBe(pred[i]);
    }
  });

  it('feature importances sum to 1 and favour petal measurements on iris', () => {
    const tree = new DecisionTreeClassifier({ seed: 0 }).fit(train.x, train.y);
    const imp = Array.from(tree.featureImportances);
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(imp[2] + imp[3]).toBeGreaterThan(0.8);
  });

  it('exports JSON and readable rules in export_text layout', () => {
    const tree = new DecisionTreeClassifier({ maxDepth: 2, seed: 0 }).fit(train.x, train.y, { featureNames: ds.featureNames });
    const json = treeToJson(tree.state);
    expect(json.kind).toBe('split');
    const countLeaves = (n: TreeNodeJson): number => (n.kind === 'leaf' ? 1 : countLeaves(n.left) + countLeaves(n.right));
    expect(countLeaves(json)).toBe((tree.nodeCount + 1) / 2);
    const text = treeToRulesText(tree.state, { classNames: ['setosa', 'versicolor', 'virginica'] });
    expect(text.split('\n')[0]).toMatch(/^\|--- petal_(length|width)_cm <= \d+\.\d\d$/);
    expect(text).toContain('|   |--- class: setosa');
    expect(text).toMatch(/\|--- petal_(length|width)_cm > {2}\d+\.\d\d/);
  });

  it('artifact: versioned, load(save(m)) predicts identically, byte-identical for same seed and data', () => {
    const tree = new DecisionTreeClassifier({ criterion: 'entropy', seed: 3, maxFeatures: 2 }).fit(train.x, train.y, { featureNames: ds.featureNames });
    const json = saveCart(tree);
    const parsed = JSON.parse(json);
    expect([parsed.format, parsed.formatVersion, parsed.state.task]).toEqual(['slipway.cart', 1, 'classification']);
    expect(parsed.params).toEqual({
      criterion: 'entropy',
      maxDepth: null,
      minSamplesSplit: 2,
      minSamplesLeaf: 1,
      maxFeatures: 2,
      seed: 3,
      preprocessing: 'none',
    });
    const loaded = loadCart(json) as DecisionTreeClassifier;
    expect(loaded).toBeInstanceOf(DecisionTreeClassifier);
    expect(Array.from(loaded.predictProba(test.x).data)).toEqual(Array.from(tree.predictProba(test.x).data));
    expect(saveCart(loaded)).toBe(json);
    expect(
      saveCart(new DecisionTreeClassifier({ criterion: 'entropy', seed: 3, maxFeatures: 2 }).fit(train.x, train.y, { featureNames: ds.featureNames })),
    ).toBe(json);
  });

  it('artifact loader rejects corrupt child pointers', () => {
    const parsed = JSON.parse(saveCart(new DecisionTreeClassifier({ maxDepth: 2 }).fit(train.x, train.y)));
    parsed.state.nodes.left[0] = 0;
    expect(() => loadCart(parsed)).toThrow(expect.objectContaining({ code: MlInputErrorCode.BAD_ARTIFACT, argument: 'artifact.state.nodes' }));
  });
});

describe('DecisionTreeRegressor (same builder, squared error)', () => {
  it('fits regression_20k far better than the mean and round-trips through the artifact', () => {
    const { train, test } = trainTest('regression_20k');
    const tree = new DecisionTreeRegressor({ maxDepth: 8, seed: 0 }).fit(train.x, train.y);
    const pred = tree.predict(test.x);
    let mean = 0;
    test.y.forEach((v) => (mean += v / test.y.length));
    let sse = 0;
    let sst = 0;
    test.y.forEach((v, i) => {
      sse += (v - pred[i]) ** 2;
      sst += (v - mean) ** 2;
    });
    expect(1 - sse / sst).toBeGreaterThan(0.7);
    const loaded = loadCart(saveCart(tree)) as DecisionTreeRegressor;
    expect(loaded).toBeInstanceOf(DecisionTreeRegressor);
    expect(Array.from(loaded.predict(test.x))).toEqual(Array.from(pred));
    expect(treeToRulesText(tree.state)).toMatch(/value: \[-?\d+\.\d\d\]/);
  });
});

describe('DecisionTree input errors', () => {
  const x = [[0], [1], [2], [3]];
  it('one class only', () => {
    expect(inputErrorOf(() => new DecisionTreeClassifier().fit(x, [0, 0, 0, 0]))).toEqual({ code: MlInputErrorCode.SINGLE_CLASS, argument: 'y' });
  });
  it('labels not 0..k-1', () => {
    expect(inputErrorOf(() => new DecisionTreeClassifier().fit(x, [0, 2, 2, 0]))).toEqual({ code: MlInputErrorCode.BAD_LABELS, argument: 'y' });
    expect(inputErrorOf(() => new DecisionTreeClassifier().fit(x, [0, 1, -1, 0]))).toEqual({ code: MlInputErrorCode.BAD_LABELS, argument: 'y' });
    expect(inputErrorOf(() => new DecisionTreeClassifier().fit(x, [0, 1, 0.5, 0]))).toEqual({ code: MlInputErrorCode.BAD_LABELS, argument: 'y' });
    expect(() => new DecisionTreeClassifier().fit(x, [0, 2, 2, 0])).toThrow(/missing 1/);
  });
  it('NaN in X or y, ragged rows, empty, length mismatch', () => {
    expect(inputErrorOf(() => new DecisionTreeClassifier().fit([[0], [Number.NaN]], [0, 1]))).toEqual({ code: MlInputErrorCode.NON_FINITE, argument: 'X' });
    expect(inputErrorOf(() => new DecisionTreeRegressor().fit([[0], [1]], [0, Number.NaN]))).toEqual({ code: MlInputErrorCode.NON_FINITE, argument: 'y' });
    expect(inputErrorOf(() => new DecisionTreeClassifier().fit([[0, 1], [1]], [0, 1]))).toEqual({ code: MlInputErrorCode.RAGGED_ROWS, argument: 'X' });
    expect(inputErrorOf(() => new DecisionTreeClassifier().fit([], []))).toEqual({ code: MlInputErrorCode.EMPTY_INPUT, argument: 'X' });
    expect(inputErrorOf(() => new DecisionTreeClassifier().fit(x, [0, 1]))).toEqual({ code: MlInputErrorCode.SHAPE_MISMATCH, argument: 'y' });
  });
  it('bad hyper-parameters', () => {
    expect(inputErrorOf(() => new DecisionTreeClassifier({ maxDepth: 0 }))).toEqual({ code: MlInputErrorCode.BAD_PARAM, argument: 'params.maxDepth' });
    expect(inputErrorOf(() => new DecisionTreeClassifier({ minSamplesLeaf: 0 }))).toEqual({
      code: MlInputErrorCode.BAD_PARAM,
      argument: 'params.minSamplesLeaf',
    });
    expect(inputErrorOf(() => new DecisionTreeClassifier({ criterion: 'squared_error' as 'gini' }))).toEqual({
      code: MlInputErrorCode.BAD_PARAM,
      argument: 'params.criterion',
    });
    expect(inputErrorOf(() => new DecisionTreeClassifier({ maxFeatures: 5 }).fit(x, [0, 1, 0, 1]))).toEqual({
      code: MlInputErrorCode.BAD_PARAM,
      argument: 'params.maxFeatures',
    });
  });
});
