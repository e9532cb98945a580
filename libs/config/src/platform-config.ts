/**
 * Every setting Slipway reads from the environment, parsed once at boot (STYLE.md habit 7).
 * The table in README.md "Configuration" is generated from SETTINGS below by a test that keeps them in step.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/** One documented environment variable. */
interface Setting {
  env: string;
  description: string;
  default: string;
}

export const SETTINGS = [
  { env: 'DATABASE_URL', default: '(embedded Postgres)', description: 'Postgres to use. Unset: `npm start` runs an embedded Postgres 17 with its data in `$SLIPWAY_HOME/postgres`.' },
  { env: 'SLIPWAY_HOME', default: '.slipway', description: 'Folder for local state: embedded Postgres data, local artifact store, platform keys, bootstrap token. Relative to the working directory.' },
  { env: 'SLIPWAY_PG_PORT', default: '54329', description: 'Port of the embedded Postgres (127.0.0.1 only).' },
  { env: 'SLIPWAY_DB_NAME', default: 'slipway', description: 'Database created in the embedded Postgres.' },
  { env: 'SLIPWAY_API_HOST', default: '127.0.0.1', description: 'Interface the API listens on (`0.0.0.0` in containers).' },
  { env: 'SLIPWAY_API_PORT', default: '3000', description: 'API port: REST under `/api/v1`, `/health`, OpenAPI at `/docs` and `/docs-json`.' },
  { env: 'SLIPWAY_API_URL', default: 'http://127.0.0.1:$SLIPWAY_API_PORT', description: 'Where the console, workers and CLI reach the API.' },
  { env: 'SLIPWAY_CONSOLE_PORT', default: '3001', description: 'Console (Next.js) port.' },
  { env: 'SLIPWAY_WORKERS', default: '1', description: 'Worker processes `npm start` launches (0 for none). More machines can run `npm run worker` against the same DATABASE_URL.' },
  { env: 'SLIPWAY_WORKER_CONCURRENCY', default: '1', description: 'Jobs one worker process trains at once.' },
  { env: 'SLIPWAY_WORKER_HEALTH_PORT', default: '(off)', description: 'When set, each worker serves `GET /health` on this port (for container liveness probes).' },
  { env: 'SLIPWAY_MIGRATE_ON_START', default: 'true', description: 'The API applies pending database migrations at boot (under an advisory lock, so replicas may start together).' },
  { env: 'SLIPWAY_TF_BACKEND', default: 'auto', description: 'TensorFlow.js backend for workers: auto, node-gpu (tfjs-node-gpu, CUDA), webgpu (hardware adapter only), node (tfjs-node), wasm, cpu. `auto` takes the first that loads, in that order.' },
  { env: 'SLIPWAY_ARTIFACT_DIR', default: '$SLIPWAY_HOME/artifacts', description: 'Local object store folder, used when S3_BUCKET is unset.' },
  { env: 'S3_BUCKET', default: '(unset: local store)', description: 'Bucket for artifacts on an S3-protocol store (MinIO, AWS S3). Setting it switches the object store to S3.' },
  { env: 'S3_ENDPOINT', default: '(AWS default)', description: 'S3 endpoint URL, e.g. http://minio:9000.' },
  { env: 'S3_REGION', default: 'us-east-1', description: 'S3 region.' },
  { env: 'S3_ACCESS_KEY_ID', default: '(unset)', description: 'S3 access key.' },
  { env: 'S3_SECRET_ACCESS_KEY', default: '(unset)', description: 'S3 secret key.' },
  { env: 'S3_FORCE_PATH_STYLE', default: 'true', description: 'Path-style bucket addressing (needed by MinIO).' },
  { env: 'SLIPWAY_LOG_LEVEL', default: 'info', description: 'Log level: fatal, error, warn, info, debug, trace.' },
] as const satisfies readonly Setting[];

export type SettingName = (typeof SETTINGS)[number]['env'];

// Same names as @slipway/ml-runtime's BACKEND_NAMES (a worker test keeps them in step).
export const TF_BACKEND_SETTINGS = ['auto', 'node-gpu', 'webgpu', 'node', 'wasm', 'cpu'] as const;
export type TfBackendSetting = (typeof TF_BACKEND_SETTINGS)[number];

