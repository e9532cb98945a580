import { ErrorCode, SlipwayError, trainingTaskFor, type TrainingAlgorithm, type TrainingAlgorithmList } from '@slipway/contracts';
import type { DatasetEntity } from '@slipway/db';
import { datasetKindOf } from './training-algorithms';

const field = (name: string, message: string) => [{ field: name, message }];

/** Column types a model can take as input: free text has no numeric encoding yet. */
const FEATURE_TYPES = new Set(['number', 'integer', 'boolean', 'categorical', 'datetime']);
const NUMERIC_TARGET_TYPES = new Set(['number', 'integer', 'boolean']);

/** What the check reads of a training job's request (a tuning study brings the same fields). */
export interface DatasetFitRequest {
  algorithm: TrainingAlgorithm;
  /** The hyper-parameters that decide the task (CART's criterion); the rest are not read. */
  hyperparameters: Record<string, unknown>;
  targetColumn?: string | null;
  featureColumns?: string[];
}

type AlgorithmInfo = Pick<TrainingAlgorithmList['algorithms'][number], 'datasetKind' | 'targetRequired'>;

/**
 * Checks a request against its dataset (columns exist and suit the algorithm) so work that cannot train is
 * refused now, naming the field, instead of failing on a worker minutes later. Answers the target and features
 * the job (or every trial of a study) trains with.
 */
export function checkDatasetFit(request: DatasetFitRequest, dataset: DatasetEntity, info: AlgorithmInfo): { target: string | null; features: string[] | null } {
  const kind = datasetKindOf(dataset);
  if (kind !== info.datasetKind)
    throw new SlipwayError(
      ErrorCode.FAILED_PRECONDITION,
      `${request.algorithm} trains on ${info.datasetKind} datasets; dataset "${dataset.name}" holds ${kind}`,
      field('body.datasetId', `needs a dataset of ${info.datasetKind}`),
    );
  if (kind === 'images') {
    if (request.targetColumn || request.featureColumns)
      throw new SlipwayError(
        ErrorCode.INVALID_ARGUMENT,
        'An image dataset has no columns to choose: its class folders are the labels',
        field(request.targetColumn ? 'body.targetColumn' : 'body.featureColumns', 'not used for image datasets'),
      );
    return { target: null, features: null };
  }
  const columns = new Map(dataset.columns.map((c) => [c.name, c]));
  const target = request.targetColumn === undefined ? dataset.targetColumn : request.targetColumn;
  const task = trainingTaskFor(request.algorithm, request.hyperparameters);
  if (target === null && info.targetRequired)
    throw new SlipwayError(
      ErrorCode.INVALID_ARGUMENT,
      `${request.algorithm} (${task}) needs a target column, and dataset "${dataset.name}" has none set`,
      field('body.targetColumn', 'required: the column to predict'),
    );
  if (target !== null) {
    const column = columns.get(target);
    if (!column)
      throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, `Dataset "${dataset.name}" has no column "${target}"`, field('body.targetColumn', 'no such column'));
    if (task === 'regression' && !NUMERIC_TARGET_TYPES.has(column.type))
      throw new SlipwayError(
        ErrorCode.INVALID_ARGUMENT,
        `Regression needs a numeric target; column "${target}" is ${column.type}`,
        field('body.targetColumn', `a ${column.type} column cannot be a regression target`),
      );
    const profile = dataset.profile?.columns.find((c) => c.name === target);
    if (task === 'classification' && profile?.distinct !== undefined && profile.distinctExact !== false && profile.distinct < 2)
      throw new SlipwayError(
        ErrorCode.FAILED_PRECONDITION,
        `Column "${target}" has ${profile.distinct} distinct value(s); classification needs at least two classes`,
        field('body.targetColumn', 'a target with one class'),
      );
  }
  if (request.featureColumns) {
    const seen = new Set<string>();
    request.featureColumns.forEach((name, i) => {
      const at = `body.featureColumns.${i}`;
      const column = columns.get(name);
      if (!column) throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, `Dataset "${dataset.name}" has no column "${name}"`, field(at, 'no such column'));
      if (name === target)
        throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, `"${name}" is the target; it cannot also be a feature`, field(at, 'is the target'));
      if (seen.has(name)) throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, `Column "${name}" is listed twice`, field(at, 'duplicate'));
      if (!FEATURE_TYPES.has(column.type))
        throw new SlipwayError(
          ErrorCode.INVALID_ARGUMENT,
          `Column "${name}" is free text, which no algorithm takes as input yet`,
          field(at, 'a string column'),
        );
      seen.add(name);
    });
  } else if (!dataset.columns.some((c) => c.name !== target && FEATURE_TYPES.has(c.type))) {
    throw new SlipwayError(
      ErrorCode.FAILED_PRECONDITION,
      `Dataset "${dataset.name}" has no usable input column besides the target`,
      field('body.datasetId', 'no feature columns'),
    );
  }
  return { target, features: request.featureColumns ?? null };
}
