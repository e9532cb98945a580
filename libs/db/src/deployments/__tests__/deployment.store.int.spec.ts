import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { connectTestSql, type TestSql, useTestDatabase } from '@slipway/testing';
import { UnitOfWork } from '../../unit-of-work';
import { DEPLOYMENT_NOTIFY_CHANNEL } from '../deployment.store';

const actor = { tokenId: null, name: 'alice' };

/** The deployment store's compare-and-set history, its pages and the NOTIFY that tells serving replicas. */
describe('DeploymentStore', () => {
  const db = useTestDatabase();
  let uow: UnitOfWork;
  let sql: TestSql;
  let modelId: string;
  const versionIds: string[] = [];

  beforeAll(async () => {
    uow = UnitOfWork.connect(db.url, { poolSize: 6 });
    sql = connectTestSql(db.url);
    modelId = (await sql.one<{ id: string }>(`INSERT INTO models (id, name, updated_at) VALUES (gen_random_uuid(), 'fraud', now()) RETURNING id`)).id;
    for (const v of [1, 2, 3]) {
      const row = await sql.one<{ id: string }>(
        `INSERT INTO model_versions (id, model_id, version, status) VALUES (gen_random_uuid(), $1, $2, 'READY') RETURNING id`,
        [modelId, v],
      );
      versionIds.push(row.id);
    }
  });
  afterAll(async () => {
    await uow?.close();
    await sql?.close();
  });

  const create = (name: string) =>
    uow.run(actor, (tx) =>
      tx.deployments.create(
        { id: randomUUID(), name, description: '', modelId, trackedAlias: null, aliasPolicy: 'redeploy', rolloutPlan: null, createdBy: 'alice' },
        { action: 'CREATE', stableVersionId: versionIds[0], reason: 'first', createdBy: 'alice' },
      ),
    );

  it('creates a deployment at revision 1 serving its version, with the version numbers', async () => {
    const created = await create('plain');
    expect(created).toMatchObject({ name: 'plain', modelName: 'fraud', currentRevision: 1, status: 'ACTIVE' });
    expect(created.revision).toMatchObject({ revision: 1, action: 'CREATE', stable: { versionId: versionIds[0], version: 1 }, canary: null, shadow: null });
  });

  it('appends only on the current base revision; a stale base writes nothing', async () => {
    const d = await create('cas');
    const canary = { versionId: versionIds[1], percent: 10, sticky: { header: 'x-user' } };
    const second = await uow.run(actor, (tx) =>
      tx.deployments.appendRevision(d.id, 1, { action: 'GRAY_START', stableVersionId: versionIds[0], canary, reason: 'try v2', createdBy: 'bob' }),
    );
    expect(second).toMatchObject({ revision: 2, canary: { version: 2, percent: 10, sticky: { header: 'x-user' } } });
    const stale = await uow.run(actor, (tx) =>
      tx.deployments.appendRevision(d.id, 1, { action: 'PROMOTE', stableVersionId: versionIds[1], reason: '', createdBy: 'bob' }),
    );
    expect(stale).toBeNull();
    expect(await sql.count('deployment_revisions', 'deployment_id = $1', [d.id])).toBe(2);
    expect((await uow.read.deployments.get('cas'))?.currentRevision).toBe(2);
  });

  it('pages revisions and events newest first', async () => {
    const d = await create('paged');
    for (let base = 1; base < 5; base++) {
      await uow.run(actor, async (tx) => {
        const rev = await tx.deployments.appendRevision(d.id, base, {
          action: 'ROLLBACK',
          stableVersionId: versionIds[base % 3],
          reason: `r${base}`,
          createdBy: 'alice',
        });
        await tx.deployments.appendEvent(d.id, { revisionId: rev?.id, type: 'rollback', message: `to ${base}`, data: { n: base }, actor: 'alice' });
      });
    }
    const first = await uow.read.deployments.revisions(d.id, { limit: 3 });
    expect(first.revisions.map((r) => r.revision)).toEqual([5, 4, 3]);
    const rest = await uow.read.deployments.revisions(d.id, { limit: 3, cursor: first.nextCursor as string });
    expect(rest.revisions.map((r) => r.revision)).toEqual([2, 1]);
    expect(rest.nextCursor).toBeNull();
    const events = await uow.read.deployments.events(d.id, { limit: 3 });
    expect(events.events.map((e) => e.revision)).toEqual([5, 4, 3]);
    expect(events.events[0].data).toEqual({ n: 4 });
    const more = await uow.read.deployments.events(d.id, { limit: 3, cursor: events.nextCursor as string });
    expect(more.events.map((e) => e.revision)).toEqual([2]);
  });

  it('notifies the channel with the name when a revision commits, never for one rolled back', async () => {
    const d = await create('notified');
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(`${n.channel}:${n.payload}`));
    await listener.query(`LISTEN ${DEPLOYMENT_NOTIFY_CHANNEL}`);
    await expect(
      uow.run(actor, async (tx) => {
        await tx.deployments.appendRevision(d.id, 1, { action: 'PROMOTE', stableVersionId: versionIds[2], reason: '', createdBy: 'alice' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await uow.run(actor, (tx) => tx.deployments.appendRevision(d.id, 1, { action: 'PROMOTE', stableVersionId: versionIds[1], reason: '', createdBy: 'alice' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await listener.end();
    expect(heard).toEqual([`${DEPLOYMENT_NOTIFY_CHANNEL}:notified`]);
  });
});
