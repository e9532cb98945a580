import { loadBuiltinDataset, type BuiltinDatasetName } from '@slipway/ml-datasets';
import { describe, expect, it } from '@jest/globals';
import { golden } from '../../__fixtures__/golden';
import { MlInputErrorCode } from '../../common';
import { KMeans } from '../kmeans';
import { loadKMeans, saveKMeans } from '../kmeans-artifact';
import { inputErrorOf } from '../../__fixtures__/input-error-of';

const matrix = (name: BuiltinDatasetName) => {
  const ds = loadBuiltinDataset(name);
  return { data: ds.features, nRows: ds.nRows, nFeatures: ds.nFeatures };
};

describe('KMeans against scikit-learn 1.2.1 (same initial centers)', () => {
  it.each(golden.kmeans.map((g) => [g.dataset, g] as const))('%s: inertia within 0.1%%, same iterations and clusters', (_name, g) => {
    const model = new KMeans({ k: g.k, init: g.initCenters, maxIter: 300, tol: 1e-4 }).fit(matrix(g.dataset));
    expect(Math.abs(model.inertia / g.inertia - 1)).toBeLessThan(1e-3);
    // Same algorithm, same arithmetic order up to rounding: in practice equal to ~1e-12.
    expect(Math.abs(model.inertia / g.inertia - 1)).toBeLessThan(1e-9);
    expect(model.nIter).toBe(g.nIter);
    expect(Array.from(model.clusterSizes)).toEqual(g.clusterSizes);
    g.centers.forEach((row, c) => row.forEach((v, j) => expect(model.centers[c * row.length + j]).toBeCloseTo(v, 9)));
  });
});

