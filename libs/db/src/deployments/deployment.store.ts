import {
  aliasPolicySchema,
  cursorCodec,
  deploymentActionSchema,
  deploymentStatusSchema,
  readJsonColumnOrNull,
  safeInt,
  stickyKeySchema,
  text,
  uuidText,
  type DeploymentQuery,
  type StickyKey,
} from '@slipway/contracts';
import { z } from 'zod';
import { Prisma } from '../generated/prisma/client';
import type { DbClient } from '../db-client';
import { jsonbText } from '../jsonb';
import type {
  DeploymentEntity,
  DeploymentEventEntity,
  DeploymentRevisionEntity,
  NewDeployment,
  NewDeploymentEvent,
  NewDeploymentRevision,
} from './deployment.entity';

/** The channel serving replicas LISTEN on; the payload is the deployment's name. */
export const DEPLOYMENT_NOTIFY_CHANNEL = 'slipway_deployments';

/** Keysets: deployments newest first (ties by id), revisions and events newest first by their number / id. */
// Creation time as epoch milliseconds: any stored year (a legacy row past 9999 included) resumes exactly.
const deploymentCursor = cursorCodec('deployments', z.object({ createdAtMs: safeInt(), id: uuidText() }).strict());
const CREATED_MS = Prisma.sql`floor(extract(epoch FROM d.created_at) * 1000)::bigint`;
const revisionCursor = cursorCodec('deployment-revisions', z.object({ revision: safeInt() }).strict());
const eventCursor = cursorCodec('deployment-events', z.object({ id: text({ max: 20 }).regex(/^[0-9]{1,19}$/) }).strict());

/** `header:<name>` / `field:<name>` in deployment_revisions.sticky_key. */
export function stickyKeyColumn(sticky: StickyKey | null | undefined): string | null {
  if (!sticky) return null;
  return 'header' in sticky ? `header:${sticky.header}` : `field:${sticky.field}`;
}

function stickyKeyOf(column: string | null): StickyKey | null {
  if (!column) return null;
  const at = column.indexOf(':');
  const kind = column.slice(0, at);
  const value = column.slice(at + 1);
  const parsed = stickyKeySchema.safeParse(kind === 'header' ? { header: value } : kind === 'field' ? { field: value } : null);
  return parsed.success ? parsed.data : null;
}

interface RevisionRow {
  id: string;
  deployment_id: string;
  revision: number;
  action: string;
  stable_version_id: string;
  stable_version: number;
  canary_version_id: string | null;
  canary_version: number | null;
  canary_traffic_percent: number;
  sticky_key: string | null;
  shadow_version_id: string | null;
  shadow_version: number | null;
  shadow_traffic_percent: number;
  rollout_plan: unknown;
  rollout_step: number | null;
  reason: string;
  created_by: string | null;
  created_at: Date;
}

const REVISION_SELECT = Prisma.sql`
  SELECT r.id, r.deployment_id, r.revision, r.action::text AS action, r.stable_version_id, sv.version AS stable_version,
         r.canary_version_id, cv.version AS canary_version, r.canary_traffic_percent, r.sticky_key,
         r.shadow_version_id, shv.version AS shadow_version, r.shadow_traffic_percent,
         r.rollout_plan, r.rollout_step, r.reason, r.created_by, r.created_at
    FROM deployment_revisions r
    JOIN model_versions sv ON sv.id = r.stable_version_id
    LEFT JOIN model_versions cv ON cv.id = r.canary_version_id
    LEFT JOIN model_versions shv ON shv.id = r.shadow_version_id`;

