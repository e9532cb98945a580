import { suggestGrid } from './grid';
import { suggestRandom } from './random-sampler';
import { suggestTpe } from './tpe/tpe-sampler';
import type { ParamValue, SuggestInput } from './types';

/**
 * The parameters of trial `number`: a pure function of (space, history, direction, seed, number, sampler). The
 * history should hold every other trial of the study, RUNNING ones included (grid search skips their points, TPE
 * lies about them). Throws TuningSpaceError for a space the sampler cannot use, GridExhaustedError when a grid
 * search has no point left.
 */
export function suggest(input: SuggestInput): Record<string, ParamValue> {
  const { sampler } = input;
  switch (sampler.kind) {
    case 'grid':
      return suggestGrid(input.space, input.history, input.seed);
    case 'random':
      return suggestRandom(input.space, input.seed, input.number);
    case 'tpe':
      return suggestTpe({ ...input, sampler });
  }
}
