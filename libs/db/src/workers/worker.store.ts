import { readNullableJsonColumn } from '@slipway/contracts';
import type { PrismaClient } from '../generated/prisma/client';
import type { Worker as WorkerRow } from '../generated/prisma/client';
import { WORKER_HEARTBEAT_TIMEOUT_MS, type WorkerEntity } from './worker.entity';

export interface WorkerRegistration {
  id: string;
  host: string;
  pid: number;
  tfBackend: string;
  device: string;
  backendInfo: object;
  concurrency: number;
  version: string;
}

function toEntity(row: WorkerRow): WorkerEntity {
  return {
    id: row.id,
    host: row.host,
    pid: row.pid,
    tfBackend: row.tfBackend,
    device: row.device,
    backendInfo: readNullableJsonColumn('workers.backend_info', row.backendInfo, row.id),
    concurrency: row.concurrency,
    version: row.version,
    startedAt: row.startedAt,
    lastHeartbeatAt: row.lastHeartbeatAt,
    stoppedAt: row.stoppedAt,
  };
}

/** Worker presence: registration, heartbeats, clean sign-off. */
export class WorkerStore {
  constructor(private readonly prisma: PrismaClient) {}

  async register(worker: WorkerRegistration): Promise<WorkerEntity> {
    const now = new Date();
    const row = await this.prisma.worker.upsert({
      where: { id: worker.id },
      create: { ...worker, startedAt: now, lastHeartbeatAt: now },
      update: { ...worker, startedAt: now, lastHeartbeatAt: now, stoppedAt: null },
    });
    return toEntity(row);
  }

  /** Returns false when the worker row is gone (e.g. the database was reset): the caller re-registers. */
  async heartbeat(id: string): Promise<boolean> {
    const { count } = await this.prisma.worker.updateMany({ where: { id }, data: { lastHeartbeatAt: new Date(), stoppedAt: null } });
    return count === 1;
  }

  async markStopped(id: string): Promise<void> {
    await this.prisma.worker.updateMany({ where: { id }, data: { stoppedAt: new Date() } });
  }

  /** Workers seen recently, connected ones first; `includeGoneForMs` keeps recently stopped ones in the list. */
  async listRecent(includeGoneForMs = 60 * 60 * 1000): Promise<WorkerEntity[]> {
    const rows = await this.prisma.worker.findMany({
      where: { lastHeartbeatAt: { gte: new Date(Date.now() - includeGoneForMs) } },
      orderBy: [{ lastHeartbeatAt: 'desc' }],
      take: 500,
    });
    return rows.map(toEntity);
  }

  async listConnected(): Promise<WorkerEntity[]> {
    const rows = await this.prisma.worker.findMany({
      where: { stoppedAt: null, lastHeartbeatAt: { gte: new Date(Date.now() - WORKER_HEARTBEAT_TIMEOUT_MS) } },
      orderBy: [{ host: 'asc' }, { pid: 'asc' }],
    });
    return rows.map(toEntity);
  }
}
