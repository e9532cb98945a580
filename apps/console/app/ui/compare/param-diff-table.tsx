import type { CompareResult } from '@slipway/contracts';

/** One row per parameter, one column per version; rows whose values differ are marked. */
export function ParamDiffTable({ labels, params }: { labels: string[]; params: CompareResult['params'] }) {
  if (params.length === 0) return <p className="text-sm text-slate-600">None of these versions has parameters.</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="param-diff-table">
        <caption className="sr-only">Parameters of each version; rows that differ are marked</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold text-slate-600">
          <tr>
            <th scope="col" className="sticky left-0 bg-slate-50 px-3 py-2 uppercase tracking-wide">
              Parameter
            </th>
            {labels.map((label) => (
              <th key={label} scope="col" className="whitespace-nowrap px-3 py-2 font-mono">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {params.map((param) => (
            <tr
              key={param.key}
              data-testid="param-row"
              data-param={param.key}
              data-differs={param.differs}
              className={param.differs ? 'bg-amber-50' : undefined}
            >
              <th
                scope="row"
                className={`sticky left-0 whitespace-nowrap px-3 py-2 text-left font-mono font-medium ${param.differs ? 'border-l-4 border-amber-500 bg-amber-50' : 'border-l-4 border-transparent bg-white'}`}
              >
                {param.key}
                {param.differs ? (
                  <span className="ml-2 rounded bg-amber-200 px-1 font-sans text-[10px] font-semibold uppercase text-amber-900" data-testid="param-differs">
                    differs
                  </span>
                ) : null}
              </th>
              {param.values.map((value, index) => (
                <td key={labels[index]} className="max-w-xs truncate px-3 py-2 font-mono" title={value ?? undefined}>
                  {value ?? <span className="text-slate-500">—</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
