import { ErrorCode, SlipwayError, type ModelQuery, type VersionQuery } from '@slipway/contracts';
import { Prisma, type ModelVersion as VersionRow } from '../generated/prisma/client';
import { queryAll, type DbClient } from '../db-client';
import { isPrismaError, PrismaCode } from './prisma-errors';
import {
  fromStatusName,
  toStatusName,
  type AliasEntity,
  type ArtifactFileEntity,
  type LineageEntity,
  type ModelEntity,
  type ModelSummaryEntity,
  type ModelVersionEntity,
  type VersionUsageEntity,
} from './registry.entity';

type ModelRow = { id: string; name: string; description: string; createdAt: Date; updatedAt: Date; tags: { key: string; value: string }[] };
type VersionRowWith = VersionRow & { model: { name: string }; tags: { key: string; value: string }[]; aliases: { name: string }[] };

const tagsOf = (tags: { key: string; value: string }[]): Record<string, string> => Object.fromEntries(tags.map((t) => [t.key, t.value]));

function toModel(row: ModelRow): ModelEntity {
  return { id: row.id, name: row.name, description: row.description, tags: tagsOf(row.tags), createdAt: row.createdAt, updatedAt: row.updatedAt };
}

function toVersion(row: VersionRowWith): ModelVersionEntity {
  return {
    id: row.id,
    modelId: row.modelId,
    modelName: row.model.name,
    version: row.version,
    status: toStatusName(row.status),
    description: row.description,
    tags: tagsOf(row.tags),
    aliases: row.aliases.map((a) => a.name).sort(),
    artifactUri: row.artifactUri,
    sha256: row.sha256,
    signature: row.signature,
    sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
    manifest: (row.manifest as ArtifactFileEntity[] | null) ?? null,
    algorithm: row.algorithm,
    framework: row.framework,
    inputSchema: row.inputSchema ?? null,
    trainingProfile: row.trainingProfile ?? null,
    evaluation: row.evaluation ?? null,
    runId: row.runId,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    readyAt: row.readyAt,
    archivedAt: row.archivedAt,
    deletedAt: row.deletedAt,
  };
}

const VERSION_INCLUDE = { model: { select: { name: true } }, tags: true, aliases: { select: { name: true } } } as const;

const json = (value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull =>
  value === undefined || value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue);

export interface NewVersionInput {
  description: string;
  tags: Record<string, string>;
  runId: string | null;
  algorithm: string | null;
  framework: string | null;
  inputSchema?: unknown;
  trainingProfile?: unknown;
  evaluation?: unknown;
  createdBy: string;
}

export interface ReadyVersionInput {
  manifest: ArtifactFileEntity[];
  sha256: string;
  signature: string;
  artifactUri: string;
}

/**
 * The model registry over Postgres: models, versions, aliases, tags. Every mutation takes the transaction
 * it should join; callers lock the model row first (`lockModel`), which serialises all changes to one
 * model — version numbers, alias moves, deletes — without deadlocks.
 */
export class RegistryStore {
  constructor(private readonly db: DbClient) {}

  // ─── models ───

  async createModel(input: { name: string; description: string; tags: Record<string, string> }, db: DbClient = this.db): Promise<ModelEntity> {
    try {
      const row = await db.model.create({
        data: { name: input.name, description: input.description, tags: { create: Object.entries(input.tags).map(([key, value]) => ({ key, value })) } },
        include: { tags: true },
      });
      return toModel(row);
    } catch (error) {
      if (isPrismaError(error, PrismaCode.UniqueViolation))
        throw new SlipwayError(ErrorCode.ALREADY_EXISTS, `Model "${input.name}" already exists`, [{ field: 'body.name', message: 'already exists' }]);
      throw error;
    }
  }

  async getModel(name: string, db: DbClient = this.db): Promise<ModelEntity | null> {
    const row = await db.model.findUnique({ where: { name }, include: { tags: true } });
    return row ? toModel(row) : null;
  }

