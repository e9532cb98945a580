import type { CompareResult } from '@slipway/contracts';
import Link from 'next/link';
import { seriesColor } from '../../lib/chart-data';

export function CompareItemsTable({ items }: { items: CompareResult['items'] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Compared versions and their lineage</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">
              Version
            </th>
            <th scope="col" className="px-3 py-2">
              Status
            </th>
            <th scope="col" className="px-3 py-2">
              Run
            </th>
            <th scope="col" className="px-3 py-2">
              Dataset
            </th>
            <th scope="col" className="px-3 py-2">
              Code
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {items.map((item, index) => (
            <tr key={item.label} data-testid="compare-item">
              <th scope="row" className="whitespace-nowrap px-3 py-2 text-left font-mono font-medium">
                <span aria-hidden="true" className="mr-2 inline-block h-2.5 w-2.5 rounded-full" style={{ backgroundColor: seriesColor(index) }} />
                {item.model ? (
                  <a href={`/models/${encodeURIComponent(item.model)}`} className="text-sky-700 underline-offset-2 hover:underline">
                    {item.label}
                  </a>
                ) : (
                  item.label
                )}
              </th>
              <td className="px-3 py-2">{item.status ?? '—'}</td>
              <td className="px-3 py-2">
                {item.runId ? (
                  <Link href={`/runs/${item.runId}`} data-testid="compare-lineage-link" className="text-sky-700 underline-offset-2 hover:underline">
                    {item.runName || item.runId.slice(0, 8)}
                  </Link>
                ) : (
                  <span className="text-slate-500">no run</span>
                )}
              </td>
              <td className="px-3 py-2 font-mono text-xs" title={item.datasetSha256 ?? undefined}>
                {item.datasetSha256 ? `sha256:${item.datasetSha256.slice(0, 12)}…` : '—'}
              </td>
              <td className="px-3 py-2 font-mono text-xs">{item.codeVersion ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
