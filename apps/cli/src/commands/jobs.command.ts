import { TRAINING_JOB_STATUSES, type TrainingJobStatus, type TrainingJobView } from '@slipway/contracts';
import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from '../cli-context';
import { formatNumber, formatTable, formatTime } from '../table';
import { describeSchema, type JsonSchema } from '../training-params';
import { progressParts } from '../training-progress';

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${formatNumber(Math.round(ms / 100) / 10)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function planText(job: TrainingJobView): string {
  const plan = job.evaluationPlan;
  const stratified = plan.stratify && job.task === 'classification' ? ', stratified' : '';
  return plan.kind === 'kfold' ? `${plan.folds}-fold cross-validation${stratified}` : `hold-out ${formatNumber(plan.testFraction)} test${stratified}`;
}

export function progressText(job: TrainingJobView): string | null {
  const progress = job.progress;
  if (!progress) return null;
  const { fold, epoch } = progressParts(progress);
  const parts = [`phase ${progress.phase}`];
  if (fold) parts.push(`folds ${fold.done}/${fold.total}${fold.metric ? ` (${fold.metric})` : ''}`);
  if (epoch) parts.push(`${epoch.fold === null ? '' : `fold ${epoch.fold} `}epoch ${epoch.epoch}/${epoch.epochs}${epoch.metric ? ` (${epoch.metric})` : ''}`);
  return parts.join(', ');
}

export function attemptsTable(job: TrainingJobView): string {
  return formatTable(
    ['ATTEMPT', 'OUTCOME', 'WORKER', 'STARTED', 'ENDED', 'RUN', 'REASON'],
    job.attemptHistory.map((a) => [a.attempt, a.outcome, a.workerId, formatTime(a.startedAt), formatTime(a.endedAt), a.runId, a.reason]),
  );
}

/** The evaluation: primary metric first (± std over folds), every metric, and per-class scores for classification. */
export function evaluationText(job: TrainingJobView): string | null {
  const evaluation = job.evaluation;
  if (!evaluation) return null;
  const std = (name: string) => (evaluation.std?.[name] === undefined ? '' : ` ± ${formatNumber(evaluation.std[name])}`);
  const primary = evaluation.metrics[evaluation.primaryMetric];
  const where = evaluation.plan === 'kfold' ? `mean of ${evaluation.folds?.length ?? '?'} folds` : `${evaluation.rows.test} test rows`;
  const lines = [`${evaluation.primaryMetric}: ${formatNumber(primary)}${std(evaluation.primaryMetric)} (${evaluation.task}, ${where})`];
  const names = Object.keys(evaluation.metrics).filter((name) => name !== evaluation.primaryMetric);
  if (names.length > 0)
    lines.push(
      formatTable(
        evaluation.std ? ['METRIC', 'MEAN', 'STD'] : ['METRIC', 'VALUE'],
        names.map((name) => [name, formatNumber(evaluation.metrics[name]), ...(evaluation.std ? [formatNumber(evaluation.std[name])] : [])]),
      ).trimEnd(),
    );
  if (evaluation.perClass && evaluation.perClass.length > 0)
    lines.push(
      formatTable(
        ['CLASS', 'PRECISION', 'RECALL', 'F1', 'SUPPORT'],
        evaluation.perClass.map((c) => [c.label, formatNumber(c.precision), formatNumber(c.recall), formatNumber(c.f1), c.support]),
      ).trimEnd(),
    );
  return lines.join('\n');
}

export function resultText(job: TrainingJobView): string | null {
  const result = job.result;
  if (!result) return null;
  const { backend } = result;
  const d = result.durationsMs;
  const route = [backend.backend, backend.tfBackend && backend.tfBackend !== backend.backend ? `tf ${backend.tfBackend}` : null].filter(Boolean).join(', ');
  return [
    `backend: ${route || '-'}${backend.device ? ` on ${backend.device}` : ''}; worker ${result.workerId}; code ${result.codeVersion}`,
    `durations: total ${formatDuration(d.total)} (queued ${formatDuration(d.queued)}, load ${formatDuration(d.load)}, fit ${formatDuration(d.fit)}, save ${formatDuration(d.save)})`,
    `artifact: ${result.artifact.path}/ (${result.artifact.files.length} files) of run ${job.runId ?? '-'}`,
  ].join('\n');
}

export function modelVersionText(job: TrainingJobView): string | null {
  if (!job.modelVersion) return null;
  const alias = job.registerAs?.model === job.modelVersion.model && job.registerAs.alias ? ` (@${job.registerAs.alias})` : '';
  return `model version: ${job.modelVersion.model} v${job.modelVersion.version}${alias}`;
}

/** Everything `jobs show` prints about a job, for people. */
export function jobDetails(job: TrainingJobView): string {
  const lines = [
    `job ${job.id} "${job.name}": ${job.status}`,
    `algorithm: ${job.algorithm} (${job.task}), ${planText(job)}, seed ${job.seed}`,
    `dataset: ${job.dataset ? `${job.dataset.name} (${job.dataset.id})` : 'deleted'}; target ${job.targetColumn ?? '-'}; features ${job.featureColumns?.join(', ') ?? 'all'}`,
    `hyperparameters: ${JSON.stringify(job.hyperparameters)}`,
    `created ${formatTime(job.createdAt)}${job.createdBy ? ` by ${job.createdBy}` : ''}; started ${formatTime(job.startedAt)}; finished ${formatTime(job.finishedAt)}; attempts ${job.attempts}/${job.maxAttempts}`,
  ];
  if (job.runId) lines.push(`run: ${job.runId}`);
  if (job.cancelRequestedAt && job.status === 'RUNNING')
    lines.push(`cancel requested ${formatTime(job.cancelRequestedAt)}: the worker stops at its next heartbeat`);
  if (job.status === 'RUNNING' || job.status === 'QUEUED') {
    const progress = progressText(job);
    if (progress) lines.push(`progress: ${progress}`);
  }
  if (job.error) lines.push(`error: ${job.error}`);
  if (job.attemptHistory.length > 0) lines.push('', attemptsTable(job).trimEnd());
  const evaluation = evaluationText(job);
  if (evaluation) lines.push('', evaluation);
  const result = resultText(job);
  if (result) lines.push('', result);
  const version = modelVersionText(job);
  if (version) lines.push('', version);
  else if (job.registerAs) lines.push('', `registers as: ${job.registerAs.model}${job.registerAs.alias ? `@${job.registerAs.alias}` : ''}`);
  return lines.join('\n');
}

function parseStatus(text: string): TrainingJobStatus {
  const status = text.toUpperCase();
  if (!(TRAINING_JOB_STATUSES as readonly string[]).includes(status)) throw new InvalidArgumentError(`expected one of ${TRAINING_JOB_STATUSES.join(', ')}`);
  return status as TrainingJobStatus;
}

export function registerJobCommands(program: Command, ctx: CliContext): void {
  const jobs = program.command('jobs').description('training jobs: list, show, cancel, register');

  jobs
    .command('algorithms')
    .description('what `slipway train --algorithm` takes: each algorithm with its hyper-parameters (bounds, defaults)')
    .option('--json', 'print the catalogue (JSON Schema per algorithm) as JSON')
    .action(async (options: { json?: boolean }) => {
      const catalogue = await ctx.api().trainingJobs.algorithms();
      if (options.json) return ctx.json(catalogue);
      for (const info of catalogue.algorithms) {
        ctx.out(`${info.algorithm}: ${info.title} (${info.tasks.join(', ')}; ${info.datasetKind} datasets${info.targetRequired ? ', needs a target' : ''})`);
        const properties = (info.hyperparameters as JsonSchema).properties ?? {};
        ctx.out(
          formatTable(
            ['  PARAM', 'TAKES', 'DEFAULT'],
            Object.entries(properties).map(([name, schema]) => [`  ${name}`, describeSchema(schema), JSON.stringify(info.defaults[name] ?? null)]),
          ),
        );
      }
    });

  jobs
    .command('list')
    .description('training jobs, newest first')
    .option('--status <status>', `only jobs in this state (${TRAINING_JOB_STATUSES.join(', ')})`, parseStatus)
    .option('--dataset <id>', 'only jobs on this dataset')
    .option('--limit <n>', 'at most this many (default: all)', (text) => {
      const value = Number(text);
      if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`expected a whole number ≥ 1, got "${text}"`);
      return value;
    })
    .option('--json', 'print the jobs as JSON')
    .action(async (options: { status?: TrainingJobStatus; dataset?: string; limit?: number; json?: boolean }) => {
      const list: TrainingJobView[] = [];
      for await (const job of ctx.api().trainingJobs.listAll({ status: options.status, datasetId: options.dataset })) {
        list.push(job);
        if (options.limit !== undefined && list.length >= options.limit) break;
      }
      if (options.json) return ctx.json({ jobs: list });
      if (list.length === 0) return ctx.note('no training jobs: slipway train --dataset <id|name> --algorithm <algorithm>');
      ctx.out(
        formatTable(
          ['ID', 'NAME', 'STATUS', 'ALGORITHM', 'DATASET', 'PROGRESS / RESULT', 'CREATED'],
          list.map((job) => {
            const evaluation = job.evaluation;
            const outcome = evaluation
              ? `${evaluation.primaryMetric} ${formatNumber(evaluation.metrics[evaluation.primaryMetric])}`
              : job.status === 'RUNNING' || job.status === 'QUEUED'
                ? progressText(job)
                : job.error;
            return [job.id, job.name, job.status, job.algorithm, job.dataset?.name, outcome, formatTime(job.createdAt)];
          }),
        ),
      );
    });

  jobs
    .command('show')
    .description('one job: status, attempts, progress, evaluation, backend and durations, model version')
    .argument('<id>', 'training job id')
    .option('--json', 'print the job as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const job = await ctx.api().trainingJobs.get(id);
      if (options.json) return ctx.json(job);
      ctx.out(jobDetails(job));
    });

  jobs
    .command('cancel')
    .description('cancel a job: a QUEUED one at once, a RUNNING one within about a second (CART and k-means stop between folds)')
    .argument('<id>', 'training job id')
    .option('--reason <text>', 'why (kept as the job’s error)')
    .option('--json', 'print the job as JSON')
    .action(async (id: string, options: { reason?: string; json?: boolean }) => {
      const job = await ctx.api().trainingJobs.cancel(id, options.reason);
      if (options.json) return ctx.json(job);
      if (job.status === 'CANCELLED') ctx.out(`job ${job.id} CANCELLED`);
      else ctx.out(`job ${job.id} ${job.status}: cancel requested; its worker stops it at the next heartbeat (slipway jobs show ${job.id})`);
    });

  jobs
    .command('register')
    .description("register a SUCCEEDED job's model as the next version of a model, optionally moving an alias onto it")
    .argument('<id>', 'training job id')
    .requiredOption('--model <name>', 'model name (created when missing)')
    .option('--alias <alias>', 'point this alias at the version, e.g. challenger')
    .option('--json', 'print the version as JSON')
    .action(async (id: string, options: { model: string; alias?: string; json?: boolean }) => {
      const { version, created } = await ctx.api().trainingJobs.register(id, { model: options.model, alias: options.alias });
      if (options.json) return ctx.json(version);
      const aliases = version.aliases.length > 0 ? ` (aliases: ${version.aliases.join(', ')})` : '';
      ctx.out(`${created ? 'registered' : 'already registered'}: ${version.model} v${version.version} ${version.status}${aliases}`);
    });
}