describe('KMeans', () => {
  const iris = matrix('iris');

  it('k-means++ with restarts reaches the known iris optimum (78.85) and reports iterations and sizes', () => {
    const model = new KMeans({ k: 3, nInit: 10, seed: 1 }).fit(iris);
    expect(model.inertia).toBeCloseTo(78.851441, 5);
    expect(model.nIter).toBeGreaterThan(1);
    expect(Array.from(model.clusterSizes).sort((a, b) => a - b)).toEqual([38, 50, 62]);
    expect(model.labels).toHaveLength(150);
  });

  it('predict matches training labels; transform gives n × k Euclidean distances', () => {
    const model = new KMeans({ k: 3, seed: 3 }).fit(iris);
    expect(Array.from(model.predict(iris))).toEqual(Array.from(model.labels));
    const t = model.transform(iris);
    expect([t.nRows, t.nFeatures]).toEqual([150, 3]);
    const row0 = Array.from(iris.data.subarray(0, 4));
    const c0 = Array.from(model.centers.subarray(0, 4));
    expect(t.data[0]).toBeCloseTo(Math.hypot(...row0.map((v, j) => v - c0[j])), 12);
    expect(model.score(iris)).toBeCloseTo(-model.inertia, 8);
  });

  it('accepts Float32Array input and row arrays', () => {
    const f32 = new KMeans({ k: 3, seed: 0 }).fit({ data: Float32Array.from(iris.data), nRows: 150, nFeatures: 4 });
    const rows = Array.from({ length: 150 }, (_, i) => Array.from(iris.data.subarray(i * 4, i * 4 + 4)));
    const f64 = new KMeans({ k: 3, seed: 0 }).fit(rows);
    expect(Math.abs(f32.inertia - f64.inertia) / f64.inertia).toBeLessThan(1e-6);
  });

  it('keeps k clusters when a cluster empties (duplicate initial centers)', () => {
    const data = Float64Array.from([0, 0, 0.1, 0, 0, 0.1, 10, 10, 10.1, 10, 10, 10.1]);
    const model = new KMeans({
      k: 3,
      init: [
        [0, 0],
        [0, 0],
        [10, 10],
      ],
    }).fit({ data, nRows: 6, nFeatures: 2 });
    expect(Array.from(model.clusterSizes).every((s) => s > 0)).toBe(true);
    expect(Array.from(model.clusterSizes).reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('is deterministic: same seed and data give a byte-identical artifact', () => {
    const a = saveKMeans(new KMeans({ k: 4, seed: 11, nInit: 3 }).fit(iris));
    const b = saveKMeans(new KMeans({ k: 4, seed: 11, nInit: 3 }).fit(iris));
    expect(a).toBe(b);
    expect(saveKMeans(new KMeans({ k: 4, seed: 12, nInit: 3 }).fit(iris))).not.toBe(a);
  });

  it('artifact is versioned and self-describing; load(save(m)) predicts identically, preprocessing included', () => {
    const model = new KMeans({ k: 3, seed: 5, preprocessing: 'standardize' }).fit(iris);
    const json = saveKMeans(model);
    const parsed = JSON.parse(json);
    expect(parsed.format).toBe('slipway.kmeans');
    expect(parsed.formatVersion).toBe(1);
    expect(parsed.params).toMatchObject({ k: 3, seed: 5, preprocessing: 'standardize' });
    expect(parsed.state.preprocessing.kind).toBe('standardize');
    const loaded = loadKMeans(json);
    expect(Array.from(loaded.predict(iris))).toEqual(Array.from(model.predict(iris)));
    expect(Array.from(loaded.transform(iris).data)).toEqual(Array.from(model.transform(iris).data));
    expect(saveKMeans(loaded)).toBe(json);
  });

  it('refuses unknown formats and versions', () => {
    const json = JSON.parse(saveKMeans(new KMeans({ k: 2 }).fit(iris)));
    expect(() => loadKMeans({ ...json, formatVersion: 2 })).toThrow(
      expect.objectContaining({ code: MlInputErrorCode.BAD_ARTIFACT, argument: 'artifact.formatVersion' }),
    );
    expect(() => loadKMeans({ ...json, format: 'slipway.cart' })).toThrow(expect.objectContaining({ code: MlInputErrorCode.BAD_ARTIFACT }));
    expect(() => loadKMeans('{not json')).toThrow(expect.objectContaining({ code: MlInputErrorCode.BAD_ARTIFACT }));
  });
});

describe('KMeans input errors', () => {
  it('empty input', () => {
    expect(inputErrorOf(() => new KMeans({ k: 2 }).fit([]))).toEqual({ code: MlInputErrorCode.EMPTY_INPUT, argument: 'X' });
    expect(inputErrorOf(() => new KMeans({ k: 2 }).fit({ data: new Float64Array(0), nRows: 0, nFeatures: 3 }))).toEqual({
      code: MlInputErrorCode.EMPTY_INPUT,
      argument: 'X',
    });
  });
  it('NaN / Infinity', () => {
    expect(
      inputErrorOf(() =>
        new KMeans({ k: 1 }).fit([
          [1, 2],
          [Number.NaN, 1],
        ]),
      ),
    ).toEqual({ code: MlInputErrorCode.NON_FINITE, argument: 'X' });
    expect(() => new KMeans({ k: 1 }).fit({ data: Float32Array.from([1, Infinity]), nRows: 1, nFeatures: 2 })).toThrow(/row 0, column 1/);
  });
  it('ragged rows and wrong data length', () => {
    expect(inputErrorOf(() => new KMeans({ k: 1 }).fit([[1, 2], [3]]))).toEqual({ code: MlInputErrorCode.RAGGED_ROWS, argument: 'X' });
    expect(inputErrorOf(() => new KMeans({ k: 1 }).fit({ data: new Float64Array(5), nRows: 2, nFeatures: 3 }))).toEqual({
      code: MlInputErrorCode.SHAPE_MISMATCH,
      argument: 'X',
    });
  });
  it('k > n', () => {
    expect(inputErrorOf(() => new KMeans({ k: 5 }).fit([[1], [2], [3]]))).toEqual({ code: MlInputErrorCode.K_GREATER_THAN_N, argument: 'params.k' });
  });
  it('bad params and use before fit', () => {
    expect(inputErrorOf(() => new KMeans({ k: 0 }))).toEqual({ code: MlInputErrorCode.BAD_PARAM, argument: 'params.k' });
    expect(inputErrorOf(() => new KMeans({ k: 2 }).predict([[1]]))).toEqual({ code: MlInputErrorCode.NOT_FITTED, argument: 'model' });
    expect(inputErrorOf(() => new KMeans({ k: 1 }).fit([[1, 2]]).predict([[1]]))).toEqual({ code: MlInputErrorCode.SHAPE_MISMATCH, argument: 'X' });
  });
});
