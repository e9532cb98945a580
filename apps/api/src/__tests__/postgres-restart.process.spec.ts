/**
 * Postgres stopped and started again under traffic, with the platform's own processes: the API (its
 * sources, compiled on load by SWC; see support/swc-register.cjs) and a worker (tsx), both spawned as
 * production runs them, on an embedded Postgres this file starts itself so that it can stop it: once with
 * a fast shutdown (SIGINT, what `pg_ctl stop -m fast` sends) and once by SIGKILL of the postmaster.
 *
 * While it is down the API answers 503 UNAVAILABLE naming the database, never 500 and never slower than
 * the bound; /health says DOWN. Once it is back on the same port and data folder, API and worker carry on
 * without a restart, every write that was acknowledged is there, and a write that answered 503 is there
 * entirely (its audit entry, every point of its batch) or not at all.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findWorkspaceRoot } from '@slipway/config';
import { applyMigrations, ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from '@slipway/postgres';
import { connectTestSql, freePort, migrationsDir, startLocalHttpServer, waitFor, type LocalHttpServer, type TestSql } from '@slipway/testing';

const root = findWorkspaceRoot(__dirname);
const TOKEN = 'slw_postgres-restart-test-admin-token-0123456789abcdef';
/** No request may take longer than this, outage or not (the pool's connect timeout is 15 s). */
const REQUEST_BOUND_MS = 20_000;
/** The first write after Postgres accepts connections again succeeds within this. */
const RECOVERY_BOUND_MS = 15_000;
const CLIENTS = 8;

interface Spawned {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
}

function spawnProcess(args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { child, output: () => output };
}

const alive = (p: Spawned) => p.child.exitCode === null && p.child.signalCode === null;

interface Outcome {
  kind: 'create' | 'log' | 'read';
  status: number;
  ms: number;
  code?: string;
  message?: string;
  /** create: the run's name; log: `${runId}:${step}`. */
  key: string;
}

