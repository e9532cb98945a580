import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@slipway/contracts';
import { useTestDatabase } from '@slipway/testing';
import { createPrismaClient, type PrismaClient } from '../prisma-client';
import { CompareStore } from '../registry/compare.store';
import { RetentionStore } from '../registry/retention.store';
import { SYSTEM_ACTOR, UnitOfWork, type ReadStores } from '../unit-of-work';
import { WebhookStore } from '../webhooks/webhook.store';

const newVersion = { description: '', tags: {}, runId: null, algorithm: null, framework: null, createdBy: 'test' };

describe('registry stores (models, versions, aliases, usage, lineage), CompareStore, RetentionStore, WebhookStore', () => {
  const db = useTestDatabase();
  let prisma: PrismaClient;
  let uow: UnitOfWork;
  let read: ReadStores;

  beforeAll(() => {
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    uow = UnitOfWork.connect(db.url, { poolSize: 4 });
    read = uow.read;
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await uow.close();
  });

  it('reports a duplicate model name as ALREADY_EXISTS naming the domain field, and returns entities with tags', async () => {
    const model = await read.models.create({ name: 'iris', description: 'd', tags: { team: 'ml' } });
    expect(model).toMatchObject({ name: 'iris', description: 'd', tags: { team: 'ml' } });
    await expect(read.models.create({ name: 'iris', description: '', tags: {} })).rejects.toMatchObject({
      code: ErrorCode.ALREADY_EXISTS,
      fields: [{ field: 'name' }],
    });
    await expect(uow.run(SYSTEM_ACTOR, (tx) => tx.models.lock('absent'))).resolves.toBeNull();
  });

  it('numbers versions under the model lock, never reusing a deleted number', async () => {
    const create = () =>
      uow.run(SYSTEM_ACTOR, async (tx) => {
        const model = await tx.models.lock('iris');
        return tx.versions.create(model?.id ?? '', newVersion);
      });
    const versions = await Promise.all(Array.from({ length: 8 }, create));
    expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const last = versions.find((v) => v.version === 8);
    await uow.run(SYSTEM_ACTOR, (tx) => tx.versions.softDelete(last?.id ?? ''));
    expect(await read.versions.get(last?.modelId ?? '', 8)).toBeNull();
    expect((await create()).version).toBe(9);
    await expect(new RetentionStore(prisma).deletedVersions()).resolves.toEqual([{ modelId: last?.modelId, version: 8 }]);
  });

  it('marks READY only from PENDING_UPLOAD, archives only READY, and reports what uses a version', async () => {
    const model = await read.models.get('iris');
    const v1 = await read.versions.get(model?.id ?? '', 1);
    const sealed = {
      manifest: [{ path: 'a.json', sha256: 'a'.repeat(64), sizeBytes: 2 }],
      sha256: 'b'.repeat(64),
      signature: 'sig',
      artifactUri: 'file:///x/',
    };
    const ready = await uow.run(SYSTEM_ACTOR, (tx) => tx.versions.markReady(v1?.id ?? '', sealed));
    expect(ready).toMatchObject({ status: 'READY', sizeBytes: 2, manifest: sealed.manifest });
    await expect(uow.run(SYSTEM_ACTOR, (tx) => tx.versions.markReady(v1?.id ?? '', sealed))).resolves.toBeNull();
    await uow.run(SYSTEM_ACTOR, (tx) => tx.aliases.set(model?.id ?? '', 'champion', v1?.id ?? ''));
    await expect(read.aliases.get(model?.id ?? '', 'champion')).resolves.toMatchObject({ alias: 'champion', version: 1, versionId: v1?.id });
    await expect(read.usage.versionUsage(v1?.id ?? '')).resolves.toEqual({ aliases: ['champion'], deployments: [] });
    await expect(read.usage.deploymentsOfModel(model?.id ?? '')).resolves.toEqual([]);
    const archived = await uow.run(SYSTEM_ACTOR, (tx) => tx.versions.archive(v1?.id ?? ''));
    expect(archived?.status).toBe('ARCHIVED');
    await expect(uow.run(SYSTEM_ACTOR, (tx) => tx.versions.archive(v1?.id ?? ''))).resolves.toBeNull();
  });

  it('pages models and versions with the shared cursor codec, refusing a cursor of another list', async () => {
    const first = await read.models.list({ limit: 1 });
    expect(first.models.map((m) => m.name)).toEqual(['iris']);
    expect(first.nextCursor).toBeNull();
    const model = await read.models.get('iris');
    const page1 = await read.versions.list(model?.id ?? '', { limit: 3 });
    expect(page1.versions.map((v) => v.version)).toEqual([9, 7, 6]);
    const page2 = await read.versions.list(model?.id ?? '', { limit: 3, cursor: page1.nextCursor ?? '' });
    expect(page2.versions.map((v) => v.version)).toEqual([5, 4, 3]);
    await expect(read.models.list({ limit: 1, cursor: page1.nextCursor ?? '' })).rejects.toMatchObject({
      code: ErrorCode.INVALID_ARGUMENT,
      fields: [{ field: 'cursor' }],
    });
  });

  it('reads lineage of several runs in one go', async () => {
    const experiment = await prisma.experiment.create({ data: { name: 'lineage' } });
    const run = await prisma.run.create({ data: { experimentId: experiment.id, name: 'r', seed: 3, params: { create: [{ key: 'lr', value: '0.1' }] } } });
    await prisma.latestMetric.create({ data: { runId: run.id, key: 'auc', value: 0.9, step: BigInt(1), timestamp: new Date() } });
    const lineage = await read.lineage.ofRuns([run.id, run.id, '00000000-0000-4000-8000-000000000000']);
    expect([...lineage.keys()]).toEqual([run.id]);
    expect(lineage.get(run.id)).toMatchObject({ runName: 'r', seed: 3, params: { lr: '0.1' }, metrics: { auc: 0.9 }, runDeleted: false });
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
    const ids = await prisma.$transaction((tx) => new WebhookStore(tx).stageEvent('alias.moved', { alias: 'champion' }, tx));
    expect(ids).toHaveLength(1);
    await expect(hooks.getDelivery(ids[0])).resolves.toMatchObject({
      webhookId: subscribed.id,
      status: 'PENDING',
      attempts: 0,
      payload: { alias: 'champion' },
    });
    await expect(hooks.update('00000000-0000-4000-8000-000000000000', { active: false })).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    await expect(hooks.delete('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
  });
});
