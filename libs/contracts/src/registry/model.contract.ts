import { z } from 'zod';
import { cursorSchema } from '../common/cursor';
import { queryInt, text } from '../common/primitives';
import { tagsSchema, tagsViewSchema } from '../common/tags.contract';
import { descriptionSchema, modelNameSchema } from './registry-names.contract';
import { versionStatusSchema } from './model-version.contract';

export const createModelRequestSchema = z
  .object({
    name: modelNameSchema,
    description: descriptionSchema.default(''),
    tags: tagsSchema.default({}),
  })
  .strict();
export type CreateModelRequest = z.infer<typeof createModelRequestSchema>;

export const updateModelRequestSchema = z
  .object({ description: descriptionSchema.optional(), tags: tagsSchema.optional() })
  .strict()
  .refine((body) => body.description !== undefined || body.tags !== undefined, 'give description and/or tags');
export type UpdateModelRequest = z.infer<typeof updateModelRequestSchema>;

export const modelQuerySchema = z
  .object({
    /** Part of the name, case-insensitive. */
    search: text({ max: 128 }).optional(),
    /** `key` (has the tag) or `key=value`. */
    tag: text({ min: 1, max: 512 }).optional(),
    limit: queryInt({ min: 1, max: 200, default: 50 }),
    /** Opaque cursor from the previous page's `nextCursor`. */
    cursor: cursorSchema.optional(),
  })
  .strict();
export type ModelQuery = z.infer<typeof modelQuerySchema>;

export const modelNameParamsSchema = z.object({ name: modelNameSchema }).strict();

export const versionSummarySchema = z.object({ version: z.number().int(), status: versionStatusSchema, createdAt: z.string().datetime() });

export const modelSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  description: z.string(),
  tags: tagsViewSchema,
  /** Highest-numbered version that is not deleted, whatever its status. */
  latestVersion: versionSummarySchema.nullable(),
  /** Highest-numbered READY version: what `name@latest` resolves to. */
  latestReadyVersion: z.number().int().nullable(),
  versionCount: z.number().int(),
  aliases: z.array(z.object({ alias: z.string(), version: z.number().int() })),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
});
export type ModelView = z.infer<typeof modelSchema>;

export const modelListSchema = z.object({ models: z.array(modelSchema), nextCursor: z.string().nullable() });
export type ModelList = z.infer<typeof modelListSchema>;
