import { ErrorCode, SlipwayError, textProblem, type ColumnType, type ColumnTypeOverrides, type DatasetColumns, type DatasetProfile } from '@slipway/contracts';
import { createSeededRandom, type SeededRandom } from '@slipway/ml-evaluation';

/** Distinct values counted exactly per column; past this the count is a lower bound (memory stays bounded). */
export const MAX_EXACT_DISTINCT = 10_000;
/** Numbers kept per column for quantiles and the histogram: exact below this, a uniform reservoir sample above. */
export const RESERVOIR_SIZE = 100_000;
const HISTOGRAM_BINS = 20;
const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;
const TOP_VALUES = 10;
const MAX_HEADER_CHARS = 1 << 20;
const DELIMITERS = [',', ';', '\t', '|'] as const;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const BOOLEAN = /^(true|false)$/i;
const DATETIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const MISSING = new Set(['', 'NA', 'N/A', 'null', 'NULL', 'NaN']);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Bad file content: 422 naming the line (1-based, the header is line 1) and, where there is one, the column. */
export function contentError(message: string, line?: number, column?: { index: number; name?: string }): SlipwayError {
  const where = [line === undefined ? null : `line ${line}`, column ? `column ${column.index}${column.name === undefined ? '' : ` ("${column.name}")`}` : null]
    .filter(Boolean)
    .join(', ');
  const full = where ? `${where}: ${message}` : message;
  return new SlipwayError(ErrorCode.FAILED_PRECONDITION, full, [{ field: 'body', message: full }]);
}

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
    else if (this.distinct.size < MAX_EXACT_DISTINCT) this.distinct.set(raw, 1);
    else this.distinctOverflow = true;
    if (!this.notBoolean && !BOOLEAN.test(value)) this.notBoolean = { line, value: raw };
    if (!this.notDatetime && !(DATETIME.test(value) && Number.isFinite(Date.parse(value)))) this.notDatetime = { line, value: raw };
    if (this.notNumber) return;
    const number = NUMBER.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(number)) {
      this.notNumber = { line, value: raw };
      this.notInteger ??= { line, value: raw };
      return;
    }
    if (!this.notInteger && !(INTEGER.test(value) && Number.isSafeInteger(number))) this.notInteger = { line, value: raw };
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
 * A streaming RFC 4180 reader and column profiler in one pass: bytes go in chunk by chunk (as they stream to the
 * object store), only the current record and bounded per-column statistics are held. Quoted fields may hold
 * delimiters, doubled quotes and line breaks; CR before LF is dropped outside quotes.
 */
export class CsvProfiler {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private delimiter: string | null;
  private pending = '';
  private header: string[] | null = null;
  private stats: ColumnStats[] = [];
  private rows = 0;
  // Parser state
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  private quoteClosed = false;
  private fieldQuoted = false;
  private line = 1;
  private recordLine = 1;

  constructor(delimiter?: string) {
    this.delimiter = delimiter ?? null;
  }

