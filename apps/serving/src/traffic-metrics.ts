import { LATENCY_BUCKETS_MS, METRICS_WINDOW_SECONDS, type BinnedCounts } from '@slipway/contracts';
import type { DeploymentMetricsDelta, UnitOfWork } from '@slipway/db';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { WindowBins } from './loaded-version';
import type { ServingRole } from './routing-table';

const WINDOW_MS = METRICS_WINDOW_SECONDS * 1000;

/** Index of the LATENCY_BUCKETS_MS bucket a latency falls in (upper bounds inclusive, as Prometheus `le`); the last is +Inf. */
export function latencyBucket(ms: number): number {
  for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) if (ms <= LATENCY_BUCKETS_MS[i]) return i;
  return LATENCY_BUCKETS_MS.length;
}

/**
 * Per-version traffic counted in memory and added into deployment_metrics every couple of seconds. The hot path
 * only bumps numbers in a map; the database sees one additive upsert per (deployment, version, role, window) per
 * flush, whatever the request rate. A flush that fails keeps its counts for the next one.
 */
export class TrafficMetrics {
  /** What GET /metrics exposes for Prometheus: process metrics and the same counts per deployment, version and role. */
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'slipway_serving_requests_total',
    help: 'Predictions answered (and shadow copies made), per deployment, model version and role',
    labelNames: ['deployment', 'version', 'role'] as const,
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'slipway_serving_errors_total',
    help: 'Predictions the model failed (bad input is a 400, not an error)',
    labelNames: ['deployment', 'version', 'role'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'slipway_serving_latency_seconds',
    help: 'Model time per request (preprocessing and prediction), the buckets deployment_metrics uses',
    labelNames: ['deployment', 'version', 'role'] as const,
    buckets: LATENCY_BUCKETS_MS.map((ms) => ms / 1000),
    registers: [this.registry],
  });
  /** Label children per (deployment, version, role): the hot path skips prom-client's label hashing. */
  private readonly children = new Map<
    string,
    { requests: Counter.Internal; errors: Counter.Internal; latency: Histogram.Internal<'deployment' | 'version' | 'role'> }
  >();
  private pending = new Map<string, DeploymentMetricsDelta>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly logger: Logger,
    private readonly flushMs = 2000,
  ) {
    collectDefaultMetrics({ register: this.registry });
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }

  record(
    deploymentId: string,
    versionId: string,
    role: ServingRole,
    latencyMs: number,
    failed: boolean,
    labels?: { deployment: string; version: number },
    /** Adds the answered rows' input and prediction bins into this window's (in memory; merged at flush). */
    tally?: (bins: WindowBins) => void,
  ): void {
    if (labels) {
      const childKey = `${labels.deployment}|${labels.version}|${role}`;
      let child = this.children.get(childKey);
      if (!child) {
        const values = { deployment: labels.deployment, version: String(labels.version), role };
        child = { requests: this.requests.labels(values), errors: this.errors.labels(values), latency: this.latency.labels(values) };
        this.children.set(childKey, child);
      }
      child.requests.inc();
      if (failed) child.errors.inc();
      child.latency.observe(latencyMs / 1000);
    }
    const windowStart = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS;
    const key = `${deploymentId}|${versionId}|${role}|${windowStart}`;
    let delta = this.pending.get(key);
    if (!delta) {
      delta = {
        deploymentId,
        versionId,
        role,
        windowStart: new Date(windowStart),
        requests: 0,
        errors: 0,
        latencyBuckets: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
        latencySumMs: 0,
        features: {},
        predictions: null,
      };
      this.pending.set(key, delta);
    }
    tally?.(delta as WindowBins);
    delta.requests++;
    if (failed) delta.errors++;
    delta.latencyBuckets[latencyBucket(latencyMs)]++;
    delta.latencySumMs += latencyMs;
  }

  /** Writes what was counted; concurrent calls share one flush. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const batch = [...this.pending.values()];
    if (batch.length === 0) return Promise.resolve();
    this.pending = new Map();
    this.flushing = this.uow.read.deploymentMetrics
      .add(batch)
      .catch((error: Error) => {
        this.logger.warn({ err: error }, 'could not write the traffic aggregates; keeping them for the next flush');
        for (const delta of batch) this.merge(delta);
      })
      .finally(() => (this.flushing = null));
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flushing;
    await this.flush();
  }

  private merge(delta: DeploymentMetricsDelta): void {
    const key = `${delta.deploymentId}|${delta.versionId}|${delta.role}|${delta.windowStart.getTime()}`;
    const into = this.pending.get(key);
    if (!into) return void this.pending.set(key, delta);
    into.requests += delta.requests;
    into.errors += delta.errors;
    into.latencySumMs += delta.latencySumMs;
    delta.latencyBuckets.forEach((n, i) => (into.latencyBuckets[i] += n));
    // A failed flush's bins go back under the window's; what could not be added up (edges changed) is dropped.
    for (const [name, bins] of Object.entries(delta.features)) into.features[name] = addBins(into.features[name], bins) ?? into.features[name];
    if (delta.predictions) into.predictions = addBins(into.predictions ?? undefined, delta.predictions) ?? into.predictions;
  }
}

function addBins(into: BinnedCounts | undefined, more: BinnedCounts): BinnedCounts | null {
  if (!into) return more;
  if (into.kind === 'histogram' && more.kind === 'histogram' && into.counts.length === more.counts.length)
    return { ...into, counts: into.counts.map((c, i) => c + more.counts[i]) };
  if (into.kind === 'categories' && more.kind === 'categories') {
    const counts = { ...into.counts };
    for (const [k, c] of Object.entries(more.counts)) counts[k] = (counts[k] ?? 0) + c;
    return { kind: 'categories', counts };
  }
  return null;
}
