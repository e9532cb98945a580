import type { ColumnTypeOverrides } from '@slipway/contracts';
import { CsvProfiler, type ProfiledTable } from './csv-profiler';
import { spoolToTempFile, type ByteSource } from './spool';
import { readParquetFile, type RecordReadOptions, type TableFormat } from './table-records';

export interface ProfileOptions {
  overrides?: ColumnTypeOverrides;
  targetColumn?: string | null;
}

/**
 * A Parquet file's columns and profile: its rows go through the CSV profiler as text cells, so types are inferred
 * and statistics computed exactly as for a CSV of the same table. The profile says `format: "parquet"` (no delimiter).
 */
export async function profileParquetFile(path: string, options: ProfileOptions = {}): Promise<ProfiledTable> {
  const profiler = new CsvProfiler();
  await readParquetFile(path, { header: (names, line) => profiler.pushRecord(names, line), row: (fields, line) => profiler.pushRecord(fields, line) });
  const table = profiler.finish(options);
  const { delimiter: _delimiter, ...profile } = table.profile;
  return { ...table, profile: { ...profile, format: 'parquet' } };
}

/** Profiles a stored table file of either format (a PATCH re-profiling with new types or target). */
export async function profileTable(
  bytes: ByteSource,
  source: { format: TableFormat; delimiter?: string },
  options: ProfileOptions & RecordReadOptions = {},
): Promise<ProfiledTable> {
  if (source.format === 'csv') {
    const profiler = new CsvProfiler(source.delimiter);
    for await (const chunk of bytes as AsyncIterable<Uint8Array | string>) profiler.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return profiler.finish(options);
  }
  const file = await spoolToTempFile(bytes, options);
  try {
    return await profileParquetFile(file.path, options);
  } finally {
    await file.remove();
  }
}
