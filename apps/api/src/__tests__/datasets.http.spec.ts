import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createSlipwayNodeClient, SlipwayApiError } from '@slipway/client-node';
import { auditListSchema, datasetListSchema, datasetProfileViewSchema, datasetSampleListSchema, datasetSchema, errorResponseSchema } from '@slipway/contracts';
import { loadBuiltinDataset } from '@slipway/ml-datasets';
import { connectTestSql, type TestSql, useTestDatabase } from '@slipway/testing';
import { expectNamed } from '@slipway/testing-matchers';
import { DatasetService } from '../datasets/dataset.service';
import { startApiTestApp, type ApiTestApp } from './api-test-app';

/** Reference statistics computed the plain way (two passes over all values), independent of the profiler's Welford pass. */
function reference(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  const q = (p: number) => {
    const pos = (sorted.length - 1) * p;
    const lo = Math.floor(pos);
    return sorted[lo] + (sorted[Math.ceil(pos)] - sorted[lo]) * (pos - lo);
  };
  return { mean, std: Math.sqrt(variance), min: sorted[0], max: sorted[sorted.length - 1], median: q(0.5), q25: q(0.25), q75: q(0.75) };
}

describe('datasets over HTTP: streamed CSV upload, sha256 dedupe, inference, overrides, profile, samples', () => {
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

  const upload = (
    body: string | Buffer | Readable,
    query: Record<string, string>,
    role: 'editor' | 'viewer' = 'editor',
    headers: Record<string, string> = {},
  ) =>
    fetch(`${api.baseUrl}/api/v1/datasets?${new URLSearchParams(query).toString()}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${api.tokens[role]}`, 'content-type': 'text/csv', ...headers },
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
  const profileOf = async (id: string) =>
    datasetProfileViewSchema.parse(await (await api.request(`/api/v1/datasets/${id}/profile`, { role: 'viewer' })).json());

  it('streams a chunked upload in, infers header, delimiter and types, and profiles every column against an independent computation', async () => {
    const rows = 3000;
    const lines = ['id;height;kind;active;when;note'];
    const heights: number[] = [];
    for (let i = 0; i < rows; i++) {
      const h = Math.round(Math.sin(i) * 1000) / 10 + 170;
      heights.push(h);
      lines.push(
        `${i};${h};${['a', 'b', 'c'][i % 3]};${i % 2 === 0 ? 'true' : 'false'};2026-01-${String((i % 28) + 1).padStart(2, '0')};"free; text ""${i}"""`,
      );
    }
    const text = lines.join('\r\n') + '\r\n';
    // Chunks of 1 KiB: fields, quotes and CRLFs fall across chunk boundaries.
    const chunks = Array.from({ length: Math.ceil(text.length / 1024) }, (_, i) => Buffer.from(text.slice(i * 1024, (i + 1) * 1024)));
    const response = await upload(Readable.from(chunks), { name: 'heights', targetColumn: 'kind' });
    expect(response.status).toBe(201);
    const dataset = datasetSchema.parse(await response.json());
    expect(dataset).toMatchObject({ name: 'heights', rows, targetColumn: 'kind', sizeBytes: Buffer.byteLength(text), source: null });
    expect(dataset.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(dataset.columns).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'height', type: 'number' },
      { name: 'kind', type: 'categorical' },
      { name: 'active', type: 'boolean' },
      { name: 'when', type: 'datetime' },
      { name: 'note', type: 'string' },
    ]);
    const { profile } = await profileOf(dataset.id);
    expect(profile.rowCount).toBe(rows);
    expect(profile.delimiter).toBe(';');
    const height = profile.columns[1];
    const ref = reference(heights);
    expect(height).toMatchObject({ count: rows, missing: 0, min: ref.min, max: ref.max, sampled: false, distinctExact: true });
    expect(height.mean).toBeCloseTo(ref.mean, 9);
    expect(height.std).toBeCloseTo(ref.std, 9);
    expect(height.quantiles).toMatchObject({ '0.25': ref.q25, '0.5': ref.median, '0.75': ref.q75 });
    expect(height.histogram?.counts.reduce((s, c) => s + c, 0)).toBe(rows);
    expect(height.distinct).toBe(new Set(heights).size);
    expect(profile.columns[2].topValues).toEqual([
      { value: 'a', count: 1000 },
      { value: 'b', count: 1000 },
      { value: 'c', count: 1000 },
    ]);
    expect(profile.columns[5].topValues?.[0].value).toBe('free; text "0"');
    expect(profile.classBalance).toEqual([
      { value: 'a', count: 1000 },
      { value: 'b', count: 1000 },
      { value: 'c', count: 1000 },
    ]);
    const audit = auditListSchema.parse(await (await api.request('/api/v1/audit?action=dataset.create')).json());
    expect(audit.entries.map((e) => e.entityId)).toContain(dataset.id);
  });

  it('stores the same bytes once: a second upload answers 200 with the existing dataset', async () => {
    const text = 'x,y\n1,2\n3,4\n';
    const first = await upload(text, { name: 'first' });
    expect(first.status).toBe(201);
    const before = { rows: await sql.count('datasets'), files: storedFiles().length };
    const second = await upload(text, { name: 'second' });
    expect(second.status).toBe(200);
    expect(datasetSchema.parse(await second.json()).id).toBe(datasetSchema.parse(await first.json()).id);
    expect({ rows: await sql.count('datasets'), files: storedFiles().length }).toEqual(before);
  });

  it('takes a delimiter and column types at upload, and refuses a value the override cannot hold with its line and column', async () => {
    const ok = await upload('a|b\n1|x\n2|y\n', { name: 'piped', delimiter: 'pipe', columnTypes: JSON.stringify({ a: 'number', b: 'categorical' }) });
    expect(ok.status).toBe(201);
    expect(datasetSchema.parse(await ok.json()).columns).toEqual([
      { name: 'a', type: 'number' },
      { name: 'b', type: 'categorical' },
    ]);
    const before = { rows: await sql.count('datasets'), files: storedFiles().length };
    const bad = await upload('a,b\n1,x\n2,y\nthree,z\n', { name: 'bad', columnTypes: JSON.stringify({ a: 'number' }) });
    expect(bad.status).toBe(422);
    const error = errorResponseSchema.parse(await bad.json()).error;
    expect(error.code).toBe('FAILED_PRECONDITION');
    expect(error.message).toContain('line 4, column 1 ("a")');
    expect({ rows: await sql.count('datasets'), files: storedFiles().length }).toEqual(before);
    const unknownColumn = await upload('a,b\n1,x\n', { name: 'bad', columnTypes: JSON.stringify({ nope: 'number' }) });
    expect(unknownColumn.status).toBe(422);
    expect(errorResponseSchema.parse(await unknownColumn.json()).error.fields?.[0].field).toBe('query.columnTypes');
    const badQuery = await upload('a\n1\n', { name: 'bad', columnTypes: '{not json' });
    expect(badQuery.status).toBe(400);
    expect(errorResponseSchema.parse(await badQuery.json()).error.fields?.[0].field).toBe('query.columnTypes');
  });

  const badFiles: [string, string, Record<string, string>, string][] = [
    ['a ragged row', 'a,b\n1,2\n3\n', {}, 'line 3, column 2 ("b")'],
    ['a row with a field too many', 'a,b\n1,2\n3,4,5\n', {}, 'line 3, column 3'],
    ['an empty file', '', {}, 'line 1: the file is empty'],
    ['blank lines only', '\n\n', {}, 'the file is empty'],
    ['a header without rows', 'a,b\n', {}, 'line 2: the file has a header but no data rows'],
    ['no header (numbers on line 1)', '1,2\n3,4\n', {}, 'line 1: the first line holds only numbers'],
    ['an empty header name', 'a,,c\n1,2,3\n', {}, 'line 1, column 2'],
    ['a duplicate header name', 'a,b,a\n1,2,3\n', {}, 'line 1, column 3 ("a"): duplicate column name (also column 1)'],
    ['a target with one class', 'x,label\n1,yes\n2,yes\n', { targetColumn: 'label' }, 'column 2 ("label"): the target column has one class'],
    ['an unclosed quote', 'a,b\n1,"open\n', {}, 'line 2, column 2 ("b"): a quoted field is not closed'],
    ['a stray quote', 'a,b\n1,x"y\n', {}, 'line 2, column 2 ("b"): a quote inside an unquoted field'],
    ['bytes that are not UTF-8', 'a,b\n1,\xff\n', {}, 'not UTF-8'],
  ];
  it.each(badFiles)('refuses %s with 422 naming where, storing nothing', async (_what, body, query, where) => {
    const before = { rows: await sql.count('datasets'), files: storedFiles().length };
    const response = await upload(Buffer.from(body, 'latin1'), { name: 'bad', ...query });
    expect(response.status).toBe(422);
    const error = errorResponseSchema.parse(await response.json()).error;
    expect(error.code).toBe('FAILED_PRECONDITION');
    expect(error.message).toContain(where);
    expect({ rows: await sql.count('datasets'), files: storedFiles().length }).toEqual(before);
  });

  it('refuses an upload over the size limit with 413, declared or streamed, storing nothing', async () => {
    const service = api.app.get(DatasetService);
    const limit = service.maxBytes;
    service.maxBytes = 1000;
    try {
      const before = { rows: await sql.count('datasets'), files: storedFiles().length };
      const big = 'a,b\n' + '1,2\n'.repeat(1000);
      expect((await upload(big, { name: 'big' })).status).toBe(413);
      const chunked = await upload(
        Readable.from([Buffer.from('a,b\n'), ...Array.from({ length: 100 }, () => Buffer.from('1,2\n'.repeat(10)))]),
        { name: 'big' },
        'editor',
      );
      expect(chunked.status).toBe(413);
      expect({ rows: await sql.count('datasets'), files: storedFiles().length }).toEqual(before);
    } finally {
      service.maxBytes = limit;
    }
  });

  it('lets a viewer read but not upload, change or delete', async () => {
    const created = datasetSchema.parse(await (await upload('v,w\n1,2\n2,3\n', { name: 'roles' })).json());
    expect((await upload('v,w\n9,9\n', { name: 'viewer' }, 'viewer')).status).toBe(403);
    expect((await api.request(`/api/v1/datasets/${created.id}`, { role: 'viewer', method: 'PATCH', json: { name: 'x' } })).status).toBe(403);
    expect((await api.request(`/api/v1/datasets/${created.id}`, { role: 'viewer', method: 'DELETE' })).status).toBe(403);
    expect((await api.request('/api/v1/datasets/samples/iris', { role: 'viewer', method: 'POST' })).status).toBe(403);
    expect((await api.request(`/api/v1/datasets/${created.id}`, { role: 'viewer' })).status).toBe(200);
    const list = datasetListSchema.parse(await (await api.request('/api/v1/datasets?search=roles', { role: 'viewer' })).json());
    expect(list.datasets.map((d) => d.id)).toEqual([created.id]);
  });

  it('PATCH renames, sets the target and overrides types, recomputing the profile from the stored file', async () => {
    const created = datasetSchema.parse(await (await upload('code;value\n1;10\n2;20\n1;30\n', { name: 'patchme' })).json());
    expect(created.columns[0].type).toBe('integer');
    const response = await api.request(`/api/v1/datasets/${created.id}`, {
      role: 'editor',
      method: 'PATCH',
      json: { name: 'patched', targetColumn: 'code', columnTypes: { code: 'categorical' } },
    });
    expect(response.status).toBe(200);
    const updated = datasetSchema.parse(await response.json());
    expect(updated).toMatchObject({
      name: 'patched',
      targetColumn: 'code',
      columns: [
        { name: 'code', type: 'categorical' },
        { name: 'value', type: 'integer' },
      ],
    });
    const { profile } = await profileOf(created.id);
    expect(profile.classBalance).toEqual([
      { value: '1', count: 2 },
      { value: '2', count: 1 },
    ]);
    expect(profile.columns[0].topValues).toEqual(profile.classBalance);
    const refused = await api.request(`/api/v1/datasets/${created.id}`, { role: 'editor', method: 'PATCH', json: { columnTypes: { code: 'boolean' } } });
    expect(refused.status).toBe(422);
    expect(errorResponseSchema.parse(await refused.json()).error.message).toContain('line 2, column 1 ("code")');
    const noColumn = await api.request(`/api/v1/datasets/${created.id}`, { role: 'editor', method: 'PATCH', json: { targetColumn: 'nope' } });
    expect(noColumn.status).toBe(422);
    expect(errorResponseSchema.parse(await noColumn.json()).error.fields?.[0].field).toBe('body.targetColumn');
    expect(datasetSchema.parse(await (await api.request(`/api/v1/datasets/${created.id}`)).json()).name).toBe('patched');
  });

  it('DELETE removes the row and the file, and is refused (409) while a run references the dataset', async () => {
    const created = datasetSchema.parse(await (await upload('p,q\n1,2\n5,6\n', { name: 'doomed' })).json());
    const files = storedFiles().length;
    const run = (await (await api.request('/api/v1/runs', { role: 'editor', method: 'POST', json: { experimentName: 'ds' } })).json()) as { id: string };
    await sql.query('UPDATE runs SET dataset_id = $1 WHERE id = $2', [created.id, run.id]);
    const refused = await api.request(`/api/v1/datasets/${created.id}`, { role: 'editor', method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(errorResponseSchema.parse(await refused.json()).error.code).toBe('CONFLICT');
    await sql.query('UPDATE runs SET dataset_id = NULL WHERE id = $1', [run.id]);
    expect((await api.request(`/api/v1/datasets/${created.id}`, { role: 'editor', method: 'DELETE' })).status).toBe(204);
    expect((await api.request(`/api/v1/datasets/${created.id}`)).status).toBe(404);
    expect(storedFiles().length).toBe(files - 1);
  });

  it('lists the built-in samples and materialises one once, with its provenance and the numbers of the shipped file', async () => {
    const samples = datasetSampleListSchema.parse(await (await api.request('/api/v1/datasets/samples', { role: 'viewer' })).json());
    expect(samples.samples.map((s) => s.name)).toEqual(['iris', 'wine', 'breast_cancer', 'digits', 'regression_20k']);
    const first = await api.request('/api/v1/datasets/samples/iris', { role: 'editor', method: 'POST' });
    expect(first.status).toBe(201);
    const iris = datasetSchema.parse(await first.json());
    expect(iris).toMatchObject({ name: 'iris', rows: 150, targetColumn: 'label', source: { sample: 'iris' } });
    expect(iris.source?.provenance).toContain('Fisher');
    const again = await api.request('/api/v1/datasets/samples/iris', { role: 'editor', method: 'POST' });
    expect(again.status).toBe(200);
    expect(datasetSchema.parse(await again.json()).id).toBe(iris.id);
    // A retry under the same Idempotency-Key replays the first answer, status included (200: nothing was created).
    for (const attempt of ['first', 'retry']) {
      const keyed = await api.request('/api/v1/datasets/samples/iris', { role: 'editor', method: 'POST', headers: { 'idempotency-key': 'iris-again' } });
      expectNamed(keyed.status, attempt).toBe(200);
      expectNamed(datasetSchema.parse(await keyed.json()).id, attempt).toBe(iris.id);
    }
    const { profile } = await profileOf(iris.id);
    const data = loadBuiltinDataset('iris');
    for (let j = 0; j < data.nFeatures; j++) {
      const values = Array.from({ length: data.nRows }, (_, i) => data.features[i * data.nFeatures + j]);
      const ref = reference(values);
      const column = profile.columns[j];
      expectNamed(column, data.featureNames[j]).toMatchObject({ name: data.featureNames[j], min: ref.min, max: ref.max, quantiles: { '0.5': ref.median } });
      expect(column.mean).toBeCloseTo(ref.mean, 10);
      expect(column.std).toBeCloseTo(ref.std, 10);
    }
    expect(profile.classBalance).toEqual([
      { value: '0', count: 50 },
      { value: '1', count: 50 },
      { value: '2', count: 50 },
    ]);
    expect((await api.request('/api/v1/datasets/samples/nope', { role: 'editor', method: 'POST' })).status).toBe(400);
  });

  it('round-trips random tables: every cell counted, missing cells counted, quoting preserved (property)', async () => {
    const cell = fc.oneof(
      fc.constant(''),
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', ' ', 'é', ';'), maxLength: 6 }),
    );
    const table = fc
      .integer({ min: 1, max: 5 })
      .chain((width) =>
        fc.tuple(
          fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: width, maxLength: width }),
          fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 30 }),
        ),
      );
    const quote = (value: string) => (/[",\n;\r]|^\s|\s$/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value);
    await fc.assert(
      fc.asyncProperty(table, fc.constantFrom(',', '\t'), async ([header, rows], delimiter) => {
        // A row of empty cells in a one-column table would be a blank line; the quotes keep it a row.
        const text = [header.join(delimiter), ...rows.map((r) => r.map(quote).join(delimiter))].join('\n') + '\n';
        const response = await upload(text, { name: 'property' });
        const body = (await response.json()) as unknown;
        expect([200, 201]).toContain(response.status);
        const dataset = datasetSchema.parse(body);
        expect(dataset.rows).toBe(rows.length);
        const { profile } = await profileOf(dataset.id);
        header.forEach((name, j) => {
          const missing = rows.filter((r) => ['', 'NA', 'N/A', 'null', 'NULL', 'NaN'].includes(r[j].trim())).length;
          expectNamed(profile.columns[j], name).toMatchObject({ name, count: rows.length - missing, missing });
          const distinct = new Set(rows.map((r) => r[j]).filter((v) => !['', 'NA', 'N/A', 'null', 'NULL', 'NaN'].includes(v.trim())));
          expectNamed(profile.columns[j].distinct, `${name} distinct`).toBe(distinct.size);
        });
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('is reachable from the SDK: a file streamed from disk, then list, profile, PATCH, samples and DELETE', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'slipway-dataset-sdk-'));
    try {
      const file = join(folder, 'sdk.csv');
      writeFileSync(file, 'f1\tf2\tclass\n0.5\t1\tup\n1.5\t2\tdown\n2.5\t3\tup\n');
      const editor = createSlipwayNodeClient({ baseUrl: api.baseUrl, token: api.tokens.editor });
      const viewer = createSlipwayNodeClient({ baseUrl: api.baseUrl, token: api.tokens.viewer });
      const progress: number[] = [];
      const dataset = await editor.datasets.upload(
        file,
        { name: 'sdk', targetColumn: 'class', columnTypes: { f2: 'number' } },
        { onProgress: (p) => progress.push(p.bytes) },
      );
      expect(dataset).toMatchObject({
        name: 'sdk',
        rows: 3,
        targetColumn: 'class',
        columns: [{ type: 'number' }, { type: 'number' }, { type: 'categorical' }],
      });
      expect(progress.length).toBeGreaterThan(0);
      expect((await viewer.datasets.list({ search: 'sdk' })).datasets.map((d) => d.id)).toEqual([dataset.id]);
      expect((await viewer.datasets.profile(dataset.id)).profile.classBalance).toEqual([
        { value: 'up', count: 2 },
        { value: 'down', count: 1 },
      ]);
      expect((await editor.datasets.update(dataset.id, { name: 'sdk-renamed' })).name).toBe('sdk-renamed');
      expect((await viewer.datasets.samples()).samples).toHaveLength(5);
      expect((await editor.datasets.createSample('wine')).source?.sample).toBe('wine');
      await expect(viewer.datasets.upload(file, { name: 'nope' })).rejects.toBeInstanceOf(SlipwayApiError);
      await editor.datasets.delete(dataset.id);
      await expect(viewer.datasets.get(dataset.id)).rejects.toMatchObject({ status: 404 });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
