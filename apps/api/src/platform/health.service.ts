import { Inject, Injectable } from '@nestjs/common';
import { platformVersion, type PlatformConfig } from '@slipway/config';
import type { ComponentHealth, HealthResponse } from '@slipway/contracts';
import { toWorkerSummary, UnitOfWork, WORKER_HEARTBEAT_TIMEOUT_MS } from '@slipway/db';
import type { JobQueue } from '@slipway/queue';
import type { ObjectStore } from '@slipway/storage';
import { JOB_QUEUE, OBJECT_STORE, PLATFORM_CONFIG } from '../infrastructure/tokens';

const CHECK_TIMEOUT_MS = 3_000;

async function timed(check: () => Promise<string | undefined>): Promise<ComponentHealth> {
  const started = performance.now();
  try {
    const detail = await Promise.race([
      check(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref()),
    ]);
    return { status: 'UP', latencyMs: Math.round((performance.now() - started) * 10) / 10, detail };
  } catch (error) {
    return { status: 'DOWN', latencyMs: Math.round((performance.now() - started) * 10) / 10, error: (error as Error).message };
  }
}

@Injectable()
export class HealthService {
  private readonly startedAt = Date.now();

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(OBJECT_STORE) private readonly objectStore: ObjectStore,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly db: UnitOfWork,
  ) {}

  async check(): Promise<HealthResponse> {
    const [database, queue, objectStore] = await Promise.all([
      timed(async () => `postgres ${await this.db.read.overview.ping()}`),
      timed(async () => {
        await this.queue.check();
        return 'pg-boss on the platform database';
      }),
      timed(async () => {
        await this.objectStore.check();
        return this.objectStore.description;
      }),
    ]);
    const connected = database.status === 'UP' ? await this.db.read.workers.listConnected().catch(() => []) : [];
    const allUp = [database, queue, objectStore].every((c) => c.status === 'UP');
    return {
      status: allUp ? 'OK' : 'DOWN',
      version: platformVersion(),
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      checks: { database, queue, objectStore },
      workers: {
        connected: connected.length,
        heartbeatTimeoutSeconds: WORKER_HEARTBEAT_TIMEOUT_MS / 1000,
        list: connected.map(toWorkerSummary),
      },
    };
  }

  get objectStoreKind(): string {
    return this.config.objectStore.kind;
  }
}
