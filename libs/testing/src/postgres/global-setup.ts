/**
 * Jest globalSetup for suites that need Postgres: see test-postgres.ts.
 *
 * Jest runs this in its parent process before it starts the workers, so the server's address reaches
 * every test file through the environment (workers inherit it). When several projects run in one Jest
 * process (`npx jest` from the root), the first setup starts the server and the others reuse it.
 *
 * Jest does not apply `moduleNameMapper` to globalSetup modules, so the `@slipway/*` aliases are
 * registered for Node's own resolver here, from the same tsconfig paths the tests use.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { register } from 'tsconfig-paths';

const workspaceRoot = resolve(__dirname, '../../../..');
const tsconfig = JSON.parse(readFileSync(resolve(workspaceRoot, 'tsconfig.base.json'), 'utf8'));
register({ baseUrl: workspaceRoot, paths: tsconfig.compilerOptions.paths });

interface HarnessState {
  users: number;
  teardown: () => Promise<void>;
}
const STATE = Symbol.for('slipway.testPostgres');
type WithHarness = typeof globalThis & { [STATE]?: HarnessState };

export default async function setup(): Promise<void> {
  const holder = globalThis as WithHarness;
  const running = holder[STATE];
  if (running) {
    running.users += 1;
    return;
  }
  // Imported after the aliases are registered (test-postgres imports @slipway/postgres).
  const { TEST_POSTGRES_ENV, setUpTestPostgres } = await import('./test-postgres');
  const { info, teardown } = await setUpTestPostgres();
  process.env[TEST_POSTGRES_ENV] = JSON.stringify(info);
  holder[STATE] = { users: 1, teardown };
}

/** Called by global-teardown.ts: the last project to finish stops the server. */
export async function releaseTestPostgres(): Promise<void> {
  const holder = globalThis as WithHarness;
  const running = holder[STATE];
  if (!running) return;
  running.users -= 1;
  if (running.users > 0) return;
  holder[STATE] = undefined;
  await running.teardown();
}
