// `npm test`: the full suite, in the order that fails fastest — the Prettier format check, lint (with the
// module-boundary rule), type checks, unit and integration tests on Jest (real Postgres, real S3-protocol server) for every project,
// then the server build and the console's end-to-end test in a real Chromium. Prints each step's time.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const nxPackage = require.resolve('nx/package.json', { paths: [root] });
const nx = join(dirname(nxPackage), JSON.parse(readFileSync(nxPackage, 'utf8')).bin.nx);
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  NEXT_TELEMETRY_DISABLED: '1',
  FORCE_COLOR: process.env.FORCE_COLOR ?? '0',
};
const parallel = process.env.SLIPWAY_TEST_PARALLEL ?? '2';

const prettierPackage = require.resolve('prettier/package.json', { paths: [root] });
const prettier = join(dirname(prettierPackage), JSON.parse(readFileSync(prettierPackage, 'utf8')).bin);

const steps = [
  ['format (Prettier; `npx prettier --write .` fixes it)', [prettier, '--check', '--log-level=warn', '.']],
  ['lint, typecheck, unit + integration tests', [nx, 'run-many', '-t', 'lint', 'typecheck', 'test', `--parallel=${parallel}`, '--outputStyle=stream']],
  ['server build', [join(root, 'tools', 'build', 'build-server.mjs')]],
  ['console end-to-end (Playwright, Chromium)', [nx, 'run', 'console-e2e:e2e', '--outputStyle=stream']],
];

const timings = [];
for (const [name, args] of steps) {
  const started = Date.now();
  process.stdout.write(`\n=== ${name} ===\n`);
  const result = spawnSync(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  timings.push(`${name}: ${seconds} s`);
  if (result.status !== 0) {
    process.stdout.write(`\n✗ ${name} failed after ${seconds} s (exit ${result.status ?? result.signal})\n${timings.join('\n')}\n`);
    process.exit(result.status ?? 1);
  }
}
process.stdout.write(`\n✓ all tests passed\n${timings.join('\n')}\n`);
