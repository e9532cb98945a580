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
 */
export class LoadedVersion {
  private constructor(
    readonly id: string,
    readonly modelName: string,
    readonly version: number,
    readonly model: TrainedModel,
    readonly preprocessing: TabularPreprocessing,
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
        const loaded = new LoadedVersion(version.id, version.modelName, version.version, model, preprocessing);
        loaded.warmUp(datasetProfileSchema.safeParse(version.trainingProfile).data ?? null);
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
    if (!withProbabilities || !this.model.predictProba) return { predictions, probabilities: null };
    const proba = this.model.predictProba(matrix);
    const { nRows, nFeatures: nCols, data } = proba.probabilities;
    const values: number[][] = [];
    for (let r = 0; r < nRows; r++) values.push(Array.from(data.subarray(r * nCols, (r + 1) * nCols)));
    return { predictions, probabilities: { labels: proba.labels, values } };
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
