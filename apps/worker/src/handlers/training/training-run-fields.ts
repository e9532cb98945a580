import {
  TRACKING_LIMITS,
  type DatasetColumns,
  type ImagePreprocessing,
  type ModelInputSchema,
  type TabularPreprocessing,
  type TrainingEvaluation,
} from '@slipway/contracts';
import type { KeyValueEntity, MetricPointInput, TrainingJobEntity } from '@slipway/db';
import type { BackendInfo } from '@slipway/ml-runtime';

/** Run tags every training attempt carries (the console and searches find a job's runs by them). */
export const TRAINING_TAGS = {
  job: 'slipway.training_job',
  attempt: 'slipway.attempt',
  worker: 'slipway.worker',
  backend: 'slipway.tf_backend',
  device: 'slipway.device',
  endReason: 'slipway.end_reason',
} as const;

/**
 * `value` as the contracts' text() accepts it, at most `max` UTF-16 units: NULs removed, lone surrogates replaced by
 * U+FFFD, cut with an ellipsis and never on half a pair (error messages and backend reports are not ours to trust).
 */
export function safeText(value: string, max: number): string {
  const clean = value
    .split('\u0000')
    .join('')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return clean.length <= max ? clean : `${clean.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, '')}…`;
}

const clip = (value: string) => safeText(value, TRACKING_LIMITS.valueLength);
const asParam = (value: unknown) => clip(typeof value === 'string' ? value : JSON.stringify(value));

/**
 * The run's params at its start: every hyper-parameter under its own name (nested objects flattened with dots,
 * lists as JSON), the algorithm, the evaluation plan under `evaluation.*` and the target. `features` (the number
 * of model inputs) is logged once the dataset is read.
 */
export function trainingParams(job: TrainingJobEntity): KeyValueEntity[] {
  const params = new Map<string, string>();
  const flatten = (prefix: string, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) flatten(prefix ? `${prefix}.${key}` : key, inner);
    } else if (value !== undefined) params.set(prefix, asParam(value));
  };
  flatten('', job.hyperparameters);
  params.set('algorithm', job.algorithm);
  flatten('evaluation', job.evaluationPlan);
  if (job.targetColumn !== null) params.set('target', asParam(job.targetColumn));
  return [...params].filter(([key]) => key.length > 0 && key.length <= TRACKING_LIMITS.keyLength).map(([key, value]) => ({ key, value }));
}

export function trainingTags(job: TrainingJobEntity, attempt: number, workerId: string, backend: BackendInfo): Record<string, string> {
  return {
    [TRAINING_TAGS.job]: job.id,
    [TRAINING_TAGS.attempt]: String(attempt),
    [TRAINING_TAGS.worker]: clip(workerId),
    [TRAINING_TAGS.backend]: backend.backend,
    [TRAINING_TAGS.device]: clip(backend.device),
  };
}

/** The evaluation as run metrics, step 0: each metric under its own name and, for k-fold, its std as `<name>_std`. */
export function evaluationMetricPoints(evaluation: TrainingEvaluation, timestamp: number): MetricPointInput[] {
  const points = Object.entries(evaluation.metrics).map(([key, value]) => ({ key, value, step: 0, timestamp }));
  for (const [key, value] of Object.entries(evaluation.std ?? {})) points.push({ key: `${key}_std`, value, step: 0, timestamp });
  return points.filter((p) => p.key.length <= TRACKING_LIMITS.keyLength);
}

/**
 * What a version registered from the job takes: a table model's input columns with their dataset types, the target
 * and the class labels; an image model's sample shape ([height, width, channels]) and class labels.
 */
export function inputSchemaOf(
  preprocessing: TabularPreprocessing | ImagePreprocessing,
  columns: DatasetColumns,
  classLabels: readonly unknown[] | null,
): ModelInputSchema {
  const schema: ModelInputSchema = {};
  if (preprocessing.kind === 'images') {
    schema.shape = [preprocessing.shape.height, preprocessing.shape.width, preprocessing.shape.channels];
  } else {
    const typeOf = new Map(columns.map((c) => [c.name, c.type]));
    schema.columns = preprocessing.inputs.map((input) => ({ name: input.column, type: typeOf.get(input.column) ?? 'number' }));
    if (preprocessing.target) schema.target = { name: preprocessing.target.column, type: preprocessing.target.type };
  }
  if (classLabels && classLabels.length > 0) schema.classLabels = classLabels.map(String);
  return schema;
}
