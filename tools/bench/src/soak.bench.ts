/**
 * Soak: `npm run bench -- soak`. Mixed traffic from 16 concurrent clients against the real API process (the
 * server build, spawned) for SLIPWAY_SOAK_SECONDS (default 600): metric log batches, run searches, version
 * registrations (create, upload, finalize), alias moves, version file and run artifact downloads, and a few
 * list reads. Every answer the mix does not expect is an error, listed; the run passes with zero of them
 * and the API's resident memory growing less than 10% from the end of warm-up to the end.
 *
 * An embedded Postgres in a temp folder, the local object store (the default) in the API's own home.
 * Latency is wall clock per request as the client sees it. RSS is VmRSS from /proc/<pid>/status every 2 s.
 * Writes dist/bench/RESULTS-soak.md (tools/bench/RESULTS-soak.md is the curated copy).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyMigrations, ensureDatabase, startEmbeddedPostgres } from '@slipway/postgres';
import { ensureServerBuild, freePort, startApiProcess, workspaceRoot as root } from './bench-platform';
import type { BenchFigure, BenchSuite } from './bench-types';
import { createSeededRandom } from '@slipway/ml-evaluation';

export const figureNames = ['soak.errors', 'soak.throughput', 'soak.rss_growth', 'soak.p99'] as const;

const CLIENTS = 16;
const TOKEN = 'slw_soak-bench-admin-token-0123456789abcdef0123';
const RSS_GROWTH_LIMIT = 0.1;
const MODEL = 'soak';

const log = (message: string) => process.stderr.write(`[soak] ${message}\n`);

function rssMiB(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)];
}

interface Sample {
  route: string;
  ms: number;
  at: number;
}

interface SoakError {
  route: string;
  status: number;
  body: string;
}

class Client {
  readonly samples: Sample[] = [];
  readonly errors: SoakError[] = [];

  constructor(private readonly baseUrl: string) {}

  /** One request; a status other than `expect` is an error of the soak. Resolves with the body (JSON when it is JSON). */
  async call(route: string, path: string, init: { method?: string; json?: unknown; body?: Buffer; expect?: number } = {}): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    if (init.body !== undefined) headers['content-type'] = 'application/octet-stream';
    const started = performance.now();
    let status = 0;
    let text = '';
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method: init.method ?? 'GET',
        headers,
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body !== undefined ? new Uint8Array(init.body) : undefined,
        signal: AbortSignal.timeout(60_000),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      text = (error as Error).message;
    }
    this.samples.push({ route, ms: performance.now() - started, at: Date.now() });
    if (status !== (init.expect ?? 200)) {
      this.errors.push({ route, status, body: text.slice(0, 300) });
      return undefined;
    }
    return text && text.startsWith('{') ? JSON.parse(text) : text;
  }
}

interface World {
  experimentId: string;
  /** Version numbers known READY (alias moves and downloads pick from them). */
  ready: number[];
  /** One run per client with an artifact of its own. */
  runs: string[];
}

const ARTIFACT = Buffer.alloc(64 * 1024, 0x5a);
const VERSION_FILE = Buffer.from(JSON.stringify({ weights: Array.from({ length: 2000 }, (_, i) => i / 7) }));

async function register(client: Client, world: World): Promise<void> {
  const created = (await client.call('POST /models/:name/versions', `/api/v1/models/${MODEL}/versions`, { method: 'POST', json: {}, expect: 201 })) as
    { version: number } | undefined;
  if (!created) return;
  const uploaded = await client.call('PUT /models/:name/versions/:v/files/*', `/api/v1/models/${MODEL}/versions/${created.version}/files/model.json`, {
    method: 'PUT',
    body: VERSION_FILE,
    expect: 201,
  });
  if (uploaded === undefined) return;
  const finalized = await client.call('POST /models/:name/versions/:v/finalize', `/api/v1/models/${MODEL}/versions/${created.version}/finalize`, {
    method: 'POST',
    json: {},
  });
  if (finalized) world.ready.push(created.version);
}

