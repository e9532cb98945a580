/**
 * Benchmark runner: `npm run bench [-- filter]`. Imports every tools/bench/src/*.bench.ts (each exports
 * `run: BenchSuite`), prints one table and writes all figures as JSON to dist/bench/results.json and stdout.
 *
 * Filter: a module runs when its file name contains the filter, or the filter starts with the module's name
 * (`classic.kmeans`), or it lists a figure containing the filter in an exported `figureNames`. The filter is
 * also passed to modules as BENCH_FILTER so they can skip work, and figures not matching it are dropped
 * (unless the whole module was selected by name).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchFigure, BenchSuite } from './src/bench-types';

interface BenchModule {
  run: BenchSuite;
  figureNames?: readonly string[];
}

const root = resolve(__dirname, '..', '..');
const srcDir = join(__dirname, 'src');

function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  return abs >= 1000 || abs < 0.001 ? v.toExponential(3) : v.toPrecision(4);
}

function table(figures: BenchFigure[]): string {
  const rows = figures.map((f) => [
    f.name,
    `${formatNumber(f.value)} ${f.unit}`,
    f.reference ? `${f.reference.name}: ${formatNumber(f.reference.value)} ${f.unit}` : '—',
    f.ratio === null ? '—' : `${formatNumber(f.ratio)}×`,
    f.target ?? '',
    f.met === undefined ? '' : f.met === null ? 'n/a' : f.met ? 'met' : 'MISSED',
  ]);
  const header = ['figure', 'slipway', 'reference', 'ratio', 'target', 'status'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const filter = (process.argv[2] ?? '').trim();
  if (filter) process.env.BENCH_FILTER = filter;
  const files = readdirSync(srcDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const figures: BenchFigure[] = [];
  for (const file of files) {
    const name = basename(file, '.bench.ts');
    const mod = (await import(pathToFileURL(join(srcDir, file)).href)) as BenchModule;
    if (typeof mod.run !== 'function') throw new Error(`${file} does not export run: BenchSuite`);
    const byName = !filter || name.includes(filter) || filter.startsWith(`${name}.`) || filter === name;
    const byFigure = !!filter && (mod.figureNames ?? []).some((f) => f.includes(filter));
    if (!byName && !byFigure) continue;
    process.stderr.write(`[bench] running ${file}\n`);
    const result = await mod.run();
    figures.push(...(byName && !byFigure ? result : result.filter((f) => f.name.includes(filter))));
  }
  const output = { date: new Date().toISOString(), node: process.version, filter: filter || null, figures };
  const outDir = join(root, 'dist', 'bench');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'results.json'), JSON.stringify(output, null, 2) + '\n');
  process.stderr.write('\n' + table(figures) + '\n\n');
  process.stdout.write(JSON.stringify(output, null, 2) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
