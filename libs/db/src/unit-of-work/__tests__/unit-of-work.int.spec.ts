import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ErrorCode, SlipwayError } from '@slipway/contracts';
import { useTestDatabase } from '@slipway/testing';
import { generateToken } from '../../auth/api-token.store';
import { createPrismaClient, type PrismaClient } from '../../prisma-client';
import { dbFailureOf, toSlipwayError } from '../db-errors';
import { SYSTEM_ACTOR, UnitOfWork, type ChangeContext } from '../unit-of-work';

const MISSING = '00000000-0000-4000-8000-000000000000';
const ALICE: ChangeContext = { tokenId: null, name: 'alice', requestId: 'req-42' };

/** The unit of work on real Postgres: one error mapping, and audit entries and outbox rows that commit or roll back with the change. */
describe('UnitOfWork', () => {
  const db = useTestDatabase();
  let prisma: PrismaClient;
  let uow: UnitOfWork;
  let committed: string[][];
  let failEnqueue: boolean;

  beforeAll(async () => {
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    uow = UnitOfWork.connect(db.url, {
      poolSize: 4,
      afterCommit: async (ids) => {
        committed.push([...ids]);
        if (failEnqueue) throw new Error('queue down');
      },
    });
    await prisma.webhook.create({
      data: { name: 'aliases', url: 'http://127.0.0.1:9/a', events: ['alias.moved'], secret: 's'.repeat(16), active: true, createdBy: 't' },
    });
    await prisma.webhook.create({
      data: { name: 'off', url: 'http://127.0.0.1:9/b', events: ['alias.moved'], secret: 's'.repeat(16), active: false, createdBy: 't' },
    });
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await uow.close();
  });
  beforeEach(() => {
    committed = [];
    failEnqueue = false;
  });

  const counts = async () => ({
    audit: await prisma.auditLogEntry.count(),
    deliveries: await prisma.webhookDelivery.count(),
    models: await prisma.model.count(),
  });

  describe('maps database failures to error codes in one place', () => {
    it('a unique violation no store anticipated is CONFLICT', async () => {
      const token = generateToken();
      await uow.run(SYSTEM_ACTOR, (tx) => tx.tokens.create({ name: 'a', role: 'viewer', createdBy: 't', token }));
      const failure = uow.run(SYSTEM_ACTOR, (tx) => tx.tokens.create({ name: 'b', role: 'viewer', createdBy: 't', token }));
      await expect(failure).rejects.toBeInstanceOf(SlipwayError);
      await expect(failure).rejects.toMatchObject({ code: ErrorCode.CONFLICT, message: 'Conflicting concurrent change; retry the request' });
    });

    it('a row removed underneath (update of a missing record) is NOT_FOUND', async () => {
      await expect(uow.run(SYSTEM_ACTOR, (tx) => tx.runs.end(MISSING, 'FINISHED', new Date()))).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    });

    it('a foreign key violation is CONFLICT', async () => {
      const run = uow.run(SYSTEM_ACTOR, (tx) => tx.runs.create({ experimentId: MISSING, name: 'orphan', createdBy: 't', params: [], tags: {} }));
      await expect(run).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
    });

    it('a unique violation of a raw statement (Postgres SQLSTATE through the driver adapter) is CONFLICT too', async () => {
      const insert = () =>
        prisma.$executeRaw`INSERT INTO models (id, name, description, created_at, updated_at) VALUES (gen_random_uuid(), 'raw', '', now(), now())`;
      await insert();
      const error = await insert().catch((e: unknown) => e);
      expect(dbFailureOf(error)).toBe('unique_violation');
      expect(toSlipwayError(error)).toMatchObject({ code: ErrorCode.CONFLICT });
      await prisma.model.deleteMany({ where: { name: 'raw' } });
    });

    it('a store’s own SlipwayError passes through unchanged; anything else is left alone', async () => {
      await uow.run(SYSTEM_ACTOR, (tx) => tx.models.create({ name: 'dup', description: '', tags: {} }));
      await expect(uow.run(SYSTEM_ACTOR, (tx) => tx.models.create({ name: 'dup', description: '', tags: {} }))).rejects.toMatchObject({
        code: ErrorCode.ALREADY_EXISTS,
        fields: [{ field: 'name', message: 'already exists' }],
      });
      const plain = new Error('not a database failure');
      await expect(
        uow.run(SYSTEM_ACTOR, async () => {
          throw plain;
        }),
      ).rejects.toBe(plain);
    });
  });

  describe('the change recorder', () => {
    it('writes the audit entry with the actor and request id of the context, and stages the event for subscribed active webhooks', async () => {
      const model = await uow.run(ALICE, async (tx) => {
        const created = await tx.models.create({ name: 'recorded', description: '', tags: {} });
        await tx.record({
          action: 'model.create',
          entity: { type: 'model', id: created.id },
          before: { n: 1n },
          after: { name: created.name, at: new Date(0) },
          event: { name: 'alias.moved', data: { model: 'recorded' } },
        });
        return created;
      });
      const entry = await prisma.auditLogEntry.findFirstOrThrow({ where: { entityId: model.id } });
      expect(entry).toMatchObject({
        actor: 'alice',
        actorTokenId: null,
        action: 'model.create',
        entityType: 'model',
        requestId: 'req-42',
        before: { n: '1' },
        after: { name: 'recorded', at: '1970-01-01T00:00:00.000Z' },
      });
      const deliveries = await prisma.webhookDelivery.findMany({ include: { webhook: true } });
      expect(deliveries.map((d) => [d.webhook.name, d.event, d.status, d.payload])).toEqual([
        ['aliases', 'alias.moved', 'PENDING', { model: 'recorded', actor: 'alice' }],
      ]);
      // Enqueued only after the commit, once, with exactly what was staged.
      expect(committed).toEqual([[deliveries[0].id]]);
    });

    it('rolls back the audit entry and the outbox rows with the change when the work fails after record()', async () => {
      const before = await counts();
      const failure = uow.run(ALICE, async (tx) => {
        const created = await tx.models.create({ name: 'rolled-back', description: '', tags: {} });
        await tx.record({ action: 'model.create', entity: { type: 'model', id: created.id }, after: created, event: { name: 'alias.moved', data: {} } });
        throw new SlipwayError(ErrorCode.FAILED_PRECONDITION, 'changed my mind');
      });
      await expect(failure).rejects.toMatchObject({ code: ErrorCode.FAILED_PRECONDITION, message: 'changed my mind' });
      expect(await counts()).toEqual(before);
      expect(committed).toEqual([]);
    });

    it('rolls back everything when the database refuses a later statement of the same unit of work', async () => {
      const before = await counts();
      const failure = uow.run(ALICE, async (tx) => {
        const created = await tx.models.create({ name: 'half-done', description: '', tags: {} });
        await tx.record({ action: 'model.create', entity: { type: 'model', id: created.id }, event: { name: 'alias.moved', data: {} } });
        await tx.runs.end(MISSING, 'FINISHED', new Date());
      });
      await expect(failure).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
      expect(await counts()).toEqual(before);
      expect(committed).toEqual([]);
    });

    it('answers the committed change even when enqueueing its deliveries fails (they stay PENDING for the relay)', async () => {
      failEnqueue = true;
      const result = await uow.run(ALICE, async (tx) => {
        await tx.record({ action: 'alias.move', entity: { type: 'model_alias', id: 'm@a' }, event: { name: 'alias.moved', data: { alias: 'a' } } });
        return 'done';
      });
      expect(result).toBe('done');
      expect(committed).toHaveLength(1);
      const [id] = committed[0];
      await expect(uow.read.webhooks.getDelivery(id)).resolves.toMatchObject({ status: 'PENDING', attempts: 0 });
      // What the outbox relay will find and re-send: not yet (too recent to be a lost enqueue), then yes.
      const stale = async () => (await uow.read.webhooks.stalePendingDeliveries(new Date(Date.now() - 60_000))).map((d) => d.id);
      expect(await stale()).not.toContain(id);
      await prisma.webhookDelivery.update({ where: { id }, data: { createdAt: new Date(Date.now() - 120_000) } });
      expect(await stale()).toContain(id);
    });

    it('records without an event stage nothing and enqueue nothing; deliverTo stages one delivery to one webhook', async () => {
      const deliveries = await prisma.webhookDelivery.count();
      await uow.run(ALICE, (tx) => tx.record({ action: 'registry.gc', entity: { type: 'registry', id: 'artifacts' }, after: { deleted: 0 } }));
      expect(await prisma.webhookDelivery.count()).toBe(deliveries);
      expect(committed).toEqual([]);
      const off = await prisma.webhook.findFirstOrThrow({ where: { name: 'off' } });
      const id = await uow.run(ALICE, (tx) => tx.deliverTo(off.id, 'ping', { hello: true }));
      expect(committed).toEqual([[id]]);
      await expect(uow.read.webhooks.getDelivery(id)).resolves.toMatchObject({ webhookId: off.id, event: 'ping', payload: { hello: true } });
    });
  });
});
