import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { platform } from './platform';

/**
 * Writes rows straight into the platform's database, the way another client (a worker, the CLI, a second
 * API replica) would, so the test sees whether the console notices changes it did not make itself.
 * Everything it inserts is deleted by `cleanUp()`.
 */
export class PlatformDatabase {
  private readonly modelIds: string[] = [];
  private readonly experimentIds: string[] = [];

  private constructor(private readonly client: pg.Client) {}

  static async connect(): Promise<PlatformDatabase> {
    const client = new pg.Client({ connectionString: platform.databaseUrl });
    await client.connect();
    return new PlatformDatabase(client);
  }

  async insertModel(name: string): Promise<string> {
    const id = randomUUID();
    await this.client.query('insert into models (id, name, updated_at) values ($1, $2, now())', [id, name]);
    this.modelIds.push(id);
    return id;
  }

  async insertExperimentWithRun(name: string, runStatus: 'RUNNING' | 'FINISHED' | 'FAILED'): Promise<{ experimentId: string; runId: string }> {
    const experimentId = randomUUID();
    const runId = randomUUID();
    await this.client.query('insert into experiments (id, name, updated_at) values ($1, $2, now())', [experimentId, name]);
    this.experimentIds.push(experimentId);
    await this.client.query(
      `insert into runs (id, experiment_id, name, status, started_at, ended_at)
       values ($1, $2, $3, $4::run_status, now(), case when $4 = 'RUNNING' then null else now() end)`,
      [runId, experimentId, `${name}-run`, runStatus],
    );
    return { experimentId, runId };
  }

  /** Deletes what this object inserted; versions and runs go with their model and experiment (ON DELETE CASCADE). */
  async cleanUp(): Promise<void> {
    if (this.modelIds.length > 0) await this.client.query('delete from models where id = any($1::uuid[])', [this.modelIds.splice(0)]);
    if (this.experimentIds.length > 0) await this.client.query('delete from experiments where id = any($1::uuid[])', [this.experimentIds.splice(0)]);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
