/**
 * The real-Postgres test harness. Once per test run (Jest globalSetup) it gets a Postgres — the one
 * DATABASE_URL names, else an embedded Postgres it starts in a temp folder — and builds a template
 * database with the committed migrations applied. Every test file then clones its own database from the
 * template (CREATE DATABASE … TEMPLATE, ~50 ms), so files never see each other's rows.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findWorkspaceRoot } from '@slipway/config';
import { applyMigrations, ensureDatabase, readMigrations, startEmbeddedPostgres } from '@slipway/postgres';
import { freePort } from '../net/free-port';

export interface TestPostgresInfo {
  /** URL of a database on the server with rights to create databases. */
  adminUrl: string;
  templateDatabase: string;
}

/** Environment variable through which globalSetup hands the server's address to the test workers. */
export const TEST_POSTGRES_ENV = 'SLIPWAY_TEST_POSTGRES';

/** The harness's server, as set up by globalSetup for this Jest run. */
export function testPostgresInfo(): TestPostgresInfo {
  const raw = process.env[TEST_POSTGRES_ENV];
  if (!raw) {
    throw new Error(`${TEST_POSTGRES_ENV} is unset: this project's jest.config.ts needs \`postgres: true\` (the Postgres harness's globalSetup)`);
  }
  return JSON.parse(raw) as TestPostgresInfo;
}

export function migrationsDir(): string {
  return join(findWorkspaceRoot(__dirname), 'prisma', 'migrations');
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Starts (or connects to) the server and prepares the migrated template; returns what test files need. */
export async function setUpTestPostgres(): Promise<{ info: TestPostgresInfo; teardown: () => Promise<void> }> {
  let adminUrl: string;
  let stopServer = async (): Promise<void> => undefined;
  let dataDir: string | undefined;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'slipway-test-pg-'));
    const server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    adminUrl = server.adminUrl;
    stopServer = server.stop;
  }
  // One template per migration set: a changed migration gets a fresh template on a shared server.
  const migrationsHash = createHash('sha256')
    .update(
      readMigrations(migrationsDir())
        .map((m) => m.checksum)
        .join(','),
    )
    .digest('hex')
    .slice(0, 12);
  const templateDatabase = `slipway_template_${migrationsHash}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Serialise template creation between concurrent runs against one external server.
    await admin.query('select pg_advisory_lock(hashtext($1))', [templateDatabase]);
    const exists = await admin.query('select 1 from pg_database where datname = $1', [templateDatabase]);
    if (exists.rowCount === 0) {
      const building = `${templateDatabase}_building`;
      await admin.query(`drop database if exists "${building}"`);
      await ensureDatabase(adminUrl, building);
      await applyMigrations(withDatabase(adminUrl, building), migrationsDir());
      await admin.query(`alter database "${building}" rename to "${templateDatabase}"`);
    }
    await admin.query('select pg_advisory_unlock(hashtext($1))', [templateDatabase]);
  } finally {
    await admin.end();
  }
  return {
    info: { adminUrl, templateDatabase },
    teardown: async () => {
      await stopServer();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(info: TestPostgresInfo): Promise<TestDatabase> {
  const name = `slipway_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: info.adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}" template "${info.templateDatabase}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(info.adminUrl, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: info.adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
