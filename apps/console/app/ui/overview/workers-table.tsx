import type { WorkerListResponse } from '@slipway/contracts';
import { formatAgo } from '../../lib/format';
import { StatusBadge } from '../common/status-badge';

type Worker = WorkerListResponse['workers'][number];

/** Connected workers first, then the most recently heard from. */
function byConnectedThenHeartbeat(a: Worker, b: Worker): number {
  if (a.connected !== b.connected) return a.connected ? -1 : 1;
  return Date.parse(b.lastHeartbeatAt) - Date.parse(a.lastHeartbeatAt);
}

export function WorkersTable({ workers, nowMs }: { workers: Worker[]; nowMs: number }) {
  if (workers.length === 0) {
    return (
      <p data-testid="workers-empty" className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
        No worker has registered yet. Workers appear here once they connect to the platform&apos;s database and queue.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 whitespace-nowrap text-sm">
        <caption className="sr-only">Workers registered with the platform</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-2">
              Host
            </th>
            <th scope="col" className="px-4 py-2">
              PID
            </th>
            <th scope="col" className="px-4 py-2">
              TF backend
            </th>
            <th scope="col" className="px-4 py-2">
              Device
            </th>
            <th scope="col" className="px-4 py-2">
              Concurrency
            </th>
            <th scope="col" className="px-4 py-2">
              Version
            </th>
            <th scope="col" className="px-4 py-2">
              Last heartbeat
            </th>
            <th scope="col" className="px-4 py-2">
              Status
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {[...workers].sort(byConnectedThenHeartbeat).map((worker) => (
            <tr key={worker.id} data-testid="worker-row" data-worker-id={worker.id} data-connected={worker.connected}>
              <th scope="row" className="px-4 py-2 text-left font-medium text-slate-900">
                {worker.host}
              </th>
              <td className="px-4 py-2 tabular-nums">{worker.pid}</td>
              <td className="px-4 py-2 font-mono" data-testid="worker-tf-backend">
                {worker.tfBackend}
              </td>
              <td className="max-w-xs truncate px-4 py-2" title={worker.device}>
                {worker.device || '—'}
              </td>
              <td className="px-4 py-2 tabular-nums">{worker.concurrency}</td>
              <td className="px-4 py-2 font-mono">{worker.version || '—'}</td>
              <td className="px-4 py-2 whitespace-nowrap">
                <time dateTime={worker.lastHeartbeatAt} title={worker.lastHeartbeatAt}>
                  {formatAgo(worker.lastHeartbeatAt, nowMs)}
                </time>
              </td>
              <td className="px-4 py-2">
                <StatusBadge tone={worker.connected ? 'good' : 'neutral'} label={worker.connected ? 'connected' : 'disconnected'} testId="worker-status" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
