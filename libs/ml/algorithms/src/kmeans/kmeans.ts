import {
  applyPreprocessing,
  asFloat64,
  assertFeatureCount,
  assertFinite,
  createRandom,
  fitPreprocessing,
  MlInputError,
  MlInputErrorCode,
  requireInteger,
  requireNumber,
  toDenseMatrix,
  type DenseMatrix,
  type MatrixInput,
  type PreprocessingKind,
  type PreprocessingState,
} from '../common';
import { kmeansPlusPlus, randomRows, sqDistRows } from './kmeans-init';
import { lloyd } from './lloyd';

export type KMeansInit = 'k-means++' | 'random' | number[][];

export interface KMeansParams {
  k: number;
  /** 'k-means++' (default), 'random' rows, or explicit initial centers (k rows; forces nInit = 1). */
  init: KMeansInit;
  /** Independent restarts; the one with the lowest inertia wins. */
  nInit: number;
  maxIter: number;
  /** Convergence tolerance on the total squared center shift, relative to the mean feature variance (as scikit-learn). */
  tol: number;
  seed: number;
  preprocessing: PreprocessingKind;
}

export const KMEANS_DEFAULTS: Omit<KMeansParams, 'k'> = {
  init: 'k-means++',
  nInit: 1,
  maxIter: 300,
  tol: 1e-4,
  seed: 0,
  preprocessing: 'none',
};

export interface KMeansFitState {
  nFeatures: number;
  /** k × nFeatures, row-major. */
  centers: Float64Array;
  inertia: number;
  nIter: number;
  clusterSizes: Int32Array;
  /** Cluster of each training row. */
  labels: Int32Array;
  preprocessing: PreprocessingState;
}

export function resolveKMeansParams(params: Partial<KMeansParams> & { k: number }): KMeansParams {
  const p: KMeansParams = { ...KMEANS_DEFAULTS, ...params };
  requireInteger(p.k, 'params.k', 1);
  requireInteger(p.nInit, 'params.nInit', 1, 1000);
  requireInteger(p.maxIter, 'params.maxIter', 1);
  requireNumber(p.tol, 'params.tol', 0);
  requireNumber(p.seed, 'params.seed', 0, 2 ** 53);
  if (p.preprocessing !== 'none' && p.preprocessing !== 'standardize') {
    throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'params.preprocessing', `must be 'none' or 'standardize', got ${String(p.preprocessing)}`);
  }
  if (typeof p.init === 'string') {
    if (p.init !== 'k-means++' && p.init !== 'random') {
      throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'params.init', `must be 'k-means++', 'random' or k center rows, got ${p.init}`);
    }
  } else if (!Array.isArray(p.init) || p.init.length !== p.k) {
    throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'params.init', `explicit init needs exactly k = ${p.k} center rows`);
  }
  return p;
}

/** K-means clustering (Lloyd's algorithm with Hamerly's bounds). */
export class KMeans {
  readonly params: KMeansParams;
  private fitted: KMeansFitState | null = null;

  constructor(params: Partial<KMeansParams> & { k: number }) {
    this.params = resolveKMeansParams(params);
  }

  /** Restores a fitted model (see kmeans-artifact.ts). */
  static fromState(params: KMeansParams, state: KMeansFitState): KMeans {
    const model = new KMeans(params);
    model.fitted = state;
    return model;
  }

  get state(): KMeansFitState {
    if (!this.fitted) throw new MlInputError(MlInputErrorCode.NOT_FITTED, 'model', 'call fit() first');
    return this.fitted;
  }

  get centers(): Float64Array {
    return this.state.centers;
  }
  get inertia(): number {
    return this.state.inertia;
  }
  get nIter(): number {
    return this.state.nIter;
  }
  get clusterSizes(): Int32Array {
    return this.state.clusterSizes;
  }
  get labels(): Int32Array {
    return this.state.labels;
  }

