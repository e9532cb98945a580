import type { SlipwayClient } from '@slipway/client';
import { TUNING_STUDY_STATUSES, type CreateStudyRequestInput, type TuningStudyDetail, type TuningStudyStatus, type TuningStudyView } from '@slipway/contracts';
import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from '../cli-context';
import { CliExit } from '../cli-exit';
import { bestText, progressLine, studyDetails, trialsDone } from '../studies-format';
import { isUuid, resolveDatasetRef } from '../request-file';
import { readStudyFile } from '../studies-file';
import { formatTable, formatTime } from '../table';

/** Exit codes of `studies create --wait`, by how the study ended (130: interrupted, as shells report SIGINT). */
export const STUDY_WAIT_EXIT_CODES = { COMPLETED: 0, FAILED: 1, STOPPED: 2, INTERRUPTED: 130 } as const;

function parseWhole(min: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) throw new InvalidArgumentError(`expected a whole number ≥ ${min}, got "${text}"`);
    return value;
  };
}

function parseStatus(text: string): TuningStudyStatus {
  const status = text.toUpperCase();
  if (!(TUNING_STUDY_STATUSES as readonly string[]).includes(status)) throw new InvalidArgumentError(`expected one of ${TUNING_STUDY_STATUSES.join(', ')}`);
  return status as TuningStudyStatus;
}

/** A study's id as it is; a name through GET /studies/by-name (names are unique). */
async function studyId(api: SlipwayClient, ref: string): Promise<string> {
  return isUuid(ref) ? ref : (await api.studies.getByName(ref)).id;
}

interface CreateOptions {
  file: string;
  name?: string;
  dataset?: string;
  maxTrials?: number;
  start: boolean;
  wait?: boolean;
  json?: boolean;
}

async function buildRequest(api: SlipwayClient, options: CreateOptions): Promise<CreateStudyRequestInput> {
  const { dataset, ...fields } = await readStudyFile(options.file);
  const ref = options.dataset ?? (typeof dataset === 'string' ? dataset : typeof fields['datasetId'] === 'string' ? fields['datasetId'] : undefined);
  if (!ref) throw new Error(`-f ${options.file}: give the dataset (\`dataset: <name or id>\` in the file, or --dataset)`);
  const request: Record<string, unknown> = {
    ...fields,
    datasetId: await resolveDatasetRef(api, ref),
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.maxTrials !== undefined ? { maxTrials: options.maxTrials } : {}),
    ...(options.start === false ? { start: false } : {}),
  };
  // The rest (space, bounds, metric, unknown fields) is the API's to check: it names the field.
  return request as CreateStudyRequestInput;
}

/** What an ended study leaves: the summary on stdout, why it did not complete on stderr. */
function report(ctx: CliContext, study: TuningStudyDetail): void {
  const line = `study ${study.id} "${study.name}" ${study.status}: ${trialsDone(study)}/${study.maxTrials} trials, ${bestText(study)}`;
  if (study.status === 'COMPLETED') ctx.out(line);
  else ctx.note(`${line}${study.error ? `: ${study.error}` : ''}`);
  if (study.best) ctx.out(`best params: ${JSON.stringify(study.best.params)}`);
  if (study.registeredVersion) ctx.out(`registered: ${study.registeredVersion.model} v${study.registeredVersion.version}`);
  else if (study.best) ctx.out(`register it: slipway studies register-best ${study.id} --model <name> [--alias <alias>]`);
}

