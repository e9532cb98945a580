import type { CompareResult, ModelView, VersionView } from '@slipway/contracts';
import type { Command } from 'commander';
import { collect, parseFileArgument, parseVersionArgument } from '../arguments';
import type { CliContext } from '../cli-context';
import { uploadProgress } from '../progress';
import { formatBytes, formatNumber, formatTable, formatTime } from '../table';

interface RegisterOptions {
  run?: string;
  artifactPath?: string;
  file: { file: string; path: string }[];
  alias?: string;
  description?: string;
  json?: boolean;
}

export function registerModelCommands(program: Command, ctx: CliContext): void {
  const models = program.command('models').description('the model registry: list, register versions, compare');

  models
    .command('list')
    .description('every model with its latest version and aliases')
    .option('--search <text>', 'part of the name')
    .option('--json', 'print the models as JSON')
    .action(async (options: { search?: string; json?: boolean }) => {
      const list: ModelView[] = [];
      for await (const model of ctx.api().models.listAll({ search: options.search })) list.push(model);
      if (options.json) return ctx.json({ models: list });
      if (list.length === 0) return ctx.note('no models yet: slipway models register <model> …');
      ctx.out(
        formatTable(
          ['MODEL', 'VERSIONS', 'LATEST', 'ALIASES', 'UPDATED'],
          list.map((m) => [
            m.name,
            m.versionCount,
            m.latestVersion ? `${m.latestVersion.version} (${m.latestVersion.status})` : null,
            m.aliases.map((a) => `${a.alias}→${a.version}`).join(' '),
            formatTime(m.updatedAt),
          ]),
        ),
      );
    });

  models
    .command('register')
    .description('register the next version of a model (created if missing): from a run artifact, or by uploading files')
    .argument('<model>', 'model name')
    .option('--run <id>', 'the run the version comes from')
    .option('--artifact-path <path>', "the run's artifact (file or folder) to register; needs --run")
    .option('--file <file[:path]>', 'upload a file into the version, under its name or at path (repeatable)', collect(parseFileArgument), [])
    .option('--alias <alias>', 'point this alias at the new version, e.g. challenger')
    .option('--description <text>', 'version description')
    .option('--json', 'print the version as JSON')
    .action(async (model: string, options: RegisterOptions) => {
      const fromRun = options.artifactPath !== undefined;
      if (fromRun === options.file.length > 0) throw new Error('give either --run <id> --artifact-path <path>, or --file <file> (one or more)');
      if (fromRun && !options.run) throw new Error('--artifact-path needs --run <id>');
      const api = ctx.api();
      let version: VersionView;
      if (fromRun) {
        version = await api.versions.registerFromRun(model, {
          runId: options.run as string,
          artifactPath: options.artifactPath as string,
          description: options.description,
        });
      } else {
        const progress = uploadProgress(ctx.io.stderr, ctx.io.progress);
        try {
          version = await api.versions.registerFiles(
            model,
            options.file.map(({ file, path }) => ({ path, source: file })),
            { runId: options.run, description: options.description, onProgress: (file, p) => progress.update(file, p.bytes, p.totalBytes) },
          );
        } finally {
          progress.stop();
        }
      }
      if (options.alias) {
        await api.aliases.set(model, options.alias, version.version);
        version = await api.versions.get(model, version.version);
      }
      if (options.json) return ctx.json(version);
      ctx.out(
        formatTable(
          ['MODEL', 'VERSION', 'STATUS', 'FILES', 'SIZE', 'SHA256', 'ALIASES'],
          [
            [
              version.model,
              version.version,
              version.status,
              version.files?.length ?? 0,
              formatBytes(version.sizeBytes),
              version.sha256?.slice(0, 12),
              version.aliases.join(' '),
            ],
          ],
        ),
      );
    });

  models
    .command('compare')
    .description('compare versions side by side: params (differences marked *) and metrics (best marked *)')
    .argument('<versions...>', 'two or more <model>:<version>, e.g. fraud:3 fraud:5')
    .option('--json', 'print the comparison as JSON')
    .action(async (refs: string[], options: { json?: boolean }) => {
      const versions = refs.map(parseVersionArgument);
      const result = await ctx.api().compare({ versions });
      if (options.json) return ctx.json(result);
      ctx.out(compareTable(result));
    });
}

/** Rows: run lineage, then params (`*` where versions differ), then metrics (`*` on the best). */
export function compareTable(result: CompareResult): string {
  const labels = result.items.map((item) => item.label);
  const rows: (string | null)[][] = [
    ['run', ...result.items.map((item) => item.runName || item.runId)],
    ...result.params.map((p) => [`${p.differs ? '* ' : '  '}params.${p.key}`, ...p.values]),
    ...result.metrics.map((m) => [
      `  metrics.${m.key} (${m.goal})`,
      ...m.values.map((v, i) => (v === null ? null : `${formatNumber(v)}${m.best.includes(i) ? ' *' : ''}`)),
    ]),
  ];
  return formatTable(['', ...labels], rows);
}
