import { metricValueFromNumber, type ArtifactView, type ExperimentView, type RunSummaryView, type RunView } from '@slipway/contracts';
import { wireTime, wireTimeOrNull } from '@slipway/contracts';
import type { ArtifactEntity, ExperimentEntity, RunDetailEntity } from '@slipway/db';

export function toExperimentView(e: ExperimentEntity): ExperimentView {
  return { id: e.id, name: e.name, description: e.description, tags: e.tags, createdAt: wireTime(e.createdAt), updatedAt: wireTime(e.updatedAt) };
}

export function toRunSummaryView(r: RunDetailEntity): RunSummaryView {
  return {
    id: r.id,
    experimentId: r.experimentId,
    name: r.name,
    status: r.status,
    seed: r.seed,
    datasetSha256: r.datasetSha256,
    codeVersion: r.codeVersion,
    createdBy: r.createdBy,
    createdAt: wireTime(r.createdAt),
    startedAt: wireTimeOrNull(r.startedAt),
    endedAt: wireTimeOrNull(r.endedAt),
    deletedAt: wireTimeOrNull(r.deletedAt),
    params: r.params,
    tags: r.tags,
    metrics: r.metrics.map((m) => ({ key: m.key, value: metricValueFromNumber(m.value), step: m.step, timestamp: wireTime(m.timestamp) })),
  };
}

export function toArtifactView(a: ArtifactEntity): ArtifactView {
  return { path: a.path, sizeBytes: a.sizeBytes, sha256: a.sha256, contentType: a.contentType, createdAt: wireTime(a.createdAt) };
}

export function toRunView(r: RunDetailEntity, artifacts: ArtifactEntity[]): RunView {
  return { ...toRunSummaryView(r), artifacts: artifacts.map(toArtifactView) };
}
