import {
  trainingSpecSchema,
  type CartHyperparameters,
  type TrainingEvaluation,
  type TrainingSpec,
  type TrainingSpecInput,
  type TrainingTask,
} from '@slipway/contracts';
import { kFold, labelledClassificationReport, stratifiedKFold, trainTestSplit, type Fold } from '@slipway/ml-evaluation';
import { MlInputError, MlInputErrorCode } from '../common';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../cart';
import { KMeans } from '../kmeans';
import { CnnClassifier } from '../neural/cnn-classifier';
import { NnRegressor } from '../neural/nn-regression';
import { labelName } from './label-map';
import { prepareData, selectData, type PreparedData } from './training-data';
import {
  curvesOf,
  featureNamesOf,
  impurityImportanceOf,
  permutationImportanceOf,
  PRIMARY_METRIC,
  probabilitiesOver,
  residualsOf,
  scoreTestPart,
  summarizeFolds,
  type FoldScore,
} from './training-metrics';
import { wrapCart, wrapCnn, wrapKMeans, wrapNnRegressor, type CartModel, type KMeansModel } from './trained-models';
import { TrainingCancelledError, type TrainedModel, type TrainingData, type TrainingProgress, type TrainOptions, type TrainResult } from './training-types';

/** The task an algorithm solves with these hyper-parameters. */
export function trainingTaskOf(spec: Pick<TrainingSpec, 'algorithm' | 'hyperparameters'>): TrainingTask {
  switch (spec.algorithm) {
    case 'kmeans':
      return 'clustering';
    case 'cart':
      return (spec.hyperparameters as CartHyperparameters).criterion === 'squared_error' ? 'regression' : 'classification';
    case 'nn-regression':
      return 'regression';
    case 'cnn':
      return 'classification';
  }
}

/** Validates and completes a spec (defaults from the contracts); the error names the offending field. */
export function parseTrainingSpec(input: TrainingSpecInput): TrainingSpec {
  const parsed = trainingSpecSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new MlInputError(MlInputErrorCode.BAD_PARAM, ['spec', ...issue.path.map(String)].join('.'), issue.message);
}

/** A macrotask turn between epochs, so an abort() (or a heartbeat) scheduled meanwhile gets to run. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function epochMetrics(report: { loss: number; valLoss?: number; accuracy?: number; valAccuracy?: number }): Record<string, number> {
  const out: Record<string, number> = { loss: report.loss };
  if (report.valLoss !== undefined) out['val_loss'] = report.valLoss;
  if (report.accuracy !== undefined) out['accuracy'] = report.accuracy;
  if (report.valAccuracy !== undefined) out['val_accuracy'] = report.valAccuracy;
  return out;
}

type WithoutStep<T> = T extends unknown ? Omit<T, 'step'> : never;

class Run {
  private step = 0;
  constructor(private readonly options: TrainOptions) {}

  async emit(event: WithoutStep<TrainingProgress>): Promise<void> {
    await this.options.onProgress?.({ ...event, step: ++this.step } as TrainingProgress);
  }

  checkCancelled(at: string): void {
    const signal = this.options.signal;
    if (signal?.aborted) throw new TrainingCancelledError(at, signal.reason);
  }

  /** The per-epoch hook of one network fit: report, let the event loop turn, stop if aborted. */
  epochHook(fold: number | null, epochs: number) {
    return async (report: { epoch: number; loss: number; valLoss?: number; accuracy?: number; valAccuracy?: number }) => {
      await this.emit({ kind: 'epoch', fold, epoch: report.epoch, epochs, metrics: epochMetrics(report) });
      await yieldToEventLoop();
      this.checkCancelled(`after epoch ${report.epoch} of ${epochs}${fold === null ? '' : ` in fold ${fold}`}`);
    };
  }
}

