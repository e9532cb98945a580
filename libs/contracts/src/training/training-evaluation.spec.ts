import { describe, expect, it } from '@jest/globals';
import { evaluationSchema } from '../registry/model-version.contract';
import {
  TRAINING_CURVE_MAX_CLASSES,
  TRAINING_CURVE_MAX_POINTS,
  TRAINING_IMPORTANCE_MAX_FEATURES,
  trainingEvaluationSchema,
  versionEvaluationOf,
  type TrainingEvaluation,
} from './training-spec';

const axis = (n: number) => Array.from({ length: n }, (_, i) => i / (n - 1));
const labels = (k: number) => Array.from({ length: k }, (_, c) => `class ${c}`);
const features = (d: number) => Array.from({ length: d }, (_, j) => `feature_${j}`);

/** The largest evaluation the contract allows: 100 classes of full curves, 1000 features, 20 folds. */
function largest(): TrainingEvaluation {
  const k = TRAINING_CURVE_MAX_CLASSES;
  const metrics = { accuracy: 0.9, log_loss: 0.31, roc_auc_ovr: 0.97, average_precision_ovr: 0.93 };
  return {
    task: 'classification',
    plan: 'kfold',
    primaryMetric: 'accuracy',
    metrics,
    std: { accuracy: 0.01 },
    folds: Array.from({ length: 20 }, () => ({ ...metrics })),
    confusionMatrix: { labels: labels(k), matrix: labels(k).map((_, i) => labels(k).map((__, j) => (i === j ? 9 : 1))) },
    curves: {
      roc: labels(k).map((label) => ({ label, auc: 0.97, points: { fpr: axis(TRAINING_CURVE_MAX_POINTS), tpr: axis(TRAINING_CURVE_MAX_POINTS) } })),
      pr: labels(k).map((label) => ({
        label,
        averagePrecision: 0.93,
        points: { recall: axis(TRAINING_CURVE_MAX_POINTS), precision: axis(TRAINING_CURVE_MAX_POINTS) },
      })),
    },
    featureImportance: {
      impurity: features(TRAINING_IMPORTANCE_MAX_FEATURES).map((feature) => ({ feature, importance: 1 / TRAINING_IMPORTANCE_MAX_FEATURES })),
      permutation: {
        metric: 'accuracy',
        repeats: 5,
        rows: 2000,
        baseline: 0.9,
        features: features(TRAINING_IMPORTANCE_MAX_FEATURES).map((feature, j) => ({ feature, mean: j % 2 === 0 ? 0.01 : -0.002, std: 0.003 })),
      },
    },
    rows: { train: 10_000, test: 10_000 },
  };
}

const regression = (): TrainingEvaluation => ({
  task: 'regression',
  plan: 'split',
  primaryMetric: 'r2',
  metrics: { mse: 4, rmse: 2, mae: 1.5, r2: 0.8 },
  residuals: {
    count: 100,
    mean: 0.1,
    std: 2,
    min: -6,
    max: 5,
    maxAbs: 6,
    quantiles: { p5: -3, p25: -1, p50: 0, p75: 1, p95: 3 },
    histogram: { edges: [-6, -3, 0, 3, 5], counts: [10, 40, 45, 5] },
  },
  rows: { train: 400, test: 100 },
});

const issueAt = (value: unknown) => {
  const issue = trainingEvaluationSchema.safeParse(value).error?.issues[0];
  return issue && issue.path.join('.');
};