describe('Postgres stopped and restarted under traffic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-pg-restart-'));
  let port: number;
  let postgres: RunningPostgres;
  let url: string;
  let api: Spawned;
  let worker: Spawned;
  let baseUrl: string;
  let sql: TestSql;
  let receiver: LocalHttpServer;
  const pings: string[] = [];

  const call = async (path: string, init: { method?: string; json?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown>; ms: number }> => {
    const started = Date.now();
    const response = await fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${TOKEN}`, ...(init.json !== undefined && { 'content-type': 'application/json' }) },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      signal: AbortSignal.timeout(REQUEST_BOUND_MS + 5_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, ms: Date.now() - started };
  };

  const startPostgres = async () => {
    // After a SIGKILL the old backends notice their postmaster is gone and exit; until they have, a new
    // postmaster refuses the data folder (shared memory still in use), so a start is retried for a while.
    postgres = await waitFor(() => startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port }).catch(() => undefined), {
      what: 'Postgres starts again on the same port and data folder',
      timeoutMs: 60_000,
    });
  };

  beforeAll(async () => {
    port = await freePort();
    await startPostgres();
    await ensureDatabase(postgres.adminUrl, 'restart');
    url = postgres.urlFor('restart');
    await applyMigrations(url, migrationsDir());
    receiver = await startLocalHttpServer((request, _body, response) => {
      pings.push(String(request.headers['x-slipway-event']));
      response.writeHead(200).end();
    });
    const apiPort = await freePort();
    baseUrl = `http://127.0.0.1:${apiPort}`;
    const common = { DATABASE_URL: url, SLIPWAY_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', SLIPWAY_LOG_LEVEL: 'warn' };
    api = spawnProcess(['--require', join(__dirname, 'support', 'swc-register.cjs'), join(root, 'apps/api/src/main.ts')], {
      ...common,
      SLIPWAY_HOME: join(dir, 'api-home'),
      SLIPWAY_API_PORT: String(apiPort),
      SLIPWAY_BOOTSTRAP_TOKEN: TOKEN,
      SLIPWAY_MIGRATE_ON_START: 'false',
    });
    worker = spawnProcess(['--import', 'tsx', join(root, 'apps/worker/src/main.ts')], {
      ...common,
      SLIPWAY_HOME: join(dir, 'worker-home'),
      SLIPWAY_TF_BACKEND: 'cpu',
    });
    await waitFor(
      async () => {
        if (!alive(api)) throw new Error(`API exited:\n${api.output()}`);
        if (!alive(worker)) throw new Error(`worker exited:\n${worker.output()}`);
        const health = await call('/health').catch(() => undefined);
        return health?.status === 200 && (health.body.workers as { connected: number }).connected >= 1 ? true : undefined;
      },
      { what: 'API healthy with a worker connected', timeoutMs: 120_000 },
    );
    sql = connectTestSql(url);
  }, 180_000);

  afterAll(async () => {
    // A process that died on its own is the failure to explain: show what it printed.
    for (const [name, p] of [
      ['API', api],
      ['worker', worker],
    ] as const)
      if (p && !alive(p) && p.child.signalCode === null && p.child.exitCode !== 0)
        process.stderr.write(`[postgres-restart] the ${name} exited with ${p.child.exitCode}:\n${p.output().slice(-8000)}\n`);
    for (const p of [worker, api]) if (p && alive(p)) p.child.kill('SIGKILL');
    await sql?.close().catch(() => undefined);
    await receiver?.close();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 naming the database while it is down, recovers by itself, and loses nothing acknowledged', async () => {
    const experiment = await call('/api/v1/experiments', { method: 'POST', json: { name: 'restart' } });
    expect(experiment.status).toBe(201);
    const experimentId = experiment.body.id as string;
    const webhook = await call('/api/v1/webhooks', { method: 'POST', json: { name: 'restart', url: receiver.url('/hook'), events: ['alias.moved'] } });
    expect(webhook.status).toBe(201);

    const outcomes: Outcome[] = [];
    const ackedRuns = new Map<string, string>(); // name → id
    let stop = false;
    const client = async (c: number) => {
      let n = 0;
      let ownRun: string | undefined;
      while (!stop) {
        n += 1;
        const name = `c${c}-${n}`;
        const started = Date.now();
        const record = (kind: Outcome['kind'], key: string, r: { status: number; body: Record<string, unknown>; ms: number } | Error) =>
          outcomes.push(
            r instanceof Error
              ? { kind, key, status: 0, ms: Date.now() - started, message: r.message }
              : {
                  kind,
                  key,
                  status: r.status,
                  ms: r.ms,
                  ...(r.status >= 400 && {
                    code: (r.body.error as { code?: string } | undefined)?.code,
                    message: (r.body.error as { message?: string } | undefined)?.message ?? JSON.stringify(r.body).slice(0, 200),
                  }),
                },
          );
        const created = await call('/api/v1/runs', { method: 'POST', json: { experimentId, name } }).catch((e: Error) => e);
        record('create', name, created);
        if (!(created instanceof Error) && created.status === 201) {
          ackedRuns.set(name, created.body.id as string);
          ownRun ??= created.body.id as string;
        }
        if (ownRun) {
          const step = n;
          const metrics = [0, 1, 2].map((i) => ({ key: `m${i}`, value: step + i / 10, step, timestamp: Date.now() }));
          record('log', `${ownRun}:${step}`, await call(`/api/v1/runs/${ownRun}/log-batch`, { method: 'POST', json: { metrics } }).catch((e: Error) => e));
          record('read', ownRun, await call(`/api/v1/runs/${ownRun}`).catch((e: Error) => e));
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const traffic = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    const phases: { mode: string; outage503: number; recoveredInMs: number; healthDuring: unknown }[] = [];
    try {
      for (const mode of ['fast shutdown (SIGINT)', 'SIGKILL of the postmaster']) {
        await sleep(1_500);
        if (mode.startsWith('SIGKILL')) {
          const pid = Number(readFileSync(join(postgres.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
          process.kill(pid, 'SIGKILL');
        } else {
          await postgres.stop();
        }
        const downAt = outcomes.length;
        await sleep(1_000);
        const health = await call('/health');
        expect({ mode, status: health.status, database: (health.body.checks as { database: { status: string } }).database.status }).toEqual({
          mode,
          status: 503,
          database: 'DOWN',
        });
        await sleep(2_000);
        const during = outcomes.slice(downAt);
        const outage503 = during.filter((o) => o.status === 503).length;
        expect({ mode, outage503: outage503 > 0 }).toEqual({ mode, outage503: true });

        await startPostgres();
        const upAt = Date.now();
        const mark = outcomes.length;
        await waitFor(async () => (outcomes.slice(mark).some((o) => o.kind === 'create' && o.status === 201) ? true : undefined), {
          what: `a write succeeds after the ${mode}`,
          timeoutMs: RECOVERY_BOUND_MS,
        }).catch((error: Error) => {
          // What the clients were answered instead, to tell a slow recovery from a stuck one.
          const seen = outcomes.slice(mark).map((o) => `${o.kind} ${o.status} ${o.message ?? ''}`);
          throw new Error(`${error.message}; ${seen.length} answers since, the last: ${JSON.stringify(seen.slice(-8))}\nAPI:\n${api.output().slice(-4000)}`);
        });
        phases.push({ mode, outage503, recoveredInMs: Date.now() - upAt, healthDuring: health.body.checks });
        await sleep(1_500);
      }
    } finally {
      stop = true;
      await traffic;
    }

    // Nothing but success or a coded 503 naming the database, and nothing slower than the bound.
    const unexpected = outcomes.filter(
      (o) => !((o.status >= 200 && o.status < 300) || (o.status === 503 && o.code === 'UNAVAILABLE' && /database/i.test(o.message ?? ''))),
    );
    expect(unexpected).toEqual([]);
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(REQUEST_BOUND_MS);
    expect(outcomes.filter((o) => o.status === 503).every((o) => /^The database is (unreachable|too busy)/.test(o.message ?? ''))).toBe(true);

    // Every acknowledged run is there, with its audit entry.
    const runs = await sql.query<{ id: string; name: string; audited: boolean }>(
      `SELECT r.id, r.name, EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_id = r.id::text AND a.action = 'run.create') AS audited FROM runs r WHERE r.experiment_id = $1`,
      [experimentId],
    );
    const stored = new Map(runs.map((r) => [r.name, r]));
    for (const [name, id] of ackedRuns) expect({ name, id: stored.get(name)?.id }).toEqual({ name, id });
    // A run is never there without its audit entry; one that is there unacknowledged answered 503 (its commit's answer was lost).
    expect(runs.filter((r) => !r.audited)).toEqual([]);
    const refusedCreates = new Set(outcomes.filter((o) => o.kind === 'create' && o.status === 503).map((o) => o.key));
    const inDoubtRuns = runs.filter((r) => !ackedRuns.has(r.name));
    expect(inDoubtRuns.filter((r) => !refusedCreates.has(r.name))).toEqual([]);

    // Every acknowledged batch is there whole; a batch that answered 503 is there whole or not at all.
    const points = await sql.query<{ run_id: string; step: number; n: number }>(
      `SELECT run_id::text, step::int AS step, count(*)::int AS n FROM metrics WHERE run_id = ANY($1::uuid[]) GROUP BY run_id, step`,
      [[...ackedRuns.values()]],
    );
    const batches = new Map(points.map((p) => [`${p.run_id}:${p.step}`, p.n]));
    const logs = outcomes.filter((o) => o.kind === 'log');
    for (const o of logs.filter((l) => l.status === 200)) expect({ batch: o.key, points: batches.get(o.key) }).toEqual({ batch: o.key, points: 3 });
    expect([...batches.entries()].filter(([, n]) => n !== 3)).toEqual([]);
    const refusedLogs = new Set(logs.filter((l) => l.status === 503).map((l) => l.key));
    const ackedLogs = new Set(logs.filter((l) => l.status === 200).map((l) => l.key));
    expect([...batches.keys()].filter((k) => !ackedLogs.has(k) && !refusedLogs.has(k))).toEqual([]);

    // API and worker recovered without a restart: same processes, healthy, and the worker takes new jobs.
    expect([alive(api), alive(worker)]).toEqual([true, true]);
    const health = await waitFor(
      async () => {
        const h = await call('/health');
        return h.status === 200 && (h.body.workers as { connected: number }).connected >= 1 ? h : undefined;
      },
      { what: 'health OK with the worker connected again', timeoutMs: 60_000 },
    );
    expect(health.body.status).toBe('OK');
    expect((await call(`/api/v1/webhooks/${webhook.body.id as string}/ping`, { method: 'POST' })).status).toBeLessThan(300);
    await waitFor(async () => (pings.includes('ping') ? true : undefined), { what: 'the worker delivers a ping queued after the restarts', timeoutMs: 60_000 });

    // And both still stop cleanly on SIGTERM: nothing the outage broke holds their shutdown.
    const exits = [api, worker].map(
      (p) => new Promise<{ code: number | null; signal: string | null }>((resolve) => p.child.once('exit', (code, signal) => resolve({ code, signal }))),
    );
    const stoppingAt = Date.now();
    for (const p of [api, worker]) p.child.kill('SIGTERM');
    await expect(Promise.all(exits)).resolves.toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    expect(Date.now() - stoppingAt).toBeLessThan(40_000);

    const count = (kind: Outcome['kind'], status: number) => outcomes.filter((o) => o.kind === kind && o.status === status).length;
    process.stdout.write(
      `[postgres-restart] ${outcomes.length} requests: creates ${count('create', 201)} ok / ${count('create', 503)} 503, ` +
        `log batches ${count('log', 200)} ok / ${count('log', 503)} 503, reads ${count('read', 200)} ok / ${count('read', 503)} 503; ` +
        `runs committed though answered 503: ${inDoubtRuns.length}; phases ${JSON.stringify(phases.map(({ mode, outage503, recoveredInMs }) => ({ mode, outage503, recoveredInMs })))}; ` +
        `slowest ${Math.max(...outcomes.map((o) => o.ms))} ms\n`,
    );
  }, 300_000);
});
