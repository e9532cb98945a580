import type { DatasetColumns, DatasetProfile } from '@slipway/contracts';

/** A stored tabular dataset: its file (by sha256) and what the profiler found in it. */
export interface DatasetEntity {
  id: string;
  name: string;
  sha256: string;
  rows: number;
  columns: DatasetColumns;
  targetColumn: string | null;
  storageUri: string;
  sizeBytes: number;
  profile: DatasetProfile | null;
  createdAt: Date;
}

/** What references a dataset (a dataset is deleted only when nothing does). */
export interface DatasetReferences {
  runs: number;
  trainingJobs: number;
  studies: number;
}
