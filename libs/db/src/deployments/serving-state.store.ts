import type { DbClient } from '../db-client';

/** A live deployment's position in its history: what a serving replica compares to know what changed. */
export interface ServingStamp {
  deploymentId: string;
  name: string;
  revision: number;
}

/**
 * The serving replicas' cheap read: one row per live deployment, no joins, so polling every few seconds from many
 * replicas costs the database next to nothing; the full revision is read (DeploymentStore.get) only for those that moved.
 */
export class ServingStateStore {
  constructor(private readonly db: DbClient) {}

  async stamps(): Promise<ServingStamp[]> {
    const rows = await this.db.$queryRaw<{ id: string; name: string; current_revision: number }[]>`
      SELECT id, name, current_revision FROM deployments WHERE status <> 'DELETED' AND current_revision > 0 ORDER BY name`;
    return rows.map((row) => ({ deploymentId: row.id, name: row.name, revision: row.current_revision }));
  }
}
