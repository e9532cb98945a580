import { MlInputError, MlInputErrorCode, toDenseMatrix, validateTargets, type DenseMatrix } from '../common';
import { validateImageSet, type ImageSet } from '../neural/image-set';
import type { TrainingData } from './training-types';

/** The dataset checked once and packed flat, so folds and splits are cheap row selections. */
export type PreparedData =
  | { kind: 'tabular'; nRows: number; x: DenseMatrix; y: Float64Array | null; featureNames?: string[]; classLabels?: string[] }
  | { kind: 'images'; nRows: number; images: ImageSet & { data: Float32Array }; y: Float64Array; classLabels?: string[] };

export function prepareData(data: TrainingData): PreparedData {
  if (!data || typeof data !== 'object') throw new MlInputError(MlInputErrorCode.EMPTY_INPUT, 'data', "must be { kind: 'tabular' | 'images', … }");
  if (data.kind === 'tabular') {
    const x = toDenseMatrix(data.features, 'data.features');
    const y = data.target === undefined ? null : validateTargets(data.target, x.nRows, 'data.target');
    return { kind: 'tabular', nRows: x.nRows, x, y, featureNames: data.featureNames, classLabels: data.classLabels };
  }
  if (data.kind === 'images') {
    const { pixels, shape, count } = validateImageSet(data.images, 'data.images');
    const y = validateTargets(data.labels, count, 'data.labels');
    const [height, width, channels] = shape;
    return { kind: 'images', nRows: count, images: { data: pixels, count, height, width, channels }, y, classLabels: data.classLabels };
  }
  throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'data.kind', `must be 'tabular' or 'images', got ${JSON.stringify((data as { kind?: unknown }).kind)}`);
}

/** The given rows (in the given order) as a new dataset. */
export function selectData(data: PreparedData, rows: Int32Array): PreparedData {
  const y = data.y ? Float64Array.from(rows, (r) => (data.y as Float64Array)[r]) : null;
  if (data.kind === 'tabular') {
    const d = data.x.nFeatures;
    const out = new Float64Array(rows.length * d);
    rows.forEach((r, i) => out.set(data.x.data.subarray(r * d, (r + 1) * d), i * d));
    return { ...data, nRows: rows.length, x: { data: out, nRows: rows.length, nFeatures: d }, y };
  }
  const { height, width, channels } = data.images;
  const size = height * width * channels;
  const out = new Float32Array(rows.length * size);
  rows.forEach((r, i) => out.set(data.images.data.subarray(r * size, (r + 1) * size), i * size));
  return { ...data, nRows: rows.length, images: { data: out, count: rows.length, height, width, channels }, y: y as Float64Array };
}
