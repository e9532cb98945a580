import { Client } from 'pg';
import { ArtifactVerificationError, type VerificationKeys } from '@slipway/artifacts';
import { DEPLOYMENT_NOTIFY_CHANNEL, SYSTEM_ACTOR, type DeploymentEntity, type UnitOfWork } from '@slipway/db';
import type { ObjectStore } from '@slipway/storage';
import type { Logger } from 'pino';
import { LoadedVersion } from './loaded-version';
import type { DeploymentRoute, RoutingTable } from './routing-table';

/** How long a model no revision uses any more stays loaded: a shadow copy still running on it finishes first. */
const DISPOSE_GRACE_MS = 30_000;
const RECONNECT_MS = 1000;

export interface DeploymentRoutesOptions {
  uow: UnitOfWork;
  objects: ObjectStore;
  keys: VerificationKeys;
  databaseUrl: string;
  pollMs: number;
  logger: Logger;
}

/**
 * Keeps this replica's routing table in step with the deployments' current revisions. A change is heard through
 * LISTEN on a connection of its own (Postgres delivers the NOTIFY appendRevision sends at commit, within
 * milliseconds), with polling as the fallback for a notification lost while that connection was down. The new
 * table is built beside the old one — every model it needs loaded, verified and warmed — and swapped in as one
 * reference: requests already running finish on the table they started with, so a change fails or drops nothing.
 *
 * Models are cached by version id and shared across deployments; one no route uses is disposed after a grace.
 */
export class DeploymentRoutes {
  private current: RoutingTable = new Map();
  private readonly cache = new Map<string, LoadedVersion>();
  /** version id → reason, per revision (deployment id:revision): a refused version is retried only when the revision changes. */
  private readonly refused = new Map<string, string>();
  private readonly disposals = new Map<string, NodeJS.Timeout>();
  private listener: Client | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private loadedOnce = false;

  constructor(private readonly options: DeploymentRoutesOptions) {}

  get table(): RoutingTable {
    return this.current;
  }

  /** True once the first full read of the deployments has been swapped in (readiness). */
  get ready(): boolean {
    return this.loadedOnce;
  }

  async start(): Promise<void> {
    await this.listen();
    await this.refresh();
    const poll = () => {
      this.pollTimer = setTimeout(() => void this.refresh().finally(() => !this.stopped && poll()), this.options.pollMs);
      this.pollTimer.unref();
    };
    poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.refreshing?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
    for (const timer of this.disposals.values()) clearTimeout(timer);
    for (const version of this.cache.values()) version.dispose();
    this.cache.clear();
  }

  /** Re-reads what moved and swaps; calls while one runs coalesce into one more run after it. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.again = false;
          await this.rebuild();
        } while (this.again && !this.stopped);
      } catch (error) {
        this.options.logger.error({ err: error }, 'could not refresh the deployments; serving the routes it had');
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.options.databaseUrl });
    const retry = (error?: Error) => {
      if (this.listener !== client || this.stopped) return;
      this.listener = null;
      this.options.logger.warn({ err: error }, 'lost the deployment notifications connection; reconnecting (polling meanwhile)');
      client.end().catch(() => undefined);
      this.reconnectTimer = setTimeout(() => void this.listen(), RECONNECT_MS);
      this.reconnectTimer.unref();
    };
    client.on('error', retry);
    client.on('end', () => retry());
    client.on('notification', () => void this.refresh());
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${DEPLOYMENT_NOTIFY_CHANNEL}`);
      // What changed while the connection was down was never notified: read it now.
      if (this.loadedOnce) void this.refresh();
    } catch (error) {
      retry(error as Error);
    }
  }

  private async rebuild(): Promise<void> {
    const { uow } = this.options;
    const stamps = await uow.read.servingState.stamps();
    const before = this.current;
    const next = new Map<string, DeploymentRoute>();
    for (const stamp of stamps) {
      const had = before.get(stamp.name);
      if (had && had.deploymentId === stamp.deploymentId && had.revision === stamp.revision) {
        next.set(stamp.name, had);
        continue;
      }
      const deployment = await uow.read.deployments.get(stamp.name);
      if (!deployment || deployment.status === 'DELETED' || !deployment.revision) continue;
      const route = await this.routeOf(deployment, had);
      if (route) next.set(stamp.name, route);
    }
    if (this.stopped) return;
    this.current = next;
    this.loadedOnce = true;
    for (const [name, route] of next)
      if (before.get(name) !== route)
        this.options.logger.info(
          {
            deployment: name,
            revision: route.revision,
            stable: route.stable.version,
            canary: route.canary?.version.version,
            shadow: route.shadow?.version.version,
          },
          `deployment ${name} now serves revision ${route.revision}`,
        );
    this.releaseUnused(next);
  }

  /**
   * The route of the deployment's current revision. A canary or shadow version that cannot be loaded is refused
   * (event `serving.load_refused`) and left out, its traffic staying on stable; a stable version that cannot be
   * loaded keeps the route this replica had (null when it had none: the deployment is not served here).
   */
  private async routeOf(deployment: DeploymentEntity, had: DeploymentRoute | undefined): Promise<DeploymentRoute | null> {
    const revision = deployment.revision;
    if (!revision) return had ?? null;
    const at = `${deployment.id}:${revision.revision}`;
    const stable = await this.version(deployment, at, revision.stable.versionId, 'stable');
    if (!stable) return had && had.deploymentId === deployment.id ? had : null;
    const canaryVersion = revision.canary ? await this.version(deployment, at, revision.canary.versionId, 'canary') : null;
    const shadowVersion = revision.shadow ? await this.version(deployment, at, revision.shadow.versionId, 'shadow') : null;
    return {
      deploymentId: deployment.id,
      name: deployment.name,
      revision: revision.revision,
      stable,
      canary: revision.canary && canaryVersion ? { version: canaryVersion, percent: revision.canary.percent, sticky: revision.canary.sticky } : null,
      shadow: revision.shadow && shadowVersion ? { version: shadowVersion, percent: revision.shadow.percent } : null,
    };
  }

