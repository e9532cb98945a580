/**
 * Facts about the code that the deployment files must agree with, read from the repository itself:
 * settings, npm scripts, what the server build compiles, and which health endpoints each process serves.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { SETTINGS } from '@slipway/config';

export const repoRoot = resolve(__dirname, '..', '..', '..');

export const settingNames: ReadonlySet<string> = new Set(SETTINGS.map((s) => s.env));

/** A setting's documented default when it is a plain value (not "(unset)" or a reference). */
export function settingDefault(name: string): string | undefined {
  const setting = SETTINGS.find((s) => s.env === name);
  return setting && /^[\w.-]+$/.test(setting.default) ? setting.default : undefined;
}

/**
 * Variables that are not Slipway settings but are read by third-party software in the images:
 * the postgres and minio images, Node.js, the Next.js standalone server, TensorFlow.
 */
export const THIRD_PARTY_ENV: ReadonlySet<string> = new Set([
  'POSTGRES_USER',
  'POSTGRES_PASSWORD',
  'POSTGRES_DB',
  'PGDATA',
  'MINIO_ROOT_USER',
  'MINIO_ROOT_PASSWORD',
  'NODE_ENV',
  'PORT',
  'HOSTNAME',
  'NEXT_TELEMETRY_DISABLED',
  'TF_FORCE_GPU_ALLOW_GROWTH',
]);

export function readRepoFile(path: string): string {
  return readFileSync(join(repoRoot, path), 'utf8');
}

export function repoPathExists(path: string): boolean {
  return existsSync(join(repoRoot, path));
}

export function npmScripts(): Record<string, string> {
  return (JSON.parse(readRepoFile('package.json')) as { scripts?: Record<string, string> }).scripts ?? {};
}

/** The folders tools/build/build-server.mjs compiles into dist/server (its `sources` list). */
export function serverBuildSources(): string[] {
  const match = /const sources = \[([^\]]*)\]/.exec(readRepoFile('tools/build/build-server.mjs'));
  if (!match) throw new Error('tools/build/build-server.mjs has no `const sources = [...]`');
  return [...match[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

/** The TypeScript file a dist/server JavaScript path is compiled from, if the server build compiles it. */
export function serverSourceFor(distRelativeJs: string): string | undefined {
  if (!distRelativeJs.endsWith('.js')) return undefined;
  const source = distRelativeJs.replace(/\.js$/, '.ts');
  const underBuild = serverBuildSources().some((root) => source === root || source.startsWith(`${root}/`));
  return underBuild && repoPathExists(source) ? source : undefined;
}

function typeScriptFiles(folder: string): string[] {
  const absolute = join(repoRoot, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(absolute, entry))
    .filter((path) => /\.tsx?$/.test(path) && !/\.spec\.tsx?$|__tests__/.test(path) && statSync(path).isFile())
    .map((path) => relative(repoRoot, path));
}

function filesContaining(folder: string, pattern: RegExp): string[] {
  return typeScriptFiles(folder).filter((file) => pattern.test(readRepoFile(file)));
}

/** Health endpoints each process serves, found in its source. */
export function servedHealthPaths(): Record<'api' | 'worker' | 'serving' | 'console', string[]> {
  const apiHealthRoute = filesContaining('apps/api/src', /@Controller\(\s*(?:['"]\/?health['"]|\{[^}]*path:\s*['"]\/?health['"])|@Get\(\s*['"]\/?health['"]/);
  // With a global prefix (REST under /api/v1), /health is only at the root when the prefix excludes it.
  const prefixFiles = filesContaining('apps/api/src', /setGlobalPrefix\(/);
  const prefixKeepsHealthAtRoot = prefixFiles.every((file) => /setGlobalPrefix\([^;]*exclude[^;]*['"]\/?health/.test(readRepoFile(file)));
  const workerHealth = filesContaining('apps/worker/src', /['"`]\/health['"`]/);
  const servingPaths = ['/v2/health/ready', '/v2/health/live', '/healthz'].filter(servingServes);
  const consoleRoute = 'apps/console/app/api/healthz/route.ts';
  const consoleServes = repoPathExists(consoleRoute) && /export\s+(async\s+)?function\s+GET\b|export\s+const\s+GET\b/.test(readRepoFile(consoleRoute));
  return {
    api: apiHealthRoute.length > 0 && prefixKeepsHealthAtRoot ? ['/health'] : [],
    worker: workerHealth.length > 0 ? ['/health'] : [],
    serving: servingPaths,
    console: consoleServes ? ['/api/healthz'] : [],
  };
}

/** The serving server matches paths literally (`path === '/metrics'`): whether it answers this one. */
export function servingServes(path: string): boolean {
  return filesContaining('apps/serving/src', new RegExp(`path === ['"\`]${path.replace(/\//g, '\\/')}['"\`]`)).length > 0;
}

/** The console's Next.js config asks for a standalone build traced from the repository root. */
export function consoleBuildsStandalone(): boolean {
  const config = ['next.config.mjs', 'next.config.js', 'next.config.ts'].map((f) => `apps/console/${f}`).find(repoPathExists);
  if (!config) return false;
  const text = readRepoFile(config);
  return /output:\s*['"]standalone['"]/.test(text) && /outputFileTracingRoot/.test(text);
}

/**
 * How long a worker waits, after SIGTERM, for its running jobs to stop before the queue client fails them
 * (the argument of `this.queue?.stop(...)` in WorkerProcess.stop), in ms. A pod's termination grace must
 * exceed it, or the kubelet kills the worker before its jobs are handed back.
 */
export function workerStopTimeoutMs(): number {
  const match = /this\.queue\?\.stop\(([\d_]+)\)/.exec(readRepoFile('apps/worker/src/worker-process.ts'));
  if (!match) throw new Error('apps/worker/src/worker-process.ts: no `this.queue?.stop(<ms>)` in WorkerProcess.stop');
  return Number(match[1].replace(/_/g, ''));
}
