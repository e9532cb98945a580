import { createHash, randomBytes } from 'node:crypto';
import { TOKEN_PREFIX, type Role } from '@slipway/contracts';
import type { ApiToken as ApiTokenRow, ApiTokenRole } from '../generated/prisma/client';
import type { DbClient } from '../db-client';

export interface ApiTokenEntity {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

const toRole = (role: ApiTokenRole): Role => role.toLowerCase() as Role;
const fromRole = (role: Role): ApiTokenRole => role.toUpperCase() as ApiTokenRole;

function toEntity(row: ApiTokenRow): ApiTokenEntity {
  return {
    id: row.id,
    name: row.name,
    role: toRole(row.role),
    prefix: row.prefix,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
}

/** Tokens carry 256 bits of their own entropy, so a plain sha256 is the right thing to store (no salt, no KDF). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function generateToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** How often last_used_at is written for a busy token: not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class ApiTokenStore {
  constructor(private readonly db: DbClient) {}

  /** Stores the hash of `token` (generated when omitted) and returns the entity with the token, which is never stored. */
  async create(input: {
    name: string;
    role: Role;
    createdBy: string | null;
    expiresAt?: Date | null;
    token?: string;
  }): Promise<{ entity: ApiTokenEntity; token: string }> {
    const token = input.token ?? generateToken();
    const row = await this.db.apiToken.create({
      data: {
        name: input.name,
        role: fromRole(input.role),
        tokenHash: hashToken(token),
        prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        createdBy: input.createdBy,
        expiresAt: input.expiresAt ?? null,
      },
    });
    return { entity: toEntity(row), token };
  }

  /** The live token matching `token`: not revoked, not expired. */
  async authenticate(token: string, now = new Date()): Promise<ApiTokenEntity | null> {
    const row = await this.db.apiToken.findUnique({ where: { tokenHash: hashToken(token) } });
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    }
    return toEntity(row);
  }

  async findByHash(tokenHash: string): Promise<ApiTokenEntity | null> {
    const row = await this.db.apiToken.findUnique({ where: { tokenHash } });
    return row ? toEntity(row) : null;
  }

  async get(id: string): Promise<ApiTokenEntity | null> {
    const row = await this.db.apiToken.findUnique({ where: { id } });
    return row ? toEntity(row) : null;
  }

  async list(): Promise<ApiTokenEntity[]> {
    return (await this.db.apiToken.findMany({ orderBy: { createdAt: 'asc' } })).map(toEntity);
  }

  async revoke(id: string): Promise<ApiTokenEntity | null> {
    const { count } = await this.db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) return null;
    return this.get(id);
  }

  async countActiveAdmins(): Promise<number> {
    return this.db.apiToken.count({ where: { role: 'ADMIN', revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] } });
  }
}
