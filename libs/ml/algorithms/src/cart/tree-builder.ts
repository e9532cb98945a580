import { argsortStable } from './argsort';
import type { SklearnTreeRandom } from './sklearn-rand';
import { LEAF, type TreeStructure } from './tree-structure';

/**
 * Depth-first CART builder on presorted feature indices. Every feature keeps its rows sorted by value; a node
 * owns the same position range [start, end) in every feature's list, so finding a split is one linear sweep per
 * feature (no sorting per node, unlike scikit-learn) and splitting is one stable partition per feature.
 * Split rules follow scikit-learn's BestSplitter: features visited in random order, ties keep the first found,
 * values closer than 1e-7 are not separated, threshold is the midpoint of the two neighbouring values.
 */

export type SplitCriterion = 'gini' | 'entropy' | 'squared_error';

export type TreeTarget = { kind: 'classification'; y: Int32Array; nClasses: number } | { kind: 'regression'; y: Float64Array };

export interface TreeBuildOptions {
  criterion: SplitCriterion;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features evaluated per node (already resolved to a count). */
  maxFeatures: number;
}

const FEATURE_THRESHOLD = 1e-7;
const EPSILON = Number.EPSILON;

interface BuildContext {
  n: number;
  d: number;
  sortedIdx: Int32Array;
  sortedVal: Float64Array;
  yClass: Int32Array;
  yReg: Float64Array;
  nClasses: number;
  criterion: SplitCriterion;
  minSamplesLeaf: number;
  countsLeft: Float64Array;
  countsRight: Float64Array;
  nodeCounts: Float64Array;
  goLeft: Uint8Array;
  tmpIdx: Int32Array;
  tmpVal: Float64Array;
  // Best split of the current node.
  bestProxy: number;
  bestFeature: number;
  bestPos: number;
  bestThreshold: number;
}

class GrowableTree {
  nodeCount = 0;
  feature: Int32Array = new Int32Array(64);
  threshold: Float64Array = new Float64Array(64);
  left: Int32Array = new Int32Array(64);
  right: Int32Array = new Int32Array(64);
  impurity: Float64Array = new Float64Array(64);
  nSamples: Int32Array = new Int32Array(64);
  value: Float64Array;
  maxDepth = 0;

  constructor(readonly nOutputs: number) {
    this.value = new Float64Array(64 * nOutputs);
  }

  add(depth: number, impurity: number, nSamples: number, value: Float64Array): number {
    if (this.nodeCount === this.feature.length) this.grow();
    const id = this.nodeCount++;
    this.feature[id] = LEAF;
    this.threshold[id] = 0;
    this.left[id] = LEAF;
    this.right[id] = LEAF;
    this.impurity[id] = impurity;
    this.nSamples[id] = nSamples;
    this.value.set(value.subarray(0, this.nOutputs), id * this.nOutputs);
    if (depth > this.maxDepth) this.maxDepth = depth;
    return id;
  }

  private grow(): void {
    const cap = this.feature.length * 2;
    const growI = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const growF = (a: Float64Array, width = 1): Float64Array => {
      const b = new Float64Array(cap * width);
      b.set(a);
      return b;
    };
    this.feature = growI(this.feature);
    this.left = growI(this.left);
    this.right = growI(this.right);
    this.nSamples = growI(this.nSamples);
    this.threshold = growF(this.threshold);
    this.impurity = growF(this.impurity);
    this.value = growF(this.value, this.nOutputs);
  }

  finish(): TreeStructure {
    const m = this.nodeCount;
    return {
      nodeCount: m,
      feature: this.feature.slice(0, m),
      threshold: this.threshold.slice(0, m),
      left: this.left.slice(0, m),
      right: this.right.slice(0, m),
      impurity: this.impurity.slice(0, m),
      nSamples: this.nSamples.slice(0, m),
      value: this.value.slice(0, m * this.nOutputs),
      nOutputs: this.nOutputs,
      maxDepth: this.maxDepth,
    };
  }
}

