import type { DatasetView } from '@slipway/contracts';
import { describe, expect, it } from '@jest/globals';
import {
  changedColumnTypes,
  classShares,
  columnChartKind,
  defaultDatasetName,
  formatFromFileName,
  formatStat,
  headerColumns,
  histogramBars,
  imbalanceRatio,
  progressPercent,
  quantileEntries,
  shortSha,
  uploadContentType,
  uploadQuery,
  type UploadFormInput,
} from '../dataset-view';
import { isSameOrigin } from '../same-origin';

describe('upload form', () => {
  const form = (overrides: Partial<UploadFormInput>): UploadFormInput => ({
    name: 'ok',
    format: '',
    imageSize: '',
    targetColumn: '',
    delimiter: '',
    ...overrides,
  });

  it('builds the API query from the fields, leaving out what the API should detect', () => {
    expect(uploadQuery(form({ name: ' iris ' }))).toEqual({ ok: true, search: 'name=iris' });
    const full = uploadQuery(form({ name: 'sales 2026', targetColumn: 'churned?', delimiter: 'semicolon', format: 'csv' }));
    expect(full.ok && Object.fromEntries(new URLSearchParams(full.search))).toEqual({
      name: 'sales 2026',
      format: 'csv',
      targetColumn: 'churned?',
      delimiter: 'semicolon',
    });
  });

  it('sends what each format takes: no delimiter for Parquet, an image size and no target for images', () => {
    const parquet = uploadQuery(form({ format: 'parquet', targetColumn: 'y', delimiter: 'tab' }));
    expect(parquet.ok && Object.fromEntries(new URLSearchParams(parquet.search))).toEqual({ name: 'ok', format: 'parquet', targetColumn: 'y' });
    const images = uploadQuery(form({ format: 'images', imageSize: ' 32x32x3 ', targetColumn: 'y', delimiter: 'tab' }));
    expect(images.ok && Object.fromEntries(new URLSearchParams(images.search))).toEqual({ name: 'ok', format: 'images', imageSize: '32x32x3' });
    expect(uploadQuery(form({ format: 'images', imageSize: '32x32' }))).toMatchObject({ ok: false, field: 'imageSize' });
    expect(uploadQuery(form({ format: 'images', imageSize: '1024x32x3' }))).toMatchObject({ ok: false, field: 'imageSize' });
  });

  it("refuses with the API's own contract, naming the field", () => {
    expect(uploadQuery(form({ name: '   ' }))).toEqual({ ok: false, field: 'name', message: 'Give the dataset a name.' });
    expect(uploadQuery(form({ name: 'x'.repeat(257) }))).toMatchObject({ ok: false, field: 'name' });
    expect(uploadQuery(form({ targetColumn: 'a\u0000b' }))).toMatchObject({ ok: false, field: 'targetColumn' });
    expect(uploadQuery(form({ delimiter: 'colon' }))).toMatchObject({ ok: false, field: 'delimiter' });
  });

  it('reads the format from the extension as the SDK does, and sends the matching type', () => {
    expect(formatFromFileName('data.PARQUET')).toBe('parquet');
    expect(formatFromFileName('cifar-32.zip')).toBe('images');
    expect(formatFromFileName('iris.csv')).toBe('');
    expect(formatFromFileName('noext')).toBe('');
    expect(uploadContentType('images')).toBe('application/zip');
    expect(uploadContentType('parquet')).toBe('application/vnd.apache.parquet');
    expect(uploadContentType('')).toBe('text/csv');
  });

  it('names a dataset after its file', () => {
    expect(defaultDatasetName('iris.csv')).toBe('iris');
    expect(defaultDatasetName('C:\\data\\sales.2026.csv')).toBe('sales.2026');
    expect(defaultDatasetName('/tmp/.hidden')).toBe('.hidden');
    expect(defaultDatasetName('noext')).toBe('noext');
  });

  it('counts progress in whole percent, never past 100, and an empty file as done', () => {
    expect(progressPercent(0, 1000)).toBe(0);
    expect(progressPercent(999, 1000)).toBe(99);
    expect(progressPercent(1000, 1000)).toBe(100);
    expect(progressPercent(1200, 1000)).toBe(100);
    expect(progressPercent(0, 0)).toBe(100);
  });
});

describe('header columns offered as the target', () => {
  it('detects the delimiter as the API does and reads quoted names', () => {
    expect(headerColumns('a,b,c\n1,2,3\n')).toEqual({ columns: ['a', 'b', 'c'], delimiter: 'comma' });
    expect(headerColumns('\uFEFFa;b;"c;d"\r\n1;2;3')).toEqual({ columns: ['a', 'b', 'c;d'], delimiter: 'semicolon' });
    expect(headerColumns('"say ""hi"""\tlabel\n')).toEqual({ columns: ['say "hi"', 'label'], delimiter: 'tab' });
    expect(headerColumns('a|b\n')).toEqual({ columns: ['a', 'b'], delimiter: 'pipe' });
    expect(headerColumns(' sepal length , species \n')).toEqual({ columns: ['sepal length', 'species'], delimiter: 'comma' });
  });

  it('uses the delimiter chosen in the form over the detected one', () => {
    expect(headerColumns('a;b,c\n', 'comma').columns).toEqual(['a;b', 'c']);
  });

  it('offers nothing for a header cut off by the peek, or a line break inside quotes', () => {
    expect(headerColumns('a,b,c').columns).toEqual([]);
    expect(headerColumns('a,"b\nstill b",c\n').columns).toEqual(['a', 'b\nstill b', 'c']);
    expect(headerColumns('a,"b\nstill b').columns).toEqual([]);
  });
});

