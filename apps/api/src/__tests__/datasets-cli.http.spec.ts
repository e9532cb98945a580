import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { datasetListSchema, datasetProfileSchema, datasetSchema } from '@slipway/contracts';
import { useTestDatabase, zipOf } from '@slipway/testing';
import { parquetWriteBuffer } from 'hyparquet-writer';
import sharp from 'sharp';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { runSlipwayCli } from './support/repo-process';

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
    const uploaded = await runSlipwayCli(['datasets', 'upload', file, '--name', 'flowers', '--target', 'species', '--type', 'code=categorical', '--json'], env);
    expect(uploaded.stderr).toBe('');
    expect(uploaded.code).toBe(0);
    const dataset = datasetSchema.parse(JSON.parse(uploaded.stdout));
    expect(dataset).toMatchObject({
      name: 'flowers',
      rows: 4,
      targetColumn: 'species',
      columns: [{ type: 'number' }, { type: 'categorical' }, { type: 'categorical' }],
    });

    const listed = await runSlipwayCli(['datasets', 'list', '--json'], { ...env, SLIPWAY_TOKEN: api.tokens.viewer });
    expect(datasetListSchema.parse({ nextCursor: null, ...(JSON.parse(listed.stdout) as object) }).datasets.map((d) => d.id)).toEqual([dataset.id]);
    const table = await runSlipwayCli(['datasets', 'list'], env);
    expect(table.stdout).toContain('flowers');

    const shown = await runSlipwayCli(['datasets', 'show', dataset.id, '--json'], env);
    const profile = datasetProfileSchema.parse((JSON.parse(shown.stdout) as { profile: unknown }).profile);
    expect(profile.columns[0]).toMatchObject({ min: 1.4, max: 5.5, count: 4 });
    const human = await runSlipwayCli(['datasets', 'show', dataset.id], env);
    expect(human.stdout).toContain('species (target)');
    expect(human.stdout).toContain('class balance: setosa×2');

    const bad = join(home, 'bad.csv');
    writeFileSync(bad, 'a,b\n1,2\n3\n');
    const refused = await runSlipwayCli(['datasets', 'upload', bad], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('line 3');
    const viewer = await runSlipwayCli(['datasets', 'upload', file], { ...env, SLIPWAY_TOKEN: api.tokens.viewer });
    expect(viewer.code).not.toBe(0);
  });

  it('uploads Parquet and a zip of images by their extension (--image-size), shows an image dataset by its size and classes', async () => {
    const parquet = join(home, 'measures.parquet');
    writeFileSync(
      parquet,
      Buffer.from(
        parquetWriteBuffer({
          columnData: [
            { name: 'x', data: [1.5, 2.5, 3.5], type: 'DOUBLE' },
            { name: 'kind', data: ['a', 'b', 'a'], type: 'STRING' },
          ],
        }),
      ),
    );
    const table = await runSlipwayCli(['datasets', 'upload', parquet, '--target', 'kind', '--json'], env);
    expect(table.stderr).toBe('');
    expect(datasetSchema.parse(JSON.parse(table.stdout))).toMatchObject({ name: 'measures.parquet', format: 'parquet', rows: 3, targetColumn: 'kind' });

    const pixel = (value: number) =>
      sharp({ create: { width: 3, height: 3, channels: 3, background: { r: value, g: value, b: value } } })
        .png()
        .toBuffer();
    const zip = join(home, 'tones.zip');
    writeFileSync(
      zip,
      zipOf([
        { path: 'dark/1.png', bytes: await pixel(5) },
        { path: 'light/1.png', bytes: await pixel(250) },
        { path: 'light/2.png', bytes: await pixel(200) },
      ]),
    );
    const missingSize = await runSlipwayCli(['datasets', 'upload', zip], env);
    expect(missingSize.code).not.toBe(0);
    expect(missingSize.stderr).toContain('--image-size');
    const images = await runSlipwayCli(['datasets', 'upload', zip, '--image-size', '2x2x1', '--json'], env);
    expect(images.stderr).toBe('');
    const dataset = datasetSchema.parse(JSON.parse(images.stdout));
    expect(dataset).toMatchObject({ name: 'tones.zip', format: 'images', rows: 3 });
    const shown = await runSlipwayCli(['datasets', 'show', dataset.id], env);
    expect(shown.stdout).toContain('3 images');
    expect(shown.stdout).toContain('image size: 2x2x1');
    expect(shown.stdout).toContain('classes: dark×1 light×2');
    const bad = join(home, 'bad.zip');
    writeFileSync(bad, zipOf([{ path: 'loose.png', bytes: await pixel(1) }]));
    const refused = await runSlipwayCli(['datasets', 'upload', bad, '--image-size', '2x2x1'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('"loose.png": is outside a class folder');
  });
});
