import type { DenseMatrix } from './matrix';
import { MlInputError, MlInputErrorCode } from './ml-input.error';

/**
 * Preprocessing that travels inside a model artifact, so a loaded model sees inputs exactly as it did in training.
 * `standardize` is (x - mean) / scale with population std, scale 1 for constant columns (as scikit-learn's StandardScaler).
 */
export type PreprocessingKind = 'none' | 'standardize';

export type PreprocessingState = { kind: 'none' } | { kind: 'standardize'; mean: number[]; scale: number[] };

export function fitPreprocessing(kind: PreprocessingKind, matrix: DenseMatrix): PreprocessingState {
  if (kind === 'none') return { kind: 'none' };
  const { data, nRows, nFeatures } = matrix;
  const mean = new Float64Array(nFeatures);
  for (let i = 0; i < nRows; i++) for (let j = 0; j < nFeatures; j++) mean[j] += data[i * nFeatures + j];
  for (let j = 0; j < nFeatures; j++) mean[j] /= nRows;
  const variance = new Float64Array(nFeatures);
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nFeatures; j++) {
      const d = data[i * nFeatures + j] - mean[j];
      variance[j] += d * d;
    }
  }
  const scale = Array.from(variance, (v) => {
    const s = Math.sqrt(v / nRows);
    return s > 10 * Number.EPSILON ? s : 1;
  });
  return { kind: 'standardize', mean: Array.from(mean), scale };
}

/** Returns the matrix itself when there is nothing to do (no copy), else a standardized Float64 copy. */
export function applyPreprocessing(state: PreprocessingState, matrix: DenseMatrix): DenseMatrix {
  if (state.kind === 'none') return matrix;
  const { data, nRows, nFeatures } = matrix;
  const out = new Float64Array(nRows * nFeatures);
  const { mean, scale } = state;
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nFeatures; j++) out[i * nFeatures + j] = (data[i * nFeatures + j] - mean[j]) / scale[j];
  }
  return { data: out, nRows, nFeatures };
}

export function parsePreprocessing(value: unknown, nFeatures: number): PreprocessingState {
  const v = value as PreprocessingState | undefined;
  if (v && v.kind === 'none') return { kind: 'none' };
  if (v && v.kind === 'standardize' && Array.isArray(v.mean) && Array.isArray(v.scale) && v.mean.length === nFeatures && v.scale.length === nFeatures) {
    return { kind: 'standardize', mean: v.mean.map(Number), scale: v.scale.map(Number) };
  }
  throw new MlInputError(
    MlInputErrorCode.BAD_ARTIFACT,
    'artifact.preprocessing',
    'must be {kind:"none"} or {kind:"standardize", mean, scale} sized to the features',
  );
}
