import type { Direction, TrialRecord } from './types';

/** The best COMPLETE trial with a finite value; ties go to the lower trial number. */
export function bestTrial(history: readonly TrialRecord[], direction: Direction): TrialRecord | null {
  let best: TrialRecord | null = null;
  for (const trial of history) {
    if (trial.state !== 'COMPLETE' || trial.value === null || !Number.isFinite(trial.value)) continue;
    if (
      !best ||
      (direction === 'maximize' ? trial.value > (best.value as number) : trial.value < (best.value as number)) ||
      (trial.value === best.value && trial.number < best.number)
    ) {
      best = trial;
    }
  }
  return best;
}
