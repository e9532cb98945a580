import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { createSlipwayNodeClient } from '@slipway/client-node';
import { datasetProfileViewSchema, datasetSchema, errorResponseSchema } from '@slipway/contracts';
import { datasetFileKey, readTrainingImages, readTrainingTable } from '@slipway/dataset-files';
import { loadBuiltinDataset } from '@slipway/ml-datasets';
import sharp from 'sharp';
import { connectTestSql, type TestSql, useTestDatabase, zipOf } from '@slipway/testing';
import { DatasetService } from '../datasets/dataset.service';
import { OBJECT_STORE } from '../infrastructure/tokens';
import type { ObjectStore } from '@slipway/storage';
import { startApiTestApp, type ApiTestApp } from './api-test-app';

/** A small table written by hyparquet-writer 0.17 (Snappy pages, two row groups): the same values a CSV test would hold. */
function parquetTable(rows = 6): Buffer {
  const index = Array.from({ length: rows }, (_, i) => i);
  return Buffer.from(
    parquetWriteBuffer({
      columnData: [
        { name: 'length', data: index.map((i) => 1.25 * i - 2), type: 'DOUBLE' },
        { name: 'count', data: index.map((i) => BigInt(i * 10)), type: 'INT64' },
        { name: 'ok', data: index.map((i) => i % 2 === 0), type: 'BOOLEAN' },
        { name: 'at', data: index.map((i) => new Date(Date.UTC(2026, 0, 1 + i))), type: 'TIMESTAMP' },
        { name: 'label', data: index.map((i) => ['cat', 'dog'][i % 2]), type: 'STRING' },
        { name: 'weight', data: index.map((i) => (i === 1 ? null : i / 2)), type: 'DOUBLE', nullable: true },
      ],
      rowGroupSize: 4,
    }),
  );
}

