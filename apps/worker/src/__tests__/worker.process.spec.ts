import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TF_BACKEND_SETTINGS } from '@slipway/config';
import { UnitOfWork } from '@slipway/db';
import { BACKEND_NAMES } from '@slipway/ml-runtime';
import { freePort, useTestDatabase } from '@slipway/testing';
import { inProcessWorker } from './support/worker-processes';

describe('WorkerProcess', () => {
  const db = useTestDatabase();
  let uow: UnitOfWork;

  beforeAll(() => {
    uow = UnitOfWork.connect(db.url, { poolSize: 2 });
  });
  afterAll(async () => uow.close());

  it('accepts exactly the backend names the ML runtime knows', () => {
    expect([...TF_BACKEND_SETTINGS]).toEqual(['auto', ...BACKEND_NAMES]);
  });

  it('registers with its TF backend, serves /health and /metrics, and signs off on stop', async () => {
    const port = await freePort();
    const worker = inProcessWorker(db.url, { env: { SLIPWAY_WORKER_HEALTH_PORT: String(port) } });
    await worker.start();
    try {
      const [connected] = await uow.read.workers.listConnected();
      expect(connected).toMatchObject({ id: worker.id, tfBackend: 'cpu', pid: process.pid });
      expect(worker.healthPort).toBe(port);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'OK', id: worker.id, backend: { backend: 'cpu', forced: true } });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('slipway_worker_heartbeat_ok 1');
      expect(metrics).toContain('process_cpu_seconds_total');
    } finally {
      await worker.stop();
    }
    await expect(uow.read.workers.listConnected()).resolves.toEqual([]);
    // Signed off, not just silent: its row says when it stopped.
    const signedOff = (await uow.read.workers.listRecent()).find((w) => w.id === worker.id);
    expect(signedOff?.stoppedAt).toBeInstanceOf(Date);
  });
});
