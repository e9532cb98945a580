/**
 * Typed input errors for the classic ML algorithms. Callers (API, worker) map `code` to a 422 with the
 * offending argument named in `argument`, so every code has exactly one description below.
 */
export enum MlInputErrorCode {
  EMPTY_INPUT = 'EMPTY_INPUT',
  NON_FINITE = 'NON_FINITE',
  RAGGED_ROWS = 'RAGGED_ROWS',
  SHAPE_MISMATCH = 'SHAPE_MISMATCH',
  K_GREATER_THAN_N = 'K_GREATER_THAN_N',
  SINGLE_CLASS = 'SINGLE_CLASS',
  BAD_LABELS = 'BAD_LABELS',
  MISSING_LABEL = 'MISSING_LABEL',
  BAD_TARGETS = 'BAD_TARGETS',
  BAD_PARAM = 'BAD_PARAM',
  NOT_FITTED = 'NOT_FITTED',
  BAD_ARTIFACT = 'BAD_ARTIFACT',
}

/** One human summary per code; the `never` default makes a new code without a summary fail to compile. */
export function describeMlInputErrorCode(code: MlInputErrorCode): string {
  switch (code) {
    case MlInputErrorCode.EMPTY_INPUT:
      return 'input has no rows or no features';
    case MlInputErrorCode.NON_FINITE:
      return 'input contains NaN or Infinity';
    case MlInputErrorCode.RAGGED_ROWS:
      return 'rows have different lengths';
    case MlInputErrorCode.SHAPE_MISMATCH:
      return 'array sizes do not agree';
    case MlInputErrorCode.K_GREATER_THAN_N:
      return 'more clusters requested than there are rows';
    case MlInputErrorCode.SINGLE_CLASS:
      return 'only one class present';
    case MlInputErrorCode.BAD_LABELS:
      return 'labels must be integers 0..k-1, or one kind of number, string or boolean labels';
    case MlInputErrorCode.MISSING_LABEL:
      return 'a row has no class label';
    case MlInputErrorCode.BAD_TARGETS:
      return 'regression targets must be finite numbers';
    case MlInputErrorCode.BAD_PARAM:
      return 'invalid hyper-parameter';
    case MlInputErrorCode.NOT_FITTED:
      return 'model used before fit';
    case MlInputErrorCode.BAD_ARTIFACT:
      return 'artifact is not a valid model of this kind';
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

export class MlInputError extends Error {
  override readonly name = 'MlInputError';

  constructor(
    readonly code: MlInputErrorCode,
    /** The argument that is wrong, e.g. `X`, `y`, `params.k`. */
    readonly argument: string,
    detail: string,
  ) {
    super(`${argument}: ${detail} (${code}: ${describeMlInputErrorCode(code)})`);
  }
}
