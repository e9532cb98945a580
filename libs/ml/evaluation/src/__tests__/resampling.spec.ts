import { describe, expect, it } from '@jest/globals';
import { accuracy, crossValidate, EvaluationErrorCode, kFold, permutationImportance, stratifiedKFold, trainTestSplit, type MatrixLike } from '..';

const sorted = (a: Int32Array): number[] => Array.from(a).sort((x, y) => x - y);

describe('trainTestSplit', () => {
  it('is a seeded partition with the test share rounded up', () => {
    const a = trainTestSplit(101, { testSize: 0.2, seed: 7 });
    expect(a.test.length).toBe(21);
    expect(a.train.length).toBe(80);
    expect(sorted(Int32Array.from([...a.train, ...a.test]))).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect(trainTestSplit(101, { testSize: 0.2, seed: 7 })).toEqual(a);
    expect(trainTestSplit(101, { testSize: 0.2, seed: 8 }).test).not.toEqual(a.test);
  });

  it('stratified keeps each class share within one row', () => {
    const labels = [...Array(60).fill(0), ...Array(30).fill(1), ...Array(10).fill(2)];
    const { test, train } = trainTestSplit(labels.length, { testSize: 0.25, seed: 1, stratify: labels });
    const count = (rows: Int32Array, c: number): number => Array.from(rows).filter((i) => labels[i] === c).length;
    // Quotas 15 / 7.5 / 2.5: the one leftover row goes to the lowest class among equal remainders.
    expect([count(test, 0), count(test, 1), count(test, 2)]).toEqual([15, 8, 2]);
    expect(test.length + train.length).toBe(100);
    expect(test.length).toBe(25);
  });

  it('rejects a test size that leaves a part empty', () => {
    expect(() => trainTestSplit(10, { testSize: 10, seed: 0 })).toThrow(
      expect.objectContaining({ code: EvaluationErrorCode.BAD_PARAM, argument: 'options.testSize' }),
    );
  });
});

describe('k-fold cross-validation', () => {
  it('k folds cover every row exactly once as test', () => {
    const folds = kFold(10, { k: 3 });
    expect(folds.map((f) => f.test.length)).toEqual([4, 3, 3]);
    expect(Array.from(folds[0].test)).toEqual([0, 1, 2, 3]);
    expect(sorted(Int32Array.from(folds.flatMap((f) => Array.from(f.test))))).toEqual(Array.from({ length: 10 }, (_, i) => i));
    for (const f of folds) expect(f.train.length + f.test.length).toBe(10);
    expect(kFold(10, { k: 3, shuffle: true, seed: 3 })).toEqual(kFold(10, { k: 3, shuffle: true, seed: 3 }));
  });

  it('stratified folds keep class proportions', () => {
    const labels = [...Array(40).fill(0), ...Array(20).fill(1)];
    const folds = stratifiedKFold(labels, { k: 4, shuffle: true, seed: 2 });
    for (const f of folds) {
      expect(f.test.length).toBe(15);
      expect(Array.from(f.test).filter((i) => labels[i] === 1).length).toBe(5);
    }
  });

  it('crossValidate returns per-fold scores with mean ± population std', async () => {
    const folds = kFold(8, { k: 4 });
    const result = await crossValidate(folds, (_fold, index) => [0.5, 0.7, 0.9, 0.7][index]);
    expect(result.scores).toEqual([0.5, 0.7, 0.9, 0.7]);
    expect(result.mean).toBeCloseTo(0.7, 12);
    expect(result.std).toBeCloseTo(Math.sqrt(0.02), 12);
    await expect(crossValidate(folds, () => Number.NaN)).rejects.toMatchObject({ code: EvaluationErrorCode.NON_FINITE });
  });
});

describe('permutationImportance', () => {
  it('finds the only informative feature', async () => {
    // y = [x0 > 0]; x1 is noise. The "model" thresholds x0.
    const n = 200;
    const data = new Float64Array(n * 2);
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      data[2 * i] = Math.sin(i * 12.9898);
      data[2 * i + 1] = Math.cos(i * 78.233);
      y.push(data[2 * i] > 0 ? 1 : 0);
    }
    const score = (x: MatrixLike, t: ArrayLike<number>): number => {
      const pred = Array.from({ length: x.nRows }, (_, i) => (x.data[i * 2] > 0 ? 1 : 0));
      return accuracy(t, pred);
    };
    const result = await permutationImportance({ features: { data, nRows: n, nFeatures: 2 }, targets: y, score, nRepeats: 5, seed: 0 });
    expect(result.baselineScore).toBe(1);
    expect(result.importancesMean[0]).toBeGreaterThan(0.3);
    expect(result.importancesMean[1]).toBe(0);
    expect(result.importances[0]).toHaveLength(5);
    const again = await permutationImportance({ features: { data, nRows: n, nFeatures: 2 }, targets: y, score, nRepeats: 5, seed: 0 });
    expect(again).toEqual(result);
  });
});
