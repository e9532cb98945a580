import { TuningSpaceError } from './tuning.error';
import type { DimensionCondition, ParamValue, SearchSpaceInput, SpaceIssue } from './types';
import type { Rng } from './random';

/**
 * A numeric dimension, with the internal ("transformed") coordinate the samplers work in:
 * - continuous float: x = v on [low, high];
 * - log float: x = ln v on [ln low, ln high];
 * - int / stepped float: x = v on [low − step/2, top + step/2], rounded back to the step grid (Optuna's design:
 *   every grid value owns an interval of equal width, endpoints included);
 * - log int: x = ln v on [ln(low − ½), ln(high + ½)], rounded back to an integer.
 */
export interface NumericParam {
  readonly kind: 'numeric';
  readonly name: string;
  readonly int: boolean;
  readonly log: boolean;
  /** The step grid's spacing (1 for ints without a step), null for continuous floats. */
  readonly step: number | null;
  readonly low: number;
  /** The highest reachable value: `high` itself, or the last step-grid point ≤ high. */
  readonly top: number;
  /** Number of step-grid points (null for continuous floats). */
  readonly count: number | null;
  /** Bounds of the transformed coordinate. */
  readonly xLow: number;
  readonly xHigh: number;
  readonly when: DimensionCondition | null;
}

export interface CategoricalParam {
  readonly kind: 'categorical';
  readonly name: string;
  readonly choices: readonly ParamValue[];
  readonly when: DimensionCondition | null;
}

export type Param = NumericParam | CategoricalParam;

export interface CompiledSpace {
  /** Parents before the parameters conditional on them; otherwise by name, so key order in storage does not matter. */
  readonly params: readonly Param[];
  readonly byName: ReadonlyMap<string, Param>;
}

/** Step grids whose last point misses `high` by less than this fraction of a step (plus 1e-12 relative) still reach it (float noise). */
const STEP_TOLERANCE = 1e-9;

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compileDimension(name: string, dim: SearchSpaceInput[string], issues: SpaceIssue[]): Param | null {
  const when = dim.when ?? null;
  if (dim.type === 'categorical') {
    if (!Array.isArray(dim.choices) || dim.choices.length === 0) {
      issues.push({ path: `${name}.choices`, message: 'needs at least one choice' });
      return null;
    }
    const seen = new Set<string>();
    for (const choice of dim.choices) {
      const key = valueKey(choice);
      if (seen.has(key)) {
        issues.push({ path: `${name}.choices`, message: `choice ${key} is listed twice` });
        return null;
      }
      seen.add(key);
    }
    return { kind: 'categorical', name, choices: [...dim.choices], when };
  }
  if (dim.type !== 'int' && dim.type !== 'float') {
    issues.push({ path: `${name}.type`, message: 'must be int, float or categorical' });
    return null;
  }
  const { low, high } = dim;
  const log = dim.log ?? false;
  const int = dim.type === 'int';
  if (!Number.isFinite(low) || !Number.isFinite(high)) {
    issues.push({ path: `${name}.low`, message: 'low and high must be finite numbers' });
    return null;
  }
  if (int && (!Number.isInteger(low) || !Number.isInteger(high))) {
    issues.push({ path: `${name}.low`, message: 'an int dimension needs integer low and high' });
    return null;
  }
  if (low > high) {
    issues.push({ path: `${name}.high`, message: 'low must be ≤ high' });
    return null;
  }
  if (log && low <= 0) {
    issues.push({ path: `${name}.low`, message: 'a log scale needs low > 0' });
    return null;
  }
  if (dim.step !== undefined) {
    if (log) {
      issues.push({ path: `${name}.step`, message: 'step and log cannot be combined' });
      return null;
    }
    if (!(dim.step > 0) || !Number.isFinite(dim.step) || (int && !Number.isInteger(dim.step))) {
      issues.push({ path: `${name}.step`, message: int ? 'must be a positive integer' : 'must be a positive number' });
      return null;
    }
  }
  const step = dim.step ?? (int ? 1 : null);
  if (step === null) {
    const xLow = log ? Math.log(low) : low;
    const xHigh = log ? Math.log(high) : high;
    return { kind: 'numeric', name, int, log, step, low, top: high, count: null, xLow, xHigh, when };
  }
  const ratio = (high - low) / step;
  let last = Math.floor(ratio * (1 + 1e-12) + STEP_TOLERANCE);
  // Integers are exact: the tolerance is for float noise and must not add a step past `high`.
  if (int && low + last * step > high) last--;
  const top = int ? low + last * step : Math.min(high, cleanFloat(low + last * step));
  if (log) {
    // log ints: each integer owns [v − ½, v + ½] in the original scale, measured in log space.
    return { kind: 'numeric', name, int, log, step, low, top, count: last + 1, xLow: Math.log(low - 0.5), xHigh: Math.log(top + 0.5), when };
  }
  return { kind: 'numeric', name, int, log, step, low, top, count: last + 1, xLow: low - step / 2, xHigh: top + step / 2, when };
}

