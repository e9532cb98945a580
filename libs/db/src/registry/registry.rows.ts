import { readJsonColumnOrNull, wireSafeInt } from '@slipway/contracts';
import type { ModelVersion as VersionRow, ModelVersionStatus } from '../generated/prisma/client';
import type { ModelEntity, ModelVersionEntity, VersionStatusName } from './registry.entity';

/** Row → entity mapping shared by the registry stores (never leaves libs/db). */

// The API's status names are the database enum's own (UPPER_CASE, docs/CONVENTIONS.md).
export const toStatusName = (status: ModelVersionStatus): VersionStatusName => status;
export const fromStatusName = (status: VersionStatusName): ModelVersionStatus => status;

export type ModelRow = { id: string; name: string; description: string; createdAt: Date; updatedAt: Date; tags: { key: string; value: string }[] };
export type VersionRowWith = VersionRow & { model: { name: string }; tags: { key: string; value: string }[]; aliases: { name: string }[] };

export const MODEL_INCLUDE = { tags: true } as const;
export const VERSION_INCLUDE = { model: { select: { name: true } }, tags: true, aliases: { select: { name: true } } } as const;

export const tagsOf = (tags: { key: string; value: string }[]): Record<string, string> => Object.fromEntries(tags.map((t) => [t.key, t.value]));

export function toModel(row: ModelRow): ModelEntity {
  return { id: row.id, name: row.name, description: row.description, tags: tagsOf(row.tags), createdAt: row.createdAt, updatedAt: row.updatedAt };
}

export function toVersion(row: VersionRowWith): ModelVersionEntity {
  return {
    id: row.id,
    modelId: row.modelId,
    modelName: row.model.name,
    version: row.version,
    status: toStatusName(row.status),
    description: row.description,
    tags: tagsOf(row.tags),
    aliases: row.aliases.map((a) => a.name).sort(),
    artifactUri: row.artifactUri,
    sha256: row.sha256,
    signature: row.signature,
    signatureKeyId: row.signatureKeyId,
    sizeBytes: row.sizeBytes === null ? null : wireSafeInt(row.sizeBytes),
    manifest: readJsonColumnOrNull('model_versions.manifest', row.manifest),
    algorithm: row.algorithm,
    framework: row.framework,
    inputSchema: readJsonColumnOrNull('model_versions.input_schema', row.inputSchema),
    trainingProfile: readJsonColumnOrNull('model_versions.training_profile', row.trainingProfile),
    evaluation: readJsonColumnOrNull('model_versions.evaluation', row.evaluation),
    runId: row.runId,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    readyAt: row.readyAt,
    archivedAt: row.archivedAt,
    deletedAt: row.deletedAt,
  };
}
