import { beforeAll, describe, expect, it } from '@jest/globals';
import { evaluationSchema, TRAINING_CURVE_MAX_POINTS, trainingEvaluationSchema, versionEvaluationOf, type TrainingEvaluation } from '@slipway/contracts';
import { loadBuiltinDataset, selectRows, type TabularDataset } from '@slipway/ml-datasets';
import { accuracy, averagePrecision, logLoss, permutationImportance, precisionRecallF1, rocAucScore, trainTestSplit } from '@slipway/ml-evaluation';
import { selectBackend } from '@slipway/ml-runtime';
import { train, type TabularTrainingData, type TrainingData } from '..';
import { curvesOf, PERMUTATION_REPEATS } from '../training-metrics';

const tabular = (dataset: TabularDataset, target: TabularTrainingData['target'] = dataset.targets): TrainingData => ({
  kind: 'tabular',
  features: { data: dataset.features, nRows: dataset.nRows, nFeatures: dataset.nFeatures },
  target,
  featureNames: dataset.featureNames,
});

const everyNth = (dataset: TabularDataset, step: number) =>
  selectRows(
    dataset,
    Array.from({ length: Math.floor(dataset.nRows / step) }, (_, i) => i * step),
  );

/** The contract parses what train returns, and the registry's schema takes its version view. */
function expectStorable(evaluation: TrainingEvaluation): ReturnType<typeof versionEvaluationOf> {
  expect(trainingEvaluationSchema.parse(evaluation)).toEqual(evaluation);
  const stored = versionEvaluationOf(evaluation);
  expect(evaluationSchema.parse(stored)).toEqual(stored);
  return stored;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('train(): the evaluation stored with every run', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('binary CART hold-out: log loss, ROC AUC and AP of the positive class, recomputed from the model on the same test rows', async () => {
    const cancer = loadBuiltinDataset('breast_cancer');
    const spec = { algorithm: 'cart' as const, hyperparameters: { maxDepth: 4 }, evaluationPlan: { kind: 'split' as const, testFraction: 0.25 }, seed: 3 };
    const { model, evaluation, timings } = await train(spec, tabular(cancer));
    // The same seeded, stratified split train() made: the test rows are known without reaching into it.
    const { test } = trainTestSplit(cancer.nRows, { testSize: 0.25, seed: 3, stratify: cancer.targets });
    const rows = selectRows(cancer, Array.from(test));
    const proba = model.predictProba?.({ data: rows.features, nRows: rows.nRows, nFeatures: rows.nFeatures }).probabilities;
    if (!proba) throw new Error('a classification tree has probabilities');
    const positive = Float64Array.from({ length: rows.nRows }, (_, i) => proba.data[2 * i + 1]);

    expect(Object.keys(evaluation.metrics).sort()).toEqual(
      [
        'accuracy',
        'average_precision',
        'f1',
        'precision',
        'recall',
        'f1_macro',
        'f1_weighted',
        'log_loss',
        'precision_macro',
        'precision_weighted',
        'recall_macro',
        'recall_weighted',
        'roc_auc',
      ].sort(),
    );
    expect(evaluation.metrics['log_loss']).toBeCloseTo(logLoss(rows.targets, proba), 12);
    // scikit-learn's binary scorers (pos_label=1): the positive class's own precision, recall and F1.
    const predicted = model.predictCodes({ data: rows.features, nRows: rows.nRows, nFeatures: rows.nFeatures });
    const binary = precisionRecallF1(rows.targets, predicted, 'binary');
    expect([evaluation.metrics['precision'], evaluation.metrics['recall'], evaluation.metrics['f1']]).toEqual([binary.precision, binary.recall, binary.f1]);
    expect(evaluation.metrics['roc_auc']).toBeCloseTo(rocAucScore(rows.targets, positive), 12);
    expect(evaluation.metrics['average_precision']).toBeCloseTo(averagePrecision(rows.targets, positive), 12);

    // One curve each, for the positive class (label map: 0, 1 → the second label), from (0,0) to (1,1).
    const roc = evaluation.curves?.roc ?? [];
    const pr = evaluation.curves?.pr ?? [];
    expect([roc.map((c) => c.label), pr.map((c) => c.label)]).toEqual([['1'], ['1']]);
    expect(roc[0].auc).toBe(evaluation.metrics['roc_auc']);
    expect(pr[0].averagePrecision).toBe(evaluation.metrics['average_precision']);
    expect([roc[0].points.fpr[0], roc[0].points.tpr[0], roc[0].points.fpr.at(-1), roc[0].points.tpr.at(-1)]).toEqual([0, 0, 1, 1]);
    expect([pr[0].points.recall.at(-1), pr[0].points.precision.at(-1)]).toEqual([0, 1]);

    // Impurity: the tree's own normalised importances; permutation: an unused feature never changes a prediction.
    const importance = evaluation.featureImportance;
    expect(importance?.impurity?.map((f) => f.feature)).toEqual(cancer.featureNames);
    expect(sum(importance?.impurity?.map((f) => f.importance) ?? [])).toBeCloseTo(1, 12);
    const permutation = importance?.permutation;
    expect(permutation).toMatchObject({ metric: 'accuracy', repeats: PERMUTATION_REPEATS, rows: test.length, baseline: evaluation.metrics['accuracy'] });
    importance?.impurity?.forEach((f, j) => {
      if (f.importance === 0) expect(permutation?.features[j]).toEqual({ feature: f.feature, mean: 0, std: 0 });
    });
    // The same numbers as scoring every column of the same test rows with the spec's seed.
    const full = await permutationImportance({
      features: { data: rows.features, nRows: rows.nRows, nFeatures: rows.nFeatures },
      targets: rows.targets,
      score: (features, targets) => accuracy(targets, model.predictCodes(features as { data: Float64Array; nRows: number; nFeatures: number })),
      nRepeats: PERMUTATION_REPEATS,
      seed: 3,
    });
    expect(permutation?.features.map((f) => [f.mean, f.std])).toEqual(full.importancesMean.map((m, j) => [m, full.importancesStd[j]]));
    const top = [...(permutation?.features ?? [])].sort((a, b) => b.mean - a.mean)[0];
    expect(top.mean).toBeGreaterThan(0);
    expect(importance?.impurity?.find((f) => f.feature === top.feature)?.importance).toBeGreaterThan(0);

    const stored = expectStorable(evaluation);
    expect(stored.roc).toEqual([{ label: '1', x: roc[0].points.fpr, y: roc[0].points.tpr, auc: roc[0].auc }]);
    expect(stored.pr).toEqual([{ label: '1', x: pr[0].points.recall, y: pr[0].points.precision, auc: pr[0].averagePrecision }]);
    expect(stored.extra?.['featureImportance']).toEqual(importance);
    expect(timings.fitMs).toBeGreaterThan(0);
    expect(timings.evaluationMs).toBeGreaterThan(0);
    model.dispose();
  });

  it('iris CART 5-fold: every new metric per fold with mean ± std, one-vs-rest curves over the out-of-fold probabilities', async () => {
    const iris = loadBuiltinDataset('iris');
    const species = ['setosa', 'versicolor', 'virginica'];
    const { evaluation } = await train(
      { algorithm: 'cart', evaluationPlan: { kind: 'kfold', folds: 5 }, seed: 2 },
      tabular(
        iris,
        Array.from(iris.targets, (c) => species[c]),
      ),
    );
    const keys = [
      'accuracy',
      'average_precision_ovr',
      'f1_macro',
      'f1_weighted',
      'log_loss',
      'precision_macro',
      'precision_weighted',
      'recall_macro',
      'recall_weighted',
      'roc_auc_ovr',
    ];
    expect(Object.keys(evaluation.metrics).sort()).toEqual(keys);
    expect(Object.keys(evaluation.std ?? {}).sort()).toEqual(keys);
    expect(evaluation.folds).toHaveLength(5);
    for (const fold of evaluation.folds ?? []) expect(Object.keys(fold).sort()).toEqual(keys);
    for (const key of keys) {
      const values = (evaluation.folds ?? []).map((f) => f[key]);
      expect(evaluation.metrics[key]).toBeCloseTo(sum(values) / 5, 12);
    }
    expect(evaluation.curves?.roc.map((c) => c.label)).toEqual(species);
    expect(evaluation.curves?.pr.map((c) => c.label)).toEqual(species);
    for (const c of evaluation.curves?.roc ?? []) expect(c.auc).toBeGreaterThan(0.85);
    // Permutation on the last fold's 30 test rows; impurity from the returned model fitted on all 150.
    expect(evaluation.featureImportance?.permutation?.rows).toBe(30);
    expect(evaluation.featureImportance?.impurity?.map((f) => f.feature)).toEqual(iris.featureNames);
    expectStorable(evaluation);
  });

  it('regression: residuals of the test rows (k-fold: every row once), consistent with MSE; permutation by R²', async () => {
    const data = everyNth(loadBuiltinDataset('regression_20k'), 20);
    const split = await train({ algorithm: 'cart', hyperparameters: { criterion: 'squared_error', maxDepth: 6 }, seed: 4 }, tabular(data));
    const residuals = split.evaluation.residuals;
    if (!residuals) throw new Error('a regression run has residuals');
    expect(residuals.count).toBe(split.evaluation.rows.test);
    expect(sum(residuals.histogram.counts)).toBe(residuals.count);
    expect(residuals.histogram.edges).toHaveLength(21);
    // MSE = E[r²] = std² + mean² (population std).
    expect(split.evaluation.metrics['mse']).toBeCloseTo(residuals.std ** 2 + residuals.mean ** 2, 6);
    expect(residuals.maxAbs).toBe(Math.max(-residuals.min, residuals.max));
    const q = residuals.quantiles;
    expect([residuals.min, q.p5, q.p25, q.p50, q.p75, q.p95, residuals.max]).toEqual(
      [...[residuals.min, q.p5, q.p25, q.p50, q.p75, q.p95, residuals.max]].sort((a, b) => a - b),
    );
    expect(split.evaluation.featureImportance?.permutation).toMatchObject({ metric: 'r2', baseline: split.evaluation.metrics['r2'] });
    expect(split.evaluation.curves).toBeUndefined();
    expectStorable(split.evaluation);
    split.model.dispose();

    const cv = await train(
      { algorithm: 'cart', hyperparameters: { criterion: 'squared_error', maxDepth: 6 }, evaluationPlan: { kind: 'kfold', folds: 4 }, seed: 4 },
      tabular(data),
    );
    expect(cv.evaluation.residuals?.count).toBe(data.nRows);
    expectStorable(cv.evaluation);
    cv.model.dispose();
  });

  it('NN regression: residuals and permutation importance, no impurity', async () => {
    const data = everyNth(loadBuiltinDataset('regression_20k'), 40);
    const { model, evaluation } = await train(
      { algorithm: 'nn-regression', hyperparameters: { hiddenLayers: [{ units: 16, activation: 'relu' }], epochs: 5, earlyStopping: null }, seed: 6 },
      tabular(data),
    );
    expect(evaluation.residuals?.count).toBe(evaluation.rows.test);
    expect(evaluation.featureImportance?.impurity).toBeUndefined();
    expect(evaluation.featureImportance?.permutation?.features.map((f) => f.feature)).toEqual(data.featureNames);
    expect(evaluation.featureImportance?.permutation?.baseline).toBeCloseTo(evaluation.metrics['r2'], 6);
    expectStorable(evaluation);
    model.dispose();
  });

  it('k-means: total and mean inertia, silhouette, ARI with labels; permutation by the rise in inertia', async () => {
    const iris = loadBuiltinDataset('iris');
    const { model, evaluation } = await train(
      { algorithm: 'kmeans', hyperparameters: { k: 3 }, evaluationPlan: { kind: 'split', testFraction: 0.3 }, seed: 1 },
      tabular(iris),
    );
    expect(Object.keys(evaluation.metrics).sort()).toEqual(['ari', 'inertia', 'inertia_mean', 'silhouette']);
    expect(evaluation.metrics['inertia']).toBeCloseTo(evaluation.metrics['inertia_mean'] * 45, 9);
    const permutation = evaluation.featureImportance?.permutation;
    expect(permutation?.metric).toBe('neg_inertia_mean');
    expect(permutation?.baseline).toBeCloseTo(-evaluation.metrics['inertia_mean'], 12);
    // Shuffling a column only moves rows away from their centres: inertia rises for every feature.
    for (const f of permutation?.features ?? []) expect(f.mean).toBeGreaterThan(0);
    expectStorable(evaluation);
    model.dispose();

    const unlabelled = await train(
      { algorithm: 'kmeans', hyperparameters: { k: 3 }, seed: 1 },
      { kind: 'tabular', features: { data: iris.features, nRows: iris.nRows, nFeatures: iris.nFeatures } },
    );
    expect(unlabelled.evaluation.metrics['ari']).toBeUndefined();
    expect(unlabelled.evaluation.featureImportance?.permutation?.features).toHaveLength(4);
    unlabelled.model.dispose();
  });

  it('a 10-class problem: 10 curves each way, ≤ 200 points per curve, fits the registry with room to spare', async () => {
    const digits = loadBuiltinDataset('digits');
    const { model, evaluation } = await train(
      { algorithm: 'cart', hyperparameters: { maxDepth: 8 }, evaluationPlan: { kind: 'kfold', folds: 3 }, seed: 5 },
      tabular(digits),
    );
    expect(evaluation.curves?.roc).toHaveLength(10);
    expect(evaluation.curves?.pr).toHaveLength(10);
    for (const c of [...(evaluation.curves?.roc ?? []).map((r) => r.points.fpr), ...(evaluation.curves?.pr ?? []).map((r) => r.points.recall)]) {
      expect(c.length).toBeLessThanOrEqual(TRAINING_CURVE_MAX_POINTS);
    }
    expect(evaluation.featureImportance?.permutation?.features).toHaveLength(64);
    const stored = expectStorable(evaluation);
    expect(JSON.stringify(stored).length).toBeLessThan(1_000_000);
    model.dispose();
  });

  it('the CNN: curves and log loss from its softmax; no feature importance (pixels are not features)', async () => {
    const digits = everyNth(loadBuiltinDataset('digits'), 6);
    const { model, evaluation } = await train(
      {
        algorithm: 'cnn',
        hyperparameters: { filters: [4, 8, 8], denseUnits: 16, epochs: 2, batchSize: 32, earlyStopping: null, validationSplit: 0 },
        evaluationPlan: { kind: 'split', testFraction: 0.3 },
        seed: 8,
      },
      { kind: 'images', images: { data: digits.features, count: digits.nRows, height: 8, width: 8, channels: 1 }, labels: digits.targets },
    );
    expect(evaluation.metrics['log_loss']).toBeGreaterThan(0);
    expect(evaluation.metrics['roc_auc_ovr']).toBeGreaterThan(0.5);
    expect(evaluation.curves?.roc).toHaveLength(10);
    expect(evaluation.featureImportance).toBeUndefined();
    expectStorable(evaluation);
    model.dispose();
  });

  it('a perfect ranking stores AP and AUC of exactly 1 (the sums land ulps above it) and stays within the contract', () => {
    // 300 rows, 100 positives, every score distinct and every positive above every negative.
    const n = 300;
    const y = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const proba = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const p1 = y[i] === 1 ? 0.6 + (0.39 * i) / n : (0.39 * i) / n;
      proba[2 * i] = 1 - p1;
      proba[2 * i + 1] = p1;
    }
    const data = {
      kind: 'tabular' as const,
      nRows: n,
      x: { data: new Float64Array(n), nRows: n, nFeatures: 1 },
      y,
      labelMap: ['no', 'yes'],
      legacyNames: false,
    };
    expect(
      averagePrecision(
        y,
        Float64Array.from({ length: n }, (_, i) => proba[2 * i + 1]),
      ),
    ).toBeGreaterThan(1);
    const curves = curvesOf(data, [{ metrics: {}, truth: y, predicted: Int32Array.from(y), proba: { data: proba, nRows: n, nFeatures: 2 } }]);
    expect([curves?.roc[0].auc, curves?.pr[0].averagePrecision]).toEqual([1, 1]);
    expect(curves?.pr[0].points.recall).toHaveLength(TRAINING_CURVE_MAX_POINTS);
    const evaluation: TrainingEvaluation = {
      task: 'classification',
      plan: 'split',
      primaryMetric: 'accuracy',
      metrics: {},
      curves,
      rows: { train: 0, test: n },
    };
    expectStorable(evaluation);
  });
});
