import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadVerifiedArtifact, type VerificationKeys } from '@slipway/artifacts';
import {
  datasetProfileSchema,
  ErrorCode,
  imagePreprocessingSchema,
  modelInputSchemaSchema,
  SlipwayError,
  tabularPreprocessingSchema,
  type BinnedCounts,
  type DatasetProfile,
  type ImagePreprocessing,
  type TabularPreprocessing,
} from '@slipway/contracts';
import type { ModelVersionEntity } from '@slipway/db';
import { applyPreprocessing } from '@slipway/dataset-files';
import { loadModel, type ClassLabel, type TrainedModel } from '@slipway/ml-algorithms';
import { signedArtifactOf } from '@slipway/model-registry';
import type { ObjectStore } from '@slipway/storage';
import { bump, bumpNumber, emptyBins, IMAGE_INTENSITY_EDGES, imageChannelFeature, type Binner } from './input-bins';
import { readImageRows, type ImageShape } from './image-inputs';

/**
 * The inputs of one answer, as `tally` bins them: the numeric matrix itself when every input is a number column
 * (the fast path), the rows by column name otherwise, or the images' pixels.
 */
export type AnsweredInputs =
  | { kind: 'matrix'; data: Float64Array; nRows: number; nCols: number }
  | { kind: 'rows'; rows: Record<string, unknown>[] }
  | { kind: 'images'; pixels: Float32Array; count: number; channels: number };

/** One answer of a version: predictions in the original labels, and class probabilities for classifiers. */
export interface VersionAnswer {
  predictions: (number | string | boolean)[];
  probabilities: { labels: ClassLabel[]; values: number[][] } | null;
  inputs: AnsweredInputs;
}

/** One window's binned inputs and outputs of a version, as deployment_metrics.features / predictions hold them. */
export interface WindowBins {
  features: Record<string, BinnedCounts>;
  predictions: BinnedCounts | null;
}

/** One binned input: its feature name, its position (matrix column or image channel) and its bins. */
interface FeatureBinner {
  name: string;
  index: number;
  binner: Binner;
}

/** A version that cannot be served: the reason goes into the deployment's `serving.load_refused` event. */
export class LoadRefusedError extends Error {
  override readonly name = 'LoadRefusedError';
}

const PREPROCESSING_FILE = 'preprocessing.json';

/**
 * A model version in memory, ready to answer: its files verified (manifest hash, platform signature, every file's
 * sha256) before `loadModel()` sees a byte, its preprocessing applied to request rows exactly as training
 * encoded them, and warmed up with one prediction so the first real request pays no lazy initialisation.
 *
 * Table models take rows (values in column order, or named columns); image models (the CNN) take images of the
 * shape their preprocessing.json names, as nested H×W×C arrays or flat H*W*C rows of pixel values.
 */
export class LoadedVersion {
  /** Every input a plain number column: rows of finite numbers go straight into the matrix, skipping per-cell encoding. */
  private readonly numericOnly: boolean;
  private readonly columnNames: readonly string[];

  private constructor(
    readonly id: string,
    readonly modelName: string,
    readonly version: number,
    readonly model: TrainedModel,
    readonly preprocessing: TabularPreprocessing | ImagePreprocessing,
    /** Table models: per input column the training profile bins (columns it does not describe are not counted); images: per channel. */
    private readonly featureBinners: readonly FeatureBinner[],
    /** Classifiers: per class label; regressors: the profile's target histogram; null when neither is known. */
    private readonly predictionBinner: Binner | null,
  ) {
    this.numericOnly = preprocessing.kind === 'tabular' && preprocessing.inputs.every((input) => input.encoding === 'number');
    this.columnNames = preprocessing.kind === 'tabular' ? preprocessing.inputs.map((input) => input.column) : [];
  }

  /** Input column names in model order (what array rows are read as); none for an image model. */
  get columns(): readonly string[] {
    return this.columnNames;
  }

