/**
 * A handler module: which queue it takes jobs from, how many at once per worker process, and the
 * handler itself, built once per process from what the process shares (database, queue, settings).
 * One module per queue, `<queue>.handler.ts`; handlers.ts lists the ones a worker runs.
 */
import type { Logger } from '@nestjs/common';
import type { ArtifactSigner } from '@slipway/artifacts';
import type { UnitOfWork } from '@slipway/db';
import type { BackendInfo } from '@slipway/ml-runtime';
import type { AnyQueueDefinition, JobHandler, JobQueue, MessageOf, QueueRef } from '@slipway/queue';
import type { ObjectStore } from '@slipway/storage';

export interface OutboxRelaySettings {
  /** How often the workers (together, throttled by the queue) sweep the outbox. */
  intervalSeconds: number;
  /** How long a delivery may be overdue (never tried, or its retry due) before the sweep re-queues it. */
  staleAfterSeconds: number;
}

/** How the training handler paces its writes and its relay sweep (WorkerOptions.training; tests shorten them). */
export interface TrainingSettings {
  /** Progress (metrics and the job's progress) is written at most this often while training, and once at the end. */
  progressFlushMs: number;
  /** The attempt's heartbeat on the job row, which is also when a cancel request is noticed. */
  heartbeatMs: number;
  /** How often each worker sweeps for QUEUED jobs whose queue message was never sent. */
  relayIntervalSeconds: number;
  /** How old such a job must be before the sweep re-sends it (the API sends right after commit). */
  unqueuedAfterSeconds: number;
  /**
   * How long a RUNNING job may go without a heartbeat before the sweep, finding no queue message left for it
   * (the queue's retries ran out on dead workers), ends it FAILED.
   */
  abandonedAfterSeconds: number;
}

/** How the tuning-study handler sweeps (WorkerOptions.tuning; tests shorten it). */
export interface TuningSettings {
  /** How often each worker advances every RUNNING or STOPPING study (skipping one another pass holds): what a lost message costs. */
  sweepIntervalMs: number;
}

export interface HandlerContext {
  /** The database: reads through `uow.read.<store>`, changes through `uow.run(actor, tx => ...)` (audited, webhooks staged). */
  uow: UnitOfWork;
  queue: JobQueue;
  logger: Logger;
  workerId: string;
  outboxRelay: OutboxRelaySettings;
  /** SLIPWAY_WEBHOOK_ALLOWED_HOSTS: the non-public hosts and networks webhook deliveries may reach. */
  webhookAllowedHosts: readonly string[];
  /** The database URL, for the test fixture's own tables only (test-fixture-long-job.handler.ts); product handlers use `uow`. */
  databaseUrl: string;
  /** The TensorFlow.js backend this process selected at start (recorded on every training run). */
  backend: BackendInfo;
  /** Datasets and artifacts (SLIPWAY_ARTIFACT_DIR or S3), shared with the API. */
  objects: ObjectStore;
  /** The platform's signing key (SLIPWAY_SIGNING_KEY_FILE, the API's), loaded on first use: versions a worker registers are signed with it. */
  signer(): ArtifactSigner;
  training: TrainingSettings;
  tuning: TuningSettings;
  /** Registers a cleanup that runs when the worker stops, after the queue has stopped (no job of this process still runs). */
  onStop(cleanup: () => Promise<void>): void;
}

export interface HandlerModule {
  queueName: string;
  /** A queue outside the registry (a test fixture's), which JobQueue.start must create. */
  extraQueue?: AnyQueueDefinition;
  /** Jobs of this queue one process runs at once, from SLIPWAY_WORKER_CONCURRENCY. */
  concurrency(workerConcurrency: number): number;
  start(context: HandlerContext, concurrency: number): Promise<void>;
}

export function defineHandler<Q extends QueueRef>(spec: {
  queue: Q;
  concurrency: (workerConcurrency: number) => number;
  create: (context: HandlerContext) => JobHandler<MessageOf<Q>>;
}): HandlerModule {
  return {
    queueName: typeof spec.queue === 'string' ? spec.queue : spec.queue.name,
    extraQueue: typeof spec.queue === 'string' ? undefined : spec.queue,
    concurrency: spec.concurrency,
    start: (context, concurrency) => context.queue.work(spec.queue, concurrency, spec.create(context)),
  };
}
