import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SlipwayClient, SlipwayIntegrityError } from '@slipway/client';
import { createSlipwayNodeClient, SlipwayNodeClient } from '../slipway-node-client';
import { HashingMeter, openUploadSource } from '../transfer';

// Integrity failures need a server that lies about the bytes, which the real API never does; a real HTTP
// server plays it. The happy paths run against the real API in apps/api/src/__tests__/client.http.spec.ts.

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const content = Buffer.from('the weights');
let advertised = sha256(content);
let received = Buffer.alloc(0);
let server: Server;
let baseUrl: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-client-node-'));
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-length': String(content.length), 'x-slipway-sha256': advertised });
        return res.end(content);
      }
      received = Buffer.concat(chunks);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          path: 'f.bin',
          sizeBytes: received.length,
          sha256: advertised,
          contentType: 'application/octet-stream',
          createdAt: new Date().toISOString(),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('transfers', () => {
  it('hash and count what streams through, reporting progress', async () => {
    const chunks = [Buffer.from('hello '), Buffer.from('world')];
    const seen: number[] = [];
    const meter = new HashingMeter(11, (p) => seen.push(p.bytes));
    await pipeline(Readable.from(chunks), meter, new Writable({ write: (_c, _e, done) => done() }));
    expect(meter.sha256()).toBe(sha256('hello world'));
    expect(meter.bytes).toBe(11);
    expect(seen).toEqual([0, 6, 11]);
  });

  it('know the size of buffers and not of streams unless told', async () => {
    await expect(openUploadSource(new Uint8Array([1, 2, 3]))).resolves.toMatchObject({ sizeBytes: 3 });
    await expect(openUploadSource(Readable.from([Buffer.from('x')]))).resolves.toMatchObject({ sizeBytes: null });
    await expect(openUploadSource(Readable.from([Buffer.from('x')]), 1)).resolves.toMatchObject({ sizeBytes: 1 });
    await expect(openUploadSource(__dirname)).rejects.toThrow('is not a file');
  });
});

describe('the Node client', () => {
  it("is the core client plus byte transfers: the core's routes are there unchanged", () => {
    const client = createSlipwayNodeClient({ baseUrl, token: 't' });
    expect(client).toBeInstanceOf(SlipwayClient);
    expect(typeof client.artifacts.list).toBe('function');
    expect(typeof client.artifacts.uploadBytes).toBe('function');
    expect(typeof client.versions.registerFromRun).toBe('function');
    // withToken keeps the subclass: the console's pattern (one client, another token) works for Node callers too.
    expect(client.withToken('other')).toBeInstanceOf(SlipwayNodeClient);
  });

  it('streams a file up and refuses an answer whose sha256 is not what was sent', async () => {
    const file = join(dir, 'up.bin');
    writeFileSync(file, content);
    const client = createSlipwayNodeClient({ baseUrl, token: 't' });
    advertised = sha256(content);
    await expect(client.artifacts.upload('r', 'f.bin', file)).resolves.toMatchObject({ sha256: advertised });
    expect(received.equals(content)).toBe(true);
    advertised = sha256('other bytes');
    await expect(client.artifacts.upload('r', 'f.bin', file)).rejects.toBeInstanceOf(SlipwayIntegrityError);
  });

  it('removes a downloaded file whose bytes do not hash to what the server announced', async () => {
    const client = createSlipwayNodeClient({ baseUrl, token: 't' });
    const good = join(dir, 'good.bin');
    advertised = sha256(content);
    await expect(client.artifacts.download('r', 'f.bin', good)).resolves.toEqual({ sha256: sha256(content), sizeBytes: content.length });
    expect(readFileSync(good).equals(content)).toBe(true);

    const bad = join(dir, 'bad.bin');
    advertised = sha256('other bytes');
    await expect(client.versions.downloadFile('m', 1, 'f.bin', bad)).rejects.toBeInstanceOf(SlipwayIntegrityError);
    expect(existsSync(bad)).toBe(false);
  });
});
