/** Vitest globalSetup for suites that need Postgres: see test-postgres.ts. */
import type { TestProject } from 'vitest/node';
import { setUpTestPostgres, type TestPostgresInfo } from './test-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    testPostgres: TestPostgresInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { info, teardown } = await setUpTestPostgres();
  project.provide('testPostgres', info);
  return teardown;
}
