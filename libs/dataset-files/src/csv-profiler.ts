import { ErrorCode, SlipwayError, type ColumnType, type ColumnTypeOverrides, type DatasetColumns, type DatasetProfile } from '@slipway/contracts';
import { createSeededRandom, type SeededRandom } from '@slipway/ml-evaluation';
import { BOOLEAN, epochMsOfCell, INTEGER, MISSING, NUMBER } from './cell-values';
import { contentError } from './content-error';
import { CsvReader, detachedCopy } from './csv-reader';

/** Distinct values counted exactly per column; past this the count is a lower bound (memory stays bounded). */
export const MAX_EXACT_DISTINCT = 10_000;
/** Numbers kept per column for quantiles and the histogram: exact below this, a uniform reservoir sample above. */
export const RESERVOIR_SIZE = 100_000;
const HISTOGRAM_BINS = 20;
const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;
const TOP_VALUES = 10;

interface FirstBad {
  line: number;
  value: string;
}

class ColumnStats {
  count = 0;
  missing = 0;
  readonly distinct = new Map<string, number>();
  distinctOverflow = false;
  notNumber: FirstBad | null = null;
  notInteger: FirstBad | null = null;
  notBoolean: FirstBad | null = null;
  notDatetime: FirstBad | null = null;
  // Welford's running mean and sum of squared deviations: one pass, no cancellation.
  n = 0;
  mean = 0;
  m2 = 0;
  min = Infinity;
  max = -Infinity;
  reservoir: number[] = [];
  /** Seeded so the same file always profiles to the same numbers (the ML libs' generator). */
  private readonly random: SeededRandom;

  constructor(index: number) {
    this.random = createSeededRandom(0x5eed + index);
  }

  add(raw: string, line: number): void {
    const value = raw.trim();
    if (MISSING.has(value)) {
      this.missing++;
      return;
    }
    this.count++;
    const seen = this.distinct.get(raw);
    if (seen !== undefined) this.distinct.set(raw, seen + 1);
    // The reader's fields are slices of its chunk (slices: true): a kept key is copied so it does not keep the chunk.
    else if (this.distinct.size < MAX_EXACT_DISTINCT) this.distinct.set(detachedCopy(raw), 1);
    else this.distinctOverflow = true;
    if (!this.notBoolean && !BOOLEAN.test(value)) this.notBoolean = { line, value: detachedCopy(raw) };
    if (!this.notDatetime && !Number.isFinite(epochMsOfCell(value))) this.notDatetime = { line, value: detachedCopy(raw) };
    if (this.notNumber) return;
    const number = NUMBER.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(number)) {
      this.notNumber = { line, value: detachedCopy(raw) };
      this.notInteger ??= { line, value: detachedCopy(raw) };
      return;
    }
    if (!this.notInteger && !(INTEGER.test(value) && Number.isSafeInteger(number))) this.notInteger = { line, value: detachedCopy(raw) };
    this.n++;
    const delta = number - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (number - this.mean);
    if (number < this.min) this.min = number;
    if (number > this.max) this.max = number;
    if (this.reservoir.length < RESERVOIR_SIZE) this.reservoir.push(number);
    else {
      // Algorithm R: every value seen so far is in the sample with the same probability.
      const slot = this.random.int(this.n);
      if (slot < RESERVOIR_SIZE) this.reservoir[slot] = number;
    }
  }

  inferred(): ColumnType {
    if (this.count === 0) return 'string';
    if (!this.notBoolean) return 'boolean';
    if (!this.notInteger) return 'integer';
    if (!this.notNumber) return 'number';
    if (!this.notDatetime) return 'datetime';
    // Few distinct values (absolutely, or relative to the rows) reads as a category; the rest as free text.
    return !this.distinctOverflow && (this.distinct.size <= 50 || this.distinct.size <= this.count / 10) ? 'categorical' : 'string';
  }

  /** Why this column cannot hold `type`, or null. */
  refusal(type: ColumnType): FirstBad | null {
    if (type === 'number') return this.notNumber;
    if (type === 'integer') return this.notInteger;
    if (type === 'boolean') return this.notBoolean;
    if (type === 'datetime') return this.notDatetime;
    return null;
  }
}

