import { wireTime, type ModelView } from '@slipway/contracts';
import type { ModelSummaryEntity, ModelVersionEntity } from '@slipway/db';

// The audit log and webhook payloads carry these shapes whichever process made the change (the API or a
// worker registering a training job's result), so they are defined once, here, and the API's views re-use them.

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
