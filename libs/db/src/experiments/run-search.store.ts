import { createHash } from 'node:crypto';
import {
  cursorCodec,
  InvalidCursorError,
  metricValueFromNumber,
  metricValueSchema,
  metricValueToNumber,
  text,
  type RunFilterNode,
  type RunOrderBy,
} from '@slipway/contracts';
import { z } from 'zod';
import { Prisma } from '../generated/prisma/client';
import type { DbClient } from '../db-client';
import { compileRunFilter, compileRunOrderBy } from './run-filter.sql';
import { RunStore } from './run.store';
import type { RunDetailEntity } from './tracking.entities';

export interface RunSearchQuery {
  filter: RunFilterNode | null;
  orderBy: RunOrderBy;
  experimentIds?: string[];
  lifecycle: 'active' | 'deleted' | 'all';
  limit: number;
  cursor?: string;
  /** The filter and order as the client wrote them: a cursor is only valid for the query it came from. */
  queryText: string;
}

/** Keyset: the last row's sort value (a metric's in its wire form, so NaN/±Infinity survive JSON) and id, and the query's fingerprint. */
const searchCursor = cursorCodec(
  'run-search',
  // The value is bound into SQL: storable text only, so a forged cursor is a 400, not a driver error.
  z.object({ query: z.string().max(128), value: z.union([z.number(), text({ max: 10_000 }), z.null()]), id: z.string().uuid() }).strict(),
);

/**
 * Run search: filter, sort by one field (runs missing it last), keyset pagination on (sort value, run id).
 * The cursor carries the last row's sort value and id plus a fingerprint of the query it belongs to.
 */
export class RunSearchStore {
  private readonly runs: RunStore;

  constructor(private readonly db: DbClient) {
    this.runs = new RunStore(db);
  }

  async search(query: RunSearchQuery): Promise<{ runs: RunDetailEntity[]; nextCursor: string | null }> {
    const order = compileRunOrderBy(query.orderBy);
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([query.queryText, [...(query.experimentIds ?? [])].sort(), query.lifecycle]))
      .digest('base64url')
      .slice(0, 12);
    const after = query.cursor === undefined ? null : this.readCursor(query.cursor, fingerprint, order.valueType);