async function setUp(client: Client): Promise<World> {
  const experiment = (await client.call('setup', '/api/v1/experiments', { method: 'POST', json: { name: 'soak' }, expect: 201 })) as { id: string };
  await client.call('setup', '/api/v1/models', { method: 'POST', json: { name: MODEL }, expect: 201 });
  const world: World = { experimentId: experiment.id, ready: [], runs: [] };
  for (let c = 0; c < CLIENTS; c++) {
    const run = (await client.call('setup', '/api/v1/runs', { method: 'POST', json: { experimentId: experiment.id, name: `soak-${c}` }, expect: 201 })) as {
      id: string;
    };
    await client.call('setup', `/api/v1/runs/${run.id}/artifacts/model/weights.bin`, { method: 'PUT', body: ARTIFACT, expect: 201 });
    await client.call('setup', `/api/v1/runs/${run.id}/log-batch`, {
      method: 'POST',
      json: { metrics: [{ key: 'loss', value: 1, step: 0, timestamp: Date.now() }], params: [{ key: 'lr', value: String(0.001 * (c + 1)) }] },
    });
    world.runs.push(run.id);
  }
  await register(client, world);
  if (world.ready.length === 0) throw new Error(`setup could not register a version: ${JSON.stringify(client.errors)}`);
  await client.call('setup', `/api/v1/models/${MODEL}/aliases/champion`, { method: 'PUT', json: { version: world.ready[0] } });
  if (client.errors.length > 0) throw new Error(`setup failed: ${JSON.stringify(client.errors)}`);
  return world;
}

/** One client's loop: a weighted mix, no think time, until `until`. */
async function soakClient(c: number, client: Client, world: World, until: number): Promise<void> {
  // Seeded: the same mix in every run.
  const random = createSeededRandom(1000 + c);
  const next = () => random.next();
  const runId = world.runs[c];
  let step = 1;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  while (Date.now() < until) {
    const roll = next();
    if (roll < 0.35) {
      const metrics = Array.from({ length: 100 }, (_, i) => ({ key: pick(['loss', 'acc', 'f1']), value: next(), step: step + i, timestamp: Date.now() }));
      step += 100;
      await client.call('POST /runs/:id/log-batch', `/api/v1/runs/${runId}/log-batch`, { method: 'POST', json: { metrics } });
    } else if (roll < 0.5) {
      const threshold = next().toFixed(2);
      await client.call('POST /runs/search', '/api/v1/runs/search', {
        method: 'POST',
        json: { experimentIds: [world.experimentId], filter: `metrics.loss < ${threshold}`, orderBy: 'metrics.loss ASC', limit: 50 },
      });
    } else if (roll < 0.56) {
      await register(client, world);
    } else if (roll < 0.66) {
      await client.call('PUT /models/:name/aliases/:alias', `/api/v1/models/${MODEL}/aliases/${pick(['champion', 'challenger', 'staging'])}`, {
        method: 'PUT',
        json: { version: pick(world.ready) },
      });
    } else if (roll < 0.78) {
      await client.call('GET /models/:name/versions/:v/files/*', `/api/v1/models/${MODEL}/versions/${pick(world.ready)}/files/model.json`);
    } else if (roll < 0.9) {
      await client.call('GET /runs/:id/artifacts/*', `/api/v1/runs/${pick(world.runs)}/artifacts/model/weights.bin`);
    } else {
      const list = pick([
        ['GET /experiments', '/api/v1/experiments'],
        ['GET /models', '/api/v1/models'],
        ['GET /models/:name/versions', `/api/v1/models/${MODEL}/versions?limit=20`],
        ['GET /runs/:id', `/api/v1/runs/${pick(world.runs)}`],
      ] as const);
      await client.call(list[0], list[1]);
    }
  }
}

function figure(name: string, description: string, unit: BenchFigure['unit'], value: number, target?: string, met?: boolean): BenchFigure {
  return { name, description, unit, value, reference: null, ratio: null, ...(target !== undefined && { target, met }) };
}

