/**
 * Experiment-tracking speed against the issue's targets: run search over 100,000 runs × 5 metrics with a
 * metric filter (p95 latency < 200 ms) and batched metric ingestion (≥ 50,000 points/s), each through the
 * store (what the API's services call) and through the real API over HTTP (the server build, spawned).
 *
 * An embedded Postgres 17 in a temp folder, migrated with the committed migrations, seeded in SQL
 * (generate_series). Times are wall clock: latency is what a client waits for, so CPU time would flatter it.
 * Writes dist/bench/RESULTS-tracking.md when the whole module runs (tools/bench/RESULTS-tracking.md is the curated copy).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { parseRunFilter, parseRunOrderBy } from '@slipway/contracts';
import { UnitOfWork } from '@slipway/db';
import { applyMigrations, ensureDatabase, startEmbeddedPostgres } from '@slipway/postgres';
import { ensureServerBuild, freePort, startApiProcess, workspaceRoot as root, type ApiProcess } from './bench-platform';
import type { BenchFigure, BenchSuite } from './bench-types';

export const figureNames = ['tracking.search_100k.store.p95', 'tracking.search_100k.http.p95', 'tracking.ingest.store', 'tracking.ingest.http'] as const;

const RUNS = 100_000;
const METRIC_KEYS = ['f1', 'auc', 'loss', 'precision', 'recall'];
const QUERIES = 200;
const SEARCH_TARGET_MS = 200;
const INGEST_TARGET = 50_000;
const BATCH = 1000;
const WRITERS = 4;
const BATCHES_PER_WRITER = 40;
const TOKEN = 'slw_tracking-bench-admin-token-0123456789abcdef';

const log = (message: string) => process.stderr.write(`[tracking] ${message}\n`);

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
}

async function seed(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO experiments (id, name, updated_at) VALUES (gen_random_uuid(), 'bench', now()) RETURNING id`,
    );
    const experimentId = rows[0].id;
    await client.query(
      `INSERT INTO runs (id, experiment_id, name, status, created_by, created_at, started_at, ended_at)
       SELECT gen_random_uuid(), $1, 'run-' || g, (CASE WHEN g % 10 = 0 THEN 'FAILED' ELSE 'FINISHED' END)::run_status, 'bench',
              now() - make_interval(secs => g), now() - make_interval(secs => g), now() - make_interval(secs => g - 1)
       FROM generate_series(1, $2::int) AS g`,
      [experimentId, RUNS],
    );
    await client.query(
      `INSERT INTO run_params (run_id, key, value)
       SELECT id, 'criterion', (ARRAY['gini', 'entropy', 'log_loss'])[1 + floor(random() * 3)::int] FROM runs
       UNION ALL SELECT id, 'maxDepth', (2 + floor(random() * 19)::int)::text FROM runs`,
    );
    await client.query(
      `INSERT INTO latest_metrics (run_id, key, value, step, "timestamp")
       SELECT r.id, k, random(), 99, r.ended_at FROM runs r CROSS JOIN unnest($1::text[]) AS k`,
      [METRIC_KEYS],
    );
    await client.query(`INSERT INTO metrics (run_id, key, value, step, "timestamp") SELECT run_id, key, value, step, "timestamp" FROM latest_metrics`);
    await client.query('ANALYZE');
    log(`seeded ${RUNS} runs × ${METRIC_KEYS.length} metrics in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return experimentId;
  } finally {
    await client.end();
  }
}

/** The searches timed: a metric filter, sorted by a metric or by time, plus the PRODUCT.md query. */
function searchQuery(i: number): { filter: string; orderBy: string } {
  const threshold = (0.5 + ((i * 37) % 49) / 100).toFixed(2);
  switch (i % 4) {
    case 0:
      return { filter: `metrics.f1 > ${threshold}`, orderBy: 'metrics.f1 DESC' };
    case 1:
      return { filter: `metrics.f1 > ${threshold}`, orderBy: 'attributes.created_at DESC' };
    case 2:
      return { filter: `metrics.auc > ${threshold} AND metrics.loss < 0.5`, orderBy: 'metrics.auc DESC' };
    default:
      return { filter: `metrics.f1 > ${threshold} AND (params.criterion = 'gini' OR params.maxDepth IN (4, 8))`, orderBy: 'metrics.f1 DESC' };
  }
}

async function timeSearches(label: string, search: (q: { filter: string; orderBy: string }) => Promise<number>): Promise<number[]> {
  for (let i = 0; i < 10; i++) await search(searchQuery(i)); // warm-up: plans, caches, connections
  const samples: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const start = performance.now();
    const found = await search(searchQuery(i));
    samples.push(performance.now() - start);
    if (found === 0) throw new Error(`${label}: query ${i} found no runs`);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  log(
    `${label}: p50 ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, p95 ${p95(samples).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`,
  );
  return samples;
}

