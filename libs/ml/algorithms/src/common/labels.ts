import { MlInputError, MlInputErrorCode } from './ml-input.error';

/**
 * Class labels must already be encoded as 0..k-1 with every class present; returns k.
 * Encoding is the caller's job (the API keeps the label names) so a silently shifted label set cannot happen here.
 */
export function validateClassLabels(y: ArrayLike<number>, nRows: number, argument = 'y'): { labels: Int32Array; nClasses: number } {
  if (y.length === 0) throw new MlInputError(MlInputErrorCode.EMPTY_INPUT, argument, 'has no labels');
  if (y.length !== nRows) throw new MlInputError(MlInputErrorCode.SHAPE_MISMATCH, argument, `has ${y.length} labels for ${nRows} rows`);
  const labels = new Int32Array(y.length);
  let max = -1;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) throw new MlInputError(MlInputErrorCode.NON_FINITE, argument, `label ${v} at index ${i}`);
    if (!Number.isInteger(v) || v < 0) {
      throw new MlInputError(MlInputErrorCode.BAD_LABELS, argument, `label ${v} at index ${i} is not an integer in 0..k-1`);
    }
    labels[i] = v;
    if (v > max) max = v;
  }
  const nClasses = max + 1;
  const seen = new Uint8Array(nClasses);
  for (let i = 0; i < labels.length; i++) seen[labels[i]] = 1;
  const missing: number[] = [];
  for (let c = 0; c < nClasses; c++) if (!seen[c]) missing.push(c);
  if (missing.length > 0) {
    throw new MlInputError(MlInputErrorCode.BAD_LABELS, argument, `labels must be 0..${nClasses - 1} with every class present; missing ${missing.join(', ')}`);
  }
  if (nClasses < 2) throw new MlInputError(MlInputErrorCode.SINGLE_CLASS, argument, 'all labels are 0; a classifier needs at least two classes');
  return { labels, nClasses };
}

export function validateTargets(y: ArrayLike<number>, nRows: number, argument = 'y'): Float64Array {
  if (y.length === 0) throw new MlInputError(MlInputErrorCode.EMPTY_INPUT, argument, 'has no targets');
  if (y.length !== nRows) throw new MlInputError(MlInputErrorCode.SHAPE_MISMATCH, argument, `has ${y.length} targets for ${nRows} rows`);
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) throw new MlInputError(MlInputErrorCode.NON_FINITE, argument, `target ${v} at index ${i}`);
    out[i] = v;
  }
  return out;
}