export function buildTree(x: Float64Array, n: number, d: number, target: TreeTarget, options: TreeBuildOptions, random: SklearnTreeRandom): TreeStructure {
  const sortedIdx = new Int32Array(n * d);
  const sortedVal = new Float64Array(n * d);
  const column = new Float64Array(n);
  for (let f = 0; f < d; f++) {
    for (let i = 0; i < n; i++) column[i] = x[i * d + f];
    const order = argsortStable(column);
    const base = f * n;
    for (let p = 0; p < n; p++) {
      const i = order[p];
      sortedIdx[base + p] = i;
      sortedVal[base + p] = column[i];
    }
  }
  const isClass = target.kind === 'classification';
  const nClasses = isClass ? target.nClasses : 0;
  const ctx: BuildContext = {
    n,
    d,
    sortedIdx,
    sortedVal,
    yClass: isClass ? target.y : new Int32Array(0),
    yReg: isClass ? new Float64Array(0) : target.y,
    nClasses,
    criterion: options.criterion,
    minSamplesLeaf: options.minSamplesLeaf,
    countsLeft: new Float64Array(Math.max(nClasses, 1)),
    countsRight: new Float64Array(Math.max(nClasses, 1)),
    nodeCounts: new Float64Array(Math.max(nClasses, 1)),
    goLeft: new Uint8Array(n),
    tmpIdx: new Int32Array(n),
    tmpVal: new Float64Array(n),
    bestProxy: 0,
    bestFeature: -1,
    bestPos: -1,
    bestThreshold: 0,
  };
  const tree = new GrowableTree(isClass ? nClasses : 1);
  const features = new Int32Array(d);
  for (let f = 0; f < d; f++) features[f] = f;
  const constantFeatures = new Int32Array(d);
  const nodeValue = new Float64Array(Math.max(nClasses, 1));

  // Explicit stack of [start, end, depth, parent, isLeft, nConstants]; right is pushed first so left subtrees get
  // lower ids. nConstants = features already known constant in this node (inherited from the parent).
  const stack: number[] = [0, n, 0, -1, 0, 0];
  while (stack.length > 0) {
    const nKnownConstants = stack.pop() as number;
    const isLeft = stack.pop() as number;
    const parent = stack.pop() as number;
    const depth = stack.pop() as number;
    const end = stack.pop() as number;
    const start = stack.pop() as number;
    const count = end - start;

    const impurity = nodeStatistics(ctx, start, end, nodeValue);
    const id = tree.add(depth, impurity, count, nodeValue);
    if (parent >= 0) {
      if (isLeft) tree.left[parent] = id;
      else tree.right[parent] = id;
    }

    let isLeaf = depth >= options.maxDepth || count < options.minSamplesSplit || count < 2 * options.minSamplesLeaf || impurity <= EPSILON;
    let nConstants = nKnownConstants;
    if (!isLeaf) {
      nConstants = findBestSplit(ctx, start, end, features, constantFeatures, nKnownConstants, options.maxFeatures, random);
      isLeaf = ctx.bestFeature < 0;
    }
    if (isLeaf) continue;

    const mid = ctx.bestPos + 1;
    tree.feature[id] = ctx.bestFeature;
    tree.threshold[id] = ctx.bestThreshold;
    partition(ctx, start, end, ctx.bestFeature, mid);
    stack.push(mid, end, depth + 1, id, 0, nConstants);
    stack.push(start, mid, depth + 1, id, 1, nConstants);
  }
  return tree.finish();
}

/** Fills `value` (class counts or [mean]) for rows [start, end) and returns the node impurity. */
function nodeStatistics(ctx: BuildContext, start: number, end: number, value: Float64Array): number {
  const count = end - start;
  const idx = ctx.sortedIdx;
  if (ctx.criterion === 'squared_error') {
    const y = ctx.yReg;
    let sum = 0;
    let sumSq = 0;
    for (let p = start; p < end; p++) {
      const v = y[idx[p]];
      sum += v;
      sumSq += v * v;
    }
    const mean = sum / count;
    value[0] = mean;
    return Math.max(sumSq / count - mean * mean, 0);
  }
  const y = ctx.yClass;
  value.fill(0);
  for (let p = start; p < end; p++) value[y[idx[p]]]++;
  return classImpurity(ctx.criterion, value, ctx.nClasses, count);
}

function classImpurity(criterion: SplitCriterion, counts: Float64Array, nClasses: number, count: number): number {
  if (criterion === 'gini') {
    let sq = 0;
    for (let c = 0; c < nClasses; c++) sq += counts[c] * counts[c];
    return 1 - sq / (count * count);
  }
  let h = 0;
  for (let c = 0; c < nClasses; c++) {
    if (counts[c] > 0) {
      const p = counts[c] / count;
      h -= p * Math.log2(p);
    }
  }
  return h;
}

/**
 * scikit-learn's BestSplitter feature loop: features are drawn without replacement in random order; features found
 * constant here are moved to the front and skipped by descendants; at least maxFeatures non-constant features are
 * evaluated when available. Returns how many features are known constant for the children.
 */
