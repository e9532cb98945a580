import type { BinnedCounts, DatasetProfile } from '@slipway/contracts';

/**
 * The proportion a bin with no observations counts as in PSI. ln(0) is undefined, so an empty bin on either side
 * is floored to this share (1e-4, the floor Evidently and most PSI write-ups use) without renormalising the others:
 * one bin that is empty on one side and 10% on the other then adds (0.1 − 0.0001)·ln(0.1 / 0.0001) ≈ 0.69, a
 * clear drift, instead of infinity. Bins empty on both sides add exactly 0.
 */
export const PSI_EMPTY_BIN_SHARE = 1e-4;

/** The category a profile or a serving replica counts every value outside its top values under. */
export const OTHER_CATEGORY = '__other__';

function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/**
 * Population stability index of `actual` against `expected`, bin by bin:
 * Σ (a_i − e_i) · ln(a_i / e_i) over the proportions a_i, e_i of each side (empty bins floored to
 * PSI_EMPTY_BIN_SHARE). 0 is identical; by the usual rule of thumb < 0.1 is stable, 0.1–0.25 a moderate shift,
 * > 0.25 a significant one. Null when either side has no observations (nothing to compare).
 */
export function psiOfCounts(expected: readonly number[], actual: readonly number[]): number | null {
  if (expected.length !== actual.length) throw new RangeError(`PSI needs the same bins on both sides (${expected.length} vs ${actual.length})`);
  if (expected.reduce((a, b) => a + b, 0) === 0 || actual.reduce((a, b) => a + b, 0) === 0) return null;
  const e = shares(expected);
  const a = shares(actual);
  let psi = 0;
  for (let i = 0; i < e.length; i++) {
    if (e[i] === 0 && a[i] === 0) continue;
    const ei = Math.max(e[i], PSI_EMPTY_BIN_SHARE);
    const ai = Math.max(a[i], PSI_EMPTY_BIN_SHARE);
    psi += (ai - ei) * Math.log(ai / ei);
  }
  return psi;
}

/**
 * PSI between two binned distributions of one quantity. Histograms must share their edges (serving bins with
 * the training profile's edges for exactly this); categories are compared over the union of both sides' values.
 * Null when the two cannot be compared (different kinds or edges) or one side is empty.
 */
export function psi(expected: BinnedCounts, actual: BinnedCounts): number | null {
  if (expected.kind === 'histogram' && actual.kind === 'histogram') {
    if (!sameEdges(expected.edges, actual.edges) || expected.counts.length !== actual.counts.length) return null;
    return psiOfCounts(expected.counts, actual.counts);
  }
  if (expected.kind === 'categories' && actual.kind === 'categories') {
    const keys = [...new Set([...Object.keys(expected.counts), ...Object.keys(actual.counts)])].sort();
    return psiOfCounts(
      keys.map((k) => expected.counts[k] ?? 0),
      keys.map((k) => actual.counts[k] ?? 0),
    );
  }
  return null;
}

function sameEdges(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((edge, i) => edge === b[i]);
}

/**
 * The sum of several windows' counts of one quantity (what the replicas wrote per window). Null when the windows
 * disagree on kind or edges (a profile changed under a running deployment): they cannot be added up honestly.
 */
export function sumBinnedCounts(parts: readonly BinnedCounts[]): BinnedCounts | null {
  if (parts.length === 0) return null;
  const first = parts[0];
  if (first.kind === 'histogram') {
    const counts = new Array<number>(first.counts.length).fill(0);
    for (const part of parts) {
      if (part.kind !== 'histogram' || !sameEdges(part.edges, first.edges) || part.counts.length !== counts.length) return null;
      part.counts.forEach((c, i) => (counts[i] += c));
    }
    return { kind: 'histogram', edges: [...first.edges], counts };
  }
  const counts: Record<string, number> = {};
  for (const part of parts) {
    if (part.kind !== 'categories') return null;
    for (const [key, c] of Object.entries(part.counts)) counts[key] = (counts[key] ?? 0) + c;
  }
  return { kind: 'categories', counts };
}

/** Sums per feature; a feature whose windows cannot be added up is left out. */
export function sumFeatureCounts(parts: readonly Record<string, BinnedCounts>[]): Record<string, BinnedCounts> {
  const byFeature = new Map<string, BinnedCounts[]>();
  for (const part of parts) for (const [name, counts] of Object.entries(part)) byFeature.set(name, [...(byFeature.get(name) ?? []), counts]);
  const out: Record<string, BinnedCounts> = {};
  for (const [name, counts] of byFeature) {
    const sum = sumBinnedCounts(counts);
    if (sum) out[name] = sum;
  }
  return out;
}

/**
 * A training profile as the reference distribution of each feature: a numeric column's histogram, a categorical
 * column's top values with the rest of its values under OTHER_CATEGORY. Columns with neither (ids,
 * free text) have no reference and are not drift-checked.
 */
export function profileBins(profile: DatasetProfile): Record<string, BinnedCounts> {
  const out: Record<string, BinnedCounts> = {};
  for (const column of profile.columns) {
    if (column.histogram) {
      out[column.name] = { kind: 'histogram', edges: [...column.histogram.edges], counts: [...column.histogram.counts] };
    } else if (column.topValues && column.topValues.length > 0) {
      const counts: Record<string, number> = {};
      for (const { value, count } of column.topValues) counts[value] = count;
      // `count` is the column's non-missing values.
      const rest = column.count - column.topValues.reduce((a, v) => a + v.count, 0);
      if (rest > 0) counts[OTHER_CATEGORY] = (counts[OTHER_CATEGORY] ?? 0) + rest;
      out[column.name] = { kind: 'categories', counts };
    }
  }
  return out;
}
