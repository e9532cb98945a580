import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findWorkspaceRoot } from '@slipway/config';
import { datasetListSchema, datasetProfileSchema, datasetSchema } from '@slipway/contracts';
import { useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';

const root = findWorkspaceRoot(__dirname);

/** The `slipway` CLI as a user runs it: its own Node process (sources through tsx), talking HTTP to the API under test. */
function slipway(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/cli/src/main.ts'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('slipway datasets upload | list | show against the real API', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let home: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    home = mkdtempSync(join(tmpdir(), 'slipway-datasets-cli-'));
    env = { HOME: home, SLIPWAY_API_URL: api.baseUrl, SLIPWAY_TOKEN: api.tokens.editor };
  });
  afterAll(async () => {
    rmSync(home, { recursive: true, force: true });
    await api?.close();
  });

  it('uploads with a target and a type override, lists it and shows its profile; a bad file exits non-zero naming the line', async () => {
    const file = join(home, 'flowers.csv');
    writeFileSync(file, 'petal;code;species\n1.5;1;setosa\n4.5;2;versicolor\n5.5;3;virginica\n1.4;1;setosa\n');
    const uploaded = await slipway(['datasets', 'upload', file, '--name', 'flowers', '--target', 'species', '--type', 'code=categorical', '--json'], env);
    expect(uploaded.stderr).toBe('');
    expect(uploaded.code).toBe(0);
    const dataset = datasetSchema.parse(JSON.parse(uploaded.stdout));
    expect(dataset).toMatchObject({
      name: 'flowers',
      rows: 4,
      targetColumn: 'species',
      columns: [{ type: 'number' }, { type: 'categorical' }, { type: 'categorical' }],
    });

    const listed = await slipway(['datasets', 'list', '--json'], { ...env, SLIPWAY_TOKEN: api.tokens.viewer });
    expect(datasetListSchema.parse({ nextCursor: null, ...(JSON.parse(listed.stdout) as object) }).datasets.map((d) => d.id)).toEqual([dataset.id]);
    const table = await slipway(['datasets', 'list'], env);
    expect(table.stdout).toContain('flowers');

    const shown = await slipway(['datasets', 'show', dataset.id, '--json'], env);
    const profile = datasetProfileSchema.parse((JSON.parse(shown.stdout) as { profile: unknown }).profile);
    expect(profile.columns[0]).toMatchObject({ min: 1.4, max: 5.5, count: 4 });
    const human = await slipway(['datasets', 'show', dataset.id], env);
    expect(human.stdout).toContain('species (target)');
    expect(human.stdout).toContain('class balance: setosa×2');

    const bad = join(home, 'bad.csv');
    writeFileSync(bad, 'a,b\n1,2\n3\n');
    const refused = await slipway(['datasets', 'upload', bad], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('line 3');
    const viewer = await slipway(['datasets', 'upload', file], { ...env, SLIPWAY_TOKEN: api.tokens.viewer });
    expect(viewer.code).not.toBe(0);
  });
});
