/**
 * The registrar as a worker uses it: a unit of work, an object store and the signing key, no NestJS and no
 * API in the process. Real Postgres (a migrated database for this file), both object stores (a local folder
 * and the S3-protocol server), real ed25519 signatures.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ArtifactSigner, verifyVersionArtifact } from '@slipway/artifacts';
import { ErrorCode, SlipwayError } from '@slipway/contracts';
import { UnitOfWork, type ModelVersionEntity } from '@slipway/db';
import { LocalObjectStore, S3ObjectStore, type ObjectStore } from '@slipway/storage';
import { connectTestSql, startLocalS3Server, useTestDatabase, type TestSql } from '@slipway/testing';
import { expectNamed } from '@slipway/testing-matchers';
import { ModelRegistrar, runArtifactKey, signedArtifactOf, versionSummary, VersionRegistrationError, type RegistrarActor } from '../index';

const database = useTestDatabase();

/** A worker acting for the user who started a training job: the audit log's request id names the job. */
const jobId = randomUUID();
const ALICE: RegistrarActor = { tokenId: null, name: 'alice', requestId: `training-job:${jobId}` };

interface AuditRow {
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: Record<string, unknown> | null;
  request_id: string | null;
}

interface StoreUnderTest {
  store: ObjectStore;
  cleanup: () => Promise<void>;
}

