import type { Writable } from 'node:stream';
import type { TrainingJobView, TrainingProgressView } from '@slipway/contracts';
import { MultiBar, type SingleBar } from 'cli-progress';
import { write } from './cli-io';
import { formatNumber } from './table';

/** The metric a fold line shows: the task's primary one when the progress carries it. */
const FOLD_METRICS = ['accuracy', 'r2', 'silhouette', 'f1_macro', 'rmse', 'inertia'];
const EPOCH_METRICS = ['loss', 'val_loss'];

function pick(metrics: Record<string, number>, preferred: string[], count: number): [string, number][] {
  const names = [...preferred.filter((name) => name in metrics), ...Object.keys(metrics).filter((name) => !preferred.includes(name))];
  return names.slice(0, count).map((name) => [name, metrics[name]]);
}

const metricText = (metrics: [string, number][]) => metrics.map(([name, value]) => `${name} ${formatNumber(value)}`).join('  ');

/** Where a progress report is: folds finished (fold events carry the fold that ended; epoch events the one training). */
export function progressParts(progress: TrainingProgressView): {
  fold: { done: number; total: number; metric: string } | null;
  epoch: { epoch: number; epochs: number; fold: number | null; metric: string } | null;
} {
  const inEpoch = progress.epoch !== null && progress.epochs !== null;
  const fold =
    progress.folds !== null
      ? {
          done: progress.fold === null ? progress.folds : inEpoch ? progress.fold - 1 : progress.fold,
          total: progress.folds,
          metric: inEpoch ? '' : metricText(pick(progress.metrics, FOLD_METRICS, 1)),
        }
      : null;
  const epoch = inEpoch
    ? { epoch: progress.epoch as number, epochs: progress.epochs as number, fold: progress.fold, metric: metricText(pick(progress.metrics, EPOCH_METRICS, 2)) }
    : null;
  return { fold, epoch };
}

export interface JobProgress {
  update(job: TrainingJobView): void;
  stop(): void;
}

function statusLine(job: TrainingJobView): string {
  if (job.status === 'RUNNING') {
    const attempt = job.attempts > 1 ? ` (attempt ${job.attempts}/${job.maxAttempts})` : '';
    return `job ${job.id} RUNNING on ${job.workerId ?? 'a worker'}${attempt}`;
  }
  return `job ${job.id} ${job.status}`;
}

/**
 * Live progress of a training job on stderr (stdout stays for the summary and JSON). On a terminal: a bar per
 * fold (k/n with the fold metric) and per epoch (x/y with the loss) under the job's status and phase. Elsewhere
 * (CI, a pipe): one line per change of status, phase and fold, and the epochs of each fit about every tenth.
 */
export function jobProgress(stream: Writable, terminal: boolean, options: { noTTYOutput?: boolean } = {}): JobProgress {
  let status = '';
  let phase = '';
  let foldSeen = -1;
  let epochLine = '';
  let multi: MultiBar | undefined;
  let foldBar: SingleBar | undefined;
  let epochBar: SingleBar | undefined;

  const bars = () =>
    (multi ??= new MultiBar({
      stream: stream as unknown as NodeJS.WriteStream,
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
      noTTYOutput: options.noTTYOutput ?? false,
      format: '{label} [{bar}] {value}/{total} {metric}',
    }));
  const say = (text: string) => (multi ? multi.log(`${text}\n`) : write(stream, text));

  return {
    update(job) {
      const line = statusLine(job);
      if (line !== status) {
        status = line;
        say(line);
      }
      const progress = job.progress;
      if (!progress || job.status !== 'RUNNING') return;
      if (progress.phase !== phase) {
        phase = progress.phase;
        say(`phase: ${phase}`);
      }
      const { fold, epoch } = progressParts(progress);
      if (terminal) {
        if (fold) {
          foldBar ??= bars().create(fold.total, 0, { label: 'folds ', metric: '' });
          foldBar.setTotal(fold.total);
          foldBar.update(fold.done, fold.metric ? { metric: fold.metric } : {});
        }
        if (epoch) {
          const label = epoch.fold === null ? 'epochs' : `fold ${epoch.fold}`;
          epochBar ??= bars().create(epoch.epochs, 0, { label, metric: '' });
          epochBar.setTotal(epoch.epochs);
          epochBar.update(epoch.epoch, { label, metric: epoch.metric });
        }
        return;
      }
      if (fold && !epoch && fold.done !== foldSeen) {
        foldSeen = fold.done;
        say(`fold ${fold.done}/${fold.total}${fold.metric ? `  ${fold.metric} (mean so far)` : ''}`);
      }
      if (epoch) {
        const every = Math.max(1, Math.ceil(epoch.epochs / 10));
        const text = `${epoch.fold === null ? 'final fit' : `fold ${epoch.fold}`} epoch ${epoch.epoch}/${epoch.epochs}  ${epoch.metric}`.trimEnd();
        if ((epoch.epoch % every === 0 || epoch.epoch === epoch.epochs || epoch.epoch === 1) && text !== epochLine) {
          epochLine = text;
          say(text);
        }
      }
    },
    stop() {
      // MultiBar.stop() draws the bars but drops lines logged since the last redraw (the final status): redraw first.
      multi?.update();
      multi?.stop();
      multi = undefined;
    },
  };
}
