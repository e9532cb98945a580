import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { ErrorCode, SlipwayError, tabularPreprocessingSchema, type DatasetColumns } from '@slipway/contracts';
import { train } from '@slipway/ml-algorithms';
import { loadBuiltinDataset } from '@slipway/ml-datasets';
import { CsvProfiler } from './csv-profiler';
import { applyPreprocessing } from './preprocessing';
import { readTrainingTable, tableSourceOf, type TableSource } from './training-table';

const csv = [
  'height,count,active,seen,colour,note,species',
  '1.5,3,true,2024-01-02,red,first row,setosa',
  '2.25,4,FALSE,2024-01-02T10:30:00Z,blue,"second, quoted",versicolor',
  '-0.5,5,false,2024-01-03 12:00,red,third,setosa',
  '10,6,True,2024-01-04T00:00:00+02:00,green,fourth,virginica',
].join('\r\n');

/** The columns the upload stored (what the API's profiler inferred for this file). */
function columnsOf(text: string): DatasetColumns {
  const profiler = new CsvProfiler();
  profiler.push(Buffer.from(text));
  // Four distinct notes in four rows would infer as a category; the user marked them free text.
  return profiler.finish({ overrides: text.startsWith('height,') ? { note: 'string' } : {} }).columns;
}

async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const csvSource = (text: string, columns = columnsOf(text)): TableSource => ({ format: 'csv', delimiter: ',', columns });

/** The file's rows as objects of their text cells, as a client posting the same CSV rows would send them. */
function rowObjects(text: string): Record<string, string>[] {
  const [header, ...lines] = text.split('\r\n');
  const names = header.split(',');
  return lines.map((line) => {
    const cells = line.match(/("[^"]*"|[^,]*)(,|$)/g)?.map((cell) => cell.replace(/,$/, '').replace(/^"|"$/g, '')) ?? [];
    return Object.fromEntries(names.map((name, i) => [name, cells[i]]));
  });
}

async function refusal(promise: Promise<unknown>): Promise<SlipwayError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SlipwayError);
  return error as SlipwayError;
}