function toRevision(row: RevisionRow): DeploymentRevisionEntity {
  return {
    id: row.id,
    deploymentId: row.deployment_id,
    revision: row.revision,
    action: deploymentActionSchema.safeParse(row.action).data ?? 'UPDATE',
    stable: { versionId: row.stable_version_id, version: row.stable_version },
    canary:
      row.canary_version_id && row.canary_version !== null
        ? { versionId: row.canary_version_id, version: row.canary_version, percent: row.canary_traffic_percent, sticky: stickyKeyOf(row.sticky_key) }
        : null,
    shadow:
      row.shadow_version_id && row.shadow_version !== null
        ? { versionId: row.shadow_version_id, version: row.shadow_version, percent: row.shadow_traffic_percent }
        : null,
    rolloutPlan: readJsonColumnOrNull('deployment_revisions.rollout_plan', row.rollout_plan),
    rolloutStep: row.rollout_step,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

interface DeploymentRow {
  id: string;
  name: string;
  description: string;
  model_id: string;
  model_name: string;
  status: string;
  tracked_alias: string | null;
  alias_policy: string;
  rollout_plan: unknown;
  current_revision: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  created_ms: bigint;
}

const DEPLOYMENT_SELECT = Prisma.sql`
  SELECT d.id, d.name, d.description, d.model_id, m.name AS model_name, d.status::text AS status, d.tracked_alias, d.alias_policy,
         d.rollout_plan, d.current_revision, d.created_by, d.created_at, d.updated_at, floor(extract(epoch FROM d.created_at) * 1000)::bigint AS created_ms
    FROM deployments d JOIN models m ON m.id = d.model_id`;

interface EventRow {
  id: bigint;
  deployment_id: string;
  revision_id: string | null;
  revision: number | null;
  type: string;
  message: string;
  data: unknown;
  actor: string | null;
  created_at: Date;
}

/**
 * Deployments and their append-only history. What serves traffic changes only through `appendRevision`,
 * which bumps `current_revision` with a compare-and-set on the revision the caller based its decision on, and
 * notifies the serving replicas in the same transaction (Postgres delivers NOTIFY at commit, never for a
 * rolled-back change).
 */
export class DeploymentStore {
  constructor(private readonly db: DbClient) {}

  /** Inserts the deployment (current_revision 0) and its revision 1 (`first`, e.g. action CREATE). */
  async create(input: NewDeployment & { id: string }, first: NewDeploymentRevision): Promise<DeploymentEntity> {
    await this.db.$executeRaw`
      INSERT INTO deployments (id, name, description, model_id, tracked_alias, alias_policy, rollout_plan, status, current_revision, created_by, updated_at)
      VALUES (${input.id}::uuid, ${input.name}, ${input.description}, ${input.modelId}::uuid, ${input.trackedAlias}, ${input.aliasPolicy},
              ${jsonbText(input.rolloutPlan)}, ${first.status ?? 'ACTIVE'}::deployment_status, 0, ${input.createdBy}, now())`;
    await this.appendRevision(input.id, 0, first);
    return this.mustGetById(input.id);
  }

  async get(name: string): Promise<DeploymentEntity | null> {
    const rows = await this.db.$queryRaw<DeploymentRow[]>`${DEPLOYMENT_SELECT} WHERE d.name = ${name}`;
    return rows.length ? (await this.withRevisions(rows))[0] : null;
  }

  async getById(id: string): Promise<DeploymentEntity | null> {
    const rows = await this.db.$queryRaw<DeploymentRow[]>`${DEPLOYMENT_SELECT} WHERE d.id = ${id}::uuid`;
    return rows.length ? (await this.withRevisions(rows))[0] : null;
  }

  private async mustGetById(id: string): Promise<DeploymentEntity> {
    const deployment = await this.getById(id);
    if (!deployment) throw new Error(`deployment ${id} vanished inside its own transaction`);
    return deployment;
  }

  /** Locks the deployment's row until the transaction ends (actions on one deployment apply one after another). */
  async lock(name: string): Promise<DeploymentEntity | null> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`SELECT id FROM deployments WHERE name = ${name} FOR UPDATE`;
    return locked.length ? this.getById(locked[0].id) : null;
  }

  /** Newest first. Without a status filter DELETED deployments are left out. */
  async list(query: DeploymentQuery): Promise<{ deployments: DeploymentEntity[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : deploymentCursor.decode(query.cursor);
    const conditions: Prisma.Sql[] = [query.status ? Prisma.sql`d.status = ${query.status}::deployment_status` : Prisma.sql`d.status <> 'DELETED'`];
    if (query.model) conditions.push(Prisma.sql`m.name = ${query.model}`);
    if (after) conditions.push(Prisma.sql`(${CREATED_MS}, d.id) < (${after.createdAtMs}::bigint, ${after.id}::uuid)`);
    const rows = await this.db.$queryRaw<DeploymentRow[]>`
      ${DEPLOYMENT_SELECT} WHERE ${Prisma.join(conditions, ' AND ')} ORDER BY ${CREATED_MS} DESC, d.id DESC LIMIT ${query.limit + 1}`;
    const page = await this.withRevisions(rows.slice(0, query.limit));
    const last = page[page.length - 1];
    return {
      deployments: page,
      nextCursor: rows.length > query.limit ? deploymentCursor.encode({ createdAtMs: Number(rows[query.limit - 1].created_ms), id: last.id }) : null,
    };
  }

  /** One revision by number. */
  async revision(deploymentId: string, revision: number): Promise<DeploymentRevisionEntity | null> {
    const rows = await this.db.$queryRaw<RevisionRow[]>`${REVISION_SELECT} WHERE r.deployment_id = ${deploymentId}::uuid AND r.revision = ${revision}`;
    return rows.length ? toRevision(rows[0]) : null;
  }

  /** The history, newest first. */
  async revisions(
    deploymentId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ revisions: DeploymentRevisionEntity[]; nextCursor: string | null }> {
    const after = page.cursor === undefined ? undefined : revisionCursor.decode(page.cursor);
    const before = after ? Prisma.sql`AND r.revision < ${after.revision}` : Prisma.empty;
    const rows = await this.db.$queryRaw<RevisionRow[]>`
      ${REVISION_SELECT} WHERE r.deployment_id = ${deploymentId}::uuid ${before} ORDER BY r.revision DESC LIMIT ${page.limit + 1}`;
    const revisions = rows.slice(0, page.limit).map(toRevision);
    return {
      revisions,
      nextCursor: rows.length > page.limit ? revisionCursor.encode({ revision: revisions[revisions.length - 1].revision }) : null,
    };
  }

  /** The most recent revision whose stable version is not `versionId` (where a rollback without a canary goes). */
  async previousStable(deploymentId: string, versionId: string): Promise<DeploymentRevisionEntity | null> {
    const rows = await this.db.$queryRaw<RevisionRow[]>`
      ${REVISION_SELECT} WHERE r.deployment_id = ${deploymentId}::uuid AND r.stable_version_id <> ${versionId}::uuid ORDER BY r.revision DESC LIMIT 1`;
    return rows.length ? toRevision(rows[0]) : null;
  }

  /**
   * The next revision, only if the deployment is still at `baseRevision`: one compare-and-set UPDATE, then the
   * revision row and the NOTIFY, all in the caller's transaction. Null (nothing written) when another change
   * moved the deployment first: the caller answers 409 with the current state.
   */
  async appendRevision(deploymentId: string, baseRevision: number, revision: NewDeploymentRevision): Promise<DeploymentRevisionEntity | null> {
    const statusSet = revision.status ? Prisma.sql`, status = ${revision.status}::deployment_status` : Prisma.empty;
    const moved = await this.db.$queryRaw<{ name: string }[]>`
      UPDATE deployments SET current_revision = ${baseRevision + 1}, updated_at = now() ${statusSet}
       WHERE id = ${deploymentId}::uuid AND current_revision = ${baseRevision} AND status <> 'DELETED'
      RETURNING name`;
    if (moved.length === 0) return null;
    const id = await this.insertRevision(deploymentId, baseRevision + 1, revision);
    await this.db.$queryRaw`SELECT pg_notify(${DEPLOYMENT_NOTIFY_CHANNEL}, ${moved[0].name})::text`;
    const rows = await this.db.$queryRaw<RevisionRow[]>`${REVISION_SELECT} WHERE r.id = ${id}::uuid`;
    return toRevision(rows[0]);
  }

  private async insertRevision(deploymentId: string, number: number, revision: NewDeploymentRevision): Promise<string> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      INSERT INTO deployment_revisions (id, deployment_id, revision, action, stable_version_id, canary_version_id, canary_traffic_percent, sticky_key,
                                        shadow_version_id, shadow_traffic_percent, rollout_plan, rollout_step, reason, created_by)
      VALUES (gen_random_uuid(), ${deploymentId}::uuid, ${number}, ${revision.action}::deployment_action, ${revision.stableVersionId}::uuid,
              ${revision.canary?.versionId ?? null}::uuid, ${revision.canary?.percent ?? 0}, ${stickyKeyColumn(revision.canary?.sticky)},
              ${revision.shadow?.versionId ?? null}::uuid, ${revision.shadow?.percent ?? 0}, ${jsonbText(revision.rolloutPlan)},
              ${revision.rolloutStep ?? null}, ${revision.reason}, ${revision.createdBy})
      RETURNING id`;
    return rows[0].id;
  }

  /** Description, alias policy and the deployment's own plan (what serves traffic is not touched: no revision). */
  async update(
    deploymentId: string,
    fields: { description?: string; aliasPolicy?: 'redeploy' | 'rollout'; rolloutPlan?: NewDeployment['rolloutPlan'] },
  ): Promise<DeploymentEntity> {
    const sets: Prisma.Sql[] = [Prisma.sql`updated_at = now()`];
    if (fields.description !== undefined) sets.push(Prisma.sql`description = ${fields.description}`);
    if (fields.aliasPolicy !== undefined) sets.push(Prisma.sql`alias_policy = ${fields.aliasPolicy}`);
    if (fields.rolloutPlan !== undefined) sets.push(Prisma.sql`rollout_plan = ${jsonbText(fields.rolloutPlan)}`);
    await this.db.$executeRaw`UPDATE deployments SET ${Prisma.join(sets, ', ')} WHERE id = ${deploymentId}::uuid`;
    return this.mustGetById(deploymentId);
  }

  /** DELETED: nothing is served any more (the replicas hear it like a new revision); the history stays. */
  async markDeleted(deploymentId: string): Promise<DeploymentEntity> {
    const rows = await this.db.$queryRaw<{ name: string }[]>`
      UPDATE deployments SET status = 'DELETED', updated_at = now() WHERE id = ${deploymentId}::uuid RETURNING name`;
    if (rows.length) await this.db.$queryRaw`SELECT pg_notify(${DEPLOYMENT_NOTIFY_CHANNEL}, ${rows[0].name})::text`;
    return this.mustGetById(deploymentId);
  }

  /** Live deployments following `alias` of the model, locked, oldest first (a fixed lock order). */
  async lockFollowers(modelId: string, alias: string): Promise<DeploymentEntity[]> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM deployments WHERE model_id = ${modelId}::uuid AND tracked_alias = ${alias} AND status <> 'DELETED'
       ORDER BY created_at, id FOR UPDATE`;
    const out: DeploymentEntity[] = [];
    for (const { id } of locked) out.push(await this.mustGetById(id));
    return out;
  }

  async appendEvent(deploymentId: string, event: NewDeploymentEvent): Promise<DeploymentEventEntity> {
    const rows = await this.db.$queryRaw<{ id: bigint }[]>`
      INSERT INTO deployment_events (deployment_id, revision_id, type, message, data, actor)
      VALUES (${deploymentId}::uuid, ${event.revisionId ?? null}::uuid, ${event.type}, ${event.message}, ${jsonbText(event.data)}, ${event.actor})
      RETURNING id`;
    const [created] = await this.eventRows(Prisma.sql`e.id = ${rows[0].id}`, 1);
    return created;
  }

  /** Newest first, optionally of one type. */
  async events(
    deploymentId: string,
    page: { limit: number; cursor?: string; type?: string },
  ): Promise<{ events: DeploymentEventEntity[]; nextCursor: string | null }> {
    const after = page.cursor === undefined ? undefined : eventCursor.decode(page.cursor);
    const conditions = [Prisma.sql`e.deployment_id = ${deploymentId}::uuid`];
    if (page.type !== undefined) conditions.push(Prisma.sql`e.type = ${page.type}`);
    if (after) conditions.push(Prisma.sql`e.id < ${after.id}::bigint`);
    const rows = await this.eventRows(Prisma.join(conditions, ' AND '), page.limit + 1);
    const events = rows.slice(0, page.limit);
    return { events, nextCursor: rows.length > page.limit ? eventCursor.encode({ id: events[events.length - 1].id }) : null };
  }

  private async eventRows(where: Prisma.Sql, limit: number): Promise<DeploymentEventEntity[]> {
    const rows = await this.db.$queryRaw<EventRow[]>`
      SELECT e.id, e.deployment_id, e.revision_id, r.revision, e.type, e.message, e.data, e.actor, e.created_at
        FROM deployment_events e LEFT JOIN deployment_revisions r ON r.id = e.revision_id
       WHERE ${where} ORDER BY e.id DESC LIMIT ${limit}`;
    return rows.map((row) => ({
      id: row.id.toString(),
      deploymentId: row.deployment_id,
      revisionId: row.revision_id,
      revision: row.revision,
      type: row.type,
      message: row.message,
      data: readJsonColumnOrNull('deployment_events.data', row.data),
      actor: row.actor,
      createdAt: row.created_at,
    }));
  }

  private async withRevisions(rows: DeploymentRow[]): Promise<DeploymentEntity[]> {
    if (rows.length === 0) return [];
    const revisionRows = await this.db.$queryRaw<RevisionRow[]>`
      ${REVISION_SELECT} JOIN deployments d ON d.id = r.deployment_id AND r.revision = d.current_revision
       WHERE d.id = ANY(${rows.map((r) => r.id)}::uuid[])`;
    const current = new Map(revisionRows.map((r) => [r.deployment_id, toRevision(r)]));
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      description: row.description,
      modelId: row.model_id,
      modelName: row.model_name,
      status: deploymentStatusSchema.safeParse(row.status).data ?? 'ACTIVE',
      trackedAlias: row.tracked_alias,
      aliasPolicy: aliasPolicySchema.safeParse(row.alias_policy).data ?? 'redeploy',
      rolloutPlan: readJsonColumnOrNull('deployments.rollout_plan', row.rollout_plan),
      currentRevision: row.current_revision,
      revision: current.get(row.id) ?? null,
      createdBy: row.created_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }
}
