import type { BackendInfoColumn } from '@slipway/contracts';

/** A training worker process as the rest of the platform sees it (never the Prisma row). */
export interface WorkerEntity {
  id: string;
  host: string;
  pid: number;
  tfBackend: string;
  device: string;
  /** Parsed through its contract when read (workers.backend_info); null when the worker reported none. */
  backendInfo: BackendInfoColumn | null;
  concurrency: number;
  version: string;
  startedAt: Date;
  lastHeartbeatAt: Date;
  stoppedAt: Date | null;
}

/** A worker counts as connected while its heartbeats keep coming (workers beat every 5 s). */
export const WORKER_HEARTBEAT_INTERVAL_MS = 5_000;
export const WORKER_HEARTBEAT_TIMEOUT_MS = 20_000;

export function isConnected(worker: WorkerEntity, now = new Date()): boolean {
  return worker.stoppedAt === null && now.getTime() - worker.lastHeartbeatAt.getTime() <= WORKER_HEARTBEAT_TIMEOUT_MS;
}

/** The API's view of a worker (dates as ISO strings), shared by /health and /api/v1/workers. */
export function toWorkerSummary(worker: WorkerEntity) {
  return {
    id: worker.id,
    host: worker.host,
    pid: worker.pid,
    tfBackend: worker.tfBackend,
    device: worker.device,
    concurrency: worker.concurrency,
    version: worker.version,
    startedAt: worker.startedAt.toISOString(),
    lastHeartbeatAt: worker.lastHeartbeatAt.toISOString(),
  };
}
