/** Vitest globalSetup for suites that need Postgres: see test-postgres.ts. */
import type { TestProject } from 'vitest/node';
import { setUpTestPostgres } from './test-postgres';
import './use-test-database';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { info, teardown } = await setUpTestPostgres();
  project.provide('testPostgres', info);
  return teardown;
}