function describeRegistrar(label: string, key: string, open: () => Promise<StoreUnderTest>): void {
  describe(`ModelRegistrar on ${label}`, () => {
    let uow: UnitOfWork;
    let sql: TestSql;
    let objects: ObjectStore;
    let cleanup: () => Promise<void>;
    let keyDir: string;
    let signer: ArtifactSigner;
    let registrar: ModelRegistrar;
    /** What the worker would have staged for the webhook relay, per commit. */
    const enqueued: string[][] = [];
    const logged: string[] = [];
    // One database for the file: each store's models get their own names.
    const name = (model: string) => `${model}-${key}`;

    beforeAll(async () => {
      ({ store: objects, cleanup } = await open());
      uow = UnitOfWork.connect(database.url, { afterCommit: async (ids) => void enqueued.push([...ids]) });
      sql = connectTestSql(database.url);
      keyDir = mkdtempSync(join(tmpdir(), 'slipway-registrar-key-'));
      signer = ArtifactSigner.loadOrCreate(join(keyDir, 'signing-key.pem'));
      registrar = new ModelRegistrar(uow, objects, signer, { logger: { warn: (m) => logged.push(m), error: (m) => logged.push(m) } });
    });
    afterAll(async () => {
      await uow.close();
      await sql.close();
      await cleanup();
      rmSync(keyDir, { recursive: true, force: true });
    });

    /** A finished run with artifact files, logged the way the tracking routes and the training handler log them. */
    async function runWith(files: Record<string, string>): Promise<string> {
      return uow.run(ALICE, async (tx) => {
        const experiment = await tx.experiments.create({ name: `training-${randomUUID()}`, description: '', tags: {} });
        const run = await tx.runs.create({ experimentId: experiment.id, name: 'cart', seed: 7, createdBy: 'alice', params: [], tags: {} });
        for (const [path, content] of Object.entries(files)) {
          const stored = await objects.put(runArtifactKey(run.id, path), Buffer.from(content));
          await tx.artifacts.create({
            runId: run.id,
            path,
            uri: stored.uri,
            sha256: stored.sha256,
            sizeBytes: stored.sizeBytes,
            contentType: 'application/octet-stream',
          });
        }
        return run.id;
      });
    }

    const auditOf = (entityId: string) =>
      sql.query<AuditRow>('SELECT actor, action, entity_type, entity_id, before, after, request_id FROM audit_log WHERE entity_id = $1 ORDER BY id', [
        entityId,
      ]);
    const versionRow = (id: string) =>
      sql.one<{ status: string; sha256: string | null; signature: string | null; manifest: unknown }>(
        'SELECT status, sha256, signature, manifest FROM model_versions WHERE id = $1',
        [id],
      );

    const model = name('iris');
    let runId: string;
    let first: ModelVersionEntity;

    it('registers a run folder as version 1 of a new model: files copied under their paths inside it, READY, signed with the platform key', async () => {
      runId = await runWith({
        'model/model.json': '{"format":"slipway.model/v1"}',
        'model/weights.bin': 'w'.repeat(300),
        'notes.txt': 'not part of the model',
      });
      let seenInside: string | undefined;
      const registered = await registrar.registerFromRun(
        ALICE,
        model,
        { runId, artifactPath: 'model', description: 'CART on iris', tags: { job: jobId }, algorithm: 'cart', framework: 'slipway' },
        {
          // The answer runs in the sealing transaction: it sees the version READY before anyone else does.
          answer: async (tx, version) => (seenInside = (await tx.versions.getById(version.id))?.status),
        },
      );
      first = registered.version;
      expect(seenInside).toBe('READY');
      expect(registered.answer).toBe('READY');
      expect(first).toMatchObject({
        modelName: model,
        version: 1,
        status: 'READY',
        runId,
        createdBy: 'alice',
        algorithm: 'cart',
        framework: 'slipway',
        tags: { job: jobId },
      });
      expect(first.manifest?.map((f) => f.path)).toEqual(['model.json', 'weights.bin']);
      expect(first.signatureKeyId).toBe(signer.keyId);
      await expect(verifyVersionArtifact(objects, signedArtifactOf(first), signer.keyRing)).resolves.toEqual({ keyId: signer.keyId });
      // What is stored is what was returned.
      await expect(versionRow(first.id)).resolves.toMatchObject({ status: 'READY', sha256: first.sha256, signature: first.signature });
    });

    it('records the first registration like the API does: model.create, model_version.create, model_version.ready, as the job’s user, with the job as request id', async () => {
      const modelId = (await sql.one<{ id: string }>('SELECT id FROM models WHERE name = $1', [model])).id;
      const [created] = await auditOf(modelId);
      expect(created).toMatchObject({ actor: 'alice', action: 'model.create', entity_type: 'model', request_id: `training-job:${jobId}` });
      expect(created.after).toMatchObject({ name: model, source: 'first version', versionCount: 0 });
      const entries = await auditOf(first.id);
      expect(entries.map((e) => [e.action, e.actor, e.request_id])).toEqual([
        ['model_version.create', 'alice', `training-job:${jobId}`],
        ['model_version.ready', 'alice', `training-job:${jobId}`],
      ]);
      const pending = { ...versionSummary(first), status: 'PENDING_UPLOAD', sha256: null, signature: null, sizeBytes: null };
      expect(entries[0].after).toEqual({ ...pending, source: { runId, artifactPath: 'model' } });
      expect(entries[1].before).toEqual(pending);
      expect(entries[1].after).toEqual(versionSummary(first));
    });

    it('stages the model_version.ready event for a subscribed webhook, with the actor, and hands it over after commit', async () => {
      const hook = await uow.run(ALICE, (tx) =>
        tx.webhooks.create({
          name: `ready-${key}`,
          url: 'https://hooks.example.com/x',
          events: ['model_version.ready'],
          secret: 's'.repeat(32),
          active: true,
          createdBy: 'alice',
        }),
      );
      enqueued.length = 0;
      const second = await registrar.registerFromRun(ALICE, model, { runId, artifactPath: 'model/weights.bin' });
      const deliveries = await sql.query<{ id: string; event: string; payload: Record<string, unknown> }>(
        'SELECT id, event, payload FROM webhook_deliveries WHERE webhook_id = $1',
        [hook.id],
      );
      expect(deliveries.map((d) => [d.event, d.payload])).toEqual([['model_version.ready', { ...versionSummary(second.version), actor: 'alice' }]]);
      expect(enqueued.flat()).toEqual([deliveries[0].id]);
      await uow.run(ALICE, (tx) => tx.webhooks.delete(hook.id));
    });

    it('takes the next number on the next registration into the same model, without creating the model again', async () => {
      const third = await registrar.registerFromRun(ALICE, model, { runId, artifactPath: 'model' });
      expect(third.version).toMatchObject({ version: 3, status: 'READY', modelId: first.modelId });
      // A single file keeps its name (version 2 above).
      await expect(sql.one('SELECT manifest FROM model_versions WHERE model_id = $1 AND version = 2', [first.modelId])).resolves.toMatchObject({
        manifest: [{ path: 'weights.bin', sizeBytes: 300 }],
      });
      expect(await sql.count('audit_log', "action = 'model.create' AND entity_id = $1", [first.modelId])).toBe(1);
    });

    it('sets an alias, moves it, and records nothing when it already points there', async () => {
      const set = await registrar.setAlias(ALICE, model, 'champion', 1);
      expect(set).toMatchObject({ model, alias: 'champion', version: 1, previousVersion: null, changed: true });
      const moved = await registrar.setAlias(ALICE, model, 'champion', 3);
      expect(moved).toMatchObject({ version: 3, previousVersion: 1, changed: true });
      const again = await registrar.setAlias(ALICE, model, 'champion', 3);
      expect(again).toMatchObject({ version: 3, previousVersion: 3, changed: false });
      const entries = await auditOf(`${model}@champion`);
      expect(entries.map((e) => [e.action, e.before, e.after])).toEqual([
        ['alias.set', null, { model, alias: 'champion', version: 1, versionId: first.id }],
        ['alias.move', { model, alias: 'champion', version: 1, versionId: first.id }, { model, alias: 'champion', version: 3, versionId: expect.any(String) }],
      ]);
      await expect(
        sql.one('SELECT v.version FROM model_aliases a JOIN model_versions v ON v.id = a.version_id WHERE a.name = $1 AND a.model_id = $2', [
          'champion',
          first.modelId,
        ]),
      ).resolves.toEqual({
        version: 3,
      });
    });

    it('refuses an alias on a missing model or version (NOT_FOUND naming the field) and on a version that is not READY (CONFLICT)', async () => {
      await expect(registrar.setAlias(ALICE, name('nobody'), 'champion', 1)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND, fields: [{ field: 'model' }] });
      await expect(registrar.setAlias(ALICE, model, 'champion', 99)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND, fields: [{ field: 'version' }] });
      const pending = await registrar.createPending(ALICE, model, { runId, description: 'files to come' });
      expect(pending.version).toMatchObject({ version: 4, status: 'PENDING_UPLOAD', runId });
      await expect(registrar.setAlias(ALICE, model, 'champion', 4)).rejects.toMatchObject({
        code: ErrorCode.CONFLICT,
        fields: [{ field: 'version', message: 'version is PENDING_UPLOAD' }],
      });
    });

    it('marks the version FAILED and throws a VersionRegistrationError when a run file no longer matches the sha256 it was logged with', async () => {
      const corrupt = await runWith({ 'model/model.json': '{}', 'model/weights.bin': 'good bytes' });
      // Overwritten behind the platform's back after it was logged (same size, other bytes).
      await objects.put(runArtifactKey(corrupt, 'model/weights.bin'), Buffer.from('evil bytes'));
      const failure = await registrar.registerFromRun(ALICE, model, { runId: corrupt, artifactPath: 'model' }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(VersionRegistrationError);
      expect(failure).toBeInstanceOf(SlipwayError);
      const error = failure as VersionRegistrationError;
      expect(error).toMatchObject({ code: ErrorCode.FAILED_PRECONDITION, fields: [{ field: 'artifact.model/weights.bin', message: 'sha256_mismatch' }] });
      expect(error.version).toMatchObject({ modelName: model, version: 5, status: 'FAILED' });
      // Nothing half-registered: no hash, no signature, no manifest, nothing points at it, latest READY unchanged.
      await expect(versionRow(error.version.id)).resolves.toEqual({ status: 'FAILED', sha256: null, signature: null, manifest: null });
      expect(await sql.count('model_aliases', 'version_id = $1', [error.version.id])).toBe(0);
      await expect(uow.read.versions.latestReady(first.modelId)).resolves.toMatchObject({ version: 3 });
      const entries = await auditOf(error.version.id);
      expect(entries.map((e) => e.action)).toEqual(['model_version.create', 'model_version.fail']);
      expect(entries[1].after).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('weights.bin') });
      // FAILED is final: an alias cannot point at it.
      await expect(registrar.setAlias(ALICE, model, 'challenger', 5)).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
    });

    it('marks the version FAILED (UNAVAILABLE, logged) when a logged run file is missing from the object store', async () => {
      const gone = await runWith({ 'model.json': '{}' });
      await objects.delete(runArtifactKey(gone, 'model.json'));
      const error = (await registrar
        .registerFromRun(ALICE, model, { runId: gone, artifactPath: 'model.json' })
        .catch((e: unknown) => e)) as VersionRegistrationError;
      expect(error).toBeInstanceOf(VersionRegistrationError);
      expect(error).toMatchObject({ code: ErrorCode.UNAVAILABLE, version: { version: 6, status: 'FAILED' } });
      expect(logged.some((line) => line.includes(gone))).toBe(true);
    });

    it('marks the version FAILED when the caller’s answer cannot be built in the sealing transaction, keeping the answer’s error', async () => {
      const broken = new SlipwayError(ErrorCode.INTERNAL, 'the response could not be rendered');
      const error = (await registrar
        .registerFromRun(ALICE, model, { runId, artifactPath: 'model' }, { answer: async () => Promise.reject(broken) })
        .catch((e: unknown) => e)) as VersionRegistrationError;
      expect(error).toBeInstanceOf(VersionRegistrationError);
      expect(error).toMatchObject({ code: ErrorCode.INTERNAL, message: broken.message, version: { version: 7, status: 'FAILED' } });
      await expect(versionRow(error.version.id)).resolves.toMatchObject({ status: 'FAILED', sha256: null });
    });

    it('writes nothing when the run is missing or deleted, or has nothing at the path', async () => {
      const fresh = name('never-created');
      const before = { models: await sql.count('models'), versions: await sql.count('model_versions'), audit: await sql.count('audit_log') };
      await expect(registrar.registerFromRun(ALICE, fresh, { runId: randomUUID(), artifactPath: 'model' })).rejects.toMatchObject({
        code: ErrorCode.NOT_FOUND,
        fields: [{ field: 'runId' }],
      });
      await expect(registrar.registerFromRun(ALICE, fresh, { runId, artifactPath: 'no/such/folder' })).rejects.toMatchObject({
        code: ErrorCode.NOT_FOUND,
        fields: [{ field: 'artifactPath' }],
      });
      // The caller's own check (the API's: can the run's lineage be rendered) refuses before anything is written.
      const refusal = new SlipwayError(ErrorCode.INTERNAL, 'lineage cannot be rendered');
      await expect(registrar.registerFromRun(ALICE, fresh, { runId, artifactPath: 'model' }, { preflight: () => Promise.reject(refusal) })).rejects.toBe(
        refusal,
      );
      const deleted = await runWith({ 'model.json': '{}' });
      await sql.query('UPDATE runs SET deleted_at = now() WHERE id = $1', [deleted]);
      await expect(registrar.registerFromRun(ALICE, fresh, { runId: deleted, artifactPath: 'model.json' })).rejects.toMatchObject({
        code: ErrorCode.CONFLICT,
        fields: [{ field: 'runId', message: 'deleted run' }],
      });
      expect({ models: await sql.count('models'), versions: await sql.count('model_versions'), audit: await sql.count('audit_log') }).toEqual(before);
    });

    it('runs onAllocated in the transaction that takes the number: its writes commit with the version, and its failure leaves neither', async () => {
      const tracked = name('tracked');
      let allocated: ModelVersionEntity | undefined;
      const registered = await registrar.registerFromRun(
        ALICE,
        tracked,
        { runId, artifactPath: 'model' },
        {
          onAllocated: async (tx, version) => {
            allocated = version;
            // A stand-in for the training job's own row: something the caller writes with the version.
            await tx.record({ action: 'training_job.registering', entity: { type: 'training_job', id: jobId }, after: { versionId: version.id } });
          },
        },
      );
      expect(allocated).toMatchObject({ id: registered.version.id, status: 'PENDING_UPLOAD', version: 1 });
      expect(await sql.count('audit_log', "action = 'training_job.registering' AND after->>'versionId' = $1", [registered.version.id])).toBe(1);

      const before = { models: await sql.count('models'), versions: await sql.count('model_versions'), audit: await sql.count('audit_log') };
      const refusal = new SlipwayError(ErrorCode.CONFLICT, 'the job was cancelled meanwhile');
      await expect(
        registrar.registerFromRun(ALICE, name('never-tracked'), { runId, artifactPath: 'model' }, { onAllocated: () => Promise.reject(refusal) }),
      ).rejects.toBe(refusal);
      expect({ models: await sql.count('models'), versions: await sql.count('model_versions'), audit: await sql.count('audit_log') }).toEqual(before);
    });

    it('abandons a version a dead process left PENDING_UPLOAD (FAILED, audited with the reason), and leaves a sealed one alone', async () => {
      // What a worker killed between taking the number and sealing leaves behind.
      const { version: orphan } = await registrar.createPending(ALICE, model, { runId });
      const failed = await registrar.abandon(ALICE, orphan.id, 'attempt 1 of the training job died');
      expect(failed).toMatchObject({ id: orphan.id, status: 'FAILED' });
      const entries = await auditOf(orphan.id);
      expect(entries.map((e) => [e.action, e.after?.status, e.after?.reason])).toEqual([
        ['model_version.create', 'PENDING_UPLOAD', undefined],
        ['model_version.fail', 'FAILED', 'attempt 1 of the training job died'],
      ]);
      // Again, and on a READY version: nothing changes, nothing is recorded.
      await expect(registrar.abandon(ALICE, orphan.id, 'again')).resolves.toMatchObject({ status: 'FAILED' });
      await expect(registrar.abandon(ALICE, first.id, 'too late')).resolves.toMatchObject({ status: 'READY', sha256: first.sha256 });
      expect(await sql.count('audit_log', "action = 'model_version.fail' AND entity_id = ANY($1::text[])", [[orphan.id, first.id]])).toBe(1);
      await expect(registrar.abandon(ALICE, randomUUID(), 'nothing')).resolves.toBeNull();
    });

    it('lets two first registrations of a new model race: one model, versions 1 and 2, both READY', async () => {
      const raced = name('raced');
      const results = await Promise.all([0, 1].map(() => registrar.registerFromRun(ALICE, raced, { runId, artifactPath: 'model' })));
      expect(results.map((r) => r.version.version).sort()).toEqual([1, 2]);
      for (const result of results) expectNamed(result.version.status, `version ${result.version.version}`).toBe('READY');
      expect(await sql.count('models', 'name = $1', [raced])).toBe(1);
      expect(await sql.count('audit_log', "action = 'model.create' AND after->>'name' = $1", [raced])).toBe(1);
    });
  });
}

describeRegistrar('the local folder store', 'local', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-registrar-'));
  return { store: new LocalObjectStore(dir), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

describeRegistrar('the S3 store (local S3-protocol server)', 's3', async () => {
  const server = await startLocalS3Server(['registrar-test']);
  const store = new S3ObjectStore(server.clientOptions('registrar-test'));
  return {
    store,
    cleanup: async () => {
      store.destroy();
      await server.stop();
    },
  };
});
