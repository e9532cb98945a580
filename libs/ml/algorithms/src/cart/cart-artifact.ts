import { MlInputError, MlInputErrorCode, numberArray, parsePreprocessing, readArtifactEnvelope, type ModelArtifact, type PreprocessingState } from '../common';
import { DecisionTreeClassifier, DecisionTreeRegressor, resolveTreeParams, type DecisionTreeFitState, type DecisionTreeParams } from './decision-tree';
import { featureImportances, LEAF, type TreeStructure } from './tree-structure';

export const CART_FORMAT = 'slipway.cart';
export const CART_FORMAT_VERSION = 1;

export interface CartArtifactState {
  task: 'classification' | 'regression';
  nFeatures: number;
  nClasses: number;
  featureNames: string[];
  /** Flat node arrays as in TreeStructure; `value` is nodeCount × nOutputs, row-major. */
  nodes: {
    feature: number[];
    threshold: number[];
    left: number[];
    right: number[];
    impurity: number[];
    nSamples: number[];
    value: number[];
  };
  nOutputs: number;
  maxDepth: number;
  featureImportances: number[];
  preprocessing: PreprocessingState;
}

export type CartArtifact = ModelArtifact<typeof CART_FORMAT, DecisionTreeParams, CartArtifactState>;

export function cartToArtifact(model: DecisionTreeClassifier | DecisionTreeRegressor): CartArtifact {
  const s = model.state;
  const t = s.tree;
  const p = model.params;
  return {
    format: CART_FORMAT,
    formatVersion: CART_FORMAT_VERSION,
    params: {
      criterion: p.criterion,
      maxDepth: p.maxDepth,
      minSamplesSplit: p.minSamplesSplit,
      minSamplesLeaf: p.minSamplesLeaf,
      maxFeatures: p.maxFeatures,
      seed: p.seed,
      preprocessing: p.preprocessing,
    },
    state: {
      task: s.task,
      nFeatures: s.nFeatures,
      nClasses: s.nClasses,
      featureNames: s.featureNames,
      nodes: {
        feature: Array.from(t.feature),
        threshold: Array.from(t.threshold),
        left: Array.from(t.left),
        right: Array.from(t.right),
        impurity: Array.from(t.impurity),
        nSamples: Array.from(t.nSamples),
        value: Array.from(t.value),
      },
      nOutputs: t.nOutputs,
      maxDepth: t.maxDepth,
      featureImportances: Array.from(s.featureImportances),
      preprocessing: s.preprocessing,
    },
  };
}

export function saveCart(model: DecisionTreeClassifier | DecisionTreeRegressor): string {
  return JSON.stringify(cartToArtifact(model));
}

function bad(argument: string, detail: string): MlInputError {
  return new MlInputError(MlInputErrorCode.BAD_ARTIFACT, argument, detail);
}

/** Loads either kind; the artifact's `state.task` says which class comes back. */
export function loadCart(input: string | CartArtifact): DecisionTreeClassifier | DecisionTreeRegressor {
  const envelope = readArtifactEnvelope(input, CART_FORMAT, CART_FORMAT_VERSION);
  const params = envelope.params as DecisionTreeParams;
  const s = envelope.state as CartArtifactState;
  if (s.task !== 'classification' && s.task !== 'regression') throw bad('artifact.state.task', `must be classification or regression, got ${String(s.task)}`);
  const d = s.nFeatures;
  if (!Number.isInteger(d) || d < 1) throw bad('artifact.state.nFeatures', 'must be a positive integer');
  const nodes = s.nodes ?? ({} as CartArtifactState['nodes']);
  const feature = numberArray(nodes.feature, 'artifact.state.nodes.feature');
  const m = feature.length;
  const nOutputs = s.nOutputs;
  if (m < 1) throw bad('artifact.state.nodes', 'must hold at least one node');
  if (!Number.isInteger(nOutputs) || nOutputs !== (s.task === 'classification' ? s.nClasses : 1))
    throw bad('artifact.state.nOutputs', 'does not match the task');
  const tree: TreeStructure = {
    nodeCount: m,
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(numberArray(nodes.threshold, 'artifact.state.nodes.threshold', m)),
    left: Int32Array.from(numberArray(nodes.left, 'artifact.state.nodes.left', m)),
    right: Int32Array.from(numberArray(nodes.right, 'artifact.state.nodes.right', m)),
    impurity: Float64Array.from(numberArray(nodes.impurity, 'artifact.state.nodes.impurity', m)),
    nSamples: Int32Array.from(numberArray(nodes.nSamples, 'artifact.state.nodes.nSamples', m)),
    value: Float64Array.from(numberArray(nodes.value, 'artifact.state.nodes.value', m * nOutputs)),
    nOutputs,
    maxDepth: s.maxDepth,
  };
  // A corrupt child pointer would loop forever or read out of bounds at predict time: check every split once here.
  for (let node = 0; node < m; node++) {
    const f = tree.feature[node];
    if (f === LEAF) continue;
    if (f < 0 || f >= d) throw bad('artifact.state.nodes.feature', `node ${node} splits on feature ${f} of ${d}`);
    const l = tree.left[node];
    const r = tree.right[node];
    if (!(l > node && l < m && r > node && r < m)) throw bad('artifact.state.nodes', `node ${node} has invalid children ${l}, ${r}`);
  }
  const featureNames = Array.isArray(s.featureNames) && s.featureNames.length === d ? s.featureNames.map(String) : Array.from({ length: d }, (_, j) => `x${j}`);
  const state: DecisionTreeFitState = {
    task: s.task,
    nFeatures: d,
    nClasses: s.task === 'classification' ? nOutputs : 0,
    featureNames,
    tree,
    featureImportances: featureImportances(tree, d),
    preprocessing: parsePreprocessing(s.preprocessing, d),
  };
  try {
    if (s.task === 'classification') {
      const model = new DecisionTreeClassifier(resolveTreeParams(params as DecisionTreeParams<'gini' | 'entropy'>, ['gini', 'entropy']));
      return model.restore(state);
    }
    const model = new DecisionTreeRegressor(resolveTreeParams(params as DecisionTreeParams<'squared_error'>, ['squared_error']));
    return model.restore(state);
  } catch (error) {
    if (error instanceof MlInputError && error.code === MlInputErrorCode.BAD_ARTIFACT) throw error;
    throw bad('artifact.params', (error as Error).message);
  }
}
