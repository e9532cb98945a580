import type { DbClient } from '../db-client';
import type { VersionStatusName } from './registry.entity';
import { toStatusName } from './registry.rows';

export interface CompareVersionEntity {
  versionId: string;
  model: string;
  version: number;
  status: VersionStatusName;
  runId: string | null;
  evaluation: unknown;
}

export interface CompareRunEntity {
  id: string;
  name: string;
  experimentId: string;
  datasetSha256: string | null;
  codeVersion: string | null;
}

export interface MetricSeries {
  runId: string;
  key: string;
  points: { step: number; value: number }[];
}

/**
 * The reads behind "compare N versions or runs": each is one query over all N, so comparing 50 costs the
 * same number of round trips as comparing 2.
 */
export class CompareStore {
  constructor(private readonly db: DbClient) {}

  async versionsByRef(refs: { model: string; version: number }[]): Promise<CompareVersionEntity[]> {
    const rows = await this.db.modelVersion.findMany({
      where: { deletedAt: null, OR: refs.map((r) => ({ version: r.version, model: { name: r.model } })) },
      select: { id: true, version: true, status: true, runId: true, evaluation: true, model: { select: { name: true } } },
    });
    return rows.map((r) => ({
      versionId: r.id,
      model: r.model.name,
      version: r.version,
      status: toStatusName(r.status),
      runId: r.runId,
      evaluation: r.evaluation ?? null,
    }));
  }

  async runs(runIds: string[]): Promise<CompareRunEntity[]> {
    if (runIds.length === 0) return [];
    return this.db.run.findMany({
      where: { id: { in: runIds } },
      select: { id: true, name: true, experimentId: true, datasetSha256: true, codeVersion: true },
    });
  }

  async params(runIds: string[]): Promise<{ runId: string; key: string; value: string }[]> {
    if (runIds.length === 0) return [];
    return this.db.runParam.findMany({ where: { runId: { in: runIds } }, select: { runId: true, key: true, value: true } });
  }

  async latestMetrics(runIds: string[]): Promise<{ runId: string; key: string; value: number }[]> {
    if (runIds.length === 0) return [];
    return this.db.latestMetric.findMany({ where: { runId: { in: runIds } }, select: { runId: true, key: true, value: true } });
  }

  /**
   * Every metric history of the runs, downsampled in the database to at most `maxPoints` per (run, key):
   * the first point, then the last point of each of maxPoints-1 equal buckets (so the final value is kept).
   */
  async histories(runIds: string[], maxPoints: number): Promise<MetricSeries[]> {
    if (runIds.length === 0) return [];
    const buckets = maxPoints - 1;
    // One row per (run, key) with its points as a JSON array: tens of thousands of points cost one parse per series.
    // Values travel as float8 text (shortest exact, and NaN/±Infinity spelled out), parsed by Number().
    const rows = await this.db.$queryRaw<{ run_id: string; key: string; points: [number, string][] }[]>`
      SELECT run_id, key, json_agg(json_build_array(step, value::text) ORDER BY rn) AS points FROM (
        SELECT run_id, key, step, value,
               row_number() OVER w AS rn,
               count(*) OVER (PARTITION BY run_id, key COLLATE "C") AS n
        FROM metrics WHERE run_id = ANY(${runIds}::uuid[])
        WINDOW w AS (PARTITION BY run_id, key COLLATE "C" ORDER BY step, timestamp, id)
      ) t
      WHERE n <= ${maxPoints}
         OR rn = 1
         OR rn = n
         OR floor((rn - 1) * ${buckets}::float8 / n) <> floor(rn * ${buckets}::float8 / n)
      GROUP BY run_id, key`;
    return rows.map((r) => ({ runId: r.run_id, key: r.key, points: r.points.map(([step, value]) => ({ step: Number(step), value: Number(value) })) }));
  }
}
