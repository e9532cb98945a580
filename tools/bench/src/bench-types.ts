/** One measured figure next to the reference measured in the same run on the same data. */
export interface BenchFigure {
  /** Short name, e.g. "kmeans.blobs_200k.fit". */
  name: string;
  /** What was measured, in plain words (data size, settings). */
  description: string;
  /** `score`: a metric's value (an objective such as F1), not a time. */
  unit: 's' | 'ms' | 'points/s' | 's/epoch' | 'ops/s' | 'count' | '%' | 'score';
  /** Slipway's figure. */
  value: number;
  /** The reference implementation's figure (same unit), or null if no reference could run. */
  reference: { name: string; value: number } | null;
  /** value / reference.value for times, reference.value / value for throughputs: < 1 means Slipway is faster. */
  ratio: number | null;
  /** The target, as text, e.g. "≤ 1.0× scikit-learn". */
  target?: string;
  /** true/false when a target applies, null when it cannot be judged here. */
  met?: boolean | null;
}

/** A bench module exports `run` returning its figures; `tools/bench/run.ts` prints them all as a table and JSON. */
export type BenchSuite = () => Promise<BenchFigure[]>;
