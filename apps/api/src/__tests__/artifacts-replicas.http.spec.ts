/**
 * Two API replicas (two app instances on one database and one object store) racing on the same run
 * artifact path: the claim on (run, path) is a database row, so exactly one upload wins, the other is a
 * 409, and the stored bytes are the winner's — on the local folder store and on S3, where a loser that
 * went ahead would delete the key the winner recorded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { artifactSchema, errorResponseSchema, runSchema } from '@slipway/contracts';
import { connectTestSql, type LocalS3Server, startLocalS3Server, type TestSql, useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';

/** A PUT whose body the test releases when it wants: the upload holds its claim until then. */
function slowPut(api: ApiTestApp, path: string, first: Buffer, rest: Buffer): { release(): void; response: Promise<{ status: number; body: string }> } {
  const url = new URL(`${api.baseUrl}${path}`);
  let release = () => undefined as void;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: 'PUT',
        path: url.pathname,
        headers: { authorization: `Bearer ${api.tokens.editor}`, 'content-type': 'application/octet-stream', 'content-length': first.length + rest.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.write(first);
    release = () => req.end(rest);
  });
  return { release: () => release(), response };
}

const put = (api: ApiTestApp, path: string, body: Buffer) =>
  fetch(`${api.baseUrl}${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${api.tokens.editor}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(body),
  });

const download = async (api: ApiTestApp, path: string) => {
  const response = await fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${api.tokens.viewer}` } });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
};

function describeReplicas(name: string, store: () => Promise<{ env: Record<string, string>; stop: () => Promise<void> }>) {
  describe(`two API replicas uploading one run artifact path (${name})`, () => {
    const db = useTestDatabase();
    let replicaA: ApiTestApp;
    let replicaB: ApiTestApp;
    let sql: TestSql;
    let stop: () => Promise<void>;
    let runId: string;

    beforeAll(async () => {
      const shared = await store();
      stop = shared.stop;
      replicaA = await startApiTestApp(db.url, shared.env);
      replicaB = await startApiTestApp(db.url, shared.env);
      sql = connectTestSql(db.url);
      const created = await replicaA.request('/api/v1/runs', { role: 'editor', method: 'POST', json: { experimentName: 'replicas' } });
      runId = runSchema.parse(await created.json()).id;
    });
    afterAll(async () => {
      await sql?.close();
      await replicaA?.close();
      await replicaB?.close();
      await stop?.();
    });

    it('refuses the second replica (409) while the first holds the path, and keeps the first one’s bytes', async () => {
      const path = `/api/v1/runs/${runId}/artifacts/model/weights.bin`;
      const winnerBytes = Buffer.alloc(256 * 1024, 0xaa);
      const loserBytes = Buffer.alloc(256 * 1024, 0x55);
      const first = slowPut(replicaA, path, winnerBytes.subarray(0, 1024), winnerBytes.subarray(1024));
      // Wait until replica A has claimed the path (its claim row exists) before B tries.
      for (let i = 0; i < 200 && (await sql.count('artifact_upload_claims')) === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await sql.count('artifact_upload_claims', 'run_id = $1', [runId])).toBe(1);
      const loser = await put(replicaB, path, loserBytes);
      expect(loser.status).toBe(409);
      expect(errorResponseSchema.parse(await loser.json()).error).toMatchObject({ code: 'CONFLICT', fields: [{ field: 'params.path' }] });
      first.release();
      const winner = await first.response;
      expect(winner.status).toBe(201);
      expect(artifactSchema.parse(JSON.parse(winner.body)).sizeBytes).toBe(winnerBytes.length);
      // Both replicas serve the winner's bytes; the claim is gone; a later upload is the immutability 409.
      for (const api of [replicaA, replicaB]) {
        const back = await download(api, path);
        expect(back.status).toBe(200);
        expect(back.body.equals(winnerBytes)).toBe(true);
      }
      expect(await sql.count('artifact_upload_claims')).toBe(0);
      const late = await put(replicaB, path, loserBytes);
      expect(late.status).toBe(409);
      expect(errorResponseSchema.parse(await late.json()).error.code).toBe('ALREADY_EXISTS');
      expect((await download(replicaA, path)).body.equals(winnerBytes)).toBe(true);
    });

    it('lets exactly one of many simultaneous uploads win, and the stored bytes are the winner’s', async () => {
      const path = `/api/v1/runs/${runId}/artifacts/race.bin`;
      const bodies = Array.from({ length: 6 }, (_, i) => Buffer.alloc(64 * 1024, i + 1));
      const responses = await Promise.all(bodies.map((body, i) => put(i % 2 === 0 ? replicaA : replicaB, path, body)));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(bodies.length - 1);
      const winner = statuses.indexOf(201);
      const recorded = artifactSchema.parse(await responses[winner].json());
      const back = await download(replicaB, path);
      expect(back.body.equals(bodies[winner])).toBe(true);
      expect(recorded.sizeBytes).toBe(bodies[winner].length);
      expect(await sql.count('artifacts', 'run_id = $1 AND path = $2', [runId, 'race.bin'])).toBe(1);
      expect(await sql.count('artifact_upload_claims')).toBe(0);
    });
  });
}

describeReplicas('local folder store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-replicas-'));
  return { env: { SLIPWAY_ARTIFACT_DIR: dir }, stop: async () => rmSync(dir, { recursive: true, force: true }) };
});

describeReplicas('S3', async () => {
  const server: LocalS3Server = await startLocalS3Server(['replicas']);
  return {
    env: { S3_BUCKET: 'replicas', S3_ENDPOINT: server.endpoint, S3_ACCESS_KEY_ID: server.accessKeyId, S3_SECRET_ACCESS_KEY: server.secretAccessKey },
    stop: () => server.stop(),
  };
});