  push(chunk: Uint8Array): void {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      throw contentError('the file is not UTF-8 text', this.line);
    }
    this.feed(text);
  }

  private feed(text: string): void {
    if (this.delimiter === null) {
      this.pending += text;
      const newline = this.pending.indexOf('\n');
      if (newline < 0 && this.pending.length < MAX_HEADER_CHARS) return;
      this.delimiter = detectDelimiter(newline < 0 ? this.pending : this.pending.slice(0, newline));
      text = this.pending;
      this.pending = '';
    }
    this.parse(text);
  }

  private parse(input: string, final = false): void {
    const d = this.delimiter as string;
    const text = this.carry + input;
    this.carry = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (this.inQuotes) {
        if (c === '"') {
          if (i + 1 === text.length && !final) {
            // Doubled or closing: decided by the next chunk's first character.
            this.carry = '"';
            return;
          }
          if (text[i + 1] === '"') {
            this.field += '"';
            i++;
          } else {
            this.inQuotes = false;
            this.quoteClosed = true;
          }
        } else {
          if (c === '\n') this.line++;
          this.field += c;
        }
        continue;
      }
      if (c === d) {
        this.endField();
      } else if (c === '\n') {
        this.endField();
        this.endRecord();
        this.line++;
        this.recordLine = this.line;
      } else if (c === '\r') {
        continue;
      } else if (c === '"') {
        if (this.field.length > 0 || this.quoteClosed)
          throw contentError('a quote inside an unquoted field (quote the whole field and double inner quotes)', this.line, this.columnAt());
        this.inQuotes = true;
        this.fieldQuoted = true;
      } else {
        if (this.quoteClosed) throw contentError('text after a closing quote', this.line, this.columnAt());
        this.field += c;
      }
    }
  }

  private carry = '';

  private columnAt(): { index: number; name?: string } {
    const index = this.fields.length + 1;
    return { index, name: this.header?.[index - 1] };
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.quoteClosed = false;
  }

  private endRecord(): void {
    const fields = this.fields;
    this.fields = [];
    const blank = fields.length === 1 && fields[0] === '' && !this.fieldQuoted;
    this.fieldQuoted = false;
    if (blank) return;
    if (this.header === null) this.readHeader(fields);
    else this.readRow(fields);
  }

  private readHeader(fields: string[]): void {
    const names = fields.map((name) => name.trim());
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
      const column = { index: i + 1, name };
      if (name === '') throw contentError('empty column name in the header', this.recordLine, { index: i + 1 });
      if (name.length > 256) throw contentError('column names are limited to 256 characters', this.recordLine, { index: i + 1 });
      const problem = textProblem(name) ?? (CONTROL.test(name) ? 'control characters are not allowed in column names' : null);
      if (problem) throw contentError(problem, this.recordLine, { index: i + 1 });
      const first = seen.get(name);
      if (first !== undefined) throw contentError(`duplicate column name (also column ${first})`, this.recordLine, column);
      seen.set(name, i + 1);
    });
    if (names.every((name) => NUMBER.test(name)))
      throw contentError('the first line holds only numbers: the file needs a header line naming its columns', this.recordLine);
    this.header = names;
    this.stats = names.map((_, i) => new ColumnStats(i));
  }

  private readRow(fields: string[]): void {
    const header = this.header as string[];
    if (fields.length !== header.length) {
      const index = Math.min(fields.length, header.length) + 1;
      throw contentError(`${fields.length} fields, but the header has ${header.length}`, this.recordLine, { index, name: header[index - 1] });
    }
    for (let i = 0; i < fields.length; i++) {
      if (fields[i].includes('\u0000')) throw contentError('NUL characters are not allowed', this.recordLine, { index: i + 1, name: header[i] });
      this.stats[i].add(fields[i], this.recordLine);
    }
    this.rows++;
  }

  /** Ends the input; the file's columns (inferred, or as overridden) and its profile. */
  finish(options: { overrides?: ColumnTypeOverrides; targetColumn?: string | null } = {}): ProfiledTable {
    try {
      this.feed(this.decoder.decode());
    } catch {
      throw contentError('the file is not UTF-8 text', this.line);
    }
    if (this.delimiter === null) {
      this.delimiter = detectDelimiter(this.pending);
      const rest = this.pending;
      this.pending = '';
      this.parse(rest);
    }
    if (this.carry) this.parse('', true);
    if (this.inQuotes) throw contentError('a quoted field is not closed before the end of the file', this.recordLine, this.columnAt());
    if (this.field !== '' || this.fields.length > 0 || this.quoteClosed) {
      this.endField();
      this.endRecord();
    }
    if (this.header === null) throw contentError('the file is empty', 1);
    if (this.rows === 0) throw contentError('the file has a header but no data rows', 2);
    return this.profileOf(options);
  }

  private profileOf(options: { overrides?: ColumnTypeOverrides; targetColumn?: string | null }): ProfiledTable {
    const header = this.header as string[];
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
      profile: { rowCount: this.rows, columns: profiles, delimiter: this.delimiter as ',' | ';' | '\t' | '|', ...(classBalance ? { classBalance } : {}) },
    };
  }
}

/** The candidate that splits the header line most often (outside quotes); a one-column file has none and reads as `,`. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let inQuotes = false;
  for (const c of headerLine) {
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(c)) counts.set(c, (counts.get(c) as number) + 1);
  }
  let best = ',' as string;
  let bestCount = 0;
  for (const [d, n] of counts)
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  return best;
}

function histogramEdges(min: number, max: number): number[] {
  if (!(max > min)) return [min, min === max ? min + 1 : max];
  const width = (max - min) / HISTOGRAM_BINS;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => min + i * width);
  edges[HISTOGRAM_BINS] = max;
  return edges;
}
