import type { RunSummaryView } from '@slipway/contracts';
import { Option, type Command } from 'commander';
import { collect, collectTags, parseFileArgument, parseKeyValue, parseMetric, parsePositiveInt, type KeyValue, type MetricArgument } from '../arguments';
import type { CliContext } from '../cli-context';
import { uploadProgress } from '../progress';
import { formatNumber, formatTable, formatTime } from '../table';

interface LogOptions {
  experiment?: string;
  run?: string;
  name?: string;
  param: KeyValue[];
  metric: MetricArgument[];
  tag: Record<string, string>;
  artifact: { file: string; path: string }[];
  end?: 'FINISHED' | 'FAILED' | 'KILLED';
  json?: boolean;
}

interface SearchOptions {
  experiment: string[];
  orderBy?: string;
  limit: number;
  json?: boolean;
}

const MAX_METRIC_COLUMNS = 6;

export function registerRunCommands(program: Command, ctx: CliContext): void {
  const runs = program.command('runs').description('experiment runs: log to them, search them');

  runs
    .command('log')
    .description('log params, metrics, tags and artifacts to a new run (in --experiment, created if missing) or to --run')
    .option('--experiment <name>', 'experiment of the new run (created when missing)')
    .option('--run <id>', 'log to this existing, RUNNING run instead of starting one')
    .option('--name <name>', 'name of the new run')
    .option('--param <key=value>', 'a param (repeatable; params are immutable)', collect(parseKeyValue), [])
    .option('--metric <key=value[@step]>', 'a metric value, at a step (default 0) (repeatable)', collect(parseMetric), [])
    .option('--tag <key=value>', 'a tag (repeatable; a key once)', collectTags, {})
    .option('--artifact <file[:path]>', 'upload a file as an artifact, under its name or at path (repeatable)', collect(parseFileArgument), [])
    .addOption(new Option('--end <status>', 'end the run afterwards').choices(['FINISHED', 'FAILED', 'KILLED']))
    .option('--json', 'print the run as JSON')
    .action(async (options: LogOptions) => {
      if ((options.experiment === undefined) === (options.run === undefined))
        throw new Error('give --experiment <name> (new run) or --run <id> (existing run)');
      const api = ctx.api();
      const run = options.run
        ? await api.runs.get(options.run)
        : await api.runs.create({ experimentName: options.experiment, name: options.name, params: options.param, tags: options.tag });
      const toLog = {
        metrics: options.metric,
        params: options.run ? options.param : [],
        tags: options.run ? options.tag : {},
      };
      if (toLog.metrics.length + toLog.params.length + Object.keys(toLog.tags).length > 0) await api.runs.logBatch(run.id, toLog);
      const progress = uploadProgress(ctx.io.stderr, ctx.io.progress);
      try {
        for (const { file, path } of options.artifact) {
          const artifact = await api.artifacts.upload(run.id, path, file, { onProgress: (p) => progress.update(path, p.bytes, p.totalBytes) });
          if (!ctx.io.progress) ctx.note(`uploaded ${path} (${artifact.sizeBytes} bytes, sha256 ${artifact.sha256})`);
        }
      } finally {
        progress.stop();
      }
      const final = options.end ? await api.runs.end(run.id, options.end) : await api.runs.get(run.id);
      if (options.json) return ctx.json(final);
      ctx.out(
        formatTable(
          ['RUN', 'EXPERIMENT', 'STATUS', 'PARAMS', 'METRICS', 'ARTIFACTS'],
          [[final.id, options.experiment ?? final.experimentId, final.status, final.params.length, final.metrics.length, final.artifacts.length]],
        ),
      );
    });

  runs
    .command('search')
    .description('search runs: e.g. "metrics.f1 > 0.9 AND (params.criterion = \'gini\' OR params.maxDepth IN (4, 8))"')
    .argument('[filter]', 'filter expression (all runs when omitted)', '')
    .option('--experiment <name>', 'only runs of this experiment (repeatable)', collect(String), [])
    .option('--order-by <field>', 'e.g. "metrics.f1 DESC" (default: newest first)')
    .option('--limit <n>', 'at most this many runs', parsePositiveInt, 100)
    .option('--json', 'print { runs, nextCursor } as JSON')
    .action(async (filter: string, options: SearchOptions) => {
      const api = ctx.api();
      const experimentIds: string[] = [];
      for (const name of options.experiment) {
        const experiment = await api.experiments.findByName(name);
        if (!experiment) throw new Error(`no experiment named "${name}"`);
        experimentIds.push(experiment.id);
      }
      const result = await api.runs.search({
        filter,
        orderBy: options.orderBy,
        limit: Math.min(options.limit, 1000),
        experimentIds: experimentIds.length > 0 ? experimentIds : undefined,
      });
      if (options.json) return ctx.json(result);
      if (result.runs.length === 0) return ctx.note('no runs match');
      ctx.out(runsTable(result.runs, options.orderBy));
      if (result.nextCursor) ctx.note(`(more runs match: raise --limit or use --json for the cursor)`);
    });
}

/** Run id, name, status, start, then one column per metric (the sorted-by metric first), then params. */
export function runsTable(runs: RunSummaryView[], orderBy?: string): string {
  const sortMetric = /^metrics\.(\S+)/.exec(orderBy ?? '')?.[1];
  const keys = [...new Set(runs.flatMap((run) => run.metrics.map((m) => m.key)))].sort();
  const metricKeys = [...(sortMetric && keys.includes(sortMetric) ? [sortMetric] : []), ...keys.filter((k) => k !== sortMetric)].slice(0, MAX_METRIC_COLUMNS);
  return formatTable(
    ['RUN', 'NAME', 'STATUS', 'CREATED', ...metricKeys, 'PARAMS'],
    runs.map((run) => [
      run.id,
      run.name,
      run.status,
      formatTime(run.createdAt),
      ...metricKeys.map((key) => formatNumber(run.metrics.find((m) => m.key === key)?.value)),
      run.params.map((p) => `${p.key}=${p.value}`).join(' '),
    ]),
  );
}
