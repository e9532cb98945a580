import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SKIP = new Set(['.next', 'node_modules', 'test-results', 'playwright-report']);

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** The console's production build is reused while it is newer than the console's and contracts' sources. */
export function consoleBuildIsFresh(root: string): boolean {
  const buildId = join(root, 'apps', 'console', '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return false;
  const built = statSync(buildId).mtimeMs;
  return newestMtime(join(root, 'apps', 'console')) <= built && newestMtime(join(root, 'libs', 'contracts', 'src')) <= built;
}

export function buildConsole(root: string): void {
  const result = spawnSync(process.execPath, [require.resolve('next/dist/bin/next', { paths: [root] }), 'build', 'apps/console'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error(`console build failed (exit ${result.status})`);
}

/**
 * The console runs as Next's standalone server (one process, as in the container image), which needs
 * the static assets copied beside it — the same step as docker/console.Dockerfile. Returns server.js.
 */
export function prepareStandaloneConsole(root: string): string {
  const appDir = join(root, 'apps', 'console');
  const standaloneApp = join(appDir, '.next', 'standalone', 'apps', 'console');
  const server = join(standaloneApp, 'server.js');
  if (!existsSync(server)) throw new Error(`no standalone console server at ${server}: is output: 'standalone' set in apps/console/next.config?`);
  rmSync(join(standaloneApp, '.next', 'static'), { recursive: true, force: true });
  cpSync(join(appDir, '.next', 'static'), join(standaloneApp, '.next', 'static'), { recursive: true });
  if (existsSync(join(appDir, 'public'))) cpSync(join(appDir, 'public'), join(standaloneApp, 'public'), { recursive: true });
  return server;
}
