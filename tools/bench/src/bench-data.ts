/**
 * The large benchmark sets. Read from ../shared/datasets (relative to the repository root) when present;
 * otherwise regenerated with a seeded generator of the same shape, and the figure descriptions say so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseNumericCsv } from '@slipway/ml-datasets';
import { createRandom, type Random } from '@slipway/ml-algorithms';

export interface BenchMatrix {
  name: string;
  /** Row-major features (Float32 for blobs, as the shared file stores float32 values). */
  x: Float64Array | Float32Array;
  y: Float64Array;
  nRows: number;
  nFeatures: number;
  /** 'shared file' or a note on the substitute data. */
  source: string;
}

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const SHARED = join(REPO_ROOT, '..', 'shared', 'datasets');

function normal(random: Random): number {
  const u = 1 - random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

function loadShared(file: string): ReturnType<typeof parseNumericCsv> | null {
  const path = join(SHARED, file);
  if (!existsSync(path)) return null;
  return parseNumericCsv(file, gunzipSync(readFileSync(path)).toString('utf8'));
}

/** blobs_200k: 200,000 × 16, 8 Gaussian blobs (make_blobs(random_state=0) in the shared file). */
export function loadBlobs(): BenchMatrix {
  const ds = loadShared('blobs_200k.csv.gz');
  if (ds) return { name: 'blobs_200k', x: Float32Array.from(ds.features), y: ds.targets, nRows: ds.nRows, nFeatures: ds.nFeatures, source: 'shared file' };
  const n = 200_000;
  const d = 16;
  const random = createRandom(0);
  const centers = Float64Array.from({ length: 8 * d }, () => -10 + 20 * random.next());
  const x = new Float32Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = random.int(8);
    y[i] = c;
    for (let j = 0; j < d; j++) x[i * d + j] = centers[c * d + j] + normal(random);
  }
  return { name: 'blobs_200k', x, y, nRows: n, nFeatures: d, source: 'REGENERATED (shared file missing): seeded 8-blob Gaussian data of the same shape' };
}

/** classif_100k: 100,000 × 20, binary (make_classification(random_state=0) in the shared file). */
export function loadClassif(): BenchMatrix {
  const ds = loadShared('classif_100k.csv.gz');
  if (ds) return { name: 'classif_100k', x: ds.features, y: ds.targets, nRows: ds.nRows, nFeatures: ds.nFeatures, source: 'shared file' };
  const n = 100_000;
  const d = 20;
  const random = createRandom(1);
  const w = Float64Array.from({ length: d }, (_, j) => (j < 5 ? normal(random) : 0));
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = normal(random);
      x[i * d + j] = v;
      s += w[j] * v;
    }
    // 1% label noise, like make_classification's flip_y.
    y[i] = (s + 0.5 * normal(random) > 0 ? 1 : 0) ^ (random.next() < 0.01 ? 1 : 0);
  }
  return { name: 'classif_100k', x, y, nRows: n, nFeatures: d, source: 'REGENERATED (shared file missing): seeded 20-feature binary data of the same shape' };
}

/** 1,000,000 scores for ROC AUC: seeded, half positives, overlapping classes, some exact ties (3-decimal rounding). */
export function makeAucScores(n = 1_000_000): { labels: Float64Array; scores: Float64Array } {
  const random = createRandom(7);
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = random.next() < 0.5 ? 1 : 0;
    scores[i] = Math.round((labels[i] * 0.8 + normal(random)) * 1000) / 1000;
  }
  return { labels, scores };
}
