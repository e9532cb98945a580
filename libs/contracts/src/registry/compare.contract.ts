import { z } from 'zod';
import { metricValueSchema } from '../common/metric-value';
import { modelNameSchema, versionNumberBodySchema } from './registry-names.contract';

export const MAX_COMPARED = 50;
export const MAX_HISTORY_POINTS = 500;

const versionRefSchema = z.object({ model: modelNameSchema, version: versionNumberBodySchema }).strict();

/** Either versions (by model name and number) or runs, 1–50 of them, each once. */
export const compareRequestSchema = z
  .object({
    versions: z.array(versionRefSchema).min(1).max(MAX_COMPARED).optional(),
    runIds: z.array(z.string().uuid()).min(1).max(MAX_COMPARED).optional(),
  })
  .strict()
  .refine((b) => (b.versions === undefined) !== (b.runIds === undefined), { message: 'give either versions or runIds', path: ['versions'] })
  .refine((b) => !b.versions || new Set(b.versions.map((v) => `${v.model}/${v.version}`)).size === b.versions.length, {
    message: 'a version is listed twice',
    path: ['versions'],
  })
  .refine((b) => !b.runIds || new Set(b.runIds).size === b.runIds.length, { message: 'a run is listed twice', path: ['runIds'] });
export type CompareRequest = z.infer<typeof compareRequestSchema>;

export const compareItemSchema = z.object({
  /** `model@3` or the run id. */
  label: z.string(),
  model: z.string().nullable(),
  version: z.number().int().nullable(),
  versionId: z.string().nullable(),
  status: z.string().nullable(),
  runId: z.string().nullable(),
  runName: z.string().nullable(),
  experimentId: z.string().nullable(),
  datasetSha256: z.string().nullable(),
  codeVersion: z.string().nullable(),
});

/** Every array below is aligned with `items`: index i is items[i]. */
export const compareResultSchema = z.object({
  items: z.array(compareItemSchema),
  params: z.array(z.object({ key: z.string(), values: z.array(z.string().nullable()), differs: z.boolean() })),
  metrics: z.array(
    z.object({
      key: z.string(),
      /** `min` for keys containing loss/error/mse/rmse/mae, else `max`. */
      goal: z.enum(['min', 'max']),
      values: z.array(metricValueSchema.nullable()),
      /** Indexes (into items) holding the best value; ties all count. Only finite values can be best (NaN and ±Infinity never are). */
      best: z.array(z.number().int()),
    }),
  ),
  /** Per metric, each item's logged history, downsampled to at most 500 points (first and last kept). */
  histories: z.array(z.object({ key: z.string(), series: z.array(z.array(z.object({ step: z.number(), value: metricValueSchema }))) })),
  evaluations: z.array(z.unknown().nullable()),
});
export type CompareResult = z.infer<typeof compareResultSchema>;
