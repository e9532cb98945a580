import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestDatabase } from '@slipway/testing';
import { createPrismaClient, type PrismaClient } from '../prisma-client';
import { OverviewStore } from '../platform/overview.store';
import { isConnected, WORKER_HEARTBEAT_TIMEOUT_MS } from '../workers/worker.entity';
import { WorkerStore } from '../workers/worker.store';

const registration = (id: string, pid: number) => ({
  id,
  host: 'gpu-box-1',
  pid,
  tfBackend: 'wasm',
  device: 'cpu (wasm simd)',
  backendInfo: { backend: 'wasm', device: 'cpu (wasm simd)' },
  concurrency: 2,
  version: '0.1.0',
});

describe('WorkerStore and OverviewStore', () => {
  const db = useTestDatabase();
  let prisma: PrismaClient;
  let workers: WorkerStore;
  let overview: OverviewStore;

  beforeAll(() => {
    prisma = createPrismaClient(db.url);
    workers = new WorkerStore(prisma);
    overview = new OverviewStore(prisma);
  });
  afterAll(async () => prisma.$disconnect());

  it('counts a registered worker as connected until it stops or goes silent', async () => {
    const w = await workers.register(registration('gpu-box-1:100:a', 100));
    expect(isConnected(w)).toBe(true);
    await workers.register(registration('gpu-box-1:101:b', 101));
    expect((await workers.listConnected()).map((x) => x.id)).toEqual(['gpu-box-1:100:a', 'gpu-box-1:101:b']);
    await workers.markStopped('gpu-box-1:101:b');
    // A worker killed with SIGKILL never signs off: only the missing heartbeat tells.
    await prisma.worker.update({ where: { id: 'gpu-box-1:100:a' }, data: { lastHeartbeatAt: new Date(Date.now() - WORKER_HEARTBEAT_TIMEOUT_MS - 1000) } });
    expect(await workers.listConnected()).toEqual([]);
    await expect(workers.heartbeat('gpu-box-1:100:a')).resolves.toBe(true);
    expect((await workers.listConnected()).map((x) => x.id)).toEqual(['gpu-box-1:100:a']);
    await expect(workers.heartbeat('never-registered')).resolves.toBe(false);
    expect((await workers.listRecent()).length).toBe(2);
  });

  it('counts what the overview shows', async () => {
    const model = await prisma.model.create({ data: { name: 'm' } });
    await prisma.modelVersion.createMany({ data: [1, 2, 3].map((version) => ({ modelId: model.id, version, status: version === 3 ? 'ARCHIVED' : 'READY' })) });
    // A soft-deleted version is gone for users (lists, aliases, resolve): the overview must not count it either.
    await prisma.modelVersion.create({ data: { modelId: model.id, version: 4, status: 'READY', deletedAt: new Date() } });
    const experiment = await prisma.experiment.create({ data: { name: 'e' } });
    await prisma.run.createMany({
      data: [
        { experimentId: experiment.id, status: 'RUNNING' },
        { experimentId: experiment.id, status: 'FINISHED' },
        { experimentId: experiment.id, status: 'FAILED' },
        { experimentId: experiment.id, status: 'FINISHED', deletedAt: new Date() },
      ],
    });
    await prisma.trainingJob.createMany({
      data: [
        { algorithm: 'cart', hyperparameters: {}, evaluationPlan: {}, status: 'QUEUED' },
        { algorithm: 'cart', hyperparameters: {}, evaluationPlan: {}, status: 'RUNNING' },
      ],
    });
    await expect(overview.counts()).resolves.toEqual({
      models: 1,
      modelVersions: 2,
      experiments: 1,
      runs: { total: 3, running: 1, finished: 1, failed: 1 },
      deployments: 0,
      trainingJobs: { queued: 1, running: 1 },
      workersConnected: 1,
    });
    await expect(overview.ping()).resolves.toMatch(/^17\.|^\d+\./);
  });
});
