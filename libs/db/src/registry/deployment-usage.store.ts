import { queryAll, type DbClient } from '../db-client';
import type { VersionUsageEntity } from './registry.entity';

/** Where models and versions are in use: what the registry must not archive or delete from under a deployment. */
export class DeploymentUsageStore {
  constructor(private readonly db: DbClient) {}

  /** Deployments (of any status) that reference the model; the foreign key keeps such a model. */
  async deploymentsOfModel(modelId: string): Promise<string[]> {
    return (await this.db.deployment.findMany({ where: { modelId }, select: { name: true }, orderBy: { name: 'asc' } })).map((d) => d.name);
  }

  /**
   * Aliases pointing at the version, and deployments (not deleted) any of whose revisions, current or past,
   * serves it as stable, canary or shadow: a rollback may go back to any of them, so none may lose its files.
   */
  async versionUsage(versionId: string): Promise<VersionUsageEntity> {
    const db = this.db;
    const [aliases, deployments] = await queryAll(db, [
      () => db.modelAlias.findMany({ where: { versionId }, select: { name: true }, orderBy: { name: 'asc' } }),
      () => db.$queryRaw<{ name: string }[]>`
        SELECT d.name FROM deployments d
        WHERE d.status <> 'DELETED'
          AND EXISTS (SELECT 1 FROM deployment_revisions r WHERE r.deployment_id = d.id
                         AND (r.stable_version_id = ${versionId}::uuid OR r.canary_version_id = ${versionId}::uuid OR r.shadow_version_id = ${versionId}::uuid))
        ORDER BY d.name`,
    ] as const);
    return { aliases: aliases.map((a) => a.name), deployments: deployments.map((d) => d.name) };
  }
}