/** Fits the spec's algorithm on one part of the data; a failed or cancelled network fit frees its tensors. */
async function fitPart(spec: TrainingSpec, part: PreparedData, run: Run, fold: number | null): Promise<TrainedModel> {
  // Every part keeps the whole dataset's label map: a class id means the same label in every fold.
  const labelMap = part.labelMap;
  switch (spec.algorithm) {
    case 'kmeans': {
      if (part.kind !== 'tabular') throw new Error('unreachable: data kind checked in train()');
      return wrapKMeans(new KMeans({ ...spec.hyperparameters, seed: spec.seed }).fit(part.x));
    }
    case 'cart': {
      if (part.kind !== 'tabular' || !part.y) throw new Error('unreachable: data kind checked in train()');
      const { criterion, ...rest } = spec.hyperparameters;
      const fitOptions = { featureNames: part.featureNames };
      const tree =
        criterion === 'squared_error'
          ? new DecisionTreeRegressor({ ...rest, criterion, seed: spec.seed }).fit(part.x, part.y, fitOptions)
          : new DecisionTreeClassifier({ ...rest, criterion, seed: spec.seed }).fit(part.x, part.y, fitOptions);
      return wrapCart(tree, labelMap);
    }
    case 'nn-regression': {
      if (part.kind !== 'tabular' || !part.y) throw new Error('unreachable: data kind checked in train()');
      const regressor = new NnRegressor({ ...spec.hyperparameters, seed: spec.seed });
      try {
        await regressor.fit(part.x, part.y, { onEpoch: run.epochHook(fold, spec.hyperparameters.epochs) });
      } catch (error) {
        regressor.dispose();
        throw error;
      }
      return wrapNnRegressor(regressor);
    }
    case 'cnn': {
      if (part.kind !== 'images') throw new Error('unreachable: data kind checked in train()');
      const classifier = new CnnClassifier({ ...spec.hyperparameters, seed: spec.seed });
      try {
        // The legacy names also go into the CNN's own manifest, as before; labels.json is what predict reads.
        const classLabels = part.legacyNames && labelMap ? labelMap.map(labelName) : undefined;
        await classifier.fit(part.images, part.y, { classLabels, onEpoch: run.epochHook(fold, spec.hyperparameters.epochs) });
      } catch (error) {
        classifier.dispose();
        throw error;
      }
      return wrapCnn(classifier, labelMap);
    }
  }
}

function testInput(test: PreparedData) {
  return test.kind === 'tabular' ? test.x : test.images;
}

function scoreModel(task: TrainingTask, model: TrainedModel, test: PreparedData): FoldScore {
  const input = testInput(test);
  const predictions = model.predictCodes(input);
  if (task === 'clustering' && test.kind === 'tabular') {
    const meanInertia = (model as KMeansModel).meanInertia(test.x);
    return scoreTestPart(task, test, predictions, { inertia: meanInertia * test.nRows, inertia_mean: meanInertia });
  }
  const proba = task === 'classification' ? probabilitiesOver(model, input, test.labelMap?.length ?? 0) : undefined;
  return scoreTestPart(task, test, predictions, {}, proba);
}

/** Curves (classification), residuals (regression) and feature importance, the parts present for this task. */
function detailViews(
  task: TrainingTask,
  data: PreparedData,
  scores: readonly FoldScore[],
  returned: TrainedModel,
  permutation: Awaited<ReturnType<typeof permutationImportanceOf>>,
): Pick<TrainingEvaluation, 'curves' | 'residuals' | 'featureImportance'> {
  const out: Pick<TrainingEvaluation, 'curves' | 'residuals' | 'featureImportance'> = {};
  if (task === 'classification') {
    const curves = curvesOf(data, scores);
    if (curves) out.curves = curves;
  }
  if (task === 'regression') {
    const residuals = residualsOf(scores);
    if (residuals) out.residuals = residuals;
  }
  const impurity =
    returned.algorithm === 'cart' && data.kind === 'tabular'
      ? impurityImportanceOf((returned as CartModel).estimator.featureImportances, featureNamesOf(data))
      : undefined;
  if (impurity || permutation) out.featureImportance = { ...(impurity ? { impurity } : {}), ...(permutation ? { permutation } : {}) };
  return out;
}

function checkData(spec: TrainingSpec, task: TrainingTask, data: TrainingData): void {
  if (!data || typeof data !== 'object') throw new MlInputError(MlInputErrorCode.EMPTY_INPUT, 'data', "must be { kind: 'tabular' | 'images', … }");
  const wants = spec.algorithm === 'cnn' ? 'images' : 'tabular';
  if (data.kind !== wants)
    throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'data.kind', `${spec.algorithm} trains on ${wants} data, got ${String(data.kind)}`);
  const target = data.kind === 'images' ? data.labels : data.target;
  if (task !== 'clustering' && target === undefined) {
    throw new MlInputError(MlInputErrorCode.EMPTY_INPUT, data.kind === 'images' ? 'data.labels' : 'data.target', `${spec.algorithm} (${task}) needs a target`);
  }
}

/** Confusion matrix and per-class scores named by the original labels (over all folds' test rows for k-fold). */
function labelledViews(
  data: PreparedData,
  truth: ArrayLike<number>[],
  predicted: ArrayLike<number>[],
): Pick<TrainingEvaluation, 'confusionMatrix' | 'perClass'> {
  if (!data.labelMap || truth.length === 0) return {};
  const concat = (parts: ArrayLike<number>[]) => Float64Array.from(parts.flatMap((part) => Array.from(part)));
  const report = labelledClassificationReport(concat(truth), concat(predicted), data.labelMap.map(labelName));
  return { confusionMatrix: { labels: report.labels, matrix: report.confusionMatrix }, perClass: report.perClass };
}

