import * as tf from '@tensorflow/tfjs';
import { MlInputError, MlInputErrorCode, readArtifactEnvelope, type ModelArtifact } from '../common';
import { quantizeWeights, WEIGHT_QUANTIZATIONS, type WeightQuantization } from './weight-quantization';

/** File names inside a neural-network artifact. model.json + weights.bin are tfjs's standard layers format. */
export const NEURAL_ARTIFACT_FILES = {
  modelJson: 'model.json',
  weights: 'weights.bin',
  manifest: 'slipway.json',
} as const;

/** The artifact as file name → bytes; the caller (worker, registry) decides where the files live. */
export type ArtifactFiles = Map<string, Uint8Array>;

/** Where the tfjs half of the artifact is and how its weights are stored. */
export interface TfjsArtifactInfo {
  version: string;
  modelFile: typeof NEURAL_ARTIFACT_FILES.modelJson;
  weightsFile: typeof NEURAL_ARTIFACT_FILES.weights;
  quantization: WeightQuantization;
  weightBytes: number;
}

/** slipway.json: the common versioned envelope plus the tfjs files' description. */
export interface NeuralManifest<F extends string, P, S> extends ModelArtifact<F, P, S> {
  tfjs: TfjsArtifactInfo;
}

export interface NeuralArtifact<F extends string = string, P = unknown, S = unknown> {
  files: ArtifactFiles;
  manifest: NeuralManifest<F, P, S>;
  /** Bytes of all files together. */
  totalBytes: number;
}

export interface SaveArtifactOptions {
  /** Weight storage: float32 as trained (default), float16, or uint8 with per-tensor min/scale. */
  quantization?: WeightQuantization;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function badArtifact(argument: string, detail: string): MlInputError {
  return new MlInputError(MlInputErrorCode.BAD_ARTIFACT, argument, detail);
}

async function captureModelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured?.modelTopology || !captured.weightSpecs || !captured.weightData) {
    throw new Error('tfjs returned incomplete model artifacts (no topology or weights)');
  }
  return captured;
}

/**
 * Serialises a trained tfjs model and its Slipway manifest. Deterministic: the same weights give
 * the same bytes (no timestamps, explicit layer names), so a seeded run is reproducible to the byte.
 */
export async function writeNeuralArtifact<F extends string, P, S>(
  model: tf.LayersModel,
  envelope: ModelArtifact<F, P, S>,
  options: SaveArtifactOptions = {},
): Promise<NeuralArtifact<F, P, S>> {
  const quantization = options.quantization ?? 'none';
  if (!WEIGHT_QUANTIZATIONS.includes(quantization)) {
    throw new MlInputError(
      MlInputErrorCode.BAD_PARAM,
      'options.quantization',
      `must be one of ${WEIGHT_QUANTIZATIONS.join(', ')}, got ${String(quantization)}`,
    );
  }
  const artifacts = await captureModelArtifacts(model);
  const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const weights = quantizeWeights(artifacts.weightSpecs ?? [], weightData, quantization);
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [NEURAL_ARTIFACT_FILES.weights], weights: weights.specs }],
  };
  if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
  const manifest: NeuralManifest<F, P, S> = {
    ...envelope,
    tfjs: {
      version: tf.version_layers,
      modelFile: NEURAL_ARTIFACT_FILES.modelJson,
      weightsFile: NEURAL_ARTIFACT_FILES.weights,
      quantization,
      weightBytes: weights.data.length,
    },
  };
  const files: ArtifactFiles = new Map([
    [NEURAL_ARTIFACT_FILES.modelJson, encoder.encode(JSON.stringify(modelJson))],
    [NEURAL_ARTIFACT_FILES.weights, weights.data],
    [NEURAL_ARTIFACT_FILES.manifest, encoder.encode(`${JSON.stringify(manifest, null, 2)}\n`)],
  ]);
  let totalBytes = 0;
  for (const bytes of files.values()) totalBytes += bytes.length;
  return { files, manifest, totalBytes };
}

function fileOf(files: ArtifactFiles | Record<string, Uint8Array>, name: string): Uint8Array {
  const bytes = files instanceof Map ? files.get(name) : files[name];
  if (!(bytes instanceof Uint8Array)) throw badArtifact(`artifact.files["${name}"]`, 'is missing');
  return bytes;
}

function parseJsonFile(files: ArtifactFiles | Record<string, Uint8Array>, name: string): unknown {
  try {
    return JSON.parse(decoder.decode(fileOf(files, name)));
  } catch (error) {
    if (error instanceof MlInputError) throw error;
    throw badArtifact(`artifact.files["${name}"]`, `is not valid JSON (${(error as Error).message})`);
  }
}

/** Reads the manifest and the tfjs model back; the model's own loader checks params/state. */
export async function readNeuralArtifact<F extends string>(
  files: ArtifactFiles | Record<string, Uint8Array>,
  format: F,
  formatVersion: number,
): Promise<{ model: tf.LayersModel; params: unknown; state: unknown; tfjs: TfjsArtifactInfo }> {
  const manifest = parseJsonFile(files, NEURAL_ARTIFACT_FILES.manifest) as { tfjs?: TfjsArtifactInfo };
  const { params, state } = readArtifactEnvelope(manifest as object, format, formatVersion);
  const tfjs = manifest.tfjs;
  if (!tfjs || typeof tfjs.modelFile !== 'string' || typeof tfjs.weightsFile !== 'string') {
    throw badArtifact('artifact.tfjs', 'must name the tfjs model and weights files');
  }
  const modelJson = parseJsonFile(files, tfjs.modelFile) as tf.io.ModelJSON;
  if (!modelJson || typeof modelJson !== 'object' || !modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw badArtifact(`artifact.files["${tfjs.modelFile}"]`, 'is not a tfjs layers model.json');
  }
  const weightBytes = fileOf(files, tfjs.weightsFile);
  const weightData = weightBytes.buffer.slice(weightBytes.byteOffset, weightBytes.byteOffset + weightBytes.byteLength) as ArrayBuffer;
  const handler: tf.io.IOHandler = {
    load: () => tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => [tf.io.getWeightSpecs(manifest), weightData]),
  };
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(handler);
  } catch (error) {
    throw badArtifact(`artifact.files["${tfjs.modelFile}"]`, `tfjs could not load the model: ${(error as Error).message}`);
  }
  return { model, params, state, tfjs };
}
