/**
 * A fitted tree as flat parallel arrays (node i: feature[i], threshold[i], ...), the layout scikit-learn's
 * `tree_` uses. Leaves have feature -1. A row goes left when x[feature] <= threshold.
 */
export interface TreeStructure {
  nodeCount: number;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  impurity: Float64Array;
  nSamples: Int32Array;
  /** nodeCount × nOutputs: class counts (classifier) or the mean target (regressor, nOutputs = 1). */
  value: Float64Array;
  nOutputs: number;
  maxDepth: number;
}

export const LEAF = -1;

/** Leaf reached by each row. */
export function applyTree(tree: TreeStructure, x: Float64Array | Float32Array, nRows: number, nFeatures: number): Int32Array {
  const { feature, threshold, left, right } = tree;
  const leaves = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) {
    const off = i * nFeatures;
    let node = 0;
    let f = feature[0];
    while (f !== LEAF) {
      node = x[off + f] <= threshold[node] ? left[node] : right[node];
      f = feature[node];
    }
    leaves[i] = node;
  }
  return leaves;
}

/** Mean decrease in impurity, weighted by samples and normalised to sum 1 (scikit-learn's `feature_importances_`). */
export function featureImportances(tree: TreeStructure, nFeatures: number): Float64Array {
  const out = new Float64Array(nFeatures);
  const { feature, left, right, impurity, nSamples } = tree;
  for (let node = 0; node < tree.nodeCount; node++) {
    const f = feature[node];
    if (f === LEAF) continue;
    const l = left[node];
    const r = right[node];
    out[f] += nSamples[node] * impurity[node] - nSamples[l] * impurity[l] - nSamples[r] * impurity[r];
  }
  let total = 0;
  for (let f = 0; f < nFeatures; f++) total += out[f];
  if (total > 0) for (let f = 0; f < nFeatures; f++) out[f] /= total;
  return out;
}
