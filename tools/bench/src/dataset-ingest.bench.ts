/**
 * Dataset ingest + profile against pandas: `npm run bench -- dataset-ingest`. A generated CSV of
 * SLIPWAY_INGEST_ROWS (default 1,000,000) rows × 12 columns (8 decimals of 15-16 digits, 2 integers, a 5-value
 * category, a 3-class string label; ~185 MB) is
 * - uploaded to the real API process (the server build, spawned; embedded Postgres, local object store) with the
 *   SDK's streaming `datasets.upload`: PUT /api/v1/datasets end to end — streamed, hashed, stored, profiled, recorded;
 * - profiled alone in this process (CsvProfiler over a file stream, what the upload runs on the bytes);
 * - read and described by pandas (`read_csv` + `describe(include="all")`, Debian's python3-pandas) in a fresh process.
 * The three run interleaved, SLIPWAY_INGEST_ROUNDS times (default 3), and each figure is the median of its rounds, so
 * the shared machine's load falls on all of them alike. Wall time: the upload is several processes, CPU time of one
 * would flatter it. The dataset is deleted after each upload, so every round stores a new dataset (201), not the dedupe path.
 * Writes dist/bench/RESULTS-ingest.json with the raw rounds (tools/bench/RESULTS-training.md is the curated write-up).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, createReadStream, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SlipwayNodeClient } from '@slipway/client-node';
import { CsvProfiler } from '@slipway/dataset-files';
import { createSeededRandom } from '@slipway/ml-evaluation';
import { applyMigrations, ensureDatabase, startEmbeddedPostgres } from '@slipway/postgres';
import { ensureServerBuild, freePort, startApiProcess, workspaceRoot as root } from './bench-platform';
import type { BenchFigure, BenchSuite } from './bench-types';

export const figureNames = ['ingest.upload_1m', 'ingest.profile_1m'] as const;

const PYTHON = '/usr/bin/python3';
const TOKEN = 'slw_ingest-bench-admin-token-0123456789abcdef012';
const CATEGORIES = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
const LABELS = ['setosa', 'versicolor', 'virginica'];

const log = (message: string) => process.stderr.write(`[ingest] ${message}\n`);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The file, seeded (the same bytes every run): decimals at several scales, integers, a category and a label. */
function generateCsv(path: string, rows: number): number {
  const random = createSeededRandom(20261201);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, 'f1,f2,f3,f4,f5,f6,f7,f8,count,score,segment,label\n');
    let batch: string[] = [];
    for (let r = 0; r < rows; r++) {
      const cells: string[] = [];
      for (let c = 0; c < 8; c++) cells.push(((random.next() - 0.5) * 10 ** (c % 4)).toFixed(15 - (c % 4)));
      cells.push(String(random.int(2 ** 31)), String(random.int(200) - 100), CATEGORIES[random.int(5)], LABELS[random.int(3)]);
      batch.push(cells.join(','));
      if (batch.length === 10_000) {
        writeSync(fd, batch.join('\n') + '\n');
        batch = [];
      }
    }
    if (batch.length) writeSync(fd, batch.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
  return statSync(path).size;
}

async function profileAlone(path: string): Promise<{ seconds: number; rows: number }> {
  const started = performance.now();
  const profiler = new CsvProfiler();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) profiler.push(chunk as Buffer);
  const table = profiler.finish({ targetColumn: 'label' });
  return { seconds: (performance.now() - started) / 1000, rows: table.rows };
}

