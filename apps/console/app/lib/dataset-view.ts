import {
  COLUMN_TYPES,
  DATASET_DELIMITERS,
  datasetDelimiterSchema,
  datasetUploadQuerySchema,
  type ColumnType,
  type DatasetDelimiter,
  type DatasetProfile,
  type DatasetView,
} from '@slipway/contracts';

// What the datasets pages compute from the API's views, kept out of the components so it can be tested.
// Isomorphic: the upload form runs these in the browser, the pages on the server.

/** Datasets are listed this many to a page. */
export const DATASET_PAGE_SIZE = 25;

/** The first 12 hex digits: enough to tell two files apart at a glance; the profile page shows all 64. */
export function shortSha(sha256: string): string {
  return sha256.slice(0, 12);
}

export const NUMERIC_TYPES: readonly ColumnType[] = ['number', 'integer'];

export function isNumericType(type: ColumnType): boolean {
  return NUMERIC_TYPES.includes(type);
}

export type ColumnProfile = DatasetProfile['columns'][number];

export interface HistogramBar {
  /** `[from, to)`, as the profiler counted it (the last bin also holds the maximum). */
  from: number;
  to: number;
  count: number;
  label: string;
}

/** The profiler's `edges`/`counts` as one bar per bin; bins with inconsistent lengths are cut to the shorter side. */
export function histogramBars(histogram: NonNullable<ColumnProfile['histogram']>): HistogramBar[] {
  const bars: HistogramBar[] = [];
  const bins = Math.min(histogram.counts.length, histogram.edges.length - 1);
  for (let i = 0; i < bins; i++) {
    const from = histogram.edges[i];
    const to = histogram.edges[i + 1];
    bars.push({ from, to, count: histogram.counts[i], label: `${formatStat(from)} – ${formatStat(to)}` });
  }
  return bars;
}

const statFormat = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 5 });

/** Statistics to 5 significant digits (a mean of 5.843333 reads as 5.8433), exponents for very small or large ones. */
export function formatStat(value: number | undefined): string {
  if (value === undefined) return '—';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return value.toExponential(3);
  return statFormat.format(value);
}

/** Quantiles the profile carries, in order (`0.05` before `0.5`), labelled as percentiles. */
export function quantileEntries(quantiles: ColumnProfile['quantiles']): { label: string; value: number }[] {
  if (!quantiles) return [];
  return Object.entries(quantiles)
    .map(([q, value]) => ({ q: Number(q), value }))
    .sort((a, b) => a.q - b.q)
    .map(({ q, value }) => ({ label: `p${Number((q * 100).toFixed(2))}`, value }));
}

/** What chart a column gets: a histogram for numbers, the most frequent values for the rest, nothing without either. */
export function columnChartKind(column: ColumnProfile): 'histogram' | 'top-values' | null {
  if (column.histogram && column.histogram.counts.length > 0) return 'histogram';
  if (column.topValues && column.topValues.length > 0) return 'top-values';
  return null;
}

export interface ClassShare {
  value: string;
  count: number;
  /** Share of the rows counted, 0..1. */
  share: number;
}

/** The target's classes with their share of the rows, most frequent first (ties by label, so the order is stable). */
export function classShares(balance: DatasetProfile['classBalance']): ClassShare[] {
  if (!balance || balance.length === 0) return [];
  const total = balance.reduce((sum, entry) => sum + entry.count, 0);
  return [...balance]
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .map(({ value, count }) => ({ value, count, share: total === 0 ? 0 : count / total }));
}

/** Largest over smallest class: 1 is balanced; the page warns past IMBALANCE_WARNING. */
export function imbalanceRatio(shares: readonly ClassShare[]): number | null {
  if (shares.length < 2) return null;
  const counts = shares.map((s) => s.count);
  const smallest = Math.min(...counts);
  return smallest === 0 ? Infinity : Math.max(...counts) / smallest;
}

export const IMBALANCE_WARNING = 3;

/** Only the types that differ from what the dataset has now: the PATCH body's `columnTypes`. */
export function changedColumnTypes(columns: DatasetView['columns'], chosen: Record<string, string>): Record<string, ColumnType> {
  const changed: Record<string, ColumnType> = {};
  for (const column of columns) {
    const type = chosen[column.name];
    if (type !== undefined && type !== column.type && (COLUMN_TYPES as readonly string[]).includes(type)) changed[column.name] = type as ColumnType;
  }
  return changed;
}

// ── upload ───────────────────────────────────────────────────────────────