describe('datasets over HTTP: Parquet and image uploads', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    sql = connectTestSql(db.url);
  });
  afterAll(async () => {
    await sql?.close();
    await api?.close();
  });

  const upload = (body: Buffer | Readable, query: Record<string, string>, contentType = 'application/octet-stream') =>
    fetch(`${api.baseUrl}/api/v1/datasets?${new URLSearchParams(query).toString()}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${api.tokens.editor}`, 'content-type': contentType },
      body: body instanceof Readable ? (Readable.toWeb(body) as unknown as RequestInit['body']) : body,
      duplex: 'half',
    } as RequestInit);
  const storedFiles = () => {
    const list = (dir: string): string[] => {
      try {
        return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(join(dir, e.name)) : [join(dir, e.name)]));
      } catch {
        return [];
      }
    };
    return list(join(api.config.home, 'artifacts', 'datasets'));
  };
  const spools = () => readdirSync(tmpdir()).filter((name) => name.startsWith('slipway-spool-'));
  const nothingLeft = async (before: { rows: number; files: number; spools: number }) =>
    expect({ rows: await sql.count('datasets'), files: storedFiles().length, spools: spools().length }).toEqual(before);
  const state = async () => ({ rows: await sql.count('datasets'), files: storedFiles().length, spools: spools().length });

  it('detects Parquet by its magic bytes, profiles it like a CSV of the same table, stores it once, and reads back for training', async () => {
    const bytes = parquetTable();
    // Streamed in small pieces: the footer arrives last, as it does over a slow connection.
    const chunks = Array.from({ length: Math.ceil(bytes.length / 100) }, (_, i) => bytes.subarray(i * 100, (i + 1) * 100));
    const response = await upload(Readable.from(chunks), { name: 'pets', targetColumn: 'label' });
    expect(response.status).toBe(201);
    const dataset = datasetSchema.parse(await response.json());
    expect(dataset).toMatchObject({ name: 'pets', rows: 6, format: 'parquet', targetColumn: 'label', sizeBytes: bytes.length });
    expect(dataset.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(dataset.columns).toEqual([
      { name: 'length', type: 'number' },
      { name: 'count', type: 'integer' },
      { name: 'ok', type: 'boolean' },
      { name: 'at', type: 'datetime' },
      { name: 'label', type: 'categorical' },
      { name: 'weight', type: 'number' },
    ]);
    const { profile } = datasetProfileViewSchema.parse(await (await api.request(`/api/v1/datasets/${dataset.id}/profile`, { role: 'viewer' })).json());
    expect(profile).toMatchObject({ rowCount: 6, format: 'parquet' });
    expect(profile.delimiter).toBeUndefined();
    expect(profile.columns[0]).toMatchObject({ count: 6, missing: 0, min: -2, max: 4.25, mean: 1.125 });
    expect(profile.columns[5]).toMatchObject({ count: 5, missing: 1 });
    expect(profile.classBalance).toEqual([
      { value: 'cat', count: 3 },
      { value: 'dog', count: 3 },
    ]);
    // What the worker does: the stored object, read back by the shared reader.
    const objects = api.app.get<ObjectStore>(OBJECT_STORE);
    const table = await readTrainingTable(
      await objects.get(datasetFileKey(dataset.id, dataset.format)),
      { format: 'parquet', columns: dataset.columns },
      { target: 'label', features: ['length', 'count', 'ok', 'at'] },
    );
    expect(table.data.target).toEqual(['cat', 'dog', 'cat', 'dog', 'cat', 'dog']);
    expect(table.featureNames).toEqual(['length', 'count', 'ok', 'at']);
    expect(Array.from((table.data.features as { data: Float64Array }).data.subarray(4, 8))).toEqual([-0.75, 10, 0, Date.UTC(2026, 0, 2)]);

    const again = await upload(bytes, { name: 'pets again', format: 'parquet' }, 'application/vnd.apache.parquet');
    expect(again.status).toBe(200);
    expect(datasetSchema.parse(await again.json()).id).toBe(dataset.id);
    expect(storedFiles().filter((f) => f.includes(dataset.id))).toEqual([join(api.config.home, 'artifacts', datasetFileKey(dataset.id, 'parquet'))]);
    expect(spools()).toEqual([]);
  });

  it('PATCH re-profiles a Parquet dataset from its stored file', async () => {
    const created = datasetSchema.parse(await (await upload(parquetTable(8), { name: 'retype' })).json());
    const patched = await api.request(`/api/v1/datasets/${created.id}`, {
      method: 'PATCH',
      json: { columnTypes: { count: 'categorical' }, targetColumn: 'ok' },
    });
    expect(patched.status).toBe(200);
    const view = datasetSchema.parse(await patched.json());
    expect(view.columns[1]).toEqual({ name: 'count', type: 'categorical' });
    const { profile } = datasetProfileViewSchema.parse(await (await api.request(`/api/v1/datasets/${created.id}/profile`)).json());
    expect(profile).toMatchObject({ format: 'parquet', rowCount: 8 });
    expect(profile.classBalance).toEqual([
      { value: 'false', count: 4 },
      { value: 'true', count: 4 },
    ]);
  });

  it('refuses a corrupt or truncated Parquet file, and CSV sent as Parquet, with 422 — nothing stored, no temporary file left', async () => {
    const before = await state();
    const good = parquetTable();
    for (const [body, query] of [
      [Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7), Buffer.from('PAR1')]), { name: 'junk' }],
      [good.subarray(0, good.length - 9), { name: 'truncated', format: 'parquet' }],
      [Buffer.from('a,b\n1,2\n'), { name: 'csv as parquet', format: 'parquet' }],
    ] as [Buffer, Record<string, string>][]) {
      const response = await upload(body, query);
      expect(response.status).toBe(422);
      const { error } = errorResponseSchema.parse(await response.json());
      expect(error.message).toMatch(/not a readable Parquet file/);
    }
    await nothingLeft(before);
  });

  it('refuses a Parquet upload over the size limit with 413, spooling no more than the limit and leaving nothing behind', async () => {
    const service = api.app.get(DatasetService);
    const limit = service.maxBytes;
    const bytes = parquetTable(50);
    service.maxBytes = bytes.length - 1;
    try {
      const before = await state();
      const response = await upload(Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]), { name: 'big', format: 'parquet' });
      expect(response.status).toBe(413);
      await nothingLeft(before);
    } finally {
      service.maxBytes = limit;
    }
  });

  it('leaves nothing behind when the client goes away mid-upload (table detection, Parquet, images)', async () => {
    const before = await state();
    const bytes = parquetTable(200);
    const queries: Record<string, string>[] = [{ name: 'gone' }, { name: 'gone', format: 'parquet' }, { name: 'gone', format: 'images', imageSize: '4x4x3' }];
    for (const query of queries) {
      const url = new URL(`${api.baseUrl}/api/v1/datasets?${new URLSearchParams(query).toString()}`);
      const request = httpRequest({
        host: url.hostname,
        port: url.port,
        method: 'PUT',
        path: `${url.pathname}${url.search}`,
        headers: { authorization: `Bearer ${api.tokens.editor}`, 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
      });
      request.on('error', () => undefined);
      // The first bytes (two: not even the magic), then the connection drops.
      request.write(bytes.subarray(0, 2));
      await new Promise((resolve) => setTimeout(resolve, 200));
      request.destroy();
    }
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && spools().length > before.spools) await new Promise((resolve) => setTimeout(resolve, 50));
    await nothingLeft(before);
  });

  it('names the column of a bad type override or target in a Parquet upload (422 on the query field)', async () => {
    const before = await state();
    const typed = await upload(parquetTable(), { name: 'bad type', columnTypes: JSON.stringify({ label: 'number' }) });
    expect(typed.status).toBe(422);
    expect(errorResponseSchema.parse(await typed.json()).error.message).toBe('line 2, column 5 ("label"): "cat" is not a number');
    const target = await upload(parquetTable(), { name: 'bad target', targetColumn: 'nope' });
    expect(target.status).toBe(422);
    expect(errorResponseSchema.parse(await target.json()).error.fields).toEqual([{ field: 'query.targetColumn', message: 'no such column' }]);
    await nothingLeft(before);
  });

  const png = (value: number, size = 5) =>
    sharp({ create: { width: size, height: size, channels: 3, background: { r: value, g: value, b: value } } })
      .png()
      .toBuffer();

  it('takes a zip of class folders as an image dataset: decoded, resized, profiled by class, stored once, read back for the CNN', async () => {
    const files = [
      { path: 'shapes/dark/1.png', bytes: await png(10) },
      { path: 'shapes/dark/2.png', bytes: await png(20, 9), deflate: true },
      { path: 'shapes/light/1.png', bytes: await png(240) },
    ];
    const zip = zipOf(files);
    const response = await upload(
      Readable.from([zip.subarray(0, 50), zip.subarray(50)]),
      { name: 'shapes', format: 'images', imageSize: '4x3x1' },
      'application/zip',
    );
    expect(response.status).toBe(201);
    const dataset = datasetSchema.parse(await response.json());
    expect(dataset).toMatchObject({ name: 'shapes', format: 'images', rows: 3, columns: [], targetColumn: null });
    const { profile } = datasetProfileViewSchema.parse(await (await api.request(`/api/v1/datasets/${dataset.id}/profile`)).json());
    expect(profile).toEqual({
      rowCount: 3,
      columns: [],
      format: 'images',
      images: { height: 4, width: 3, channels: 1, count: 3 },
      classBalance: [
        { value: 'dark', count: 2 },
        { value: 'light', count: 1 },
      ],
    });
    const objects = api.app.get<ObjectStore>(OBJECT_STORE);
    const images = await readTrainingImages(await objects.get(datasetFileKey(dataset.id, 'images')));
    expect(images.data.labels).toEqual(['dark', 'dark', 'light']);
    expect(images.data.images).toMatchObject({ count: 3, height: 4, width: 3, channels: 1 });
    expect(Array.from(images.data.images.data as Float32Array).filter((_, i) => i % 12 === 0)).toEqual([10, 20, 240]);
    // The same images in another zip (other order): the same decoded bundle, so the same dataset.
    const again = await upload(zipOf([files[2], files[0], files[1]]), { name: 'shapes again', format: 'images', imageSize: '4x3x1' });
    expect(again.status).toBe(200);
    expect(datasetSchema.parse(await again.json()).id).toBe(dataset.id);
    // Another size is another dataset.
    const bigger = await upload(zip, { name: 'shapes 8', format: 'images', imageSize: '8x8x3' });
    expect(bigger.status).toBe(201);
    const eight = datasetSchema.parse(await bigger.json());
    expect(eight.id).not.toBe(dataset.id);
    expect(spools()).toEqual([]);
    // An image dataset can be renamed, has no column types to change, and DELETE removes its bundle.
    const renamed = await api.request(`/api/v1/datasets/${eight.id}`, { method: 'PATCH', json: { name: 'shapes at 8' } });
    expect(datasetSchema.parse(await renamed.json()).name).toBe('shapes at 8');
    const retyped = await api.request(`/api/v1/datasets/${eight.id}`, { method: 'PATCH', json: { columnTypes: { a: 'number' } } });
    expect(retyped.status).toBe(422);
    expect(storedFiles()).toContain(join(api.config.home, 'artifacts', datasetFileKey(eight.id, 'images')));
    expect((await api.request(`/api/v1/datasets/${eight.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(storedFiles().filter((f) => f.includes(eight.id))).toEqual([]);
  });

  it('refuses image zips without images, with a file outside a class folder, with an undecodable image (by its path), and bytes that are no zip — 422, nothing stored', async () => {
    const before = await state();
    const cases: [Buffer, RegExp][] = [
      [zipOf([{ path: 'empty/', bytes: '' }]), /holds no images/],
      [zipOf([{ path: 'loose.png', bytes: await png(1) }]), /^"loose.png": is outside a class folder/],
      [
        zipOf([
          { path: 'a/ok.png', bytes: await png(1) },
          { path: 'a/bad.jpg', bytes: 'garbage' },
        ]),
        /^"a\/bad.jpg": is not a decodable PNG or JPEG image/,
      ],
      [Buffer.from('not a zip at all'), /not a readable zip file/],
    ];
    for (const [body, message] of cases) {
      const response = await upload(body, { name: 'bad images', format: 'images', imageSize: '4x4x3' });
      expect(response.status).toBe(422);
      expect(errorResponseSchema.parse(await response.json()).error.message).toMatch(message);
    }
    await nothingLeft(before);
  });

  it('refuses an image upload without a size, a size on a table upload, table options on an image upload and a delimiter for Parquet (400 naming the query field)', async () => {
    const zip = zipOf([{ path: 'a/1.png', bytes: await png(1) }]);
    const fieldsOf = async (query: Record<string, string>) => {
      const response = await upload(zip, query);
      expect(response.status).toBe(400);
      return errorResponseSchema.parse(await response.json()).error.fields?.map((f) => f.field);
    };
    await expect(fieldsOf({ name: 'x', format: 'images' })).resolves.toEqual(['query.imageSize']);
    await expect(fieldsOf({ name: 'x', format: 'images', imageSize: '0x4x3' })).resolves.toEqual(['query.imageSize']);
    await expect(fieldsOf({ name: 'x', format: 'images', imageSize: '600x600x3' })).resolves.toEqual(['query.imageSize']);
    await expect(fieldsOf({ name: 'x', format: 'images', imageSize: '4x4x2' })).resolves.toEqual(['query.imageSize']);
    await expect(fieldsOf({ name: 'x', imageSize: '4x4x3' })).resolves.toEqual(['query.imageSize']);
    await expect(fieldsOf({ name: 'x', format: 'images', imageSize: '4x4x3', targetColumn: 'label' })).resolves.toEqual(['query.targetColumn']);
    await expect(fieldsOf({ name: 'x', format: 'parquet', delimiter: 'comma' })).resolves.toEqual(['query.delimiter']);
  });

  it('materialises the digits sample as an 8×8×1 image dataset once, with its provenance, read back with the original pixels', async () => {
    const first = await api.request('/api/v1/datasets/samples/digits/images', { method: 'POST' });
    expect(first.status).toBe(201);
    const dataset = datasetSchema.parse(await first.json());
    expect(dataset).toMatchObject({ name: 'digits-images', format: 'images', rows: 1797, source: { sample: 'digits' } });
    const second = await api.request('/api/v1/datasets/samples/digits/images', { method: 'POST' });
    expect(second.status).toBe(200);
    expect(datasetSchema.parse(await second.json()).id).toBe(dataset.id);
    const { profile } = datasetProfileViewSchema.parse(await (await api.request(`/api/v1/datasets/${dataset.id}/profile`)).json());
    expect(profile.images).toEqual({ height: 8, width: 8, channels: 1, count: 1797 });
    const digits = loadBuiltinDataset('digits');
    expect(profile.classBalance?.map((c) => c.value)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(profile.classBalance?.reduce((n, c) => n + c.count, 0)).toBe(1797);
    const images = await readTrainingImages(await api.app.get<ObjectStore>(OBJECT_STORE).get(datasetFileKey(dataset.id, 'images')));
    // Images are in (class, row) order: the first is the first row of class 0.
    const firstZero = Array.from(digits.targets).indexOf(0);
    expect(Array.from((images.data.images.data as Float32Array).subarray(0, 64))).toEqual(
      Array.from(digits.features.subarray(firstZero * 64, firstZero * 64 + 64)),
    );
    expect(images.data.labels[0]).toBe('0');
    expect((await api.request('/api/v1/datasets/samples/iris/images', { method: 'POST' })).status).toBe(400);
  });

  it('is reachable from the SDK: Parquet and image zips uploaded from disk (format from the extension), the digits image sample', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'formats-sdk-'));
    try {
      const client = createSlipwayNodeClient({ baseUrl: api.baseUrl, token: api.tokens.editor });
      const parquetPath = join(folder, 'table.parquet');
      writeFileSync(parquetPath, parquetTable(10));
      const table = await client.datasets.upload(parquetPath, { name: 'sdk parquet' });
      expect(table).toMatchObject({ format: 'parquet', rows: 10 });
      const zipPath = join(folder, 'tones.zip');
      writeFileSync(
        zipPath,
        zipOf([
          { path: 'one/a.png', bytes: await png(3) },
          { path: 'two/b.png', bytes: await png(30) },
        ]),
      );
      const images = await client.datasets.upload(zipPath, { name: 'sdk images', imageSize: '2x2x3' });
      expect(images).toMatchObject({ format: 'images', rows: 2 });
      await expect(client.datasets.createImageSample('digits')).resolves.toMatchObject({ name: 'digits-images', format: 'images' });
      await expect(client.datasets.upload(zipPath, { name: 'no size' })).rejects.toMatchObject({ status: 400 });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
