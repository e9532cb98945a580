/**
 * The job queue every API and worker process shares: pg-boss on the platform's own Postgres (schema
 * `pgboss`), so there is nothing extra to run, and any number of workers on any number of machines
 * take jobs from it with SKIP LOCKED. Which queues exist, what they carry and how they retry lives in
 * queue-registry.ts; this class enforces it: messages are checked against their queue's schema when
 * sent and when received, and each running job gets a heartbeat and an AbortSignal.
 */
import { hostname } from 'node:os';
import { PgBoss, type Job, type JobResult } from 'pg-boss';
import { InvalidJobMessageError, JobInterruptedError, JobRefusedError, PermanentJobError } from './job-errors';
import { REGISTERED_QUEUES, type AnyQueueDefinition, type MessageInput, type MessageOf, type QueueRef } from './queue-registry';

export * from './queue-registry';
export * from './job-errors';

export const QUEUE_SCHEMA = 'pgboss';

export interface QueuedJob<T> {
  id: string;
  queue: string;
  data: T;
  /** 0 on the first attempt, then one more per retry (a worker that died mid-job counts as an attempt). */
  retryCount: number;
  /**
   * Cooperative cancellation: aborted when this process shuts down, when the job is cancelled
   * (`JobQueue.cancel`, noticed at the job's next heartbeat refresh), when another worker holds the job
   * now, or when the attempt runs past expireInSeconds. `signal.reason` is a JobInterruptedError saying
   * which. A handler that stops on it should throw (the job is retried by policy); work already
   * committed stays, so write results in one transaction at the end, or idempotently.
   */
  signal: AbortSignal;
  /** Writes the job's heartbeat now (pg-boss also writes it every heartbeatRefreshSeconds while the handler runs). */
  touch(): Promise<void>;
}

export type JobHandler<T> = (job: QueuedJob<T>) => Promise<void>;

export interface QueueDepth {
  queued: number;
  active: number;
}

export interface SendOptions {
  /** Defaults to the queue's own key for the message (see QueueDefinition.singletonKey). */
  singletonKey?: string;
  /** Throttle: at most one job per this many seconds (per singleton key); later ones in the window are refused. */
  throttleSeconds?: number;
  /** Not before this time (or this many seconds from now). */
  startAfter?: Date | number;
}

export interface JobQueueOptions {
  databaseUrl: string;
  /** Shown in pg-boss's instance table; defaults to host:pid. */
  instanceName?: string;
  /** Only one kind of process needs to run pg-boss maintenance; workers and API both may. */
  supervise?: boolean;
  /**
   * How often a supervising instance fails jobs whose heartbeat or time ran out (so another worker
   * takes them). A dead worker's job is picked up within heartbeatSeconds plus this. Default 15.
   */
  monitorIntervalSeconds?: number;
  /**
   * How often an idle worker of this process looks for jobs it was not woken for (a retry whose delay ran out, a
   * failed-over attempt); a job sent meanwhile wakes it at once through NOTIFY. Default 1.
   */
  pollingIntervalSeconds?: number;
  /** Queues beyond the registry's (test fixtures); created like the registered ones. */
  extraQueues?: readonly AnyQueueDefinition[];
  onError?: (error: Error) => void;
}

