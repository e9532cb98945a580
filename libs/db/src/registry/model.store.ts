import { cursorCodec, ErrorCode, SlipwayError, text, type ModelQuery } from '@slipway/contracts';
import { z } from 'zod';
import { queryAll, type DbClient } from '../db-client';
import { dbFailureOf } from '../unit-of-work/db-errors';
import type { ModelEntity, ModelSummaryEntity } from './registry.entity';
import { MODEL_INCLUDE, toModel, toStatusName } from './registry.rows';

/** Keyset: the last name of the page. */
// Decoded payloads reach SQL parameters: the same text rules as a request field, so a forged cursor is a 400.
const modelCursor = cursorCodec('models', z.object({ name: text({ max: 1024 }) }).strict());

/**
 * Registered models and their tags. Changes to one model (its versions, aliases, deletion) are serialised
 * by locking its row first (`lock`), which keeps version numbers dense and alias moves ordered without deadlocks.
 */
export class ModelStore {
  constructor(private readonly db: DbClient) {}

  async create(input: { name: string; description: string; tags: Record<string, string> }): Promise<ModelEntity> {
    try {
      const row = await this.db.model.create({
        data: { name: input.name, description: input.description, tags: { create: Object.entries(input.tags).map(([key, value]) => ({ key, value })) } },
        include: MODEL_INCLUDE,
      });
      return toModel(row);
    } catch (error) {
      if (dbFailureOf(error) === 'unique_violation')
        throw new SlipwayError(ErrorCode.ALREADY_EXISTS, `Model "${input.name}" already exists`, [{ field: 'name', message: 'already exists' }]);
      throw error;
    }
  }

  async get(name: string): Promise<ModelEntity | null> {
    const row = await this.db.model.findUnique({ where: { name }, include: MODEL_INCLUDE });
    return row ? toModel(row) : null;
  }

  /** Locks the model's row until the transaction ends; null when there is no such model. */
  async lock(name: string): Promise<ModelEntity | null> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`SELECT id FROM models WHERE name = ${name} FOR UPDATE`;
    if (locked.length === 0) return null;
    const row = await this.db.model.findUniqueOrThrow({ where: { id: locked[0].id }, include: MODEL_INCLUDE });
    return toModel(row);
  }

  async update(id: string, input: { description?: string; tags?: Record<string, string> }): Promise<ModelEntity> {
    if (input.tags) {
      await this.db.modelTag.deleteMany({ where: { modelId: id } });
      await this.db.modelTag.createMany({ data: Object.entries(input.tags).map(([key, value]) => ({ modelId: id, key, value })) });
    }
    // Always touch the row so updatedAt moves with tag-only changes too.
    const row = await this.db.model.update({ where: { id }, data: { description: input.description, updatedAt: new Date() }, include: MODEL_INCLUDE });
    return toModel(row);
  }

  async delete(id: string): Promise<void> {
    try {
      await this.db.model.delete({ where: { id } });
    } catch (error) {
      if (dbFailureOf(error) === 'foreign_key_violation') throw new SlipwayError(ErrorCode.CONFLICT, 'The model is still referenced by a deployment');
      if (dbFailureOf(error) === 'record_not_found') throw new SlipwayError(ErrorCode.NOT_FOUND, 'No such model');
      throw error;
    }
  }

  /** Each model with its version count, latest version, latest READY version and aliases. */
  async summarize(models: ModelEntity[]): Promise<ModelSummaryEntity[]> {
    if (models.length === 0) return [];
    const db = this.db;
    const ids = models.map((m) => m.id);
    const [stats, aliases] = await queryAll(db, [
      () => db.$queryRaw<{ model_id: string; version_count: bigint; latest: number | null; latest_ready: number | null }[]>`
        SELECT model_id, count(*) AS version_count, max(version) AS latest, max(version) FILTER (WHERE status = 'READY') AS latest_ready
        FROM model_versions WHERE model_id = ANY(${ids}::uuid[]) AND deleted_at IS NULL GROUP BY model_id`,
      () =>
        db.modelAlias.findMany({
          where: { modelId: { in: ids } },
          select: { modelId: true, name: true, version: { select: { version: true } } },
          orderBy: { name: 'asc' },
        }),
    ] as const);
    const latestKeys = stats.filter((s) => s.latest !== null).map((s) => ({ modelId: s.model_id, version: s.latest as number }));
    const latestRows = latestKeys.length
      ? await db.modelVersion.findMany({ where: { OR: latestKeys }, select: { modelId: true, version: true, status: true, createdAt: true } })
      : [];
    return models.map((m) => {
      const stat = stats.find((s) => s.model_id === m.id);
      const latest = latestRows.find((r) => r.modelId === m.id);
      return {
        ...m,
        versionCount: stat ? Number(stat.version_count) : 0,
        latestVersion: latest ? { version: latest.version, status: toStatusName(latest.status), createdAt: latest.createdAt } : null,
        latestReadyVersion: stat?.latest_ready ?? null,
        aliases: aliases.filter((a) => a.modelId === m.id).map((a) => ({ alias: a.name, version: a.version.version })),
      };
    });
  }

  async list(query: ModelQuery): Promise<{ models: ModelEntity[]; nextCursor: string | null }> {
    const [tagKey, ...rest] = query.tag?.split('=') ?? [];
    const tagValue = rest.length ? rest.join('=') : undefined;
    const after = query.cursor === undefined ? undefined : modelCursor.decode(query.cursor).name;
    const rows = await this.db.model.findMany({
      where: {
        // Separate conditions: `mode: insensitive` would lower-case the cursor comparison too, out of step with the order.
        AND: [{ name: { contains: query.search, mode: 'insensitive' } }, { name: { gt: after } }],
        tags: tagKey ? { some: { key: tagKey, value: tagValue } } : undefined,
      },
      include: MODEL_INCLUDE,
      orderBy: { name: 'asc' },
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit).map(toModel);
    return { models: page, nextCursor: rows.length > query.limit ? modelCursor.encode({ name: page[page.length - 1].name }) : null };
  }
}
