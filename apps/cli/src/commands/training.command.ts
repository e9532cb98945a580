import type { SlipwayClient } from '@slipway/client';
import type { CreateTrainingJobRequestInput, EvaluationPlanInput, TrainingJobView } from '@slipway/contracts';
import { InvalidArgumentError, type Command } from 'commander';
import { collect, parsePositiveInt } from '../arguments';
import type { CliContext } from '../cli-context';
import { CliExit } from '../cli-exit';
import { readRequestFile, resolveDatasetRef } from '../request-file';
import { applyParams, type JsonSchema } from '../training-params';
import { jobProgress } from '../training-progress';
import { attemptsTable, evaluationText, formatDuration, modelVersionText } from './jobs.command';

interface TrainOptions {
  dataset?: string;
  algorithm?: string;
  target?: string;
  features?: string;
  param: string[];
  file?: string;
  kfold?: number;
  testFraction?: number;
  stratify: boolean;
  seed?: number;
  experiment?: string;
  name?: string;
  register?: { model: string; alias?: string };
  wait?: boolean;
  json?: boolean;
}

/** Exit codes of `train --wait`, by how the job ended (130: interrupted, as shells report SIGINT). */
export const WAIT_EXIT_CODES = { SUCCEEDED: 0, FAILED: 1, CANCELLED: 2, INTERRUPTED: 130 } as const;

function parseFraction(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || value >= 1)
    throw new InvalidArgumentError(`expected a number between 0 and 1, got "${text}"`);
  return value;
}

function parseSeed(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw new InvalidArgumentError(`expected a whole number ≥ 0, got "${text}"`);
  return value;
}

/** `iris-model` or `iris-model@challenger`. */
function parseRegister(text: string): { model: string; alias?: string } {
  const at = text.indexOf('@');
  if (at === 0 || at === text.length - 1 || text === '') throw new InvalidArgumentError(`expected <model>[@<alias>], got "${text}"`);
  return at < 0 ? { model: text } : { model: text.slice(0, at), alias: text.slice(at + 1) };
}

/**
 * A spec file: the request body of POST /api/v1/training-jobs as JSON or YAML, where `dataset` may stand for
 * `datasetId` (an id or a name). Flags given on the command line win over the file.
 */
const readSpec = (file: string) => readRequestFile(file, "the job's fields (algorithm, dataset, …)");

function evaluationPlanOf(options: TrainOptions, fromFile: unknown): EvaluationPlanInput | undefined {
  if (options.kfold !== undefined && options.testFraction !== undefined) throw new Error('give --kfold or --test-fraction, not both');
  const stratify = options.stratify === false ? { stratify: false } : {};
  if (options.kfold !== undefined) return { kind: 'kfold', folds: options.kfold, ...stratify };
  if (options.testFraction !== undefined) return { kind: 'split', testFraction: options.testFraction, ...stratify };
  if (typeof fromFile === 'object' && fromFile !== null) return { ...(fromFile as EvaluationPlanInput), ...stratify };
  return options.stratify === false ? { kind: 'split', stratify: false } : undefined;
}

async function buildRequest(api: SlipwayClient, options: TrainOptions): Promise<CreateTrainingJobRequestInput> {
  const spec = options.file ? await readSpec(options.file) : {};
  const { dataset: specDataset, ...fields } = spec;
  const algorithm = options.algorithm ?? (typeof fields['algorithm'] === 'string' ? fields['algorithm'] : undefined);
  if (!algorithm) throw new Error('--algorithm is required (or `algorithm` in the -f spec file)');
  const { algorithms } = await api.trainingJobs.algorithms();
  const info = algorithms.find((a) => a.algorithm === algorithm);
  if (!info) throw new Error(`--algorithm ${algorithm}: unknown; one of ${algorithms.map((a) => a.algorithm).join(', ')}`);
  const fileParams = fields['hyperparameters'];
  if (fileParams !== undefined && (typeof fileParams !== 'object' || fileParams === null || Array.isArray(fileParams)))
    throw new Error(`-f ${options.file}: hyperparameters must be an object`);
  const hyperparameters = applyParams(
    algorithm,
    info.hyperparameters as JsonSchema,
    info.defaults,
    (fileParams as Record<string, unknown> | undefined) ?? {},
    options.param,
  );
  const datasetRef =
    options.dataset ?? (typeof specDataset === 'string' ? specDataset : typeof fields['datasetId'] === 'string' ? fields['datasetId'] : undefined);
  if (!datasetRef) throw new Error('--dataset is required (an id or a name; or `dataset` in the -f spec file)');
  const evaluationPlan = evaluationPlanOf(options, fields['evaluationPlan']);
  const features = options.features
    ?.split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const request: Record<string, unknown> = {
    ...fields,
    algorithm,
    datasetId: await resolveDatasetRef(api, datasetRef, '--dataset'),
    hyperparameters,
    ...(evaluationPlan ? { evaluationPlan } : {}),
    ...(options.target !== undefined ? { targetColumn: options.target } : {}),
    ...(features !== undefined ? { featureColumns: features } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.experiment !== undefined ? { experiment: options.experiment } : {}),
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.register ? { registerAs: options.register } : {}),
  };
  // The rest of the request (columns, names, plan bounds, unknown fields) is the API's to check: it names the field.
  return request as CreateTrainingJobRequestInput;
}

