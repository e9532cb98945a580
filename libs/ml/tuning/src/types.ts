/**
 * The inputs and outputs of the tuning library. The search-space and early-stopping shapes are declared
 * structurally (not imported from `@slipway/contracts`) so that both the parsed contract types and plain
 * literals in tests fit, including the optional `when` (conditional parameter) and `intervalSteps` fields.
 */

export type ParamValue = string | number | boolean | null;

/** A conditional parameter is active only when the named categorical parameter took one of these values. */
export interface DimensionCondition {
  readonly param: string;
  readonly in: readonly ParamValue[];
}

export interface IntDimensionInput {
  readonly type: 'int';
  readonly low: number;
  readonly high: number;
  readonly log?: boolean;
  readonly step?: number;
  readonly when?: DimensionCondition;
}

export interface FloatDimensionInput {
  readonly type: 'float';
  readonly low: number;
  readonly high: number;
  readonly log?: boolean;
  readonly step?: number;
  readonly when?: DimensionCondition;
}

export interface CategoricalDimensionInput {
  readonly type: 'categorical';
  readonly choices: readonly ParamValue[];
  readonly when?: DimensionCondition;
}

export type DimensionInput = IntDimensionInput | FloatDimensionInput | CategoricalDimensionInput;

/** Parameter name → dimension; the contract's `SearchSpace` is assignable to it. */
export type SearchSpaceInput = Readonly<Record<string, DimensionInput>>;

/** RUNNING = pending (queued or running). */
export type TrialState = 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAILED';

export interface IntermediateValue {
  readonly step: number;
  readonly value: number;
}

export interface TrialRecord {
  /** 0-based trial number within the study. */
  readonly number: number;
  /** Only the active parameters (conditional ones are absent when inactive). */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly state: TrialState;
  /** The objective for COMPLETE; the last intermediate value for PRUNED; null otherwise. */
  readonly value: number | null;
  /** In increasing step order. */
  readonly intermediate: readonly IntermediateValue[];
}

export type Direction = 'maximize' | 'minimize';

/** γ: how many of n ranked trials are "good": a number < 1 is a fraction (⌈γ·n⌉, capped at 25 as in Optuna), ≥ 1 a fixed count; `{ fraction, max }` sets the cap. */
export type TpeGamma = number | { readonly fraction: number; readonly max?: number };

export interface TpeSamplerConfig {
  readonly kind: 'tpe';
  /** Trials sampled at random before the model takes over (default 10). */
  readonly startupTrials?: number;
  /** Candidates drawn from l(x) per suggestion; the one maximising l(x)/g(x) wins (default 24). */
  readonly eiCandidates?: number;
  /**
   * Joint kernels over the unconditional parameters instead of one estimator per parameter (default true: it found
   * the optimum more often on Branin and Hartmann-6, see tools/bench/RESULTS-tuning.md). Conditional parameters are
   * modelled per parameter in both modes.
   */
  readonly multivariate?: boolean;
  /** Default: Optuna's min(ceil(0.1·n), 25). */
  readonly gamma?: TpeGamma;
  /** Weight of the prior component in every Parzen estimator (default 1). */
  readonly priorWeight?: number;
  /** Treat RUNNING trials as the worst value so parallel suggestions spread out (default true). */
  readonly constantLiar?: boolean;
}

export type SamplerConfig = { readonly kind: 'grid' } | { readonly kind: 'random' } | TpeSamplerConfig;

export interface SuggestInput {
  readonly space: SearchSpaceInput;
  readonly history: readonly TrialRecord[];
  readonly direction: Direction;
  readonly seed: number;
  /** The number of the trial being suggested. */
  readonly number: number;
  readonly sampler: SamplerConfig;
}

export interface MedianRuleInput {
  readonly rule: 'median';
  readonly warmupSteps?: number;
  readonly minTrials?: number;
  readonly intervalSteps?: number;
}

export interface SuccessiveHalvingRuleInput {
  readonly rule: 'successive-halving';
  readonly minResource?: number;
  readonly reductionFactor?: number;
  readonly minEarlyStoppingRate?: number;
}

/** The contract's `TuningEarlyStopping` is assignable to it. */
export type EarlyStoppingRuleInput = MedianRuleInput | SuccessiveHalvingRuleInput;

export type PruneDecision = { readonly prune: false } | { readonly prune: true; readonly reason: string };

export interface SpaceIssue {
  /** Field path inside the search space, e.g. `lr.step` or `units.when.param`. */
  readonly path: string;
  readonly message: string;
}
