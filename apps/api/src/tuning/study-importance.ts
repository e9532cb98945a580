import type { TuningStudyEntity } from '@slipway/db';
import { parameterImportance, type TrialRecord } from '@slipway/ml-tuning';

/** Studies whose importance is remembered; a study's entry is replaced when a trial completes. */
const CACHE_SIZE = 200;
const cache = new Map<string, { key: string; importance: { param: string; importance: number }[] }>();

/**
 * Parameter importance over the study's COMPLETED trials (ml-tuning's seeded random-forest estimate, so the same
 * trials always give the same numbers). A forest per read is the costly part of the detail view, and the answer
 * changes only when a trial completes: it is kept per study until then.
 */
export function parameterImportanceOf(study: TuningStudyEntity, history: readonly TrialRecord[]): { param: string; importance: number }[] {
  const completed = history.filter((t) => t.state === 'COMPLETE');
  const key = `${study.seed}:${completed.map((t) => `${t.number}=${t.value}`).join(',')}`;
  const hit = cache.get(study.id);
  if (hit?.key === key) return hit.importance;
  const importance = parameterImportance({ space: study.searchSpace, history: completed, direction: study.objective.direction, seed: study.seed });
  cache.delete(study.id);
  cache.set(study.id, { key, importance });
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return importance;
}