describe('profile views', () => {
  it('turns histogram edges and counts into one labelled bar per bin', () => {
    const bars = histogramBars({ edges: [4.3, 5.5, 6.7, 7.9], counts: [59, 71, 20] });
    expect(bars).toEqual([
      { from: 4.3, to: 5.5, count: 59, label: '4.3 – 5.5' },
      { from: 5.5, to: 6.7, count: 71, label: '5.5 – 6.7' },
      { from: 6.7, to: 7.9, count: 20, label: '6.7 – 7.9' },
    ]);
  });

  it('charts numbers as histograms, categories by their top values, and nothing without either', () => {
    const base = { name: 'c', count: 3, missing: 0 };
    expect(columnChartKind({ ...base, type: 'number', histogram: { edges: [0, 1], counts: [3] } })).toBe('histogram');
    expect(columnChartKind({ ...base, type: 'categorical', topValues: [{ value: 'a', count: 3 }] })).toBe('top-values');
    expect(columnChartKind({ ...base, type: 'string' })).toBeNull();
    expect(columnChartKind({ ...base, type: 'number', histogram: { edges: [0], counts: [] } })).toBeNull();
  });

  it('orders quantiles numerically and labels them as percentiles', () => {
    expect(quantileEntries({ '0.5': 3, '0.05': 1, '1': 9, '0.25': 2, '0.975': 8 })).toEqual([
      { label: 'p5', value: 1 },
      { label: 'p25', value: 2 },
      { label: 'p50', value: 3 },
      { label: 'p97.5', value: 8 },
      { label: 'p100', value: 9 },
    ]);
    expect(quantileEntries(undefined)).toEqual([]);
  });

  it('formats statistics to five significant digits, exponents at the extremes', () => {
    expect(formatStat(5.843333333)).toBe('5.8433');
    expect(formatStat(20000)).toBe('20,000');
    expect(formatStat(0)).toBe('0');
    expect(formatStat(0.00001234)).toBe('1.234e-5');
    expect(formatStat(-3.2e12)).toBe('-3.200e+12');
    expect(formatStat(undefined)).toBe('—');
  });

  it('gives class shares largest first (ties by label) and the imbalance ratio', () => {
    const shares = classShares([
      { value: 'virginica', count: 50 },
      { value: 'setosa', count: 50 },
      { value: 'versicolor', count: 25 },
    ]);
    expect(shares.map((s) => s.value)).toEqual(['setosa', 'virginica', 'versicolor']);
    expect(shares[2].share).toBeCloseTo(0.2);
    expect(imbalanceRatio(shares)).toBe(2);
    expect(imbalanceRatio(classShares([{ value: 'only', count: 3 }]))).toBeNull();
    expect(
      imbalanceRatio(
        classShares([
          { value: 'a', count: 3 },
          { value: 'b', count: 0 },
        ]),
      ),
    ).toBe(Infinity);
    expect(classShares(undefined)).toEqual([]);
  });

  it('sends only the column types that changed, and only known types', () => {
    const columns: DatasetView['columns'] = [
      { name: 'age', type: 'integer' },
      { name: 'city', type: 'categorical' },
      { name: 'joined', type: 'string' },
    ];
    expect(changedColumnTypes(columns, { age: 'integer', city: 'categorical', joined: 'string' })).toEqual({});
    expect(changedColumnTypes(columns, { age: 'number', city: 'categorical', joined: 'datetime', ghost: 'number' })).toEqual({
      age: 'number',
      joined: 'datetime',
    });
    expect(changedColumnTypes(columns, { age: 'float' })).toEqual({});
  });

  it('shortens a sha256 to 12 digits', () => {
    expect(shortSha('0123456789abcdef'.repeat(4))).toBe('0123456789ab');
  });
});

describe('same-origin check of writing routes', () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);
  it('accepts the console\u2019s own pages, behind a proxy too', () => {
    expect(isSameOrigin(headers({ origin: 'http://127.0.0.1:3001', host: '127.0.0.1:3001' }))).toBe(true);
    expect(isSameOrigin(headers({ origin: 'https://ml.example.com', host: 'console:3001', 'x-forwarded-host': 'ML.example.com' }))).toBe(true);
  });
  it('refuses another site, an opaque origin, no origin and a malformed one', () => {
    expect(isSameOrigin(headers({ origin: 'http://evil.test', host: '127.0.0.1:3001' }))).toBe(false);
    expect(isSameOrigin(headers({ origin: 'http://127.0.0.1:3002', host: '127.0.0.1:3001' }))).toBe(false);
    expect(isSameOrigin(headers({ origin: 'null', host: '127.0.0.1:3001' }))).toBe(false);
    expect(isSameOrigin(headers({ host: '127.0.0.1:3001' }))).toBe(false);
    expect(isSameOrigin(headers({ origin: 'not a url', host: '127.0.0.1:3001' }))).toBe(false);
  });
});
