'use client';

import type { CompareResult } from '@slipway/contracts';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { seriesColor } from '../../lib/chart-data';
import { formatMetric } from '../../lib/format';
import { legendText } from '../charts/legend-text';
import { MetricLineChart } from '../charts/metric-line-chart';

/** One compared item's ROC curve(s), already downsampled on the server. */
export interface RocSeries {
  item: number;
  curves: { label?: string; auc?: number; points: { x: number; y: number }[] }[];
}

const diagonal = [
  { x: 0, y: 0 },
  { x: 1, y: 1 },
];

export function CompareCharts({ labels, histories, rocs }: { labels: string[]; histories: CompareResult['histories']; rocs: RocSeries[] }) {
  const rocLines = rocs.flatMap(({ item, curves }) =>
    curves.map((curve, c) => ({
      key: `${item}-${c}`,
      item,
      name: `${labels[item]}${curve.label ? ` · ${curve.label}` : ''}${curve.auc === undefined ? '' : ` (AUC ${formatMetric(curve.auc)})`}`,
      points: curve.points,
      dashed: c > 0,
    })),
  );
  return (
    <>
      <section aria-labelledby="curves-heading" data-testid="compare-curves">
        <h2 id="curves-heading" className="text-lg font-semibold text-slate-900">
          Training curves
        </h2>
        <p className="mb-3 text-sm text-slate-600">Each metric&apos;s logged history, one line per version.</p>
        {histories.length === 0 ? (
          <p className="text-sm text-slate-600">No metric history was logged for these versions&apos; runs.</p>
        ) : (
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            {histories.map((history) => (
              <MetricLineChart key={history.key} title={history.key} series={history.series.map((points, index) => ({ name: labels[index], points }))} />
            ))}
          </div>
        )}
      </section>

      <section aria-labelledby="roc-heading" data-testid="compare-roc">
        <h2 id="roc-heading" className="text-lg font-semibold text-slate-900">
          ROC curves
        </h2>
        <p className="mb-3 text-sm text-slate-600">True-positive rate against false-positive rate, from each version&apos;s stored evaluation.</p>
        {rocLines.length === 0 ? (
          <p className="text-sm text-slate-600">None of these versions stored a ROC curve with its evaluation.</p>
        ) : (
          <figure className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-testid="roc-chart">
            <div className="h-96" role="img" aria-label={`ROC curves of ${rocLines.map((l) => l.name).join(', ')}`}>
              <ResponsiveContainer width="100%" height="100%">
                <LineChart margin={{ top: 4, right: 12, bottom: 16, left: 4 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                  <XAxis
                    dataKey="x"
                    type="number"
                    domain={[0, 1]}
                    tick={{ fontSize: 11 }}
                    label={{ value: 'false-positive rate', position: 'insideBottom', offset: -8, fontSize: 11 }}
                  />
                  <YAxis
                    dataKey="y"
                    type="number"
                    domain={[0, 1]}
                    tick={{ fontSize: 11 }}
                    label={{ value: 'true-positive rate', angle: -90, position: 'insideLeft', fontSize: 11 }}
                  />
                  <Tooltip
                    formatter={(value) => (typeof value === 'number' ? formatMetric(value) : String(value))}
                    labelFormatter={(x) => `FPR ${formatMetric(Number(x))}`}
                  />
                  {rocLines.length <= 10 ? <Legend verticalAlign="top" wrapperStyle={{ fontSize: 11 }} formatter={legendText} /> : null}
                  <Line
                    data={diagonal}
                    dataKey="y"
                    name="chance"
                    stroke="#94a3b8"
                    strokeDasharray="4 4"
                    dot={false}
                    isAnimationActive={false}
                    legendType="none"
                  />
                  {rocLines.map((line) => (
                    <Line
                      key={line.key}
                      data={line.points}
                      dataKey="y"
                      name={line.name}
                      stroke={seriesColor(line.item)}
                      strokeDasharray={line.dashed ? '6 3' : undefined}
                      dot={false}
                      strokeWidth={1.75}
                      isAnimationActive={false}
                    />
                  ))}
                </LineChart>
              </ResponsiveContainer>
            </div>
          </figure>
        )}
      </section>
    </>
  );
}
