export type VersionStatusName = 'PENDING_UPLOAD' | 'READY' | 'FAILED' | 'ARCHIVED';

export interface ModelEntity {
  id: string;
  name: string;
  description: string;
  tags: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

export interface ModelSummaryEntity extends ModelEntity {
  latestVersion: { version: number; status: VersionStatusName; createdAt: Date } | null;
  latestReadyVersion: number | null;
  versionCount: number;
  aliases: { alias: string; version: number }[];
}

export interface ArtifactFileEntity {
  path: string;
  sha256: string;
  sizeBytes: number;
}

export interface ModelVersionEntity {
  id: string;
  modelId: string;
  modelName: string;
  version: number;
  status: VersionStatusName;
  description: string;
  tags: Record<string, string>;
  aliases: string[];
  artifactUri: string | null;
  sha256: string | null;
  signature: string | null;
  /** Id of the key that made `signature` (see @slipway/artifacts keyIdOf); null on versions signed before ids were kept. */
  signatureKeyId: string | null;
  sizeBytes: number | null;
  manifest: ArtifactFileEntity[] | null;
  algorithm: string | null;
  framework: string | null;
  inputSchema: unknown;
  trainingProfile: unknown;
  evaluation: unknown;
  runId: string | null;
  createdBy: string | null;
  createdAt: Date;
  readyAt: Date | null;
  archivedAt: Date | null;
  deletedAt: Date | null;
}

export interface AliasEntity {
  modelId: string;
  alias: string;
  versionId: string;
  version: number;
  updatedAt: Date;
}

/** The run a version came from, read from the tracking tables. */
export interface LineageEntity {
  runId: string;
  runName: string;
  experimentId: string;
  runStatus: string;
  runDeleted: boolean;
  datasetId: string | null;
  datasetSha256: string | null;
  codeVersion: string | null;
  seed: number | null;
  params: Record<string, string>;
  metrics: Record<string, number>;
}

/** Where a version is in use: a deleted or archived version must not be any of these. */
export interface VersionUsageEntity {
  aliases: string[];
  deployments: string[];
}
