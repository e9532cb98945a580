import type { PrismaClient } from '../generated/prisma/client';
import { WORKER_HEARTBEAT_TIMEOUT_MS } from '../workers/worker.entity';

export interface PlatformCounts {
  models: number;
  modelVersions: number;
  experiments: number;
  runs: { total: number; running: number; finished: number; failed: number };
  deployments: number;
  trainingJobs: { queued: number; running: number };
  workersConnected: number;
}

/** The overview's numbers, in one round trip: counting is Postgres' job, not the API's. */
export class OverviewStore {
  constructor(private readonly prisma: PrismaClient) {}

  async counts(): Promise<PlatformCounts> {
    const heartbeatSince = new Date(Date.now() - WORKER_HEARTBEAT_TIMEOUT_MS);
    const [row] = await this.prisma.$queryRaw<Record<string, bigint>[]>`
      select
        (select count(*) from models) as models,
        (select count(*) from model_versions where deleted_at is null and status <> 'ARCHIVED') as model_versions,
        (select count(*) from experiments where archived_at is null) as experiments,
        (select count(*) from runs where deleted_at is null) as runs_total,
        (select count(*) from runs where deleted_at is null and status = 'RUNNING') as runs_running,
        (select count(*) from runs where deleted_at is null and status = 'FINISHED') as runs_finished,
        (select count(*) from runs where deleted_at is null and status = 'FAILED') as runs_failed,
        (select count(*) from deployments where status <> 'DELETED') as deployments,
        (select count(*) from training_jobs where status = 'QUEUED') as jobs_queued,
        (select count(*) from training_jobs where status = 'RUNNING') as jobs_running,
        (select count(*) from workers where stopped_at is null and last_heartbeat_at >= ${heartbeatSince}) as workers_connected`;
    const n = (key: string) => Number(row[key]);
    return {
      models: n('models'),
      modelVersions: n('model_versions'),
      experiments: n('experiments'),
      runs: { total: n('runs_total'), running: n('runs_running'), finished: n('runs_finished'), failed: n('runs_failed') },
      deployments: n('deployments'),
      trainingJobs: { queued: n('jobs_queued'), running: n('jobs_running') },
      workersConnected: n('workers_connected'),
    };
  }

  /** Round trip to the database and its version, for /health. */
  async ping(): Promise<string> {
    const [row] = await this.prisma.$queryRaw<{ version: string }[]>`select current_setting('server_version') as version`;
    return row.version;
  }
}
