/**
 * An image model on a serving replica as production runs it: a CNN trained by train() for two epochs on the digits
 * images (the bundle the built-in sample uploads, read back by readTrainingImages, its image preprocessing.json
 * beside the model), registered by the ModelRegistrar and deployed through the DeploymentStore; the replica in its
 * own Node process on this file's migrated Postgres and a local object store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ArtifactSigner } from '@slipway/artifacts';
import { SERVING_HEADERS, type BinnedCounts } from '@slipway/contracts';
import { UnitOfWork } from '@slipway/db';
import { LocalObjectStore } from '@slipway/storage';
import { connectTestSql, useTestDatabase, waitFor, type TestSql } from '@slipway/testing';
import { expectNamed } from '@slipway/testing-matchers';
import {
  createDeployment,
  DIGITS,
  digitsImage,
  postJson,
  registerDigitsCnnVersion,
  spawnServing,
  stopServing,
  type ServingReplica,
} from './support/serving-fixtures';

const database = useTestDatabase();
const CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

describe('serving an image model (digits CNN)', () => {
  let dir: string;
  let uow: UnitOfWork;
  let sql: TestSql;
  let replica: ServingReplica;
  let deploymentId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-serving-images-'));
    const env = {
      DATABASE_URL: database.url,
      SLIPWAY_HOME: join(dir, 'home'),
      SLIPWAY_ARTIFACT_DIR: join(dir, 'artifacts'),
      SLIPWAY_SIGNING_KEY_FILE: join(dir, 'signing-key.pem'),
      SLIPWAY_SERVING_POLL_MS: '60000',
      SLIPWAY_LOG_LEVEL: 'warn',
    };
    uow = UnitOfWork.connect(database.url, { poolSize: 2 });
    sql = connectTestSql(database.url);
    const objects = new LocalObjectStore(env.SLIPWAY_ARTIFACT_DIR);
    const signer = ArtifactSigner.loadOrCreate(env.SLIPWAY_SIGNING_KEY_FILE);
    const version = await registerDigitsCnnVersion(uow, objects, signer, 'digits-cnn');
    deploymentId = await createDeployment(uow, 'digits', version);
    replica = await spawnServing(env);
  });

  afterAll(async () => {
    await stopServing(replica);
    await uow?.close();
    await sql?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const predict = (body: unknown) => postJson(`${replica.url}/v1/deployments/digits/predict`, body);
  const sent = { images: 0 };

  it('answers classes and probabilities for nested H×W×C images and for flat rows alike, better than chance', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => i * 17);
    const nested = await predict({ inputs: rows.map(digitsImage) });
    expect(nested.status).toBe(200);
    expect(nested.headers.get(SERVING_HEADERS.version)).toBe('1');
    expect(nested.body).toMatchObject({ deployment: 'digits', model: 'digits-cnn', version: 1, role: 'stable' });
    const predictions = nested.body.predictions as string[];
    const probabilities = nested.body.probabilities as { labels: string[]; values: number[][] };
    expect(probabilities.labels).toEqual(CLASSES);
    expect(probabilities.values).toHaveLength(100);
    probabilities.values.forEach((p, i) => {
      expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
      // The answered class is the most probable one.
      expect(predictions[i]).toBe(CLASSES[p.indexOf(Math.max(...p))]);
    });
    const right = rows.filter((r, i) => predictions[i] === String(DIGITS.targets[r])).length;
    expect(right).toBeGreaterThan(30); // chance is 10 of 100; two epochs of a small network do much better

    const flat = await predict({ inputs: rows.map((r) => Array.from(DIGITS.features.subarray(r * 64, (r + 1) * 64))), probabilities: false });
    expect(flat.status).toBe(200);
    expect(flat.body.predictions).toEqual(predictions);
    expect(flat.body.probabilities).toBeNull();
    sent.images += 200;
  });

  it('refuses images of the wrong shape naming the image and the shape it takes, and bad pixels naming their position', async () => {
    const good = digitsImage(0);
    const cases: [string, unknown, string, RegExp][] = [
      ['a 7-row image', { inputs: [good, good, good, good.slice(1)] }, 'body.inputs.3', /shape \[7, 8, 1\].*8×8×1/],
      ['a flat row of 63', { inputs: [Array.from({ length: 63 }, () => 1)] }, 'body.inputs.0', /shape \[63\].*64 numbers/],
      ['named columns', { inputs: [{ pixel: 1 }] }, 'body.inputs.0', /not an array/],
      ['two channels', { inputs: [good.map((line) => line.map((p) => [p[0], 0]))] }, 'body.inputs.0', /8×8×1/],
      ['a pixel above 255', { inputs: [good.map((line, y) => line.map((p, x) => (y === 2 && x === 5 ? [300] : p)))] }, 'body.inputs.0.2.5.0', /0\.\.255/],
      ['a negative flat pixel', { inputs: [Array.from({ length: 64 }, (_, i) => (i === 9 ? -1 : 0))] }, 'body.inputs.0.9', /0\.\.255/],
      ['text as a flat pixel', { inputs: [Array.from({ length: 64 }, (_, i) => (i === 4 ? 'x' : 0))] }, 'body.inputs.0.4', /pixel/],
    ];
    for (const [what, body, field, message] of cases) {
      const answer = await predict(body);
      expectNamed(answer.status, what).toBe(400);
      const error = answer.body.error as { code: string; message: string; fields: { field: string; message: string }[] };
      expectNamed(error.code, what).toBe('INVALID_ARGUMENT');
      expectNamed(error.fields[0].field, what).toBe(field);
      expectNamed(error.fields[0].message, what).toMatch(message);
    }
  });

  it('answers the Open Inference Protocol: image metadata, and infer on an FP32 [N, H, W, C] tensor', async () => {
    const metadata = (await (await fetch(`${replica.url}/v2/models/digits`)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      name: 'digits',
      platform: 'slipway_cnn',
      inputs: [{ name: 'images', datatype: 'FP32', shape: [-1, 8, 8, 1] }],
      outputs: [
        { name: 'predict', datatype: 'BYTES' },
        { name: 'probabilities', datatype: 'FP64', shape: [-1, 10] },
      ],
    });
    const rows = [3, 500, 1000];
    const data = rows.flatMap((r) => Array.from(DIGITS.features.subarray(r * 64, (r + 1) * 64)));
    const infer = await postJson(`${replica.url}/v2/models/digits/infer`, {
      id: 'img-1',
      inputs: [{ name: 'images', shape: [3, 8, 8, 1], datatype: 'FP32', data }],
    });
    expect(infer.status).toBe(200);
    expect(infer.body).toMatchObject({ model_name: 'digits', model_version: '1', id: 'img-1' });
    const outputs = infer.body.outputs as { name: string; shape: number[]; datatype: string; data: unknown[] }[];
    expect(outputs[0]).toMatchObject({ name: 'predict', shape: [3], datatype: 'BYTES' });
    expect(outputs[1]).toMatchObject({ name: 'probabilities', shape: [3, 10], datatype: 'FP64' });
    const direct = await predict({ inputs: rows.map(digitsImage), probabilities: false });
    expect(outputs[0].data).toEqual(direct.body.predictions);
    sent.images += 6;

    const refused: [string, unknown, string][] = [
      [
        'an image shape the model does not take',
        { inputs: [{ name: 'images', shape: [1, 8, 8], datatype: 'FP32', data: data.slice(0, 64) }] },
        'body.inputs.0.shape',
      ],
      ['BYTES images', { inputs: [{ name: 'images', shape: [1, 64], datatype: 'BYTES', data: data.slice(0, 64).map(String) }] }, 'body.inputs.0.datatype'],
      ['data the shape does not hold', { inputs: [{ name: 'images', shape: [2, 8, 8, 1], datatype: 'FP32', data: data.slice(0, 64) }] }, 'body.inputs.0.data'],
    ];
    for (const [what, body, field] of refused) {
      const answer = await postJson(`${replica.url}/v2/models/digits/infer`, body);
      expectNamed(answer.status, what).toBe(400);
      expectNamed((answer.body.fields as { field: string }[])[0].field, what).toBe(field);
    }
  });

  it('counts each image once in the per-channel mean-intensity bins and each answer in the class bins', async () => {
    const rows = await waitFor(
      async () => {
        const found = await sql.query<{ requests: number; features: Record<string, BinnedCounts>; predictions: BinnedCounts }>(
          `SELECT requests, features, predictions FROM deployment_metrics WHERE deployment_id = $1 AND role = 'stable'`,
          [deploymentId],
        );
        const counted = found.reduce(
          (n, r) => n + (r.predictions?.kind === 'categories' ? Object.values(r.predictions.counts).reduce((a, b) => a + b, 0) : 0),
          0,
        );
        return counted === sent.images ? found : undefined;
      },
      { what: 'the replica flushes its image counts', timeoutMs: 15_000 },
    );
    let images = 0;
    for (const row of rows) {
      const bins = row.features['channel_0_mean'];
      expect(bins.kind).toBe('histogram');
      if (bins.kind !== 'histogram') continue;
      expect(bins.edges[0]).toBe(0);
      expect(bins.edges[bins.edges.length - 1]).toBe(256);
      // Digits' pixels are 0..16: every image's mean lands in the first four bins (0..16).
      expect(bins.counts.slice(4).every((c) => c === 0)).toBe(true);
      images += bins.counts.reduce((a, b) => a + b, 0);
    }
    expect(images).toBe(sent.images);
  });
});
