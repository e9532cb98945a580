import { ErrorCode, SlipwayError } from '@slipway/contracts';
import type { Artifact as ArtifactRow } from '../generated/prisma/client';
import type { DbClient } from '../db-client';
import { prismaCode, type ArtifactEntity } from './tracking.entities';

function toEntity(row: ArtifactRow): ArtifactEntity {
  return {
    id: row.id,
    runId: row.runId,
    path: row.path,
    uri: row.uri,
    sha256: row.sha256,
    sizeBytes: Number(row.sizeBytes),
    contentType: row.contentType,
    createdAt: row.createdAt,
  };
}

/** Artifact records (the bytes live in the object store). Immutable: one record per run and path. */
export class ArtifactStore {
  constructor(private readonly db: DbClient) {}

  async create(input: Omit<ArtifactEntity, 'id' | 'createdAt'>, db: DbClient = this.db): Promise<ArtifactEntity> {
    try {
      return toEntity(await db.artifact.create({ data: { ...input, sizeBytes: BigInt(input.sizeBytes) } }));
    } catch (error) {
      if (prismaCode(error) === 'P2002')
        throw new SlipwayError(ErrorCode.ALREADY_EXISTS, `Run ${input.runId} already has an artifact at "${input.path}"; artifacts are immutable`);
      throw error;
    }
  }

  async find(runId: string, path: string, db: DbClient = this.db): Promise<ArtifactEntity | null> {
    const row = await db.artifact.findUnique({ where: { runId_path: { runId, path } } });
    return row ? toEntity(row) : null;
  }

  async list(runId: string, db: DbClient = this.db): Promise<ArtifactEntity[]> {
    return (await db.artifact.findMany({ where: { runId }, orderBy: { path: 'asc' } })).map(toEntity);
  }
}
