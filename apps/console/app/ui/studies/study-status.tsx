import type { TuningStudyView, TuningTrialStatus } from '@slipway/contracts';
import { studyProgressFraction, studyStatusTone, trialsDone, trialStatusTone } from '../../lib/studies/study-view';
import { StatusBadge } from '../common/status-badge';

export function StudyStatusBadge({ status, testId = 'study-status' }: { status: TuningStudyView['status']; testId?: string }) {
  return (
    <span data-status={status} data-testid={testId}>
      <StatusBadge tone={studyStatusTone(status)} label={status.toLowerCase()} />
    </span>
  );
}

export function TrialStatusBadge({ status }: { status: TuningTrialStatus }) {
  return (
    <span data-status={status} data-testid="trial-status">
      <StatusBadge tone={trialStatusTone(status)} label={status.toLowerCase()} />
    </span>
  );
}

/** Trials done out of the budget, with the running ones, and a bar of the budget used. */
export function StudyProgress({ study }: { study: Pick<TuningStudyView, 'counts' | 'maxTrials' | 'name'> }) {
  const done = trialsDone(study.counts);
  const fraction = studyProgressFraction(study);
  return (
    <div className="min-w-40" data-testid="study-progress" data-done={done} data-max={study.maxTrials}>
      <p className="text-xs text-slate-700 tabular-nums">
        {done}/{study.maxTrials} trials{study.counts.running > 0 ? `, ${study.counts.running} running` : ''}
      </p>
      <div
        role="progressbar"
        aria-label={`Trials done of ${study.name}`}
        aria-valuemin={0}
        aria-valuemax={study.maxTrials}
        aria-valuenow={done}
        className="mt-1 h-1.5 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full rounded-full bg-sky-600 transition-[width]" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
      </div>
    </div>
  );
}
