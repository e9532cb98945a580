import { MAX_COMPARED, evaluationSchema, modelNameSchema, versionNumberSchema, type Evaluation, type MetricValue, type VersionView } from '@slipway/contracts';

export interface VersionRef {
  model: string;
  version: number;
}

/** `name:3` — the form compare links carry in `?v=` (a model name has no `:`). */
export function versionRefParam(ref: VersionRef): string {
  return `${ref.model}:${ref.version}`;
}

export function compareHref(refs: readonly VersionRef[]): string {
  const search = new URLSearchParams();
  for (const ref of refs) search.append('v', versionRefParam(ref));
  return `/compare?${search.toString()}`;
}

export interface ParsedVersionRefs {
  refs: VersionRef[];
  /** Values that are not `name:number`, as given. */
  invalid: string[];
}

/** Reads `?v=name:3&v=name:5`; repeated refs count once, in first-seen order. */
export function parseVersionRefs(value: string | string[] | undefined): ParsedVersionRefs {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const refs: VersionRef[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const raw of values) {
    const colon = raw.lastIndexOf(':');
    const model = modelNameSchema.safeParse(raw.slice(0, Math.max(colon, 0)));
    const version = versionNumberSchema.safeParse(raw.slice(colon + 1));
    if (colon < 1 || !model.success || !version.success || !/^\d+$/.test(raw.slice(colon + 1))) {
      invalid.push(raw);
      continue;
    }
    const key = `${model.data}:${version.data}`;
    if (seen.has(key)) continue;
    seen.add(key);
    refs.push({ model: model.data, version: version.data });
  }
  return { refs, invalid };
}

export const MIN_COMPARED = 2;
export { MAX_COMPARED };

/** The evaluation stored with a version when it matches the contract; anything else is not shown. */
export function parseEvaluation(value: unknown): Evaluation | null {
  if (value === null || value === undefined) return null;
  const parsed = evaluationSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** A version's metrics: the run's final metrics, overridden by its stored evaluation's. */
export function versionMetrics(version: VersionView): Record<string, MetricValue> {
  return { ...(version.lineage?.metrics ?? {}), ...(parseEvaluation(version.evaluation)?.metrics ?? {}) };
}

/** Every metric key any of the versions has, sorted. */
export function metricKeysOf(versions: readonly VersionView[]): string[] {
  const keys = new Set<string>();
  for (const version of versions) for (const key of Object.keys(versionMetrics(version))) keys.add(key);
  return [...keys].sort();
}

export const DEFAULT_METRIC_COLUMNS = 3;

/**
 * The metric columns a versions table shows: the `?metrics=a,b` list (kept in the URL so a link keeps it),
 * in the order given and only keys that exist; without the parameter, the first few keys.
 */
export function chosenMetricColumns(param: string | undefined, available: readonly string[]): string[] {
  if (param === undefined) return available.slice(0, DEFAULT_METRIC_COLUMNS);
  const known = new Set(available);
  return [...new Set(param.split(',').map((k) => k.trim()))].filter((k) => k !== '' && known.has(k));
}

export type Curve = Exclude<NonNullable<Evaluation['roc']>, unknown[]>;

/** ROC curves as a list, whether the evaluation stored one curve or one per class. */
export function rocCurves(evaluation: Evaluation | null): Curve[] {
  const roc = evaluation?.roc;
  if (!roc) return [];
  return Array.isArray(roc) ? roc : [roc];
}
