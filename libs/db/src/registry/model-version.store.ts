import { cursorCodec, int32, type VersionQuery } from '@slipway/contracts';
import { z } from 'zod';
import { Prisma } from '../generated/prisma/client';
import type { DbClient } from '../db-client';
import type { ArtifactFileEntity, ModelVersionEntity } from './registry.entity';
import { jsonbText } from '../jsonb';
import { fromStatusName, toVersion, VERSION_INCLUDE } from './registry.rows';

/** Keyset: the last version number of the page (newest first). */
// model_versions.version is int4: a larger number in a forged cursor would fail in Postgres, so it is a 400 here.
const versionCursor = cursorCodec('model-versions', z.object({ version: int32(1) }).strict());

export interface NewVersionInput {
  description: string;
  tags: Record<string, string>;
  runId: string | null;
  algorithm: string | null;
  framework: string | null;
  inputSchema?: unknown;
  trainingProfile?: unknown;
  evaluation?: unknown;
  createdBy: string;
}

export interface ReadyVersionInput {
  manifest: ArtifactFileEntity[];
  sha256: string;
  signature: string;
  /** Id of the signing key (sealManifest gives it); absent only for callers that seal without one. */
  signatureKeyId?: string;
  artifactUri: string;
}

/**
 * Model versions and their lifecycle: PENDING_UPLOAD → READY (sealed) or FAILED; READY ⇄ ARCHIVED; soft
 * delete. Transitions are conditional updates (null when the version was not in the expected state), so a
 * concurrent change is detected rather than overwritten. Changes run under the model's lock (ModelStore.lock).
 */
export class ModelVersionStore {
  constructor(private readonly db: DbClient) {}

  /** Needs the model lock: allocates max(version)+1 over every version ever made, deleted ones included, so numbers are never reused. */
  async create(modelId: string, input: NewVersionInput): Promise<ModelVersionEntity> {
    const { _max } = await this.db.modelVersion.aggregate({ where: { modelId }, _max: { version: true } });
    const row = await this.db.modelVersion.create({
      data: {
        modelId,
        version: (_max.version ?? 0) + 1,
        status: 'PENDING_UPLOAD',
        description: input.description,
        runId: input.runId,
        algorithm: input.algorithm,
        framework: input.framework,
        createdBy: input.createdBy,
        tags: { create: Object.entries(input.tags).map(([key, value]) => ({ key, value })) },
      },
      include: VERSION_INCLUDE,
    });
    if (input.inputSchema == null && input.trainingProfile == null && input.evaluation == null) return toVersion(row);
    // The JSON columns go in as text (see jsonbText), in the same transaction as the row.
    await this.db.$executeRaw(
      Prisma.sql`UPDATE model_versions SET input_schema = ${jsonbText(input.inputSchema)}, training_profile = ${jsonbText(input.trainingProfile)}, evaluation = ${jsonbText(input.evaluation)} WHERE id = ${row.id}::uuid`,
    );
    return toVersion({
      ...row,
      inputSchema: input.inputSchema ?? null,
      trainingProfile: input.trainingProfile ?? null,
      evaluation: input.evaluation ?? null,
    } as typeof row);
  }

  /** A version that is not deleted; null when absent. */
  async get(modelId: string, version: number): Promise<ModelVersionEntity | null> {
    const row = await this.db.modelVersion.findFirst({ where: { modelId, version, deletedAt: null }, include: VERSION_INCLUDE });
    return row ? toVersion(row) : null;
  }

  async getById(id: string): Promise<ModelVersionEntity | null> {
    const row = await this.db.modelVersion.findUnique({ where: { id }, include: VERSION_INCLUDE });
    return row ? toVersion(row) : null;
  }

  async latestReady(modelId: string): Promise<ModelVersionEntity | null> {
    const row = await this.db.modelVersion.findFirst({
      where: { modelId, status: 'READY', deletedAt: null },
      orderBy: { version: 'desc' },
      include: VERSION_INCLUDE,
    });
    return row ? toVersion(row) : null;
  }

  async list(modelId: string, query: VersionQuery): Promise<{ versions: ModelVersionEntity[]; nextCursor: string | null }> {
    const below = query.cursor === undefined ? undefined : versionCursor.decode(query.cursor).version;
    const rows = await this.db.modelVersion.findMany({
      where: {
        modelId,
        deletedAt: null,
        status: query.status ? fromStatusName(query.status) : undefined,
        version: below !== undefined ? { lt: below } : undefined,
      },
      include: VERSION_INCLUDE,
      orderBy: { version: 'desc' },
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit).map(toVersion);
    return { versions: page, nextCursor: rows.length > query.limit ? versionCursor.encode({ version: page[page.length - 1].version }) : null };
  }

  async update(id: string, input: { description?: string; tags?: Record<string, string> }): Promise<ModelVersionEntity> {
    if (input.tags) {
      await this.db.modelVersionTag.deleteMany({ where: { versionId: id } });
      await this.db.modelVersionTag.createMany({ data: Object.entries(input.tags).map(([key, value]) => ({ versionId: id, key, value })) });
    }
    const row = await this.db.modelVersion.update({ where: { id }, data: { description: input.description }, include: VERSION_INCLUDE });
    return toVersion(row);
  }

  /** PENDING_UPLOAD → READY with its sealed manifest; null when the version is no longer pending. */
  async markReady(id: string, input: ReadyVersionInput): Promise<ModelVersionEntity | null> {
    const sizeBytes = input.manifest.reduce((sum, f) => sum + f.sizeBytes, 0);
    const { count } = await this.db.modelVersion.updateMany({
      where: { id, status: 'PENDING_UPLOAD', deletedAt: null },
      data: {
        status: 'READY',
        manifest: input.manifest as unknown as Prisma.InputJsonValue,
        sha256: input.sha256,
        signature: input.signature,
        signatureKeyId: input.signatureKeyId ?? null,
        sizeBytes: BigInt(sizeBytes),
        artifactUri: input.artifactUri,
        readyAt: new Date(),
      },
    });
    return count === 0 ? null : this.getById(id);
  }

  async markFailed(id: string): Promise<ModelVersionEntity | null> {
    const { count } = await this.db.modelVersion.updateMany({ where: { id, status: 'PENDING_UPLOAD' }, data: { status: 'FAILED' } });
    return count === 0 ? null : this.getById(id);
  }

  /** READY → ARCHIVED; null when the version is not READY. */
  async archive(id: string): Promise<ModelVersionEntity | null> {
    const { count } = await this.db.modelVersion.updateMany({
      where: { id, status: 'READY', deletedAt: null },
      data: { status: 'ARCHIVED', archivedAt: new Date() },
    });
    return count === 0 ? null : this.getById(id);
  }

  /** ARCHIVED → READY; null when the version is not ARCHIVED. */
  async restore(id: string): Promise<ModelVersionEntity | null> {
    const { count } = await this.db.modelVersion.updateMany({
      where: { id, status: 'ARCHIVED', deletedAt: null },
      data: { status: 'READY', archivedAt: null },
    });
    return count === 0 ? null : this.getById(id);
  }

  async softDelete(id: string): Promise<void> {
    await this.db.modelVersion.update({ where: { id }, data: { deletedAt: new Date() } });
  }
}
