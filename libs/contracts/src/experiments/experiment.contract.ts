import { z } from 'zod';
import { cursorSchema } from '../common/cursor';
import { TAG_LIMITS, tagsSchema, tagsViewSchema } from '../common/tags.contract';

/** No control characters in names and keys: they end up in URLs, logs and file names. */
// eslint-disable-next-line no-control-regex
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

export const TRACKING_LIMITS = {
  keyLength: 250,
  valueLength: 6000,
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  tagsPerBatch: TAG_LIMITS.tagsPerRequest,
  nameLength: 256,
  descriptionLength: 10_000,
} as const;

export const trackingKeySchema = z
  .string()
  .min(1)
  .max(TRACKING_LIMITS.keyLength)
  .regex(NO_CONTROL, 'control characters are not allowed')
  .refine((key) => key.trim() === key, 'no leading or trailing spaces');
export const trackingValueSchema = z.string().max(TRACKING_LIMITS.valueLength);

export const keyValueSchema = z.object({ key: trackingKeySchema, value: trackingValueSchema }).strict();
export type KeyValue = z.infer<typeof keyValueSchema>;

/** Rejects a key given twice in one list (which of the two would win is not obvious). */
export function uniqueKeys<T extends { key: string }>(items: T[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    if (seen.has(item.key))
      ctx.addIssue({ code: 'custom', path: [index, 'key'], message: `duplicate key "${item.key.slice(0, 80)}" (also at index ${seen.get(item.key)})` });
    else seen.set(item.key, index);
  });
}

export const experimentNameSchema = z.string().trim().min(1).max(TRACKING_LIMITS.nameLength).regex(NO_CONTROL, 'control characters are not allowed');

export const createExperimentRequestSchema = z
  .object({
    name: experimentNameSchema,
    description: z.string().max(TRACKING_LIMITS.descriptionLength).default(''),
    tags: tagsSchema.default({}),
  })
  .strict();
export type CreateExperimentRequest = z.infer<typeof createExperimentRequestSchema>;

export const updateExperimentRequestSchema = z
  .object({
    name: experimentNameSchema.optional(),
    description: z.string().max(TRACKING_LIMITS.descriptionLength).optional(),
    /** When given, replaces the experiment's tags. */
    tags: tagsSchema.optional(),
  })
  .strict()
  .refine((body) => body.name !== undefined || body.description !== undefined || body.tags !== undefined, 'give at least one of name, description, tags');
export type UpdateExperimentRequest = z.infer<typeof updateExperimentRequestSchema>;

export const experimentSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  description: z.string(),
  tags: tagsViewSchema,
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
});
export type ExperimentView = z.infer<typeof experimentSchema>;

export const listExperimentsQuerySchema = z
  .object({
    /** Case-insensitive substring of the name. */
    nameContains: z.string().max(TRACKING_LIMITS.nameLength).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** Opaque cursor from the previous page's `nextCursor`. */
    cursor: cursorSchema.optional(),
  })
  .strict();
export type ListExperimentsQuery = z.infer<typeof listExperimentsQuerySchema>;

export const experimentListSchema = z.object({ experiments: z.array(experimentSchema), nextCursor: z.string().nullable() });
export type ExperimentList = z.infer<typeof experimentListSchema>;

export const uuidParamsSchema = z.object({ id: z.string().uuid() }).strict();
