import { basename } from 'node:path';
import type { ColumnType, DatasetDelimiter, DatasetView } from '@slipway/contracts';
import { datasetFormatOfPath } from '@slipway/client-node';
import type { Command } from 'commander';
import { collect } from '../arguments';
import type { CliContext } from '../cli-context';
import { uploadProgress } from '../progress';
import { formatBytes, formatNumber, formatTable, formatTime } from '../table';

interface UploadOptions {
  name?: string;
  format?: 'csv' | 'parquet' | 'images';
  imageSize?: string;
  target?: string;
  delimiter?: DatasetDelimiter;
  type: string[];
  json?: boolean;
}

/** `--type age=integer` (repeatable) → `{ age: 'integer' }`; the API checks the types and the column names. */
function columnTypesOf(pairs: string[]): Record<string, ColumnType> | undefined {
  if (pairs.length === 0) return undefined;
  const types: Record<string, ColumnType> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    if (at <= 0) throw new Error(`--type ${pair}: expected column=type, e.g. age=integer`);
    types[pair.slice(0, at)] = pair.slice(at + 1) as ColumnType;
  }
  return types;
}

const summary = (d: DatasetView) => [d.id, d.name, d.rows, d.columns.length, d.targetColumn, formatBytes(d.sizeBytes), formatTime(d.createdAt)];

export function registerDatasetCommands(program: Command, ctx: CliContext): void {
  const datasets = program.command('datasets').description('datasets: upload a CSV, Parquet file or zip of images, list, show its profile');

  datasets
    .command('upload')
    .description(
      'upload a CSV, a Parquet file or a zip of class-named folders of PNG/JPEG images (streamed; the same file twice is stored once). The format comes from the extension (.parquet, .zip) unless given',
    )
    .argument('<file>', 'the CSV, Parquet or zip file')
    .option('--name <name>', 'dataset name (default: the file name)')
    .option('--format <csv|parquet|images>', 'the file format (default: from the extension; Parquet is also detected by its content)')
    .option('--image-size <HxWxC>', 'images: the size every image is resized to, e.g. 32x32x3 (channels 1 = grayscale, 3 = RGB)')
    .option('--target <column>', 'the target column')
    .option('--delimiter <comma|semicolon|tab|pipe>', 'the delimiter (default: detected)')
    .option(
      '--type <column=type>',
      'override an inferred column type (repeatable)',
      collect((value: string) => value),
      [],
    )
    .option('--json', 'print the dataset as JSON')
    .action(async (file: string, options: UploadOptions) => {
      if (options.format !== undefined && !['csv', 'parquet', 'images'].includes(options.format))
        throw new Error(`--format ${options.format}: expected csv, parquet or images`);
      const format = options.format ?? datasetFormatOfPath(file);
      if (format === 'images' && options.imageSize === undefined) throw new Error('an image dataset needs --image-size HxWxC, e.g. --image-size 32x32x3');
      const progress = uploadProgress(ctx.io.stderr, ctx.io.progress);
      let dataset: DatasetView;
      try {
        dataset = await ctx.api().datasets.upload(
          file,
          {
            name: options.name ?? basename(file),
            format,
            imageSize: options.imageSize,
            targetColumn: options.target,
            delimiter: options.delimiter,
            columnTypes: columnTypesOf(options.type),
          },
          { onProgress: (p) => progress.update(basename(file), p.bytes, p.totalBytes) },
        );
      } finally {
        progress.stop();
      }
      if (options.json) return ctx.json(dataset);
      if (dataset.format === 'images')
        ctx.out(`dataset ${dataset.id} "${dataset.name}": ${formatNumber(dataset.rows)} images (${options.imageSize}), sha256 ${dataset.sha256}`);
      else
        ctx.out(
          `dataset ${dataset.id} "${dataset.name}" (${dataset.format}): ${formatNumber(dataset.rows)} rows, ${dataset.columns.length} columns, sha256 ${dataset.sha256}`,
        );
    });

  datasets
    .command('list')
    .description('datasets, newest first')
    .option('--search <text>', 'part of the name')
    .option('--json', 'print the datasets as JSON')
    .action(async (options: { search?: string; json?: boolean }) => {
      const list: DatasetView[] = [];
      let cursor: string | undefined;
      do {
        const page = await ctx.api().datasets.list({ search: options.search, limit: 200, cursor });
        list.push(...page.datasets);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      if (options.json) return ctx.json({ datasets: list });
      if (list.length === 0) return ctx.note('no datasets yet: slipway datasets upload <file.csv>');
      ctx.out(formatTable(['ID', 'NAME', 'ROWS', 'COLUMNS', 'TARGET', 'SIZE', 'CREATED'], list.map(summary)));
    });

  datasets
    .command('show')
    .description("a dataset's columns with their profile")
    .argument('<id>', 'dataset id')
    .option('--json', 'print the dataset and its profile as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const api = ctx.api();
      const [dataset, { profile }] = await Promise.all([api.datasets.get(id), api.datasets.profile(id)]);
      if (options.json) return ctx.json({ dataset, profile });
      ctx.out(
        `dataset ${dataset.id} "${dataset.name}" (${dataset.format}): ${formatNumber(dataset.rows)} ${dataset.format === 'images' ? 'images' : 'rows'}, sha256 ${dataset.sha256}`,
      );
      if (dataset.source) ctx.out(`source: ${dataset.source.provenance}`);
      if (profile.images) {
        ctx.out(`image size: ${profile.images.height}x${profile.images.width}x${profile.images.channels}`);
        if (profile.classBalance) ctx.out(`classes: ${profile.classBalance.map((v) => `${v.value}×${v.count}`).join(' ')}`);
        return;
      }
      ctx.out(
        formatTable(
          ['COLUMN', 'TYPE', 'COUNT', 'MISSING', 'DISTINCT', 'MIN', 'MEAN', 'MAX', 'TOP'],
          profile.columns.map((c) => [
            c.name === dataset.targetColumn ? `${c.name} (target)` : c.name,
            c.type,
            c.count,
            c.missing,
            c.distinct === undefined ? null : `${c.distinct}${c.distinctExact === false ? '+' : ''}`,
            c.min ?? null,
            c.mean === undefined ? null : formatNumber(c.mean),
            c.max ?? null,
            c.topValues
              ?.slice(0, 3)
              .map((v) => `${v.value}×${v.count}`)
              .join(' ') ?? null,
          ]),
        ),
      );
      if (profile.classBalance) ctx.out(`class balance: ${profile.classBalance.map((v) => `${v.value}×${v.count}`).join(' ')}`);
    });
}