export const run: BenchSuite = async () => {
  const seconds = Number(process.env.SLIPWAY_SOAK_SECONDS ?? 600);
  if (!Number.isFinite(seconds) || seconds < 40) throw new Error('SLIPWAY_SOAK_SECONDS must be a number ≥ 40');
  // The heap grows to its working size first (V8 sizes its spaces to the load): a fifth of the run, at least 20 s.
  const warmUpSeconds = Math.max(20, Math.round(seconds * 0.2));
  const main = ensureServerBuild(log);
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-soak-'));
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort() });
  let api: ChildProcess | undefined;
  try {
    await ensureDatabase(server.adminUrl, 'soak');
    const url = server.urlFor('soak');
    await applyMigrations(url, join(root, 'prisma', 'migrations'));
    const started = await startApiProcess({ main, databaseUrl: url, home: join(dir, 'home'), token: TOKEN });
    api = started.child;
    const { baseUrl, child } = started;
    const pid = child.pid as number;
    const world = await setUp(new Client(baseUrl));
    log(`${CLIENTS} clients for ${seconds} s (warm-up ${warmUpSeconds} s), API pid ${pid}, RSS at start ${rssMiB(pid).toFixed(1)} MiB`);

    const startedAt = Date.now();
    const until = startedAt + seconds * 1000;
    const rss: { at: number; mib: number }[] = [];
    const sampler = setInterval(() => rss.push({ at: Date.now(), mib: rssMiB(pid) }), 2000);
    const progress = setInterval(() => log(`${Math.round((Date.now() - startedAt) / 1000)} s, RSS ${rss[rss.length - 1]?.mib.toFixed(1)} MiB`), 30_000);
    const clients = Array.from({ length: CLIENTS }, () => new Client(baseUrl));
    try {
      await Promise.all(clients.map((client, c) => soakClient(c, client, world, until)));
    } finally {
      clearInterval(sampler);
      clearInterval(progress);
    }
    const elapsed = (Date.now() - startedAt) / 1000;
    rss.push({ at: Date.now(), mib: rssMiB(pid) });

    const samples = clients.flatMap((c) => c.samples);
    const errors = clients.flatMap((c) => c.errors);
    const warmUpEnd = startedAt + warmUpSeconds * 1000;
    // Averages over 10 s windows, so one garbage-collection swing does not decide the figure.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const afterWarmUp = mean(rss.filter((s) => s.at >= warmUpEnd - 10_000 && s.at <= warmUpEnd).map((s) => s.mib));
    const atEnd = mean(rss.filter((s) => s.at >= Date.now() - 10_000).map((s) => s.mib));
    const growth = (atEnd - afterWarmUp) / afterWarmUp;
    const maxRss = Math.max(...rss.map((s) => s.mib));

    const routes = [...new Set(samples.map((s) => s.route))].sort();
    const perRoute = routes.map((route) => {
      const ms = samples
        .filter((s) => s.route === route)
        .map((s) => s.ms)
        .sort((a, b) => a - b);
      return { route, count: ms.length, p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), max: ms[ms.length - 1] };
    });
    const throughput = samples.length / elapsed;
    const allMs = samples.map((s) => s.ms).sort((a, b) => a - b);
    log(`${samples.length} requests in ${elapsed.toFixed(1)} s = ${throughput.toFixed(1)} req/s; errors ${errors.length}`);
    log(`RSS after warm-up ${afterWarmUp.toFixed(1)} MiB, at end ${atEnd.toFixed(1)} MiB (${(growth * 100).toFixed(1)}%), max ${maxRss.toFixed(1)} MiB`);
    for (const r of perRoute)
      log(`${r.route.padEnd(42)} n=${String(r.count).padStart(6)} p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(1)} ms`);
    for (const e of errors.slice(0, 50)) log(`error: ${e.route} → ${e.status}: ${e.body}`);

    const figures: BenchFigure[] = [
      figure(
        'soak.errors',
        `Unexpected answers (any non-2xx the mix does not expect) over ${elapsed.toFixed(0)} s of ${CLIENTS} clients`,
        'count',
        errors.length,
        '0',
        errors.length === 0,
      ),
      figure('soak.throughput', `Requests per second, all routes, ${CLIENTS} closed-loop clients without think time`, 'ops/s', throughput),
      figure(
        'soak.rss_growth',
        `API RSS growth, ${afterWarmUp.toFixed(1)} MiB after ${warmUpSeconds} s warm-up → ${atEnd.toFixed(1)} MiB at the end (10 s means)`,
        '%',
        growth * 100,
        `< ${RSS_GROWTH_LIMIT * 100}%`,
        growth < RSS_GROWTH_LIMIT,
      ),
      figure('soak.p99', `p99 latency over all ${samples.length} requests`, 'ms', percentile(allMs, 0.99)),
      ...perRoute.map((r) => figure(`soak.p99 ${r.route}`, `p99 of ${r.route} (n=${r.count}, p50 ${r.p50.toFixed(1)} ms)`, 'ms', r.p99)),
    ];
    writeResults({ seconds: elapsed, warmUpSeconds, perRoute, errors, throughput, afterWarmUp, atEnd, growth, maxRss, requests: samples.length, rss });
    if (errors.length > 0 || growth >= RSS_GROWTH_LIMIT) {
      log(`MISSED: ${errors.length} errors, RSS growth ${(growth * 100).toFixed(1)}%`);
      process.exitCode = 1;
    }
    return figures;
  } finally {
    api?.kill('SIGTERM');
    await new Promise((r) => (api && api.exitCode === null ? api.once('exit', r) : r(undefined)));
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

function writeResults(r: {
  seconds: number;
  warmUpSeconds: number;
  perRoute: { route: string; count: number; p50: number; p99: number; max: number }[];
  errors: SoakError[];
  throughput: number;
  afterWarmUp: number;
  atEnd: number;
  growth: number;
  maxRss: number;
  requests: number;
  rss: { at: number; mib: number }[];
}): void {
  const command = `${process.env.SLIPWAY_SOAK_SECONDS ? `SLIPWAY_SOAK_SECONDS=${process.env.SLIPWAY_SOAK_SECONDS} ` : ''}npm run bench -- soak`;
  const text = `# Soak — results

\`${command}\` (tools/bench/src/soak.bench.ts), ${new Date().toISOString()}.

- **Machine:** ${cpus().length} cores, Node ${process.version}; load average at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')}. Embedded Postgres 17 and the local object store on the same machine; the API is the server build (dist/server).
- **Traffic:** ${CLIENTS} closed-loop clients, no think time, ${r.seconds.toFixed(0)} s (warm-up ${r.warmUpSeconds} s): 35% log batches of 100 points, 15% run
  searches, 6% registrations (create, upload, finalize), 10% alias moves, 12% version file downloads, 12% run artifact downloads (64 KiB), 10% list reads.
- **Requests:** ${r.requests} (${r.throughput.toFixed(1)} req/s); **errors: ${r.errors.length}**${r.errors.length > 0 ? ` (${[...new Set(r.errors.map((e) => `${e.route} → ${e.status}`))].join('; ')})` : ''}.
- **API RSS:** ${r.afterWarmUp.toFixed(1)} MiB after warm-up, ${r.atEnd.toFixed(1)} MiB at the end: **${(r.growth * 100).toFixed(1)}%** (limit < ${RSS_GROWTH_LIMIT * 100}%), max ${r.maxRss.toFixed(1)} MiB.

| route | requests | p50 | p99 | max |
| --- | ---: | ---: | ---: | ---: |
${r.perRoute.map((p) => `| \`${p.route}\` | ${p.count} | ${p.p50.toFixed(1)} ms | ${p.p99.toFixed(1)} ms | ${p.max.toFixed(1)} ms |`).join('\n')}
`;
  mkdirSync(join(root, 'dist', 'bench'), { recursive: true });
  writeFileSync(join(root, 'dist', 'bench', 'RESULTS-soak.md'), text);
}
