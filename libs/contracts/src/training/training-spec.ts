import { z } from 'zod';
import { finiteNumber, finiteRecord, nameString, seedSchema } from '../common/primitives';
import { evaluationSchema } from '../registry/model-version.contract';
import { evaluationPlanSchema } from './evaluation-plan';
import { cartHyperparametersSchema, cnnHyperparametersSchema, kmeansHyperparametersSchema, nnRegressionHyperparametersSchema } from './hyperparameters';

const defaultPlan = { kind: 'split' as const, testFraction: 0.2, stratify: true };

/** What to train: the algorithm, its hyper-parameters, how to evaluate, and the seed everything derives from. */
export const trainingSpecSchema = z.discriminatedUnion('algorithm', [
  z
    .object({
      algorithm: z.literal('kmeans'),
      hyperparameters: kmeansHyperparametersSchema.default(kmeansHyperparametersSchema.parse({})),
      evaluationPlan: evaluationPlanSchema.default(defaultPlan),
      seed: seedSchema.default(0),
    })
    .strict(),
  z
    .object({
      algorithm: z.literal('cart'),
      hyperparameters: cartHyperparametersSchema.default(cartHyperparametersSchema.parse({})),
      evaluationPlan: evaluationPlanSchema.default(defaultPlan),
      seed: seedSchema.default(0),
    })
    .strict(),
  z
    .object({
      algorithm: z.literal('nn-regression'),
      hyperparameters: nnRegressionHyperparametersSchema.default(nnRegressionHyperparametersSchema.parse({})),
      evaluationPlan: evaluationPlanSchema.default(defaultPlan),
      seed: seedSchema.default(0),
    })
    .strict(),
  z
    .object({
      algorithm: z.literal('cnn'),
      hyperparameters: cnnHyperparametersSchema.default(cnnHyperparametersSchema.parse({})),
      evaluationPlan: evaluationPlanSchema.default(defaultPlan),
      seed: seedSchema.default(0),
    })
    .strict(),
]);
export type TrainingSpec = z.infer<typeof trainingSpecSchema>;
export type TrainingSpecInput = z.input<typeof trainingSpecSchema>;

export const TRAINING_TASKS = ['classification', 'regression', 'clustering'] as const;
export const trainingTaskSchema = z.enum(TRAINING_TASKS);
export type TrainingTask = z.infer<typeof trainingTaskSchema>;

/** Stored curves keep at most this many points each; their AUC / AP are computed on every point first. */
export const TRAINING_CURVE_MAX_POINTS = 200;
/** One-vs-rest curves are stored for at most this many classes (the registry's limit on curves per version). */
export const TRAINING_CURVE_MAX_CLASSES = 100;
/** Feature importances are stored for at most this many features (the registry's limit on entries per array). */
export const TRAINING_IMPORTANCE_MAX_FEATURES = 1000;
/** Bins of the residual histogram. */
export const TRAINING_RESIDUAL_BINS = 20;

const unitInterval = finiteNumber.min(0).max(1);
const curveAxis = z.array(unitInterval).min(2).max(TRAINING_CURVE_MAX_POINTS);
const sameLength = (a: number[], b: number[]) => a.length === b.length;

/** One class against the rest (binary problems: the positive class, the label map's second label). */
const rocCurveSchema = z
  .object({
    label: nameString,
    auc: unitInterval,
    points: z
      .object({ fpr: curveAxis, tpr: curveAxis })
      .strict()
      .refine((p) => sameLength(p.fpr, p.tpr), { message: 'fpr and tpr must have the same length', path: ['tpr'] }),
  })
  .strict();
const prCurveSchema = z
  .object({
    label: nameString,
    averagePrecision: unitInterval,
    points: z
      .object({ recall: curveAxis, precision: curveAxis })
      .strict()
      .refine((p) => sameLength(p.recall, p.precision), { message: 'recall and precision must have the same length', path: ['precision'] }),
  })
  .strict();

const count = z.number().int().min(0);

/** Residuals yTrue − yPred on the test rows (all folds' test rows for k-fold). */
const residualsSchema = z
  .object({
    count: count.min(1),
    mean: finiteNumber,
    std: finiteNumber.min(0),
    min: finiteNumber,
    max: finiteNumber,
    maxAbs: finiteNumber.min(0),
    quantiles: z.object({ p5: finiteNumber, p25: finiteNumber, p50: finiteNumber, p75: finiteNumber, p95: finiteNumber }).strict(),
    histogram: z
      .object({ edges: z.array(finiteNumber).min(2).max(101), counts: z.array(count).min(1).max(100) })
      .strict()
      .refine((h) => h.edges.length === h.counts.length + 1, { message: 'needs one more edge than counts', path: ['edges'] }),
  })
  .strict();

