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
 * of deleted versions, and of deleted models. A dry run lists them; a real run deletes them and audits it.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly db: UnitOfWork,
    @Inject(OBJECT_STORE) private readonly objects: ObjectStore,
  ) {}

  private async candidates(): Promise<{ objects: Candidate[]; truncated: boolean }> {
    const objects: Candidate[] = [];
    const add = async (prefix: string, reason: Candidate['reason']): Promise<boolean> => {
      for await (const object of this.objects.list(prefix)) {
        if (objects.length >= MAX_LISTED) return false;
        objects.push({ key: object.key, sizeBytes: object.sizeBytes, reason });
      }
      return true;
    };
    for (const runId of await this.db.read.retention.deletedRunIds()) if (!(await add(`runs/${runId}/`, 'deleted_run'))) return { objects, truncated: true };
    for (const v of await this.db.read.retention.deletedVersions())
      if (!(await add(modelVersionPrefix(v.modelId, v.version), 'deleted_version'))) return { objects, truncated: true };
    // Deleted models leave no row to name them: find folders under models/ whose model is gone.
    const byModel = new Map<string, { key: string; sizeBytes: number }[]>();
    for await (const object of this.objects.list('models/')) {
      const modelId = object.key.split('/')[1];
      byModel.set(modelId, [...(byModel.get(modelId) ?? []), object]);
    }
    const existing = await this.db.read.retention.existingModelIds([...byModel.keys()]);
    for (const [modelId, files] of byModel) {
      if (existing.has(modelId)) continue;
      for (const file of files) {
        if (objects.length >= MAX_LISTED) return { objects, truncated: true };
        objects.push({ ...file, reason: 'deleted_model' });
      }
    }
    return { objects, truncated: false };
  }

  async collect(dryRun: boolean, actor: RequestActor): Promise<GcResult> {
    const { objects, truncated } = await this.candidates();
    const totalBytes = objects.reduce((sum, o) => sum + o.sizeBytes, 0);
    let deletedCount = 0;
    if (!dryRun) {
      for (const object of objects) {
        try {
          await this.objects.delete(object.key);
          deletedCount++;
        } catch (error) {
          this.logger.warn(`gc: could not delete ${object.key}: ${(error as Error).message}`);
        }
      }
      const byReason = Object.fromEntries(['deleted_run', 'deleted_version', 'deleted_model'].map((r) => [r, objects.filter((o) => o.reason === r).length]));
      await this.db.run(actor, (tx) =>
        tx.record({
          action: 'registry.gc',
          entity: { type: 'registry', id: 'artifacts' },
          after: { deletedCount, objectCount: objects.length, totalBytes, byReason, truncated },
        }),
      );
      this.logger.log(`gc by ${actor.name}: deleted ${deletedCount} of ${objects.length} objects (${totalBytes} bytes)`);
    }
    // Sorted by key so a dry run and the real run list the same objects in the same order.
    objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { dryRun, objects, objectCount: objects.length, totalBytes, deletedCount, truncated };
  }
}
