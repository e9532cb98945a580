/**
 * Deployments following an alias, as any process moving it sees them: the registrar alone (no API, no NestJS) over
 * real Postgres. Versions are planted READY in SQL: setAlias needs no files.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ArtifactSigner } from '@slipway/artifacts';
import { UnitOfWork } from '@slipway/db';
import { LocalObjectStore } from '@slipway/storage';
import { connectTestSql, useTestDatabase, type TestSql } from '@slipway/testing';
import { ModelRegistrar, type RegistrarActor } from '../index';

const database = useTestDatabase();
const WORKER: RegistrarActor = { tokenId: null, name: 'alice', requestId: 'training-job:follow' };
const PLAN = { steps: [20, 100], intervalSeconds: 30, minRequestsPerStep: 0, gates: {} };

describe('ModelRegistrar.setAlias and the deployments following the alias', () => {
  let uow: UnitOfWork;
  let sql: TestSql;
  let dir: string;
  let registrar: ModelRegistrar;
  let modelId: string;
  const versionIds: string[] = [];

  beforeAll(async () => {
    uow = UnitOfWork.connect(database.url, { poolSize: 4 });
    sql = connectTestSql(database.url);
    dir = mkdtempSync(join(tmpdir(), 'slipway-follow-'));
    registrar = new ModelRegistrar(uow, new LocalObjectStore(join(dir, 'objects')), ArtifactSigner.loadOrCreate(join(dir, 'key.pem')));
    modelId = (await sql.one<{ id: string }>(`INSERT INTO models (id, name, updated_at) VALUES (gen_random_uuid(), 'churn', now()) RETURNING id`)).id;
    for (const v of [1, 2, 3, 4])
      versionIds.push(
        (
          await sql.one<{ id: string }>(`INSERT INTO model_versions (id, model_id, version, status) VALUES (gen_random_uuid(), $1, $2, 'READY') RETURNING id`, [
            modelId,
            v,
          ])
        ).id,
      );
    await registrar.setAlias(WORKER, 'churn', 'champion', 1);
    const follower = (name: string, aliasPolicy: 'redeploy' | 'rollout', trackedAlias: string | null) =>
      uow.run(WORKER, (tx) =>
        tx.deployments.create(
          {
            id: randomUUID(),
            name,
            description: '',
            modelId,
            trackedAlias,
            aliasPolicy,
            rolloutPlan: aliasPolicy === 'rollout' ? PLAN : null,
            createdBy: 'alice',
          },
          { action: 'CREATE', stableVersionId: versionIds[0], reason: '', createdBy: 'alice' },
        ),
      );
    await follower('now', 'redeploy', 'champion');
    await follower('gray', 'rollout', 'champion');
    await follower('other-alias', 'redeploy', 'challenger');
  });
  afterAll(async () => {
    await uow?.close();
    await sql?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('redeploys or starts the plan in the transaction of the move, recorded for the actor that moved it', async () => {
    await registrar.setAlias(WORKER, 'churn', 'champion', 2);
    const now = await uow.read.deployments.get('now');
    expect(now?.revision).toMatchObject({ revision: 2, action: 'ALIAS_REDEPLOY', stable: { version: 2 }, canary: null, createdBy: 'alice' });
    const gray = await uow.read.deployments.get('gray');
    expect(gray).toMatchObject({ status: 'ROLLING_OUT', currentRevision: 2 });
    expect(gray?.revision).toMatchObject({ action: 'GRAY_START', stable: { version: 1 }, canary: { version: 2, percent: 20 }, rolloutStep: 0 });
    expect((await uow.read.deployments.get('other-alias'))?.currentRevision).toBe(1);
    const audit = await sql.query<{ action: string; request_id: string }>(
      `SELECT action, request_id FROM audit_log WHERE action LIKE 'deployment.%' ORDER BY id`,
    );
    expect(audit).toEqual([
      { action: 'deployment.alias_redeploy', request_id: 'training-job:follow' },
      { action: 'deployment.rollout', request_id: 'training-job:follow' },
    ]);
  });

  it('moves nothing when a follower cannot be redeployed: the alias and every deployment stay as they were', async () => {
    // A refusal inside the follow (here a trigger standing in for any database failure) must roll back the move too.
    await sql.query(`CREATE FUNCTION refuse_revision() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`);
    await sql.query(`CREATE TRIGGER refuse_revision BEFORE INSERT ON deployment_revisions FOR EACH ROW EXECUTE FUNCTION refuse_revision()`);
    try {
      await expect(registrar.setAlias(WORKER, 'churn', 'champion', 3)).rejects.toThrow();
    } finally {
      await sql.query(`DROP TRIGGER refuse_revision ON deployment_revisions`);
      await sql.query(`DROP FUNCTION refuse_revision()`);
    }
    expect((await uow.read.aliases.get(modelId, 'champion'))?.version).toBe(2);
    expect((await uow.read.deployments.get('now'))?.currentRevision).toBe(2);
    expect(await sql.count('audit_log', "action = 'alias.move' AND after->>'version' = '3'")).toBe(0);

    await registrar.setAlias(WORKER, 'churn', 'champion', 3);
    expect((await uow.read.deployments.get('now'))?.revision).toMatchObject({ revision: 3, stable: { version: 3 } });
    // The running rollout restarts with the newer version.
    expect((await uow.read.deployments.get('gray'))?.revision).toMatchObject({ revision: 3, action: 'GRAY_START', canary: { version: 3 } });
  });
});
