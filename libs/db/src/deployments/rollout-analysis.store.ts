import { METRICS_WINDOW_SECONDS, readJsonColumnOrNull, type BinnedCounts, type DatasetProfile } from '@slipway/contracts';
import { Prisma } from '../generated/prisma/client';
import type { DbClient } from '../db-client';

/** Deployment events the analyser writes; a step's next analysis is due an interval after the latest of them. */
export const ANALYSIS_EVENT_PREFIX = 'analysis.';

/** One version's traffic in one role over a step's window, summed over every window row the replicas wrote. */
export interface RoleTrafficEntity {
  versionId: string;
  role: 'stable' | 'canary' | 'shadow';
  requests: number;
  errors: number;
  latencyBuckets: number[];
  latencySumMs: number;
  /** Each window's input counts per feature, in window order (rows whose JSON does not parse are left out). */
  features: Record<string, BinnedCounts>[];
  predictions: BinnedCounts[];
}

export interface FeedbackSummaryEntity {
  count: number;
  mean: number;
  /** Per metric name: how many values and their mean. */
  metrics: Record<string, { count: number; mean: number }>;
}

interface TrafficRow {
  version_id: string;
  role: string;
  requests: number;
  errors: number;
  latency_buckets: number[] | null;
  latency_sum_ms: number;
  features: unknown;
  predictions: unknown;
}

/**
 * What the rollout analyser reads: which rollouts are due, a step's traffic and feedback, a version's training
 * profile, and the per-deployment advisory lock that makes one analyser act at a time.
 */
export class RolloutAnalysisStore {
  constructor(private readonly db: DbClient) {}

  /**
   * ROLLING_OUT deployments whose current step has waited its interval: since the step's revision was created,
   * or since the analyser's last event on that revision (a waiting step is looked at again one interval later).
   * The database's clock decides, so replicas with skewed clocks agree. `only`: just this deployment, if due.
   * (The events are looked up by deployment too: that is what their index covers.)
   */
  async due(limit: number, only?: string): Promise<string[]> {
    const one = only === undefined ? Prisma.empty : Prisma.sql`AND d.id = ${only}::uuid`;
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT d.id FROM deployments d
        JOIN deployment_revisions r ON r.deployment_id = d.id AND r.revision = d.current_revision
       WHERE d.status = 'ROLLING_OUT' AND r.canary_version_id IS NOT NULL AND r.rollout_plan IS NOT NULL AND r.rollout_step IS NOT NULL ${one}
         AND greatest(r.created_at, (SELECT max(e.created_at) FROM deployment_events e
                                      WHERE e.deployment_id = d.id AND e.revision_id = r.id AND e.type LIKE ${`${ANALYSIS_EVENT_PREFIX}%`}))
             + make_interval(secs => (r.rollout_plan->>'intervalSeconds')::int) <= now()
       ORDER BY d.id LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }

  /**
   * Takes the analyser's lock on the deployment for the rest of the transaction; false when another analyser
   * holds it (that one acts, this one skips). Transaction-scoped, so a crashed analyser's lock goes with it.
   */
  async tryLock(deploymentId: string): Promise<boolean> {
    const rows = await this.db.$queryRaw<{ locked: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(hashtextextended(${`rollout-analysis:${deploymentId}`}, 0)) AS locked`;
    return rows[0]?.locked === true;
  }

  /**
   * Every version's traffic per role from `since` on: the windows that overlap it (a window that started up to
   * METRICS_WINDOW_SECONDS before still holds requests served after it; its earlier requests were served by
   * the same version in the same role, at the previous step's share).
   */
  async traffic(deploymentId: string, since: Date): Promise<RoleTrafficEntity[]> {
    const from = new Date(since.getTime() - METRICS_WINDOW_SECONDS * 1000);
    const rows = await this.db.$queryRaw<TrafficRow[]>`
      SELECT version_id, role, requests, errors, latency_buckets, latency_sum_ms, features, predictions
        FROM deployment_metrics WHERE deployment_id = ${deploymentId}::uuid AND window_start > ${from}
       ORDER BY window_start`;
    const byKey = new Map<string, RoleTrafficEntity>();
    for (const row of rows) {
      const role = row.role === 'canary' || row.role === 'shadow' ? row.role : 'stable';
      const key = `${row.version_id}:${role}`;
      let sum = byKey.get(key);
      if (!sum) {
        sum = { versionId: row.version_id, role, requests: 0, errors: 0, latencyBuckets: [], latencySumMs: 0, features: [], predictions: [] };
        byKey.set(key, sum);
      }
      sum.requests += row.requests;
      sum.errors += row.errors;
      sum.latencySumMs += row.latency_sum_ms;
      (row.latency_buckets ?? []).forEach((count, i) => (sum.latencyBuckets[i] = (sum.latencyBuckets[i] ?? 0) + count));
      const features = readJsonColumnOrNull('deployment_metrics.features', row.features);
      if (features) sum.features.push(features);
      const predictions = readJsonColumnOrNull('deployment_metrics.predictions', row.predictions);
      if (predictions) sum.predictions.push(predictions);
    }
    return [...byKey.values()];
  }

  /** Feedback posted for `versionId`'s predictions on this deployment from `since` on; null when none. */
  async feedback(deploymentId: string, versionId: string, since: Date): Promise<FeedbackSummaryEntity | null> {
    const rows = await this.db.$queryRaw<{ metric: string; n: bigint; total: number }[]>`
      SELECT metric, count(*) AS n, sum(value) AS total FROM deployment_feedback
       WHERE deployment_id = ${deploymentId}::uuid AND version_id = ${versionId}::uuid AND created_at >= ${since}
       GROUP BY metric ORDER BY metric`;
    if (rows.length === 0) return null;
    let count = 0;
    let total = 0;
    const metrics: FeedbackSummaryEntity['metrics'] = {};
    for (const row of rows) {
      const n = Number(row.n);
      count += n;
      total += row.total;
      metrics[row.metric] = { count: n, mean: row.total / n };
    }
    return { count, mean: total / count, metrics };
  }

  /** The version's training profile (the reference for input drift); null when it has none or it no longer parses. */
  async trainingProfile(versionId: string): Promise<DatasetProfile | null> {
    const rows = await this.db.$queryRaw<{ training_profile: unknown }[]>`SELECT training_profile FROM model_versions WHERE id = ${versionId}::uuid`;
    return rows.length ? readJsonColumnOrNull('model_versions.training_profile', rows[0].training_profile) : null;
  }
}
