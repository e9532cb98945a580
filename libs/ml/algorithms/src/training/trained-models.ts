import type { TrainingAlgorithm, TrainingTask } from '@slipway/contracts';
import { MlInputError, MlInputErrorCode, toDenseMatrix, type DenseMatrix, type MatrixInput } from '../common';
import { CART_FORMAT, DecisionTreeClassifier, loadCart, saveCart, type DecisionTreeRegressor } from '../cart';
import { KMEANS_FORMAT, loadKMeans, saveKMeans, type KMeans } from '../kmeans';
import { NEURAL_ARTIFACT_FILES, type ArtifactFiles } from '../neural/artifact';
import { CNN_CLASSIFIER_FORMAT, CnnClassifier } from '../neural/cnn-classifier';
import type { ImageSet } from '../neural/image-set';
import { NN_REGRESSION_FORMAT, NnRegressor } from '../neural/nn-regression';
import { LABEL_MAP_FILE, parseLabelMap, serializeLabelMap, type ClassLabel } from './label-map';
import {
  READABLE_MODEL_FORMAT_VERSIONS,
  TRAINED_MODEL_FORMAT,
  TRAINED_MODEL_FORMAT_VERSION,
  type PredictionInput,
  type TrainedModel,
  type TrainedModelArtifact,
} from './training-types';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Every algorithm's own manifest lives under this name (the networks' slipway.json is the same file). */
const MANIFEST_FILE = NEURAL_ARTIFACT_FILES.manifest;

function isImageSet(input: PredictionInput): input is ImageSet {
  return !Array.isArray(input) && typeof (input as ImageSet).height === 'number';
}

function tabularInput(input: PredictionInput, algorithm: TrainingAlgorithm): MatrixInput {
  if (isImageSet(input)) throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'input', `${algorithm} predicts from feature rows, not images`);
  return input;
}

function artifactOf(algorithm: TrainingAlgorithm, files: Record<string, Uint8Array>, labelMap: readonly ClassLabel[] | null): TrainedModelArtifact {
  // The label map is written after the model's own files, so the same model gives the same bytes in the same order.
  const all = labelMap ? { ...files, [LABEL_MAP_FILE]: serializeLabelMap(labelMap) } : files;
  return { format: TRAINED_MODEL_FORMAT, formatVersion: TRAINED_MODEL_FORMAT_VERSION, algorithm, files: all };
}

/** Class ids through the label map; without one (a version 1 artifact), the ids themselves as numbers. */
function toLabels(codes: Int32Array, labelMap: readonly ClassLabel[] | null): ClassLabel[] {
  return labelMap ? Array.from(codes, (c) => labelMap[c]) : Array.from(codes);
}

function probaLabels(nClasses: number, labelMap: readonly ClassLabel[] | null): ClassLabel[] {
  return labelMap ? labelMap.slice(0, nClasses) : Array.from({ length: nClasses }, (_, c) => c);
}

class KMeansModel implements TrainedModel {
  readonly algorithm = 'kmeans' as const;
  readonly task = 'clustering' as const;
  readonly classLabels = null;
  constructor(readonly estimator: KMeans) {}
  predict(input: PredictionInput): Int32Array {
    return this.predictCodes(input);
  }
  predictCodes(input: PredictionInput): Int32Array {
    return this.estimator.predict(tabularInput(input, this.algorithm));
  }
  /** Mean squared distance of each row to its nearest center: the per-row inertia, comparable across sizes. */
  meanInertia(input: MatrixInput): number {
    const matrix = toDenseMatrix(input, 'X');
    return -this.estimator.score(matrix) / matrix.nRows;
  }
  async save(): Promise<TrainedModelArtifact> {
    return artifactOf(this.algorithm, { [MANIFEST_FILE]: encoder.encode(saveKMeans(this.estimator)) }, null);
  }
  dispose(): void {
    // Plain arrays: nothing to free.
  }
}