    const conditions: Prisma.Sql[] = [];
    if (query.lifecycle === 'active') conditions.push(Prisma.sql`r.deleted_at IS NULL`);
    if (query.lifecycle === 'deleted') conditions.push(Prisma.sql`r.deleted_at IS NOT NULL`);
    if (query.experimentIds) {
      conditions.push(
        query.experimentIds.length === 0
          ? Prisma.sql`false`
          : Prisma.sql`r.experiment_id IN (${Prisma.join(query.experimentIds.map((id) => Prisma.sql`${id}::uuid`))})`,
      );
    }
    if (query.filter) conditions.push(compileRunFilter(query.filter));
    const direction = Prisma.raw(order.direction);
    const beyond = order.direction === 'DESC' ? Prisma.raw('<') : Prisma.raw('>');
    const select = (extra: Prisma.Sql[], sortValue: Prisma.Sql, join: Prisma.Sql, orderSql: Prisma.Sql, limit: number) => {
      const all = [...conditions, ...extra];
      const where = all.length > 0 ? Prisma.sql`WHERE ${Prisma.join(all, ' AND ')}` : Prisma.empty;
      return this.db.$queryRaw<{ id: string; sort_value: number | string | Date | null }[]>(
        Prisma.sql`SELECT r.id, ${sortValue} AS sort_value FROM runs r ${join} ${where} ORDER BY ${orderSql} LIMIT ${limit}`,
      );
    };
    const afterKey = (v: number | string, id: string) => Prisma.sql`(${order.expression}, r.id) ${beyond} (${order.bind(v)}, ${id}::uuid)`;
    let rows: { id: string; sort_value: number | string | Date | null }[];
    if (order.kind === 'keyed') {
      // Passes instead of one LEFT JOIN … NULLS LAST: runs that have a value, in an order the (key, value)
      // index can produce and stop early on; then (metrics) the NaN values by id; then, only while the page is
      // not full, the runs without the key, by id. A cursor resumes in the pass its value belongs to.
      const pass = !after ? 0 : after.value === null ? 2 : order.nan && typeof after.value === 'number' && Number.isNaN(after.value) ? 1 : 0;
      const idBeyond = (id: string) => Prisma.sql`r.id ${beyond} ${id}::uuid`;
      rows = [];
      if (pass === 0) {
        const keyset = after && after.value !== null ? [afterKey(after.value, after.id)] : [];
        if (order.nan) keyset.push(Prisma.sql`NOT (${order.nan})`);
        rows = await select(keyset, order.expression, order.join, Prisma.sql`${order.expression} ${direction}, r.id ${direction}`, query.limit + 1);
      }
      if (order.nan && pass <= 1 && rows.length <= query.limit) {
        const keyset = after && pass === 1 ? [order.nan, idBeyond(after.id)] : [order.nan];
        rows = rows.concat(await select(keyset, order.expression, order.join, Prisma.sql`r.id ${direction}`, query.limit + 1 - rows.length));
      }
      if (rows.length <= query.limit) {
        const keyset = after && pass === 2 ? [order.missing, idBeyond(after.id)] : [order.missing];
        rows = rows.concat(await select(keyset, Prisma.sql`NULL`, Prisma.empty, Prisma.sql`r.id ${direction}`, query.limit + 1 - rows.length));
      }
    } else if (!order.nullable) {
      // No NULLS clause: the order then matches a plain index on the column.
      const keyset = after && after.value !== null ? [afterKey(after.value, after.id)] : [];
      rows = await select(keyset, order.expression, Prisma.empty, Prisma.sql`${order.expression} ${direction}, r.id ${direction}`, query.limit + 1);
    } else {
      const keyset: Prisma.Sql[] = [];
      if (after) {
        const idBeyond = Prisma.sql`r.id ${beyond} ${after.id}::uuid`;
        keyset.push(
          after.value === null
            ? Prisma.sql`(${order.expression} IS NULL AND ${idBeyond})`
            : Prisma.sql`(${order.expression} ${beyond} ${order.bind(after.value)} OR (${order.expression} = ${order.bind(after.value)} AND ${idBeyond}) OR ${order.expression} IS NULL)`,
        );
      }
      rows = await select(keyset, order.expression, Prisma.empty, Prisma.sql`${order.expression} ${direction} NULLS LAST, r.id ${direction}`, query.limit + 1);
    }
    const page = rows.slice(0, query.limit);
    const runs = await this.runs.getDetails(page.map((r) => r.id));
    let nextCursor: string | null = null;
    if (rows.length > query.limit) {
      const last = page[page.length - 1];
      const v = last.sort_value;
      const value = v instanceof Date ? v.toISOString() : typeof v === 'number' ? metricValueFromNumber(v) : v;
      nextCursor = searchCursor.encode({ query: fingerprint, value, id: last.id });
    }
    return { runs, nextCursor };
  }

  private readCursor(cursor: string, fingerprint: string, valueType: 'number' | 'string' | 'time'): { value: number | string | null; id: string } {
    const decoded = searchCursor.decode(cursor);
    if (decoded.query !== fingerprint) throw new InvalidCursorError('this cursor belongs to a search with a different filter, order, experiments or lifecycle');
    const v = decoded.value;
    if (valueType === 'number' && v !== null) {
      const parsed = metricValueSchema.safeParse(v);
      if (!parsed.success) throw new InvalidCursorError('not a cursor from this API');
      return { value: metricValueToNumber(parsed.data), id: decoded.id };
    }
    const ok =
      v === null ||
      (valueType === 'string' && typeof v === 'string') ||
      (valueType === 'time' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) && Number.isFinite(Date.parse(v)));
    if (!ok) throw new InvalidCursorError('not a cursor from this API');
    return { value: v, id: decoded.id };
  }
}
