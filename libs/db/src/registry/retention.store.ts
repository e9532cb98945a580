import type { DbClient } from '../db-client';

/** What the artifact garbage collector may remove, read from the database. */
export class RetentionStore {
  constructor(private readonly db: DbClient) {}

  /**
   * Deleted runs whose artifacts no live version still points at by lineage (a registered version keeps
   * its own copy, but the run's folder is kept while a version names the run, so lineage stays checkable).
   */
  async deletedRunIds(): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT r.id FROM runs r
      WHERE r.deleted_at IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM model_versions v WHERE v.run_id = r.id AND v.deleted_at IS NULL)
      ORDER BY r.id`;
    return rows.map((r) => r.id);
  }

  /**
   * Removes the rows of deleted runs for good (MLflow's `gc` does the same), so a run whose files are about
   * to go can never be restored into a run that lists artifacts it no longer has. The conditions are checked
   * again here, under the row locks of the delete: a run restored, or registered from, since the candidates
   * were listed stays. Returns the ids actually purged; only their files may be deleted.
   */
  async purgeDeletedRuns(runIds: string[]): Promise<string[]> {
    if (runIds.length === 0) return [];
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      DELETE FROM runs r
      WHERE r.id = ANY(${runIds}::uuid[])
        AND r.deleted_at IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM model_versions v WHERE v.run_id = r.id AND v.deleted_at IS NULL)
      RETURNING r.id`;
    return rows.map((r) => r.id).sort();
  }

  /** Of `runIds`, those with a row (the rest were purged; their files are leftovers). */
  async existingRunIds(runIds: string[]): Promise<Set<string>> {
    const uuids = runIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (uuids.length === 0) return new Set();
    return new Set((await this.db.run.findMany({ where: { id: { in: uuids } }, select: { id: true } })).map((r) => r.id));
  }

  async deletedVersions(): Promise<{ modelId: string; version: number }[]> {
    return this.db.modelVersion.findMany({
      where: { deletedAt: { not: null } },
      select: { modelId: true, version: true },
      orderBy: [{ modelId: 'asc' }, { version: 'asc' }],
    });
  }

  /** Of `modelIds`, those with a row (the rest were deleted with their versions). */
  async existingModelIds(modelIds: string[]): Promise<Set<string>> {
    const uuids = modelIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (uuids.length === 0) return new Set();
    return new Set((await this.db.model.findMany({ where: { id: { in: uuids } }, select: { id: true } })).map((m) => m.id));
  }
}
