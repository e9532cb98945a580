import {
  applyPreprocessing,
  asFloat64,
  assertFeatureCount,
  fitPreprocessing,
  MlInputError,
  MlInputErrorCode,
  requireInteger,
  toDenseMatrix,
  validateClassLabels,
  validateTargets,
  type DenseMatrix,
  type MatrixInput,
  type PreprocessingKind,
  type PreprocessingState,
} from '../common';
import { SklearnTreeRandom } from './sklearn-rand';
import { buildTree, type SplitCriterion } from './tree-builder';
import { applyTree, featureImportances, type TreeStructure } from './tree-structure';

export type MaxFeatures = number | 'sqrt' | 'log2' | null;

export interface DecisionTreeParams<C extends SplitCriterion = SplitCriterion> {
  criterion: C;
  /** null grows until leaves are pure or too small to split. */
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features tried per split: an integer count, a fraction in (0, 1), 'sqrt', 'log2', or null for all. */
  maxFeatures: MaxFeatures;
  /** scikit-learn's random_state: the same seed visits features in the same order, so ties break the same way. */
  seed: number;
  preprocessing: PreprocessingKind;
}

export type ClassifierParams = DecisionTreeParams<'gini' | 'entropy'>;
export type RegressorParams = DecisionTreeParams<'squared_error'>;

const COMMON_DEFAULTS = { maxDepth: null, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: null, seed: 0, preprocessing: 'none' } as const;

export interface DecisionTreeFitState {
  task: 'classification' | 'regression';
  nFeatures: number;
  /** 0 for regression. */
  nClasses: number;
  featureNames: string[];
  tree: TreeStructure;
  featureImportances: Float64Array;
  preprocessing: PreprocessingState;
}

export interface FitOptions {
  /** Used by the JSON and rules exports; defaults to x0, x1, ... */
  featureNames?: string[];
}

export function resolveTreeParams<C extends SplitCriterion>(params: DecisionTreeParams<C>, allowed: readonly C[]): DecisionTreeParams<C> {
  if (!allowed.includes(params.criterion)) {
    throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'params.criterion', `must be one of ${allowed.join(', ')}, got ${String(params.criterion)}`);
  }
  if (params.maxDepth !== null) requireInteger(params.maxDepth, 'params.maxDepth', 1);
  requireInteger(params.minSamplesSplit, 'params.minSamplesSplit', 2);
  requireInteger(params.minSamplesLeaf, 'params.minSamplesLeaf', 1);
  // Same range as numpy's RandomState seed, since the seed feeds the same generator (sklearn-rand.ts).
  requireInteger(params.seed, 'params.seed', 0, 2 ** 32 - 1);
  const mf = params.maxFeatures;
  if (!(mf === null || mf === 'sqrt' || mf === 'log2' || (typeof mf === 'number' && Number.isFinite(mf) && mf > 0 && (mf < 1 || Number.isInteger(mf))))) {
    throw new MlInputError(
      MlInputErrorCode.BAD_PARAM,
      'params.maxFeatures',
      `must be a positive integer, a fraction in (0, 1), 'sqrt', 'log2' or null, got ${String(mf)}`,
    );
  }
  if (params.preprocessing !== 'none' && params.preprocessing !== 'standardize') {
    throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'params.preprocessing', `must be 'none' or 'standardize', got ${String(params.preprocessing)}`);
  }
  return { ...params };
}

function resolveMaxFeatures(maxFeatures: MaxFeatures, d: number): number {
  if (maxFeatures === null) return d;
  if (maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(d)));
  if (maxFeatures === 'log2') return Math.max(1, Math.floor(Math.log2(d)));
  if (maxFeatures < 1) return Math.max(1, Math.floor(maxFeatures * d));
  if (maxFeatures > d) throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'params.maxFeatures', `is ${maxFeatures} but X has ${d} features`);
  return maxFeatures;
}

/** Shared fit/predict plumbing; the two public classes differ only in target handling and outputs. */
abstract class DecisionTreeBase<C extends SplitCriterion> {
  protected fitted: DecisionTreeFitState | null = null;

  protected constructor(readonly params: DecisionTreeParams<C>) {}

  get state(): DecisionTreeFitState {
    if (!this.fitted) throw new MlInputError(MlInputErrorCode.NOT_FITTED, 'model', 'call fit() first');
    return this.fitted;
  }

  /** Restores a fitted state (see cart-artifact.ts). */
  restore(state: DecisionTreeFitState): this {
    this.fitted = state;
    return this;
  }

  get tree(): TreeStructure {
    return this.state.tree;
  }
  get featureImportances(): Float64Array {
    return this.state.featureImportances;
  }
  get nodeCount(): number {
    return this.state.tree.nodeCount;
  }
  get depth(): number {
    return this.state.tree.maxDepth;
  }