  /** The image shape an image model takes; null for a table model. */
  get imageShape(): ImageShape | null {
    return this.preprocessing.kind === 'images' ? this.preprocessing.shape : null;
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
        if ((preprocessing.kind === 'images') !== (model.algorithm === 'cnn'))
          throw new LoadRefusedError(`${label}: a ${model.algorithm} model with ${preprocessing.kind} preprocessing`);
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

  /**
   * Rows (named columns or values in column order; images for an image model) → answers. A bad value is a 400
   * naming `<field>.<row>.<column>` (`<field>.<row>` with the expected shape for an image of the wrong shape).
   */
  predict(rows: readonly unknown[], withProbabilities: boolean, field = 'inputs'): VersionAnswer {
    const shape = this.imageShape;
    if (shape) return this.predictImages(rows, shape, withProbabilities, field);
    const preprocessing = this.preprocessing as TabularPreprocessing;
    const fast = this.numericOnly ? numericMatrix(rows, this.columnNames) : null;
    let inputs: AnsweredInputs;
    let matrix: { data: Float64Array; nRows: number; nFeatures: number };
    if (fast) {
      inputs = fast;
      matrix = { data: fast.data, nRows: fast.nRows, nFeatures: fast.nCols };
    } else {
      const named = namedRows(rows, preprocessing, field);
      inputs = { kind: 'rows', rows: named };
      matrix = denseOf(applyPreprocessing(preprocessing, named, { field }), preprocessing.featureNames.length);
    }
    const predictions = Array.from(this.model.predict(matrix) as ArrayLike<number | string | boolean>);
    // A network that overflows answers NaN or ±Infinity: the model failed on those rows, the client did nothing wrong.
    let broken: number[] | null = null;
    for (let r = 0; r < predictions.length; r++) {
      const p = predictions[r];
      if (typeof p === 'number' && p - p !== 0) (broken ??= []).push(r);
    }
    if (broken) throw nonFinite(broken);
    if (!withProbabilities || !this.model.predictProba) return { predictions, probabilities: null, inputs };
    const proba = this.model.predictProba(matrix);
    return { predictions, probabilities: { labels: proba.labels, values: rowsOf(proba.probabilities) }, inputs };
  }

  /** Adds an answer's inputs and predictions into a window's bins (the counts are merged across replicas at flush). */
  tally(answer: VersionAnswer, into: WindowBins): void {
    const inputs = answer.inputs;
    for (const { name, index, binner } of this.featureBinners) {
      const bins = (into.features[name] ??= emptyBins(binner));
      if (inputs.kind === 'matrix') {
        const { data, nRows, nCols } = inputs;
        for (let r = 0; r < nRows; r++) bumpNumber(bins, data[r * nCols + index]);
      } else if (inputs.kind === 'rows') {
        for (const row of inputs.rows) bump(binner, bins, row[name]);
      } else {
        const { pixels, count, channels } = inputs;
        const perImage = pixels.length / count;
        for (let i = 0; i < count; i++) {
          let sum = 0;
          for (let p = i * perImage + index; p < (i + 1) * perImage; p += channels) sum += pixels[p];
          bumpNumber(bins, sum / (perImage / channels));
        }
      }
    }
    if (this.predictionBinner) {
      const bins = (into.predictions ??= emptyBins(this.predictionBinner));
      for (const p of answer.predictions) bump(this.predictionBinner, bins, p);
    }
  }

  dispose(): void {
    this.model.dispose();
  }

  /** The CNN: one forward pass answers both (its predictions are the argmax of its probabilities, first maximum on ties). */
  private predictImages(rows: readonly unknown[], shape: ImageShape, withProbabilities: boolean, field: string): VersionAnswer {
    const pixels = readImageRows(rows, shape, field);
    const count = rows.length;
    const images = { data: pixels, count, height: shape.height, width: shape.width, channels: shape.channels };
    const inputs: AnsweredInputs = { kind: 'images', pixels, count, channels: shape.channels };
    const predictProba = this.model.predictProba;
    if (!predictProba) throw new SlipwayError(ErrorCode.INTERNAL, `${this.modelName}@${this.version} answers no class probabilities`);
    const proba = predictProba.call(this.model, images);
    const { data, nFeatures: k } = proba.probabilities;
    const predictions: (number | string | boolean)[] = [];
    let broken: number[] | null = null;
    for (let r = 0; r < count; r++) {
      let best = 0;
      let finite = true;
      for (let c = 0; c < k; c++) {
        const p = data[r * k + c];
        if (p - p !== 0) finite = false;
        if (p > data[r * k + best]) best = c;
      }
      if (!finite) (broken ??= []).push(r);
      predictions.push(proba.labels[best]);
    }
    if (broken) throw nonFinite(broken);
    return { predictions, probabilities: withProbabilities ? { labels: proba.labels, values: rowsOf(proba.probabilities) } : null, inputs };
  }

  /** One prediction on a typical input: the profile's mean (or 0), the first category, false, the epoch; a mid-grey image. */
  private warmUp(profile: DatasetProfile | null): void {
    const shape = this.imageShape;
    if (shape) {
      this.predict([new Array<number>(shape.height * shape.width * shape.channels).fill(128)], true);
      return;
    }
    const stats = new Map((profile?.columns ?? []).map((c) => [c.name, c]));
    const row: Record<string, unknown> = {};
    for (const input of (this.preprocessing as TabularPreprocessing).inputs) {
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
    // The numeric fast path too: its first call would otherwise pay the JIT on a real request.
    if (this.numericOnly) this.predict([this.columns.map((c) => row[c])], true);
  }
}

/**
 * The fast path: rows that are already finite numbers, in column order or named, straight into the matrix (-0 as 0,
 * as the text round trip of applyPreprocessing gives it). Null as soon as one value is anything else: the caller
 * then takes the encoding path, which reports the exact field and problem.
 */
function numericMatrix(rows: readonly unknown[], columns: readonly string[]): Extract<AnsweredInputs, { kind: 'matrix' }> | null {
  const nCols = columns.length;
  const nRows = rows.length;
  const data = new Float64Array(nRows * nCols);
  for (let r = 0; r < nRows; r++) {
    const row = rows[r];
    const at = r * nCols;
    if (Array.isArray(row)) {
      if (row.length !== nCols) return null;
      for (let j = 0; j < nCols; j++) {
        const v: unknown = row[j];
        if (typeof v !== 'number' || v - v !== 0) return null;
        data[at + j] = v + 0;
      }
    } else if (row !== null && typeof row === 'object') {
      for (let j = 0; j < nCols; j++) {
        const v: unknown = (row as Record<string, unknown>)[columns[j]];
        // An inherited name (`constructor`) reads a function here, never a number: no own-property check needed.
        if (typeof v !== 'number' || v - v !== 0) return null;
        data[at + j] = v + 0;
      }
    } else return null;
  }
  return { kind: 'matrix', data, nRows, nCols };
}

/** Rows as named columns (array rows read in column order); an array of the wrong length is a 400 naming the row. */
function namedRows(rows: readonly unknown[], preprocessing: TabularPreprocessing, field: string): Record<string, unknown>[] {
  const columns = preprocessing.inputs;
  return rows.map((row, r) => {
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
}

function denseOf(rows: number[][], nFeatures: number): { data: Float64Array; nRows: number; nFeatures: number } {
  const data = new Float64Array(rows.length * nFeatures);
  rows.forEach((row, r) => data.set(row, r * nFeatures));
  return { data, nRows: rows.length, nFeatures };
}

function rowsOf(matrix: { data: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> }; nRows: number; nFeatures: number }): number[][] {
  const { nRows, nFeatures, data } = matrix;
  const values: number[][] = new Array<number[]>(nRows);
  for (let r = 0; r < nRows; r++) values[r] = Array.from(data.subarray(r * nFeatures, (r + 1) * nFeatures));
  return values;
}

function nonFinite(rows: number[]): SlipwayError {
  return new SlipwayError(
    ErrorCode.INTERNAL,
    `model produced a non-finite prediction for row${rows.length > 1 ? 's' : ''} ${rows.slice(0, 20).join(', ')}${rows.length > 20 ? ', …' : ''}`,
  );
}

function binnerOf(column: DatasetProfile['columns'][number] | undefined): Binner | null {
  if (column?.histogram) return { kind: 'histogram', edges: [...column.histogram.edges] };
  if (column?.topValues && column.topValues.length > 0) return { kind: 'categories', known: new Set(column.topValues.map((v) => v.value)) };
  return null;
}

function bindersOf(
  profile: DatasetProfile | null,
  preprocessing: TabularPreprocessing | ImagePreprocessing,
  model: TrainedModel,
): { features: FeatureBinner[]; predictions: Binner | null } {
  const byName = new Map((profile?.columns ?? []).map((c) => [c.name, c]));
  const features: FeatureBinner[] = [];
  if (preprocessing.kind === 'images') {
    for (let c = 0; c < preprocessing.shape.channels; c++)
      features.push({ name: imageChannelFeature(c), index: c, binner: { kind: 'histogram', edges: IMAGE_INTENSITY_EDGES } });
  } else {
    // `index` is the input's matrix column, which it is when every input is one number column (the fast path).
    preprocessing.inputs.forEach((input, index) => {
      const binner = binnerOf(byName.get(input.column));
      if (binner) features.push({ name: input.column, index, binner });
    });
  }
  // Every class is its own bin, so stable and canary classifiers are compared per label.
  if (model.classLabels) return { features, predictions: { kind: 'categories', known: new Set(model.classLabels.map(String)) } };
  const target = preprocessing.kind === 'tabular' && preprocessing.target ? binnerOf(byName.get(preprocessing.target.column)) : null;
  return { features, predictions: target?.kind === 'histogram' ? target : null };
}

/**
 * preprocessing.json when the version has one (every trained version does); otherwise an uploaded version's input
 * schema, which must then be all numeric columns (there is nothing to say how to encode anything else).
 */
function preprocessingOf(label: string, file: Uint8Array | undefined, inputSchema: unknown): TabularPreprocessing | ImagePreprocessing {
  if (file) {
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(file).toString('utf8'));
    } catch (error) {
      throw new LoadRefusedError(`${label}: ${PREPROCESSING_FILE} is not JSON (${(error as Error).message})`);
    }
    const images = (json as { kind?: unknown } | null)?.kind === 'images';
    const parsed = images ? imagePreprocessingSchema.safeParse(json) : tabularPreprocessingSchema.safeParse(json);
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