function pandas(path: string): { seconds: number; readSeconds: number; describeSeconds: number; rows: number; pandas: string } {
  const proc = spawnSync(PYTHON, [join(__dirname, '..', 'python', 'ingest_pandas.py'), path], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (proc.status !== 0) throw new Error(`pandas reference failed (is python3-pandas installed?): ${proc.stderr}`);
  return JSON.parse(proc.stdout.trim().split('\n').pop() as string);
}

export const run: BenchSuite = async () => {
  const rows = Number(process.env.SLIPWAY_INGEST_ROWS ?? 1_000_000);
  const rounds = Number(process.env.SLIPWAY_INGEST_ROUNDS ?? 3);
  const main = ensureServerBuild(log);
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-ingest-'));
  const csv = join(dir, 'wide.csv');
  let api: ChildProcess | undefined;
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort() });
  try {
    let clock = performance.now();
    const bytes = generateCsv(csv, rows);
    log(`generated ${rows} × 12 CSV, ${(bytes / 1e6).toFixed(1)} MB, in ${((performance.now() - clock) / 1000).toFixed(1)} s`);
    await ensureDatabase(server.adminUrl, 'ingest');
    const url = server.urlFor('ingest');
    await applyMigrations(url, join(root, 'prisma', 'migrations'));
    const started = await startApiProcess({ main, databaseUrl: url, home: join(dir, 'home'), token: TOKEN });
    api = started.child;
    const client = new SlipwayNodeClient({ baseUrl: started.baseUrl, token: TOKEN });

    const raw: { round: number; uploadSeconds: number; profileSeconds: number; pandasSeconds: number; pandasRead: number; pandasDescribe: number }[] = [];
    let pandasVersion = '';
    for (let round = 1; round <= rounds; round++) {
      const reference = pandas(csv);
      pandasVersion = reference.pandas;
      if (reference.rows !== rows) throw new Error(`pandas read ${reference.rows} rows, not ${rows}`);

      clock = performance.now();
      const dataset = await client.datasets.upload(csv, { name: `wide-${round}`, targetColumn: 'label' });
      const uploadSeconds = (performance.now() - clock) / 1000;
      if (dataset.rows !== rows) throw new Error(`the upload profiled ${dataset.rows} rows, not ${rows}`);
      await client.datasets.delete(dataset.id);

      const alone = await profileAlone(csv);
      if (alone.rows !== rows) throw new Error(`the profiler read ${alone.rows} rows, not ${rows}`);
      raw.push({
        round,
        uploadSeconds,
        profileSeconds: alone.seconds,
        pandasSeconds: reference.seconds,
        pandasRead: reference.readSeconds,
        pandasDescribe: reference.describeSeconds,
      });
      log(
        `round ${round}: upload ${uploadSeconds.toFixed(2)} s, profiler alone ${alone.seconds.toFixed(2)} s, pandas ${reference.seconds.toFixed(2)} s ` +
          `(read_csv ${reference.readSeconds.toFixed(2)} + describe ${reference.describeSeconds.toFixed(2)})`,
      );
    }
    const upload = median(raw.map((r) => r.uploadSeconds));
    const profile = median(raw.map((r) => r.profileSeconds));
    const ref = median(raw.map((r) => r.pandasSeconds));
    mkdirSync(join(root, 'dist', 'bench'), { recursive: true });
    writeFileSync(
      join(root, 'dist', 'bench', 'RESULTS-ingest.json'),
      JSON.stringify({ date: new Date().toISOString(), node: process.version, pandas: pandasVersion, rows, bytes, raw }, null, 2) + '\n',
    );
    const reference = { name: `pandas ${pandasVersion} read_csv + describe(include="all")`, value: ref };
    const size = `${rows.toLocaleString('en')} × 12 CSV, ${(bytes / 1e6).toFixed(0)} MB, median of ${rounds}`;
    const figures: BenchFigure[] = [
      {
        name: 'ingest.upload_1m',
        description: `PUT /api/v1/datasets through the SDK, end to end (streamed, sha256, stored, profiled, recorded): ${size}`,
        unit: 's',
        value: upload,
        reference,
        ratio: upload / ref,
        target: '≤ 1.0× pandas',
        met: upload / ref <= 1.0,
      },
      {
        name: 'ingest.profile_1m',
        description: `CsvProfiler alone over the file (in process): ${size}`,
        unit: 's',
        value: profile,
        reference,
        ratio: profile / ref,
      },
    ];
    return figures;
  } finally {
    api?.kill('SIGTERM');
    await new Promise((r) => (api && api.exitCode === null ? api.once('exit', r) : r(undefined)));
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
