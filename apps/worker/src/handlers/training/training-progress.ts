import type { TrainingProgressView } from '@slipway/contracts';
import type { ChangeContext, MetricPointInput, UnitOfWork } from '@slipway/db';
import type { TrainingProgress } from '@slipway/ml-algorithms';

/** Why an attempt's training was stopped by its own bookkeeping (the reason given to its AbortController). */
export class CancelRequested extends Error {
  constructor() {
    super('cancel requested');
    this.name = 'CancelRequested';
  }
}

/** The study's early-stopping rule pruned this trial (TrialPruner): training stops, the job ends CANCELLED "pruned: …". */
export class PruneRequested extends Error {
  constructor(
    readonly why: string,
    readonly step: number,
  ) {
    super(`pruned: ${why}`);
    this.name = 'PruneRequested';
  }
}

/** Another attempt owns the job now (the queue gave up on this one), or the job ended: this attempt writes nothing more. */
export class FencedOut extends Error {
  constructor() {
    super('this attempt no longer owns the job');
    this.name = 'FencedOut';
  }
}

export interface ProgressTarget {
  jobId: string;
  attempt: number;
  runId: string;
  actor: ChangeContext;
}

export interface ProgressOptions {
  flushMs: number;
  heartbeatMs: number;
  /** A heartbeat or flush answered that a cancel was asked for. */
  onCancel: () => void;
  /** A heartbeat or flush answered that this attempt no longer owns the job. */
  onFenced: () => void;
  onError: (error: Error) => void;
}

type Phase = TrainingProgressView['phase'];

const MAX_PROGRESS_METRICS = 100;

/** Metric points of one progress event: `epoch/<name>` at the event's global step, `fold/<name>` at the fold number. */
export function metricPointsOf(event: TrainingProgress, timestamp: number): MetricPointInput[] {
  const prefix = event.kind === 'epoch' ? 'epoch/' : 'fold/';
  const step = event.kind === 'epoch' ? event.step : event.fold;
  return Object.entries(event.metrics).map(([name, value]) => ({ key: `${prefix}${name}`, value, step, timestamp }));
}

/**
 * An attempt's live progress: epoch and fold events are buffered and written at most every `flushMs` (metric
 * points to the run and the job's progress, in one transaction fenced by the attempt), and a heartbeat every
 * `heartbeatMs` keeps the job's heartbeat fresh and is how a cancel request reaches the training loop. Writes
 * never overlap (one chain), and the training loop never waits on the database: `push` only buffers.
 *
 * Timers only fire while the event loop turns: during a synchronous fit (CART, k-means) neither heartbeat nor
 * flush runs, so a cancel is seen after the fit returns (train() checks the signal between folds).
 */
export class TrainingProgressReporter {
  private points: MetricPointInput[] = [];
  private view: TrainingProgressView | null = null;
  private viewDirty = false;
  private chain: Promise<void> = Promise.resolve();
  private flushTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  private lastFlushAt = 0;
  private stopped = false;
  private fenced = false;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly target: ProgressTarget,
    private readonly options: ProgressOptions,
  ) {}

  start(): void {
    this.heartbeatTimer = setInterval(() => this.enqueue(() => this.beat()), this.options.heartbeatMs);
  }

  /** The phase the attempt is in now (written with the next flush). */
  phase(phase: Phase): void {
    this.view = { ...(this.view ?? emptyView()), phase, updatedAt: new Date().toISOString() };
    this.viewDirty = true;
    this.schedule();
  }

  push(event: TrainingProgress): void {
    if (this.stopped) return;
    const now = Date.now();
    this.points.push(...metricPointsOf(event, now));
    const finite = Object.entries(event.kind === 'fold' ? event.meanSoFar : event.metrics)
      .filter(([, value]) => Number.isFinite(value))
      .slice(0, MAX_PROGRESS_METRICS);
    this.view = {
      step: event.step,
      phase: 'training',
      fold: event.fold,
      folds: event.kind === 'fold' ? event.folds : (this.view?.folds ?? null),
      epoch: event.kind === 'epoch' ? event.epoch : null,
      epochs: event.kind === 'epoch' ? event.epochs : null,
      metrics: Object.fromEntries(finite),
      updatedAt: new Date(now).toISOString(),
    };
    this.viewDirty = true;
    this.schedule();
  }

  /** Writes what is buffered now and stops the timers; resolves once every write has settled. */
  async stop(options: { flush: boolean }): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (options.flush) this.enqueue(() => this.flush());
    await this.chain;
  }

  get isFenced(): boolean {
    return this.fenced;
  }

  private schedule(): void {
    if (this.flushTimer || this.stopped) return;
    const wait = Math.max(0, this.lastFlushAt + this.options.flushMs - Date.now());
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.enqueue(() => this.flush());
    }, wait);
  }

  private enqueue(write: () => Promise<void>): void {
    this.chain = this.chain.then(write).catch((error: Error) => this.options.onError(error));
  }

  private answer(result: { cancelRequested: boolean } | null): void {
    if (result === null) {
      this.fenced = true;
      this.options.onFenced();
    } else if (result.cancelRequested) this.options.onCancel();
  }

  private async beat(): Promise<void> {
    if (this.fenced) return;
    // Presence, not a change: written on the pool without an audit entry, as the worker's own heartbeat.
    this.answer(await this.uow.read.trainingJobs.recordProgress(this.target.jobId, this.target.attempt, null, new Date()));
  }

  private async flush(): Promise<void> {
    this.lastFlushAt = Date.now();
    if (this.fenced || (this.points.length === 0 && !this.viewDirty)) return;
    const points = this.points;
    const view = this.view;
    this.points = [];
    this.viewDirty = false;
    const { jobId, attempt, runId, actor } = this.target;
    const answer = await this.uow
      .run(actor, async (tx) => {
        const result = await tx.trainingJobs.recordProgress(jobId, attempt, view, new Date());
        // Fenced out: roll the points back with the progress, so a presumed-dead attempt adds nothing to its run.
        if (result === null) throw new FencedOut();
        if (points.length > 0) {
          await tx.metrics.append(runId, points);
          // One audit entry per batch, as the API's log-batch: the points themselves are the record.
          await tx.record({
            action: 'run.log_batch',
            entity: { type: 'run', id: runId },
            after: { metrics: points.length, metricKeys: [...new Set(points.map((p) => p.key))].slice(0, 100), source: `training job ${jobId}` },
          });
        }
        return result;
      })
      .catch((error: unknown) => {
        if (error instanceof FencedOut) return null;
        throw error;
      });
    this.answer(answer);
  }
}

function emptyView(): TrainingProgressView {
  return { step: 0, phase: 'loading', fold: null, folds: null, epoch: null, epochs: null, metrics: {}, updatedAt: new Date().toISOString() };
}