  private async version(deployment: DeploymentEntity, at: string, versionId: string, role: string): Promise<LoadedVersion | null> {
    const cached = this.cache.get(versionId);
    if (cached) {
      const pending = this.disposals.get(versionId);
      if (pending) clearTimeout(pending);
      this.disposals.delete(versionId);
      return cached;
    }
    const refusalKey = `${at}:${versionId}`;
    if (this.refused.has(refusalKey)) return null;
    const { uow, objects, keys, logger } = this.options;
    const entity = await uow.read.versions.getById(versionId);
    const started = performance.now();
    try {
      if (!entity) throw new Error(`version ${versionId} no longer exists`);
      const loaded = await LoadedVersion.load(entity, objects, keys);
      this.cache.set(versionId, loaded);
      logger.info(
        { deployment: deployment.name, model: loaded.modelName, version: loaded.version, role, ms: Math.round(performance.now() - started) },
        `loaded ${loaded.modelName}@${loaded.version} (verified, warmed up)`,
      );
      return loaded;
    } catch (error) {
      const reason = (error as Error).message;
      this.refused.set(refusalKey, reason);
      const label = entity ? `${entity.modelName}@${entity.version}` : versionId;
      logger.error({ deployment: deployment.name, version: label, role, reason }, `refused to load ${label} as ${role} of ${deployment.name}`);
      await uow
        .run(SYSTEM_ACTOR, (tx) =>
          tx.deployments.appendEvent(deployment.id, {
            revisionId: deployment.revision?.id ?? null,
            type: 'serving.load_refused',
            message: `A serving replica refused ${label} as the ${role} version: ${reason}`.slice(0, 2000),
            data: {
              version: entity?.version ?? null,
              role,
              reason: error instanceof ArtifactVerificationError ? error.reason : 'load_failed',
              detail: reason.slice(0, 1000),
            },
            actor: null,
          }),
        )
        .catch((eventError: Error) => logger.error({ err: eventError }, `could not record the refusal of ${label}`));
      return null;
    }
  }

  private releaseUnused(table: RoutingTable): void {
    const used = new Set<string>();
    for (const route of table.values()) {
      used.add(route.stable.id);
      if (route.canary) used.add(route.canary.version.id);
      if (route.shadow) used.add(route.shadow.version.id);
    }
    for (const [id, version] of this.cache) {
      if (used.has(id) || this.disposals.has(id)) continue;
      const timer = setTimeout(() => {
        this.disposals.delete(id);
        if (this.cache.get(id) !== version) return;
        this.cache.delete(id);
        version.dispose();
      }, DISPOSE_GRACE_MS);
      timer.unref();
      this.disposals.set(id, timer);
    }
  }
}