function storeSearch(db: UnitOfWork, experimentId: string) {
  const store = db.read.runSearch;
  return async (q: { filter: string; orderBy: string }): Promise<number> => {
    const filter = parseRunFilter(q.filter);
    const orderBy = parseRunOrderBy(q.orderBy);
    if (!filter.ok || !orderBy.ok) throw new Error(`bad bench query ${q.filter}`);
    const page = await store.search({
      filter: filter.ast,
      orderBy: orderBy.orderBy,
      experimentIds: [experimentId],
      lifecycle: 'active',
      limit: 100,
      queryText: q.filter + q.orderBy,
    });
    return page.runs.length;
  };
}

function batchOf(writer: number, b: number): { key: string; value: number; step: number; timestamp: number }[] {
  const now = Date.now();
  return Array.from({ length: BATCH }, (_, i) => ({
    key: METRIC_KEYS[i % METRIC_KEYS.length],
    value: Math.random(),
    step: b * BATCH + i,
    timestamp: now + writer,
  }));
}

/** WRITERS concurrent writers (training processes), one run each, BATCHES_PER_WRITER batches of BATCH points. */
async function timeIngestion(
  label: string,
  newRun: () => Promise<string>,
  logBatch: (runId: string, writer: number, b: number) => Promise<void>,
): Promise<number> {
  const runIds = await Promise.all(Array.from({ length: WRITERS }, () => newRun()));
  await logBatch(runIds[0], 0, 10_000); // warm-up
  const start = performance.now();
  await Promise.all(
    runIds.map(async (runId, writer) => {
      for (let b = 0; b < BATCHES_PER_WRITER; b++) await logBatch(runId, writer, b);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const rate = (WRITERS * BATCHES_PER_WRITER * BATCH) / seconds;
  log(`${label}: ${WRITERS * BATCHES_PER_WRITER * BATCH} points in ${seconds.toFixed(2)} s = ${Math.round(rate)} points/s`);
  return rate;
}

function figure(name: string, description: string, unit: 'ms' | 'points/s', value: number, target: number): BenchFigure {
  const latency = unit === 'ms';
  const ratio = latency ? value / target : target / value;
  return {
    name,
    description,
    unit,
    value,
    reference: { name: 'issue target', value: target },
    ratio,
    target: latency ? `p95 < ${target} ms` : `≥ ${target.toLocaleString('en-US')} points/s`,
    met: latency ? value < target : value >= target,
  };
}

function writeResults(figures: BenchFigure[], notes: string[]): void {
  const rows = figures.map(
    (f) =>
      `| ${f.description} | ${f.unit === 'ms' ? `${f.value.toFixed(1)} ms` : `${Math.round(f.value).toLocaleString('en-US')} points/s`} | ${f.target} | ${f.ratio?.toFixed(2)}× | ${f.met ? 'met' : '**missed**'} |`,
  );
  const text = `# Experiment-tracking benchmark — results

Measured with \`nice npm run bench -- tracking\` (tools/bench/src/tracking.bench.ts) on ${new Date().toISOString().slice(0, 10)}.

- **Machine:** the shared ${cpus().length}-core development VM, Node ${process.version}, embedded Postgres 17 (default settings) in a temp folder on
  the same machine. Other engineers' builds and tests share the cores (load average at the end of the run: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')}).
- **Data:** ${RUNS.toLocaleString('en-US')} runs in one experiment, each with ${METRIC_KEYS.length} metrics (uniform random latest values, one history point each) and 2 params
  (\`criterion\`, \`maxDepth\`), seeded with \`generate_series\` SQL, then \`ANALYZE\`.
- **Search:** ${QUERIES} searches after 10 warm-up ones, limit 100, cycling through four shapes with thresholds 0.50–0.98:
  \`metrics.f1 > t\` by \`metrics.f1 DESC\`; \`metrics.f1 > t\` by \`attributes.created_at DESC\`; \`metrics.auc > t AND metrics.loss < 0.5\`
  by \`metrics.auc DESC\`; the PRODUCT.md query \`metrics.f1 > t AND (params.criterion = 'gini' OR params.maxDepth IN (4, 8))\`.
  Wall-clock latency, one query at a time; the figure is the p95. Each result page includes the runs' params, tags and latest metrics.
- **Ingestion:** ${WRITERS} concurrent writers (one run each), ${BATCHES_PER_WRITER} batches of ${BATCH} points per writer; each batch is one
  transaction: lock the run, append history, upsert \`latest_metrics\`, one audit entry — exactly what \`POST /runs/:id/log-batch\` does.
- Ratio = value / target for latency, target / value for throughput (< 1 means better than the target).

| figure | measured | target | ratio | status |
| --- | --- | --- | --- | --- |
${rows.join('\n')}
${notes.length > 0 ? `\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''}`;
  // Into dist/, not over the committed tools/bench/RESULTS-tracking.md, which carries hand-written analysis.
  mkdirSync(join(root, 'dist', 'bench'), { recursive: true });
  writeFileSync(join(root, 'dist', 'bench', 'RESULTS-tracking.md'), text);
}

export const run: BenchSuite = async () => {
  const filter = process.env.BENCH_FILTER ?? '';
  const wanted = (name: string) => !filter || filter === 'tracking' || name.includes(filter) || filter.includes(name);
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-tracking-'));
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort() });
  const url = server.urlFor('bench');
  const figures: BenchFigure[] = [];
  const notes: string[] = [];
  let api: ApiProcess | null = null;
  const db = UnitOfWork.connect(url, { poolSize: 10 });
  try {
    await ensureDatabase(server.adminUrl, 'bench');
    await applyMigrations(url, join(root, 'prisma', 'migrations'));
    const experimentId = await seed(url);

    if (wanted('tracking.search_100k.store.p95')) {
      const samples = await timeSearches('search via store', storeSearch(db, experimentId));
      figures.push(
        figure(
          'tracking.search_100k.store.p95',
          `Run search over ${RUNS / 1000}k runs × 5 metrics with a metric filter, through RunSearchStore (p95 of ${QUERIES})`,
          'ms',
          p95(samples),
          SEARCH_TARGET_MS,
        ),
      );
    }
    const main = wanted('http') ? ensureServerBuild(log) : null;
    if (main) api = await startApiProcess({ main, databaseUrl: url, home: join(dir, 'home'), token: TOKEN });
    else if (wanted('http')) notes.push('The HTTP figures were skipped: the server build (tools/build/build-server.mjs) failed.');
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    if (api && wanted('tracking.search_100k.http.p95')) {
      const { baseUrl } = api;
      const samples = await timeSearches('search via HTTP', async (q) => {
        const response = await fetch(`${baseUrl}/api/v1/runs/search`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ ...q, experimentIds: [experimentId], limit: 100 }),
        });
        if (!response.ok) throw new Error(`search answered ${response.status}: ${await response.text()}`);
        return ((await response.json()) as { runs: unknown[] }).runs.length;
      });
      figures.push(
        figure(
          'tracking.search_100k.http.p95',
          `Same searches through POST /api/v1/runs/search (auth, validation, JSON; p95 of ${QUERIES})`,
          'ms',
          p95(samples),
          SEARCH_TARGET_MS,
        ),
      );
    }

    if (wanted('tracking.ingest.store')) {
      const rate = await timeIngestion(
        'ingest via store',
        async () => (await db.read.runs.create({ experimentId, name: 'ingest', createdBy: 'bench', params: [], tags: {} })).id,
        async (runId, writer, b) => {
          const points = batchOf(writer, b);
          // As the API's log-batch does: one unit of work per batch, with its audit entry.
          await db.run({ tokenId: null, name: 'bench' }, async (tx) => {
            await tx.runs.lock(runId, 'share');
            await tx.metrics.append(runId, points);
            await tx.record({ action: 'run.log_batch', entity: { type: 'run', id: runId }, after: { metrics: points.length } });
          });
        },
      );
      figures.push(
        figure(
          'tracking.ingest.store',
          `Batched metric ingestion through MetricStore (${WRITERS} writers × ${BATCH}-point batches, one transaction each)`,
          'points/s',
          rate,
          INGEST_TARGET,
        ),
      );
    }
    if (api && wanted('tracking.ingest.http')) {
      const { baseUrl } = api;
      const rate = await timeIngestion(
        'ingest via HTTP',
        async () => {
          const response = await fetch(`${baseUrl}/api/v1/runs`, { method: 'POST', headers, body: JSON.stringify({ experimentId, name: 'ingest-http' }) });
          return ((await response.json()) as { id: string }).id;
        },
        async (runId, writer, b) => {
          const response = await fetch(`${baseUrl}/api/v1/runs/${runId}/log-batch`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ metrics: batchOf(writer, b) }),
          });
          if (!response.ok) throw new Error(`log-batch answered ${response.status}: ${await response.text()}`);
        },
      );
      figures.push(
        figure(
          'tracking.ingest.http',
          `Same ingestion through POST /api/v1/runs/:id/log-batch (${WRITERS} concurrent clients)`,
          'points/s',
          rate,
          INGEST_TARGET,
        ),
      );
    }
    if (!filter || filter === 'tracking') writeResults(figures, notes);
    return figures;
  } finally {
    api?.child.kill('SIGTERM');
    await db.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
