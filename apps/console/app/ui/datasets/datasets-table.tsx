import type { DatasetView } from '@slipway/contracts';
import Link from 'next/link';
import { formatBytes, formatCount, formatDateTime } from '../../lib/format';
import { shortSha } from '../../lib/dataset-view';

export function DatasetsTable({ datasets, filtered, nextHref }: { datasets: DatasetView[]; filtered: boolean; nextHref?: string }) {
  if (datasets.length === 0) {
    return (
      <p data-testid="datasets-empty" className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
        {filtered ? 'No dataset matches this search.' : 'No dataset yet. Add a built-in sample or upload a file and it appears here.'}
      </p>
    );
  }
  return (
    <>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Datasets, newest first</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">
                Name
              </th>
              <th scope="col" className="px-4 py-2">
                Format
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Rows
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Columns
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Size
              </th>
              <th scope="col" className="px-4 py-2">
                Target
              </th>
              <th scope="col" className="px-4 py-2">
                sha256
              </th>
              <th scope="col" className="px-4 py-2">
                Created
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {datasets.map((dataset) => (
              <tr key={dataset.id} data-testid="dataset-row" data-dataset-id={dataset.id} data-dataset={dataset.name}>
                <th scope="row" className="px-4 py-2 text-left font-medium">
                  <Link href={`/datasets/${dataset.id}`} className="text-sky-700 underline-offset-2 hover:underline">
                    {dataset.name}
                  </Link>
                  {dataset.source ? <p className="text-xs font-normal text-slate-600">built-in sample {dataset.source.sample}</p> : null}
                </th>
                <td className="px-4 py-2 font-mono text-xs">{dataset.format}</td>
                <td className="px-4 py-2 text-right tabular-nums">{formatCount(dataset.rows)}</td>
                <td className="px-4 py-2 text-right tabular-nums">{formatCount(dataset.columns.length)}</td>
                <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums">{formatBytes(dataset.sizeBytes)}</td>
                <td className="px-4 py-2 font-mono text-xs">{dataset.targetColumn ?? <span className="font-sans text-slate-500">—</span>}</td>
                <td className="px-4 py-2 font-mono text-xs" title={dataset.sha256}>
                  {shortSha(dataset.sha256)}
                </td>
                <td className="whitespace-nowrap px-4 py-2 text-slate-600">
                  <time dateTime={dataset.createdAt}>{formatDateTime(dataset.createdAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nextHref ? (
        <p className="mt-3">
          <Link href={nextHref} className="text-sm font-medium text-sky-700 underline">
            Next page
          </Link>
        </p>
      ) : null}
    </>
  );
}
