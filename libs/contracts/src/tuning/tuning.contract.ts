import { z } from 'zod';
import { finiteNumber, nameString, safeString } from '../common/primitives';

const MAX_PARAMS = 50;
const bounded = (max: number) => (record: Record<string, unknown>) => Object.keys(record).length <= max;

/** A categorical choice, and what a trial's parameter holds: a short string, a number, a boolean or null. */
export const choiceValueSchema = z.union([safeString(256), finiteNumber, z.boolean(), z.null()]);
const choiceValue = choiceValueSchema;
export type ChoiceValue = z.infer<typeof choiceValueSchema>;

/**
 * A conditional dimension: drawn only when the categorical parameter `param` took one of the values in `in`
 * (e.g. `momentum` only when `optimizer` is `sgd`); absent from a trial's parameters otherwise.
 */
export const dimensionConditionSchema = z.object({ param: nameString, in: z.array(choiceValue).min(1).max(100) }).strict();
export type DimensionCondition = z.infer<typeof dimensionConditionSchema>;

type Range = { low: number; high: number; log: boolean; step?: number };
const checkRange = (range: Range, ctx: z.RefinementCtx) => {
  if (range.low > range.high) ctx.addIssue({ code: 'custom', message: 'low must be ≤ high', path: ['high'] });
  if (range.log && range.low <= 0) ctx.addIssue({ code: 'custom', message: 'a log scale needs low > 0', path: ['low'] });
  if (range.log && range.step !== undefined) ctx.addIssue({ code: 'custom', message: 'step and log cannot be combined', path: ['step'] });
};

/** One dimension of a search space: an integer or float range (optionally log-scaled or stepped), or choices. */
export const searchDimensionSchema = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('int'),
        low: z.number().int(),
        high: z.number().int(),
        log: z.boolean().default(false),
        step: z.number().int().min(1).optional(),
        when: dimensionConditionSchema.optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('float'),
        low: finiteNumber,
        high: finiteNumber,
        log: z.boolean().default(false),
        step: finiteNumber.gt(0).optional(),
        when: dimensionConditionSchema.optional(),
      })
      .strict(),
    z.object({ type: z.literal('categorical'), choices: z.array(choiceValue).min(1).max(100), when: dimensionConditionSchema.optional() }).strict(),
  ])
  .superRefine((dimension, ctx) => {
    if (dimension.type !== 'categorical') checkRange(dimension, ctx);
  });

/**
 * tuning_studies.search_space: hyper-parameter name → dimension, e.g.
 * `{ maxDepth: { type: 'int', low: 2, high: 20 }, criterion: { type: 'categorical', choices: ['gini', 'entropy'] } }`.
 */
export const searchSpaceSchema = z
  .record(nameString, searchDimensionSchema)
  .refine((space) => Object.keys(space).length >= 1, 'needs at least one dimension')
  .refine(bounded(MAX_PARAMS), `at most ${MAX_PARAMS} dimensions`)
  .superRefine((space, ctx) => {
    // A condition names an unconditional categorical dimension and values among its choices: one level of nesting
    // keeps every trial's active set decidable from its own parameters, and no cycle can form.
    for (const [name, dimension] of Object.entries(space)) {
      if (!dimension.when) continue;
      const path = [name, 'when'];
      const parent = space[dimension.when.param];
      if (dimension.when.param === name) ctx.addIssue({ code: 'custom', message: 'a dimension cannot depend on itself', path: [...path, 'param'] });
      else if (!parent) ctx.addIssue({ code: 'custom', message: `no dimension "${dimension.when.param}" in the space`, path: [...path, 'param'] });
      else if (parent.type !== 'categorical')
        ctx.addIssue({ code: 'custom', message: `"${dimension.when.param}" must be a categorical dimension`, path: [...path, 'param'] });
      else if (parent.when)
        ctx.addIssue({ code: 'custom', message: `"${dimension.when.param}" is conditional itself; conditions nest one level`, path: [...path, 'param'] });
      else
        dimension.when.in.forEach((value, i) => {
          if (!parent.choices.some((choice) => choice === value))
            ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not one of "${dimension.when?.param}"'s choices`, path: [...path, 'in', i] });
        });
    }
  });
export type SearchSpace = z.infer<typeof searchSpaceSchema>;

/** tuning_studies.objective: `{ metric: 'cv_f1', direction: 'maximize' }`. */
export const tuningObjectiveSchema = z.object({ metric: nameString, direction: z.enum(['maximize', 'minimize']) }).strict();
export type TuningObjective = z.infer<typeof tuningObjectiveSchema>;

/** tuning_studies.early_stopping (nullable): the rule that prunes unpromising trials from their intermediate values. */
export const tuningEarlyStoppingSchema = z.discriminatedUnion('rule', [
  z
    .object({
      rule: z.literal('median'),
      /** Steps a trial runs before it may be pruned. */
      warmupSteps: z.number().int().min(0).max(100_000).default(0),
      /** Completed trials needed before pruning starts. */
      minTrials: z.number().int().min(1).max(10_000).default(5),
      /** Pruning is checked every this many steps (after the warm-up). */
      intervalSteps: z.number().int().min(1).max(100_000).default(1),
    })
    .strict(),
  z
    .object({
      rule: z.literal('successive-halving'),
      minResource: z.number().int().min(1).max(100_000).default(1),
      reductionFactor: z.number().int().min(2).max(10).default(3),
      minEarlyStoppingRate: z.number().int().min(0).max(100).default(0),
    })
    .strict(),
]);
export type TuningEarlyStopping = z.infer<typeof tuningEarlyStoppingSchema>;

/** tuning_trials.params: the values one trial drew, name → value. */
export const trialParamsSchema = z.record(nameString, choiceValue).refine(bounded(MAX_PARAMS), `at most ${MAX_PARAMS} parameters`);
export type TrialParams = z.infer<typeof trialParamsSchema>;

/** tuning_trials.intermediate_values: `[{ step, value }]` reported while training, in step order. */
export const intermediateValuesSchema = z
  .array(z.object({ step: z.number().int().min(0), value: finiteNumber }).strict())
  .max(100_000)
  .refine((points) => points.every((p, i) => i === 0 || p.step > points[i - 1].step), 'steps must increase');
export type IntermediateValues = z.infer<typeof intermediateValuesSchema>;

/** Names the reason a trial failed or was pruned, for display. */
export const trialNoteSchema = safeString(2048);
