import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadVerifiedArtifact, type VerificationKeys } from '@slipway/artifacts';
import {
  datasetProfileSchema,
  ErrorCode,
  modelInputSchemaSchema,
  SlipwayError,
  tabularPreprocessingSchema,
  type BinnedCounts,
  type DatasetProfile,
  type TabularPreprocessing,
} from '@slipway/contracts';
import type { ModelVersionEntity } from '@slipway/db';
import { applyPreprocessing } from '@slipway/dataset-files';
import { loadModel, type ClassLabel, type TrainedModel } from '@slipway/ml-algorithms';
import { signedArtifactOf } from '@slipway/model-registry';
import type { ObjectStore } from '@slipway/storage';

/** One answer of a version: predictions in the original labels, and class probabilities for classifiers. */
export interface VersionAnswer {
  predictions: (number | string | boolean)[];
  probabilities: { labels: ClassLabel[]; values: number[][] } | null;
  /** The request rows by column name, as predicted (what `tally` bins). */
  rows: Record<string, unknown>[];
}

/** One window's binned inputs and outputs of a version, as deployment_metrics.features / predictions hold them. */
export interface WindowBins {
  features: Record<string, BinnedCounts>;
  predictions: BinnedCounts | null;
}

/** How one column is binned: on the training profile's histogram edges, or per known category (the rest `__other__`). */
type Binner = { kind: 'histogram'; edges: number[] } | { kind: 'categories'; known: ReadonlySet<string> };

const OTHER_CATEGORY = '__other__';

/** A version that cannot be served: the reason goes into the deployment's `serving.load_refused` event. */
export class LoadRefusedError extends Error {
  override readonly name = 'LoadRefusedError';
}

const PREPROCESSING_FILE = 'preprocessing.json';

/**
 * A model version in memory, ready to answer: its files verified (manifest hash, platform signature, every file's
 * sha256) before `loadModel()` sees a byte, its preprocessing applied to request rows exactly as training
 * encoded them, and warmed up with one prediction so the first real request pays no lazy initialisation.
 */
export class LoadedVersion {
  private constructor(
    readonly id: string,
    readonly modelName: string,
    readonly version: number,
    readonly model: TrainedModel,
    readonly preprocessing: TabularPreprocessing,
    /** Per input column the training profile bins; columns the profile does not describe are not counted. */
    private readonly featureBinners: ReadonlyMap<string, Binner>,
    /** Classifiers: per class label; regressors: the profile's target histogram; null when neither is known. */
    private readonly predictionBinner: Binner | null,
  ) {}

  /** Input column names in model order (what array rows are read as). */
  get columns(): string[] {
    return this.preprocessing.inputs.map((input) => input.column);
  }

