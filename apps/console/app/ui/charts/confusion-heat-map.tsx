import { formatMetric } from '../../lib/format';

/** A confusion matrix as stored with an evaluation: counts matrix[actual][predicted] in `labels` order. */
export interface ConfusionMatrixData {
  labels: string[];
  matrix: number[][];
}

/** Beyond this many classes a table stops being readable. */
export const MAX_CONFUSION_CLASSES = 40;

/**
 * The matrix as a heat-map table (rows actual, columns predicted), shared by the training job page and the
 * registry's compare page. Cell shade is the count's share of the largest count.
 */
export function ConfusionHeatMapTable({ matrix, caption, testId }: { matrix: ConfusionMatrixData; caption: string; testId?: string }) {
  const max = Math.max(1, ...matrix.matrix.flat());
  return (
    <table className="border-collapse text-xs" data-testid={testId}>
      <caption className="sr-only">{caption}: rows are the actual class, columns the predicted class</caption>
      <thead>
        <tr>
          <th scope="col" className="px-1 py-0.5 text-left font-normal text-slate-600">
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
                  data-testid="confusion-cell"
                  data-actual={matrix.labels[r]}
                  data-predicted={matrix.labels[c]}
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
