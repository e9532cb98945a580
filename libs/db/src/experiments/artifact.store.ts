import { ErrorCode, SlipwayError, wireSafeInt } from '@slipway/contracts';
import type { Artifact as ArtifactRow } from '../generated/prisma/client';
import type { DbClient } from '../db-client';
import { dbFailureOf } from '../unit-of-work/db-errors';
import type { ArtifactFileEntity } from '../registry/registry.entity';
import type { ArtifactEntity } from './tracking.entities';

/**
 * How long a claim on a path lasts without renewal: an upload renews its claim while it streams
 * (renewUpload, every third of this), so a claim older than this belongs to an API process that died mid-upload,
 * and a retry may take it over. Short, because that retry (after a crash and restart) waits this long.
 */
export const ARTIFACT_UPLOAD_CLAIM_TTL_MS = 30 * 1000;

/** An upload's hold on one run artifact path (see ArtifactStore.claimUpload). */
export interface UploadClaim {
  runId: string;
  path: string;
  claimedAt: Date;
}

function toEntity(row: ArtifactRow): ArtifactEntity {
  return {
    id: row.id,
    runId: row.runId,
    path: row.path,
    uri: row.uri,
    sha256: row.sha256,
    sizeBytes: wireSafeInt(row.sizeBytes),
    contentType: row.contentType,
    createdAt: row.createdAt,
  };
}

/** Artifact records (the bytes live in the object store). Immutable: one record per run and path. */
export class ArtifactStore {
  constructor(private readonly db: DbClient) {}

  async create(input: Omit<ArtifactEntity, 'id' | 'createdAt'>): Promise<ArtifactEntity> {
    try {
      return toEntity(await this.db.artifact.create({ data: { ...input, sizeBytes: BigInt(input.sizeBytes) } }));
    } catch (error) {
      if (dbFailureOf(error) === 'unique_violation')
        throw new SlipwayError(ErrorCode.ALREADY_EXISTS, `Run ${input.runId} already has an artifact at "${input.path}"; artifacts are immutable`, [
          { field: 'path', message: 'already exists' },
        ]);
      throw error;
    }
  }

  async find(runId: string, path: string): Promise<ArtifactEntity | null> {
    const row = await this.db.artifact.findUnique({ where: { runId_path: { runId, path } } });
    return row ? toEntity(row) : null;
  }

  async list(runId: string): Promise<ArtifactEntity[]> {
    return (await this.db.artifact.findMany({ where: { runId }, orderBy: { path: 'asc' } })).map(toEntity);
  }

  /** The run's artifact at `path` (one file), or every file under the folder `path/`: what a model version is registered from. */
  async filesAt(runId: string, path: string): Promise<ArtifactFileEntity[]> {
    const rows = await this.db.artifact.findMany({
      where: { runId, OR: [{ path }, { path: { startsWith: `${path}/` } }] },
      select: { path: true, sha256: true, sizeBytes: true },
      orderBy: { path: 'asc' },
    });
    // LIKE treats `_` and `%` as wildcards; keep exact prefix matches only.
    return rows
      .filter((r) => r.path === path || r.path.startsWith(`${path}/`))
      .map((r) => ({ path: r.path, sha256: r.sha256, sizeBytes: Number(r.sizeBytes) }));
  }

  /**
   * Claims `path` of the run for one upload, across every API replica: the claim (to release) when this
   * caller now holds it, null while another upload does. A claim older than ARTIFACT_UPLOAD_CLAIM_TTL_MS is
   * taken over (its holder died mid-upload). One statement, so two claimants cannot both win.
   */
  async claimUpload(runId: string, path: string): Promise<UploadClaim | null> {
    const staleBefore = new Date(Date.now() - ARTIFACT_UPLOAD_CLAIM_TTL_MS);
    const claimed = await this.db.$queryRaw<{ claimed_at: Date }[]>`
      INSERT INTO artifact_upload_claims (run_id, path, claimed_at) VALUES (${runId}::uuid, ${path}, now())
      ON CONFLICT (run_id, path) DO UPDATE SET claimed_at = now() WHERE artifact_upload_claims.claimed_at < ${staleBefore}
      RETURNING claimed_at`;
    return claimed.length === 1 ? { runId, path, claimedAt: new Date(claimed[0].claimed_at) } : null;
  }

  /** Keeps a live upload's claim from going stale; false when it was taken over meanwhile (this upload stalled past the TTL). */
  async renewUpload(claim: UploadClaim): Promise<boolean> {
    const renewed = await this.db.$queryRaw<{ claimed_at: Date }[]>`
      UPDATE artifact_upload_claims SET claimed_at = now()
      WHERE run_id = ${claim.runId}::uuid AND path = ${claim.path} AND claimed_at = ${claim.claimedAt}
      RETURNING claimed_at`;
    if (renewed.length !== 1) return false;
    claim.claimedAt = new Date(renewed[0].claimed_at);
    return true;
  }

  /** Ends this claim only: one taken over meanwhile (see claimUpload) belongs to its new holder. */
  async releaseUpload(claim: UploadClaim): Promise<void> {
    await this.db.artifactUploadClaim.deleteMany({ where: { runId: claim.runId, path: claim.path, claimedAt: claim.claimedAt } });
  }
}