async function watch(ctx: CliContext, study: TuningStudyView, json: boolean): Promise<never> {
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort(new CliExit(STUDY_WAIT_EXIT_CODES.INTERRUPTED));
  process.once('SIGINT', onSigint);
  let done: TuningStudyDetail;
  let last = '';
  // A trial moving from queued to running changes the study but not what the line says.
  const onProgress = (s: TuningStudyDetail) => {
    const line = progressLine(s);
    if (line !== last) ctx.note(line);
    last = line;
  };
  try {
    done = await ctx.api().studies.waitFor(study.id, { intervalMs: 1000, signal: interrupt.signal, onProgress });
  } catch (error) {
    if (error instanceof CliExit) ctx.note(`stopped watching; study ${study.id} keeps going. Stop it with: slipway studies stop ${study.id}`);
    throw error;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  if (json) ctx.json(done);
  else report(ctx, done);
  throw new CliExit(STUDY_WAIT_EXIT_CODES[done.status as 'COMPLETED' | 'FAILED' | 'STOPPED']);
}

export function registerStudyCommands(program: Command, ctx: CliContext): void {
  const studies = program.command('studies').description('hyper-parameter tuning studies: create (and watch), list, show, stop, resume, register the best');

  studies
    .command('create')
    .description('create a study from a file (the POST /api/v1/studies body; `dataset` may name the dataset) and start it')
    .requiredOption('-f, --file <study.yaml|study.json>', 'the study as YAML or JSON, e.g. examples/studies/breast-cancer-cart.yaml')
    .option('--name <name>', "the study's name (wins over the file)")
    .option('--dataset <id|name>', 'the dataset (wins over the file)')
    .option('--max-trials <n>', 'the trial budget (wins over the file)', parseWhole(1))
    .option('--no-start', 'create it CREATED; start it later with slipway studies start')
    .option('--wait', 'print progress until the study ends; exit 0 COMPLETED, 1 FAILED, 2 STOPPED, 130 interrupted')
    .option('--json', 'print the study as JSON (with --wait: the ended study with its trials)')
    .action(async (options: CreateOptions) => {
      const api = ctx.api();
      const study = await api.studies.create(await buildRequest(api, options));
      if (!options.wait || study.status === 'CREATED') {
        if (options.json) return ctx.json(study);
        ctx.out(
          `study ${study.id} ${study.status}: ${study.name} (${study.algorithm} on ${study.dataset?.name ?? '-'}, ${study.maxTrials} trials, ${study.strategy})`,
        );
        ctx.note(`watch it: slipway studies show ${study.name}`);
        return;
      }
      ctx.note(`study ${study.id} started: ${study.name} (Ctrl-C stops watching, not the study)`);
      await watch(ctx, study, options.json === true);
    });

  studies
    .command('list')
    .description('tuning studies, newest first')
    .option('--status <status>', `only studies in this state (${TUNING_STUDY_STATUSES.join(', ')})`, parseStatus)
    .option('--dataset <id>', 'only studies on this dataset')
    .option('--limit <n>', 'at most this many (default: all)', parseWhole(1))
    .option('--json', 'print the studies as JSON')
    .action(async (options: { status?: TuningStudyStatus; dataset?: string; limit?: number; json?: boolean }) => {
      const list: TuningStudyView[] = [];
      for await (const study of ctx.api().studies.listAll({ status: options.status, datasetId: options.dataset })) {
        list.push(study);
        if (options.limit !== undefined && list.length >= options.limit) break;
      }
      if (options.json) return ctx.json({ studies: list });
      if (list.length === 0) return ctx.note('no studies: slipway studies create -f study.yaml');
      ctx.out(
        formatTable(
          ['ID', 'NAME', 'STATUS', 'ALGORITHM', 'DATASET', 'TRIALS', 'BEST', 'CREATED'],
          list.map((s) => [
            s.id,
            s.name,
            s.status,
            s.algorithm,
            s.dataset?.name,
            `${trialsDone(s)}/${s.maxTrials}`,
            s.best ? bestText(s) : null,
            formatTime(s.createdAt),
          ]),
        ),
      );
    });

  studies
    .command('show')
    .description('one study: status, best trial, parameter importance and every trial (number, state, value, params)')
    .argument('<id|name>', 'study id or name')
    .option('--json', 'print the study with its trials as JSON')
    .action(async (ref: string, options: { json?: boolean }) => {
      const api = ctx.api();
      const study = isUuid(ref) ? await api.studies.get(ref) : await api.studies.getByName(ref);
      if (options.json) return ctx.json(study);
      ctx.out(studyDetails(study));
    });

  studies
    .command('start')
    .description('start a study created with --no-start')
    .argument('<id|name>', 'study id or name')
    .option('--json', 'print the study as JSON')
    .action(async (ref: string, options: { json?: boolean }) => {
      const api = ctx.api();
      const study = await api.studies.start(await studyId(api, ref));
      if (options.json) return ctx.json(study);
      ctx.out(`study ${study.id} ${study.status}: ${study.name}`);
    });

  studies
    .command('stop')
    .description('stop a study: queued trials are cancelled and running ones stopped; it ends STOPPED (resume it later)')
    .argument('<id|name>', 'study id or name')
    .option('--reason <text>', 'why (kept as the study’s note)')
    .option('--json', 'print the study as JSON')
    .action(async (ref: string, options: { reason?: string; json?: boolean }) => {
      const api = ctx.api();
      const study = await api.studies.stop(await studyId(api, ref), options.reason);
      if (options.json) return ctx.json(study);
      if (study.status === 'STOPPED') ctx.out(`study ${study.id} STOPPED`);
      else ctx.out(`study ${study.id} ${study.status}: its trials are being stopped (slipway studies show ${study.name})`);
    });

  studies
    .command('resume')
    .description('resume a STOPPED, FAILED or COMPLETED study (a COMPLETED one needs a higher --max-trials)')
    .argument('<id|name>', 'study id or name')
    .option('--max-trials <n>', 'a new trial budget', parseWhole(1))
    .option('--max-failed-trials <n>', 'a new limit of failed trials (a study FAILED on failures needs a higher one)', parseWhole(0))
    .option('--json', 'print the study as JSON')
    .action(async (ref: string, options: { maxTrials?: number; maxFailedTrials?: number; json?: boolean }) => {
      const api = ctx.api();
      const study = await api.studies.resume(await studyId(api, ref), {
        ...(options.maxTrials !== undefined ? { maxTrials: options.maxTrials } : {}),
        ...(options.maxFailedTrials !== undefined ? { maxFailedTrials: options.maxFailedTrials } : {}),
      });
      if (options.json) return ctx.json(study);
      ctx.out(`study ${study.id} ${study.status}: ${trialsDone(study)}/${study.maxTrials} trials done, at most ${study.maxFailedTrials} may fail`);
    });

  studies
    .command('register-best')
    .description("register the best completed trial's model as the next version of a model, optionally moving an alias onto it")
    .argument('<id|name>', 'study id or name')
    .requiredOption('--model <name>', 'model name (created when missing)')
    .option('--alias <alias>', 'point this alias at the version, e.g. challenger')
    .option('--json', 'print the version as JSON')
    .action(async (ref: string, options: { model: string; alias?: string; json?: boolean }) => {
      const api = ctx.api();
      const version = await api.studies.registerBest(await studyId(api, ref), { model: options.model, ...(options.alias ? { alias: options.alias } : {}) });
      if (options.json) return ctx.json(version);
      const aliases = version.aliases.length > 0 ? ` (aliases: ${version.aliases.join(', ')})` : '';
      ctx.out(`registered: ${version.model} v${version.version} ${version.status}${aliases}`);
    });
}
