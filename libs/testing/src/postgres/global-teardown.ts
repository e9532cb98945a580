/** Jest globalTeardown paired with global-setup.ts: stops the embedded Postgres it started. */
import { releaseTestPostgres } from './global-setup';

export default async function teardown(): Promise<void> {
  await releaseTestPostgres();
}
