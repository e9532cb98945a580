/**
 * The job queue every API and worker process shares: pg-boss on the platform's own Postgres (schema
 * `pgboss`), so there is nothing extra to run, and any number of workers on any number of machines
 * take jobs from it with SKIP LOCKED. Queue policy (retries, backoff, heartbeats) lives here, once.
 */
import { hostname } from 'node:os';
import { PgBoss } from 'pg-boss';
import { z } from 'zod';

export const QUEUE_SCHEMA = 'pgboss';

export const QueueName = {
  /** One message per training job (and per tuning trial): `{ trainingJobId }`. */
  Training: 'training',
  /** One message per webhook delivery attempt series: `{ deliveryId }`. */
  WebhookDelivery: 'webhook-delivery',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

interface QueuePolicy {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  retryDelayMax?: number;
  /** A job whose worker stops heartbeating for this long is failed and retried (a dead worker loses nothing). */
  heartbeatSeconds?: number;
  expireInSeconds: number;
}

export const QUEUE_POLICIES: Record<QueueName, QueuePolicy> = {
  [QueueName.Training]: { retryLimit: 2, retryDelay: 10, retryBackoff: true, heartbeatSeconds: 30, expireInSeconds: 6 * 3600 },
  [QueueName.WebhookDelivery]: { retryLimit: 8, retryDelay: 5, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 60 },
};

export const trainingMessageSchema = z.object({ trainingJobId: z.string().uuid() });
export const webhookDeliveryMessageSchema = z.object({ deliveryId: z.string().uuid() });
export type TrainingMessage = z.infer<typeof trainingMessageSchema>;
export type WebhookDeliveryMessage = z.infer<typeof webhookDeliveryMessageSchema>;

export interface QueuedJob<T> {
  id: string;
  data: T;
  /** Tells the queue this job's worker is alive (see heartbeatSeconds). */
  touch(): Promise<void>;
}

export interface QueueDepth {
  queued: number;
  active: number;
}

export interface JobQueueOptions {
  databaseUrl: string;
  /** Shown in pg-boss's instance table; defaults to host:pid. */
  instanceName?: string;
  /** Only one kind of process needs to run pg-boss maintenance; workers and API both may. */
  supervise?: boolean;
  onError?: (error: Error) => void;
}

export class JobQueue {
  private constructor(private readonly boss: PgBoss) {}

  /** Connects, installs or migrates pg-boss's schema when needed, and makes sure every queue exists. */
  static async start(options: JobQueueOptions): Promise<JobQueue> {
    const boss = new PgBoss({
      connectionString: options.databaseUrl,
      schema: QUEUE_SCHEMA,
      application_name: options.instanceName ?? `slipway:${hostname()}:${process.pid}`,
      supervise: options.supervise ?? true,
      schedule: false,
      max: 4,
    });
    boss.on('error', (error: Error) => options.onError?.(error));
    await boss.start();
    for (const [name, policy] of Object.entries(QUEUE_POLICIES)) {
      const existing = await boss.getQueue(name);
      if (!existing) {
        await boss.createQueue(name, policy).catch(async (error: Error) => {
          // Another process created it between our check and create.
          if (!(await boss.getQueue(name))) throw error;
        });
      }
    }
    return new JobQueue(boss);
  }

  async send(name: QueueName, data: object, options: { singletonKey?: string } = {}): Promise<string> {
    const id = await this.boss.send(name, data, options.singletonKey ? { singletonKey: options.singletonKey } : undefined);
    if (!id) throw new Error(`queue ${name} refused the job (duplicate singleton key ${options.singletonKey})`);
    return id;
  }

  /**
   * Runs `handler` for each job, `concurrency` at a time in this process. A handler that throws fails the
   * attempt; pg-boss retries it by the queue's policy.
   */
  async work<T>(name: QueueName, concurrency: number, handler: (job: QueuedJob<T>) => Promise<void>): Promise<void> {
    const touchable = (id: string) => () => this.boss.touch(name, id).then(() => undefined);
    for (let i = 0; i < concurrency; i++) {
      await this.boss.work<T>(name, { batchSize: 1, pollingIntervalSeconds: 1 }, async (jobs) => {
        for (const job of jobs) await handler({ id: job.id, data: job.data as T, touch: touchable(job.id) });
      });
    }
  }

  async depth(name: QueueName): Promise<QueueDepth> {
    const queue = await this.boss.getQueue(name);
    return { queued: queue?.queuedCount ?? 0, active: queue?.activeCount ?? 0 };
  }

  /** Throws when the queue's tables cannot be read. */
  async check(): Promise<void> {
    if (!(await this.boss.isInstalled())) throw new Error(`pg-boss schema "${QUEUE_SCHEMA}" is not installed`);
    await this.boss.getQueue(QueueName.Training);
  }

  /** Stops taking jobs and waits (up to `timeoutMs`) for running handlers to finish. */
  async stop(timeoutMs = 30_000): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: timeoutMs });
  }
}
