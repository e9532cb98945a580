import { cursorCodec, int64Text, wireSafeInt } from '@slipway/contracts';
import { z } from 'zod';
import { Prisma } from '../generated/prisma/client';
import type { DbClient } from '../db-client';
import { float8Array } from '../float8';
import type { MetricPointEntity } from './tracking.entities';

// int8 range, not just 19 digits: 9999999999999999999 would fail in Postgres as a 500.
const BIGINT_TEXT = int64Text();
/** Keyset: the last point's (step, id), as decimal strings (both are bigints). */
const historyCursor = cursorCodec('metric-history', z.object({ step: BIGINT_TEXT, id: BIGINT_TEXT }).strict());

export interface MetricPointInput {
  key: string;
  value: number;
  step: number;
  /** Epoch milliseconds. */
  timestamp: number;
}

/** Metric points: append-only history plus `latest_metrics`, the per-key latest value search works on. */
export class MetricStore {
  constructor(private readonly db: DbClient) {}

  /**
   * Appends the points and moves each key's latest value forward, in one statement (so in `tx` with the
   * rest of the batch). Latest = highest step, then newest timestamp, then highest value; the conditional
   * upsert keeps that true whatever order concurrent batches commit in. Rows are upserted in key order so
   * two batches touching the same keys lock them in the same order and cannot deadlock.
   */
  async append(runId: string, points: MetricPointInput[]): Promise<number> {
    if (points.length === 0) return 0;
    await this.db.$executeRaw(Prisma.sql`
      WITH points AS (
        SELECT k, v, s, to_timestamp(t / 1000.0) AS ts
        FROM unnest(${points.map((p) => p.key)}::text[], ${float8Array(points.map((p) => p.value))}, ${points.map((p) => p.step)}::bigint[], ${float8Array(points.map((p) => p.timestamp))}) AS u(k, v, s, t)
      ),
      history AS (
        INSERT INTO metrics (run_id, key, value, step, "timestamp")
        SELECT ${runId}::uuid, k, v, s, ts FROM points
      )
      INSERT INTO latest_metrics (run_id, key, value, step, "timestamp")
      SELECT * FROM (
        SELECT DISTINCT ON (k) ${runId}::uuid, k, v, s, ts FROM points ORDER BY k, s DESC, ts DESC, v DESC
      ) AS newest
      ORDER BY 2
      ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value, step = EXCLUDED.step, "timestamp" = EXCLUDED."timestamp"
      WHERE (EXCLUDED.step, EXCLUDED."timestamp", EXCLUDED.value) > (latest_metrics.step, latest_metrics."timestamp", latest_metrics.value)`);
    return points.length;
  }

  /** One key's points in step order (then logging order), keyset-paginated. */
  async history(runId: string, key: string, page: { limit: number; cursor?: string }): Promise<{ points: MetricPointEntity[]; nextCursor: string | null }> {
    const decoded = page.cursor === undefined ? null : historyCursor.decode(page.cursor);
    const after = decoded ? { step: BigInt(decoded.step), id: BigInt(decoded.id) } : null;
    const rows = await this.db.$queryRaw<{ id: bigint; value: number; step: bigint; timestamp: Date }[]>(Prisma.sql`
      SELECT id, value, step, "timestamp" FROM metrics
      WHERE run_id = ${runId}::uuid AND key = ${key} ${after ? Prisma.sql`AND (step, id) > (${after.step}, ${after.id})` : Prisma.empty}
      ORDER BY step, id
      LIMIT ${page.limit + 1}`);
    const points = rows.slice(0, page.limit).map((r) => ({ value: r.value, step: wireSafeInt(r.step), timestamp: r.timestamp }));
    const last = rows.length > page.limit ? rows[page.limit - 1] : null;
    return { points, nextCursor: last ? historyCursor.encode({ step: last.step.toString(), id: last.id.toString() }) : null };
  }
}
