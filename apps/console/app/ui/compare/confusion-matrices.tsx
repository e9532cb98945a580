import type { Evaluation } from '@slipway/contracts';
import { seriesColor } from '../../lib/chart-data';
import { ConfusionHeatMapTable, MAX_CONFUSION_CLASSES } from '../charts/confusion-heat-map';

type Matrix = NonNullable<Evaluation['confusionMatrix']>;

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
          ) : matrix.labels.length > MAX_CONFUSION_CLASSES ? (
            <p className="text-xs text-slate-600">{matrix.labels.length} classes: too many to show as a table.</p>
          ) : (
            <ConfusionHeatMapTable matrix={matrix} caption={`Confusion matrix of ${labels[index]}`} />
          )}
        </li>
      ))}
    </ul>
  );
}
