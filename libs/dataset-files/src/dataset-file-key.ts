import type { DatasetFormat, DatasetProfile } from '@slipway/contracts';

const FILE_NAMES: Record<DatasetFormat, string> = { csv: 'data.csv', parquet: 'data.parquet', images: 'images.bin' };

/** Where a dataset's file lives in the object store (the API writes it there, the worker reads it back). */
export const datasetFileKey = (datasetId: string, format: DatasetFormat): string => `datasets/${datasetId}/${FILE_NAMES[format]}`;

/** A dataset's format from its stored profile: CSV when the profile does not say (written before formats existed). */
export const datasetFormatOf = (profile: Pick<DatasetProfile, 'format'> | null): DatasetFormat => profile?.format ?? 'csv';
