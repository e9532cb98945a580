import { readFile } from 'node:fs/promises';
import { DEFAULT_SERVING_URL } from '@slipway/client';
import type { PredictResponse } from '@slipway/contracts';
import type { Command } from 'commander';
import { collectTags } from '../arguments';
import type { CliContext } from '../cli-context';
import { parseRows } from '../deploy-arguments';
import { formatNumber, formatTable } from '../table';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** One row per input: the prediction and, for classifiers, the probability of each label. */
export function predictionTable(answer: PredictResponse): string {
  const labels = answer.probabilities?.labels ?? [];
  return formatTable(
    ['ROW', 'PREDICTION', ...labels.map((label) => `P(${String(label)})`)],
    answer.predictions.map((prediction, i) => [
      i,
      typeof prediction === 'number' ? formatNumber(prediction) : String(prediction),
      ...(answer.probabilities?.values[i] ?? []).map((p) => formatNumber(p)),
    ]),
  );
}

export function registerPredictCommand(program: Command, ctx: CliContext): void {
  program
    .command('predict')
    .description('predictions from a deployment, from the serving process; says which version answered')
    .argument('<deployment>', 'deployment name')
    .requiredOption('-f, --file <rows.json|->', 'a JSON array of rows (values in column order, or named columns), or { "inputs": [...] }; - reads stdin')
    .option('--serving-url <url>', `the serving process (default: SLIPWAY_SERVING_URL, else ${DEFAULT_SERVING_URL})`)
    .option('--no-probabilities', 'predictions only, no class probabilities')
    .option('--header <name=value>', 'a request header, e.g. the one a sticky canary hashes: --header x-user=42 (repeatable)', collectTags, {})
    .option('--request-id <id>', 'sent as x-request-id (feedback names predictions by it)')
    .option('--json', 'print the serving answer as JSON')
    .action(
      async (
        deployment: string,
        options: { file: string; servingUrl?: string; probabilities: boolean; header: Record<string, string>; requestId?: string; json?: boolean },
      ) => {
        let text: string;
        if (options.file === '-') text = await readAll(ctx.io.stdin ?? process.stdin);
        else {
          try {
            text = await readFile(options.file, 'utf8');
          } catch (error) {
            throw new Error(`-f ${options.file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
          }
        }
        const rows = parseRows(text, options.file === '-' ? 'stdin' : options.file);
        const servingUrl = options.servingUrl ?? (ctx.io.env.SLIPWAY_SERVING_URL || DEFAULT_SERVING_URL);
        // Serving needs no token: the client is built here rather than from the stored login, which predict does not require.
        const answer = await ctx.serving().predict(deployment, rows, {
          servingUrl,
          probabilities: options.probabilities,
          headers: options.header,
          ...(options.requestId !== undefined ? { requestId: options.requestId } : {}),
        });
        if (options.json) return ctx.json(answer);
        ctx.out(
          `${answer.deployment} revision ${answer.revision}: ${answer.model} version ${answer.version} (${answer.role}) answered ${answer.predictions.length} row(s), request ${answer.requestId}`,
        );
        ctx.io.stdout.write(predictionTable(answer));
      },
    );
}