/** Linear interpolation between closest ranks (numpy's and pandas' default). */
function quantile(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

function topValues(distinct: Map<string, number>, limit: number): { value: string; count: number }[] {
  return [...distinct.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([value, count]) => ({ value: value.slice(0, 1024), count }));
}

export interface ProfiledTable {
  columns: DatasetColumns;
  profile: DatasetProfile;
  rows: number;
}

/**
 * The column profiler over a streaming CSV reader: bytes go in chunk by chunk (as they stream to the object store),
 * only the current record and bounded per-column statistics are held.
 */
export class CsvProfiler {
  private readonly reader: CsvReader;
  private stats: ColumnStats[] = [];
  private rows = 0;

  constructor(delimiter?: string) {
    this.reader = new CsvReader(
      delimiter,
      {
        header: (names) => {
          this.stats = names.map((_, i) => new ColumnStats(i));
        },
        row: (fields, line) => {
          for (let i = 0; i < fields.length; i++) this.stats[i].add(fields[i], line);
          this.rows++;
        },
      },
      // ColumnStats keeps only distinct keys past the call, and copies those.
      { slices: true },
    );
  }

  push(chunk: Uint8Array): void {
    this.reader.push(chunk);
  }

  /** One record of text cells (Parquet rows come in this way, so both formats profile alike). */
  pushRecord(fields: string[], line: number): void {
    this.reader.record(fields, line);
  }

  /** Ends the input; the file's columns (inferred, or as overridden) and its profile. */
  finish(options: { overrides?: ColumnTypeOverrides; targetColumn?: string | null } = {}): ProfiledTable {
    this.reader.end();
    if (this.rows === 0) throw contentError('the file has a header but no data rows', 2);
    return this.profileOf(options);
  }

  private profileOf(options: { overrides?: ColumnTypeOverrides; targetColumn?: string | null }): ProfiledTable {
    const header = this.reader.header as string[];
    const overrides = options.overrides ?? {};
    for (const name of Object.keys(overrides))
      if (!header.includes(name))
        throw new SlipwayError(ErrorCode.FAILED_PRECONDITION, `The file has no column "${name}"`, [
          { field: 'columnTypes', message: `no column "${name}" in the file` },
        ]);
    const target = options.targetColumn ?? null;
    if (target !== null && !header.includes(target))
      throw new SlipwayError(ErrorCode.FAILED_PRECONDITION, `The file has no column "${target}"`, [{ field: 'targetColumn', message: 'no such column' }]);
    const columns = header.map((name, i) => {
      const type = overrides[name] ?? this.stats[i].inferred();
      const refused = this.stats[i].refusal(type);
      if (refused) throw contentError(`"${refused.value.slice(0, 64)}" is not a ${type}`, refused.line, { index: i + 1, name });
      return { name, type };
    });
    const profiles = columns.map(({ name, type }, i) => {
      const s = this.stats[i];
      const base = {
        name,
        type,
        count: s.count,
        missing: s.missing,
        distinct: s.distinct.size + (s.distinctOverflow ? 1 : 0),
        distinctExact: !s.distinctOverflow,
      };
      if ((type === 'number' || type === 'integer') && s.n > 0) {
        const sorted = Float64Array.from(s.reservoir).sort();
        const values = Array.from(sorted);
        const edges = histogramEdges(s.min, s.max);
        const counts = new Array<number>(edges.length - 1).fill(0);
        const width = (s.max - s.min) / (edges.length - 1);
        for (const v of values) counts[width > 0 ? Math.min(edges.length - 2, Math.floor((v - s.min) / width)) : 0]++;
        return {
          ...base,
          mean: s.mean,
          // Sample standard deviation (n − 1), as pandas' describe() reports it.
          std: s.n > 1 ? Math.sqrt(s.m2 / (s.n - 1)) : 0,
          min: s.min,
          max: s.max,
          quantiles: Object.fromEntries(QUANTILES.map((q) => [String(q), quantile(values, q)])),
          histogram: { edges, counts },
          sampled: s.n > values.length,
        };
      }
      if (type === 'categorical' || type === 'string' || type === 'boolean') return { ...base, topValues: topValues(s.distinct, TOP_VALUES) };
      return base;
    });
    let classBalance: { value: string; count: number }[] | undefined;
    if (target !== null) {
      const index = header.indexOf(target);
      const s = this.stats[index];
      if (!s.distinctOverflow && s.distinct.size < 2)
        throw contentError(
          s.distinct.size === 0 ? 'the target column has no values' : `the target column has one class ("${[...s.distinct.keys()][0].slice(0, 64)}")`,
          undefined,
          { index: index + 1, name: target },
        );
      if (columns[index].type !== 'number' && !s.distinctOverflow) classBalance = topValues(s.distinct, MAX_EXACT_DISTINCT);
    }
    return {
      columns,
      rows: this.rows,
      profile: {
        rowCount: this.rows,
        columns: profiles,
        delimiter: this.reader.delimiter as ',' | ';' | '\t' | '|',
        ...(classBalance ? { classBalance } : {}),
      },
    };
  }
}

function histogramEdges(min: number, max: number): number[] {
  if (!(max > min)) return [min, min === max ? min + 1 : max];
  const width = (max - min) / HISTOGRAM_BINS;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => min + i * width);
  edges[HISTOGRAM_BINS] = max;
  return edges;
}
