/**
 * One worker process: selects its TensorFlow.js backend, announces itself in the `workers` table,
 * heartbeats, takes jobs from the shared queue, and signs off cleanly on SIGINT/SIGTERM (finishing or
 * handing back the jobs it holds). A worker killed outright simply stops heartbeating: the API stops
 * counting it, and the queue's own heartbeat timeout hands its job to another worker.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import { ArtifactSigner } from '@slipway/artifacts';
import { platformVersion, requireDatabaseUrl, type PlatformConfig } from '@slipway/config';
import { UnitOfWork, WORKER_HEARTBEAT_INTERVAL_MS, type WorkerStore } from '@slipway/db';
import { selectBackend, type BackendInfo } from '@slipway/ml-runtime';
import { JobQueue, QueueName, REGISTERED_QUEUES, type AnyQueueDefinition } from '@slipway/queue';
import { createObjectStore } from '@slipway/storage';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { HandlerContext, HandlerModule, OutboxRelaySettings, TrainingSettings, TuningSettings } from './handlers/handler';
import { PRODUCTION_HANDLERS, TEST_FIXTURE_HANDLERS } from './handlers/handlers';

export interface WorkerStatus {
  id: string;
  backend: BackendInfo;
  lastHeartbeatOk: boolean;
  lastHeartbeatAt: string | null;
}

export interface WorkerOptions {
  /** Also take jobs from the test fixture queues (only the tests set this, through SLIPWAY_TEST_FIXTURE_QUEUES=1). */
  testFixtures?: boolean;
  outboxRelay?: Partial<OutboxRelaySettings>;
  /** How often this process's queue client fails jobs whose heartbeat ran out (JobQueueOptions.monitorIntervalSeconds). */
  queueMonitorIntervalSeconds?: number;
  training?: Partial<TrainingSettings>;
  tuning?: Partial<TuningSettings>;
}

export const TRAINING_DEFAULTS: TrainingSettings = {
  progressFlushMs: 500,
  heartbeatMs: 1000,
  relayIntervalSeconds: 30,
  unqueuedAfterSeconds: 30,
  // Well past the queue's own failover (30 s heartbeat, a 15 s monitor pass, the retry's backoff): only a job the queue gave up on.
  abandonedAfterSeconds: 300,
};

/** Trials start on their study's message within milliseconds; the sweep only covers a message that was lost. */
export const TUNING_DEFAULTS: TuningSettings = { sweepIntervalMs: 2000 };

/** A delivery that waited two minutes past due with no job gets one; the API queues it right after commit, so that is a failure. */
export const OUTBOX_RELAY_DEFAULTS: OutboxRelaySettings = { intervalSeconds: 60, staleAfterSeconds: 120 };

export class WorkerProcess {
  private readonly logger = new Logger(WorkerProcess.name);
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private uow?: UnitOfWork;
  private readonly stopCleanups: (() => Promise<void>)[] = [];
  private queue?: JobQueue;
  private heartbeatTimer?: NodeJS.Timeout;
  private relayTimer?: NodeJS.Timeout;
  private healthServer?: Server;
  private backend?: BackendInfo;
  private lastHeartbeatOk = false;
  private lastHeartbeatAt: Date | null = null;
  private stopping?: Promise<void>;

  private readonly handlers: readonly HandlerModule[];
  private readonly outboxRelay: OutboxRelaySettings;

  constructor(
    private readonly config: PlatformConfig,
    private readonly options: WorkerOptions = {},
  ) {
    this.handlers = [...PRODUCTION_HANDLERS, ...(options.testFixtures ? TEST_FIXTURE_HANDLERS : [])];
    this.outboxRelay = { ...OUTBOX_RELAY_DEFAULTS, ...options.outboxRelay };
  }

  async start(): Promise<void> {
    const databaseUrl = requireDatabaseUrl(this.config);
    this.backend = await selectBackend({ force: this.config.workers.tfBackend });
    this.logger.log(`TensorFlow.js backend: ${this.backend.backend} (${this.backend.device})`);
    this.uow = UnitOfWork.connect(databaseUrl, { poolSize: 4, afterCommit: (deliveryIds) => this.enqueueDeliveries(deliveryIds) });
    // Presence (register, heartbeat, sign-off) is not an audited change: the workers store lives on the pool only.
    const store = this.uow.read.workers;
    await this.register(store);
    this.heartbeatTimer = setInterval(() => void this.beat(store), WORKER_HEARTBEAT_INTERVAL_MS);
    const registered = new Set(REGISTERED_QUEUES.map((q) => q.name));
    const extraQueues = this.handlers.map((h) => h.extraQueue).filter((q): q is AnyQueueDefinition => q !== undefined && !registered.has(q.name));
    this.queue = await JobQueue.start({
      databaseUrl,
      instanceName: `slipway-worker:${this.id}`,
      extraQueues,
      monitorIntervalSeconds: this.options.queueMonitorIntervalSeconds,
      onError: (error) => this.logger.error(`queue: ${error.message}`),
    });
    let signer: ArtifactSigner | undefined;
    const signingKeyFile = this.config.signingKeyFile;
    const context: HandlerContext = {
      uow: this.uow,
      queue: this.queue,
      logger: this.logger,
      workerId: this.id,
      outboxRelay: this.outboxRelay,
      webhookAllowedHosts: this.config.webhookAllowedHosts,
      databaseUrl,
      backend: this.backend,
      objects: createObjectStore(this.config.objectStore),
      signer: () => (signer ??= ArtifactSigner.loadOrCreate(signingKeyFile)),
      training: { ...TRAINING_DEFAULTS, ...this.options.training },
      tuning: { ...TUNING_DEFAULTS, ...this.options.tuning },
      onStop: (cleanup) => this.stopCleanups.push(cleanup),
    };
    const concurrency: string[] = [];
    for (const handler of this.handlers) {
      const n = handler.concurrency(this.config.workers.concurrency);
      await handler.start(context, n);
      concurrency.push(`${handler.queueName} ${n}`);
    }
    this.startOutboxRelay(this.queue);
    if (this.config.workers.healthPort !== undefined) await this.serveHealth(this.config.workers.healthPort);
    this.logger.log(`worker ${this.id} connected to the job queue (SLIPWAY_WORKER_CONCURRENCY ${this.config.workers.concurrency}: ${concurrency.join(', ')})`);
  }

