import { encodeImageBundle, type ImageBundleHeader } from '@slipway/dataset-files';
import { BUILTIN_DATASET_NAMES, loadBuiltinDataset, type BuiltinDatasetName } from '@slipway/ml-datasets';

/** Where each built-in sample comes from (libs/ml/datasets/data/README.md). */
export const SAMPLE_PROVENANCE: Record<BuiltinDatasetName, string> = {
  iris: 'scikit-learn 1.2.1 load_iris(): R.A. Fisher (1936), UCI Machine Learning Repository (Dua & Graff); BSD-3-Clause as shipped in scikit-learn',
  wine: 'scikit-learn 1.2.1 load_wine(): Forina et al., UCI Machine Learning Repository (Dua & Graff); BSD-3-Clause as shipped in scikit-learn',
  breast_cancer:
    'scikit-learn 1.2.1 load_breast_cancer(): Wolberg, Street, Mangasarian, UCI Machine Learning Repository (Dua & Graff); BSD-3-Clause as shipped in scikit-learn',
  digits: 'scikit-learn 1.2.1 load_digits(): Alpaydin, Kaynak (8×8 images, pixels 0..16), UCI Machine Learning Repository (Dua & Graff); BSD-3-Clause',
  regression_20k: 'scikit-learn 1.2.1 make_regression(n_samples=20000, n_features=8, noise=0.1, random_state=42): synthetic',
};

export interface SampleCsv {
  name: BuiltinDatasetName;
  targetColumn: string;
  task: 'classification' | 'regression';
  rows: number;
  csv: Buffer;
}

const cache = new Map<BuiltinDatasetName, SampleCsv>();

/**
 * The sample as a CSV, written from the parsed numbers (shortest round-trip text for each double), so its bytes —
 * and therefore its sha256 and dataset — are the same on every platform and every call.
 */
export function sampleCsv(name: BuiltinDatasetName): SampleCsv {
  const cached = cache.get(name);
  if (cached) return cached;
  const data = loadBuiltinDataset(name);
  const lines = [[...data.featureNames, data.targetName].join(',')];
  for (let i = 0; i < data.nRows; i++) {
    const row: string[] = [];
    for (let j = 0; j < data.nFeatures; j++) row.push(String(data.features[i * data.nFeatures + j]));
    row.push(String(data.targets[i]));
    lines.push(row.join(','));
  }
  const sample = { name, targetColumn: data.targetName, task: data.task, rows: data.nRows, csv: Buffer.from(lines.join('\n') + '\n', 'utf8') };
  cache.set(name, sample);
  return sample;
}

export const SAMPLE_NAMES: readonly BuiltinDatasetName[] = BUILTIN_DATASET_NAMES;

/** The samples that also exist as image datasets (for the CNN), and their image shape. */
export const IMAGE_SAMPLE_NAMES = ['digits'] as const;
export type ImageSampleName = (typeof IMAGE_SAMPLE_NAMES)[number];

export interface SampleImages {
  bytes: Buffer;
  header: ImageBundleHeader;
  labels: number[];
}

let digitsImages: SampleImages | null = null;

/**
 * digits as an image dataset: its 1,797 8×8 grayscale images with their pixel values as shipped (0..16), classes
 * "0".."9" (the folder names a zip of them would have), in (class, row) order — the same bundle bytes every call.
 */
export function sampleImageBundle(name: ImageSampleName): SampleImages {
  if (name !== 'digits') throw new Error(`no image sample ${String(name)}`);
  if (digitsImages) return digitsImages;
  const data = loadBuiltinDataset('digits');
  const order = Array.from({ length: data.nRows }, (_, i) => i).sort((a, b) => data.targets[a] - data.targets[b] || a - b);
  const classes = [...new Set(Array.from(data.targets, String))].sort();
  const pixels = new Uint8Array(data.nRows * data.nFeatures);
  order.forEach((row, i) => {
    for (let j = 0; j < data.nFeatures; j++) pixels[i * data.nFeatures + j] = data.features[row * data.nFeatures + j];
  });
  const labels = order.map((row) => classes.indexOf(String(data.targets[row])));
  const header: ImageBundleHeader = { height: 8, width: 8, channels: 1, count: data.nRows, classes, source: 'sample:digits' };
  digitsImages = { bytes: encodeImageBundle(header, labels, pixels), header, labels };
  return digitsImages;
}
