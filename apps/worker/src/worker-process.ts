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
import { platformVersion, requireDatabaseUrl, type PlatformConfig } from '@slipway/config';
import { createPrismaClient, WebhookStore, WORKER_HEARTBEAT_INTERVAL_MS, WorkerStore, type PrismaClient } from '@slipway/db';
import { selectBackend, type BackendInfo } from '@slipway/ml-runtime';
import { JobQueue, QueueName, webhookDeliveryMessageSchema, type WebhookDeliveryMessage } from '@slipway/queue';
import { deliverWebhook } from '@slipway/webhooks';

export interface WorkerStatus {
  id: string;
  backend: BackendInfo;
  lastHeartbeatOk: boolean;
  lastHeartbeatAt: string | null;
}

export class WorkerProcess {
  private readonly logger = new Logger(WorkerProcess.name);
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private prisma?: PrismaClient;
  private queue?: JobQueue;
  private heartbeatTimer?: NodeJS.Timeout;
  private healthServer?: Server;
  private backend?: BackendInfo;
  private lastHeartbeatOk = false;
  private lastHeartbeatAt: Date | null = null;
  private stopping?: Promise<void>;

  constructor(private readonly config: PlatformConfig) {}

  async start(): Promise<void> {
    const databaseUrl = requireDatabaseUrl(this.config);
    this.backend = await selectBackend({ force: this.config.workers.tfBackend });
    this.logger.log(`TensorFlow.js backend: ${this.backend.backend} (${this.backend.device})`);
    this.prisma = createPrismaClient(databaseUrl, { poolSize: 4 });
    const store = new WorkerStore(this.prisma);
    await this.register(store);
    this.heartbeatTimer = setInterval(() => void this.beat(store), WORKER_HEARTBEAT_INTERVAL_MS);
    this.queue = await JobQueue.start({
      databaseUrl,
      instanceName: `slipway-worker:${this.id}`,
      onError: (error) => this.logger.error(`queue: ${error.message}`),
    });
    // Webhook deliveries (registry): one signed POST per job; a thrown error makes pg-boss retry with backoff,
    // and deliverWebhook marks the delivery FAILED itself after the last attempt.
    const webhooks = new WebhookStore(this.prisma);
    await this.queue.work<WebhookDeliveryMessage>(QueueName.WebhookDelivery, 2, async (job) => {
      const delivery = await deliverWebhook(webhooks, webhookDeliveryMessageSchema.parse(job.data).deliveryId);
      if (delivery?.status === 'failed')
        this.logger.warn(`webhook delivery ${delivery.id} failed for good after ${delivery.attempts} attempts: ${delivery.error}`);
    });
    if (this.config.workers.healthPort) await this.serveHealth(this.config.workers.healthPort);
    this.logger.log(`worker ${this.id} connected to the job queue (concurrency ${this.config.workers.concurrency})`);
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
    this.healthServer = createServer((request, response) => {
      if (request.url !== '/health') {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'try /health' } }));
        return;
      }
      const status = this.status();
      response.writeHead(status.lastHeartbeatOk ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: status.lastHeartbeatOk ? 'ok' : 'down', ...status }));
    });
    return new Promise((resolve) => this.healthServer?.listen(port, '0.0.0.0', resolve));
  }

  /** Idempotent: the first call does the work, later calls wait for it. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
      await this.queue?.stop(30_000).catch((error: Error) => this.logger.warn(`queue stop: ${error.message}`));
      if (this.prisma) {
        await new WorkerStore(this.prisma).markStopped(this.id).catch(() => undefined);
        await this.prisma.$disconnect();
      }
      await new Promise<void>((resolve) => (this.healthServer ? this.healthServer.close(() => resolve()) : resolve()));
      this.logger.log(`worker ${this.id} stopped`);
    })();
    return this.stopping;
  }
}
