import pg from 'pg';

/**
 * Plain SQL on a test database, for what a test seeds or checks behind the back of the code under test (row
 * counts, a tampered signature, a delivery aged past a threshold, the queue's own job rows). Application code
 * reaches the database only through @slipway/db's unit of work; tests do not borrow the Prisma client for this.
 */
export interface TestSql {
  query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  /** The only row; fails when there is none. */
  one<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T>;
  count(table: string, where?: string, values?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

export function connectTestSql(databaseUrl: string): TestSql {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  // The harness drops the test database (ending idle connections) before a test file's own afterAll may run.
  pool.on('error', () => undefined);
  const query = async <T>(text: string, values: unknown[] = []) => (await pool.query(text, values)).rows as T[];
  return {
    query,
    one: async <T>(text: string, values: unknown[] = []) => {
      const rows = await query<T>(text, values);
      if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}: ${text}`);
      return rows[0];
    },
    count: async (table, where = 'true', values = []) => Number((await query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, values))[0].n),
    close: () => pool.end(),
  };
}