function findBestSplit(
  ctx: BuildContext,
  start: number,
  end: number,
  features: Int32Array,
  constantFeatures: Int32Array,
  nKnownConstants: number,
  maxFeatures: number,
  random: SklearnTreeRandom,
): number {
  const { d, n, sortedVal } = ctx;
  ctx.bestProxy = Number.NEGATIVE_INFINITY;
  ctx.bestFeature = -1;
  ctx.bestPos = -1;
  let fI = d;
  let nVisited = 0;
  let nFoundConstants = 0;
  let nDrawnConstants = 0;
  let nTotalConstants = nKnownConstants;
  while (fI > nTotalConstants && (nVisited < maxFeatures || nVisited <= nFoundConstants + nDrawnConstants)) {
    nVisited++;
    let fJ = random.int(nDrawnConstants, fI - nFoundConstants);
    if (fJ < nKnownConstants) {
      swap(features, nDrawnConstants, fJ);
      nDrawnConstants++;
      continue;
    }
    fJ += nFoundConstants;
    const f = features[fJ];
    const base = f * n;
    if (sortedVal[base + end - 1] <= sortedVal[base + start] + FEATURE_THRESHOLD) {
      swap(features, fJ, nTotalConstants);
      nFoundConstants++;
      nTotalConstants++;
      continue;
    }
    fI--;
    swap(features, fI, fJ);
    if (ctx.criterion === 'gini') sweepGini(ctx, f, start, end);
    else if (ctx.criterion === 'entropy') sweepEntropy(ctx, f, start, end);
    else sweepSquaredError(ctx, f, start, end);
  }
  // Keep the known constants in their original order for siblings, and record the newly found ones.
  features.set(constantFeatures.subarray(0, nKnownConstants), 0);
  constantFeatures.set(features.subarray(nKnownConstants, nKnownConstants + nFoundConstants), nKnownConstants);
  if (ctx.bestFeature >= 0) {
    const base = ctx.bestFeature * n;
    const a = sortedVal[base + ctx.bestPos];
    const b = sortedVal[base + ctx.bestPos + 1];
    let t = a / 2 + b / 2;
    if (t === b || !Number.isFinite(t)) t = a;
    ctx.bestThreshold = t;
  }
  return nTotalConstants;
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** Gini proxy −n_l·gini_l − n_r·gini_r with Σc² per side maintained in O(1) per row. */
function sweepGini(ctx: BuildContext, f: number, start: number, end: number): void {
  const { n, sortedIdx, sortedVal, yClass, countsLeft, countsRight, nodeCounts, minSamplesLeaf, nClasses } = ctx;
  const base = f * n;
  const count = end - start;
  countsLeft.fill(0);
  countsRight.fill(0);
  for (let p = start; p < end; p++) countsRight[yClass[sortedIdx[base + p]]]++;
  nodeCounts.set(countsRight);
  let sqLeft = 0;
  let sqRight = 0;
  for (let c = 0; c < nClasses; c++) sqRight += countsRight[c] * countsRight[c];
  let best = ctx.bestProxy;
  let bestPos = -1;
  const last = end - minSamplesLeaf;
  for (let p = start; p < end - 1; p++) {
    const c = yClass[sortedIdx[base + p]];
    sqLeft += 2 * countsLeft[c] + 1;
    countsLeft[c]++;
    sqRight -= 2 * countsRight[c] - 1;
    countsRight[c]--;
    if (sortedVal[base + p + 1] <= sortedVal[base + p] + FEATURE_THRESHOLD) continue;
    const nLeft = p + 1 - start;
    if (nLeft < minSamplesLeaf) continue;
    if (p + 1 > last) break;
    const nRight = count - nLeft;
    // scikit-learn's exact expression (not the algebraically equal Σc²/n form), so near-ties round the same way.
    const proxy = -nRight * (1 - sqRight / (nRight * nRight)) - nLeft * (1 - sqLeft / (nLeft * nLeft));
    if (proxy > best) {
      best = proxy;
      bestPos = p;
    }
  }
  if (bestPos >= 0) {
    ctx.bestProxy = best;
    ctx.bestFeature = f;
    ctx.bestPos = bestPos;
  }
}

/**
 * Entropy proxy −n_l·H_l − n_r·H_r, computed class by class exactly as scikit-learn does (log2 of shares).
 * An O(1) Σ c·ln c update is possible but rounds differently, and on integer-valued data (digits) many splits
 * tie to the last bit, so matching the reference's arithmetic is what makes the same seed grow the same tree.
 */
function sweepEntropy(ctx: BuildContext, f: number, start: number, end: number): void {
  const { n, sortedIdx, sortedVal, yClass, countsLeft, countsRight, minSamplesLeaf, nClasses } = ctx;
  const base = f * n;
  const count = end - start;
  countsLeft.fill(0);
  countsRight.fill(0);
  for (let p = start; p < end; p++) countsRight[yClass[sortedIdx[base + p]]]++;
  let best = ctx.bestProxy;
  let bestPos = -1;
  const last = end - minSamplesLeaf;
  for (let p = start; p < end - 1; p++) {
    const c = yClass[sortedIdx[base + p]];
    countsLeft[c]++;
    countsRight[c]--;
    if (sortedVal[base + p + 1] <= sortedVal[base + p] + FEATURE_THRESHOLD) continue;
    const nLeft = p + 1 - start;
    if (nLeft < minSamplesLeaf) continue;
    if (p + 1 > last) break;
    const nRight = count - nLeft;
    let hLeft = 0;
    let hRight = 0;
    for (let k = 0; k < nClasses; k++) {
      const cl = countsLeft[k];
      if (cl > 0) {
        const q = cl / nLeft;
        hLeft -= q * (Math.log(q) / Math.LN2);
      }
      const cr = countsRight[k];
      if (cr > 0) {
        const q = cr / nRight;
        hRight -= q * (Math.log(q) / Math.LN2);
      }
    }
    const proxy = -nRight * hRight - nLeft * hLeft;
    if (proxy > best) {
      best = proxy;
      bestPos = p;
    }
  }
  if (bestPos >= 0) {
    ctx.bestProxy = best;
    ctx.bestFeature = f;
    ctx.bestPos = bestPos;
  }
}

/** Squared-error proxy sum_left²/n_left + sum_right²/n_right (scikit-learn's MSE proxy). */
function sweepSquaredError(ctx: BuildContext, f: number, start: number, end: number): void {
  const { n, sortedIdx, sortedVal, yReg, minSamplesLeaf } = ctx;
  const base = f * n;
  const count = end - start;
  let total = 0;
  for (let p = start; p < end; p++) total += yReg[sortedIdx[base + p]];
  let sumLeft = 0;
  let best = ctx.bestProxy;
  let bestPos = -1;
  const last = end - minSamplesLeaf;
  for (let p = start; p < end - 1; p++) {
    sumLeft += yReg[sortedIdx[base + p]];
    if (sortedVal[base + p + 1] <= sortedVal[base + p] + FEATURE_THRESHOLD) continue;
    const nLeft = p + 1 - start;
    if (nLeft < minSamplesLeaf) continue;
    if (p + 1 > last) break;
    const sumRight = total - sumLeft;
    const proxy = (sumLeft * sumLeft) / nLeft + (sumRight * sumRight) / (count - nLeft);
    if (proxy > best) {
      best = proxy;
      bestPos = p;
    }
  }
  if (bestPos >= 0) {
    ctx.bestProxy = best;
    ctx.bestFeature = f;
    ctx.bestPos = bestPos;
  }
}

/** Stable partition of every feature's range so [start, mid) holds the left child's rows, still sorted. */
function partition(ctx: BuildContext, start: number, end: number, splitFeature: number, mid: number): void {
  const { n, d, sortedIdx, sortedVal, goLeft, tmpIdx, tmpVal } = ctx;
  const splitBase = splitFeature * n;
  for (let p = start; p < mid; p++) goLeft[sortedIdx[splitBase + p]] = 1;
  for (let p = mid; p < end; p++) goLeft[sortedIdx[splitBase + p]] = 0;
  for (let f = 0; f < d; f++) {
    if (f === splitFeature) continue;
    const base = f * n;
    let wl = base + start;
    let wr = 0;
    for (let p = base + start; p < base + end; p++) {
      const i = sortedIdx[p];
      const v = sortedVal[p];
      if (goLeft[i] === 1) {
        sortedIdx[wl] = i;
        sortedVal[wl] = v;
        wl++;
      } else {
        tmpIdx[wr] = i;
        tmpVal[wr] = v;
        wr++;
      }
    }
    sortedIdx.set(tmpIdx.subarray(0, wr), wl);
    sortedVal.set(tmpVal.subarray(0, wr), wl);
  }
}
