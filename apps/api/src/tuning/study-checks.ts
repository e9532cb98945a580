import {
  ErrorCode,
  HYPERPARAMETER_SCHEMAS,
  OBJECTIVE_METRICS,
  SlipwayError,
  trainingTaskFor,
  type ChoiceValue,
  type CreateStudyRequest,
  type SearchSpace,
  type TrainingAlgorithm,
  type TrainingTask,
} from '@slipway/contracts';
import { MAX_GRID_SIZE, validateSpaceForSampler } from '@slipway/ml-tuning';
import type { z } from 'zod';

const field = (name: string, message: string) => [{ field: name, message }];
const invalid = (name: string, message: string, detail = message) => new SlipwayError(ErrorCode.INVALID_ARGUMENT, message, field(name, detail));

/** The largest seed a study can have: every trial's training job carries it, in a Postgres integer column. */
export const MAX_TRIAL_SEED = 2_147_483_647;

/** Algorithms that report no intermediate value during one fit: only k-fold's running fold means give pruners something. */
const NO_INTERMEDIATE_WITHOUT_FOLDS: ReadonlySet<TrainingAlgorithm> = new Set(['cart', 'kmeans']);

/** The CART criterion decides the task; it may be fixed or drawn (then every choice must agree). */
function criterionValues(algorithm: TrainingAlgorithm, fixed: Record<string, ChoiceValue>, space: SearchSpace): ChoiceValue[] {
  if (algorithm !== 'cart') return [null];
  const dimension = space['criterion'];
  if (dimension?.type === 'categorical') return dimension.choices;
  return ['criterion' in fixed ? fixed['criterion'] : null];
}

/** The hyper-parameters that decide a study's task: the fixed ones, with CART's criterion taken from the space when drawn. */
export function taskParamsOf(algorithm: TrainingAlgorithm, fixed: Record<string, ChoiceValue>, space: SearchSpace): Record<string, unknown> {
  const [criterion] = criterionValues(algorithm, fixed, space);
  return algorithm === 'cart' && criterion !== null ? { ...fixed, criterion } : { ...fixed };
}

/** The task every trial of the study trains for. */
export function studyTask(algorithm: TrainingAlgorithm, fixed: Record<string, ChoiceValue>, space: SearchSpace): TrainingTask {
  return trainingTaskFor(algorithm, taskParamsOf(algorithm, fixed, space));
}

/** A zod failure as the request field it concerns, under `prefix`. */
function fieldOf(error: z.ZodError, prefix: string, hyperparameter?: string): { field: string; message: string } {
  const issue = error.issues[0];
  const path = issue.path.map(String);
  // An issue on the parameter we probed is named by where the request carried its bound or choice.
  const rest = hyperparameter !== undefined && path[0] === hyperparameter ? path.slice(1) : path;
  return { field: [prefix, ...rest].join('.'), message: issue.message };
}

/**
 * Checks the hyper-parameter side of a study: the fixed ones parse for the algorithm; every dimension names a
 * hyper-parameter the algorithm has and that is not also fixed; each bound and choice, put on top of the fixed
 * ones, parses with the algorithm's schema (a float dimension on an integer parameter fails its interior probe);
 * then what the sampler itself needs (a grid: steps on floats, a bounded size). Each refusal names its field.
 */
