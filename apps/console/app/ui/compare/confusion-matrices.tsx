import type { Evaluation } from '@slipway/contracts';
import { formatMetric } from '../../lib/format';
import { seriesColor } from '../../lib/chart-data';

type Matrix = NonNullable<Evaluation['confusionMatrix']>;

/** Beyond this many classes a table stops being readable. */
const MAX_CLASSES = 40;

export function ConfusionMatrices({ labels, matrices }: { labels: string[]; matrices: (Matrix | null)[] }) {
  if (matrices.every((m) => m === null)) return <p className="text-sm text-slate-600">None of these versions stored a confusion matrix with its evaluation.</p>;
  return (
    <ul className="flex flex-wrap gap-4">
      {matrices.map((matrix, index) => (
        <li key={labels[index]} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-testid="confusion-matrix">
          <h3 className="mb-2 flex items-center gap-2 font-mono text-sm font-semibold">
            <span aria-hidden="true" className="inline-block h-2.5 w-2.5 rounded-full" style={{ backgroundColor: seriesColor(index) }} />
            {labels[index]}
          </h3>
          {matrix === null ? (
            <p className="text-xs text-slate-600">No confusion matrix stored.</p>
          ) : matrix.labels.length > MAX_CLASSES ? (
            <p className="text-xs text-slate-600">{matrix.labels.length} classes: too many to show as a table.</p>
          ) : (
            <HeatMap matrix={matrix} caption={`Confusion matrix of ${labels[index]}`} />
          )}
        </li>
      ))}
    </ul>
  );
}

function HeatMap({ matrix, caption }: { matrix: Matrix; caption: string }) {
  const max = Math.max(1, ...matrix.matrix.flat());
  return (
    <table className="border-collapse text-xs">
      <caption className="sr-only">{caption}: rows actual, columns predicted</caption>
      <thead>
        <tr>
          <th scope="col" className="px-1 py-0.5 text-left font-normal text-slate-500">
            actual ↓ predicted →
          </th>
          {matrix.labels.map((label) => (
            <th key={label} scope="col" className="px-2 py-0.5 font-mono font-medium">
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.matrix.map((row, r) => (
          <tr key={matrix.labels[r]}>
            <th scope="row" className="px-2 py-0.5 text-right font-mono font-medium">
              {matrix.labels[r]}
            </th>
            {row.map((count, c) => {
              const share = count / max;
              return (
                <td
                  key={matrix.labels[c]}
                  data-share={share.toFixed(3)}
                  className={`h-9 min-w-9 border border-white px-2 text-center font-mono tabular-nums text-slate-900 ${r === c ? 'font-semibold' : ''}`}
                  // Capped at 55% so dark text stays readable (WCAG AA) on the darkest cell.
                  style={{ backgroundColor: `rgba(37, 99, 235, ${(0.04 + 0.51 * share).toFixed(3)})` }}
                >
                  {formatMetric(count)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
