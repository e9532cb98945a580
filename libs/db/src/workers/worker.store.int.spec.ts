import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode, SlipwayError } from '@slipway/contracts';
import { useTestDatabase } from '@slipway/testing';
import { createPrismaClient, type PrismaClient } from '../prisma-client';
import { WorkerStore } from './worker.store';

/** What a worker on the wasm route reports (ml-runtime's BackendInfo). */
const backendInfo = {
  backend: 'wasm',
  tfBackend: 'wasm',
  device: 'cpu (wasm simd)',
  forced: false,
  tried: [
    { backend: 'node-gpu', ok: false, reason: '@tensorflow/tfjs-node-gpu is not installed' },
    { backend: 'wasm', ok: true, reason: 'selected' },
  ],
  tfjsVersion: '4.22.0',
};

describe('WorkerStore: workers.backend_info through its contract', () => {
  const db = useTestDatabase();
  let prisma: PrismaClient;
  let workers: WorkerStore;

  beforeAll(() => {
    prisma = createPrismaClient(db.url);
    workers = new WorkerStore(prisma);
  });
  afterAll(async () => prisma.$disconnect());

  const register = (id: string, info: object) =>
    workers.register({ id, host: 'box', pid: 1, tfBackend: 'wasm', device: 'cpu', backendInfo: info, concurrency: 1, version: '0.1.0' });

  it('reads back what a worker reported, typed', async () => {
    const worker = await register('box:1:a', backendInfo);
    expect(worker.backendInfo).toEqual(backendInfo);
    expect(worker.backendInfo?.tried?.[1]).toEqual({ backend: 'wasm', ok: true, reason: 'selected' });
    await prisma.$executeRaw`update workers set backend_info = null where id = 'box:1:a'`;
    expect((await workers.listRecent()).find((w) => w.id === 'box:1:a')?.backendInfo).toBeNull();
  });

  it('a row whose backend_info does not match the contract fails as INTERNAL naming the column, the row and the issue', async () => {
    await register('box:2:b', backendInfo);
    // Written past the store, as an old worker version or a manual fix-up could.
    await prisma.$executeRaw`update workers set backend_info = '{"backend":"wasm","tried":[{"backend":"wasm","ok":"yes","reason":""}]}'::jsonb where id = 'box:2:b'`;
    const error = await workers.listRecent().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlipwayError);
    expect((error as SlipwayError).code).toBe(ErrorCode.INTERNAL);
    expect((error as SlipwayError).message).toBe(
      'Stored workers.backend_info (row box:2:b) does not match its contract at tried.0.ok: Invalid input: expected boolean, received string',
    );
  });
});
