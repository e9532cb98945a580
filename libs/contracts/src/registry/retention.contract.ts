import { z } from 'zod';

export const gcQuerySchema = z
  .object({
    /** Defaults to true: list what would go, delete nothing. */
    dryRun: z
      .enum(['true', 'false'])
      .optional()
      .transform((v) => (v === undefined ? undefined : v === 'true')),
  })
  .strict();
export type GcQuery = z.infer<typeof gcQuerySchema>;

/** The same choice as a JSON body (`{ "dryRun": false }`); a body and a query that disagree are refused. */
/** No body at all is the same as `{}`. */
export const gcRequestSchema = z.preprocess((body) => body ?? {}, z.object({ dryRun: z.boolean().optional() }).strict());
export type GcRequest = z.infer<typeof gcRequestSchema>;

export const GC_REASONS = ['deleted_run', 'deleted_version', 'deleted_model'] as const;

export const gcResultSchema = z.object({
  dryRun: z.boolean(),
  objects: z.array(z.object({ key: z.string(), sizeBytes: z.number(), reason: z.enum(GC_REASONS) })),
  objectCount: z.number().int(),
  totalBytes: z.number(),
  deletedCount: z.number().int(),
  /** More objects qualified than are listed (the list stops at 10,000; run again). */
  truncated: z.boolean(),
});
export type GcResult = z.infer<typeof gcResultSchema>;
