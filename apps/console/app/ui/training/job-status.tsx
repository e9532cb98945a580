import type { TrainingJobView } from '@slipway/contracts';
import { jobStatusTone, progressFraction, progressText } from '../../lib/training-view';
import { StatusBadge } from '../common/status-badge';

export function JobStatusBadge({ status, testId = 'job-status' }: { status: TrainingJobView['status']; testId?: string }) {
  return (
    <span data-status={status} data-testid={testId}>
      <StatusBadge tone={jobStatusTone(status)} label={status.toLowerCase()} />
    </span>
  );
}

/** The phase in words and, when the progress tells, a bar; never a percentage the job did not report. */
export function JobProgress({ job }: { job: Pick<TrainingJobView, 'status' | 'progress'> }) {
  const fraction = progressFraction(job);
  const text = progressText(job);
  return (
    <div className="min-w-40" data-testid="job-progress">
      <p className="text-xs text-slate-700">{text}</p>
      {fraction !== null && job.status === 'RUNNING' ? (
        <div
          role="progressbar"
          aria-label="Training progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(fraction * 100)}
          className="mt-1 h-1.5 w-full overflow-hidden rounded-full bg-slate-200"
        >
          <div className="h-full rounded-full bg-sky-600 transition-[width]" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
        </div>
      ) : null}
    </div>
  );
}
