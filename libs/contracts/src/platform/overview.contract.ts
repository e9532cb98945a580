import { z } from 'zod';
import { workerSummarySchema } from './health.contract';

/** What the console's overview page shows: one request, counted in the database. */
export const overviewResponseSchema = z.object({
  models: z.number().int(),
  modelVersions: z.number().int(),
  experiments: z.number().int(),
  runs: z.object({
    total: z.number().int(),
    running: z.number().int(),
    finished: z.number().int(),
    failed: z.number().int(),
  }),
  deployments: z.number().int(),
  trainingJobs: z.object({ queued: z.number().int(), running: z.number().int() }),
  workers: z.object({ connected: z.number().int() }),
  generatedAt: z.string().datetime(),
});

export type OverviewResponse = z.infer<typeof overviewResponseSchema>;

export const workerListResponseSchema = z.object({
  workers: z.array(workerSummarySchema.extend({ connected: z.boolean() })),
});
export type WorkerListResponse = z.infer<typeof workerListResponseSchema>;
