import { z } from 'zod';

export const componentHealthSchema = z.object({
  status: z.enum(['UP', 'DOWN']),
  latencyMs: z.number().nonnegative(),
  /** What the component is, e.g. `postgres 17.10 (embedded)` or `s3 bucket slipway at http://minio:9000`. */
  detail: z.string().optional(),
  error: z.string().optional(),
});

export const tfBackendInfoSchema = z.object({
  backend: z.string(),
  device: z.string(),
  adapter: z.object({ vendor: z.string(), architecture: z.string(), description: z.string() }).partial().optional(),
});

export const workerSummarySchema = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number().int(),
  tfBackend: z.string(),
  device: z.string(),
  concurrency: z.number().int(),
  version: z.string(),
  startedAt: z.string().datetime(),
  lastHeartbeatAt: z.string().datetime(),
});

export const healthResponseSchema = z.object({
  /** OK: database, queue and object store answer. DOWN: one of them does not (HTTP 503). */
  status: z.enum(['OK', 'DOWN']),
  version: z.string(),
  uptimeSeconds: z.number(),
  checks: z.object({
    database: componentHealthSchema,
    queue: componentHealthSchema,
    objectStore: componentHealthSchema,
  }),
  workers: z.object({
    /** Workers whose last heartbeat is recent enough to count as connected. */
    connected: z.number().int(),
    heartbeatTimeoutSeconds: z.number(),
    list: z.array(workerSummarySchema),
  }),
});

export type ComponentHealth = z.infer<typeof componentHealthSchema>;
export type WorkerSummary = z.infer<typeof workerSummarySchema>;
export type HealthResponse = z.infer<typeof healthResponseSchema>;
export type TfBackendInfo = z.infer<typeof tfBackendInfoSchema>;
