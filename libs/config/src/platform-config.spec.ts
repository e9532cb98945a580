import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, findWorkspaceRoot, loadConfig, SETTINGS } from './platform-config';

describe('loadConfig', () => {
  it('gives the embedded defaults when nothing is set', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      home: '/srv/app/.slipway',
      database: { url: undefined, embedded: { port: 54329, dataDir: '/srv/app/.slipway/postgres', databaseName: 'slipway' } },
      api: { host: '127.0.0.1', port: 3000, publicUrl: 'http://127.0.0.1:3000' },
      console: { port: 3001 },
      workers: { processes: 1, concurrency: 1, tfBackend: 'auto' },
      objectStore: { kind: 'local', rootDir: '/srv/app/.slipway/artifacts' },
      migrateOnStart: true,
    });
  });

  it('switches to S3 when a bucket is given, and to an external database with DATABASE_URL', () => {
    const config = loadConfig(
      { S3_BUCKET: 'models', S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: 'false', DATABASE_URL: 'postgresql://u:p@db:5432/slipway' },
      '/x',
    );
    expect(config.objectStore).toEqual({
      kind: 's3',
      bucket: 'models',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      accessKeyId: undefined,
      secretAccessKey: undefined,
      forcePathStyle: false,
    });
    expect(config.database.url).toBe('postgresql://u:p@db:5432/slipway');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ SLIPWAY_API_PORT: '', DATABASE_URL: '' }, '/x').api.port).toBe(3000);
  });

  it('names every invalid variable', () => {
    let error: unknown;
    try {
      loadConfig({ SLIPWAY_API_PORT: '70000', SLIPWAY_TF_BACKEND: 'tpu', SLIPWAY_WORKERS: '-1' }, '/x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.variable).sort()).toEqual(['SLIPWAY_API_PORT', 'SLIPWAY_TF_BACKEND', 'SLIPWAY_WORKERS']);
    expect((error as Error).message).toContain('SLIPWAY_TF_BACKEND');
  });

  it('documents every setting in the README configuration table, with its default', () => {
    const readme = readFileSync(join(findWorkspaceRoot(__dirname), 'README.md'), 'utf8');
    const rowOf = (setting: (typeof SETTINGS)[number]) => `| \`${setting.env}\` | ${setting.default} | ${setting.description} |`;
    // Names the settings whose row is missing or differs, rather than printing the whole README.
    expect(SETTINGS.filter((setting) => !readme.includes(rowOf(setting))).map(rowOf)).toEqual([]);
  });
});
