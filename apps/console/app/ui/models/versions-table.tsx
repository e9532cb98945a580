'use client';

import type { MetricValue, VersionStatus } from '@slipway/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { formatDateTime, formatMetric } from '../../lib/format';
import { MAX_COMPARED, MIN_COMPARED, compareHref } from '../../lib/registry-view';
import { AliasBadge } from '../common/alias-badge';
import { StatusBadge } from '../common/status-badge';
import { MetricColumnPicker } from './metric-column-picker';

/** What the versions table needs of a version (the server leaves manifests and curves out). */
export interface VersionRow {
  version: number;
  status: VersionStatus;
  aliases: string[];
  description: string;
  metrics: Record<string, MetricValue>;
  runId: string | null;
  runName: string | null;
  createdAt: string;
  createdBy: string | null;
}

const statusTone = (status: VersionStatus) => (status === 'READY' ? 'good' : status === 'FAILED' ? 'bad' : 'neutral');

export function VersionsTable({
  model,
  rows,
  metricKeys,
  metricColumns,
}: {
  model: string;
  rows: VersionRow[];
  metricKeys: string[];
  metricColumns: string[];
}) {
  const router = useRouter();
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const toggle = (version: number) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(version)) next.delete(version);
      else next.add(version);
      return next;
    });
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.version));
  const count = selected.size;
  const canCompare = count >= MIN_COMPARED && count <= MAX_COMPARED;
  const compare = () => router.push(compareHref([...selected].sort((a, b) => a - b).map((version) => ({ model, version }))));

  if (rows.length === 0) {
    return (
      <p data-testid="versions-empty" className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
        This model has no versions yet.
      </p>
    );
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={compare}
          disabled={!canCompare}
          aria-describedby="compare-hint"
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800 disabled:cursor-not-allowed disabled:opacity-50"
        >
          Compare selected ({count})
        </button>
        <p id="compare-hint" className="text-xs text-slate-600">
          {count > MAX_COMPARED ? `At most ${MAX_COMPARED} versions compare at once.` : `Tick ${MIN_COMPARED} to ${MAX_COMPARED} versions.`}
        </p>
        <div className="ml-auto">
          <MetricColumnPicker available={metricKeys} chosen={metricColumns} />
        </div>
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="versions-table">
          <caption className="sr-only">Versions of {model}</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="w-10 px-3 py-2">
                <input
                  type="checkbox"
                  aria-label="Select all versions"
                  checked={allSelected}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.version)))}
                />
              </th>
              <th scope="col" className="px-3 py-2">
                Version
              </th>
              <th scope="col" className="px-3 py-2">
                Status
              </th>
              <th scope="col" className="px-3 py-2">
                Aliases
              </th>
              {metricColumns.map((key) => (
                <th key={key} scope="col" className="px-3 py-2 text-right font-mono normal-case" data-testid="metric-column">
                  {key}
                </th>
              ))}
              <th scope="col" className="px-3 py-2">
                Run
              </th>
              <th scope="col" className="px-3 py-2">
                Created
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.version} data-testid="version-row" data-version={row.version} className={selected.has(row.version) ? 'bg-sky-50' : undefined}>
                <td className="px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label={`Select version ${row.version}`}
                    checked={selected.has(row.version)}
                    onChange={() => toggle(row.version)}
                  />
                </td>
                <th scope="row" className="px-3 py-2 text-left font-mono font-medium">
                  v{row.version}
                  {row.description ? <p className="max-w-xs truncate font-sans text-xs font-normal text-slate-600">{row.description}</p> : null}
                </th>
                <td className="px-3 py-2">
                  <StatusBadge tone={statusTone(row.status)} label={row.status.toLowerCase().replace('_', ' ')} />
                </td>
                <td className="px-3 py-2" data-testid="version-aliases">
                  <span className="flex flex-wrap gap-1">
                    {row.aliases.map((alias) => (
                      <AliasBadge key={alias} alias={alias} />
                    ))}
                  </span>
                </td>
                {metricColumns.map((key) => (
                  <td key={key} className="px-3 py-2 text-right font-mono tabular-nums" data-metric={key}>
                    {row.metrics[key] === undefined ? <span className="text-slate-500">—</span> : formatMetric(row.metrics[key])}
                  </td>
                ))}
                <td className="px-3 py-2">
                  {row.runId ? (
                    <Link href={`/runs/${row.runId}`} className="text-sky-700 underline-offset-2 hover:underline" data-testid="lineage-link">
                      {row.runName || row.runId.slice(0, 8)}
                    </Link>
                  ) : (
                    <span className="text-slate-500">uploaded</span>
                  )}
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                  <time dateTime={row.createdAt}>{formatDateTime(row.createdAt)}</time>
                  {row.createdBy ? <span className="block text-xs">by {row.createdBy}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