  fit(input: MatrixInput): this {
    // Finiteness is checked after the run instead of in a separate pass over X: any NaN/Infinity makes the
    // inertia non-finite, and only then is X scanned to name the offending value.
    const raw = toDenseMatrix(input, 'X', { checkFinite: false });
    const { k, nInit, maxIter, tol, seed, init } = this.params;
    if (k > raw.nRows) throw new MlInputError(MlInputErrorCode.K_GREATER_THAN_N, 'params.k', `k = ${k} but X has only ${raw.nRows} rows`);
    if (this.params.preprocessing !== 'none') assertFinite(raw.data, 'X', raw.nFeatures);
    const preprocessing = fitPreprocessing(this.params.preprocessing, raw);
    const matrix = applyPreprocessing(preprocessing, raw);
    const { nRows: n, nFeatures: d } = matrix;
    const x = matrix.data;
    const random = createRandom(seed);
    const explicit = typeof init === 'string' ? null : explicitCenters(init, k, d, preprocessing);
    const restarts = explicit ? 1 : nInit;
    let best: ReturnType<typeof lloyd> | null = null;
    for (let r = 0; r < restarts; r++) {
      const rng = random.fork();
      const start = explicit ?? (init === 'random' ? randomRows(x, n, d, k, rng) : kmeansPlusPlus(x, n, d, k, rng));
      const result = lloyd(x, n, d, start, maxIter, tol);
      if (!Number.isFinite(result.inertia)) assertFinite(x, 'X', d);
      // Strict < keeps the earliest restart on ties, so results do not depend on float noise ordering.
      if (!best || result.inertia < best.inertia) best = result;
    }
    if (!best) throw new Error('unreachable: at least one restart runs');
    const clusterSizes = new Int32Array(k);
    for (let i = 0; i < n; i++) clusterSizes[best.labels[i]]++;
    this.fitted = { nFeatures: d, centers: best.centers, inertia: best.inertia, nIter: best.nIter, clusterSizes, labels: best.labels, preprocessing };
    return this;
  }

  /** Index of the nearest center for each row. */
  predict(input: MatrixInput): Int32Array {
    const { x, n, d, centers, k } = this.prepare(input);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const dist = sqDistRows(x, i * d, centers, c * d, d);
        if (dist < bestD) {
          bestD = dist;
          best = c;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /** Euclidean distance from each row to each center: n × k, row-major (scikit-learn's `transform`). */
  transform(input: MatrixInput): DenseMatrix {
    const { x, n, d, centers, k } = this.prepare(input);
    const out = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] = Math.sqrt(sqDistRows(x, i * d, centers, c * d, d));
    return { data: out, nRows: n, nFeatures: k };
  }

  /** Sum of squared distances of rows to their nearest center (negated, as scikit-learn's `score`). */
  score(input: MatrixInput): number {
    const distances = this.transform(input);
    let total = 0;
    for (let i = 0; i < distances.nRows; i++) {
      let m = Number.POSITIVE_INFINITY;
      for (let c = 0; c < distances.nFeatures; c++) m = Math.min(m, distances.data[i * distances.nFeatures + c]);
      total += m * m;
    }
    return -total;
  }

  private prepare(input: MatrixInput): { x: Float64Array; n: number; d: number; centers: Float64Array; k: number } {
    const state = this.state;
    const raw = toDenseMatrix(input, 'X');
    assertFeatureCount(raw, state.nFeatures);
    const matrix = applyPreprocessing(state.preprocessing, raw);
    return { x: asFloat64(matrix.data), n: matrix.nRows, d: matrix.nFeatures, centers: state.centers, k: state.centers.length / state.nFeatures };
  }
}

/**
 * The k-means++ centers that `fit` (no preprocessing) starts its first restart from, as rows — for handing the
 * very same initialisation to another implementation (benchmarks, golden comparisons).
 */
export function kmeansPlusPlusCenters(input: MatrixInput, k: number, seed = 0): number[][] {
  const m = toDenseMatrix(input, 'X');
  requireInteger(k, 'k', 1);
  if (k > m.nRows) throw new MlInputError(MlInputErrorCode.K_GREATER_THAN_N, 'k', `k = ${k} but X has only ${m.nRows} rows`);
  const centers = kmeansPlusPlus(asFloat64(m.data), m.nRows, m.nFeatures, k, createRandom(seed).fork());
  return Array.from({ length: k }, (_, c) => Array.from(centers.subarray(c * m.nFeatures, (c + 1) * m.nFeatures)));
}

/** Explicit centers are given in the caller's feature space, so they go through the same preprocessing as X. */
function explicitCenters(init: number[][], k: number, d: number, preprocessing: PreprocessingState): Float64Array {
  const matrix = toDenseMatrix(init, 'params.init');
  if (matrix.nRows !== k || matrix.nFeatures !== d) {
    throw new MlInputError(MlInputErrorCode.SHAPE_MISMATCH, 'params.init', `must be ${k} × ${d}, got ${matrix.nRows} × ${matrix.nFeatures}`);
  }
  return asFloat64(applyPreprocessing(preprocessing, matrix).data);
}
