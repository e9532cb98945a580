import type { BinnedCounts } from '@slipway/contracts';

/** How one input is binned: on histogram edges, or per known category (the rest `__other__`). */
export type Binner = { kind: 'histogram'; edges: readonly number[] } | { kind: 'categories'; known: ReadonlySet<string> };

export const OTHER_CATEGORY = '__other__';

/**
 * Image inputs are binned by each image's mean intensity per channel, on fixed edges over the pixel range the image
 * preprocessing defines (0..255, 64 bins of 4): an image dataset's profile has no per-pixel histograms to reuse, and
 * a shift in brightness or contrast (a new camera, a new scanner) moves these means first.
 */
export const IMAGE_INTENSITY_EDGES: readonly number[] = Array.from({ length: 65 }, (_, i) => i * 4);

/** The feature name an image channel's mean intensity is counted under (`channel_0_mean`, …). */
export const imageChannelFeature = (channel: number): string => `channel_${channel}_mean`;

export function emptyBins(binner: Binner): BinnedCounts {
  return binner.kind === 'histogram'
    ? { kind: 'histogram', edges: [...binner.edges], counts: new Array<number>(binner.edges.length - 1).fill(0) }
    : { kind: 'categories', counts: {} };
}

/**
 * Index of the histogram bin `x` counts in: the last bin k with edges[k] <= x, the last bin's upper edge inclusive
 * (as the profile counts); values below the first edge go to the first bin, above the last to the last. -1 for
 * NaN and ±Infinity, which are not counted (a finite value of any size is).
 */
export function histogramBin(edges: readonly number[], x: number): number {
  if (x - x !== 0) return -1;
  let lo = 0;
  let hi = edges.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Counts one number into histogram bins (the numeric fast path: no conversion). */
export function bumpNumber(bins: BinnedCounts, x: number): void {
  if (bins.kind !== 'histogram') return;
  const at = histogramBin(bins.edges, x);
  if (at >= 0) bins.counts[at]++;
}

/** Counts one request value; missing values (null, undefined, '') are not counted. */
export function bump(binner: Binner, bins: BinnedCounts, value: unknown): void {
  if (value === null || value === undefined || value === '') return;
  if (binner.kind === 'histogram') {
    if (bins.kind !== 'histogram') return;
    bumpNumber(bins, typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : Number(String(value)));
    return;
  }
  if (bins.kind !== 'categories') return;
  const key = String(value);
  const at = binner.known.has(key) ? key : OTHER_CATEGORY;
  bins.counts[at] = (bins.counts[at] ?? 0) + 1;
}

/** Two windows' counts of one input added up; null when they cannot be (edges or kinds changed between versions). */
export function addBins(into: BinnedCounts | undefined, more: BinnedCounts): BinnedCounts | null {
  if (!into) return more;
  if (into.kind === 'histogram' && more.kind === 'histogram' && into.counts.length === more.counts.length)
    return { ...into, counts: into.counts.map((c, i) => c + more.counts[i]) };
  if (into.kind === 'categories' && more.kind === 'categories') {
    const counts = { ...into.counts };
    for (const [k, c] of Object.entries(more.counts)) counts[k] = (counts[k] ?? 0) + c;
    return { kind: 'categories', counts };
  }
  return null;
}