  /** Leaf id for each row. */
  apply(input: MatrixInput): Int32Array {
    const m = this.prepare(input);
    return applyTree(this.state.tree, m.data, m.nRows, m.nFeatures);
  }

  protected fitTree(input: MatrixInput, task: 'classification' | 'regression', y: ArrayLike<number>, options: FitOptions): void {
    const raw = toDenseMatrix(input, 'X');
    const preprocessing = fitPreprocessing(this.params.preprocessing, raw);
    const matrix = applyPreprocessing(preprocessing, raw);
    const { nRows: n, nFeatures: d } = matrix;
    const featureNames = options.featureNames ?? Array.from({ length: d }, (_, j) => `x${j}`);
    if (featureNames.length !== d) {
      throw new MlInputError(MlInputErrorCode.SHAPE_MISMATCH, 'options.featureNames', `has ${featureNames.length} names for ${d} features`);
    }
    const buildOptions = {
      criterion: this.params.criterion,
      maxDepth: this.params.maxDepth ?? Number.MAX_SAFE_INTEGER,
      minSamplesSplit: this.params.minSamplesSplit,
      minSamplesLeaf: this.params.minSamplesLeaf,
      maxFeatures: resolveMaxFeatures(this.params.maxFeatures, d),
    };
    const random = new SklearnTreeRandom(this.params.seed);
    let tree: TreeStructure;
    let nClasses = 0;
    if (task === 'classification') {
      const labels = validateClassLabels(y, n, 'y');
      nClasses = labels.nClasses;
      tree = buildTree(asFloat64(matrix.data), n, d, { kind: 'classification', y: labels.labels, nClasses }, buildOptions, random);
    } else {
      tree = buildTree(asFloat64(matrix.data), n, d, { kind: 'regression', y: validateTargets(y, n, 'y') }, buildOptions, random);
    }
    this.fitted = { task, nFeatures: d, nClasses, featureNames: [...featureNames], tree, featureImportances: featureImportances(tree, d), preprocessing };
  }

  protected prepare(input: MatrixInput): DenseMatrix {
    const state = this.state;
    const raw = toDenseMatrix(input, 'X');
    assertFeatureCount(raw, state.nFeatures);
    return applyPreprocessing(state.preprocessing, raw);
  }
}

/** CART classification tree (scikit-learn's DecisionTreeClassifier semantics). Labels must be 0..k-1. */
export class DecisionTreeClassifier extends DecisionTreeBase<'gini' | 'entropy'> {
  constructor(params: Partial<ClassifierParams> = {}) {
    super(resolveTreeParams<'gini' | 'entropy'>({ criterion: 'gini', ...COMMON_DEFAULTS, ...params }, ['gini', 'entropy']));
  }

  get nClasses(): number {
    return this.state.nClasses;
  }

  fit(x: MatrixInput, y: ArrayLike<number>, options: FitOptions = {}): this {
    this.fitTree(x, 'classification', y, options);
    return this;
  }

  /** Class probabilities, n × nClasses row-major: the class shares of the training rows in the reached leaf. */
  predictProba(input: MatrixInput): DenseMatrix {
    const { tree, nClasses } = this.state;
    const leaves = this.apply(input);
    const out = new Float64Array(leaves.length * nClasses);
    for (let i = 0; i < leaves.length; i++) {
      const off = leaves[i] * nClasses;
      const total = tree.nSamples[leaves[i]];
      for (let c = 0; c < nClasses; c++) out[i * nClasses + c] = tree.value[off + c] / total;
    }
    return { data: out, nRows: leaves.length, nFeatures: nClasses };
  }

  /** Most frequent class in the reached leaf; ties go to the lowest class id (as numpy's argmax). */
  predict(input: MatrixInput): Int32Array {
    const { tree, nClasses } = this.state;
    const leaves = this.apply(input);
    const out = new Int32Array(leaves.length);
    for (let i = 0; i < leaves.length; i++) {
      const off = leaves[i] * nClasses;
      let best = 0;
      for (let c = 1; c < nClasses; c++) if (tree.value[off + c] > tree.value[off + best]) best = c;
      out[i] = best;
    }
    return out;
  }
}

/** CART regression tree on squared error; same builder as the classifier. */
export class DecisionTreeRegressor extends DecisionTreeBase<'squared_error'> {
  constructor(params: Partial<RegressorParams> = {}) {
    super(resolveTreeParams<'squared_error'>({ criterion: 'squared_error', ...COMMON_DEFAULTS, ...params }, ['squared_error']));
  }

  fit(x: MatrixInput, y: ArrayLike<number>, options: FitOptions = {}): this {
    this.fitTree(x, 'regression', y, options);
    return this;
  }

  /** Mean training target of the reached leaf. */
  predict(input: MatrixInput): Float64Array {
    const { tree } = this.state;
    const leaves = this.apply(input);
    const out = new Float64Array(leaves.length);
    for (let i = 0; i < leaves.length; i++) out[i] = tree.value[leaves[i]];
    return out;
  }
}
