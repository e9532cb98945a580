import pg from 'pg';

/**
 * Plain SQL on the test database, for what a worker test seeds or checks behind the worker's back: the test
 * fixture's tables, a delivery aged past the outbox relay's threshold, the queue's own job rows. The worker
 * reaches the platform's tables only through @slipway/db's unit of work; tests do not borrow a Prisma client.
 */
export interface TestSql {
  query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  count(table: string, where?: string, values?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

export function connectSql(databaseUrl: string): TestSql {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  // The harness drops the test database (ending idle connections) before a test file's own afterAll may run.
  pool.on('error', () => undefined);
  const query = async <T>(text: string, values: unknown[] = []) => (await pool.query(text, values)).rows as T[];
  return {
    query,
    count: async (table, where = 'true', values = []) => Number((await query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, values))[0].n),
    close: () => pool.end(),
  };
}
