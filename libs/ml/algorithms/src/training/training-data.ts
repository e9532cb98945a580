import type { TrainingTask } from '@slipway/contracts';
import { MlInputError, MlInputErrorCode, toDenseMatrix, validateClassLabels, validateTargets, type DenseMatrix } from '../common';
import { validateImageSet, type ImageSet } from '../neural/image-set';
import { encodeClassLabels, rowWhere, type ClassLabel } from './label-map';
import type { TrainingData } from './training-types';

/**
 * The dataset checked once and packed flat, so folds and splits are cheap row selections. `y` holds class
 * ids 0..k-1 (classification, clustering's reference) or the regression values; `labelMap[c]` is the
 * original label of class c (classification only).
 */
export type PreparedData =
  | { kind: 'tabular'; nRows: number; x: DenseMatrix; y: Float64Array | null; featureNames?: string[]; labelMap: ClassLabel[] | null; legacyNames: boolean }
  | { kind: 'images'; nRows: number; images: ImageSet & { data: Float32Array }; y: Float64Array; labelMap: ClassLabel[] | null; legacyNames: boolean };

/** Regression targets: finite numbers; a string or a missing value names its column and row (not NON_FINITE). */
function regressionTargets(values: ArrayLike<unknown>, nRows: number, argument: string, column: string | undefined): Float64Array {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (typeof v === 'number' && Number.isNaN(v))) {
      throw new MlInputError(MlInputErrorCode.BAD_TARGETS, argument, `${rowWhere(column, i)} has no target; regression targets must be finite numbers`);
    }
    if (typeof v !== 'number') {
      throw new MlInputError(
        MlInputErrorCode.BAD_TARGETS,
        argument,
        `${rowWhere(column, i)} is ${JSON.stringify(v)}; regression targets must be finite numbers`,
      );
    }
    if (!Number.isFinite(v))
      throw new MlInputError(MlInputErrorCode.BAD_TARGETS, argument, `${rowWhere(column, i)} is ${v}; regression targets must be finite numbers`);
  }
  return validateTargets(values as ArrayLike<number>, nRows, argument);
}

/**
 * Class ids and the label map. With legacy `classNames`, the target must already be ids 0..k-1 and the names
 * become the map; otherwise the labels are encoded in their sorted order (see encodeClassLabels).
 */
function classTargets(
  values: ArrayLike<unknown>,
  nRows: number,
  argument: string,
  column: string | undefined,
  classNames: string[] | undefined,
  namesArgument: string,
): { y: Float64Array; labelMap: ClassLabel[] } {
  if (!classNames) {
    const { codes, labels } = encodeClassLabels(values, nRows, { argument, column });
    return { y: codes, labelMap: labels };
  }
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'number') {
      throw new MlInputError(
        MlInputErrorCode.BAD_PARAM,
        namesArgument,
        `names integer class ids 0..k-1, but ${rowWhere(column, i)} is ${JSON.stringify(values[i])}; leave ${namesArgument} out when the labels are strings or booleans`,
      );
    }
  }
  const { nClasses } = validateClassLabels(values as ArrayLike<number>, nRows, argument);
  if (classNames.length !== nClasses)
    throw new MlInputError(MlInputErrorCode.SHAPE_MISMATCH, namesArgument, `names ${classNames.length} classes, the labels have ${nClasses}`);
  if (new Set(classNames).size !== classNames.length) throw new MlInputError(MlInputErrorCode.BAD_PARAM, namesArgument, 'names must be distinct');
  return { y: Float64Array.from(values as ArrayLike<number>), labelMap: [...classNames] };
}

function targetOf(
  task: TrainingTask,
  values: ArrayLike<unknown>,
  nRows: number,
  argument: string,
  column: string | undefined,
  classNames: string[] | undefined,
  namesArgument: string,
): { y: Float64Array; labelMap: ClassLabel[] | null } {
  if (task === 'regression') return { y: regressionTargets(values, nRows, argument, column), labelMap: null };
  if (task === 'classification') return classTargets(values, nRows, argument, column, classNames, namesArgument);
  // Clustering ignores the labels except as ARI's reference, which only needs ids (any labelling, one class allowed).
  return { y: encodeClassLabels(values, nRows, { argument, column, allowSingleClass: true }).codes, labelMap: null };
}

export function prepareData(data: TrainingData, task: TrainingTask): PreparedData {
  if (!data || typeof data !== 'object') throw new MlInputError(MlInputErrorCode.EMPTY_INPUT, 'data', "must be { kind: 'tabular' | 'images', … }");
  if (data.kind === 'tabular') {
    const x = toDenseMatrix(data.features, 'data.features');
    if (data.target === undefined) return { kind: 'tabular', nRows: x.nRows, x, y: null, featureNames: data.featureNames, labelMap: null, legacyNames: false };
    if (data.target === null || typeof data.target.length !== 'number') throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'data.target', 'must be an array');
    const { y, labelMap } = targetOf(task, data.target, x.nRows, 'data.target', data.targetName, data.classLabels, 'data.classLabels');
    return { kind: 'tabular', nRows: x.nRows, x, y, featureNames: data.featureNames, labelMap, legacyNames: data.classLabels !== undefined };
  }
  if (data.kind === 'images') {
    const { pixels, shape, count } = validateImageSet(data.images, 'data.images');
    if (!data.labels || typeof data.labels.length !== 'number') throw new MlInputError(MlInputErrorCode.EMPTY_INPUT, 'data.labels', 'must be an array');
    const { y, labelMap } = targetOf(task, data.labels, count, 'data.labels', undefined, data.classLabels, 'data.classLabels');
    const [height, width, channels] = shape;
    return { kind: 'images', nRows: count, images: { data: pixels, count, height, width, channels }, y, labelMap, legacyNames: data.classLabels !== undefined };
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