  /** Locks the model's row until the transaction ends; null when there is no such model. */
  async lockModel(name: string, tx: DbClient): Promise<ModelEntity | null> {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM models WHERE name = ${name} FOR UPDATE`;
    if (locked.length === 0) return null;
    const row = await tx.model.findUniqueOrThrow({ where: { id: locked[0].id }, include: { tags: true } });
    return toModel(row);
  }

  async updateModel(id: string, input: { description?: string; tags?: Record<string, string> }, tx: DbClient): Promise<ModelEntity> {
    if (input.tags) {
      await tx.modelTag.deleteMany({ where: { modelId: id } });
      await tx.modelTag.createMany({ data: Object.entries(input.tags).map(([key, value]) => ({ modelId: id, key, value })) });
    }
    // Always touch the row so updatedAt moves with tag-only changes too.
    const row = await tx.model.update({ where: { id }, data: { description: input.description, updatedAt: new Date() }, include: { tags: true } });
    return toModel(row);
  }

  /** Deployments (of any status) that reference the model; the foreign key keeps such a model. */
  async deploymentsOfModel(modelId: string, db: DbClient = this.db): Promise<string[]> {
    return (await db.deployment.findMany({ where: { modelId }, select: { name: true }, orderBy: { name: 'asc' } })).map((d) => d.name);
  }

  async deleteModel(id: string, tx: DbClient): Promise<void> {
    try {
      await tx.model.delete({ where: { id } });
    } catch (error) {
      if (isPrismaError(error, PrismaCode.ForeignKeyViolation)) throw new SlipwayError(ErrorCode.CONFLICT, 'The model is still referenced by a deployment');
      if (isPrismaError(error, PrismaCode.RecordNotFound)) throw new SlipwayError(ErrorCode.NOT_FOUND, 'No such model');
      throw error;
    }
  }

  async summarize(models: ModelEntity[], db: DbClient = this.db): Promise<ModelSummaryEntity[]> {
    if (models.length === 0) return [];
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

  async listModels(query: ModelQuery): Promise<{ models: ModelEntity[]; nextCursor: string | null }> {
    const [tagKey, ...rest] = query.tag?.split('=') ?? [];
    const tagValue = rest.length ? rest.join('=') : undefined;
    const rows = await this.db.model.findMany({
      where: {
        // Separate conditions: `mode: insensitive` would lower-case the cursor comparison too, out of step with the order.
        AND: [{ name: { contains: query.search, mode: 'insensitive' } }, { name: { gt: query.cursor } }],
        tags: tagKey ? { some: { key: tagKey, value: tagValue } } : undefined,
      },
      include: { tags: true },
      orderBy: { name: 'asc' },
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit).map(toModel);
    return { models: page, nextCursor: rows.length > query.limit ? page[page.length - 1].name : null };
  }

  // ─── versions ───

  /** Needs the model lock: allocates max(version)+1 over every version ever made, deleted ones included, so numbers are never reused. */
  async createVersion(modelId: string, input: NewVersionInput, tx: DbClient): Promise<ModelVersionEntity> {
    const { _max } = await tx.modelVersion.aggregate({ where: { modelId }, _max: { version: true } });
    const row = await tx.modelVersion.create({
      data: {
        modelId,
        version: (_max.version ?? 0) + 1,
        status: 'PENDING_UPLOAD',
        description: input.description,
        runId: input.runId,
        algorithm: input.algorithm,
        framework: input.framework,
        inputSchema: json(input.inputSchema),
        trainingProfile: json(input.trainingProfile),
        evaluation: json(input.evaluation),
        createdBy: input.createdBy,
        tags: { create: Object.entries(input.tags).map(([key, value]) => ({ key, value })) },
      },
      include: VERSION_INCLUDE,
    });
    return toVersion(row);
  }

  /** A version that is not deleted; null when absent. */
  async getVersion(modelId: string, version: number, db: DbClient = this.db): Promise<ModelVersionEntity | null> {
    const row = await db.modelVersion.findFirst({ where: { modelId, version, deletedAt: null }, include: VERSION_INCLUDE });
    return row ? toVersion(row) : null;
  }

  async getVersionById(id: string, db: DbClient = this.db): Promise<ModelVersionEntity | null> {
    const row = await db.modelVersion.findUnique({ where: { id }, include: VERSION_INCLUDE });
    return row ? toVersion(row) : null;
  }

  async latestReadyVersion(modelId: string, db: DbClient = this.db): Promise<ModelVersionEntity | null> {
    const row = await db.modelVersion.findFirst({
      where: { modelId, status: 'READY', deletedAt: null },
      orderBy: { version: 'desc' },
      include: VERSION_INCLUDE,
    });
    return row ? toVersion(row) : null;
  }

  async listVersions(modelId: string, query: VersionQuery): Promise<{ versions: ModelVersionEntity[]; nextCursor: number | null }> {
    const rows = await this.db.modelVersion.findMany({
      where: {
        modelId,
        deletedAt: null,
        status: query.status ? fromStatusName(query.status) : undefined,
        version: query.cursor ? { lt: query.cursor } : undefined,
      },
      include: VERSION_INCLUDE,
      orderBy: { version: 'desc' },
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit).map(toVersion);
    return { versions: page, nextCursor: rows.length > query.limit ? page[page.length - 1].version : null };
  }

  async updateVersion(id: string, input: { description?: string; tags?: Record<string, string> }, tx: DbClient): Promise<ModelVersionEntity> {
    if (input.tags) {
      await tx.modelVersionTag.deleteMany({ where: { versionId: id } });
      await tx.modelVersionTag.createMany({ data: Object.entries(input.tags).map(([key, value]) => ({ versionId: id, key, value })) });
    }
    const row = await tx.modelVersion.update({ where: { id }, data: { description: input.description }, include: VERSION_INCLUDE });
    return toVersion(row);
  }

  /** PENDING_UPLOAD → READY with its sealed manifest; null when the version is no longer pending. */
  async markReady(id: string, input: ReadyVersionInput, tx: DbClient): Promise<ModelVersionEntity | null> {
    const sizeBytes = input.manifest.reduce((sum, f) => sum + f.sizeBytes, 0);
    const { count } = await tx.modelVersion.updateMany({
      where: { id, status: 'PENDING_UPLOAD', deletedAt: null },
      data: {
        status: 'READY',
        manifest: input.manifest as unknown as Prisma.InputJsonValue,
        sha256: input.sha256,
        signature: input.signature,
        sizeBytes: BigInt(sizeBytes),
        artifactUri: input.artifactUri,
        readyAt: new Date(),
      },
    });
    return count === 0 ? null : this.getVersionById(id, tx);
  }

  async markFailed(id: string, tx: DbClient): Promise<ModelVersionEntity | null> {
    const { count } = await tx.modelVersion.updateMany({ where: { id, status: 'PENDING_UPLOAD' }, data: { status: 'FAILED' } });
    return count === 0 ? null : this.getVersionById(id, tx);
  }

  /** READY → ARCHIVED; null when the version is not READY. */
  async archiveVersion(id: string, tx: DbClient): Promise<ModelVersionEntity | null> {
    const { count } = await tx.modelVersion.updateMany({
      where: { id, status: 'READY', deletedAt: null },
      data: { status: 'ARCHIVED', archivedAt: new Date() },
    });
    return count === 0 ? null : this.getVersionById(id, tx);
  }

  /** ARCHIVED → READY; null when the version is not ARCHIVED. */
  async restoreVersion(id: string, tx: DbClient): Promise<ModelVersionEntity | null> {
    const { count } = await tx.modelVersion.updateMany({ where: { id, status: 'ARCHIVED', deletedAt: null }, data: { status: 'READY', archivedAt: null } });
    return count === 0 ? null : this.getVersionById(id, tx);
  }

  async softDeleteVersion(id: string, tx: DbClient): Promise<void> {
    await tx.modelVersion.update({ where: { id }, data: { deletedAt: new Date() } });
  }

  /**
   * Aliases pointing at the version, and deployments (not deleted) whose current revision serves it as
   * stable, canary or shadow.
   */
  async versionUsage(versionId: string, db: DbClient = this.db): Promise<VersionUsageEntity> {
    const [aliases, deployments] = await queryAll(db, [
      () => db.modelAlias.findMany({ where: { versionId }, select: { name: true }, orderBy: { name: 'asc' } }),
      () => db.$queryRaw<{ name: string }[]>`
        SELECT d.name FROM deployments d
        JOIN deployment_revisions r ON r.deployment_id = d.id AND r.revision = d.current_revision
        WHERE d.status <> 'DELETED'
          AND (r.stable_version_id = ${versionId}::uuid OR r.canary_version_id = ${versionId}::uuid OR r.shadow_version_id = ${versionId}::uuid)
        ORDER BY d.name`,
    ] as const);
    return { aliases: aliases.map((a) => a.name), deployments: deployments.map((d) => d.name) };
  }

  // ─── aliases ───

  async getAlias(modelId: string, alias: string, db: DbClient = this.db): Promise<AliasEntity | null> {
    const row = await db.modelAlias.findUnique({ where: { modelId_name: { modelId, name: alias } }, include: { version: { select: { version: true } } } });
    return row ? { modelId: row.modelId, alias: row.name, versionId: row.versionId, version: row.version.version, updatedAt: row.updatedAt } : null;
  }

  async setAlias(modelId: string, alias: string, versionId: string, tx: DbClient): Promise<AliasEntity> {
    const row = await tx.modelAlias.upsert({
      where: { modelId_name: { modelId, name: alias } },
      create: { modelId, name: alias, versionId },
      update: { versionId },
      include: { version: { select: { version: true } } },
    });
    return { modelId: row.modelId, alias: row.name, versionId: row.versionId, version: row.version.version, updatedAt: row.updatedAt };
  }

  async deleteAlias(modelId: string, alias: string, tx: DbClient): Promise<void> {
    await tx.modelAlias.deleteMany({ where: { modelId, name: alias } });
  }

  // ─── lineage (reads the tracking tables) ───

  /** Lineage of each run, in three queries whatever the number of runs. */
  async lineage(runIds: string[], db: DbClient = this.db): Promise<Map<string, LineageEntity>> {
    const ids = [...new Set(runIds)];
    const result = new Map<string, LineageEntity>();
    if (ids.length === 0) return result;
    const [runs, params, metrics] = await queryAll(db, [
      () => db.run.findMany({ where: { id: { in: ids } } }),
      () => db.runParam.findMany({ where: { runId: { in: ids } }, orderBy: { key: 'asc' } }),
      () => db.latestMetric.findMany({ where: { runId: { in: ids } }, orderBy: { key: 'asc' } }),
    ] as const);
    for (const run of runs) {
      result.set(run.id, {
        runId: run.id,
        runName: run.name,
        experimentId: run.experimentId,
        runStatus: run.status.toLowerCase(),
        runDeleted: run.deletedAt !== null,
        datasetId: run.datasetId,
        datasetSha256: run.datasetSha256,
        codeVersion: run.codeVersion,
        seed: run.seed,
        params: {},
        metrics: {},
      });
    }
    for (const p of params) {
      const entry = result.get(p.runId);
      if (entry) entry.params[p.key] = p.value;
    }
    for (const m of metrics) {
      const entry = result.get(m.runId);
      if (entry) entry.metrics[m.key] = m.value;
    }
    return result;
  }

  /** The run, for registering a version from it; null when absent. */
  async getRun(runId: string, db: DbClient = this.db): Promise<{ id: string; deleted: boolean } | null> {
    const run = await db.run.findUnique({ where: { id: runId }, select: { id: true, deletedAt: true } });
    return run ? { id: run.id, deleted: run.deletedAt !== null } : null;
  }

  /** The run's artifact at `path` (one file), or every file under the folder `path/`. */
  async runArtifactsAt(runId: string, path: string, db: DbClient = this.db): Promise<ArtifactFileEntity[]> {
    const rows = await db.artifact.findMany({
      where: { runId, OR: [{ path }, { path: { startsWith: `${path}/` } }] },
      select: { path: true, sha256: true, sizeBytes: true },
      orderBy: { path: 'asc' },
    });
    // LIKE treats `_` and `%` as wildcards; keep exact prefix matches only.
    return rows
      .filter((r) => r.path === path || r.path.startsWith(`${path}/`))
      .map((r) => ({ path: r.path, sha256: r.sha256, sizeBytes: Number(r.sizeBytes) }));
  }
}