/** Removes the binary noise of `low + k·step` (0.1 + 2·0.1 → 0.3) without leaving the step grid. */
export function cleanFloat(v: number): number {
  return Number.parseFloat(v.toPrecision(15));
}

/** Every problem of a search space as field paths; [] when it can be sampled (grid finiteness is checked elsewhere). */
export function spaceIssues(space: SearchSpaceInput): SpaceIssue[] {
  return compileInternal(space).issues;
}

const cache = new WeakMap<object, { compiled: CompiledSpace | null; issues: SpaceIssue[] }>();

function compileInternal(space: SearchSpaceInput): { compiled: CompiledSpace | null; issues: SpaceIssue[] } {
  const cached = cache.get(space);
  if (cached) return cached;
  const issues: SpaceIssue[] = [];
  const names = Object.keys(space ?? {}).sort(compareNames);
  if (names.length === 0) issues.push({ path: '', message: 'needs at least one dimension' });
  const compiled = new Map<string, Param>();
  for (const name of names) {
    const param = compileDimension(name, space[name], issues);
    if (param) compiled.set(name, param);
  }
  for (const param of compiled.values()) {
    const when = param.when;
    if (!when) continue;
    const parent = compiled.get(when.param);
    if (!Object.prototype.hasOwnProperty.call(space, when.param)) {
      issues.push({ path: `${param.name}.when.param`, message: `names no dimension of the space (${when.param})` });
    } else if (when.param === param.name) {
      issues.push({ path: `${param.name}.when.param`, message: 'a parameter cannot depend on itself' });
    } else if (parent && parent.kind !== 'categorical') {
      issues.push({ path: `${param.name}.when.param`, message: `${when.param} is not categorical` });
    } else if (!Array.isArray(when.in) || when.in.length === 0) {
      issues.push({ path: `${param.name}.when.in`, message: 'needs at least one value' });
    } else if (parent && parent.kind === 'categorical') {
      const keys = new Set(parent.choices.map(valueKey));
      const missing = when.in.find((v) => !keys.has(valueKey(v)));
      if (missing !== undefined) issues.push({ path: `${param.name}.when.in`, message: `${valueKey(missing)} is not a choice of ${when.param}` });
    }
  }
  // Parents before children: depth-first over the `when` edges, names in order; a cycle is an issue.
  const ordered: Param[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (param: Param, chain: string[]): void => {
    const seen = state.get(param.name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      issues.push({ path: `${param.name}.when.param`, message: `conditions form a cycle (${[...chain, param.name].join(' → ')})` });
      return;
    }
    state.set(param.name, 'visiting');
    const parent = param.when ? compiled.get(param.when.param) : undefined;
    if (parent) visit(parent, [...chain, param.name]);
    state.set(param.name, 'done');
    ordered.push(param);
  };
  for (const param of compiled.values()) visit(param, []);
  const result = issues.length ? { compiled: null, issues } : { compiled: { params: ordered, byName: compiled }, issues };
  if (space && typeof space === 'object') cache.set(space, result);
  return result;
}

/**
 * The compiled space, or a TuningSpaceError naming the first bad field. Cached per space object (the scheduler calls
 * the samplers many times with one parsed space), so a space must not be mutated after it was passed in.
 */
export function compileSpace(space: SearchSpaceInput): CompiledSpace {
  const { compiled, issues } = compileInternal(space);
  if (!compiled) throw new TuningSpaceError(issues[0].path, issues[0].message);
  return compiled;
}

/** Identity of a parameter value that tells 1 from '1' from true and null. */
export function valueKey(value: ParamValue): string {
  return value === null ? 'null' : typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function choiceIndex(param: CategoricalParam, value: ParamValue | undefined): number {
  if (value === undefined) return -1;
  for (let i = 0; i < param.choices.length; i++) if (param.choices[i] === value) return i;
  return -1;
}

/** Is `param` active given the values already chosen for its parents? */
export function isActive(param: Param, params: Readonly<Record<string, ParamValue>>): boolean {
  const when = param.when;
  if (!when) return true;
  if (!Object.prototype.hasOwnProperty.call(params, when.param)) return false;
  const value = params[when.param];
  return when.in.some((v) => v === value);
}

/** The transformed coordinate of a value (see NumericParam). */
export function toInternal(param: NumericParam, value: number): number {
  return param.log ? Math.log(value) : value;
}

/** A transformed coordinate back to a value inside the bounds and on the step grid. */
export function fromInternal(param: NumericParam, x: number): number {
  const clamped = Math.min(param.xHigh, Math.max(param.xLow, x));
  if (param.step === null) {
    const v = param.log ? Math.exp(clamped) : clamped;
    return Math.min(param.top, Math.max(param.low, v));
  }
  if (param.log) {
    // log ints (step 1): round in the original scale.
    return Math.min(param.top, Math.max(param.low, Math.round(Math.exp(clamped))));
  }
  return stepValue(param, Math.round((clamped - param.low) / param.step));
}

/** The k-th step-grid value, clamped to the grid. */
export function stepValue(param: NumericParam, k: number): number {
  const step = param.step ?? 1;
  const index = Math.min((param.count ?? 1) - 1, Math.max(0, k));
  const v = param.low + index * step;
  return param.int ? v : Math.min(param.top, Math.max(param.low, cleanFloat(v)));
}

/** A numeric value from a stored trial, as a number (history rows hold JSON, so be lenient). */
export function numericValue(value: ParamValue | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A uniform draw: uniform in the transformed coordinate, i.e. uniform in log space for log dimensions. */
export function sampleUniform(param: Param, rng: Rng): ParamValue {
  if (param.kind === 'categorical') return param.choices[rng.int(param.choices.length)];
  if (param.step !== null && !param.log) return stepValue(param, rng.int(param.count ?? 1));
  return fromInternal(param, rng.uniform(param.xLow, param.xHigh));
}

/** All values of a finite dimension (null for a continuous float). */
export function gridValues(param: Param): readonly ParamValue[] | null {
  if (param.kind === 'categorical') return param.choices;
  if (param.step === null) return null;
  const values: number[] = [];
  for (let k = 0; k < (param.count ?? 0); k++) values.push(param.log ? param.low + k : stepValue(param, k));
  return values;
}

/** A stable key of a point: its active parameters by name. */
export function pointKey(params: Readonly<Record<string, ParamValue>>, space: CompiledSpace): string {
  const parts: string[] = [];
  for (const param of space.params) {
    if (Object.prototype.hasOwnProperty.call(params, param.name)) parts.push(`${JSON.stringify(param.name)}:${valueKey(params[param.name])}`);
  }
  return parts.join(',');
}
