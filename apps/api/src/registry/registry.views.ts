import { metricValueFromNumber, type AliasView, type LineageView, type ModelView, type VersionView } from '@slipway/contracts';
import { wireTime, wireTimeOrNull } from '@slipway/contracts';
import type { LineageEntity, ModelSummaryEntity, ModelVersionEntity } from '@slipway/db';

export function toModelView(model: ModelSummaryEntity): ModelView {
  return {
    id: model.id,
    name: model.name,
    description: model.description,
    tags: model.tags,
    latestVersion: model.latestVersion ? { ...model.latestVersion, createdAt: wireTime(model.latestVersion.createdAt) } : null,
    latestReadyVersion: model.latestReadyVersion,
    versionCount: model.versionCount,
    aliases: model.aliases,
    createdAt: wireTime(model.createdAt),
    updatedAt: wireTime(model.updatedAt),
  };
}

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

/** What audit entries and webhook payloads carry about a version: small, no curves or schemas. */
export function versionSummary(version: ModelVersionEntity): Record<string, unknown> {
  return {
    id: version.id,
    model: version.modelName,
    version: version.version,
    status: version.status,
    sha256: version.sha256,
    signature: version.signature,
    sizeBytes: version.sizeBytes,
    runId: version.runId,
    description: version.description,
    tags: version.tags,
  };
}

export function toAliasView(model: string, alias: string, version: number, previousVersion: number | null, updatedAt: Date): AliasView {
  return { model, alias, version, previousVersion, updatedAt: wireTime(updatedAt) };
}
