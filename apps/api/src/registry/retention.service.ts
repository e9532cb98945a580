import { Inject, Injectable, Logger } from '@nestjs/common';
import type { GcResult } from '@slipway/contracts';
import { UnitOfWork } from '@slipway/db';
import type { ObjectStore } from '@slipway/storage';
import type { RequestActor } from '../auth/auth.decorators';
import { OBJECT_STORE } from '../infrastructure/tokens';
import { modelVersionPrefix } from '@slipway/artifacts';

const MAX_LISTED = 10_000;
type Candidate = GcResult['objects'][number];

/**
 * Artifact garbage collection: the files of deleted runs (unless a live version still names the run),
 * of deleted versions, and of deleted models. A dry run lists them; a real run purges the deleted runs for
 * good (they can no longer be restored), deletes the files and audits both.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly db: UnitOfWork,
    @Inject(OBJECT_STORE) private readonly objects: ObjectStore,
  ) {}

  /**
   * The objects to remove. A run's folder is a candidate when its run is deleted (and no live version names
   * it) or when its run is gone: a purge whose file deletion did not finish (crash, store outage) leaves a
   * folder without a row, which the next collection finds and finishes.
   */
  private async candidates(): Promise<{ objects: Candidate[]; runIds: string[]; truncated: boolean }> {
    const objects: Candidate[] = [];
    const deletedRuns = new Set(await this.db.read.retention.deletedRunIds());
    const byRun = await this.foldersUnder('runs/');
    const existingRuns = await this.db.read.retention.existingRunIds([...byRun.keys()]);
    const runIds: string[] = [];
    for (const [runId, files] of byRun) {
      if (existingRuns.has(runId) && !deletedRuns.has(runId)) continue;
      if (deletedRuns.has(runId)) runIds.push(runId);
      for (const file of files) {
        if (objects.length >= MAX_LISTED) return { objects, runIds, truncated: true };
        objects.push({ ...file, reason: 'deleted_run' });
      }
    }
    // A deleted run without files is purged too, so it cannot be restored later either.
    for (const runId of deletedRuns) if (!byRun.has(runId)) runIds.push(runId);
    for (const v of await this.db.read.retention.deletedVersions()) {
      for await (const object of this.objects.list(modelVersionPrefix(v.modelId, v.version))) {
        if (objects.length >= MAX_LISTED) return { objects, runIds, truncated: true };
        objects.push({ key: object.key, sizeBytes: object.sizeBytes, reason: 'deleted_version' });
      }
    }
    // Deleted models leave no row to name them: find folders under models/ whose model is gone.
    const byModel = await this.foldersUnder('models/');
    const existing = await this.db.read.retention.existingModelIds([...byModel.keys()]);
    for (const [modelId, files] of byModel) {
      if (existing.has(modelId)) continue;
      for (const file of files) {
        if (objects.length >= MAX_LISTED) return { objects, runIds, truncated: true };
        objects.push({ ...file, reason: 'deleted_model' });
      }
    }
    return { objects, runIds, truncated: false };
  }

  /** The objects under `prefix` grouped by the id in the next key segment (`runs/<id>/…`, `models/<id>/…`). */
  private async foldersUnder(prefix: string): Promise<Map<string, { key: string; sizeBytes: number }[]>> {
    const byId = new Map<string, { key: string; sizeBytes: number }[]>();
    for await (const object of this.objects.list(prefix)) {
      const id = object.key.slice(prefix.length).split('/')[0];
      byId.set(id, [...(byId.get(id) ?? []), { key: object.key, sizeBytes: object.sizeBytes }]);
    }
    return byId;
  }

  async collect(dryRun: boolean, actor: RequestActor): Promise<GcResult> {
    const candidates = await this.candidates();
    let { objects } = candidates;
    let deletedCount = 0;
    if (!dryRun) {
      // Rows first, files second: a run is purged before its files go, so no restorable run ever lists
      // artifacts whose bytes are gone. A run restored since the listing is not purged and keeps its files.
      const purged = new Set(
        await this.db.run(actor, async (tx) => {
          const ids = await tx.retention.purgeDeletedRuns(candidates.runIds);
          for (const id of ids) await tx.record({ action: 'run.purge', entity: { type: 'run', id }, after: { reason: 'registry.gc' } });
          return ids;
        }),
      );
      const kept = new Set(candidates.runIds.filter((id) => !purged.has(id)));
      objects = objects.filter((o) => o.reason !== 'deleted_run' || !kept.has(o.key.split('/')[1]));
      for (const object of objects) {
        try {
          await this.objects.delete(object.key);
          deletedCount++;
        } catch (error) {
          this.logger.warn(`gc: could not delete ${object.key}: ${(error as Error).message}`);
        }
      }
      const totalBytes = objects.reduce((sum, o) => sum + o.sizeBytes, 0);
      const byReason = Object.fromEntries(['deleted_run', 'deleted_version', 'deleted_model'].map((r) => [r, objects.filter((o) => o.reason === r).length]));
      await this.db.run(actor, (tx) =>
        tx.record({
          action: 'registry.gc',
          entity: { type: 'registry', id: 'artifacts' },
          after: { deletedCount, objectCount: objects.length, totalBytes, byReason, purgedRuns: purged.size, truncated: candidates.truncated },
        }),
      );
      this.logger.log(`gc by ${actor.name}: purged ${purged.size} runs, deleted ${deletedCount} of ${objects.length} objects (${totalBytes} bytes)`);
    }
    const totalBytes = objects.reduce((sum, o) => sum + o.sizeBytes, 0);
    const truncated = candidates.truncated;
    // Sorted by key so a dry run and the real run list the same objects in the same order.
    objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { dryRun, objects, objectCount: objects.length, totalBytes, deletedCount, truncated };
  }
}
