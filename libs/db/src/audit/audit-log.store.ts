import type { AuditQuery } from '@slipway/contracts';
import type { AuditLogEntry as AuditRow, Prisma } from '../generated/prisma/client';
import type { DbClient } from '../db-client';

/** Who did something: a token, or the platform itself (`system`, `worker:<id>`). */
export interface Actor {
  tokenId: string | null;
  name: string;
}

export interface AuditRecord {
  actor: Actor;
  /** e.g. `model.create`, `alias.move`, `token.revoke`. */
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
}

export interface AuditEntryEntity {
  id: bigint;
  actor: string;
  actorTokenId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  createdAt: Date;
}

function toEntity(row: AuditRow): AuditEntryEntity {
  return {
    id: row.id,
    actor: row.actor,
    actorTokenId: row.actorTokenId,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before,
    after: row.after,
    requestId: row.requestId,
    createdAt: row.createdAt,
  };
}

/** JSON-safe copy: BigInt and Date values in entities become strings. */
function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v))) as Prisma.InputJsonValue;
}

export class AuditLogStore {
  constructor(private readonly db: DbClient) {}

  /** Call with the transaction that makes the change, so the change and its entry commit (or not) together. */
  async record(entry: AuditRecord, db: DbClient = this.db): Promise<void> {
    await db.auditLogEntry.create({
      data: {
        actorTokenId: entry.actor.tokenId,
        actor: entry.actor.name,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        before: toJson(entry.before),
        after: toJson(entry.after),
        requestId: entry.requestId ?? null,
      },
    });
  }

  /** Newest first, keyset-paginated on the id. */
  async list(query: AuditQuery): Promise<{ entries: AuditEntryEntity[]; nextCursor: string | null }> {
    const where: Prisma.AuditLogEntryWhereInput = {
      entityType: query.entityType,
      entityId: query.entityId,
      action: query.action,
      actor: query.actor,
      createdAt:
        query.since || query.until ? { gte: query.since ? new Date(query.since) : undefined, lt: query.until ? new Date(query.until) : undefined } : undefined,
      id: query.cursor ? { lt: BigInt(query.cursor) } : undefined,
    };
    const rows = await this.db.auditLogEntry.findMany({ where, orderBy: { id: 'desc' }, take: query.limit + 1 });
    const page = rows.slice(0, query.limit).map(toEntity);
    return { entries: page, nextCursor: rows.length > query.limit ? page[page.length - 1].id.toString() : null };
  }
}
