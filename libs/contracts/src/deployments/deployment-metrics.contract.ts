import { z } from 'zod';
import { isoDateTime } from '../common/primitives';

/**
 * `GET /api/v1/deployments/:name/metrics?since=`: what the serving replicas counted per version and role, as the
 * console charts it. Rates and quantiles are derived from deployment_metrics' 10 s windows on read (p99 from
 * the latency buckets as Prometheus' histogram_quantile does), so they match what the rollout analyser judges.
 */

/** How far back a metrics read may reach: the console shows the last minutes; longer ranges belong to Prometheus. */
export const MAX_METRICS_RANGE_SECONDS = 24 * 3600;
/** Without `since`: the last 15 minutes. */
export const DEFAULT_METRICS_RANGE_SECONDS = 15 * 60;

export const deploymentMetricsQuerySchema = z.object({ since: isoDateTime({ offset: true }).optional() }).strict();
export type DeploymentMetricsQuery = z.infer<typeof deploymentMetricsQuerySchema>;

export const metricsPointSchema = z.object({
  /** Start of the 10 s window. */
  at: isoDateTime(),
  requests: z.number().int(),
  /** Requests per second over the window. */
  requestRate: z.number(),
  /** Failed share, 0..1; null without requests. */
  errorRate: z.number().nullable(),
  /** Null without requests. */
  p99Ms: z.number().nullable(),
});

export const featureDriftSchema = z.object({ feature: z.string(), psi: z.number() });

export const versionMetricsSchema = z.object({
  versionId: z.string(),
  /** Null only when no revision of the deployment names the version any more. */
  version: z.number().int().nullable(),
  role: z.enum(['stable', 'canary', 'shadow']),
  points: z.array(metricsPointSchema),
  totals: z.object({ requests: z.number().int(), errors: z.number().int(), errorRate: z.number().nullable(), p99Ms: z.number().nullable() }),
  /**
   * PSI per input feature of this version's traffic over the range against its training profile, largest first;
   * empty when the version has no profile or the replicas binned no inputs.
   */
  drift: z.array(featureDriftSchema).max(1000),
});
export type VersionMetricsView = z.infer<typeof versionMetricsSchema>;

export const deploymentMetricsSchema = z.object({
  deployment: z.string(),
  windowSeconds: z.number().int(),
  since: isoDateTime(),
  until: isoDateTime(),
  series: z.array(versionMetricsSchema).max(100),
});
export type DeploymentMetricsView = z.infer<typeof deploymentMetricsSchema>;
