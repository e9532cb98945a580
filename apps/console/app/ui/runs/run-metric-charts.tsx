'use client';

import type { MetricValue } from '@slipway/contracts';
import { MetricLineChart } from '../charts/metric-line-chart';

export function RunMetricCharts({ histories }: { histories: { key: string; points: { step: number; value: MetricValue }[] }[] }) {
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      {histories.map((history) => (
        <MetricLineChart key={history.key} title={history.key} series={[{ name: history.key, points: history.points }]} height={220} />
      ))}
    </div>
  );
}
