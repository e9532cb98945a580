import { z } from 'zod';
import { datasetColumnsSchema, datasetProfileSchema, modelInputSchemaSchema } from '../datasets';
import { binnedCountsSchema, deploymentEventDataSchema, featureCountsSchema, rolloutPlanSchema } from '../deployments';
import { evaluationSchema } from '../registry/model-version.contract';
import { sha256HexSchema } from '../registry/registry-names.contract';
import {
  datasetColumnNameSchema,
  evaluationPlanSchema,
  HYPERPARAMETER_SCHEMAS,
  trainingAttemptHistorySchema,
  trainingEvaluationSchema,
  trainingProgressSchema,
  trainingResultSchema,
} from '../training';
import {
  choiceValueSchema,
  intermediateValuesSchema,
  searchSpaceSchema,
  tpeSamplerOptionsSchema,
  trialParamsSchema,
  tuningEarlyStoppingSchema,
  tuningObjectiveSchema,
} from '../tuning';
import { backendInfoSchema } from '../workers';
import { parseJsonColumn, parseNullableJsonColumn } from './json-column';
import { boundedJson, isWellFormedText, nameString } from './primitives';

/**
 * A path inside a version's folder: the upload rules (relative, `/`-separated, no empty, `.` or `..` segments,
 * no backslashes or control characters) with the 1024 characters a run's artifact path may have.
 */
const manifestPathSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine((path) => !path.startsWith('/') && !path.includes('\\'), 'must be relative, with / separators')
  // eslint-disable-next-line no-control-regex
  .refine((path) => !/[\u0000-\u001f\u007f]/.test(path), 'control characters are not allowed')
  .refine((path) => isWellFormedText(path), 'must be well-formed Unicode (a lone UTF-16 surrogate is not allowed)')
  .refine((path) => path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..'), 'empty, "." and ".." segments are not allowed');

/** model_versions.manifest: the sealed files, sorted by path, each with its sha256 and size. */
export const versionManifestSchema = z
  .array(z.object({ path: manifestPathSchema, sha256: sha256HexSchema, sizeBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict())
  .max(10_000)
  .refine((files) => files.every((f, i) => i === 0 || files[i - 1].path < f.path), 'files must be sorted by path, without duplicates');
export type VersionManifest = z.infer<typeof versionManifestSchema>;

/**
 * training_jobs.hyperparameters: one of the algorithms' schemas. A reader that knows the row's `algorithm`
 * parses with HYPERPARAMETER_SCHEMAS[algorithm] instead, which also fills that algorithm's defaults.
 */
export const anyHyperparametersSchema = z.union([
  HYPERPARAMETER_SCHEMAS.kmeans,
  HYPERPARAMETER_SCHEMAS.cart,
  HYPERPARAMETER_SCHEMAS['nn-regression'],
  HYPERPARAMETER_SCHEMAS.cnn,
]);

/** Audit snapshots and webhook payloads are documents by design; they are only bounded (finite, NUL-free, nested ≤ 10). */
const documentSchema = boundedJson({ maxDepth: 10, maxStringLength: 100_000, maxEntries: 10_000 });

/**
 * The contract of every JSON column in prisma/schema.prisma, by `table.column`. A test checks that this
 * list and the schema's Json fields stay the same set, so a new JSON column cannot arrive without one.
 */
export const JSON_COLUMN_SCHEMAS = {
  'model_versions.input_schema': modelInputSchemaSchema,
  'model_versions.training_profile': datasetProfileSchema,
  'model_versions.evaluation': evaluationSchema,
  'model_versions.manifest': versionManifestSchema,
  'datasets.columns': datasetColumnsSchema,
  'datasets.profile': datasetProfileSchema,
  'workers.backend_info': backendInfoSchema,
  'training_jobs.hyperparameters': anyHyperparametersSchema,
  'training_jobs.evaluation_plan': evaluationPlanSchema,
  'training_jobs.feature_columns': z.array(datasetColumnNameSchema).max(10_000),
  'training_jobs.attempt_history': trainingAttemptHistorySchema,
  'training_jobs.progress': trainingProgressSchema,
  'training_jobs.evaluation': trainingEvaluationSchema,
  'training_jobs.result': trainingResultSchema,
  'tuning_studies.search_space': searchSpaceSchema,
  'tuning_studies.objective': tuningObjectiveSchema,
  'tuning_studies.evaluation_plan': evaluationPlanSchema,
  'tuning_studies.early_stopping': tuningEarlyStoppingSchema,
  'tuning_studies.feature_columns': z.array(datasetColumnNameSchema).max(10_000),
  'tuning_studies.fixed_hyperparameters': z.record(nameString, choiceValueSchema),
  'tuning_studies.sampler_options': tpeSamplerOptionsSchema,
  'tuning_trials.params': trialParamsSchema,
  'tuning_trials.intermediate_values': intermediateValuesSchema,
  'deployment_revisions.rollout_plan': rolloutPlanSchema,
  'deployments.rollout_plan': rolloutPlanSchema,
  'deployment_metrics.features': featureCountsSchema,
  'deployment_metrics.predictions': binnedCountsSchema,
  'deployment_events.data': deploymentEventDataSchema,
  'audit_log.before': documentSchema,
  'audit_log.after': documentSchema,
  'webhook_deliveries.payload': documentSchema,
} as const satisfies Record<string, z.ZodType>;
export type JsonColumnName = keyof typeof JSON_COLUMN_SCHEMAS;

/** parseJsonColumn with the column's contract from JSON_COLUMN_SCHEMAS. */
export function readJsonColumn<C extends JsonColumnName>(column: C, value: unknown, rowId?: string): z.output<(typeof JSON_COLUMN_SCHEMAS)[C]> {
  return parseJsonColumn(column, JSON_COLUMN_SCHEMAS[column], value, rowId) as z.output<(typeof JSON_COLUMN_SCHEMAS)[C]>;
}

/**
 * For columns where "absent" is a safe reading: a stored value that no longer matches its contract (a row written
 * before a contract tightened) reads as null, so one old row degrades to a missing field instead of failing every
 * list that contains it. A version's display columns (input schema, training profile, evaluation), and its manifest:
 * a version without a readable manifest is never served (verification refuses it as unsigned, 422), but it is listed.
 */
export function readJsonColumnOrNull<C extends JsonColumnName>(column: C, value: unknown): z.output<(typeof JSON_COLUMN_SCHEMAS)[C]> | null {
  if (value === null || value === undefined) return null;
  const parsed = JSON_COLUMN_SCHEMAS[column].safeParse(value);
  return parsed.success ? (parsed.data as z.output<(typeof JSON_COLUMN_SCHEMAS)[C]>) : null;
}

/** readJsonColumn for nullable columns: SQL NULL stays null. */
export function readNullableJsonColumn<C extends JsonColumnName>(column: C, value: unknown, rowId?: string): z.output<(typeof JSON_COLUMN_SCHEMAS)[C]> | null {
  return parseNullableJsonColumn(column, JSON_COLUMN_SCHEMAS[column], value, rowId) as z.output<(typeof JSON_COLUMN_SCHEMAS)[C]> | null;
}
