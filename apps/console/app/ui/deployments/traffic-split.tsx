import type { DeploymentRevisionView, DeploymentStatusName, StickyKey } from '@slipway/contracts';
import { trafficSplit } from '../../lib/deployment-view';
import { StatusBadge } from '../common/status-badge';

/** A sticky key as people say it: `the x-customer header`, `the customer input field`. */
export function stickyText(sticky: StickyKey): string {
  return 'header' in sticky ? `the ${sticky.header} header` : `the ${sticky.field} input field`;
}

const shareClasses = { stable: 'bg-sky-700 text-white', canary: 'bg-amber-300 text-slate-900' } as const;

/** The answered traffic as one bar: stable's share, the canary's share; a shadow is named beside it (it answers nothing). */
export function TrafficSplitBar({ revision, compact = false }: { revision: DeploymentRevisionView; compact?: boolean }) {
  const shares = trafficSplit(revision);
  const label = shares.map((s) => `v${s.version} ${s.role} ${s.percent}%`).join(', ');
  return (
    <div className={compact ? 'w-56' : 'w-full'} data-testid="traffic-split">
      <div role="img" aria-label={`Traffic split: ${label}`} className={`flex overflow-hidden rounded-md ${compact ? 'h-5' : 'h-8'} text-xs font-medium`}>
        {shares.map((share) => (
          <div
            key={share.role}
            data-testid={`traffic-${share.role}`}
            data-version={share.version}
            data-percent={share.percent}
            className={`flex items-center justify-center whitespace-nowrap px-1 ${shareClasses[share.role]}`}
            style={{ width: `${share.percent}%` }}
          >
            {share.percent >= (compact ? 25 : 8) ? `v${share.version} ${share.percent}%` : ''}
          </div>
        ))}
      </div>
      <p className="mt-1 text-xs text-slate-700">
        {label}
        {revision.canary?.sticky ? <span data-testid="traffic-sticky">{` (canary sticky by ${stickyText(revision.canary.sticky)})`}</span> : null}
        {revision.shadow ? <span data-testid="traffic-shadow">{`; shadow v${revision.shadow.version} gets a copy of ${revision.shadow.percent}%`}</span> : null}
      </p>
    </div>
  );
}

export function DeploymentStatusBadge({ status }: { status: DeploymentStatusName }) {
  const tone = status === 'ACTIVE' ? 'good' : status === 'DELETED' ? 'bad' : 'neutral';
  return <StatusBadge tone={tone} label={status.toLowerCase().replace('_', ' ')} testId="deployment-status" />;
}
