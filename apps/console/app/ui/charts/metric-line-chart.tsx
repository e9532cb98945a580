'use client';

import type { MetricValue } from '@slipway/contracts';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { mergeSeriesByStep, seriesColor, seriesKey } from '../../lib/chart-data';
import { formatMetric } from '../../lib/format';
import { legendText } from './legend-text';

export interface StepSeries {
  name: string;
  points: readonly { step: number; value: MetricValue }[];
}

/** One metric over steps, one line per series (a version or a run), coloured by the series' position. */
export function MetricLineChart({ title, series, height = 240 }: { title: string; series: StepSeries[]; height?: number }) {
  const rows = mergeSeriesByStep(series.map((s) => s.points));
  // One series needs no legend (the title names it); past eight the legend is a wall of text.
  const legend = series.length > 1 && series.length <= 8;
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-testid="metric-chart" data-metric={title}>
      <figcaption className="mb-2 font-mono text-sm font-semibold text-slate-900">{title}</figcaption>
      <div style={{ height }} role="img" aria-label={`${title} by step for ${series.map((s) => s.name).join(', ')}`}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 4, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tick={{ fontSize: 11 }} allowDecimals={false} />
            <YAxis tick={{ fontSize: 11 }} width={56} domain={['auto', 'auto']} tickFormatter={(v: number) => formatMetric(v)} />
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? formatMetric(value) : String(value))}
              labelFormatter={(step) => `step ${String(step)}`}
            />
            {legend ? <Legend wrapperStyle={{ fontSize: 11 }} formatter={legendText} /> : null}
            {series.map((s, index) => (
              <Line
                key={s.name}
                type="monotone"
                dataKey={seriesKey(index)}
                name={s.name}
                stroke={seriesColor(index)}
                dot={rows.length <= 20}
                strokeWidth={1.75}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
