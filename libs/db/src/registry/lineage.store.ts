import { queryAll, type DbClient } from '../db-client';
import type { LineageEntity } from './registry.entity';

/** Where versions came from, read from the tracking tables: the run, its params and final metrics, data and code. */
export class LineageStore {
  constructor(private readonly db: DbClient) {}

  /** Lineage of each run, in three queries whatever the number of runs. */
  async ofRuns(runIds: string[]): Promise<Map<string, LineageEntity>> {
    const db = this.db;
    const ids = [...new Set(runIds)];
    const result = new Map<string, LineageEntity>();
    if (ids.length === 0) return result;
    const [runs, params, metrics] = await queryAll(db, [
      () => db.run.findMany({ where: { id: { in: ids } } }),
      () => db.runParam.findMany({ where: { runId: { in: ids } }, orderBy: { key: 'asc' } }),
      () => db.latestMetric.findMany({ where: { runId: { in: ids } }, orderBy: { key: 'asc' } }),
    ] as const);
    for (const run of runs) {
      result.set(run.id, {
        runId: run.id,
        runName: run.name,
        experimentId: run.experimentId,
        runStatus: run.status,
        runDeleted: run.deletedAt !== null,
        datasetId: run.datasetId,
        datasetSha256: run.datasetSha256,
        codeVersion: run.codeVersion,
        seed: run.seed,
        params: {},
        metrics: {},
      });
    }
    for (const p of params) {
      const entry = result.get(p.runId);
      if (entry) entry.params[p.key] = p.value;
    }
    for (const m of metrics) {
      const entry = result.get(m.runId);
      if (entry) entry.metrics[m.key] = m.value;
    }
    return result;
  }

  /** Lineage of one run; null when it does not exist. */
  async ofRun(runId: string): Promise<LineageEntity | null> {
    return (await this.ofRuns([runId])).get(runId) ?? null;
  }
}
