import { cursorCodec, int64Text, type AuditQuery } from '@slipway/contracts';
import { z } from 'zod';
import type { AuditLogEntry as AuditRow, Prisma } from '../generated/prisma/client';
import type { DbClient } from '../db-client';

/** Who did something: a token, or the platform itself (`system`, `worker:<id>`). */
export interface Actor {
  tokenId: string | null;
  name: string;
}

/** One audit entry as the change recorder writes it. */
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

/** Keyset: the last entry's id (a bigint, as a decimal string). */
const auditCursor = cursorCodec('audit', z.object({ id: int64Text() }).strict());

export class AuditLogStore {
  constructor(private readonly db: DbClient) {}

  /** Only the change recorder writes entries, in the transaction of the change, so both commit or neither does. */
  async append(entry: AuditRecord): Promise<void> {
    await this.db.auditLogEntry.create({
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
      id: query.cursor ? { lt: BigInt(auditCursor.decode(query.cursor).id) } : undefined,
    };
    const rows = await this.db.auditLogEntry.findMany({ where, orderBy: { id: 'desc' }, take: query.limit + 1 });
    const page = rows.slice(0, query.limit).map(toEntity);
    return { entries: page, nextCursor: rows.length > query.limit ? auditCursor.encode({ id: page[page.length - 1].id.toString() }) : null };
  }
}