  static async load(version: ModelVersionEntity, objects: ObjectStore, keys: VerificationKeys): Promise<LoadedVersion> {
    const label = `${version.modelName}@${version.version}`;
    if (version.status !== 'READY' && version.status !== 'ARCHIVED') throw new LoadRefusedError(`${label} is ${version.status}, not READY`);
    const dir = await mkdtemp(join(tmpdir(), 'slipway-serving-'));
    try {
      // Throws ArtifactVerificationError (tampered, unsigned, unknown key, missing file) before anything is parsed.
      const manifest = await downloadVerifiedArtifact(objects, signedArtifactOf(version), keys, dir);
      const files: Record<string, Uint8Array> = {};
      for (const entry of manifest) files[entry.path] = new Uint8Array(await readFile(join(dir, ...entry.path.split('/'))));
      const model = await loadModel({ files }).catch((error: Error) => {
        throw new LoadRefusedError(`${label} is not a model loadModel() reads: ${error.message}`);
      });
      try {
        const preprocessing = preprocessingOf(label, files[PREPROCESSING_FILE], version.inputSchema);
        const profile = datasetProfileSchema.safeParse(version.trainingProfile).data ?? null;
        const { features, predictions } = bindersOf(profile, preprocessing, model);
        const loaded = new LoadedVersion(version.id, version.modelName, version.version, model, preprocessing, features, predictions);
        loaded.warmUp(profile);
        return loaded;
      } catch (error) {
        model.dispose();
        throw error;
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Rows (named columns or values in column order) → answers; a bad value is a 400 naming `<field>.<row>.<column>`. */
  predict(rows: readonly unknown[], withProbabilities: boolean, field = 'inputs'): VersionAnswer {
    const columns = this.preprocessing.inputs;
    const named = rows.map((row, r) => {
      if (!Array.isArray(row)) return row as Record<string, unknown>;
      if (row.length !== columns.length)
        throw invalid(
          `${field}.${r}`,
          `has ${row.length} values; the model takes ${columns.length} (${columns
            .slice(0, 20)
            .map((c) => c.column)
            .join(', ')}${columns.length > 20 ? ', …' : ''})`,
        );
      const out: Record<string, unknown> = {};
      columns.forEach((c, i) => (out[c.column] = row[i]));
      return out;
    });
    const matrix = applyPreprocessing(this.preprocessing, named, { field });
    const predicted = this.model.predict(matrix);
    const predictions = Array.from(predicted as ArrayLike<number | string | boolean>);
    // A network that overflows answers NaN or ±Infinity: the model failed on those rows, the client did nothing wrong.
    const broken: number[] = [];
    predictions.forEach((p, r) => typeof p === 'number' && !Number.isFinite(p) && broken.push(r));
    if (broken.length > 0)
      throw new SlipwayError(
        ErrorCode.INTERNAL,
        `model produced a non-finite prediction for row${broken.length > 1 ? 's' : ''} ${broken.slice(0, 20).join(', ')}${broken.length > 20 ? ', …' : ''}`,
      );
    if (!withProbabilities || !this.model.predictProba) return { predictions, probabilities: null, rows: named };
    const proba = this.model.predictProba(matrix);
    const { nRows, nFeatures: nCols, data } = proba.probabilities;
    const values: number[][] = [];
    for (let r = 0; r < nRows; r++) values.push(Array.from(data.subarray(r * nCols, (r + 1) * nCols)));
    return { predictions, probabilities: { labels: proba.labels, values }, rows: named };
  }

  /** Adds an answer's inputs and predictions into a window's bins (the counts are merged across replicas at flush). */
  tally(answer: VersionAnswer, into: WindowBins): void {
    for (const [column, binner] of this.featureBinners) {
      const bins = (into.features[column] ??= empty(binner));
      for (const row of answer.rows) bump(binner, bins, row[column]);
    }
    if (this.predictionBinner) {
      const bins = (into.predictions ??= empty(this.predictionBinner));
      for (const p of answer.predictions) bump(this.predictionBinner, bins, p);
    }
  }

  dispose(): void {
    this.model.dispose();
  }

  /** One prediction on a typical row: the profile's mean (or 0), the first category, false, the epoch. */
  private warmUp(profile: DatasetProfile | null): void {
    const stats = new Map((profile?.columns ?? []).map((c) => [c.name, c]));
    const row: Record<string, unknown> = {};
    for (const input of this.preprocessing.inputs) {
      row[input.column] =
        input.encoding === 'one-hot'
          ? input.categories[0]
          : input.encoding === 'boolean'
            ? false
            : input.encoding === 'datetime'
              ? 0
              : (stats.get(input.column)?.mean ?? 0);
    }
    this.predict([row], true);
  }
}

function binnerOf(column: DatasetProfile['columns'][number] | undefined): Binner | null {
  if (column?.histogram) return { kind: 'histogram', edges: [...column.histogram.edges] };
  if (column?.topValues && column.topValues.length > 0) return { kind: 'categories', known: new Set(column.topValues.map((v) => v.value)) };
  return null;
}

function bindersOf(
  profile: DatasetProfile | null,
  preprocessing: TabularPreprocessing,
  model: TrainedModel,
): { features: Map<string, Binner>; predictions: Binner | null } {
  const byName = new Map((profile?.columns ?? []).map((c) => [c.name, c]));
  const features = new Map<string, Binner>();
  for (const input of preprocessing.inputs) {
    const binner = binnerOf(byName.get(input.column));
    if (binner) features.set(input.column, binner);
  }
  // Every class is its own bin, so stable and canary classifiers are compared per label.
  if (model.classLabels) return { features, predictions: { kind: 'categories', known: new Set(model.classLabels.map(String)) } };
  const target = preprocessing.target ? binnerOf(byName.get(preprocessing.target.column)) : null;
  return { features, predictions: target?.kind === 'histogram' ? target : null };
}

function empty(binner: Binner): BinnedCounts {
  return binner.kind === 'histogram'
    ? { kind: 'histogram', edges: binner.edges, counts: new Array<number>(binner.edges.length - 1).fill(0) }
    : { kind: 'categories', counts: {} };
}

/** Values below the first edge count in the first bin, above the last in the last; missing values are not counted. */
function bump(binner: Binner, bins: BinnedCounts, value: unknown): void {
  if (value === null || value === undefined || value === '') return;
  if (binner.kind === 'histogram') {
    if (bins.kind !== 'histogram') return;
    const x = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : Number(String(value));
    if (!Number.isFinite(x)) return;
    const { edges, counts } = bins;
    let lo = 0;
    let hi = counts.length - 1;
    // The last bin k with edges[k] <= x (upper edge inclusive on the last bin, as the profile counts).
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (edges[mid] <= x) lo = mid;
      else hi = mid - 1;
    }
    counts[lo]++;
    return;
  }
  if (bins.kind !== 'categories') return;
  const key = String(value);
  const at = binner.known.has(key) ? key : OTHER_CATEGORY;
  bins.counts[at] = (bins.counts[at] ?? 0) + 1;
}

/**
 * preprocessing.json when the version has one (every trained version does); otherwise an uploaded version's input
 * schema, which must then be all numeric columns (there is nothing to say how to encode anything else).
 */
function preprocessingOf(label: string, file: Uint8Array | undefined, inputSchema: unknown): TabularPreprocessing {
  if (file) {
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(file).toString('utf8'));
    } catch (error) {
      throw new LoadRefusedError(`${label}: ${PREPROCESSING_FILE} is not JSON (${(error as Error).message})`);
    }
    if ((json as { kind?: unknown } | null)?.kind === 'images')
      throw new LoadRefusedError(`${label} is an image model; serving answers table models only so far`);
    const parsed = tabularPreprocessingSchema.safeParse(json);
    if (!parsed.success) throw new LoadRefusedError(`${label}: ${PREPROCESSING_FILE} does not match its contract (${parsed.error.issues[0].message})`);
    return parsed.data;
  }
  const columns = modelInputSchemaSchema.safeParse(inputSchema).data?.columns;
  if (!columns || columns.length === 0) throw new LoadRefusedError(`${label} has neither ${PREPROCESSING_FILE} nor input columns in its input schema`);
  const other = columns.find((c) => c.type !== 'number' && c.type !== 'integer');
  if (other) throw new LoadRefusedError(`${label} has no ${PREPROCESSING_FILE} to say how its ${other.type} column "${other.name}" is encoded`);
  return {
    format: 'slipway.preprocessing',
    formatVersion: 1,
    kind: 'tabular',
    inputs: columns.map((c) => ({ column: c.name, encoding: 'number' as const })),
    featureNames: columns.map((c) => c.name),
    target: null,
    rows: 0,
  };
}

function invalid(field: string, message: string): SlipwayError {
  return new SlipwayError(ErrorCode.INVALID_ARGUMENT, `${field} ${message}`, [{ field, message }]);
}
