/**
 * Proves the committed migrations, the database they produce and the generated Prisma client agree:
 * Prisma itself finds no drift between prisma/migrations and schema.prisma, Prisma accepts a database
 * migrated by our applier as up to date, and every model/field the client knows exists as a column.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from '@jest/globals';
import { findWorkspaceRoot } from '@slipway/config';
import { applyMigrations, ensureDatabase, readMigrations } from '@slipway/postgres';
import { createTestDatabase, migrationsDir, testPostgresInfo, useTestDatabase } from '@slipway/testing';
import { createPrismaClient } from '../prisma-client';
import { Prisma } from '../generated/prisma/client';

const root = findWorkspaceRoot(__dirname);

interface RuntimeDataModel {
  models: Record<string, { dbName: string; fields: { name: string; kind: string; dbName?: string }[] }>;
}

function prismaCli(databaseUrl: string, args: string[]) {
  return spawnSync(process.execPath, [require.resolve('prisma/build/index.js'), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    encoding: 'utf8',
    timeout: 90_000,
  });
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

describe('migrations', () => {
  const db = useTestDatabase();

  it('are what Prisma generates from schema.prisma (no drift)', () => {
    const result = prismaCli(db.url, [
      'migrate',
      'diff',
      '--from-migrations',
      'prisma/migrations',
      '--to-schema-datamodel',
      'prisma/schema.prisma',
      '--exit-code',
    ]);
    expect(result.stdout + result.stderr).toContain('No difference detected');
    expect(result.status).toBe(0);
  });

  it('applied by Slipway are recognised by `prisma migrate status` as up to date', () => {
    const result = prismaCli(db.url, ['migrate', 'status']);
    expect(result.stdout).toContain('Database schema is up to date');
    expect(result.status).toBe(0);
  });

  it('apply to an empty database once, and are idempotent and safe under concurrent starts', async () => {
    const { adminUrl } = testPostgresInfo();
    const name = `slipway_empty_${Date.now()}`;
    await ensureDatabase(adminUrl, name);
    const url = withDatabase(adminUrl, name);
    try {
      const all = readMigrations(migrationsDir()).map((m) => m.name);
      const results = await Promise.all([1, 2, 3].map(() => applyMigrations(url, migrationsDir())));
      const appliedByAnyone = results.flatMap((r) => r.applied).sort();
      expect(appliedByAnyone).toEqual(all);
      const again = await applyMigrations(url, migrationsDir());
      expect(again).toEqual({ applied: [], alreadyApplied: all });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const rows = await client.query('select migration_name, finished_at is not null as done from "_prisma_migrations" order by migration_name');
      await client.end();
      expect(rows.rows).toEqual(all.map((migration_name) => ({ migration_name, done: true })));
    } finally {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.end();
    }
  });

  it('give every model and scalar field of the generated client a matching table and column', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ table_name: string; column_name: string }>(
      "select table_name, column_name from information_schema.columns where table_schema = 'public'",
    );
    await client.end();
    const columns = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
    const prisma = createPrismaClient(db.url);
    // The data model the client was generated with (the same one its queries are built from).
    const dataModel = (prisma as unknown as { _runtimeDataModel: RuntimeDataModel })._runtimeDataModel;
    await prisma.$disconnect();
    const expected = Object.values(dataModel.models).flatMap((model) =>
      model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum').map((f) => `${model.dbName}.${f.dbName ?? f.name}`),
    );
    expect(expected.length).toBeGreaterThan(200);
    expect(expected.filter((column) => !columns.has(column))).toEqual([]);
    expect(Object.keys(dataModel.models).length).toBeGreaterThanOrEqual(25);
  });

  it('support the client reading every model and writing rows with relations', async () => {
    const prisma = createPrismaClient(db.url);
    try {
      const delegates = Object.values(Prisma.ModelName).map((name) => name.charAt(0).toLowerCase() + name.slice(1));
      for (const delegate of delegates) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        await expect((prisma as any)[delegate].findFirst()).resolves.toBeNull();
      }
      const model = await prisma.model.create({ data: { name: 'fraud', tags: { create: [{ key: 'team', value: 'risk' }] } } });
      const experiment = await prisma.experiment.create({ data: { name: 'fraud-exp' } });
      const run = await prisma.run.create({
        data: {
          experimentId: experiment.id,
          params: { create: [{ key: 'maxDepth', value: '8' }] },
          metrics: { create: [{ key: 'f1', value: 0.91, step: 3n }] },
        },
      });
      const version = await prisma.modelVersion.create({ data: { modelId: model.id, version: 1, runId: run.id, status: 'READY', sizeBytes: 1234n } });
      await prisma.modelAlias.create({ data: { modelId: model.id, name: 'champion', versionId: version.id } });
      const loaded = await prisma.model.findUniqueOrThrow({ where: { name: 'fraud' }, include: { aliases: true, versions: true, tags: true } });
      expect(loaded.aliases.map((a) => a.name)).toEqual(['champion']);
      expect(loaded.versions[0].sizeBytes).toBe(1234n);
      await expect(prisma.modelVersion.create({ data: { modelId: model.id, version: 1 } })).rejects.toMatchObject({ code: 'P2002' });
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe('test databases', () => {
  it('are isolated per file: a new one starts empty', async () => {
    const other = await createTestDatabase(testPostgresInfo());
    const prisma = createPrismaClient(other.url);
    try {
      await expect(prisma.model.count()).resolves.toBe(0);
    } finally {
      await prisma.$disconnect();
      await other.drop();
    }
  });

  it('find the migrations folder in the workspace', () => {
    expect(migrationsDir()).toBe(join(root, 'prisma', 'migrations'));
  });
});
