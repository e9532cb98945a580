import { formatStat, quantileEntries, type ColumnProfile } from '../../lib/dataset-view';
import { formatCount } from '../../lib/format';

/** One row per column: its type and the profile's statistics (numbers get moments and quantiles). */
export function ColumnsTable({ columns, target }: { columns: ColumnProfile[]; target: string | null }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="columns-table">
        <caption className="sr-only">Columns and their statistics</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            {['Column', 'Type', 'Count', 'Missing', 'Distinct', 'Min', 'Max', 'Mean', 'Std', 'Quantiles'].map((label, index) => (
              <th key={label} scope="col" className={`px-3 py-2 ${index >= 2 && index <= 8 ? 'text-right' : ''}`}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {columns.map((column) => (
            <tr key={column.name} data-testid="column-row" data-column={column.name} data-type={column.type}>
              <th scope="row" className="px-3 py-1.5 text-left font-mono font-medium">
                {column.name}
                {column.name === target ? (
                  <span className="ml-2 rounded bg-emerald-50 px-1.5 py-0.5 font-sans text-xs font-medium text-emerald-800 ring-1 ring-emerald-600/30">
                    target
                  </span>
                ) : null}
              </th>
              <td className="px-3 py-1.5 font-mono text-xs" data-testid="column-type">
                {column.type}
              </td>
              <td className="px-3 py-1.5 text-right tabular-nums">{formatCount(column.count)}</td>
              <td className={`px-3 py-1.5 text-right tabular-nums ${column.missing > 0 ? 'text-amber-800' : ''}`}>{formatCount(column.missing)}</td>
              <td className="px-3 py-1.5 text-right tabular-nums">
                {column.distinct === undefined ? '—' : `${formatCount(column.distinct)}${column.distinctExact === false ? '+' : ''}`}
              </td>
              <td className="px-3 py-1.5 text-right tabular-nums">{formatStat(column.min)}</td>
              <td className="px-3 py-1.5 text-right tabular-nums">{formatStat(column.max)}</td>
              <td className="px-3 py-1.5 text-right tabular-nums">{formatStat(column.mean)}</td>
              <td className="px-3 py-1.5 text-right tabular-nums">{formatStat(column.std)}</td>
              <td className="whitespace-nowrap px-3 py-1.5 text-xs tabular-nums text-slate-700">
                {quantileEntries(column.quantiles)
                  .map((q) => `${q.label} ${formatStat(q.value)}`)
                  .join(' · ') || '—'}
                {column.sampled ? <span className="ml-1 text-slate-500">(sampled)</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