const port = z.coerce.number().int().min(1).max(65535);
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  SLIPWAY_HOME: z.string().min(1).default('.slipway'),
  SLIPWAY_PG_PORT: port.default(54329),
  SLIPWAY_DB_NAME: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'lower-case letters, digits and _').default('slipway'),
  SLIPWAY_API_HOST: z.string().min(1).default('127.0.0.1'),
  SLIPWAY_API_PORT: port.default(3000),
  SLIPWAY_API_URL: z.string().url().optional(),
  SLIPWAY_CONSOLE_PORT: port.default(3001),
  SLIPWAY_WORKERS: z.coerce.number().int().min(0).max(64).default(1),
  SLIPWAY_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  SLIPWAY_WORKER_HEALTH_PORT: port.optional(),
  SLIPWAY_MIGRATE_ON_START: flag.default(true),
  SLIPWAY_TF_BACKEND: z.enum(TF_BACKEND_SETTINGS).default('auto'),
  SLIPWAY_ARTIFACT_DIR: z.string().min(1).optional(),
  S3_BUCKET: z.string().min(3).optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: flag.default(true),
  SLIPWAY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

export type ObjectStoreConfig =
  | { kind: 'local'; rootDir: string }
  | { kind: 's3'; bucket: string; endpoint?: string; region: string; accessKeyId?: string; secretAccessKey?: string; forcePathStyle: boolean };

export interface PlatformConfig {
  /** Absolute path of the local state folder. */
  home: string;
  database: { url?: string; embedded: { port: number; dataDir: string; databaseName: string } };
  api: { host: string; port: number; publicUrl: string };
  console: { port: number };
  workers: { processes: number; concurrency: number; tfBackend: TfBackendSetting; healthPort?: number };
  migrateOnStart: boolean;
  objectStore: ObjectStoreConfig;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
}

export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment into a PlatformConfig; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PlatformConfig {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(blanksRemoved);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => ({ variable: String(issue.path[0]), message: issue.message })));
  }
  const e = parsed.data;
  const home = resolve(cwd, e.SLIPWAY_HOME);
  const objectStore: ObjectStoreConfig = e.S3_BUCKET
    ? {
        kind: 's3',
        bucket: e.S3_BUCKET,
        endpoint: e.S3_ENDPOINT,
        region: e.S3_REGION,
        accessKeyId: e.S3_ACCESS_KEY_ID,
        secretAccessKey: e.S3_SECRET_ACCESS_KEY,
        forcePathStyle: e.S3_FORCE_PATH_STYLE,
      }
    : { kind: 'local', rootDir: resolve(cwd, e.SLIPWAY_ARTIFACT_DIR ?? join(home, 'artifacts')) };
  const apiHostForUrl = e.SLIPWAY_API_HOST === '0.0.0.0' ? '127.0.0.1' : e.SLIPWAY_API_HOST;
  return {
    home,
    database: { url: e.DATABASE_URL, embedded: { port: e.SLIPWAY_PG_PORT, dataDir: join(home, 'postgres'), databaseName: e.SLIPWAY_DB_NAME } },
    api: { host: e.SLIPWAY_API_HOST, port: e.SLIPWAY_API_PORT, publicUrl: e.SLIPWAY_API_URL ?? `http://${apiHostForUrl}:${e.SLIPWAY_API_PORT}` },
    console: { port: e.SLIPWAY_CONSOLE_PORT },
    workers: { processes: e.SLIPWAY_WORKERS, concurrency: e.SLIPWAY_WORKER_CONCURRENCY, tfBackend: e.SLIPWAY_TF_BACKEND, healthPort: e.SLIPWAY_WORKER_HEALTH_PORT },
    migrateOnStart: e.SLIPWAY_MIGRATE_ON_START,
    objectStore,
    logLevel: e.SLIPWAY_LOG_LEVEL,
  };
}

/** Requires DATABASE_URL: for processes (API, worker) that never start a database themselves. */
export function requireDatabaseUrl(config: PlatformConfig): string {
  if (!config.database.url) throw new ConfigError([{ variable: 'DATABASE_URL', message: 'required (npm start sets it for the processes it launches)' }]);
  return config.database.url;
}

/**
 * The repository (or image) root: the nearest folder above `from` holding prisma/schema.prisma.
 * Migrations and the console build are found from here, wherever the process was started.
 */
export function findWorkspaceRoot(from: string = __dirname): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'prisma', 'schema.prisma'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No Slipway workspace (prisma/schema.prisma) above ${from}`);
    dir = parent;
  }
}

let cachedVersion: string | undefined;

/** Slipway's version: the root package.json's. */
export function platformVersion(): string {
  if (cachedVersion) return cachedVersion;
  try {
    cachedVersion = String(JSON.parse(readFileSync(join(findWorkspaceRoot(), 'package.json'), 'utf8')).version);
  } catch {
    cachedVersion = '0.0.0-unknown';
  }
  return cachedVersion;
}
