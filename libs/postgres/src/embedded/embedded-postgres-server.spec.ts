import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDatabase, startEmbeddedPostgres } from './embedded-postgres-server';

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