describe('trainingEvaluationSchema: curves, residuals and feature importance', () => {
  it('the largest evaluation it allows also fits the registry’s version evaluation, well under the API body limit', () => {
    const evaluation = largest();
    expect(trainingEvaluationSchema.parse(evaluation)).toEqual(evaluation);
    const stored = versionEvaluationOf(evaluation);
    expect(evaluationSchema.parse(stored)).toEqual(stored);
    expect(stored.roc).toHaveLength(TRAINING_CURVE_MAX_CLASSES);
    expect((stored.pr as unknown[])[0]).toEqual({ label: 'class 0', x: axis(200), y: axis(200), auc: 0.93 });
    expect(stored.extra?.['featureImportance']).toEqual(evaluation.featureImportance);
    // The API takes JSON bodies up to 10 MB (create-api-app.ts); a registered version's evaluation stays far below.
    expect(JSON.stringify(stored).length).toBeLessThan(2_000_000);
  });

  it('a regression evaluation carries its residuals into the version’s extra', () => {
    const evaluation = regression();
    const stored = versionEvaluationOf(trainingEvaluationSchema.parse(evaluation));
    expect(evaluationSchema.parse(stored).extra?.['residuals']).toEqual(evaluation.residuals);
    expect(stored.roc).toBeUndefined();
  });

  it('the version view is a copy: changing it leaves the run’s evaluation alone', () => {
    const evaluation = largest();
    const stored = versionEvaluationOf(evaluation);
    (stored.roc as { x: number[] }[])[0].x[0] = 0.5;
    (stored.extra?.['featureImportance'] as { impurity: { importance: number }[] }).impurity[0].importance = 0.5;
    expect(evaluation.curves?.roc[0].points.fpr[0]).toBe(0);
    expect(evaluation.featureImportance?.impurity?.[0].importance).toBe(1 / TRAINING_IMPORTANCE_MAX_FEATURES);
  });

  it('refuses what would not fit or makes no sense, naming the field', () => {
    const withCurve = (roc: unknown) => ({ ...largest(), curves: { roc: [roc], pr: [] } });
    const points = { fpr: axis(3), tpr: axis(3) };
    expect(issueAt(withCurve({ label: 'a', auc: 0.9, points: { fpr: axis(201), tpr: axis(201) } }))).toBe('curves.roc.0.points.fpr');
    expect(issueAt(withCurve({ label: 'a', auc: 0.9, points: { fpr: axis(3), tpr: axis(4) } }))).toBe('curves.roc.0.points.tpr');
    expect(issueAt(withCurve({ label: 'a', auc: 1.5, points }))).toBe('curves.roc.0.auc');
    expect(issueAt(withCurve({ label: 'a', auc: 0.9, points: { fpr: [0, Number.NaN], tpr: [0, 1] } }))).toBe('curves.roc.0.points.fpr.1');
    expect(issueAt(withCurve({ label: '', auc: 0.9, points }))).toBe('curves.roc.0.label');
    expect(issueAt(withCurve({ label: 'a', auc: 0.9, points, thresholds: [] }))).toBe('curves.roc.0');
    const tooMany = largest();
    tooMany.curves?.roc.push({ label: 'one more', auc: 0.5, points });
    expect(issueAt(tooMany)).toBe('curves.roc');

    const r = regression();
    expect(issueAt({ ...r, residuals: { ...r.residuals, mean: Number.POSITIVE_INFINITY } })).toBe('residuals.mean');
    expect(issueAt({ ...r, residuals: { ...r.residuals, histogram: { edges: [0, 1], counts: [1, 2] } } })).toBe('residuals.histogram.edges');
    expect(issueAt({ ...r, residuals: { ...r.residuals, std: -1 } })).toBe('residuals.std');

    const importance = largest().featureImportance;
    const permutation = importance?.permutation;
    if (!permutation) throw new Error('largest() has permutation importance');
    const withPermutation = (p: unknown) => ({ ...largest(), featureImportance: { permutation: p } });
    expect(issueAt(withPermutation({ ...permutation, features: [{ feature: 'x', mean: 0, std: -0.1 }] }))).toBe('featureImportance.permutation.features.0.std');
    expect(issueAt(withPermutation({ ...permutation, repeats: 0 }))).toBe('featureImportance.permutation.repeats');
    expect(issueAt(withPermutation({ ...permutation, features: features(1001).map((feature) => ({ feature, mean: 0, std: 0 })) }))).toBe(
      'featureImportance.permutation.features',
    );
    expect(issueAt({ ...largest(), featureImportance: { shap: [] } })).toBe('featureImportance');
  });
});
