/**
 * Typed input errors for the metrics. The codes deliberately match ml-algorithms' MlInputErrorCode names, so the
 * API maps both to the same 422 responses; this lib stays free of a dependency on the algorithms.
 */
export enum EvaluationErrorCode {
  EMPTY_INPUT = 'EMPTY_INPUT',
  NON_FINITE = 'NON_FINITE',
  RAGGED_ROWS = 'RAGGED_ROWS',
  SHAPE_MISMATCH = 'SHAPE_MISMATCH',
  SINGLE_CLASS = 'SINGLE_CLASS',
  BAD_LABELS = 'BAD_LABELS',
  BAD_PARAM = 'BAD_PARAM',
}

export function describeEvaluationErrorCode(code: EvaluationErrorCode): string {
  switch (code) {
    case EvaluationErrorCode.EMPTY_INPUT:
      return 'input is empty';
    case EvaluationErrorCode.NON_FINITE:
      return 'input contains NaN or Infinity';
    case EvaluationErrorCode.RAGGED_ROWS:
      return 'rows have different lengths';
    case EvaluationErrorCode.SHAPE_MISMATCH:
      return 'array sizes do not agree';
    case EvaluationErrorCode.SINGLE_CLASS:
      return 'the metric is undefined with only one class present';
    case EvaluationErrorCode.BAD_LABELS:
      return 'labels are not valid for this metric';
    case EvaluationErrorCode.BAD_PARAM:
      return 'invalid parameter';
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

export class EvaluationInputError extends Error {
  override readonly name = 'EvaluationInputError';

  constructor(
    readonly code: EvaluationErrorCode,
    /** The argument that is wrong, e.g. `yTrue`, `yScore`, `options.k`. */
    readonly argument: string,
    detail: string,
  ) {
    super(`${argument}: ${detail} (${code}: ${describeEvaluationErrorCode(code)})`);
  }
}
