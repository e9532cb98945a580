import { MlInputError, MlInputErrorCode } from './ml-input.error';

export function requireInteger(value: number, argument: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MlInputError(MlInputErrorCode.BAD_PARAM, argument, `must be an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}

export function requireNumber(value: number, argument: string, min: number, max = Number.POSITIVE_INFINITY): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new MlInputError(MlInputErrorCode.BAD_PARAM, argument, `must be a finite number in [${min}, ${max}], got ${value}`);
  }
  return value;
}
