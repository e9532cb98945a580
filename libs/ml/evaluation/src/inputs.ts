import { EvaluationErrorCode, EvaluationInputError } from './evaluation.error';

/** Row-major matrix; ml-algorithms' predictProba/transform results fit this shape directly. */
export interface MatrixLike {
  data: ArrayLike<number>;
  nRows: number;
  nFeatures: number;
}

/** Probabilities or features: a row-major matrix or an array of rows. */
export type MatrixInput = MatrixLike | readonly ArrayLike<number>[];

export function toVector(values: ArrayLike<number>, argument: string): Float64Array {
  if (values.length === 0) throw new EvaluationInputError(EvaluationErrorCode.EMPTY_INPUT, argument, 'has no values');
  const out = Float64Array.from(values as ArrayLike<number>);
  let bad = 0;
  for (let i = 0; i < out.length; i++) bad += out[i] - out[i];
  if (bad !== 0) {
    const i = out.findIndex((v) => !Number.isFinite(v));
    throw new EvaluationInputError(EvaluationErrorCode.NON_FINITE, argument, `value ${out[i]} at index ${i}`);
  }
  return out;
}

/** Class labels: finite integers (any integers; metrics that need 0..k-1 check that themselves). */
export function toLabels(values: ArrayLike<number>, argument: string): Int32Array {
  const v = toVector(values, argument);
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isInteger(v[i]) || Math.abs(v[i]) > 2 ** 31 - 1) {
      throw new EvaluationInputError(EvaluationErrorCode.BAD_LABELS, argument, `label ${v[i]} at index ${i} is not an integer`);
    }
    out[i] = v[i];
  }
  return out;
}

export function assertSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, argA: string, argB: string): void {
  if (a.length !== b.length) {
    throw new EvaluationInputError(EvaluationErrorCode.SHAPE_MISMATCH, argB, `has ${b.length} values but ${argA} has ${a.length}`);
  }
}

export function toMatrix(input: MatrixInput, argument: string): { data: Float64Array; nRows: number; nCols: number } {
  if (Array.isArray(input)) {
    const rows = input as readonly ArrayLike<number>[];
    if (rows.length === 0) throw new EvaluationInputError(EvaluationErrorCode.EMPTY_INPUT, argument, 'has no rows');
    const nCols = rows[0].length;
    if (nCols === 0) throw new EvaluationInputError(EvaluationErrorCode.EMPTY_INPUT, argument, 'rows are empty');
    const data = new Float64Array(rows.length * nCols);
    rows.forEach((row, i) => {
      if (row.length !== nCols)
        throw new EvaluationInputError(EvaluationErrorCode.RAGGED_ROWS, argument, `row ${i} has ${row.length} values, row 0 has ${nCols}`);
      for (let j = 0; j < nCols; j++) data[i * nCols + j] = row[j];
    });
    return { data: toVector(data, argument), nRows: rows.length, nCols };
  }
  const m = input as MatrixLike;
  if (m.nRows === 0 || m.nFeatures === 0) throw new EvaluationInputError(EvaluationErrorCode.EMPTY_INPUT, argument, `is ${m.nRows} × ${m.nFeatures}`);
  if (m.data.length !== m.nRows * m.nFeatures) {
    throw new EvaluationInputError(EvaluationErrorCode.SHAPE_MISMATCH, argument, `data has ${m.data.length} values, expected ${m.nRows} × ${m.nFeatures}`);
  }
  return { data: toVector(m.data, argument), nRows: m.nRows, nCols: m.nFeatures };
}

/** Sorted distinct values. */
export function uniqueSorted(values: Int32Array): Int32Array {
  const sorted = Int32Array.from(values).sort();
  let m = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i];
  return sorted.slice(0, m);
}

/** Mean with the population standard deviation (ddof = 0, numpy's default). */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length) };
}
