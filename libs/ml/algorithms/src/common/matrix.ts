import { MlInputError, MlInputErrorCode } from './ml-input.error';

/** Row-major dense matrix: `data[i * nFeatures + j]`. The only shape the algorithms compute on. */
export interface DenseMatrix {
  data: Float64Array | Float32Array;
  nRows: number;
  nFeatures: number;
}

/** What fit/predict accept: a dense matrix, or rows (validated, then copied into one Float64Array). */
export type MatrixInput = DenseMatrix | readonly ArrayLike<number>[];

function isDense(input: MatrixInput): input is DenseMatrix {
  return !Array.isArray(input) && typeof (input as DenseMatrix).nRows === 'number';
}

/**
 * Validates shape and finiteness once at the boundary so the hot loops need no checks.
 * Typed arrays are used as-is (no copy); row arrays are packed into a Float64Array. `checkFinite: false` is for
 * callers that check finiteness in their own first pass over the data (k-means) to read X once.
 */
export function toDenseMatrix(input: MatrixInput, argument = 'X', options: { checkFinite?: boolean } = {}): DenseMatrix {
  let matrix: DenseMatrix;
  if (isDense(input)) {
    const { data, nRows, nFeatures } = input;
    if (!(data instanceof Float64Array || data instanceof Float32Array)) {
      throw new MlInputError(MlInputErrorCode.BAD_PARAM, `${argument}.data`, 'must be a Float64Array or Float32Array');
    }
    if (!Number.isInteger(nRows) || !Number.isInteger(nFeatures) || nRows < 0 || nFeatures < 0) {
      throw new MlInputError(MlInputErrorCode.SHAPE_MISMATCH, argument, `nRows (${nRows}) and nFeatures (${nFeatures}) must be non-negative integers`);
    }
    if (nRows === 0 || nFeatures === 0) {
      throw new MlInputError(MlInputErrorCode.EMPTY_INPUT, argument, `has ${nRows} rows and ${nFeatures} features`);
    }
    if (data.length !== nRows * nFeatures) {
      throw new MlInputError(MlInputErrorCode.SHAPE_MISMATCH, argument, `data has ${data.length} values but nRows × nFeatures = ${nRows * nFeatures}`);
    }
    matrix = input;
  } else {
    const nRows = input.length;
    if (nRows === 0) throw new MlInputError(MlInputErrorCode.EMPTY_INPUT, argument, 'has no rows');
    const nFeatures = input[0].length;
    if (nFeatures === 0) throw new MlInputError(MlInputErrorCode.EMPTY_INPUT, argument, 'rows have no features');
    const data = new Float64Array(nRows * nFeatures);
    for (let i = 0; i < nRows; i++) {
      const row = input[i];
      if (row.length !== nFeatures) {
        throw new MlInputError(MlInputErrorCode.RAGGED_ROWS, argument, `row ${i} has ${row.length} values, row 0 has ${nFeatures}`);
      }
      for (let j = 0; j < nFeatures; j++) data[i * nFeatures + j] = row[j];
    }
    matrix = { data, nRows, nFeatures };
  }
  if (options.checkFinite ?? true) assertFinite(matrix.data, argument, matrix.nFeatures);
  return matrix;
}

export function assertFinite(values: ArrayLike<number>, argument: string, rowWidth = 1): void {
  if (values instanceof Float64Array) return assertFiniteTyped(values, argument, rowWidth);
  if (values instanceof Float32Array) return assertFiniteTyped(values, argument, rowWidth);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      const where = rowWidth > 1 ? `row ${Math.floor(i / rowWidth)}, column ${i % rowWidth}` : `index ${i}`;
      throw new MlInputError(MlInputErrorCode.NON_FINITE, argument, `value ${v} at ${where}`);
    }
  }
}

export function assertFeatureCount(matrix: DenseMatrix, expected: number, argument = 'X'): void {
  if (matrix.nFeatures !== expected) {
    throw new MlInputError(MlInputErrorCode.SHAPE_MISMATCH, argument, `has ${matrix.nFeatures} features, the model was fitted on ${expected}`);
  }
}

/** Copies to Float64Array so the hot loops see one array type (monomorphic, no float32 rounding surprises). */
export function asFloat64(data: Float64Array | Float32Array): Float64Array {
  return data instanceof Float64Array ? data : Float64Array.from(data);
}

/** x − x is 0 for every finite x and NaN for NaN/±Infinity: one subtraction per value on the hot path. */
function assertFiniteTyped(values: Float64Array | Float32Array, argument: string, rowWidth: number): void {
  let bad = 0;
  for (let i = 0; i < values.length; i++) bad += values[i] - values[i];
  if (bad === 0) return;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      const where = rowWidth > 1 ? `row ${Math.floor(i / rowWidth)}, column ${i % rowWidth}` : `index ${i}`;
      throw new MlInputError(MlInputErrorCode.NON_FINITE, argument, `value ${values[i]} at ${where}`);
    }
  }
}
