import { MlInputError, MlInputErrorCode, numberArray, parsePreprocessing, readArtifactEnvelope, type ModelArtifact, type PreprocessingState } from '../common';
import { KMeans, resolveKMeansParams, type KMeansParams } from './kmeans';

export const KMEANS_FORMAT = 'slipway.kmeans';
export const KMEANS_FORMAT_VERSION = 1;

export interface KMeansArtifactState {
  nFeatures: number;
  /** k rows of nFeatures values, in the preprocessed feature space. */
  centers: number[][];
  inertia: number;
  nIter: number;
  clusterSizes: number[];
  preprocessing: PreprocessingState;
}

export type KMeansArtifact = ModelArtifact<typeof KMEANS_FORMAT, KMeansParams, KMeansArtifactState>;

/** Training labels are left out: they are data, not model, and would make the artifact O(n). */
export function kmeansToArtifact(model: KMeans): KMeansArtifact {
  const s = model.state;
  const k = s.centers.length / s.nFeatures;
  const centers: number[][] = [];
  for (let c = 0; c < k; c++) centers.push(Array.from(s.centers.subarray(c * s.nFeatures, (c + 1) * s.nFeatures)));
  const p = model.params;
  return {
    format: KMEANS_FORMAT,
    formatVersion: KMEANS_FORMAT_VERSION,
    // Fixed key order: the same model must always serialise to the same bytes.
    params: { k: p.k, init: p.init, nInit: p.nInit, maxIter: p.maxIter, tol: p.tol, seed: p.seed, preprocessing: p.preprocessing },
    state: {
      nFeatures: s.nFeatures,
      centers,
      inertia: s.inertia,
      nIter: s.nIter,
      clusterSizes: Array.from(s.clusterSizes),
      preprocessing: s.preprocessing,
    },
  };
}

export function saveKMeans(model: KMeans): string {
  return JSON.stringify(kmeansToArtifact(model));
}

export function loadKMeans(input: string | KMeansArtifact): KMeans {
  const { params, state } = readArtifactEnvelope(input, KMEANS_FORMAT, KMEANS_FORMAT_VERSION);
  let resolved: KMeansParams;
  try {
    resolved = resolveKMeansParams(params as KMeansParams);
  } catch (error) {
    throw new MlInputError(MlInputErrorCode.BAD_ARTIFACT, 'artifact.params', (error as Error).message);
  }
  const s = state as Partial<KMeansArtifactState>;
  const nFeatures = s.nFeatures;
  if (!Number.isInteger(nFeatures) || (nFeatures as number) < 1)
    throw new MlInputError(MlInputErrorCode.BAD_ARTIFACT, 'artifact.state.nFeatures', 'must be a positive integer');
  const d = nFeatures as number;
  if (!Array.isArray(s.centers) || s.centers.length !== resolved.k) {
    throw new MlInputError(MlInputErrorCode.BAD_ARTIFACT, 'artifact.state.centers', `must hold k = ${resolved.k} rows`);
  }
  const centers = new Float64Array(resolved.k * d);
  s.centers.forEach((row, c) => centers.set(numberArray(row, `artifact.state.centers[${c}]`, d), c * d));
  return KMeans.fromState(resolved, {
    nFeatures: d,
    centers,
    inertia: numberArray([s.inertia], 'artifact.state.inertia')[0],
    nIter: numberArray([s.nIter], 'artifact.state.nIter')[0],
    clusterSizes: Int32Array.from(numberArray(s.clusterSizes, 'artifact.state.clusterSizes', resolved.k)),
    labels: new Int32Array(0),
    preprocessing: parsePreprocessing(s.preprocessing, d),
  });
}
