import {
  metricValueSchema,
  TERMINAL_TRAINING_JOB_STATUSES,
  trainingJobSchema,
  type MetricValue,
  type TrainingJobStatus,
  type TrainingJobView,
} from '@slipway/contracts';
import { z } from 'zod';

/**
 * What the training pages show, computed from a job and its run's metric histories: shared by the server render
 * and the browser's polls (the console route `/api/training/jobs/<id>` answers `trainingJobPageSchema`).
 */

const historySchema = z.object({ key: z.string(), points: z.array(z.object({ step: z.number().int(), value: metricValueSchema })) });
export type ProgressHistory = z.infer<typeof historySchema>;

export const trainingJobPageSchema = z.object({
  job: trainingJobSchema,
  /** `epoch/*` and `fold/*` metric histories of the current attempt's run. */
  histories: z.array(historySchema),
  /** Why the run's metrics could not be read (the job itself could); null when they were. */
  runFailure: z.string().nullable(),
});
export type TrainingJobPage = z.infer<typeof trainingJobPageSchema>;

export function isActiveJob(status: TrainingJobStatus): boolean {
  return !TERMINAL_TRAINING_JOB_STATUSES.includes(status);
}

export type StatusTone = 'good' | 'bad' | 'neutral';

export function jobStatusTone(status: TrainingJobStatus): StatusTone {
  return status === 'SUCCEEDED' ? 'good' : status === 'FAILED' ? 'bad' : 'neutral';
}

/** "epoch 3/50 · fold 2/5 · training": where a job is, from its last progress event. */
export function progressText(job: Pick<TrainingJobView, 'status' | 'progress'>): string {
  const p = job.progress;
  if (job.status === 'QUEUED') return 'waiting for a worker';
  // An ended job's last progress event is history: say how it ended, and where for a stop part-way.
  if (job.status === 'SUCCEEDED') return 'finished';
  if (job.status === 'FAILED' || job.status === 'CANCELLED') return `${job.status === 'FAILED' ? 'failed' : 'cancelled'}${p ? ` while ${p.phase}` : ''}`;
  if (!p) return 'starting';
  const parts: string[] = [];
  if (p.folds !== null) parts.push(p.fold === null ? `final fit after ${p.folds} folds` : `fold ${p.fold}/${p.folds}`);
  if (p.epochs !== null && p.epoch !== null) parts.push(`epoch ${p.epoch}/${p.epochs}`);
  parts.push(p.phase);
  return parts.join(' · ');
}

/**
 * Share of the work done, 0..1, when the progress says enough to tell (folds and epochs); null otherwise, so the
 * page shows a phase instead of a made-up percentage.
 */
export function progressFraction(job: Pick<TrainingJobView, 'status' | 'progress'>): number | null {
  if (job.status === 'SUCCEEDED') return 1;
  const p = job.progress;
  if (!p || job.status !== 'RUNNING') return null;
  const epochShare = p.epochs !== null && p.epoch !== null && p.epochs > 0 ? Math.min(1, p.epoch / p.epochs) : null;
  if (p.folds !== null) {
    // k folds then the final fit: k + 1 fits of equal size.
    const fitsDone = p.fold === null ? p.folds : p.fold - 1;
    const within = epochShare ?? 0;
    return Math.min(1, (fitsDone + within) / (p.folds + 1));
  }
  return epochShare;
}

export interface EpochChart {
  /** The metric without `val_`: `loss` charts `epoch/loss` and `epoch/val_loss` together. */
  title: string;
  series: { name: string; points: { step: number; value: MetricValue }[] }[];
}

/** Per-epoch metrics as charts: a metric and its validation counterpart share one chart. */
export function epochCharts(histories: readonly ProgressHistory[]): EpochChart[] {
  const charts = new Map<string, EpochChart>();
  for (const history of histories) {
    if (!history.key.startsWith('epoch/')) continue;
    const name = history.key.slice('epoch/'.length);
    const title = name.startsWith('val_') ? name.slice('val_'.length) : name;
    let chart = charts.get(title);
    if (!chart) {
      chart = { title, series: [] };
      charts.set(title, chart);
    }
    chart.series.push({ name: history.key, points: history.points.map((p) => ({ step: p.step, value: p.value })) });
  }
  for (const chart of charts.values()) chart.series.sort((a, b) => a.name.length - b.name.length || a.name.localeCompare(b.name));
  return [...charts.values()];
}

export interface FoldTable {
  metrics: string[];
  /** One row per fold that has reported, in fold order. */
  rows: { fold: number; values: Record<string, MetricValue> }[];
}

/**
 * Folds as they finish, from the run's `fold/<metric>` histories (step = fold number): what the page shows while
 * a k-fold job runs, before the evaluation holds every fold.
 */
export function foldTableFromHistories(histories: readonly ProgressHistory[]): FoldTable {
  const metrics: string[] = [];
  const rows = new Map<number, Record<string, MetricValue>>();
  for (const history of histories) {
    if (!history.key.startsWith('fold/')) continue;
    const metric = history.key.slice('fold/'.length);
    metrics.push(metric);
    for (const point of history.points) {
      let row = rows.get(point.step);
      if (!row) {
        row = {};
        rows.set(point.step, row);
      }
      row[metric] = point.value;
    }
  }
  return {
    metrics: metrics.sort(),
    rows: [...rows.entries()].sort(([a], [b]) => a - b).map(([fold, values]) => ({ fold, values })),
  };
}

/** Milliseconds as "850 ms", "12.3 s", "4 min 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
}