  /**
   * A handler's change (uow.run) that staged webhook deliveries gets their jobs after commit, as in the API.
   * One that fails to queue stays PENDING and the outbox relay queues it later; so does one staged before
   * the queue is up.
   */
  private async enqueueDeliveries(deliveryIds: readonly string[]): Promise<void> {
    for (const deliveryId of deliveryIds) {
      await this.queue?.send(QueueName.WebhookDelivery, { deliveryId }, { singletonKey: deliveryId }).catch((error: Error) => {
        this.logger.warn(`could not queue webhook delivery ${deliveryId}: ${error.message}`);
      });
    }
  }

  /**
   * Every worker asks for a sweep each interval; the queue throttles the asks to one job per interval
   * (the window is the same for all of them), so the cluster sweeps once per interval however many
   * workers run, and keeps sweeping while any one is up.
   */
  private startOutboxRelay(queue: JobQueue): void {
    const { intervalSeconds } = this.outboxRelay;
    const ask = () =>
      void queue.trySend(QueueName.WebhookOutboxRelay, {}, { throttleSeconds: intervalSeconds }).catch((error: Error) => {
        this.logger.warn(`outbox relay: could not queue a sweep: ${error.message}`);
      });
    ask();
    this.relayTimer = setInterval(ask, intervalSeconds * 1000);
  }

  /** The port /health is served on, once started. */
  get healthPort(): number | undefined {
    const address = this.healthServer?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }

  status(): WorkerStatus {
    if (!this.backend) throw new Error('worker not started');
    return { id: this.id, backend: this.backend, lastHeartbeatOk: this.lastHeartbeatOk, lastHeartbeatAt: this.lastHeartbeatAt?.toISOString() ?? null };
  }

  private async register(store: WorkerStore): Promise<void> {
    const backend = this.backend as BackendInfo;
    await store.register({
      id: this.id,
      host: hostname(),
      pid: process.pid,
      tfBackend: backend.backend,
      device: backend.device,
      backendInfo: backend as unknown as object,
      concurrency: this.config.workers.concurrency,
      version: platformVersion(),
    });
    this.lastHeartbeatOk = true;
    this.lastHeartbeatAt = new Date();
  }

  private async beat(store: WorkerStore): Promise<void> {
    try {
      const known = await store.heartbeat(this.id);
      if (!known) await this.register(store);
      this.lastHeartbeatOk = true;
      this.lastHeartbeatAt = new Date();
    } catch (error) {
      // The database may be restarting; keep trying, and let /health say so meanwhile.
      this.lastHeartbeatOk = false;
      this.logger.warn(`heartbeat failed: ${(error as Error).message}`);
    }
  }

  private serveHealth(port: number): Promise<void> {
    // /metrics beside /health on the same port: process metrics and the heartbeat, for Prometheus.
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const heartbeat = new Gauge({ name: 'slipway_worker_heartbeat_ok', help: '1 while the last heartbeat reached the database', registers: [registry] });
    this.healthServer = createServer((request, response) => {
      if (request.url === '/metrics') {
        heartbeat.set(this.lastHeartbeatOk ? 1 : 0);
        void registry.metrics().then(
          (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
          () => response.writeHead(500).end(),
        );
        return;
      }
      if (request.url !== '/health') {
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'try /health or /metrics' } }));
        return;
      }
      const status = this.status();
      response.writeHead(status.lastHeartbeatOk ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: status.lastHeartbeatOk ? 'OK' : 'DOWN', ...status }));
    });
    const server = this.healthServer;
    // A port already taken fails the start instead of leaving a worker without its probe.
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  /** Idempotent: the first call does the work, later calls wait for it. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
      if (this.relayTimer) clearInterval(this.relayTimer);
      await this.queue?.stop(30_000).catch((error: Error) => this.logger.warn(`queue stop: ${error.message}`));
      for (const cleanup of this.stopCleanups) await cleanup().catch((error: Error) => this.logger.warn(`handler cleanup: ${error.message}`));
      if (this.uow) {
        await this.uow.read.workers.markStopped(this.id).catch(() => undefined);
        await this.uow.close();
      }
      await new Promise<void>((resolve) => (this.healthServer ? this.healthServer.close(() => resolve()) : resolve()));
      this.logger.log(`worker ${this.id} stopped`);
    })();
    return this.stopping;
  }
}