export function checkSearchSpace(request: CreateStudyRequest): void {
  const schema = HYPERPARAMETER_SCHEMAS[request.algorithm] as unknown as z.ZodObject<z.ZodRawShape>;
  const known = Object.keys(schema.shape);
  const fixed = request.fixedHyperparameters;
  for (const name of Object.keys(fixed)) {
    if (!known.includes(name))
      throw invalid(
        `body.fixedHyperparameters.${name}`,
        `${request.algorithm} has no hyper-parameter "${name}"; it takes ${known.join(', ')}`,
        'unknown hyper-parameter',
      );
  }
  const fixedParsed = schema.safeParse(fixed);
  if (!fixedParsed.success) {
    const { field: at, message } = fieldOf(fixedParsed.error, 'body.fixedHyperparameters');
    throw invalid(at, `Fixed hyper-parameters do not fit ${request.algorithm}: ${message}`, message);
  }
  for (const [name, dimension] of Object.entries(request.searchSpace)) {
    const at = `body.searchSpace.${name}`;
    if (!known.includes(name))
      throw invalid(at, `${request.algorithm} has no hyper-parameter "${name}"; it takes ${known.join(', ')}`, 'unknown hyper-parameter');
    if (name in fixed) throw invalid(at, `"${name}" is both fixed and searched; drop it from one of them`, 'also in fixedHyperparameters');
    const probe = (value: ChoiceValue, where: string) => {
      const parsed = schema.safeParse({ ...fixed, [name]: value });
      if (parsed.success) return;
      const { field: issueField, message } = fieldOf(parsed.error, where, name);
      throw invalid(issueField, `${name} = ${JSON.stringify(value)} is not a valid ${request.algorithm} hyper-parameter: ${message}`, message);
    };
    if (dimension.type === 'categorical') {
      dimension.choices.forEach((choice, i) => probe(choice, `${at}.choices.${i}`));
      continue;
    }
    probe(dimension.low, `${at}.low`);
    probe(dimension.high, `${at}.high`);
    if (dimension.type === 'float' && dimension.step === undefined && dimension.low < dimension.high) {
      // Draws fall between the bounds: a parameter that takes whole numbers only must be searched as an int.
      const interior = [0.5, 0.381966].map((f) => dimension.low + (dimension.high - dimension.low) * f).find((v) => !Number.isInteger(v));
      if (interior !== undefined && !schema.safeParse({ ...fixed, [name]: interior }).success)
        throw invalid(
          `${at}.type`,
          `${name} does not take every value between ${dimension.low} and ${dimension.high} (e.g. ${interior}); search it as an int, or with a step`,
          'search this parameter as an int',
        );
    }
  }
  if (request.strategy === 'grid') {
    // ml-tuning counts a grid from each dimension's list of values: one dimension past the cap alone (a float
    // with step 1e-9) would be a list of a billion numbers built inside this request. Its own count is arithmetic.
    for (const [name, dimension] of Object.entries(request.searchSpace)) {
      if (dimension.type === 'categorical' || (dimension.type === 'float' && dimension.step === undefined)) continue;
      const values = Math.floor((dimension.high - dimension.low) / (dimension.step ?? 1)) + 1;
      if (values > MAX_GRID_SIZE)
        throw invalid(
          `body.searchSpace.${name}`,
          `${name} alone has ${values} grid values, more than a grid may have (${MAX_GRID_SIZE}); use a larger step, a narrower range, or random/tpe search`,
          `more than ${MAX_GRID_SIZE} grid values`,
        );
    }
  }
  for (const issue of validateSpaceForSampler(request.searchSpace, request.strategy)) {
    throw invalid(
      issue.path ? `body.searchSpace.${issue.path}` : 'body.searchSpace',
      `The search space does not suit ${request.strategy} search: ${issue.message}`,
      issue.message,
    );
  }
  if (request.strategy !== 'tpe' && Object.keys(request.sampler).length > 0)
    throw invalid('body.sampler', `Sampler options are TPE's; ${request.strategy} search takes none`, 'tpe only');
  const tasks = new Set(
    criterionValues(request.algorithm, fixed, request.searchSpace).map((c) => trainingTaskFor(request.algorithm, c === null ? {} : { criterion: c })),
  );
  if (tasks.size > 1)
    throw invalid(
      'body.searchSpace.criterion',
      `The criterion choices mix tasks (${[...tasks].join(' and ')}): one study optimises one objective, so search gini/entropy or squared_error`,
      'every choice must give the same task',
    );
}

/**
 * The objective names a metric the trials' evaluation gives for this task and this target (binary or multiclass
 * scorer names; ARI only with a target), and early stopping has intermediate values to act on.
 */
export function checkObjective(
  request: CreateStudyRequest,
  task: TrainingTask,
  target: string | null,
  targetProfile: { distinct?: number; distinctExact?: boolean } | undefined,
): void {
  const metric = request.objective.metric;
  const valid = OBJECTIVE_METRICS[task];
  if (!valid.includes(metric))
    throw invalid('body.objective.metric', `"${metric}" is not a ${task} metric; one of ${valid.join(', ')}`, `one of ${valid.join(', ')}`);
  const classes = targetProfile?.distinctExact !== false ? targetProfile?.distinct : undefined;
  if (task === 'classification' && classes !== undefined) {
    const multiclass = metric.endsWith('_ovr');
    const binaryOnly = metric === 'roc_auc' || metric === 'average_precision';
    if (classes === 2 && multiclass)
      throw invalid('body.objective.metric', `"${target}" has two classes: its scorer is ${metric.replace(/_ovr$/, '')}`, `use ${metric.replace(/_ovr$/, '')}`);
    if (classes > 2 && binaryOnly)
      throw invalid('body.objective.metric', `"${target}" has ${classes} classes: its scorer is ${metric}_ovr`, `use ${metric}_ovr`);
  }
  if (task === 'clustering' && metric === 'ari' && target === null)
    throw invalid('body.objective.metric', 'ARI compares clusters with a target column, and the study has none', 'needs a targetColumn');
  if (request.earlyStopping && request.evaluationPlan.kind === 'split' && NO_INTERMEDIATE_WITHOUT_FOLDS.has(request.algorithm))
    throw invalid(
      'body.earlyStopping',
      `${request.algorithm} reports no intermediate values on a hold-out split (one fit, no epochs): use a kfold evaluationPlan (each fold's running mean is a step) or drop earlyStopping`,
      'needs a kfold evaluationPlan for this algorithm',
    );
}
