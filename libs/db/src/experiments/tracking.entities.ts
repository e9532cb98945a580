import type { RunStatusName } from '@slipway/contracts';

export interface KeyValueEntity {
  key: string;
  value: string;
}

/** Tags are key → value, as on the wire; the store keeps them as one row per key. */
export type TagsEntity = Record<string, string>;

export interface ExperimentEntity {
  id: string;
  name: string;
  description: string;
  tags: TagsEntity;
  createdAt: Date;
  updatedAt: Date;
}

export interface RunEntity {
  id: string;
  experimentId: string;
  name: string;
  status: RunStatusName;
  seed: number | null;
  datasetSha256: string | null;
  codeVersion: string | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  deletedAt: Date | null;
}

export interface LatestMetricEntity {
  key: string;
  value: number;
  step: number;
  timestamp: Date;
}

/** A run with what search and the run page show: params, tags and the latest value of each metric. */
export interface RunDetailEntity extends RunEntity {
  params: KeyValueEntity[];
  tags: TagsEntity;
  metrics: LatestMetricEntity[];
}

export interface MetricPointEntity {
  value: number;
  step: number;
  timestamp: Date;
}

export interface ArtifactEntity {
  id: string;
  runId: string;
  path: string;
  uri: string;
  sha256: string;
  sizeBytes: number;
  contentType: string;
  createdAt: Date;
}