/** What a failed job stores as its output: enough to read in the jobs table without the stack of a retry loop. */
function failureOutput(error: unknown): object {
  if (error instanceof InvalidJobMessageError) return { name: error.name, message: error.message, issues: error.issues };
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

export class JobQueue {
  /** One controller per running job in this process: stop() aborts them all. */
  private readonly running = new Set<AbortController>();
  private stopping = false;

  private constructor(
    private readonly boss: PgBoss,
    private readonly queues: ReadonlyMap<string, AnyQueueDefinition>,
    private readonly onError: (error: Error) => void,
    private readonly pollingIntervalSeconds: number,
  ) {}

  /** Connects, installs or migrates pg-boss's schema when needed, and makes sure every queue exists with its current policy. */
  static async start(options: JobQueueOptions): Promise<JobQueue> {
    const monitorSeconds = options.monitorIntervalSeconds ?? 15;
    const boss = new PgBoss({
      connectionString: options.databaseUrl,
      schema: QUEUE_SCHEMA,
      application_name: options.instanceName ?? `slipway:${hostname()}:${process.pid}`,
      supervise: options.supervise ?? true,
      superviseIntervalSeconds: monitorSeconds,
      monitorIntervalSeconds: monitorSeconds,
      schedule: false,
      max: 4,
      // Pickup latency: a job sent to an idle worker is fetched when its NOTIFY arrives, not at the worker's next
      // poll (up to a second later, most of a tiny job's time). One more connection per process, for LISTEN.
      useListenNotify: true,
    });
    const onError = options.onError ?? (() => undefined);
    boss.on('error', (error: Error) => onError(error));
    const queues = new Map<string, AnyQueueDefinition>();
    for (const definition of [...REGISTERED_QUEUES, ...(options.extraQueues ?? [])]) {
      if (queues.has(definition.name)) throw new Error(`queue ${definition.name} is defined twice`);
      queues.set(definition.name, definition);
    }
    await boss.start();
    try {
      for (const definition of queues.values()) await JobQueue.ensureQueue(boss, definition);
    } catch (error) {
      // Without this its timers would keep the process alive.
      await boss.stop({ graceful: false }).catch(() => undefined);
      throw error;
    }
    return new JobQueue(boss, queues, onError, options.pollingIntervalSeconds ?? 1);
  }

  private static async ensureQueue(boss: PgBoss, { name, policy }: AnyQueueDefinition): Promise<void> {
    const settings = {
      // Every queue wakes its workers on send (see useListenNotify); polling stays the floor.
      notify: true,
      retryLimit: policy.retryLimit,
      retryDelay: policy.retryDelay,
      retryBackoff: policy.retryBackoff,
      expireInSeconds: policy.expireInSeconds,
      // pg-boss checks any key that is present, undefined or not.
      ...(policy.retryDelayMax !== undefined && { retryDelayMax: policy.retryDelayMax }),
      ...(policy.heartbeatSeconds !== undefined && { heartbeatSeconds: policy.heartbeatSeconds }),
    };
    const existing = await boss.getQueue(name);
    if (!existing) {
      const created = await boss.createQueue(name, { ...settings, policy: policy.kind ?? 'standard' }).then(
        () => true,
        async (error: Error) => {
          // Another process created it between our check and create.
          if (!(await boss.getQueue(name))) throw error;
          return false;
        },
      );
      if (created) return;
    }
    const current = existing ?? (await boss.getQueue(name));
    // A policy changed in the registry reaches queues created by an older release (the queue kind cannot change).
    const stale =
      current &&
      (current.notify !== settings.notify ||
        current.retryLimit !== settings.retryLimit ||
        current.retryDelay !== settings.retryDelay ||
        current.retryBackoff !== settings.retryBackoff ||
        (current.retryDelayMax ?? undefined) !== policy.retryDelayMax ||
        (current.heartbeatSeconds ?? undefined) !== policy.heartbeatSeconds ||
        current.expireInSeconds !== settings.expireInSeconds);
    if (stale) {
      await boss.updateQueue(name, {
        ...settings,
        ...(policy.retryBackoff && { retryDelayMax: policy.retryDelayMax ?? null }),
        heartbeatSeconds: policy.heartbeatSeconds ?? null,
      });
    }
  }

  private definition(queue: QueueRef): AnyQueueDefinition {
    const name = typeof queue === 'string' ? queue : queue.name;
    const definition = this.queues.get(name);
    if (!definition) throw new Error(`queue ${name} is not registered (a fixture queue must be passed to JobQueue.start as extraQueues)`);
    return definition;
  }

  /**
   * Checks `message` against the queue's schema and queues it. Throws InvalidJobMessageError (nothing
   * queued) for a malformed message, JobRefusedError when the queue's dedupe or a throttle refuses it.
   */
  async send<Q extends QueueRef>(queue: Q, message: MessageInput<Q>, options: SendOptions = {}): Promise<string> {
    const id = await this.trySend(queue, message, options);
    if (!id) throw new JobRefusedError(this.definition(queue).name, options.singletonKey);
    return id;
  }

  /** As send, but resolves null where the queue refuses a duplicate (a throttled timer's second send in one window). */
  async trySend<Q extends QueueRef>(queue: Q, message: MessageInput<Q>, options: SendOptions = {}): Promise<string | null> {
    const definition = this.definition(queue);
    const parsed = definition.schema.safeParse(message);
    if (!parsed.success) throw new InvalidJobMessageError(definition.name, 'send', parsed.error);
    const singletonKey = options.singletonKey ?? definition.singletonKey?.(parsed.data);
    return this.boss.send(definition.name, parsed.data as object, {
      ...(singletonKey !== undefined && { singletonKey }),
      ...(options.throttleSeconds !== undefined && { singletonSeconds: options.throttleSeconds }),
      ...(options.startAfter !== undefined && { startAfter: options.startAfter }),
    });
  }

  /**
   * Runs `handler` for each job, `concurrency` at a time in this process, with the message parsed by the
   * queue's schema. A message that fails the schema fails its job for good (reported through onError);
   * so does a PermanentJobError. Any other throw fails the attempt, and pg-boss retries it by the queue's
   * policy.
   */
  async work<Q extends QueueRef>(queue: Q, concurrency: number, handler: JobHandler<MessageOf<Q>>): Promise<void> {
    const definition = this.definition(queue);
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new Error(`queue ${definition.name}: concurrency must be a positive integer, not ${concurrency}`);
    // One pg-boss worker per slot (not localConcurrency), so each slot knows its own id to wake itself with below.
    for (let slot = 0; slot < concurrency; slot++) {
      // Filled in once pg-boss answers; its first fetch may run the handler before then (no wake-up needed for that one).
      const slot: { id?: string } = {};
      slot.id = await this.boss.work(
        definition.name,
        {
          batchSize: 1,
          pollingIntervalSeconds: this.pollingIntervalSeconds,
          // With NOTIFY active pg-boss would relax polling to 30 s; jobs that become due without a NOTIFY (a retry's
          // delay, a failed-over attempt) must not wait that long.
          notifyPollingIntervalSeconds: this.pollingIntervalSeconds,
          localConcurrency: 1,
          perJobResults: true,
          ...(definition.policy.heartbeatRefreshSeconds !== undefined && { heartbeatRefreshSeconds: definition.policy.heartbeatRefreshSeconds }),
        },
        async (jobs) => {
          const results = await Promise.all(jobs.map((job) => this.runJob(definition, job, handler)));
          // A slot that just finished a job looks for the next one at once rather than sleeping out the rest of its
          // polling interval (a backlog of short jobs otherwise waits up to a second between jobs). An empty fetch
          // puts it back on the ordinary interval, so this never spins.
          if (slot.id !== undefined) this.boss.notifyWorker(slot.id);
          return results;
        },
      );
    }
  }

  private async runJob<T>(definition: AnyQueueDefinition, job: Job<unknown>, handler: JobHandler<T>): Promise<JobResult> {
    const parsed = definition.schema.safeParse(job.data);
    if (!parsed.success) {
      const error = new InvalidJobMessageError(definition.name, 'receive', parsed.error);
      this.onError(new Error(`job ${job.id}: ${error.message}`));
      // `deadletter` fails the job terminally, whatever retries are left: a retry cannot fix the message.
      return { id: job.id, status: 'deadletter', output: failureOutput(error) };
    }
    const controller = new AbortController();
    // pg-boss aborts its job signal when the claim is gone (cancelled, or failed and taken elsewhere), on
    // expiry, and at the end of a shutdown's grace; and also after every ordinary completion, which is why
    // the listener goes before the handler returns.
    const fromQueue = () => {
      const detail = String((job.signal.reason as Error | undefined)?.message ?? '');
      controller.abort(
        this.stopping
          ? new JobInterruptedError('shutdown', `worker shutting down`)
          : /no longer active/.test(detail)
            ? new JobInterruptedError('cancelled', `job ${job.id} was cancelled or is held by another worker now`)
            : new JobInterruptedError('expired', `job ${job.id} ran past its ${definition.policy.expireInSeconds} s`),
      );
    };
    job.signal.addEventListener('abort', fromQueue, { once: true });
    this.running.add(controller);
    if (this.stopping) controller.abort(new JobInterruptedError('shutdown', 'worker shutting down'));
    try {
      await handler({
        id: job.id,
        queue: definition.name,
        // Parsed by this definition's schema: what MessageOf<Q> says the handler receives.
        data: parsed.data as T,
        retryCount: job.retryCount,
        signal: controller.signal,
        touch: () => this.boss.touch(definition.name, { id: job.id, retryCount: job.retryCount }).then(() => undefined),
      });
      return { id: job.id, status: 'completed' };
    } catch (error) {
      return { id: job.id, status: error instanceof PermanentJobError ? 'deadletter' : 'failed', output: failureOutput(error) };
    } finally {
      job.signal.removeEventListener('abort', fromQueue);
      this.running.delete(controller);
    }
  }

  /** Cancels a queued or running job; a running one's handler sees its signal abort at its next heartbeat refresh. */
  async cancel(queue: QueueRef, jobId: string): Promise<void> {
    await this.boss.cancel(this.definition(queue).name, jobId);
  }

  /** A job's state as the queue has it (null once deleted by retention). */
  async jobState(queue: QueueRef, jobId: string): Promise<{ state: string; retryCount: number; output: unknown } | null> {
    const job = await this.boss.getJobById(this.definition(queue).name, jobId);
    return job ? { state: job.state, retryCount: job.retryCount, output: job.output } : null;
  }

  /** Whether a job under `singletonKey` is waiting, retrying or running, i.e. will still be handled. */
  async hasLiveJob(queue: QueueRef, singletonKey: string): Promise<boolean> {
    const jobs = await this.boss.findJobs(this.definition(queue).name, { key: singletonKey });
    return jobs.some((job) => job.state === 'created' || job.state === 'retry' || job.state === 'active');
  }

  async depth(queue: QueueRef): Promise<QueueDepth> {
    const found = await this.boss.getQueue(this.definition(queue).name);
    return { queued: found?.queuedCount ?? 0, active: found?.activeCount ?? 0 };
  }

  /** Throws when the queue's tables cannot be read. */
  async check(): Promise<void> {
    if (!(await this.boss.isInstalled())) throw new Error(`pg-boss schema "${QUEUE_SCHEMA}" is not installed`);
    await this.boss.getQueue(REGISTERED_QUEUES[0].name);
  }

  /**
   * Stops taking jobs, aborts every running job's signal (reason `shutdown`), and waits up to `timeoutMs`
   * for the handlers to return. A handler that ignores its signal keeps its job until it finishes or the
   * timeout fails the job (retried elsewhere by policy).
   */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopping = true;
    for (const controller of this.running) controller.abort(new JobInterruptedError('shutdown', 'worker shutting down'));
    await this.boss.stop({ graceful: true, timeout: timeoutMs });
  }
}
