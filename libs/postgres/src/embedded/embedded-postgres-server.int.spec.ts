import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ensureDatabase, resolveClusterDir, startEmbeddedPostgres } from './embedded-postgres-server';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded Postgres', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'slipway-pg-spec-')), 'cluster');
  afterAll(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('initialises a cluster, is reused by a second start, and keeps its data across restarts', async () => {
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port });
    expect(first.ownedByThisProcess).toBe(true);
    await ensureDatabase(first.adminUrl, 'kept');
    await ensureDatabase(first.adminUrl, 'kept'); // idempotent
    await query(first.urlFor('kept'), 'create table t (v int); insert into t values (42)');

    const second = await startEmbeddedPostgres({ dataDir, port });
    expect(second.ownedByThisProcess).toBe(false);
    await expect(query(second.urlFor('kept'), 'select v from t')).resolves.toEqual([{ v: 42 }]);
    await second.stop(); // not its server: must leave it running
    await expect(query(first.urlFor('kept'), 'select 1 as one')).resolves.toEqual([{ one: 1 }]);

    await first.stop();
    await expect(query(first.urlFor('kept'), 'select 1')).rejects.toThrow();

    const restarted = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(restarted.ownedByThisProcess).toBe(true);
      await expect(query(restarted.urlFor('kept'), 'select v from t')).resolves.toEqual([{ v: 42 }]);
      const [{ server_version: version }] = (await query(restarted.adminUrl, 'show server_version')) as { server_version: string }[];
      expect(version).toMatch(/^17\./);
    } finally {
      await restarted.stop();
    }
  });
});

describe('resolveClusterDir', () => {
  it('keeps a reachable folder, and gives each unreachable checkout its own stand-in folder', () => {
    const reachable = join(tmpdir(), 'slipway-reachable-spec', '.slipway', 'postgres');
    expect(resolveClusterDir(reachable)).toBe(reachable);
    // mkdtemp makes 0700 folders: the postgres OS user (used when running as root) cannot enter them.
    const a = join(mkdtempSync(join(tmpdir(), 'slipway-a-')), '.slipway', 'postgres');
    const b = join(mkdtempSync(join(tmpdir(), 'slipway-b-')), '.slipway', 'postgres');
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (asRoot) {
      expect(resolveClusterDir(a)).not.toBe(a);
      expect(resolveClusterDir(a)).not.toBe(resolveClusterDir(b));
      expect(resolveClusterDir(a)).toBe(resolveClusterDir(a));
    } else {
      expect([resolveClusterDir(a), resolveClusterDir(b)]).toEqual([a, b]);
    }
    rmSync(join(a, '..', '..'), { recursive: true, force: true });
    rmSync(join(b, '..', '..'), { recursive: true, force: true });
  });
});
