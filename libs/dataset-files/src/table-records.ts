import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type Compressors, type FileMetaData } from 'hyparquet';
import { SlipwayError } from '@slipway/contracts';
import { contentError } from './content-error';
import { CsvReader, type CsvRecordSink } from './csv-reader';
import { spoolToTempFile, type ByteSource } from './spool';

export type TableFormat = 'csv' | 'parquet';

/** The magic bytes a Parquet file starts and ends with. */
export const PARQUET_MAGIC = 'PAR1';

export interface RecordReadOptions {
  tempDir?: string;
  maxBytes?: number;
}

/**
 * Every record of a table file, as text cells, into `sink` (header first). CSV is read as it streams; Parquet is
 * spooled to a temporary file (it needs its footer) and read one row group at a time, each value written as the
 * text a CSV of the same table would hold, so both formats go through one profiler and one training reader.
 */
export async function forEachRecord(
  bytes: ByteSource,
  source: { format: TableFormat; delimiter?: string },
  sink: CsvRecordSink,
  options: RecordReadOptions = {},
): Promise<void> {
  if (source.format === 'csv') {
    const reader = new CsvReader(source.delimiter, sink);
    for await (const chunk of bytes as AsyncIterable<Uint8Array | string>) reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    reader.end();
    return;
  }
  const file = await spoolToTempFile(bytes, options);
  try {
    await readParquetFile(file.path, sink);
  } finally {
    await file.remove();
  }
}

/** Decompressors beyond hyparquet's built-in Snappy: the ones Node's zlib has. */
function parquetCompressors(): Compressors {
  const compressors: Compressors = {
    GZIP: (input) => gunzipSync(input),
    BROTLI: (input) => brotliDecompressSync(input),
  };
  // Node ≥ 22.15 decodes Zstandard; on older Node a ZSTD file is refused as unreadable.
  const zstd = (zlib as unknown as { zstdDecompressSync?: (input: Uint8Array) => Uint8Array }).zstdDecompressSync;
  if (zstd) compressors.ZSTD = (input) => zstd(input);
  return compressors;
}

const unreadable = (error: unknown) => contentError(`not a readable Parquet file (${(error as Error).message ?? String(error)})`.slice(0, 512));

/** Parquet rows as text cells; `line` counts as a CSV of the same table would (column names line 1, first row line 2). */
export async function readParquetFile(path: string, sink: CsvRecordSink): Promise<void> {
  const file = await asyncBufferFromFile(path);
  let metadata: FileMetaData;
  let names: string[];
  try {
    metadata = await parquetMetadataAsync(file);
    names = parquetSchema(metadata).children.map((child) => child.element.name);
  } catch (error) {
    throw unreadable(error);
  }
  sink.header(names, 1);
  const compressors = parquetCompressors();
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors, rowFormat: 'object' });
    } catch (error) {
      if (error instanceof SlipwayError) throw error;
      throw unreadable(error);
    }
    rows.forEach((row, i) => {
      const line = rowStart + i + 2;
      sink.row(
        names.map((name, c) => cellText(row[name], line, { index: c + 1, name })),
        line,
      );
    });
    rowStart = rowEnd;
  }
}

function cellText(value: unknown, line: number, column: { index: number; name: string }): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : '';
  throw contentError('holds nested or binary values; a table dataset holds numbers, text, booleans and timestamps', line, column);
}