class CartModel implements TrainedModel {
  readonly algorithm = 'cart' as const;
  readonly task: TrainingTask;
  readonly classLabels: readonly ClassLabel[] | null;
  constructor(
    readonly estimator: DecisionTreeClassifier | DecisionTreeRegressor,
    labelMap: readonly ClassLabel[] | null,
  ) {
    this.task = estimator instanceof DecisionTreeClassifier ? 'classification' : 'regression';
    this.classLabels = this.task === 'classification' ? labelMap : null;
  }
  predict(input: PredictionInput): ClassLabel[] | Float64Array {
    const codes = this.predictCodes(input);
    return this.estimator instanceof DecisionTreeClassifier ? toLabels(codes as Int32Array, this.classLabels) : (codes as Float64Array);
  }
  predictCodes(input: PredictionInput): Int32Array | Float64Array {
    return this.estimator.predict(tabularInput(input, this.algorithm));
  }
  predictProba(input: PredictionInput): { labels: ClassLabel[]; probabilities: DenseMatrix } {
    if (!(this.estimator instanceof DecisionTreeClassifier))
      throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'model', 'a regression tree has no class probabilities');
    const probabilities = this.estimator.predictProba(tabularInput(input, this.algorithm));
    return { labels: probaLabels(this.estimator.nClasses, this.classLabels), probabilities };
  }
  async save(): Promise<TrainedModelArtifact> {
    return artifactOf(this.algorithm, { [MANIFEST_FILE]: encoder.encode(saveCart(this.estimator)) }, this.classLabels);
  }
  dispose(): void {
    // Typed arrays only: nothing to free.
  }
}

/** The networks: the artifact is the estimator's own files, and the tfjs weights need freeing. */
abstract class NetworkModel<E extends NnRegressor | CnnClassifier> {
  abstract readonly algorithm: 'nn-regression' | 'cnn';
  abstract readonly classLabels: readonly ClassLabel[] | null;
  constructor(readonly estimator: E) {}
  async save(): Promise<TrainedModelArtifact> {
    return artifactOf(this.algorithm, Object.fromEntries((await this.estimator.save()).files), this.classLabels);
  }
  dispose(): void {
    this.estimator.dispose();
  }
}

class NnRegressionModel extends NetworkModel<NnRegressor> implements TrainedModel {
  readonly algorithm = 'nn-regression' as const;
  readonly task = 'regression' as const;
  readonly classLabels = null;
  predict(input: PredictionInput): Float64Array {
    return this.predictCodes(input);
  }
  predictCodes(input: PredictionInput): Float64Array {
    return this.estimator.predict(tabularInput(input, this.algorithm));
  }
}

class CnnModel extends NetworkModel<CnnClassifier> implements TrainedModel {
  readonly algorithm = 'cnn' as const;
  readonly task = 'classification' as const;
  constructor(
    estimator: CnnClassifier,
    readonly classLabels: readonly ClassLabel[] | null,
  ) {
    super(estimator);
  }
  predict(input: PredictionInput): ClassLabel[] {
    return toLabels(this.predictCodes(input), this.classLabels);
  }
  predictCodes(input: PredictionInput): Int32Array {
    return this.estimator.predict(this.images(input));
  }
  predictProba(input: PredictionInput): { labels: ClassLabel[]; probabilities: DenseMatrix } {
    const { nClasses } = this.estimator.fitted;
    const proba = this.estimator.predictProba(this.images(input));
    return {
      labels: probaLabels(nClasses, this.classLabels),
      probabilities: { data: Float64Array.from(proba), nRows: proba.length / nClasses, nFeatures: nClasses },
    };
  }
  /** Images, or rows that each hold one flattened image of the shape the model was trained on. */
  private images(input: PredictionInput): ImageSet {
    if (isImageSet(input)) return input;
    const [height, width, channels] = this.estimator.fitted.inputShape;
    const matrix = toDenseMatrix(input, 'input');
    if (matrix.nFeatures !== height * width * channels) {
      throw new MlInputError(
        MlInputErrorCode.SHAPE_MISMATCH,
        'input',
        `rows have ${matrix.nFeatures} values; the model takes ${height}×${width}×${channels} = ${height * width * channels} per image`,
      );
    }
    return { data: matrix.data, count: matrix.nRows, height, width, channels };
  }
}

export const wrapKMeans = (estimator: KMeans) => new KMeansModel(estimator);
export const wrapCart = (estimator: DecisionTreeClassifier | DecisionTreeRegressor, labelMap: readonly ClassLabel[] | null) =>
  new CartModel(estimator, labelMap);
export const wrapNnRegressor = (estimator: NnRegressor) => new NnRegressionModel(estimator);
export const wrapCnn = (estimator: CnnClassifier, labelMap: readonly ClassLabel[] | null) => new CnnModel(estimator, labelMap);
export type { CartModel, KMeansModel };