/**
 * One entry point for every algorithm: validates the spec (contracts' zod schemas, with their defaults),
 * evaluates as the plan says, and returns the model with its evaluation.
 *
 * - split: fits on the training part and scores the held-out part; the returned model is that fit.
 * - kfold: fits and scores each fold (a `fold` progress event after each), then fits the returned model on
 *   all rows; metrics are the fold means, with their std and each fold's values.
 *
 * The evaluation also holds ROC / PR curves (classification), a residual summary (regression) and feature
 * importance: impurity for CART, permutation for every tabular model (seeded from the spec; on the test part,
 * or the last fold's); the CNN has none (see permutationImportanceOf).
 *
 * Networks report every epoch; the signal is checked before each fold, after each epoch and before the
 * final fit (k-means and CART fit in one synchronous step, so they stop between folds).
 */
export async function train(specInput: TrainingSpecInput, data: TrainingData, options: TrainOptions = {}): Promise<TrainResult> {
  const spec = parseTrainingSpec(specInput);
  const task = trainingTaskOf(spec);
  checkData(spec, task, data);
  const prepared = prepareData(data, task);
  const run = new Run(options);
  const plan = spec.evaluationPlan;
  const stratify = task === 'classification' && plan.stratify ? (prepared.y as Float64Array) : undefined;
  const primaryMetric = PRIMARY_METRIC[task];

  const timings = { fitMs: 0, evaluationMs: 0 };
  const timed = async <T>(key: keyof typeof timings, work: () => T | Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      timings[key] += performance.now() - start;
    }
  };

  if (plan.kind === 'split') {
    run.checkCancelled('before training');
    const split = trainTestSplit(prepared.nRows, { testSize: plan.testFraction, seed: spec.seed, stratify });
    const test = selectData(prepared, split.test);
    const model = await timed('fitMs', () => fitPart(spec, selectData(prepared, split.train), run, null));
    try {
      const evaluation = await timed('evaluationMs', async () => {
        const score = scoreModel(task, model, test);
        const permutation = await permutationImportanceOf(task, model, test, spec.seed);
        const result: TrainingEvaluation = {
          task,
          plan: 'split',
          primaryMetric,
          metrics: score.metrics,
          rows: { train: split.train.length, test: split.test.length },
        };
        Object.assign(result, labelledViews(prepared, score.truth ? [score.truth] : [], score.predicted ? [score.predicted] : []));
        return Object.assign(result, detailViews(task, prepared, [score], model, permutation));
      });
      return { model, evaluation, timings };
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  const folds: Fold[] = stratify
    ? stratifiedKFold(stratify, { k: plan.folds, shuffle: true, seed: spec.seed })
    : kFold(prepared.nRows, { k: plan.folds, shuffle: true, seed: spec.seed });
  const foldMetrics: Record<string, number>[] = [];
  const scores: FoldScore[] = [];
  let permutation: Awaited<ReturnType<typeof permutationImportanceOf>>;
  for (let f = 0; f < folds.length; f++) {
    run.checkCancelled(`before fold ${f + 1} of ${folds.length}`);
    const model = await timed('fitMs', () => fitPart(spec, selectData(prepared, folds[f].train), run, f + 1));
    let score: FoldScore;
    try {
      score = await timed('evaluationMs', async () => {
        const test = selectData(prepared, folds[f].test);
        const result = scoreModel(task, model, test);
        // Permutation importance on one fold only (the last): folds × features × repeats predictions would cost
        // more than the fits; the last fold's model and test rows are as representative as any other's.
        if (f === folds.length - 1) permutation = await permutationImportanceOf(task, model, test, spec.seed);
        return result;
      });
    } finally {
      model.dispose();
    }
    foldMetrics.push(score.metrics);
    scores.push(score);
    await run.emit({ kind: 'fold', fold: f + 1, folds: folds.length, metrics: score.metrics, meanSoFar: summarizeFolds(foldMetrics).mean });
    // Between folds too, so a cancel scheduled during a synchronous fit (CART, k-means) is seen before the next one.
    await yieldToEventLoop();
  }
  run.checkCancelled('before the final fit on all rows');
  const { mean, std } = summarizeFolds(foldMetrics);
  const model = await timed('fitMs', () => fitPart(spec, prepared, run, null));
  try {
    const evaluation = await timed('evaluationMs', () => {
      const result: TrainingEvaluation = {
        task,
        plan: 'kfold',
        primaryMetric,
        metrics: mean,
        std,
        folds: foldMetrics,
        rows: { train: prepared.nRows, test: prepared.nRows },
      };
      const classified = scores.filter((s) => s.truth && s.predicted);
      Object.assign(
        result,
        labelledViews(
          prepared,
          classified.map((s) => s.truth as Float64Array),
          classified.map((s) => s.predicted as Int32Array | Float64Array),
        ),
      );
      return Object.assign(result, detailViews(task, prepared, scores, model, permutation));
    });
    return { model, evaluation, timings };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
