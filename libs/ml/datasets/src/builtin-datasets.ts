import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The sample datasets shipped with Slipway (see data/README.md for their sources). */
export const BUILTIN_DATASET_NAMES = ['iris', 'wine', 'breast_cancer', 'digits', 'regression_20k'] as const;
export type BuiltinDatasetName = (typeof BUILTIN_DATASET_NAMES)[number];

export interface TabularDataset {
  name: string;
  /** Feature column names, in order. */
  featureNames: string[];
  /** Name of the target column (the last CSV column). */
  targetName: string;
  /** Row-major features: `features[i * nFeatures + j]`. */
  features: Float64Array;
  targets: Float64Array;
  nRows: number;
  nFeatures: number;
  task: 'classification' | 'regression';
  /** Number of distinct classes for classification, 0 for regression. */
  nClasses: number;
}

export interface DatasetSplit {
  train: number[];
  test: number[];
  stratified: boolean;
}

const DATA_DIR = join(__dirname, '..', 'data');

function fileNameOf(name: BuiltinDatasetName): string {
  return name === 'regression_20k' ? 'regression_20k.csv.gz' : `${name}.csv`;
}

/** Parses a numeric CSV with one header row whose last column is the target. */
export function parseNumericCsv(name: string, text: string): TabularDataset {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  if (lines.length < 2) throw new Error(`dataset ${name}: no data rows`);
  const header = lines[0].split(',');
  const nFeatures = header.length - 1;
  const nRows = lines.length - 1;
  const features = new Float64Array(nRows * nFeatures);
  const targets = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    const cells = lines[i + 1].split(',');
    if (cells.length !== header.length) {
      throw new Error(`dataset ${name}: row ${i + 1} has ${cells.length} columns, expected ${header.length}`);
    }
    for (let j = 0; j < nFeatures; j++) features[i * nFeatures + j] = Number(cells[j]);
    targets[i] = Number(cells[nFeatures]);
  }
  const targetName = header[nFeatures];
  const task = targetName === 'target' ? 'regression' : 'classification';
  const nClasses = task === 'classification' ? new Set(targets).size : 0;
  return { name, featureNames: header.slice(0, nFeatures), targetName, features, targets, nRows, nFeatures, task, nClasses };
}

export function loadBuiltinDataset(name: BuiltinDatasetName): TabularDataset {
  const raw = readFileSync(join(DATA_DIR, fileNameOf(name)));
  const text = (name === 'regression_20k' ? gunzipSync(raw) : raw).toString('utf8');
  return parseNumericCsv(name, text);
}

let splitsCache: Record<string, DatasetSplit> | undefined;

/** The fixed 80/20 split (scikit-learn train_test_split, random_state=42) every golden value is computed on. */
export function loadBuiltinSplit(name: BuiltinDatasetName): DatasetSplit {
  splitsCache ??= JSON.parse(readFileSync(join(DATA_DIR, 'splits.json'), 'utf8')) as Record<string, DatasetSplit>;
  const split = splitsCache[name === 'regression_20k' ? 'regression_20k.csv' : `${name}.csv`];
  if (!split) throw new Error(`no split stored for dataset ${name}`);
  return split;
}

/** Selects rows of a dataset (e.g. a split's train indices) into a new dataset. */
export function selectRows(dataset: TabularDataset, rows: readonly number[]): TabularDataset {
  const { nFeatures } = dataset;
  const features = new Float64Array(rows.length * nFeatures);
  const targets = new Float64Array(rows.length);
  rows.forEach((row, i) => {
    features.set(dataset.features.subarray(row * nFeatures, (row + 1) * nFeatures), i * nFeatures);
    targets[i] = dataset.targets[row];
  });
  return { ...dataset, features, targets, nRows: rows.length };
}
