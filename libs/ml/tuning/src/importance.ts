import { Rng, STREAM } from './random';
import { choiceIndex, compileSpace, numericValue, toInternal, type Param } from './space';
import type { Direction, SearchSpaceInput, TrialRecord } from './types';

const TREES = 32;
const MAX_DEPTH = 10;
const MIN_LEAF = 2;
/** Rows in each tree's bootstrap sample and in the partial-dependence average: bounds the cost at 1,000+ trials. */
const MAX_BOOTSTRAP = 500;
const MAX_PD_ROWS = 200;
const NUMERIC_GRID = 16;

type Node =
  | { leaf: true; value: number }
  | { leaf: false; feature: number; threshold: number; left: Node; right: Node }
  | { leaf: false; feature: number; leftSet: Uint8Array; left: Node; right: Node };

interface Feature {
  readonly param: Param;
  /** Categorical features: the number of codes (choices + one for "inactive"). */
  readonly codes: number;
}

/** A trial's parameters as numbers: transformed coordinate / choice index; inactive = below the range / the last code. */
function encode(features: readonly Feature[], trial: TrialRecord): Float64Array {
  const row = new Float64Array(features.length);
  features.forEach(({ param, codes }, j) => {
    const raw = trial.params[param.name];
    if (param.kind === 'categorical') {
      const index = choiceIndex(param, raw);
      row[j] = index < 0 ? codes - 1 : index;
      return;
    }
    const v = numericValue(raw);
    row[j] = v === null || v < param.low || v > param.top ? inactiveCoordinate(param) : toInternal(param, v);
  });
  return row;
}

function inactiveCoordinate(param: Param & { kind: 'numeric' }): number {
  return param.xLow - (param.xHigh - param.xLow) - 1;
}

function mean(ys: Float64Array, rows: Uint32Array): number {
  let s = 0;
  for (const r of rows) s += ys[r];
  return s / rows.length;
}

/** CART regression tree on squared error; categorical splits by Breiman's ordering of categories by mean target. */
function grow(xs: Float64Array[], ys: Float64Array, rows: Uint32Array, features: readonly Feature[], depth: number): Node {
  const value = mean(ys, rows);
  if (depth >= MAX_DEPTH || rows.length < 2 * MIN_LEAF) return { leaf: true, value };
  let total = 0;
  let totalSq = 0;
  for (const r of rows) {
    total += ys[r];
    totalSq += ys[r] * ys[r];
  }
  const n = rows.length;
  const parentSse = totalSq - (total * total) / n;
  if (parentSse <= 1e-12 * Math.max(1, totalSq)) return { leaf: true, value };
  let bestGain = 0;
  let best: { feature: number; threshold?: number; leftSet?: Uint8Array } | null = null;
  features.forEach((feature, j) => {
    if (feature.param.kind === 'categorical') {
      const sums = new Float64Array(feature.codes);
      const counts = new Float64Array(feature.codes);
      for (const r of rows) {
        const c = xs[r][j];
        sums[c] += ys[r];
        counts[c]++;
      }
      const present = [...counts.keys()].filter((c) => counts[c] > 0).sort((a, b) => sums[a] / counts[a] - sums[b] / counts[b] || a - b);
      let leftSum = 0;
      let leftCount = 0;
      for (let i = 0; i < present.length - 1; i++) {
        leftSum += sums[present[i]];
        leftCount += counts[present[i]];
        const rightCount = n - leftCount;
        if (leftCount < MIN_LEAF || rightCount < MIN_LEAF) continue;
        const gain = (leftSum * leftSum) / leftCount + ((total - leftSum) * (total - leftSum)) / rightCount - (total * total) / n;
        if (gain > bestGain + 1e-12) {
          bestGain = gain;
          const leftSet = new Uint8Array(feature.codes);
          for (let k = 0; k <= i; k++) leftSet[present[k]] = 1;
          best = { feature: j, leftSet };
        }
      }
      return;
    }
    const order = Array.from(rows).sort((a, b) => xs[a][j] - xs[b][j]);
    let leftSum = 0;
    for (let i = 0; i < n - 1; i++) {
      leftSum += ys[order[i]];
      const x = xs[order[i]][j];
      const next = xs[order[i + 1]][j];
      if (next === x) continue;
      const leftCount = i + 1;
      const rightCount = n - leftCount;
      if (leftCount < MIN_LEAF || rightCount < MIN_LEAF) continue;
      const gain = (leftSum * leftSum) / leftCount + ((total - leftSum) * (total - leftSum)) / rightCount - (total * total) / n;
      if (gain > bestGain + 1e-12) {
        bestGain = gain;
        best = { feature: j, threshold: (x + next) / 2 };
      }
    }
  });
  if (!best) return { leaf: true, value };
  const chosen = best as { feature: number; threshold?: number; leftSet?: Uint8Array };
  const goesLeft = (r: number) => (chosen.leftSet ? chosen.leftSet[xs[r][chosen.feature]] === 1 : xs[r][chosen.feature] <= (chosen.threshold as number));
  const left = Uint32Array.from(Array.from(rows).filter(goesLeft));
  const right = Uint32Array.from(Array.from(rows).filter((r) => !goesLeft(r)));
  const children = { left: grow(xs, ys, left, features, depth + 1), right: grow(xs, ys, right, features, depth + 1) };
  return chosen.leftSet
    ? { leaf: false, feature: chosen.feature, leftSet: chosen.leftSet, ...children }
    : { leaf: false, feature: chosen.feature, threshold: chosen.threshold as number, ...children };
}

