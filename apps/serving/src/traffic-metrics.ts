import { LATENCY_BUCKETS_MS, METRICS_WINDOW_SECONDS } from '@slipway/contracts';
import type { DeploymentMetricsDelta, UnitOfWork } from '@slipway/db';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { addBins } from './input-bins';
import type { WindowBins } from './loaded-version';
import type { ServingRole } from './routing-table';

const WINDOW_MS = METRICS_WINDOW_SECONDS * 1000;

/** Index of the LATENCY_BUCKETS_MS bucket a latency falls in (upper bounds inclusive, as Prometheus `le`); the last is +Inf. */
export function latencyBucket(ms: number): number {
  for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) if (ms <= LATENCY_BUCKETS_MS[i]) return i;
  return LATENCY_BUCKETS_MS.length;
}

interface Slot {
  requests: Counter.Internal;
  errors: Counter.Internal;
  latency: Histogram.Internal<'deployment' | 'version' | 'role'>;
  windowStart: number;
  generation: number;
  delta: DeploymentMetricsDelta | null;
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
  /** Per (deployment, version, role): its Prometheus children (no label hashing per request) and the window it counts into. */
  private readonly slots = new Map<string, Slot>();
  private pending = new Map<string, DeploymentMetricsDelta>();
  /** Bumped by each flush: a slot's delta taken before it belongs to a batch already written. */
  private generation = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly logger: Logger,
    private readonly flushMs = 2000,
    /** The clock windows are cut on (a test's, to cross a window boundary on purpose). */
    private readonly now: () => number = Date.now,
  ) {
    collectDefaultMetrics({ register: this.registry });
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }

  record(
    deploymentId: string,
    deployment: string,
    versionId: string,
    version: number,
    role: ServingRole,
    latencyMs: number,
    failed: boolean,
    /** Adds the answered rows' input and prediction bins into this window's (in memory; merged at flush). */
    tally?: (bins: WindowBins) => void,
  ): void {
    const key = `${deploymentId}|${versionId}|${role}`;
    let slot = this.slots.get(key);
    if (!slot) {
      const values = { deployment, version: String(version), role };
      slot = {
        requests: this.requests.labels(values),
        errors: this.errors.labels(values),
        latency: this.latency.labels(values),
        windowStart: -1,
        generation: -1,
        delta: null,
      };
      this.slots.set(key, slot);
    }
    slot.requests.inc();
    if (failed) slot.errors.inc();
    slot.latency.observe(latencyMs / 1000);
    const now = this.now();
    const windowStart = now - (now % WINDOW_MS);
    let delta = slot.delta;
    if (!delta || slot.windowStart !== windowStart || slot.generation !== this.generation) {
      // A new window, or the last delta went out with a flush: count into the pending one of this window (made if none).
      const pendingKey = `${key}|${windowStart}`;
      delta = this.pending.get(pendingKey) ?? null;
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
        this.pending.set(pendingKey, delta);
      }
      slot.delta = delta;
      slot.windowStart = windowStart;
      slot.generation = this.generation;
    }
    tally?.(delta as WindowBins);
    delta.requests++;
    if (failed) delta.errors++;
    delta.latencyBuckets[latencyBucket(latencyMs)]++;
    delta.latencySumMs += latencyMs;
  }

  /** What is counted and not yet written (a copy), per window. */
  pendingDeltas(): DeploymentMetricsDelta[] {
    return [...this.pending.values()];
  }

  /** Writes what was counted; concurrent calls share one flush. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const batch = [...this.pending.values()];
    if (batch.length === 0) return Promise.resolve();
    this.pending = new Map();
    this.generation++;
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
