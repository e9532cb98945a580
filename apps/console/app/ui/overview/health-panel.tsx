import type { ComponentHealth, HealthResponse } from '@slipway/contracts';
import { formatLatency, formatUptime } from '../../lib/format';
import { StatusBadge } from '../common/status-badge';

const components: { key: keyof HealthResponse['checks']; label: string }[] = [
  { key: 'database', label: 'Database' },
  { key: 'queue', label: 'Job queue' },
  { key: 'objectStore', label: 'Object store' },
];

function ComponentCard({ label, health, testId }: { label: string; health: ComponentHealth; testId: string }) {
  const up = health.status === 'UP';
  return (
    <li data-testid={testId} className="rounded-md border border-slate-100 bg-slate-50 p-3">
      <div className="flex items-center justify-between gap-2">
        <p className="text-sm font-medium text-slate-900">{label}</p>
        <StatusBadge tone={up ? 'good' : 'bad'} label={up ? 'up' : 'down'} testId={`${testId}-status`} />
      </div>
      {health.detail ? <p className="mt-1 break-words text-sm text-slate-600">{health.detail}</p> : null}
      {health.error ? <p className="mt-1 break-words text-sm text-red-700">{health.error}</p> : null}
      <p className="mt-1 text-xs text-slate-600">
        answered in <span className="tabular-nums">{formatLatency(health.latencyMs)}</span>
      </p>
    </li>
  );
}

export function HealthPanel({ health }: { health: HealthResponse }) {
  const ok = health.status === 'OK';
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <StatusBadge tone={ok ? 'good' : 'bad'} label={ok ? 'All systems up' : 'Degraded'} testId="health-status" />
        <p className="text-xs text-slate-600">
          API {health.version} · up {formatUptime(health.uptimeSeconds)}
        </p>
      </div>
      <ul className="mt-3 grid grid-cols-1 gap-3 md:grid-cols-3">
        {components.map(({ key, label }) => (
          <ComponentCard key={key} label={label} health={health.checks[key]} testId={`health-${key}`} />
        ))}
      </ul>
    </div>
  );
}
