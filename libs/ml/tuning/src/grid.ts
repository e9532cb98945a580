import { Rng, STREAM } from './random';
import { compileSpace, gridValues, isActive, pointKey, type CompiledSpace, type Param } from './space';
import { GridExhaustedError, TuningSpaceError } from './tuning.error';
import type { ParamValue, SearchSpaceInput, SpaceIssue, TrialRecord } from './types';

/** The largest grid a study may enumerate: beyond it a grid search is not a plan but a wish. */
export const MAX_GRID_SIZE = 100_000;

function finiteValues(param: Param): readonly ParamValue[] {
  const values = gridValues(param);
  if (values) return values;
  if (param.kind === 'numeric' && param.low === param.top) return [param.low];
  throw new TuningSpaceError(`${param.name}.step`, 'a float dimension needs a step for grid search (the grid would be infinite)');
}

function hasChildren(space: CompiledSpace, param: Param): boolean {
  return space.params.some((p) => p.when?.param === param.name);
}

/** How many values a dimension contributes to the grid, by arithmetic (a float with step 1e-9 is not listed). */
function valueCount(param: Param): number {
  if (param.kind === 'categorical') return param.choices.length;
  if (param.count !== null) return param.count;
  if (param.low === param.top) return 1;
  throw new TuningSpaceError(`${param.name}.step`, 'a float dimension needs a step for grid search (the grid would be infinite)');
}

/** Grid points counted without building them; stops (returning > cap) as soon as the count passes `cap`. */
function countPoints(space: CompiledSpace, cap: number): number {
  const counts = space.params.map(valueCount);
  space.params.forEach((param, i) => {
    if (counts[i] > cap)
      throw new TuningSpaceError(
        `${param.name}${param.kind === 'categorical' ? '' : '.step'}`,
        `${param.name} alone has ${counts[i]} grid values, more than ${cap}`,
      );
  });
  const branching = space.params.map((p) => hasChildren(space, p));
  const count = (i: number, assigned: Record<string, ParamValue>): number => {
    if (i === space.params.length) return 1;
    const param = space.params[i];
    if (!isActive(param, assigned)) return count(i + 1, assigned);
    if (!branching[i] || param.kind !== 'categorical') {
      const rest = count(i + 1, assigned);
      return rest > cap ? rest : counts[i] * rest;
    }
    let total = 0;
    for (const value of param.choices) {
      assigned[param.name] = value;
      total += count(i + 1, assigned);
      delete assigned[param.name];
      if (total > cap) break;
    }
    return total;
  };
  return count(0, {});
}

/**
 * Number of grid points: every combination of the dimensions' values, conditional dimensions expanded only under
 * their parent's matching values. Throws a TuningSpaceError naming the field when the grid is not finite (a float
 * without a step) or larger than MAX_GRID_SIZE.
 */
export function gridSize(space: SearchSpaceInput): number {
  const compiled = compileSpace(space);
  const size = countPoints(compiled, MAX_GRID_SIZE);
  if (size > MAX_GRID_SIZE) throw new TuningSpaceError('', `the grid has more than ${MAX_GRID_SIZE} points; add steps, narrow ranges or drop choices`);
  return size;
}

/** Problems that stop grid search on this space, as field paths ([] when none). */
export function gridIssues(space: SearchSpaceInput): SpaceIssue[] {
  try {
    gridSize(space);
    return [];
  } catch (error) {
    if (error instanceof TuningSpaceError) return [{ path: error.path, message: error.message.replace(`${error.path}: `, '') }];
    throw error;
  }
}

const pointCache = new WeakMap<object, readonly Record<string, ParamValue>[]>();

/** Every grid point in canonical order (parents first, values in their declared order). */
export function gridPoints(space: SearchSpaceInput): readonly Record<string, ParamValue>[] {
  const cached = pointCache.get(space);
  if (cached) return cached;
  gridSize(space);
  const compiled = compileSpace(space);
  const values = compiled.params.map(finiteValues);
  const points: Record<string, ParamValue>[] = [];
  const walk = (i: number, assigned: Record<string, ParamValue>): void => {
    if (i === compiled.params.length) {
      points.push({ ...assigned });
      return;
    }
    const param = compiled.params[i];
    if (!isActive(param, assigned)) return walk(i + 1, assigned);
    for (const value of values[i]) {
      assigned[param.name] = value;
      walk(i + 1, assigned);
    }
    delete assigned[param.name];
  };
  walk(0, {});
  pointCache.set(space, points);
  return points;
}

function takenKeys(compiled: CompiledSpace, history: readonly TrialRecord[]): Set<string> {
  return new Set(history.map((trial) => pointKey(trial.params, compiled)));
}

/** Is every grid point taken by some trial of the history, whatever its state? */
export function gridExhausted(space: SearchSpaceInput, history: readonly TrialRecord[]): boolean {
  const compiled = compileSpace(space);
  const taken = takenKeys(compiled, history);
  return gridPoints(space).every((point) => taken.has(pointKey(point, compiled)));
}

/**
 * The next grid point: the first point of a seed-shuffled order that no trial of the history has taken (any
 * state: a failed point is not retried, a running one not duplicated). Depends only on (space, seed, the set of
 * taken points), so a restarted scheduler continues where it stopped. Throws GridExhaustedError when none is left.
 */
export function suggestGrid(space: SearchSpaceInput, history: readonly TrialRecord[], seed: number): Record<string, ParamValue> {
  const compiled = compileSpace(space);
  const points = gridPoints(space);
  const taken = takenKeys(compiled, history);
  const order = new Rng(seed, STREAM.grid).permutation(points.length);
  for (const index of order) {
    const point = points[index];
    if (!taken.has(pointKey(point, compiled))) return { ...point };
  }
  throw new GridExhaustedError(points.length);
}
