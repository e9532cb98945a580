import { textProblem } from '@slipway/contracts';
import { NUMBER } from './cell-values';
import { contentError, type CellPosition } from './content-error';

const MAX_HEADER_CHARS = 1 << 20;
const DELIMITERS = [',', ';', '\t', '|'] as const;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface CsvRecordSink {
  /** The header's column names, checked (non-empty, unique, storable, at most 256 characters). */
  header(names: string[], line: number): void;
  /** One data row, as many fields as the header has; `line` is where the record starts. */
  row(fields: string[], line: number): void;
}

export interface CsvReaderOptions {
  /**
   * Hand the sink fields that may be slices of the decoded chunk (V8 keeps the whole chunk alive while one is held).
   * Only for a sink that copies what it keeps past the call (`detachedCopy`); by default every field is its own string.
   */
  slices?: boolean;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
// V8 copies substrings shorter than this; longer ones are slices pointing into their parent string.
const MIN_SLICE = 13;

/** A copy of `text` that holds nothing else alive (a slice of a 1 MiB chunk otherwise keeps the chunk). */
export function detachedCopy(text: string): string {
  // The concatenation is flattened into a fresh string by slice(); the result points only into that copy.
  return text.length < MIN_SLICE ? text : (' ' + text).slice(1);
}

/**
 * A streaming RFC 4180 reader: bytes go in chunk by chunk, only the current record is held. Quoted fields may hold
 * delimiters, doubled quotes and line breaks; CR before LF is dropped outside quotes; blank lines are skipped. The
 * first record is the header; ragged rows and NUL characters are refused naming line and column.
 *
 * The hot path scans character codes and cuts each unquoted field out of the chunk with one slice (a profile of a
 * 1,000,000-row file is mostly this loop): no string is built character by character.
 */
export class CsvReader {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private detected: string | null;
  private pending = '';
  private names: string[] | null = null;
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  private quoteClosed = false;
  private fieldQuoted = false;
  private line = 1;
  private recordLine = 1;
  private carry = '';
  /** Whether a NUL may be in a field: set by the first chunk holding one (and for records given whole), so rows skip the check until then. */
  private nulSeen = false;
  private readonly slices: boolean;

  constructor(
    delimiter: string | undefined,
    private readonly sink: CsvRecordSink,
    options: CsvReaderOptions = {},
  ) {
    this.detected = delimiter ?? null;
    this.slices = options.slices ?? false;
  }

  /** The delimiter given, or detected from the header line once it has been read. */
  get delimiter(): string | null {
    return this.detected;
  }

  get header(): string[] | null {
    return this.names;
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

  /** A record that did not come from CSV text (a Parquet row as text cells): the same header and row checks. */
  record(fields: string[], line: number): void {
    this.nulSeen = true;
    this.recordLine = line;
    this.accept(fields);
  }

  /** Ends the input; refuses an unclosed quote and a file without a header. */
  end(): void {
    try {
      this.feed(this.decoder.decode());
    } catch {
      throw contentError('the file is not UTF-8 text', this.line);
    }
    if (this.detected === null) {
      this.detected = detectDelimiter(this.pending);
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
    if (this.names === null) throw contentError('the file is empty', 1);
  }

  private feed(text: string): void {
    if (this.detected === null) {
      this.pending += text;
      const newline = this.pending.indexOf('\n');
      if (newline < 0 && this.pending.length < MAX_HEADER_CHARS) return;
      this.detected = detectDelimiter(newline < 0 ? this.pending : this.pending.slice(0, newline));
      text = this.pending;
      this.pending = '';
    }
    this.parse(text);
  }

  private parse(input: string, final = false): void {
    const d = (this.detected as string).charCodeAt(0);
    const text = this.carry + input;
    this.carry = '';
    if (!this.nulSeen && text.includes('\u0000')) this.nulSeen = true;
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (this.inQuotes) {
        const quote = text.indexOf('"', i);
        const end = quote < 0 ? n : quote;
        for (let k = text.indexOf('\n', i); k >= 0 && k < end; k = text.indexOf('\n', k + 1)) this.line++;
        this.field += text.slice(i, end);
        if (quote < 0) return;
        if (quote + 1 === n && !final) {
          // Doubled or closing: decided by the next chunk's first character.
          this.carry = '"';
          return;
        }
        if (text.charCodeAt(quote + 1) === QUOTE) {
          this.field += '"';
          i = quote + 2;
        } else {
          this.inQuotes = false;
          this.quoteClosed = true;
          i = quote + 1;
        }
        continue;
      }
      // A run of ordinary characters: one slice, not one concatenation per character.
      const start = i;
      let c = 0;
      while (i < n) {
        c = text.charCodeAt(i);
        if (c === d || c === LF || c === CR || c === QUOTE) break;
        i++;
      }
      if (i > start) {
        if (this.quoteClosed) throw contentError('text after a closing quote', this.line, this.columnAt());
        this.field = this.field.length === 0 ? text.slice(start, i) : this.field + text.slice(start, i);
      }
      if (i === n) return;
      i++;
      if (c === d) {
        this.endField();
      } else if (c === LF) {
        this.endField();
        this.endRecord();
        this.line++;
        this.recordLine = this.line;
      } else if (c === QUOTE) {
        if (this.field.length > 0 || this.quoteClosed)
          throw contentError('a quote inside an unquoted field (quote the whole field and double inner quotes)', this.line, this.columnAt());
        this.inQuotes = true;
        this.fieldQuoted = true;
      }
      // CR outside quotes: dropped.
    }
  }

  private columnAt(): CellPosition {
    const index = this.fields.length + 1;
    return { index, name: this.names?.[index - 1] };
  }

  private endField(): void {
    this.fields.push(this.slices ? this.field : detachedCopy(this.field));
    this.field = '';
    this.quoteClosed = false;
  }

  private endRecord(): void {
    const fields = this.fields;
    this.fields = [];
    const blank = fields.length === 1 && fields[0] === '' && !this.fieldQuoted;
    this.fieldQuoted = false;
    if (!blank) this.accept(fields);
  }

  private accept(fields: string[]): void {
    if (this.names === null) this.readHeader(fields);
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
    this.names = names;
    this.sink.header(names, this.recordLine);
  }

  private readRow(fields: string[]): void {
    const header = this.names as string[];
    if (fields.length !== header.length) {
      const index = Math.min(fields.length, header.length) + 1;
      throw contentError(`${fields.length} fields, but the header has ${header.length}`, this.recordLine, { index, name: header[index - 1] });
    }
    if (this.nulSeen)
      for (let i = 0; i < fields.length; i++)
        if (fields[i].includes('\u0000')) throw contentError('NUL characters are not allowed', this.recordLine, { index: i + 1, name: header[i] });
    this.sink.row(fields, this.recordLine);
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
