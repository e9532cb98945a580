import { wireTime, type DatasetProfileView, type DatasetView } from '@slipway/contracts';
import type { DatasetEntity } from '@slipway/db';
import { datasetFormatOf } from '@slipway/dataset-files';

export function toDatasetView(dataset: DatasetEntity, source: { sample: string; provenance: string } | null): DatasetView {
  return {
    id: dataset.id,
    name: dataset.name,
    sha256: dataset.sha256,
    rows: dataset.rows,
    sizeBytes: dataset.sizeBytes,
    columns: dataset.columns,
    targetColumn: dataset.targetColumn,
    format: datasetFormatOf(dataset.profile),
    source,
    createdAt: wireTime(dataset.createdAt),
  };
}

export function toDatasetProfileView(dataset: DatasetEntity): DatasetProfileView {
  return { datasetId: dataset.id, targetColumn: dataset.targetColumn, profile: dataset.profile ?? { rowCount: dataset.rows, columns: [] } };
}
