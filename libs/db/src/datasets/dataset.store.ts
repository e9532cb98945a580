import { ErrorCode, readJsonColumnOrNull, SlipwayError, wireSafeInt, type DatasetColumns, type DatasetProfile, type DatasetQuery } from '@slipway/contracts';
import { Prisma, type Dataset as DatasetRow } from '../generated/prisma/client';
import type { DbClient } from '../db-client';
import { newestFirstPaging } from '../newest-first';
import { jsonbText } from '../jsonb';
import { dbFailureOf } from '../unit-of-work/db-errors';
import type { DatasetEntity, DatasetReferences } from './dataset.entity';

/** Keyset: newest first, ties by id. */
const paging = newestFirstPaging('datasets');

function toEntity(row: DatasetRow): DatasetEntity {
  return {
    id: row.id,
    name: row.name,
    sha256: row.sha256,
    rows: row.rows,
    // Defensive reads (docs/CONVENTIONS.md): a row written before its contract tightened degrades to no columns or
    // no profile, rather than failing every list that holds it.
    columns: readJsonColumnOrNull('datasets.columns', row.columns) ?? [],
    targetColumn: row.targetColumn,
    storageUri: row.storageUri,
    sizeBytes: wireSafeInt(row.sizeBytes),
    profile: readJsonColumnOrNull('datasets.profile', row.profile),
    createdAt: row.createdAt,
  };
}

export interface NewDataset {
  id: string;
  name: string;
  sha256: string;
  rows: number;
  columns: DatasetColumns;
  targetColumn: string | null;
  storageUri: string;
  sizeBytes: number;
  profile: DatasetProfile;
}

/** Datasets: one row per distinct file (sha256 is unique); columns and profile are JSON written as jsonb text. */
export class DatasetStore {
  constructor(private readonly db: DbClient) {}

  /** Inserts the dataset; null when a dataset with the same sha256 already exists (a concurrent upload of the same bytes won). */
  async create(input: NewDataset): Promise<DatasetEntity | null> {
    try {
      // Raw insert: the JSON columns go in as text cast by Postgres (Prisma would re-round their numbers).
      const inserted = await this.db.$queryRaw<{ id: string }[]>`
        INSERT INTO datasets (id, name, sha256, rows, columns, target_column, storage_uri, size_bytes, profile)
        VALUES (${input.id}::uuid, ${input.name}, ${input.sha256}, ${input.rows}, ${jsonbText(input.columns)}, ${input.targetColumn},
                ${input.storageUri}, ${BigInt(input.sizeBytes)}, ${jsonbText(input.profile)})
        ON CONFLICT (sha256) DO NOTHING
        RETURNING id`;
      if (inserted.length === 0) return null;
      return toEntity(await this.db.dataset.findUniqueOrThrow({ where: { id: input.id } }));
    } catch (error) {
      if (dbFailureOf(error) === 'unique_violation') return null;
      throw error;
    }
  }

  async get(id: string): Promise<DatasetEntity | null> {
    const row = await this.db.dataset.findUnique({ where: { id } });
    return row ? toEntity(row) : null;
  }

  async findBySha256(sha256: string): Promise<DatasetEntity | null> {
    const row = await this.db.dataset.findUnique({ where: { sha256 } });
    return row ? toEntity(row) : null;
  }

  /** Locks the dataset's row until the transaction ends (an update or delete against concurrent ones). */
  async lock(id: string): Promise<DatasetEntity | null> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`SELECT id FROM datasets WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length ? this.get(id) : null;
  }

  async update(id: string, input: { name?: string; targetColumn?: string | null; columns?: DatasetColumns; profile?: DatasetProfile }): Promise<DatasetEntity> {
    const sets: Prisma.Sql[] = [];
    if (input.name !== undefined) sets.push(Prisma.sql`name = ${input.name}`);
    if (input.targetColumn !== undefined) sets.push(Prisma.sql`target_column = ${input.targetColumn}`);
    if (input.columns !== undefined) sets.push(Prisma.sql`columns = ${jsonbText(input.columns)}`);
    if (input.profile !== undefined) sets.push(Prisma.sql`profile = ${jsonbText(input.profile)}`);
    if (sets.length) await this.db.$executeRaw`UPDATE datasets SET ${Prisma.join(sets, ', ')} WHERE id = ${id}::uuid`;
    const row = await this.get(id);
    if (!row) throw new SlipwayError(ErrorCode.NOT_FOUND, `No dataset ${id}`);
    return row;
  }

  async references(id: string): Promise<DatasetReferences> {
    const [runs, trainingJobs, studies] = await Promise.all([
      this.db.run.count({ where: { datasetId: id } }),
      this.db.trainingJob.count({ where: { datasetId: id } }),
      this.db.tuningStudy.count({ where: { datasetId: id } }),
    ]);
    return { runs, trainingJobs, studies };
  }

  async delete(id: string): Promise<void> {
    try {
      await this.db.dataset.delete({ where: { id } });
    } catch (error) {
      if (dbFailureOf(error) === 'record_not_found') throw new SlipwayError(ErrorCode.NOT_FOUND, `No dataset ${id}`);
      if (dbFailureOf(error) === 'foreign_key_violation') throw new SlipwayError(ErrorCode.CONFLICT, `Dataset ${id} is still referenced`);
      throw error;
    }
  }

  async list(query: DatasetQuery): Promise<{ datasets: DatasetEntity[]; nextCursor: string | null }> {
    const after = paging.after(query.cursor, 'cursor');
    const rows = await this.db.dataset.findMany({
      where: {
        name: query.search ? { contains: query.search, mode: 'insensitive' } : undefined,
        OR: after,
      },
      orderBy: paging.orderBy,
      take: query.limit + 1,
    });
    const page = paging.page(rows, query.limit);
    return { datasets: page.rows.map(toEntity), nextCursor: page.nextCursor };
  }
}
