import type { DbClient } from '../db-client';
import type { AliasEntity } from './registry.entity';

type AliasRow = { modelId: string; name: string; versionId: string; updatedAt: Date; version: { version: number } };

const toAlias = (row: AliasRow): AliasEntity => ({
  modelId: row.modelId,
  alias: row.name,
  versionId: row.versionId,
  version: row.version.version,
  updatedAt: row.updatedAt,
});

/** Named pointers (`champion`, `staging`) from a model to one of its versions. Moves run under the model's lock. */
export class ModelAliasStore {
  constructor(private readonly db: DbClient) {}

  async get(modelId: string, alias: string): Promise<AliasEntity | null> {
    const row = await this.db.modelAlias.findUnique({ where: { modelId_name: { modelId, name: alias } }, include: { version: { select: { version: true } } } });
    return row ? toAlias(row) : null;
  }

  async set(modelId: string, alias: string, versionId: string): Promise<AliasEntity> {
    const row = await this.db.modelAlias.upsert({
      where: { modelId_name: { modelId, name: alias } },
      create: { modelId, name: alias, versionId },
      update: { versionId },
      include: { version: { select: { version: true } } },
    });
    return toAlias(row);
  }

  async delete(modelId: string, alias: string): Promise<void> {
    await this.db.modelAlias.deleteMany({ where: { modelId, name: alias } });
  }
}
