/**
 * `npm start`: the whole platform on one machine with embedded defaults — Postgres (unless DATABASE_URL
 * is set), migrations, local object store (unless S3_BUCKET is set), API, worker(s), serving, console. Ctrl-C
 * stops everything, Postgres last.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { findWorkspaceRoot, loadConfig, type PlatformConfig } from '@slipway/config';
import { generateToken } from '@slipway/db';
import { applyMigrations, ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from '@slipway/postgres';
import { buildConsole, consoleBuildIsFresh, prepareStandaloneConsole } from './console-build';
import { ProcessSupervisor } from './process-supervisor';

const root = findWorkspaceRoot(__dirname);
const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
const say = (message: string) => process.stdout.write(`[slipway] ${message}\n`);

function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForHttp(url: string, timeoutMs: number, accept: (status: number) => boolean = (s) => s === 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (accept(response.status)) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s (${last})`);
}

async function prepareDatabase(config: PlatformConfig): Promise<{ url: string; postgres?: RunningPostgres; description: string }> {
  if (config.database.url) return { url: config.database.url, description: 'DATABASE_URL (external)' };
  const { port, dataDir, databaseName } = config.database.embedded;
  mkdirSync(config.home, { recursive: true });
  const postgres = await startEmbeddedPostgres({ dataDir, port });
  await ensureDatabase(postgres.adminUrl, databaseName);
  const how = postgres.ownedByThisProcess ? 'started' : 'reused (already running)';
  return { url: postgres.urlFor(databaseName), postgres, description: `embedded Postgres on 127.0.0.1:${port}, ${how}, data in ${postgres.dataDir}` };
}

/**
 * The admin token the API registers at start (SLIPWAY_BOOTSTRAP_TOKEN). Generated on the first start and
 * kept in $SLIPWAY_HOME/admin-token (0600) so the local console can use it; printed only when generated.
 */
function bootstrapToken(config: PlatformConfig): { token: string; generated: boolean; file?: string } {
  if (config.bootstrapToken) return { token: config.bootstrapToken, generated: false };
  const file = join(config.home, 'admin-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), generated: false, file };
  const token = generateToken();
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true, file };
}

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.cwd());
  for (const [name, port, host] of [
    ['API', config.api.port, config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host],
    ['console', config.console.port, '127.0.0.1'],
    ['serving', config.serving.port, config.serving.host === '0.0.0.0' ? '127.0.0.1' : config.serving.host],
  ] as const) {
    if (await portInUse(port, host)) {
      throw new Error(`Port ${port} (${name}) is already in use — is Slipway already running? Set SLIPWAY_${name.toUpperCase()}_PORT to use another.`);
    }
  }

  const database = await prepareDatabase(config);
  let shuttingDown = false;
  const supervisor = new ProcessSupervisor((name, code) => {
    if (shuttingDown) return;
    say(`${name} exited unexpectedly (code ${code}); stopping the platform`);
    void shutdown(1);
  });
  const shutdown = async (exitCode: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    say('stopping: console, serving, workers, API…');
    await supervisor.stopAll();
    if (database.postgres?.ownedByThisProcess) {
      say('stopping Postgres…');
      await database.postgres.stop();
    }
    say('stopped.');
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const migrations = await applyMigrations(database.url, join(root, 'prisma', 'migrations'));
  say(
    `database ready (${elapsed()}): ${database.description}; migrations applied now: ${migrations.applied.length}, already: ${migrations.alreadyApplied.length}`,
  );
  if (config.objectStore.kind === 'local') mkdirSync(config.objectStore.rootDir, { recursive: true });

  mkdirSync(config.home, { recursive: true });
  const admin = bootstrapToken(config);
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    SLIPWAY_BOOTSTRAP_TOKEN: admin.token,
    SLIPWAY_CONSOLE_TOKEN: process.env.SLIPWAY_CONSOLE_TOKEN || admin.token,
    DATABASE_URL: database.url,
    SLIPWAY_HOME: config.home,
    SLIPWAY_MIGRATE_ON_START: 'false',
    SLIPWAY_API_URL: config.api.publicUrl,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const dist = join(root, 'dist', 'server');
  supervisor.start('api', process.execPath, ['--enable-source-maps', join(dist, 'apps', 'api', 'src', 'main.js')], childEnv, root);
  for (let i = 1; i <= config.workers.processes; i++) {
    supervisor.start(`worker-${i}`, process.execPath, ['--enable-source-maps', join(dist, 'apps', 'worker', 'src', 'main.js')], childEnv, root);
  }
  // One serving replica (more run as `node dist/server/apps/serving/src/main.js` on other ports or machines). It pipes
  // its output through the supervisor, so it is asked for readable lines when this terminal would show them.
  const servingEnv = { ...childEnv, SLIPWAY_LOG_FORMAT: process.env.SLIPWAY_LOG_FORMAT || (process.stdout.isTTY ? 'text' : 'json') };
  supervisor.start('serving', process.execPath, ['--enable-source-maps', join(dist, 'apps', 'serving', 'src', 'main.js')], servingEnv, root);
  if (!consoleBuildIsFresh(root)) {
    say('building the console (first start, or its sources changed)…');
    buildConsole(root);
  }
  const consoleServer = prepareStandaloneConsole(root);
  supervisor.start('console', process.execPath, [consoleServer], { ...childEnv, PORT: String(config.console.port), HOSTNAME: '127.0.0.1' }, root);

  await waitForHttp(`${config.api.publicUrl}/health`, 90_000);
  await waitForHttp(`http://127.0.0.1:${config.console.port}/api/healthz`, 90_000);
  const servingUrl = `http://${config.serving.host === '0.0.0.0' ? '127.0.0.1' : config.serving.host}:${config.serving.port}`;
  await waitForHttp(`${servingUrl}/v2/health/ready`, 90_000);
  const health = (await (await fetch(`${config.api.publicUrl}/health`)).json()) as { workers: { connected: number } };
  const workerDeadline = Date.now() + 60_000;
  let connected = health.workers.connected;
  while (connected < Math.min(1, config.workers.processes) && Date.now() < workerDeadline) {
    await new Promise((r) => setTimeout(r, 500));
    connected = ((await (await fetch(`${config.api.publicUrl}/health`)).json()) as { workers: { connected: number } }).workers.connected;
  }
  const objectStore = config.objectStore.kind === 'local' ? `local folder ${config.objectStore.rootDir}` : `s3 bucket ${config.objectStore.bucket}`;
  process.stdout.write(
    [
      '',
      `Slipway is up (${elapsed()}):`,
      `  Console      http://127.0.0.1:${config.console.port}`,
      `  API          ${config.api.publicUrl}/api/v1   health ${config.api.publicUrl}/health`,
      `  API docs     ${config.api.publicUrl}/docs   (OpenAPI JSON: /docs-json)`,
      `  Serving      ${servingUrl}/v1/deployments/<name>/predict   KServe v2: ${servingUrl}/v2`,
      `  Database     ${database.description}`,
      `  Artifacts    ${objectStore}`,
      `  Workers      ${connected} connected`,
      ...(admin.generated ? [`  Admin token  ${admin.token}`, `               (shown once; kept for the local console in ${admin.file}, mode 0600)`] : []),
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  process.stderr.write(`[slipway] could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.exit(1), 25_000).unref();
});
