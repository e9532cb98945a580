import type { IdempotencyKey } from '../generated/prisma/client';
import type { DbClient } from '../db-client';
import { dbFailureOf } from '../unit-of-work/db-errors';
import type { IdempotencyClaimResult, IdempotencyRecord, IdempotencyScope } from './idempotency.entity';

function toRecord(row: IdempotencyKey): IdempotencyRecord {
  return {
    id: row.id,
    scope: { principal: row.principal, method: row.method, route: row.route, key: row.key },
    fingerprint: row.fingerprint,
    committedAt: row.committedAt,
    response: row.responseStatus !== null && row.responseBody !== null ? { status: row.responseStatus, body: row.responseBody } : null,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}

/** Expired keys removed per claim: enough to keep the table at its steady size without a sweeper, never a long delete. */
const PURGE_BATCH = 100;

/**
 * Idempotency-Key bookkeeping. `claim`, `release` and `find` run on the pool, outside any unit of work: the
 * claim is the lock that keeps two requests with one key from both running, so it must be visible to the
 * other request before the work starts. `markCommitted` and `storeResponse` run in the work's transaction.
 */
export class IdempotencyStore {
  constructor(private readonly db: DbClient) {}

  async find(scope: IdempotencyScope): Promise<IdempotencyRecord | null> {
    const row = await this.db.idempotencyKey.findUnique({ where: { principal_method_route_key: scope } });
    return row ? toRecord(row) : null;
  }

  /**
   * Takes the key for this request, or reports the request that holds it. The unique index decides between
   * two requests racing for one key: exactly one insert wins. A record past `expiresAt`, or one still in
   * flight after `staleAfter` with nothing committed (its request died), is replaced.
   */
  async claim(scope: IdempotencyScope, fingerprint: string, expiresAt: Date, staleBefore: Date): Promise<IdempotencyClaimResult> {
    await this.purgeExpired();
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const row = await this.db.idempotencyKey.create({ data: { ...scope, fingerprint, expiresAt } });
        return { claimed: true, record: toRecord(row) };
      } catch (error) {
        if (dbFailureOf(error) !== 'unique_violation') throw error;
      }
      const existing = await this.find(scope);
      if (!existing) continue;
      const expired = existing.expiresAt.getTime() <= Date.now();
      const abandoned = existing.committedAt === null && existing.response === null && existing.createdAt < staleBefore;
      if (!expired && !abandoned) return { claimed: false, record: existing };
      // Only the row we looked at: a concurrent claimer may have replaced it already.
      await this.db.idempotencyKey.deleteMany({ where: { id: existing.id, createdAt: existing.createdAt } });
    }
    const holder = await this.find(scope);
    if (holder) return { claimed: false, record: holder };
    throw new Error(`Idempotency key ${scope.key} could not be claimed`);
  }

  /**
   * Gives the key up so a retry runs afresh: when its request failed before changing anything, or
   * `whatever` (a 5xx: the retry should do the work again, not be told the outage). False when a change under
   * it committed and `whatever` was not given.
   */
  async release(id: string, whatever = false): Promise<boolean> {
    const { count } = await this.db.idempotencyKey.deleteMany({ where: whatever ? { id } : { id, committedAt: null } });
    return count > 0;
  }

  /** In the work's transaction: the key and the change commit together. */
  async markCommitted(id: string): Promise<void> {
    await this.db.idempotencyKey.updateMany({ where: { id, committedAt: null }, data: { committedAt: new Date() } });
  }

  async storeResponse(id: string, status: number, body: string): Promise<void> {
    await this.db.idempotencyKey.update({ where: { id }, data: { responseStatus: status, responseBody: body, committedAt: new Date() } });
  }

  private async purgeExpired(): Promise<void> {
    await this.db.$executeRaw`DELETE FROM idempotency_keys WHERE id IN (SELECT id FROM idempotency_keys WHERE expires_at <= now() LIMIT ${PURGE_BATCH})`;
  }
}
