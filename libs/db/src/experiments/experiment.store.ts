import { cursorCodec, ErrorCode, SlipwayError, text } from '@slipway/contracts';
import { z } from 'zod';
import { Prisma, type Experiment as ExperimentRow, type ExperimentTag as ExperimentTagRow } from '../generated/prisma/client';
import type { DbClient } from '../db-client';
import { dbFailureOf } from '../unit-of-work/db-errors';
import { tagRows, tagsFromRows } from './tag-rows';
import type { ExperimentEntity, TagsEntity } from './tracking.entities';

function toEntity(row: ExperimentRow & { tags: ExperimentTagRow[] }): ExperimentEntity {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    tags: tagsFromRows(row.tags),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Keyset: the last name of the page. */
// Decoded payloads reach SQL parameters: the same text rules as a request field, so a forged cursor is a 400.
const experimentCursor = cursorCodec('experiments', z.object({ name: text({ max: 1024 }) }).strict());

const alreadyExists = (name: string) =>
  new SlipwayError(ErrorCode.ALREADY_EXISTS, `An experiment named "${name.slice(0, 256)}" already exists`, [{ field: 'name', message: 'already taken' }]);

/** Experiments: unique by name, with replaceable tags. */
export class ExperimentStore {
  constructor(private readonly db: DbClient) {}

  async create(input: { name: string; description: string; tags: TagsEntity }): Promise<ExperimentEntity> {
    try {
      const row = await this.db.experiment.create({
        data: { name: input.name, description: input.description, tags: { createMany: { data: tagRows(input.tags) } } },
        include: { tags: true },
      });
      return toEntity(row);
    } catch (error) {
      if (dbFailureOf(error) === 'unique_violation') throw alreadyExists(input.name);
      throw error;
    }
  }

  /** The experiment named `name`, created (without a unique violation that would abort the transaction) when missing. */
  async getOrCreateByName(name: string): Promise<{ entity: ExperimentEntity; created: boolean }> {
    const inserted = await this.db.$queryRaw<{ id: string }[]>(Prisma.sql`
      INSERT INTO experiments (id, name, description, created_at, updated_at)
      VALUES (gen_random_uuid(), ${name}, '', now(), now())
      ON CONFLICT (name) DO NOTHING
      RETURNING id`);
    const row = await this.db.experiment.findUniqueOrThrow({ where: { name }, include: { tags: true } });
    return { entity: toEntity(row), created: inserted.length > 0 };
  }

  async get(id: string): Promise<ExperimentEntity | null> {
    const row = await this.db.experiment.findUnique({ where: { id }, include: { tags: true } });
    return row ? toEntity(row) : null;
  }

  /** By name, keyset-paginated on the (unique) name. */
  async list(query: { nameContains?: string; limit: number; cursor?: string }): Promise<{ experiments: ExperimentEntity[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : experimentCursor.decode(query.cursor).name;
    const rows = await this.db.experiment.findMany({
      where: {
        name: { ...(query.nameContains ? { contains: query.nameContains, mode: 'insensitive' as const } : {}), ...(after !== undefined ? { gt: after } : {}) },
      },
      orderBy: { name: 'asc' },
      take: query.limit + 1,
      include: { tags: true },
    });
    const page = rows.slice(0, query.limit).map(toEntity);
    return { experiments: page, nextCursor: rows.length > query.limit ? experimentCursor.encode({ name: page[page.length - 1].name }) : null };
  }

  /** null when there is no such experiment. `tags`, when given, replace the existing ones. */
  async update(id: string, change: { name?: string; description?: string; tags?: TagsEntity }): Promise<ExperimentEntity | null> {
    try {
      const { count } = await this.db.experiment.updateMany({
        where: { id },
        data: { name: change.name, description: change.description, updatedAt: new Date() },
      });
      if (count === 0) return null;
    } catch (error) {
      if (dbFailureOf(error) === 'unique_violation') throw alreadyExists(change.name ?? '');
      throw error;
    }
    if (change.tags) {
      await this.db.experimentTag.deleteMany({ where: { experimentId: id } });
      await this.db.experimentTag.createMany({ data: tagRows(change.tags).map((tag) => ({ experimentId: id, ...tag })) });
    }
    return this.get(id);
  }
}
