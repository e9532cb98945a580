import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestDatabase } from '@slipway/testing';
import { createPrismaClient, type PrismaClient } from '../../prisma-client';
import { UnitOfWork, type ChangeContext } from '../../unit-of-work/unit-of-work';
import type { IdempotencyClaim, IdempotencyScope } from '../idempotency.entity';

const hour = 3_600_000;

/** The key and the change it guards commit together: the unit of work marks it, and its answer rolls back with it. */
describe('Idempotency keys in the unit of work', () => {
  const db = useTestDatabase();
  let prisma: PrismaClient;
  let uow: UnitOfWork;
  let n = 0;
  const scope = (): IdempotencyScope => ({ principal: 'token-1', method: 'POST', route: '/api/v1/models', key: `key-${++n}` });
  const claim = async (s: IdempotencyScope) => {
    const result = await uow.read.idempotency.claim(s, 'a'.repeat(64), new Date(Date.now() + hour), new Date(Date.now() - hour));
    if (!result.claimed) throw new Error('expected to claim');
    return result.record;
  };

  beforeAll(() => {
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    uow = UnitOfWork.connect(db.url, { poolSize: 4 });
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await uow.close();
  });

  it('stores the answer and marks the key committed in the transaction of the change', async () => {
    const s = scope();
    const record = await claim(s);
    const idempotency: IdempotencyClaim = { id: record.id, status: 201 };
    const context: ChangeContext = { tokenId: null, name: 'alice', idempotency };
    await uow.run(context, async (tx) => {
      const model = await tx.models.create({ name: 'committed-model', description: '', tags: {} });
      await tx.respond({ id: model.id, name: model.name });
    });
    expect(idempotency).toMatchObject({ committed: true, responded: true });
    const stored = await uow.read.idempotency.find(s);
    expect(stored?.committedAt).toBeInstanceOf(Date);
    expect(JSON.parse(stored?.response?.body ?? 'null')).toMatchObject({ name: 'committed-model' });
    expect(stored?.response?.status).toBe(201);
    // Committed: release (a 4xx after the change) keeps it; a 5xx release gives it up.
    await expect(uow.read.idempotency.release(record.id)).resolves.toBe(false);
    await expect(uow.read.idempotency.release(record.id, true)).resolves.toBe(true);
  });

  it('rolls the answer and the mark back with a change that fails after writing', async () => {
    const s = scope();
    const record = await claim(s);
    const idempotency: IdempotencyClaim = { id: record.id, status: 201 };
    await expect(
      uow.run({ tokenId: null, name: 'alice', idempotency }, async (tx) => {
        await tx.models.create({ name: 'rolled-back-model', description: '', tags: {} });
        await tx.respond({ name: 'rolled-back-model' });
        throw new Error('the answer could not be rendered');
      }),
    ).rejects.toThrow('could not be rendered');
    expect(idempotency.committed).toBeUndefined();
    expect(await prisma.model.count({ where: { name: 'rolled-back-model' } })).toBe(0);
    const stored = await uow.read.idempotency.find(s);
    expect(stored).toMatchObject({ committedAt: null, response: null });
    await expect(uow.read.idempotency.release(record.id)).resolves.toBe(true);
    expect(await uow.read.idempotency.find(s)).toBeNull();
  });

  it("stores what the work returned when the claim renders it as the route's answer, and skips what it does not", async () => {
    const s = scope();
    const record = await claim(s);
    const render = (result: unknown) =>
      typeof result === 'object' && result && 'name' in result ? JSON.stringify({ name: (result as { name: string }).name }) : null;
    const idempotency: IdempotencyClaim = { id: record.id, status: 201, render };
    const context: ChangeContext = { tokenId: null, name: 'alice', idempotency };
    // A first step whose result is not the answer: committed, nothing stored.
    await uow.run(context, async () => ({ step: 1 }));
    expect(idempotency).toMatchObject({ committed: true });
    expect(idempotency.responded).toBeUndefined();
    expect((await uow.read.idempotency.find(s))?.response).toBeNull();
    // The step that returns the answer stores it with its change.
    await uow.run(context, (tx) => tx.models.create({ name: 'rendered-model', description: '', tags: {} }));
    expect(idempotency.storedBody).toBe('{"name":"rendered-model"}');
    expect((await uow.read.idempotency.find(s))?.response).toEqual({ status: 201, body: '{"name":"rendered-model"}' });
  });

  it('lets one of many simultaneous claims win', async () => {
    const s = scope();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => uow.read.idempotency.claim(s, 'b'.repeat(64), new Date(Date.now() + hour), new Date(Date.now() - hour))),
    );
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.record.id)).size).toBe(1);
    expect(await prisma.idempotencyKey.count({ where: { key: s.key } })).toBe(1);
  });

  it('purges expired keys when claiming', async () => {
    const s = scope();
    await prisma.idempotencyKey.create({ data: { ...s, fingerprint: 'c'.repeat(64), expiresAt: new Date(Date.now() - 1000) } });
    const fresh = await uow.read.idempotency.claim({ ...s, key: `${s.key}-other` }, 'c'.repeat(64), new Date(Date.now() + hour), new Date(Date.now() - hour));
    expect(fresh.claimed).toBe(true);
    expect(await prisma.idempotencyKey.count({ where: { key: s.key } })).toBe(0);
  });
});
