import { Rng, STREAM } from './random';
import { compileSpace, isActive, sampleUniform, type CompiledSpace } from './space';
import type { ParamValue, SearchSpaceInput } from './types';

/** Independent uniform draws (uniform in log space for log dimensions), parents first so conditions resolve. */
export function sampleIndependent(space: CompiledSpace, rng: Rng): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const param of space.params) {
    if (isActive(param, params)) params[param.name] = sampleUniform(param, rng);
  }
  return params;
}

/** Random search: trial n's point is a pure function of (space, seed, n). */
export function suggestRandom(space: SearchSpaceInput, seed: number, number: number): Record<string, ParamValue> {
  return sampleIndependent(compileSpace(space), new Rng(seed, number, STREAM.random));
}
