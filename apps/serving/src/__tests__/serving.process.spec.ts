/**
 * Serving replicas as production runs them: their own Node processes (apps/serving/src/main.ts) on a real
 * Postgres (this file's migrated database) and a local object store, serving versions trained by train() on iris
 * and registered (copied, sealed, signed) by the ModelRegistrar; deployments and revisions written through the
 * DeploymentStore in a unit of work, whose NOTIFY is what moves the replicas (their polling is set to a minute).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buffer } from 'node:stream/consumers';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ArtifactSigner, modelVersionPrefix } from '@slipway/artifacts';
import { SERVING_HEADERS, type BinnedCounts } from '@slipway/contracts';
import { UnitOfWork, type ModelVersionEntity } from '@slipway/db';
import { LocalObjectStore } from '@slipway/storage';
import { connectTestSql, useTestDatabase, waitFor, type TestSql } from '@slipway/testing';
import { expectNamed } from '@slipway/testing-matchers';
import {
  createDeployment,
  IRIS,
  irisRow,
  postJson,
  registerIrisVersion,
  revise,
  spawnServing,
  stopServing,
  type ServingReplica,
} from './support/serving-fixtures';

const database = useTestDatabase();

describe('serving replicas', () => {
  let dir: string;
  let env: Record<string, string>;
  let uow: UnitOfWork;
  let sql: TestSql;
  let objects: LocalObjectStore;
  let signer: ArtifactSigner;
  let v1: ModelVersionEntity;
  let v2: ModelVersionEntity;
  let a: ServingReplica;
  let b: ServingReplica | undefined;
  const replicas: ServingReplica[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-serving-'));
    env = {
      DATABASE_URL: database.url,
      SLIPWAY_HOME: join(dir, 'home'),
      SLIPWAY_ARTIFACT_DIR: join(dir, 'artifacts'),
      SLIPWAY_SIGNING_KEY_FILE: join(dir, 'signing-key.pem'),
      SLIPWAY_SERVING_POLL_MS: '60000',
      SLIPWAY_LOG_LEVEL: 'warn',
    };
    uow = UnitOfWork.connect(database.url, { poolSize: 3 });
    sql = connectTestSql(database.url);
    objects = new LocalObjectStore(env.SLIPWAY_ARTIFACT_DIR);
    signer = ArtifactSigner.loadOrCreate(env.SLIPWAY_SIGNING_KEY_FILE);
    // Depth 1 tells only setosa apart; depth 4 all three species: the two versions answer differently.
    v1 = await registerIrisVersion(uow, objects, signer, 'iris', 1);
    v2 = await registerIrisVersion(uow, objects, signer, 'iris', 4);
    await createDeployment(uow, 'flowers', v1);
    a = await spawnServing(env);
    replicas.push(a);
  });

  afterAll(async () => {
    for (const replica of replicas) await stopServing(replica);
    await uow?.close();
    await sql?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const predict = (replica: ServingReplica, name: string, body: unknown, headers?: Record<string, string>) =>
    postJson(`${replica.url}/v1/deployments/${name}/predict`, body, headers);

  it('predicts rows or named columns with probabilities, naming the version and echoing the request id', async () => {
    const answer = await predict(
      a,
      'flowers',
      { inputs: [irisRow(0), IRIS.featureNames.map((n) => irisRow(120)[n])] },
      { [SERVING_HEADERS.requestId]: 'req-1' },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get(SERVING_HEADERS.version)).toBe('1');
    expect(answer.headers.get(SERVING_HEADERS.revision)).toBe('1');
    expect(answer.headers.get(SERVING_HEADERS.requestId)).toBe('req-1');
    expect(answer.body).toMatchObject({ deployment: 'flowers', revision: 1, model: 'iris', version: 1, role: 'stable', requestId: 'req-1' });
    expect((answer.body.predictions as string[])[0]).toBe('setosa');
    const probabilities = answer.body.probabilities as { labels: string[]; values: number[][] };
    expect(probabilities.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(probabilities.values).toHaveLength(2);
    for (const row of probabilities.values) expect(row.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 9);
    // Without a request id one is made up and answered, carrying the revision and version that answered (for feedback anywhere).
    const plain = await predict(a, 'flowers', { inputs: [irisRow(0)], probabilities: false });
    expect(plain.headers.get(SERVING_HEADERS.requestId)).toMatch(/^[0-9a-f-]{36}\.1\.1$/);
    expect(plain.body.requestId).toBe(plain.headers.get(SERVING_HEADERS.requestId));
    expect(plain.body.probabilities).toBeNull();
  });

  it('answers the Open Inference Protocol: health, metadata, readiness and infer from a [rows, features] tensor or one tensor per column', async () => {
    expect((await fetch(`${a.url}/v2/health/live`)).status).toBe(200);
    expect((await fetch(`${a.url}/v2/health/ready`)).status).toBe(200);
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
    const metadata = (await (await fetch(`${a.url}/v2/models/flowers`)).json()) as { name: string; versions: string[]; inputs: { name: string }[] };
    expect(metadata).toMatchObject({ name: 'flowers', versions: ['1'] });
    expect(metadata.inputs.map((i) => i.name)).toEqual(IRIS.featureNames);
    expect(await (await fetch(`${a.url}/v2/models/flowers/ready`)).json()).toEqual({ name: 'flowers', ready: true });

    const rows = [0, 60].map((r) => IRIS.featureNames.map((n) => irisRow(r)[n]));
    const matrix = await postJson(`${a.url}/v2/models/flowers/infer`, { id: 'k1', inputs: [{ name: 'input-0', shape: [2, 4], datatype: 'FP32', data: rows }] });
    expect(matrix.status).toBe(200);
    expect(matrix.headers.get(SERVING_HEADERS.version)).toBe('1');
    expect(matrix.body).toMatchObject({ model_name: 'flowers', model_version: '1', id: 'k1' });
    const outputs = matrix.body.outputs as { name: string; shape: number[]; datatype: string; data: unknown[] }[];
    expect(outputs[0]).toMatchObject({ name: 'predict', shape: [2], datatype: 'BYTES' });
    expect(outputs[0].data[0]).toBe('setosa');
    expect(outputs[1]).toMatchObject({ name: 'probabilities', shape: [2, 3], datatype: 'FP64' });

    const columns = await postJson(`${a.url}/v2/models/flowers/infer`, {
      inputs: IRIS.featureNames.map((name, j) => ({ name, shape: [2], datatype: 'FP64', data: rows.map((r) => r[j]) })),
      outputs: [{ name: 'predict' }],
    });
    expect(columns.status).toBe(200);
    expect((columns.body.outputs as { name: string; data: unknown[] }[]).map((o) => [o.name, o.data])).toEqual([['predict', outputs[0].data]]);
  });

  it('refuses bad input with a 400 naming the field, never a 500', async () => {
    const [first, ...others] = IRIS.featureNames;
    const missing: Record<string, number> = irisRow(3);
    delete missing[IRIS.featureNames[2]];
    const cases: [string, unknown, string][] = [
      ['a row without a column', { inputs: [irisRow(0), irisRow(1), irisRow(2), missing] }, `body.inputs.3.${IRIS.featureNames[2]}`],
      ['text where a number goes', { inputs: [{ ...irisRow(0), [first]: 'wide' }] }, `body.inputs.0.${first}`],
      ['a boolean where a number goes', { inputs: [{ ...irisRow(0), [first]: true }] }, `body.inputs.0.${first}`],
      ['too few values', { inputs: [others.map(() => 1)] }, 'body.inputs.0'],
      ['no rows', { inputs: [] }, 'body.inputs'],
      ['an unknown field', { inputs: [irisRow(0)], extra: 1 }, 'body'],
      ['a NUL in a value', { inputs: [{ ...irisRow(0), [first]: 'a\u0000b' }] }, `body.inputs.0.${first}`],
      ['a lone surrogate', `{"inputs":[{"${first}":"\\ud800"}]}`, `body.inputs.0.${first}`],
      ['a prototype key', `{"inputs":[{"__proto__":{"x":1}}]}`, 'body.inputs.0.__proto__'],
      ['deep nesting', `{"inputs":${'['.repeat(100)}${']'.repeat(100)}}`, 'body.inputs'],
      ['not JSON', '{"inputs": [', 'body'],
    ];
    for (const [what, body, field] of cases) {
      const answer = await predict(a, 'flowers', body);
      expectNamed(answer.status, what).toBe(400);
      const error = answer.body.error as { code: string; fields: { field: string }[] };
      expectNamed(error.code, what).toBe('INVALID_ARGUMENT');
      expectNamed(error.fields[0].field.startsWith(field), `${what}: ${error.fields[0].field}`).toBe(true);
    }
    const infer = (body: unknown) => postJson(`${a.url}/v2/models/flowers/infer`, body);
    const v2cases: [string, unknown, string][] = [
      ['a shape that does not hold the data', { inputs: [{ name: 'x', shape: [2, 4], datatype: 'FP64', data: [1, 2, 3] }] }, 'body.inputs.0.data'],
      ['the wrong feature count', { inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP64', data: [1, 2, 3] }] }, 'body.inputs.0.shape'],
      ['text in an FP32 tensor', { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [1, 2, 'a', 4] }] }, 'body.inputs.0.data.2'],
      ['a fraction in an INT32 tensor', { inputs: [{ name: 'x', shape: [1, 4], datatype: 'INT32', data: [1, 2, 3.5, 4] }] }, 'body.inputs.0.data.2'],
      ['an unknown datatype', { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP8', data: [1, 2, 3, 4] }] }, 'body.inputs.0.datatype'],
      ['a column missing', { inputs: [{ name: first, shape: [1], datatype: 'FP64', data: [1] }] }, 'body.inputs'],
    ];
    for (const [what, body, field] of v2cases) {
      const answer = await infer(body);
      expectNamed(answer.status, what).toBe(400);
      expectNamed(typeof answer.body.error, what).toBe('string');
      expectNamed((answer.body.fields as { field: string }[])[0].field, what).toBe(field);
    }
    expect((await predict(a, 'nowhere', { inputs: [irisRow(0)] })).status).toBe(404);
    expect((await postJson(`${a.url}/v1/deployments/flowers/predict`, 'x', { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('sends 10% ± 2% of 2,000 requests to a 10% canary', async () => {
    await revise(uow, 'flowers', { action: 'GRAY_START', stableVersionId: v1.id, canary: { versionId: v2.id, percent: 10, sticky: null } });
    await waitFor(async () => ((await predict(a, 'flowers', { inputs: [irisRow(0)] })).body.revision === 2 ? true : undefined), { what: 'revision 2' });
    let canary = 0;
    for (let i = 0; i < 2000; i++) {
      const answer = await predict(a, 'flowers', { inputs: [irisRow(i % 150)] });
      expect(answer.status).toBe(200);
      if (answer.body.role === 'canary') {
        expect(answer.headers.get(SERVING_HEADERS.version)).toBe('2');
        canary++;
      }
    }
    expect(canary).toBeGreaterThanOrEqual(160);
    expect(canary).toBeLessThanOrEqual(240);
  });

  it('keeps one sticky key on one version 1,000 times out of 1,000, and splits keys about the percent', async () => {
    await revise(uow, 'flowers', { action: 'GRAY_START', stableVersionId: v1.id, canary: { versionId: v2.id, percent: 30, sticky: { header: 'x-customer' } } });
    await waitFor(async () => ((await predict(a, 'flowers', { inputs: [irisRow(0)] })).body.revision === 3 ? true : undefined), { what: 'revision 3' });
    const seen = new Set<unknown>();
    for (let i = 0; i < 1000; i++) seen.add((await predict(a, 'flowers', { inputs: [irisRow(i % 150)] }, { 'x-customer': 'customer-42' })).body.version);
    expect(seen.size).toBe(1);
    let canary = 0;
    for (let k = 0; k < 400; k++) if ((await predict(a, 'flowers', { inputs: [irisRow(0)] }, { 'x-customer': `c-${k}` })).body.role === 'canary') canary++;
    expect(canary / 400).toBeGreaterThan(0.2);
    expect(canary / 400).toBeLessThan(0.4);
  });

  it('moves two replicas to a new revision within a second of its commit, failing no request of a continuous loop', async () => {
    b = await spawnServing(env);
    replicas.push(b);
    const both = [a, b];
    let failures = 0;
    let sent = 0;
    let running = true;
    const seenV2At = new Map<ServingReplica, number>();
    let committedAt = Infinity;
    const loop = async (replica: ServingReplica) => {
      while (running) {
        const answer = await predict(replica, 'flowers', { inputs: [irisRow(sent % 150)] }, { 'x-customer': 'customer-42' });
        sent++;
        if (answer.status !== 200) failures++;
        if (answer.body.revision === 4 && !seenV2At.has(replica)) seenV2At.set(replica, Date.now());
      }
    };
    const loops = both.map(loop);
    await new Promise((r) => setTimeout(r, 300));
    await revise(uow, 'flowers', { action: 'PROMOTE', stableVersionId: v2.id });
    committedAt = Date.now();
    await waitFor(() => (seenV2At.size === 2 ? true : undefined), { what: 'both replicas serve revision 4', timeoutMs: 5000, intervalMs: 20 });
    await new Promise((r) => setTimeout(r, 200));
    running = false;
    await Promise.all(loops);
    expect(failures).toBe(0);
    expect(sent).toBeGreaterThan(50);
    for (const replica of both) expectNamed((seenV2At.get(replica) as number) - committedAt, `replica ${replica.port}`).toBeLessThan(1000);
  });

  it('keeps answering on one replica while the other is SIGKILLed and restarted mid-traffic', async () => {
    const other = b as ServingReplica;
    let failures = 0;
    let answered = 0;
    let running = true;
    const loop = (async () => {
      while (running) {
        const answer = await predict(a, 'flowers', { inputs: [irisRow(answered % 150)] });
        if (answer.status === 200) answered++;
        else failures++;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    other.child.kill('SIGKILL');
    expect((await other.exited).signal).toBe('SIGKILL');
    const restarted = await spawnServing(env, other.port);
    replicas.push(restarted);
    b = restarted;
    expect((await predict(restarted, 'flowers', { inputs: [irisRow(0)] })).body.revision).toBe(4);
    running = false;
    await loop;
    expect(failures).toBe(0);
    expect(answered).toBeGreaterThan(20);
  });

  it('refuses a tampered canary at load with a serving.load_refused event, stable answering on', async () => {
    const v3 = await registerIrisVersion(uow, objects, signer, 'iris', 2);
    // One byte of the stored model changes after signing (same size): its sha256 no longer matches the signed manifest.
    const key = `${modelVersionPrefix(v3.modelId, v3.version)}slipway.json`;
    const bytes = await buffer(await objects.get(key));
    const at = bytes.indexOf('"threshold"') >= 0 ? bytes.indexOf('"threshold"') + 1 : 1;
    bytes[at] = bytes[at] === 0x61 ? 0x62 : 0x61;
    await objects.put(key, bytes);
    await revise(uow, 'flowers', { action: 'GRAY_START', stableVersionId: v2.id, canary: { versionId: v3.id, percent: 100, sticky: null } });
    const events = await waitFor(
      async () => {
        const rows = await sql.query<{ type: string; message: string; data: { role: string; reason: string; version: number } }>(
          `SELECT type, message, data FROM deployment_events WHERE type = 'serving.load_refused' ORDER BY id`,
        );
        return rows.length >= 2 ? rows : undefined;
      },
      { what: 'both replicas record the refusal' },
    );
    for (const event of events) {
      expect(event.data).toMatchObject({ role: 'canary', reason: 'sha256_mismatch', version: 3 });
      expect(event.message).toMatch(/slipway\.json/);
    }
    for (const replica of [a, b as ServingReplica]) {
      await waitFor(async () => ((await predict(replica, 'flowers', { inputs: [irisRow(0)] })).body.revision === 5 ? true : undefined), { what: 'revision 5' });
      for (let i = 0; i < 50; i++) {
        const answer = await predict(replica, 'flowers', { inputs: [irisRow(i)] });
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ version: 2, role: 'stable' });
      }
    }
  });

  it('writes traffic aggregates that, summed across two replicas, equal the requests sent; a shadow gets its copy and never answers', async () => {
    // The shadow from revision 1 on: a replica that served the deployment without it would count stable requests with no copy.
    const deploymentId = await createDeployment(uow, 'counted', v1, { shadow: { versionId: v2.id, percent: 100 } });
    const replicasNow = [a, b as ServingReplica];
    // Readiness of the model, not a prediction: nothing is counted before the requests the test sends.
    for (const replica of replicasNow)
      await waitFor(
        async () => {
          const ready = (await (await fetch(`${replica.url}/v2/models/counted/ready`)).json()) as { ready: boolean };
          return ready.ready ? true : undefined;
        },
        { what: 'counted served' },
      );
    const sends = [137, 89];
    for (const [i, replica] of replicasNow.entries())
      for (let r = 0; r < sends[i]; r++) {
        const answer = await predict(replica, 'counted', { inputs: [irisRow(r % 150)] });
        expect(answer.body).toMatchObject({ version: 1, role: 'stable' });
      }
    const total = sends[0] + sends[1];
    const sums = async () =>
      sql.query<{ role: string; requests: number; errors: number; buckets: number }>(
        `SELECT role, sum(requests)::int AS requests, sum(errors)::int AS errors,
                sum((SELECT sum(x) FROM unnest(latency_buckets) x))::int AS buckets
           FROM deployment_metrics WHERE deployment_id = $1 GROUP BY role ORDER BY role`,
        [deploymentId],
      );
    let seen: unknown = null;
    const rows = await waitFor(
      async () => {
        const now = await sums();
        seen = now;
        const stable = now.find((r) => r.role === 'stable');
        const shadow = now.find((r) => r.role === 'shadow');
        return stable && shadow && stable.requests === total && shadow.requests === total ? now : undefined;
      },
      { what: 'the replicas flush their counts', timeoutMs: 15_000 },
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}; last seen ${JSON.stringify(seen)}; replica output:\n${a.output().slice(-3000)}\n${(b as ServingReplica).output().slice(-3000)}`,
      );
    });
    // Two more flush periods: nothing is counted twice.
    await new Promise((r) => setTimeout(r, 4500));
    const settled = await sums();
    expect(settled).toEqual(rows);
    const stable = settled.find((r) => r.role === 'stable') as { requests: number; errors: number; buckets: number };
    expect(settled.map((r) => [r.role, r.requests])).toEqual([
      ['shadow', total],
      ['stable', total],
    ]);
    expect(stable.errors).toBe(0);
    expect(stable.buckets).toBe(stable.requests);
    // Inputs binned on the training profile's histograms and predictions per class, summed across the replicas.
    const bins = await sql.query<{ role: string; features: Record<string, BinnedCounts>; predictions: BinnedCounts }>(
      `SELECT role, features, predictions FROM deployment_metrics WHERE deployment_id = $1`,
      [deploymentId],
    );
    const countOf = (b: BinnedCounts) => (b.kind === 'histogram' ? b.counts : Object.values(b.counts)).reduce((x, y) => x + y, 0);
    for (const role of ['stable', 'shadow']) {
      const mine = bins.filter((r) => r.role === role);
      for (const column of IRIS.featureNames) {
        expect(mine.every((r) => r.features[column].kind === 'histogram')).toBe(true);
        expect(mine.reduce((n, r) => n + countOf(r.features[column]), 0)).toBe(total);
      }
      expect(mine.reduce((n, r) => n + countOf(r.predictions), 0)).toBe(total);
    }
    // Depth 1 answers two species only; depth 4 (the shadow) all three, on rows cycling through all of iris.
    const classes = (role: string) =>
      new Set(bins.filter((r) => r.role === role).flatMap((r) => (r.predictions.kind === 'categories' ? Object.keys(r.predictions.counts) : [])));
    expect(classes('stable').size).toBe(2);
    expect(classes('shadow').size).toBe(3);
    // The same counts for Prometheus, per replica.
    const exposed = await (await fetch(`${a.url}/metrics`)).text();
    expect(exposed).toContain(`slipway_serving_requests_total{deployment="counted",version="1",role="stable"} ${sends[0]}`);
    expect(exposed).toContain(`slipway_serving_requests_total{deployment="counted",version="2",role="shadow"} ${sends[0]}`);
    expect(exposed).toMatch(/slipway_serving_latency_seconds_bucket\{le="0.001",deployment="counted",version="1",role="stable"\} \d+/);
    expect(exposed).toContain('process_cpu_seconds_total');
  });

  it('counts feedback on any replica: an id the replica made up names its revision and version, a caller-chosen id travels with `version`', async () => {
    const other = b as ServingReplica;
    const feedback = (replica: ServingReplica, body: unknown) => postJson(`${replica.url}/v1/deployments/counted/feedback`, body);
    const fieldOf = (answer: { body: Record<string, unknown> }) => (answer.body.error as { fields: { field: string }[] }).fields[0].field;

    // Predicted on A, fed back on B, which never saw the request.
    const madeUp = (await predict(a, 'counted', { inputs: [irisRow(5)] })).body.requestId as string;
    expect(madeUp).toMatch(/^[0-9a-f-]{36}\.1\.1$/);
    expect((await feedback(other, { requestId: madeUp, metric: 'converted', value: 1 })).status).toBe(202);

    // A caller-chosen id: B cannot place it alone, and can with the answer's version.
    expect((await predict(a, 'counted', { inputs: [irisRow(6)] }, { [SERVING_HEADERS.requestId]: 'order-77' })).body.version).toBe(1);
    const unplaced = await feedback(other, { requestId: 'order-77', metric: 'converted', value: 0 });
    expect([unplaced.status, fieldOf(unplaced)]).toEqual([404, 'body.requestId']);
    expect((await feedback(other, { requestId: 'order-77', metric: 'converted', value: 0, version: 1 })).status).toBe(202);

    // What contradicts the answer, or names what never answered, is refused naming the field.
    const contradicting = await feedback(a, { requestId: 'order-77', metric: 'converted', value: 0, version: 2 });
    expect([contradicting.status, fieldOf(contradicting)]).toEqual([400, 'body.version']);
    const notThatVersion = await feedback(other, { requestId: `${madeUp.split('.')[0]}.1.2`, metric: 'converted', value: 1 });
    expect([notThatVersion.status, fieldOf(notThatVersion)]).toEqual([404, 'body.requestId']);
    const neverServed = await feedback(other, { requestId: 'order-78', metric: 'converted', value: 1, version: 9 });
    expect([neverServed.status, fieldOf(neverServed)]).toEqual([404, 'body.version']);
    const badVersion = await feedback(other, { requestId: 'order-78', metric: 'converted', value: 1, version: 0 });
    expect([badVersion.status, fieldOf(badVersion)]).toEqual([400, 'body.version']);

    const rows = await sql.query<{ request_id: string; version_id: string; metric: string; value: number }>(
      `SELECT f.request_id, f.version_id, f.metric, f.value FROM deployment_feedback f JOIN deployments d ON d.id = f.deployment_id
        WHERE d.name = 'counted' ORDER BY f.id`,
    );
    expect(rows.map((r) => [r.request_id, r.version_id, r.metric, r.value])).toEqual([
      [madeUp, v1.id, 'converted', 1],
      ['order-77', v1.id, 'converted', 0],
    ]);
  });
});