const featureImportanceSchema = z
  .object({
    /** CART: mean decrease in impurity of the returned model, normalised to sum 1 (scikit-learn's feature_importances_). */
    impurity: z
      .array(z.object({ feature: nameString, importance: unitInterval }).strict())
      .max(TRAINING_IMPORTANCE_MAX_FEATURES)
      .optional(),
    /**
     * Every tabular model: the drop in `metric` when one feature's column is shuffled, over `repeats` seeded
     * shuffles of the test rows (split: the returned model; k-fold: the last fold's model on its test rows).
     */
    permutation: z
      .object({
        metric: nameString,
        repeats: z.number().int().min(1).max(100),
        rows: count.min(1),
        baseline: finiteNumber,
        features: z.array(z.object({ feature: nameString, mean: finiteNumber, std: finiteNumber.min(0) }).strict()).max(TRAINING_IMPORTANCE_MAX_FEATURES),
      })
      .strict()
      .optional(),
  })
  .strict();

/** What `train` measured: the metrics on the test part (split) or their fold means (k-fold), per task. */
export const trainingEvaluationSchema = z
  .object({
    task: trainingTaskSchema,
    plan: z.enum(['split', 'kfold']),
    /** The metric tuning and comparisons use by default: accuracy, r2 or silhouette. */
    primaryMetric: nameString,
    metrics: finiteRecord(100),
    /** k-fold only: population std of each metric over the folds. */
    std: finiteRecord(100).optional(),
    /** k-fold only: each fold's metrics, in fold order. */
    folds: z.array(finiteRecord(100)).max(20).optional(),
    /** Classification: counts matrix[actual][predicted] on the test rows (summed over folds). */
    confusionMatrix: z
      .object({ labels: z.array(nameString).min(1).max(1000), matrix: z.array(z.array(finiteNumber.min(0)).max(1000)).max(1000) })
      .strict()
      .optional(),
    /** Classification: precision/recall/F1/support per class, named by the original label, in the label map's order. */
    perClass: z
      .array(
        z
          .object({
            label: nameString,
            precision: finiteNumber.min(0).max(1),
            recall: finiteNumber.min(0).max(1),
            f1: finiteNumber.min(0).max(1),
            support: z.number().int().min(0),
          })
          .strict(),
      )
      .max(1000)
      .optional(),
    /**
     * Classification: ROC and precision-recall curves from the predicted probabilities on the test rows (k-fold:
     * every row's out-of-fold probabilities), one per class one-vs-rest, or the positive class's for binary problems;
     * a class absent from the test rows (or making up all of them) has none.
     */
    curves: z
      .object({ roc: z.array(rocCurveSchema).max(TRAINING_CURVE_MAX_CLASSES), pr: z.array(prCurveSchema).max(TRAINING_CURVE_MAX_CLASSES) })
      .strict()
      .optional(),
    /** Regression: a summary of the residuals. */
    residuals: residualsSchema.optional(),
    featureImportance: featureImportanceSchema.optional(),
    rows: z.object({ train: z.number().int().min(0), test: z.number().int().min(0) }).strict(),
  })
  .strict();
export type TrainingEvaluation = z.infer<typeof trainingEvaluationSchema>;

/**
 * The registry's view of a training evaluation (model_versions.evaluation): the metrics, confusion matrix and
 * ROC / PR curves as compare shows them (a curve's x is FPR or recall, y is TPR or precision, auc the AUC or
 * average precision), the rest (task, plan, fold values, std, row counts, per-class scores, residuals, feature
 * importance) under `extra`. Every bound of trainingEvaluationSchema fits inside the registry's.
 */
export function versionEvaluationOf(evaluation: TrainingEvaluation): z.infer<typeof evaluationSchema> {
  const extra: Record<string, z.core.util.JSONType> = {
    task: evaluation.task,
    plan: evaluation.plan,
    primaryMetric: evaluation.primaryMetric,
    rows: evaluation.rows,
  };
  if (evaluation.std) extra['std'] = evaluation.std;
  if (evaluation.folds) extra['folds'] = evaluation.folds;
  if (evaluation.perClass) extra['perClass'] = evaluation.perClass.map((c) => ({ ...c }));
  // Copies, as for the fields above: the version's evaluation never aliases the run's.
  if (evaluation.residuals) extra['residuals'] = structuredClone(evaluation.residuals);
  if (evaluation.featureImportance) extra['featureImportance'] = structuredClone(evaluation.featureImportance);
  const curves = evaluation.curves;
  return {
    metrics: { ...evaluation.metrics },
    ...(curves && curves.roc.length > 0 ? { roc: curves.roc.map((c) => ({ label: c.label, x: [...c.points.fpr], y: [...c.points.tpr], auc: c.auc })) } : {}),
    ...(curves && curves.pr.length > 0
      ? { pr: curves.pr.map((c) => ({ label: c.label, x: [...c.points.recall], y: [...c.points.precision], auc: c.averagePrecision })) }
      : {}),
    ...(evaluation.confusionMatrix
      ? { confusionMatrix: { labels: [...evaluation.confusionMatrix.labels], matrix: evaluation.confusionMatrix.matrix.map((row) => [...row]) } }
      : {}),
    extra,
  };
}