function predict(node: Node, x: Float64Array): number {
  while (!node.leaf) {
    const v = x[node.feature];
    node = 'leftSet' in node ? (node.leftSet[v] === 1 ? node.left : node.right) : v <= node.threshold ? node.left : node.right;
  }
  return node.value;
}

function variance(values: readonly number[]): number {
  const m = values.reduce((s, v) => s + v, 0) / values.length;
  return values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length;
}

/**
 * Parameter importance as the share of each parameter's main effect, estimated with a random forest (not fANOVA's
 * exact decomposition). Precisely:
 * 1. The COMPLETE trials with a finite value, parameters encoded as numbers (transformed coordinate, i.e. log scale
 *    for log dimensions; choice index for categoricals; inactive conditional parameters as a value of their own).
 * 2. A forest of 32 CART regression trees (squared error, depth ≤ 10, leaves ≥ 2 trials), each on a bootstrap
 *    sample of at most 500 trials drawn with a PRNG seeded by `seed`, predicting the objective.
 * 3. For each parameter p, its partial dependence: the forest's prediction averaged over (at most 200, seeded)
 *    trials where p was active, with p set to each value of a grid (16 evenly spaced points of the transformed range,
 *    or every choice). V_p is the variance of that curve over the grid, times the fraction of trials where p was
 *    active (a conditional parameter only matters where it exists).
 * 4. importance_p = V_p / Σ V, sorted descending (ties by name). [] with fewer than 2 such trials or when every V_p
 *    is 0 (e.g. a constant objective). `direction` does not change variances; it is accepted for symmetry.
 */
export function parameterImportance(input: {
  readonly space: SearchSpaceInput;
  readonly history: readonly TrialRecord[];
  readonly direction: Direction;
  readonly seed: number;
}): { param: string; importance: number }[] {
  const space = compileSpace(input.space);
  const trials = input.history.filter((t) => t.state === 'COMPLETE' && t.value !== null && Number.isFinite(t.value));
  if (trials.length < 2) return [];
  const features: Feature[] = space.params.map((param) => ({ param, codes: param.kind === 'categorical' ? param.choices.length + 1 : 0 }));
  const xs = trials.map((t) => encode(features, t));
  const ys = Float64Array.from(trials, (t) => t.value as number);
  const rng = new Rng(input.seed, trials.length, STREAM.importance);
  const n = trials.length;
  const trees: Node[] = [];
  for (let t = 0; t < TREES; t++) {
    const size = Math.min(n, MAX_BOOTSTRAP);
    const sample = new Uint32Array(size);
    for (let i = 0; i < size; i++) sample[i] = rng.int(n);
    trees.push(grow(xs, ys, sample, features, 0));
  }
  const forest = (x: Float64Array) => trees.reduce((s, tree) => s + predict(tree, x), 0) / trees.length;
  const effects = features.map((feature, j) => {
    const { param } = feature;
    const activeRows = xs.filter((x) => (param.kind === 'categorical' ? x[j] !== feature.codes - 1 : x[j] !== inactiveCoordinate(param)));
    if (activeRows.length === 0) return 0;
    const rows = activeRows.length <= MAX_PD_ROWS ? activeRows : Array.from(rng.permutation(activeRows.length).subarray(0, MAX_PD_ROWS), (i) => activeRows[i]);
    const grid =
      param.kind === 'categorical'
        ? param.choices.map((_, c) => c)
        : Array.from({ length: NUMERIC_GRID }, (_, k) => param.xLow + ((param.xHigh - param.xLow) * (k + 0.5)) / NUMERIC_GRID);
    const curve = grid.map((g) => {
      let s = 0;
      for (const row of rows) {
        const x = Float64Array.from(row);
        x[j] = g;
        s += forest(x);
      }
      return s / rows.length;
    });
    return variance(curve) * (activeRows.length / n);
  });
  const total = effects.reduce((s, v) => s + v, 0);
  if (!(total > 0)) return [];
  return features
    .map((f, j) => ({ param: f.param.name, importance: effects[j] / total }))
    .sort((a, b) => b.importance - a.importance || (a.param < b.param ? -1 : a.param > b.param ? 1 : 0));
}
