import { wireSafeInt, type RunStatusName } from '@slipway/contracts';
import {
  Prisma,
  type LatestMetric as LatestMetricRow,
  type Run as RunRow,
  type RunParam as RunParamRow,
  type RunTag as RunTagRow,
} from '../generated/prisma/client';
import type { DbClient } from '../db-client';
import { tagRows, tagsFromRows } from './tag-rows';
import type { KeyValueEntity, RunDetailEntity, RunEntity, TagsEntity } from './tracking.entities';

export function toRunEntity(row: RunRow): RunEntity {
  return {
    id: row.id,
    experimentId: row.experimentId,
    name: row.name,
    status: row.status,
    seed: row.seed,
    datasetSha256: row.datasetSha256,
    codeVersion: row.codeVersion,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    deletedAt: row.deletedAt,
  };
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function toDetail(row: RunRow & { params: RunParamRow[]; tags: RunTagRow[]; latestMetrics: LatestMetricRow[] }): RunDetailEntity {
  return {
    ...toRunEntity(row),
    params: row.params.map((p) => ({ key: p.key, value: p.value })).sort(byKey),
    tags: tagsFromRows(row.tags),
    metrics: row.latestMetrics.map((m) => ({ key: m.key, value: m.value, step: wireSafeInt(m.step), timestamp: m.timestamp })).sort(byKey),
  };
}

const DETAIL = { params: true, tags: true, latestMetrics: true } as const;

/** A param logged before with a different value (params are immutable once logged). */
export interface ParamConflict {
  index: number;
  key: string;
  existing: string;
}

/** Runs: lifecycle (RUNNING → FINISHED/FAILED/KILLED, soft delete/restore), params and tags. */
export class RunStore {
  constructor(private readonly db: DbClient) {}

  async create(input: {
    experimentId: string;
    name: string;
    seed?: number;
    datasetSha256?: string;
    codeVersion?: string;
    createdBy: string;
    params: KeyValueEntity[];
    tags: TagsEntity;
  }): Promise<RunDetailEntity> {
    const now = new Date();
    const row = await this.db.run.create({
      data: {
        experimentId: input.experimentId,
        name: input.name,
        status: 'RUNNING',
        seed: input.seed ?? null,
        datasetSha256: input.datasetSha256 ?? null,
        codeVersion: input.codeVersion ?? null,
        createdBy: input.createdBy,
        createdAt: now,
        startedAt: now,
        params: { createMany: { data: input.params } },
        tags: { createMany: { data: tagRows(input.tags) } },
      },
      include: DETAIL,
    });
    return toDetail(row);
  }

  async get(id: string): Promise<RunEntity | null> {
    const row = await this.db.run.findUnique({ where: { id } });
    return row ? toRunEntity(row) : null;
  }

  async getDetail(id: string): Promise<RunDetailEntity | null> {
    const row = await this.db.run.findUnique({ where: { id }, include: DETAIL });
    return row ? toDetail(row) : null;
  }

  /** The runs with these ids, in the order given (missing ids are skipped). */
  async getDetails(ids: string[]): Promise<RunDetailEntity[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.run.findMany({ where: { id: { in: ids } }, include: DETAIL });
    const byId = new Map(rows.map((r) => [r.id, toDetail(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * Reads the run and locks its row until the transaction ends: `share` for writers of params/metrics/tags/artifacts (many may
   * log at once), `update` for lifecycle changes, so a run cannot end while a batch is half-written to it.
   */
  async lock(id: string, mode: 'share' | 'update'): Promise<RunEntity | null> {
    const lock = mode === 'share' ? Prisma.sql`FOR SHARE` : Prisma.sql`FOR UPDATE`;
    // One round trip: lock and read the row together (log-batch takes this lock on every call).
    const found = await this.db.$queryRaw<RunRow[]>(Prisma.sql`
      SELECT id, experiment_id AS "experimentId", name, status::text AS status, seed, dataset_id AS "datasetId",
             dataset_sha256 AS "datasetSha256", code_version AS "codeVersion", tf_backend AS "tfBackend",
             worker_id AS "workerId", created_by AS "createdBy", created_at AS "createdAt", started_at AS "startedAt",
             ended_at AS "endedAt", deleted_at AS "deletedAt"
      FROM runs WHERE id = ${id}::uuid ${lock}`);
    if (found.length === 0) return null;
    const row = found[0];
    const asDate = (value: Date | string | null) => (value === null ? null : new Date(value));
    return toRunEntity({
      ...row,
      createdAt: asDate(row.createdAt) as Date,
      startedAt: asDate(row.startedAt),
      endedAt: asDate(row.endedAt),
      deletedAt: asDate(row.deletedAt),
    });
  }

  /**
   * Logs params; one already logged with the same value is fine, with a different value it is a conflict.
   * Insert-then-compare (not compare-then-insert) so two concurrent batches cannot both "win" a key.
   */
  async logParams(runId: string, params: KeyValueEntity[]): Promise<ParamConflict[]> {
    if (params.length === 0) return [];
    await this.db.$executeRaw(Prisma.sql`
      INSERT INTO run_params (run_id, key, value)
      SELECT ${runId}::uuid, k, v FROM unnest(${params.map((p) => p.key)}::text[], ${params.map((p) => p.value)}::text[]) AS u(k, v)
      ORDER BY k
      ON CONFLICT (run_id, key) DO NOTHING`);
    const stored = await this.db.runParam.findMany({ where: { runId, key: { in: params.map((p) => p.key) } } });
    const storedValue = new Map(stored.map((p) => [p.key, p.value]));
    return params.flatMap((p, index) => {
      const existing = storedValue.get(p.key);
      return existing !== undefined && existing !== p.value ? [{ index, key: p.key, existing }] : [];
    });
  }

  /** Tags are mutable: each key given is set, its new value replacing the old; keys not given are left as they are. */
  async setTags(runId: string, tags: TagsEntity): Promise<void> {
    const entries = Object.entries(tags);
    if (entries.length === 0) return;
    await this.db.$executeRaw(Prisma.sql`
      INSERT INTO run_tags (run_id, key, value)
      SELECT ${runId}::uuid, k, v FROM unnest(${entries.map(([key]) => key)}::text[], ${entries.map(([, value]) => value)}::text[]) AS u(k, v)
      ORDER BY k
      ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value`);
  }

  async end(id: string, status: RunStatusName, endedAt: Date): Promise<RunEntity> {
    return toRunEntity(await this.db.run.update({ where: { id }, data: { status, endedAt } }));
  }

  async setDeleted(id: string, deletedAt: Date | null): Promise<RunEntity> {
    return toRunEntity(await this.db.run.update({ where: { id }, data: { deletedAt } }));
  }
}
