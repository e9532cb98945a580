import { afterAll, beforeAll } from '@jest/globals';
import { createTestDatabase, testPostgresInfo, type TestDatabase } from './test-postgres';

/**
 * Gives the calling test file its own migrated database for the file's lifetime:
 * `const db = useTestDatabase(); … db.url`. Needs the project's globalSetup to be the Postgres harness.
 */
export function useTestDatabase(): { readonly url: string; readonly name: string } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(testPostgresInfo());
  });
  afterAll(async () => {
    await database?.drop();
  });
  return {
    get url() {
      if (!database) throw new Error('useTestDatabase(): the database exists only inside tests and hooks');
      return database.url;
    },
    get name() {
      if (!database) throw new Error('useTestDatabase(): the database exists only inside tests and hooks');
      return database.name;
    },
  };
}
