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
    rows: z.object({ train: z.number().int().min(0), test: z.number().int().min(0) }).strict(),
  })
  .strict();
export type TrainingEvaluation = z.infer<typeof trainingEvaluationSchema>;

/**
 * The registry's view of a training evaluation (model_versions.evaluation): the metrics and confusion
 * matrix as compare shows them, the rest (task, plan, fold values, std, row counts) under `extra`.
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
  return {
    metrics: { ...evaluation.metrics },
    ...(evaluation.confusionMatrix
      ? { confusionMatrix: { labels: [...evaluation.confusionMatrix.labels], matrix: evaluation.confusionMatrix.matrix.map((row) => [...row]) } }
      : {}),
    extra,
  };
}
