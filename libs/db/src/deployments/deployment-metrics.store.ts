import type { BinnedCounts } from '@slipway/contracts';
import type { DbClient } from '../db-client';
import { float8 } from '../float8';

/** What one replica counted for one version and role in one window since its last flush. */
export interface DeploymentMetricsDelta {
  deploymentId: string;
  versionId: string;
  role: 'stable' | 'canary' | 'shadow';
  windowStart: Date;
  requests: number;
  errors: number;
  /** Counts per LATENCY_BUCKETS_MS bucket, the +Inf bucket last. */
  latencyBuckets: number[];
  latencySumMs: number;
  /** Per input column, the rows binned on the version's training profile (serving.contract featureCountsSchema). */
  features: Record<string, BinnedCounts>;
  /** Class counts of a classifier, or a regressor's outputs on its training target's histogram; null when neither. */
  predictions: BinnedCounts | null;
}

export interface DeploymentMetricsRow extends Omit<DeploymentMetricsDelta, 'features' | 'predictions'> {
  features: unknown;
  predictions: unknown;
}

interface MetricsRow {
  deployment_id: string;
  version_id: string;
  role: string;
  window_start: Date;
  requests: number;
  errors: number;
  latency_buckets: number[] | null;
  latency_sum_ms: number;
  features: unknown;
  predictions: unknown;
}

/**
 * deployment_metrics: every serving replica adds its counts into the one row of (deployment, version, role,
 * window). The upsert is additive (requests + requests, bucket by bucket, input and prediction bins merged by
 * slipway_merge_bins), so replicas need no coordination and a row is the sum over them; a replica that dies loses
 * only what it had not flushed yet. (Merging in the upsert rather than a replica id in the key: rows stay one per
 * window whatever the replica count, and a restarted replica with a new id cannot leave orphaned halves.)
 */
export class DeploymentMetricsStore {
  constructor(private readonly db: DbClient) {}

  async add(deltas: readonly DeploymentMetricsDelta[]): Promise<void> {
    // A fixed order, so two replicas flushing the same rows never wait on each other in a cycle.
    const ordered = [...deltas].sort((a, b) =>
      `${a.deploymentId}${a.versionId}${a.role}${a.windowStart.toISOString()}` < `${b.deploymentId}${b.versionId}${b.role}${b.windowStart.toISOString()}`
        ? -1
        : 1,
    );
    for (const d of ordered) {
      await this.db.$executeRaw`
        INSERT INTO deployment_metrics (deployment_id, version_id, role, window_start, requests, errors, latency_buckets, latency_sum_ms,
                                        features, predictions)
        VALUES (${d.deploymentId}::uuid, ${d.versionId}::uuid, ${d.role}, ${d.windowStart}, ${d.requests}, ${d.errors},
                ${d.latencyBuckets}::int[], ${float8(d.latencySumMs)},
                ${Object.keys(d.features).length > 0 ? JSON.stringify(d.features) : null}::jsonb,
                ${d.predictions ? JSON.stringify(d.predictions) : null}::jsonb)
        ON CONFLICT (deployment_id, version_id, role, window_start) DO UPDATE SET
          requests = deployment_metrics.requests + EXCLUDED.requests,
          errors = deployment_metrics.errors + EXCLUDED.errors,
          latency_buckets = ARRAY(
            SELECT coalesce(mine, 0) + coalesce(theirs, 0)
              FROM unnest(deployment_metrics.latency_buckets, EXCLUDED.latency_buckets) WITH ORDINALITY AS t(mine, theirs, at)
             ORDER BY at),
          latency_sum_ms = deployment_metrics.latency_sum_ms + EXCLUDED.latency_sum_ms,
          features = slipway_merge_feature_bins(deployment_metrics.features, EXCLUDED.features),
          predictions = slipway_merge_bins(deployment_metrics.predictions, EXCLUDED.predictions)`;
    }
  }

  /** A business metric posted back for an earlier prediction, kept against the version that made it. */
  async addFeedback(feedback: { deploymentId: string; versionId: string; requestId: string; metric: string; value: number }): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO deployment_feedback (deployment_id, version_id, request_id, metric, value)
      VALUES (${feedback.deploymentId}::uuid, ${feedback.versionId}::uuid, ${feedback.requestId}, ${feedback.metric}, ${float8(feedback.value)})`;
  }

  /** The windows of a deployment that started at or after `since`, oldest first. */
  async since(deploymentId: string, since: Date): Promise<DeploymentMetricsRow[]> {
    const rows = await this.db.$queryRaw<MetricsRow[]>`
      SELECT deployment_id, version_id, role, window_start, requests, errors, latency_buckets, latency_sum_ms, features, predictions
        FROM deployment_metrics WHERE deployment_id = ${deploymentId}::uuid AND window_start >= ${since}
       ORDER BY window_start, version_id, role`;
    return rows.map((row) => ({
      deploymentId: row.deployment_id,
      versionId: row.version_id,
      role: row.role === 'canary' || row.role === 'shadow' ? row.role : 'stable',
      windowStart: row.window_start,
      requests: row.requests,
      errors: row.errors,
      latencyBuckets: row.latency_buckets ?? [],
      latencySumMs: row.latency_sum_ms,
      features: row.features,
      predictions: row.predictions,
    }));
  }
}
