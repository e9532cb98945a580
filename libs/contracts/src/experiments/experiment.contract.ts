import { z } from 'zod';
import { cursorSchema } from '../common/cursor';
import { freeText, nameText, queryInt, text } from '../common/primitives';
import { TAG_LIMITS, tagsSchema, tagsViewSchema } from '../common/tags.contract';

export const TRACKING_LIMITS = {
  keyLength: 250,
  valueLength: 6000,
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  tagsPerBatch: TAG_LIMITS.tagsPerRequest,
  nameLength: 256,
  descriptionLength: 10_000,
} as const;

export const trackingKeySchema = nameText(TRACKING_LIMITS.keyLength).refine((key) => key.trim() === key, 'no leading or trailing spaces');
export const trackingValueSchema = text({ max: TRACKING_LIMITS.valueLength });

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

export const experimentNameSchema = nameText(TRACKING_LIMITS.nameLength, { trim: true });

export const createExperimentRequestSchema = z
  .object({
    name: experimentNameSchema,
    description: freeText(TRACKING_LIMITS.descriptionLength).default(''),
    tags: tagsSchema.default({}),
  })
  .strict();
export type CreateExperimentRequest = z.infer<typeof createExperimentRequestSchema>;

export const updateExperimentRequestSchema = z
  .object({
    name: experimentNameSchema.optional(),
    description: freeText(TRACKING_LIMITS.descriptionLength).optional(),
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
    nameContains: text({ max: TRACKING_LIMITS.nameLength }).optional(),
    limit: queryInt({ min: 1, max: 1000, default: 100 }),
    /** Opaque cursor from the previous page's `nextCursor`. */
    cursor: cursorSchema.optional(),
  })
  .strict();
export type ListExperimentsQuery = z.infer<typeof listExperimentsQuerySchema>;

export const experimentListSchema = z.object({ experiments: z.array(experimentSchema), nextCursor: z.string().nullable() });
export type ExperimentList = z.infer<typeof experimentListSchema>;

export const uuidParamsSchema = z.object({ id: z.string().uuid() }).strict();
