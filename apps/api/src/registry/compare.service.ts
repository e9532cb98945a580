import { Injectable } from '@nestjs/common';
import {
  ErrorCode,
  MAX_HISTORY_POINTS,
  metricValueFromNumber,
  SlipwayError,
  type CompareRequest,
  type CompareResult,
  type MetricValue,
} from '@slipway/contracts';
import { UnitOfWork, type CompareRunEntity, type CompareVersionEntity, type MetricSeries } from '@slipway/db';

type Item = CompareResult['items'][number];

/** Lower is better for losses and errors; higher for everything else (accuracy, f1, auc, r2, …). */
export function metricGoal(key: string): 'min' | 'max' {
  return /loss|error|mse|rmse|mae/i.test(key) ? 'min' : 'max';
}

/** Pure assembly of the side-by-side view from the rows the store read. */
export function buildComparison(
  items: Item[],
  runIdOf: (string | null)[],
  evaluations: unknown[],
  params: { runId: string; key: string; value: string }[],
  metrics: { runId: string; key: string; value: number }[],
  histories: MetricSeries[],
): CompareResult {
  const columnsOf = new Map<string, number[]>();
  runIdOf.forEach((runId, i) => {
    if (runId) columnsOf.set(runId, [...(columnsOf.get(runId) ?? []), i]);
  });
  const table = <T>(rows: { runId: string; key: string; value: T }[]) => {
    const byKey = new Map<string, (T | null)[]>();
    for (const row of rows) {
      const values = byKey.get(row.key) ?? items.map(() => null);
      for (const i of columnsOf.get(row.runId) ?? []) values[i] = row.value;
      byKey.set(row.key, values);
    }
    return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  };
  const paramRows = table(params).map(([key, values]) => ({ key, values, differs: new Set(values).size > 1 }));
  const metricRows = table(metrics).map(([key, values]) => {
    const goal = metricGoal(key);
    // A non-finite value is a diverged or broken run, never the best one (even +Infinity on a `max` metric).
    const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
    const best = present.length === 0 ? null : goal === 'min' ? Math.min(...present) : Math.max(...present);
    return {
      key,
      goal,
      values: values.map((v) => (v === null ? null : metricValueFromNumber(v))),
      best: best === null ? [] : values.flatMap((v, i) => (v === best ? [i] : [])),
    };
  });
  const historyKeys = new Map<string, { step: number; value: MetricValue }[][]>();
  for (const history of histories) {
    const series = historyKeys.get(history.key) ?? items.map(() => []);
    const points = history.points.map((p) => ({ step: p.step, value: metricValueFromNumber(p.value) }));
    for (const i of columnsOf.get(history.runId) ?? []) series[i] = points;
    historyKeys.set(history.key, series);
  }
  return {
    items,
    params: paramRows,
    metrics: metricRows,
    histories: [...historyKeys.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, series]) => ({ key, series })),
    evaluations: evaluations.map((e) => e ?? null),
  };
}

/** Compares up to 50 versions or runs in a fixed number of queries (five), whatever their number. */
@Injectable()
export class CompareService {
  constructor(private readonly db: UnitOfWork) {}

  private get store() {
    return this.db.read.compare;
  }

  async compare(request: CompareRequest): Promise<CompareResult> {
    let versions: (CompareVersionEntity | null)[] = [];
    let runIds: (string | null)[];
    if (request.versions) {
      const found = await this.store.versionsByRef(request.versions);
      versions = request.versions.map((ref) => found.find((v) => v.model === ref.model && v.version === ref.version) ?? null);
      const missing = request.versions.flatMap((ref, i) =>
        versions[i] ? [] : [{ field: `body.versions.${i}`, message: `no version ${ref.version} of "${ref.model}"` }],
      );
      if (missing.length) throw new SlipwayError(ErrorCode.NOT_FOUND, `Not found: ${missing.map((m) => m.message).join('; ')}`.slice(0, 2000), missing);
      runIds = versions.map((v) => v?.runId ?? null);
    } else {
      runIds = request.runIds ?? [];
    }
    const distinctRuns = [...new Set(runIds.filter((id): id is string => id !== null))];
    const [runs, params, metrics, histories] = await Promise.all([
      this.store.runs(distinctRuns),
      this.store.params(distinctRuns),
      this.store.latestMetrics(distinctRuns),
      this.store.histories(distinctRuns, MAX_HISTORY_POINTS),
    ]);
    const runById = new Map<string, CompareRunEntity>(runs.map((r) => [r.id, r]));
    if (request.runIds) {
      const missing = request.runIds.flatMap((id, i) => (runById.has(id) ? [] : [{ field: `body.runIds.${i}`, message: `no run ${id}` }]));
      if (missing.length) throw new SlipwayError(ErrorCode.NOT_FOUND, `Not found: ${missing.map((m) => m.message).join('; ')}`.slice(0, 2000), missing);
    }
    const items: Item[] = runIds.map((runId, i) => {
      const version = versions[i] ?? null;
      const run = runId ? runById.get(runId) : undefined;
      return {
        label: version ? `${version.model}@${version.version}` : (runId ?? ''),
        model: version?.model ?? null,
        version: version?.version ?? null,
        versionId: version?.versionId ?? null,
        status: version?.status ?? null,
        runId: runId ?? null,
        runName: run?.name ?? null,
        experimentId: run?.experimentId ?? null,
        datasetSha256: run?.datasetSha256 ?? null,
        codeVersion: run?.codeVersion ?? null,
      };
    });
    return buildComparison(
      items,
      runIds,
      runIds.map((_, i) => versions[i]?.evaluation ?? null),
      params,
      metrics,
      histories,
    );
  }
}