describe('readTrainingTable', () => {
  it('encodes every usable column (free text left out), one-hot in sorted order, target raw; the same whatever the chunking', async () => {
    const source = csvSource(csv);
    expect(source.columns.map((c) => c.type)).toEqual(['number', 'integer', 'boolean', 'datetime', 'categorical', 'string', 'categorical']);
    const table = await readTrainingTable(chunks(Buffer.from(csv), 7), source, { target: 'species', features: null });
    expect(table.rows).toBe(4);
    expect(table.featureNames).toEqual(['height', 'count', 'active', 'seen', 'colour=blue', 'colour=green', 'colour=red']);
    const features = table.data.features as { data: Float64Array; nRows: number; nFeatures: number };
    expect(features.nRows).toBe(4);
    expect(features.nFeatures).toBe(7);
    const day = (iso: string) => Date.parse(iso);
    expect(Array.from(features.data)).toEqual([
      ...[1.5, 3, 1, day('2024-01-02T00:00:00Z'), 0, 0, 1],
      ...[2.25, 4, 0, day('2024-01-02T10:30:00Z'), 1, 0, 0],
      // A time without a zone is UTC, on every machine.
      ...[-0.5, 5, 0, day('2024-01-03T12:00:00Z'), 0, 0, 1],
      ...[10, 6, 1, day('2024-01-03T22:00:00Z'), 0, 1, 0],
    ]);
    expect(table.data).toMatchObject({ kind: 'tabular', target: ['setosa', 'versicolor', 'setosa', 'virginica'], targetName: 'species' });
    expect(tabularPreprocessingSchema.parse(table.preprocessing)).toEqual({
      format: 'slipway.preprocessing',
      formatVersion: 1,
      kind: 'tabular',
      inputs: [
        { column: 'height', encoding: 'number' },
        { column: 'count', encoding: 'number' },
        { column: 'active', encoding: 'boolean' },
        { column: 'seen', encoding: 'datetime' },
        { column: 'colour', encoding: 'one-hot', categories: ['blue', 'green', 'red'] },
      ],
      featureNames: table.featureNames,
      target: { column: 'species', type: 'categorical' },
      rows: 4,
    });
    const whole = await readTrainingTable([Buffer.from(csv)], source, { target: 'species', features: null });
    expect(whole).toEqual(table);
  });

  it('applyPreprocessing reproduces the training matrix from the rows as text and as JSON values, through a JSON round-trip of preprocessing.json', async () => {
    const table = await readTrainingTable([Buffer.from(csv)], csvSource(csv), { target: 'species', features: null });
    const preprocessing = tabularPreprocessingSchema.parse(JSON.parse(JSON.stringify(table.preprocessing)));
    const matrix = Array.from({ length: table.rows }, (_, r) => Array.from((table.data.features as { data: Float64Array }).data.subarray(r * 7, (r + 1) * 7)));
    expect(applyPreprocessing(preprocessing, rowObjects(csv))).toEqual(matrix);
    const json = [
      { height: 1.5, count: 3, active: true, seen: '2024-01-02', colour: 'red', note: 'ignored', species: 'ignored' },
      { height: 2.25, count: 4, active: false, seen: Date.parse('2024-01-02T10:30:00Z'), colour: 'blue' },
      { height: -0.5, count: 5, active: false, seen: '2024-01-03T12:00', colour: 'red' },
      { height: 10, count: 6, active: true, seen: '2024-01-03T22:00:00.000Z', colour: 'green' },
    ];
    expect(applyPreprocessing(preprocessing, json)).toEqual(matrix);
  });

  it('applyPreprocessing names the row and column of a value it cannot encode (400)', async () => {
    const { preprocessing } = await readTrainingTable([Buffer.from(csv)], csvSource(csv), { target: 'species', features: null });
    const good = { height: 1, count: 2, active: true, seen: '2024-01-01', colour: 'red' };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...good, colour: 'purple' }, 'body.rows.1.colour', /"purple" is not one of the 3 categories/],
      [{ ...good, height: undefined }, 'body.rows.1.height', /has no value/],
      [{ ...good, height: 'NA' }, 'body.rows.1.height', /has no value/],
      [{ ...good, count: 'three' }, 'body.rows.1.count', /"three" is not a number/],
      [{ ...good, count: true }, 'body.rows.1.count', /not a number/],
      [{ ...good, active: 'yes' }, 'body.rows.1.active', /not a boolean/],
      [{ ...good, seen: 'yesterday' }, 'body.rows.1.seen', /not a date-time/],
      [{ ...good, height: { nested: 1 } }, 'body.rows.1.height', /must be a number/],
    ];
    for (const [row, field, message] of cases) {
      let error: unknown;
      try {
        applyPreprocessing(preprocessing, [good, row], { field: 'body.rows' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SlipwayError);
      expect((error as SlipwayError).code).toBe(ErrorCode.INVALID_ARGUMENT);
      expect((error as SlipwayError).fields).toEqual([{ field, message: expect.stringMatching(message) }]);
    }
  });

  it('takes explicit features in the order given; refuses unknown, duplicate, target and free-text columns naming the field', async () => {
    const source = csvSource(csv);
    const table = await readTrainingTable([Buffer.from(csv)], source, { target: 'count', features: ['colour', 'height'] });
    expect(table.featureNames).toEqual(['colour=blue', 'colour=green', 'colour=red', 'height']);
    // A number target stays numbers (regression); no target means no labels (clustering).
    expect(table.data.target).toEqual([3, 4, 5, 6]);
    const unlabelled = await readTrainingTable([Buffer.from(csv)], source, { target: null, features: ['height'] });
    expect(unlabelled.data.target).toBeUndefined();
    expect(unlabelled.preprocessing.target).toBeNull();

    const refused = async (select: { target: string | null; features: string[] | null }) => {
      const error = await refusal(readTrainingTable([Buffer.from(csv)], source, select));
      expect(error.code).toBe(ErrorCode.FAILED_PRECONDITION);
      return error.fields?.[0];
    };
    await expect(refused({ target: 'kind', features: null })).resolves.toEqual({ field: 'target', message: 'the dataset has no column "kind"' });
    await expect(refused({ target: 'species', features: ['height', 'weight'] })).resolves.toMatchObject({
      field: 'features.1',
      message: expect.stringMatching(/no column "weight"/),
    });
    await expect(refused({ target: 'species', features: ['height', 'note'] })).resolves.toMatchObject({
      field: 'features.1',
      message: expect.stringMatching(/free text/),
    });
    await expect(refused({ target: 'species', features: ['species'] })).resolves.toMatchObject({
      field: 'features.0',
      message: expect.stringMatching(/is the target/),
    });
    await expect(refused({ target: 'species', features: ['height', 'height'] })).resolves.toMatchObject({
      field: 'features.1',
      message: expect.stringMatching(/twice/),
    });
    await expect(refused({ target: 'species', features: [] })).resolves.toMatchObject({ field: 'features' });
    const clash = 'c,c=x,y\nx,1,a\nz,2,b\n';
    const clashColumns: DatasetColumns = [
      { name: 'c', type: 'categorical' },
      { name: 'c=x', type: 'integer' },
      { name: 'y', type: 'categorical' },
    ];
    const clashError = await refusal(readTrainingTable([Buffer.from(clash)], csvSource(clash, clashColumns), { target: 'y', features: null }));
    expect(clashError.fields).toEqual([{ field: 'features', message: expect.stringMatching(/both be named "c=x"/) }]);
  });

  it('refuses missing input and target values naming line and column (no silent imputation)', async () => {
    const withGap = 'a,b,y\n1,2,x\n3,,y\n';
    const columns: DatasetColumns = [
      { name: 'a', type: 'integer' },
      { name: 'b', type: 'integer' },
      { name: 'y', type: 'categorical' },
    ];
    const error = await refusal(readTrainingTable([Buffer.from(withGap)], csvSource(withGap, columns), { target: 'y', features: null }));
    expect(error.code).toBe(ErrorCode.FAILED_PRECONDITION);
    expect(error.message).toBe('line 3, column 2 ("b"): has no value (missing values are not imputed: fill or drop them)');
    // Leaving the column out reads the rest.
    await expect(readTrainingTable([Buffer.from(withGap)], csvSource(withGap, columns), { target: 'y', features: ['a'] })).resolves.toMatchObject({ rows: 2 });
    const noLabel = 'a,y\n1,x\n2,NA\n';
    const labelError = await refusal(readTrainingTable([Buffer.from(noLabel)], csvSource(noLabel, [columns[0], columns[2]]), { target: 'y', features: null }));
    expect(labelError.message).toBe('line 3, column 2 ("y"): the target has no value (drop the rows without one)');
  });

  it("refuses a file whose header is not the dataset's columns, and a value its column's type cannot hold", async () => {
    const error = await refusal(
      readTrainingTable(
        [Buffer.from('a,c\n1,2\n')],
        {
          format: 'csv',
          columns: [
            { name: 'a', type: 'integer' },
            { name: 'b', type: 'integer' },
          ],
        },
        { target: null, features: null },
      ),
    );
    expect(error.message).toMatch(/^line 1: the stored file's header/);
    const typed = await refusal(
      readTrainingTable(
        [Buffer.from('a,b\n1,2\n1,x\n')],
        {
          format: 'csv',
          columns: [
            { name: 'a', type: 'integer' },
            { name: 'b', type: 'number' },
          ],
        },
        { target: null, features: null },
      ),
    );
    expect(typed.message).toBe('line 3, column 2 ("b"): "x" is not a number');
  });

  it('reads the same table from Parquet as from CSV (numbers, int64, booleans, timestamps, strings; two row groups)', async () => {
    const parquet = Buffer.from(
      parquetWriteBuffer({
        columnData: [
          { name: 'height', data: [1.5, 2.25, -0.5, 10], type: 'DOUBLE' },
          { name: 'count', data: [3n, 4n, 5n, 6n], type: 'INT64' },
          { name: 'active', data: [true, false, false, true], type: 'BOOLEAN' },
          {
            name: 'seen',
            data: ['2024-01-02T00:00:00Z', '2024-01-02T10:30:00Z', '2024-01-03T12:00:00Z', '2024-01-03T22:00:00Z'].map((s) => new Date(s)),
            type: 'TIMESTAMP',
          },
          { name: 'colour', data: ['red', 'blue', 'red', 'green'], type: 'STRING' },
          { name: 'species', data: ['setosa', 'versicolor', 'setosa', 'virginica'], type: 'STRING' },
        ],
        rowGroupSize: 3,
      }),
    );
    const columns: DatasetColumns = [
      { name: 'height', type: 'number' },
      { name: 'count', type: 'integer' },
      { name: 'active', type: 'boolean' },
      { name: 'seen', type: 'datetime' },
      { name: 'colour', type: 'categorical' },
      { name: 'species', type: 'categorical' },
    ];
    const fromParquet = await readTrainingTable(chunks(parquet, 100), { format: 'parquet', columns }, { target: 'species', features: null });
    const fromCsv = await readTrainingTable([Buffer.from(csv)], csvSource(csv), {
      target: 'species',
      features: ['height', 'count', 'active', 'seen', 'colour'],
    });
    expect(fromParquet.data).toEqual(fromCsv.data);
    expect(fromParquet.preprocessing).toEqual(fromCsv.preprocessing);
  });

  it('refuses bytes that are not Parquet (422) and a null in a Parquet input (naming its row as a CSV line), leaving no temporary file', async () => {
    const tempDir = await mkdtemp(join(tmpdir(), 'reader-spec-'));
    try {
      const columns: DatasetColumns = [{ name: 'a', type: 'number' }];
      const error = await refusal(
        readTrainingTable([Buffer.from('PAR1 but not really')], { format: 'parquet', columns }, { target: null, features: null }, { tempDir }),
      );
      expect(error.code).toBe(ErrorCode.FAILED_PRECONDITION);
      expect(error.message).toMatch(/^not a readable Parquet file/);
      const withNull = Buffer.from(parquetWriteBuffer({ columnData: [{ name: 'a', data: [1, null, 3], type: 'DOUBLE', nullable: true }] }));
      const missing = await refusal(readTrainingTable([withNull], { format: 'parquet', columns }, { target: null, features: null }, { tempDir }));
      expect(missing.message).toBe('line 3, column 1 ("a"): has no value (missing values are not imputed: fill or drop them)');
      await expect(readdir(tempDir)).resolves.toEqual([]);
    } finally {
      await rm(tempDir, { recursive: true, force: true });
    }
  });

  it('feeds the ML libs: the iris sample as a CSV trains a CART classifier on the original species labels', async () => {
    const iris = loadBuiltinDataset('iris');
    const names = ['setosa', 'versicolor', 'virginica'];
    const lines = [[...iris.featureNames, 'species'].join(',')];
    for (let i = 0; i < iris.nRows; i++)
      lines.push([...Array.from(iris.features.subarray(i * iris.nFeatures, (i + 1) * iris.nFeatures), String), names[iris.targets[i]]].join(','));
    const text = lines.join('\n');
    const table = await readTrainingTable([Buffer.from(text)], csvSource(text), { target: 'species', features: null });
    expect(table.featureNames).toEqual(iris.featureNames);
    const { model, evaluation } = await train({ algorithm: 'cart', hyperparameters: { maxDepth: 4 }, seed: 1 }, table.data);
    expect(model.classLabels).toEqual(names);
    expect(evaluation.metrics['accuracy']).toBeGreaterThan(0.85);
    const rows = applyPreprocessing(table.preprocessing, [{ ...Object.fromEntries(iris.featureNames.map((n, j) => [n, iris.features[j]])) }]);
    expect(model.predict(rows)).toEqual([names[iris.targets[0]]]);
  });

  it('tableSourceOf reads a dataset entity: CSV with its delimiter (CSV when the profile does not say), Parquet, and refuses an image dataset', () => {
    const columns: DatasetColumns = [{ name: 'a', type: 'number' }];
    expect(tableSourceOf({ columns, profile: { rowCount: 1, columns: [], delimiter: ';' } })).toEqual({ format: 'csv', delimiter: ';', columns });
    expect(tableSourceOf({ columns, profile: null })).toEqual({ format: 'csv', delimiter: undefined, columns });
    expect(tableSourceOf({ columns, profile: { rowCount: 1, columns: [], format: 'parquet' } })).toEqual({ format: 'parquet', delimiter: undefined, columns });
    expect(() => tableSourceOf({ columns: [], profile: { rowCount: 1, columns: [], format: 'images' } })).toThrow(/image dataset/);
  });
});