/** The upload form's fields as typed; empty means "let the API detect it" (format, delimiter) or "none" (target). */
export interface UploadFormInput {
  name: string;
  /** '' (CSV or Parquet, told apart by the file's first bytes), or `csv`, `parquet`, `images` (a zip of class folders). */
  format: '' | 'csv' | 'parquet' | 'images';
  /** Images only: `HxWxC`, e.g. 32x32x3. */
  imageSize: string;
  targetColumn: string;
  /** '' (detect) or one of the contract's delimiter names. */
  delimiter: string;
}

export type UploadQueryCheck = { ok: true; search: string } | { ok: false; field: keyof UploadFormInput; message: string };

/**
 * The query of `PUT /api/v1/datasets` for what the form holds, checked with the API's own contract first: a name
 * the API would refuse is shown next to its field before a byte of the file is sent. Fields that do not apply to
 * the format (a delimiter for Parquet, a target for images) are left out rather than refused.
 */
export function uploadQuery(input: UploadFormInput): UploadQueryCheck {
  const params = new URLSearchParams();
  params.set('name', input.name.trim());
  if (input.format !== '') params.set('format', input.format);
  if (input.format === 'images') params.set('imageSize', input.imageSize.trim());
  else {
    if (input.targetColumn !== '') params.set('targetColumn', input.targetColumn);
    if (input.delimiter !== '' && input.format !== 'parquet') params.set('delimiter', input.delimiter);
  }
  const parsed = datasetUploadQuerySchema.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = (issue?.path[0] as keyof UploadFormInput | undefined) ?? 'name';
    const message = input.name.trim() === '' && field === 'name' ? 'Give the dataset a name.' : (issue?.message ?? 'invalid');
    return { ok: false, field, message };
  }
  return { ok: true, search: params.toString() };
}

/** Query parameters the console's upload route passes on to the API; anything else is dropped, not forwarded. */
export const UPLOAD_QUERY_KEYS = ['name', 'format', 'imageSize', 'targetColumn', 'delimiter', 'columnTypes'] as const;

/** The format a file's extension names, as the SDK and CLI read it: `.parquet`, `.zip` (images); others are detected. */
export function formatFromFileName(fileName: string): UploadFormInput['format'] {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.parquet')) return 'parquet';
  if (lower.endsWith('.zip')) return 'images';
  return '';
}

/** The Content-Type an upload is sent with (the API streams every one of these the same way). */
export function uploadContentType(format: UploadFormInput['format']): string {
  return format === 'images' ? 'application/zip' : format === 'parquet' ? 'application/vnd.apache.parquet' : 'text/csv';
}

/** `iris.csv` → `iris`: the default name of a dataset uploaded from a file. */
export function defaultDatasetName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return (dot > 0 ? base.slice(0, dot) : base).slice(0, 256);
}

/** Whole percent of the bytes sent, 0..100; an empty file is done at once. */
export function progressPercent(sent: number, total: number): number {
  if (total <= 0) return 100;
  return Math.max(0, Math.min(100, Math.floor((sent / total) * 100)));
}

const delimiterByChar = new Map<string, DatasetDelimiter>(
  Object.entries(DATASET_DELIMITERS).map(([name, char]) => [char, datasetDelimiterSchema.parse(name)] as const),
);

/**
 * The column names on the first line of a file, to offer as the target before uploading. The delimiter is the
 * given one, else the candidate that splits the line most often outside quotes (what the API detects too); quoted
 * names follow RFC 4180 (`"a ""b"""`). A first line that does not end within `text` yields no names: a header
 * cut in half would offer a wrong last column.
 */
export function headerColumns(text: string, delimiter?: DatasetDelimiter | ''): { columns: string[]; delimiter: DatasetDelimiter } {
  const withoutBom = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const end = lineEnd(withoutBom);
  const chosen = delimiter ? delimiter : detectDelimiter(end < 0 ? withoutBom : withoutBom.slice(0, end));
  if (end < 0) return { columns: [], delimiter: chosen };
  const line = withoutBom.slice(0, end).replace(/\r$/, '');
  return { columns: splitLine(line, DATASET_DELIMITERS[chosen]).filter((name) => name !== ''), delimiter: chosen };
}

/** Index of the first line break outside quotes, or -1. */
function lineEnd(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) return i;
  }
  return -1;
}

function detectDelimiter(line: string): DatasetDelimiter {
  let best: DatasetDelimiter = 'comma';
  let bestCount = 0;
  for (const [char, name] of delimiterByChar) {
    let count = 0;
    let quoted = false;
    for (const c of line) {
      if (c === '"') quoted = !quoted;
      else if (c === char && !quoted) count++;
    }
    if (count > bestCount) {
      best = name;
      bestCount = count;
    }
  }
  return best;
}

function splitLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(field.trim());
      field = '';
    } else field += c;
  }
  fields.push(field.trim());
  return fields;
}
