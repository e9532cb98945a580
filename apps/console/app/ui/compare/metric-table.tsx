import type { CompareResult } from '@slipway/contracts';
import { formatMetric } from '../../lib/format';

/** One row per metric; the best value (by the metric's goal; ties all count) is highlighted. */
export function MetricTable({ labels, metrics }: { labels: string[]; metrics: CompareResult['metrics'] }) {
  if (metrics.length === 0) return <p className="text-sm text-slate-600">None of these versions has metrics.</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="metric-table">
        <caption className="sr-only">Metrics of each version, best highlighted</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold text-slate-600">
          <tr>
            <th scope="col" className="sticky left-0 bg-slate-50 px-3 py-2 uppercase tracking-wide">
              Metric
            </th>
            {labels.map((label) => (
              <th key={label} scope="col" className="whitespace-nowrap px-3 py-2 text-right font-mono">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {metrics.map((metric) => {
            const best = new Set(metric.best);
            return (
              <tr key={metric.key} data-testid="metric-row" data-metric={metric.key}>
                <th scope="row" className="sticky left-0 whitespace-nowrap bg-white px-3 py-2 text-left font-mono font-medium">
                  {metric.key}
                  <span className="ml-2 font-sans text-xs font-normal text-slate-500">
                    {metric.goal === 'max' ? '↑ higher is better' : '↓ lower is better'}
                  </span>
                </th>
                {metric.values.map((value, index) => {
                  const isBest = value !== null && best.has(index);
                  return (
                    <td
                      key={labels[index]}
                      data-best={isBest}
                      data-item={index}
                      className={`px-3 py-2 text-right font-mono tabular-nums ${isBest ? 'bg-emerald-100 font-semibold text-emerald-900' : ''}`}
                    >
                      {value === null ? <span className="text-slate-500">—</span> : formatMetric(value)}
                      {isBest ? <span className="sr-only"> (best)</span> : null}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
