import { EvaluationErrorCode, EvaluationInputError } from './evaluation.error';
import { assertSameLength } from './inputs';

/**
 * At most `maxPoints` of a curve's points, for storing and drawing: the first and the last, and the rest
 * evenly spaced by index between them, in order. A curve that already fits comes back whole. Areas (AUC, AP)
 * belong to the full curve — compute them before downsampling; the trapezoid under the kept points is only close.
 */
export function downsampleCurve(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints: number): { x: number[]; y: number[] } {
  assertSameLength(x, y, 'x', 'y');
  if (!Number.isInteger(maxPoints) || maxPoints < 2)
    throw new EvaluationInputError(EvaluationErrorCode.BAD_PARAM, 'maxPoints', `must be an integer ≥ 2, got ${maxPoints}`);
  const n = x.length;
  if (n <= maxPoints) return { x: Array.from(x), y: Array.from(y) };
  const outX: number[] = [];
  const outY: number[] = [];
  for (let i = 0; i < maxPoints; i++) {
    // i·(n − 1)/(maxPoints − 1) rounded: strictly increasing since n > maxPoints, 0 first and n − 1 last.
    const at = Math.round((i * (n - 1)) / (maxPoints - 1));
    outX.push(x[at]);
    outY.push(y[at]);
  }
  return { x: outX, y: outY };
}