/** What a finished job leaves on stdout (the summary) and stderr (why it did not succeed). */
function report(ctx: CliContext, job: TrainingJobView): void {
  const took = job.result ? ` in ${formatDuration(job.result.durationsMs.total)}` : '';
  if (job.status === 'SUCCEEDED') {
    ctx.out(`job ${job.id} SUCCEEDED${took}${job.attempts > 1 ? ` on attempt ${job.attempts}` : ''}`);
    const evaluation = evaluationText(job);
    if (evaluation) ctx.out(evaluation);
    if (job.result) {
      const backend = job.result.backend;
      ctx.out(`backend ${backend.backend ?? backend.tfBackend ?? '-'}${backend.device ? ` on ${backend.device}` : ''}; run ${job.runId ?? '-'}`);
    }
    const version = modelVersionText(job);
    if (version) ctx.out(version);
    else ctx.out(`register it: slipway jobs register ${job.id} --model <name> [--alias <alias>]`);
    return;
  }
  ctx.note(`job ${job.id} ${job.status}${job.error ? `: ${job.error}` : ''}`);
  if (job.attemptHistory.length > 0) ctx.note(attemptsTable(job).trimEnd());
}

async function watch(ctx: CliContext, job: TrainingJobView, json: boolean): Promise<never> {
  const api = ctx.api();
  const progress = jobProgress(ctx.io.stderr, ctx.io.progress);
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort(new CliExit(WAIT_EXIT_CODES.INTERRUPTED));
  process.once('SIGINT', onSigint);
  let done: TrainingJobView;
  try {
    // Every 500 ms: as often as a worker writes progress, so each flush of epochs shows.
    done = await api.trainingJobs.waitFor(job.id, { intervalMs: 500, signal: interrupt.signal, onUpdate: (j) => progress.update(j) });
  } catch (error) {
    progress.stop();
    if (error instanceof CliExit) {
      ctx.note(`stopped watching; job ${job.id} keeps going. Cancel it with: slipway jobs cancel ${job.id}`);
      ctx.note(`see it with: slipway jobs show ${job.id}`);
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  progress.stop();
  if (json) ctx.json(done);
  else report(ctx, done);
  throw new CliExit(WAIT_EXIT_CODES[done.status as 'SUCCEEDED' | 'FAILED' | 'CANCELLED']);
}

export function registerTrainCommand(program: Command, ctx: CliContext): void {
  program
    .command('train')
    .description('queue a training job on the workers (and with --wait, watch it to the end)')
    .option('--dataset <id|name>', 'the dataset, by id or by its exact name')
    .option('--algorithm <name>', 'kmeans, cart, nn-regression or cnn (their hyper-parameters: slipway jobs algorithms)')
    .option('--target <column>', "the column to predict (default: the dataset's target)")
    .option('--features <a,b,…>', 'the input columns, in order (default: every usable column but the target)')
    .option(
      '--param <key=value>',
      'a hyper-parameter (repeatable), checked against the algorithm’s schema: maxDepth=4, earlyStopping.patience=3, hiddenLayers=\'[{"units":32}]\'',
      collect((value: string) => value),
      [],
    )
    .option('-f, --file <spec.yaml|spec.json>', 'the job as a file (the API request body; `dataset` may name the dataset); flags win over it')
    .option('--kfold <folds>', 'evaluate by k-fold cross-validation', parsePositiveInt)
    .option('--test-fraction <fraction>', 'evaluate on a seeded hold-out of this share of rows (default 0.2)', parseFraction)
    .option('--no-stratify', 'do not keep class shares per fold or split')
    .option('--seed <n>', 'the seed every split and fit derives from (default 0)', parseSeed)
    .option('--experiment <name>', 'the experiment the runs are logged to (default: training)')
    .option('--name <name>', 'the run name (default: "<algorithm> on <dataset>")')
    .option('--register <model[@alias]>', 'register the model when the job succeeds, optionally moving an alias', parseRegister)
    .option('--wait', 'watch progress until the job ends; exit 0 SUCCEEDED, 1 FAILED, 2 CANCELLED, 130 interrupted')
    .option('--json', 'print the job as JSON (with --wait: the finished job)')
    .action(async (options: TrainOptions) => {
      const api = ctx.api();
      const request = await buildRequest(api, options);
      const job = await api.trainingJobs.create(request);
      if (!options.wait) {
        if (options.json) return ctx.json(job);
        ctx.out(`job ${job.id} ${job.status}: ${job.name}`);
        ctx.note(`watch it: slipway jobs show ${job.id}`);
        return;
      }
      ctx.note(`job ${job.id} queued: ${job.name} (Ctrl-C stops watching, not the job)`);
      await watch(ctx, job, options.json === true);
    });
}
