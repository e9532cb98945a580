import { assertSameLength, toVector } from './inputs';

function pair(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): [Float64Array, Float64Array] {
  const t = toVector(yTrue, 'yTrue');
  const p = toVector(yPred, 'yPred');
  assertSameLength(t, p, 'yTrue', 'yPred');
  return [t, p];
}

export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const [t, p] = pair(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += (t[i] - p[i]) ** 2;
  return s / t.length;
}

export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred));
}

export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const [t, p] = pair(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += Math.abs(t[i] - p[i]);
  return s / t.length;
}

/**
 * Coefficient of determination. A constant yTrue makes R² undefined; like scikit-learn (force_finite=True)
 * it is then 1 for a perfect prediction and 0 otherwise.
 */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const [t, p] = pair(yTrue, yPred);
  let mean = 0;
  for (let i = 0; i < t.length; i++) mean += t[i];
  mean /= t.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    residual += (t[i] - p[i]) ** 2;
    total += (t[i] - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}
