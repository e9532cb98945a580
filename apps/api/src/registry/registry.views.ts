import { metricValueFromNumber, type AliasView, type LineageView, type VersionView } from '@slipway/contracts';
import { wireTime, wireTimeOrNull } from '@slipway/contracts';
import type { LineageEntity, ModelVersionEntity } from '@slipway/db';

// The model view and the version summary are what audit entries and webhook payloads carry too, and a worker
// registering a training job's result writes them as well: one definition, in the registrar's lib.
export { toModelView, versionSummary } from '@slipway/model-registry';

export function toLineageView(lineage: LineageEntity): LineageView {
  return { ...lineage, metrics: Object.fromEntries(Object.entries(lineage.metrics).map(([key, value]) => [key, metricValueFromNumber(value)])) };
}

export function toVersionView(version: ModelVersionEntity, lineage: LineageEntity | null = null): VersionView {
  return {
    id: version.id,
    model: version.modelName,
    version: version.version,
    status: version.status,
    description: version.description,
    tags: version.tags,
    aliases: version.aliases,
    sha256: version.sha256,
    signature: version.signature,
    signatureKeyId: version.signatureKeyId,
    sizeBytes: version.sizeBytes,
    files: version.manifest,
    artifactUri: version.artifactUri,
    algorithm: version.algorithm,
    framework: version.framework,
    inputSchema: version.inputSchema ?? null,
    trainingProfile: version.trainingProfile ?? null,
    evaluation: version.evaluation ?? null,
    runId: version.runId,
    lineage: lineage ? toLineageView(lineage) : null,
    createdBy: version.createdBy,
    createdAt: wireTime(version.createdAt),
    readyAt: wireTimeOrNull(version.readyAt),
    archivedAt: wireTimeOrNull(version.archivedAt),
  };
}

export function toAliasView(model: string, alias: string, version: number, previousVersion: number | null, updatedAt: Date): AliasView {
  return { model, alias, version, previousVersion, updatedAt: wireTime(updatedAt) };
}
