import { z } from 'zod';
import { finiteNumber } from '../common/primitives';

/**
 * How a training job measures its model (training_jobs.evaluation_plan, tuning_studies.evaluation_plan):
 * a seeded hold-out split, or k-fold cross-validation followed by a final fit on all rows. `stratify` keeps
 * class shares per part (classification only; ignored for regression and clustering).
 */
export const splitEvaluationPlanSchema = z
  .object({
    kind: z.literal('split'),
    /** Share of rows in the test part. */
    testFraction: finiteNumber.gt(0).lt(1).default(0.2),
    stratify: z.boolean().default(true),
  })
  .strict();

export const kfoldEvaluationPlanSchema = z
  .object({
    kind: z.literal('kfold'),
    folds: z.number().int().min(2).max(20).default(5),
    stratify: z.boolean().default(true),
  })
  .strict();

export const evaluationPlanSchema = z.discriminatedUnion('kind', [splitEvaluationPlanSchema, kfoldEvaluationPlanSchema]);
export type EvaluationPlan = z.infer<typeof evaluationPlanSchema>;
export type EvaluationPlanInput = z.input<typeof evaluationPlanSchema>;
