import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@slipway/contracts';
import { useTestDatabase } from '@slipway/testing';
import { createPrismaClient, type PrismaClient } from '../prisma-client';
import { CompareStore } from '../registry/compare.store';
import { RegistryStore } from '../registry/registry.store';
import { RetentionStore } from '../registry/retention.store';
import { WebhookStore } from '../webhooks/webhook.store';

const newVersion = { description: '', tags: {}, runId: null, algorithm: null, framework: null, createdBy: 'test' };

describe('RegistryStore, CompareStore, RetentionStore, WebhookStore', () => {
  const db = useTestDatabase();
  let prisma: PrismaClient;
  let registry: RegistryStore;

  beforeAll(() => {
    prisma = createPrismaClient(db.url, { poolSize: 4 });
    registry = new RegistryStore(prisma);
  });
  afterAll(async () => prisma.$disconnect());

  it('reports a duplicate model name as ALREADY_EXISTS naming the field, and returns entities with tags', async () => {
    const model = await registry.createModel({ name: 'iris', description: 'd', tags: { team: 'ml' } });
    expect(model).toMatchObject({ name: 'iris', description: 'd', tags: { team: 'ml' } });
    await expect(registry.createModel({ name: 'iris', description: '', tags: {} })).rejects.toMatchObject({
      code: ErrorCode.ALREADY_EXISTS,
      fields: [{ field: 'body.name' }],
    });
    await expect(registry.lockModel('absent', prisma)).resolves.toBeNull();
  });

  it('numbers versions under the model lock, never reusing a deleted number', async () => {
    const create = () =>
      prisma.$transaction(
        async (tx) => {
          const model = await registry.lockModel('iris', tx);
          return registry.createVersion(model?.id ?? '', newVersion, tx);
        },
        { maxWait: 20_000, timeout: 30_000 },
      );
    const versions = await Promise.all(Array.from({ length: 8 }, create));
    expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const last = versions.find((v) => v.version === 8);
    await prisma.$transaction((tx) => registry.softDeleteVersion(last?.id ?? '', tx));
    expect(await registry.getVersion(last?.modelId ?? '', 8)).toBeNull();
    expect((await create()).version).toBe(9);
    await expect(new RetentionStore(prisma).deletedVersions()).resolves.toEqual([{ modelId: last?.modelId, version: 8 }]);
  });

  it('marks READY only from PENDING_UPLOAD, archives only READY, and reports what uses a version', async () => {
    const model = await registry.getModel('iris');
    const v1 = await registry.getVersion(model?.id ?? '', 1);
    const sealed = {
      manifest: [{ path: 'a.json', sha256: 'a'.repeat(64), sizeBytes: 2 }],
      sha256: 'b'.repeat(64),
      signature: 'sig',
      artifactUri: 'file:///x/',
    };
    const ready = await prisma.$transaction((tx) => registry.markReady(v1?.id ?? '', sealed, tx));
    expect(ready).toMatchObject({ status: 'ready', sizeBytes: 2, manifest: sealed.manifest });
    await expect(prisma.$transaction((tx) => registry.markReady(v1?.id ?? '', sealed, tx))).resolves.toBeNull();
    await prisma.$transaction((tx) => registry.setAlias(model?.id ?? '', 'champion', v1?.id ?? '', tx));
    await expect(registry.versionUsage(v1?.id ?? '')).resolves.toEqual({ aliases: ['champion'], deployments: [] });
    const archived = await prisma.$transaction((tx) => registry.archiveVersion(v1?.id ?? '', tx));
    expect(archived?.status).toBe('archived');
    await expect(prisma.$transaction((tx) => registry.archiveVersion(v1?.id ?? '', tx))).resolves.toBeNull();
  });

  it('downsamples metric histories in the database to the point budget, first and last kept', async () => {
    const experiment = await prisma.experiment.create({ data: { name: 'e' } });
    const run = await prisma.run.create({ data: { experimentId: experiment.id } });
    await prisma.metric.createMany({ data: Array.from({ length: 1000 }, (_, step) => ({ runId: run.id, key: 'loss', value: step, step: BigInt(step) })) });
    await prisma.metric.createMany({ data: Array.from({ length: 10 }, (_, step) => ({ runId: run.id, key: 'acc', value: step, step: BigInt(step) })) });
    const series = await new CompareStore(prisma).histories([run.id], 100);
    const loss = series.find((s) => s.key === 'loss')?.points ?? [];
    expect(loss.length).toBeLessThanOrEqual(100);
    expect(loss.length).toBeGreaterThanOrEqual(99);
    expect([loss[0].step, loss[loss.length - 1].step]).toEqual([0, 999]);
    expect(series.find((s) => s.key === 'acc')?.points).toHaveLength(10);
  });

  it('stages webhook deliveries only for active webhooks subscribed to the event', async () => {
    const hooks = new WebhookStore(prisma);
    const subscribed = await hooks.create({
      name: 'a',
      url: 'http://127.0.0.1:9/a',
      events: ['alias.moved'],
      secret: 's'.repeat(16),
      active: true,
      createdBy: 't',
    });
    await hooks.create({ name: 'b', url: 'http://127.0.0.1:9/b', events: ['model_version.ready'], secret: 's'.repeat(16), active: true, createdBy: 't' });
    await hooks.create({ name: 'c', url: 'http://127.0.0.1:9/c', events: ['alias.moved'], secret: 's'.repeat(16), active: false, createdBy: 't' });
    const ids = await prisma.$transaction((tx) => hooks.stageEvent('alias.moved', { alias: 'champion' }, tx));
    expect(ids).toHaveLength(1);
    await expect(hooks.getDelivery(ids[0])).resolves.toMatchObject({
      webhookId: subscribed.id,
      status: 'pending',
      attempts: 0,
      payload: { alias: 'champion' },
    });
    await expect(hooks.update('00000000-0000-4000-8000-000000000000', { active: false })).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    await expect(hooks.delete('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
  });
});
