import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNamed } from '@slipway/testing-matchers';

/** Written by tools/golden/make-golden.py (scikit-learn 1.2.1); tests never run Python. */
export interface ClassificationCase {
  name: string;
  nClasses: number;
  yTrue: number[];
  yPred: number[];
  proba: number[][];
  accuracy: number;
  confusionMatrix: number[][];
  logLoss: number;
  macro: Prf;
  micro: Prf;
  weighted: Prf;
  binary?: Prf;
  perClass: { precision: number[]; recall: number[]; f1: number[]; support: number[] };
  rocAuc?: number;
  rocAucOvrMacro?: number;
}
interface Prf {
  precision: number;
  recall: number;
  f1: number;
}
export interface CurveCase {
  name: string;
  yTrue: number[];
  yScore: number[];
  roc: { fpr: number[]; tpr: number[]; thresholds: number[] };
  rocAll: { fpr: number[]; tpr: number[]; thresholds: number[] };
  rocAuc: number;
  pr: { precision: number[]; recall: number[]; thresholds: number[] };
  averagePrecision: number;
}
export interface RegressionCase {
  name: string;
  yTrue: number[];
  yPred: number[];
  mse: number;
  rmse: number;
  mae: number;
  r2: number;
}
export interface ClusteringCase {
  name: string;
  features: number[][];
  labelsTrue: number[];
  labelsPred: number[];
  adjustedRandIndex: number;
  silhouetteTrue: number;
  silhouettePred: number;
}
export interface EvaluationGolden {
  _sklearn: string;
  classification: ClassificationCase[];
  curves: CurveCase[];
  regression: RegressionCase[];
  clustering: ClusteringCase[];
}

export const golden: EvaluationGolden = JSON.parse(readFileSync(join(__dirname, '..', '__fixtures__', 'sklearn-golden.json'), 'utf8'));

export const TOLERANCE = 1e-9;

/** |actual − expected| ≤ 1e-9 · max(1, |expected|). */
export function expectClose(actual: number, expected: number, what = ''): void {
  const err = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  expectNamed(err, `${what}: ${actual} vs scikit-learn ${expected}`).toBeLessThanOrEqual(TOLERANCE);
}

export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what = ''): void {
  expectNamed(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i], expected[i], `${what}[${i}]`);
}