const ALGORITHM_OF_FORMAT: Record<string, TrainingAlgorithm> = {
  [KMEANS_FORMAT]: 'kmeans',
  [CART_FORMAT]: 'cart',
  [NN_REGRESSION_FORMAT]: 'nn-regression',
  [CNN_CLASSIFIER_FORMAT]: 'cnn',
};

function bad(argument: string, detail: string): MlInputError {
  return new MlInputError(MlInputErrorCode.BAD_ARTIFACT, argument, detail);
}

/** The files of an artifact, as a record or the Map the networks' save() returns. */
export type ArtifactFileSet = Record<string, Uint8Array> | ArtifactFiles;

/**
 * Loads what `TrainedModel.save()` wrote. The algorithm is read from slipway.json's `format`, so the files
 * alone are enough; an `algorithm` given alongside must agree with them.
 */
export async function loadModel(artifact: { algorithm?: string; format?: string; formatVersion?: number; files: ArtifactFileSet }): Promise<TrainedModel> {
  if (!artifact || typeof artifact !== 'object' || !artifact.files) throw bad('artifact', 'must be { files }');
  if (artifact.format !== undefined && artifact.format !== TRAINED_MODEL_FORMAT) {
    throw bad('artifact.format', `expected "${TRAINED_MODEL_FORMAT}", got ${JSON.stringify(artifact.format)}`);
  }
  if (artifact.formatVersion !== undefined && !READABLE_MODEL_FORMAT_VERSIONS.includes(artifact.formatVersion)) {
    throw bad(
      'artifact.formatVersion',
      `this reader understands versions ${READABLE_MODEL_FORMAT_VERSIONS.join(', ')}, got ${JSON.stringify(artifact.formatVersion)}`,
    );
  }
  const files: Record<string, Uint8Array> = artifact.files instanceof Map ? Object.fromEntries(artifact.files) : artifact.files;
  const manifestBytes = files[MANIFEST_FILE];
  if (!(manifestBytes instanceof Uint8Array)) throw bad(`artifact.files["${MANIFEST_FILE}"]`, 'is missing');
  const manifestText = decoder.decode(manifestBytes);
  let format: unknown;
  try {
    format = (JSON.parse(manifestText) as { format?: unknown } | null)?.format;
  } catch (error) {
    throw bad(`artifact.files["${MANIFEST_FILE}"]`, `is not valid JSON (${(error as Error).message})`);
  }
  const algorithm = typeof format === 'string' ? ALGORITHM_OF_FORMAT[format] : undefined;
  if (!algorithm) throw bad(`artifact.files["${MANIFEST_FILE}"].format`, `is not a model format this reader knows: ${JSON.stringify(format)}`);
  if (artifact.algorithm !== undefined && artifact.algorithm !== algorithm) {
    throw bad('artifact.algorithm', `says ${JSON.stringify(artifact.algorithm)} but the files hold a ${algorithm} model`);
  }
  const labelBytes = files[LABEL_MAP_FILE];
  if (labelBytes !== undefined && !(labelBytes instanceof Uint8Array)) throw bad(`artifact.files["${LABEL_MAP_FILE}"]`, 'must be bytes');
  /** Version 1 artifacts have no label map: their classification models predict class ids. */
  const labelMapFor = (task: TrainingTask, nClasses: number): ClassLabel[] | null => {
    if (!labelBytes) return null;
    if (task !== 'classification')
      throw bad(`artifact.files["${LABEL_MAP_FILE}"]`, `a label map belongs to classification models, not a ${task} ${algorithm} model`);
    return parseLabelMap(labelBytes, nClasses);
  };
  switch (algorithm) {
    case 'kmeans':
      labelMapFor('clustering', 0);
      return wrapKMeans(loadKMeans(manifestText));
    case 'cart': {
      const tree = loadCart(manifestText);
      return tree instanceof DecisionTreeClassifier
        ? wrapCart(tree, labelMapFor('classification', tree.nClasses))
        : wrapCart(tree, labelMapFor('regression', 0));
    }
    case 'nn-regression':
      labelMapFor('regression', 0);
      return wrapNnRegressor(await NnRegressor.load(files));
    case 'cnn': {
      const cnn = await CnnClassifier.load(files);
      try {
        return wrapCnn(cnn, labelMapFor('classification', cnn.fitted.nClasses));
      } catch (error) {
        cnn.dispose();
        throw error;
      }
    }
    default: {
      const unreachable: never = algorithm;
      throw bad('artifact', `unknown algorithm ${String(unreachable)}`);
    }
  }
}
