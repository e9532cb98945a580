'use client';

import type { DeploymentMetricsView } from '@slipway/contracts';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { mergeSeriesByStep, seriesColor, seriesKey } from '../../lib/chart-data';
import { formatMetric } from '../../lib/format';
import { legendText } from '../charts/legend-text';

// recharts colours tooltip items like their line, which fails axe's colour contrast on the light tooltip.
const TOOLTIP_TEXT = { color: '#0f172a' };

type Metric = 'requestRate' | 'errorRate' | 'p99Ms';

const CHARTS: { metric: Metric; title: string; unit: string }[] = [
  { metric: 'requestRate', title: 'Request rate', unit: 'req/s' },
  { metric: 'errorRate', title: 'Error rate', unit: 'share failed' },
  { metric: 'p99Ms', title: 'p99 latency', unit: 'ms' },
];

const seriesName = (s: DeploymentMetricsView['series'][number]) => `${s.version === null ? 'unknown' : `v${s.version}`} ${s.role}`;
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** One chart per metric, one line per version and role, over the serving replicas' 10 s windows. */
export function TrafficCharts({ metrics }: { metrics: DeploymentMetricsView }) {
  if (metrics.series.length === 0) {
    return (
      <p className="text-sm text-slate-600" data-testid="traffic-empty">
        No traffic since {clock(Date.parse(metrics.since))} UTC. Requests to the predict URL show here within seconds.
      </p>
    );
  }
  return (
    <div className="space-y-4">
      <table className="min-w-full text-sm" data-testid="traffic-totals">
        <caption className="sr-only">Traffic per version since {metrics.since}</caption>
        <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            {['Version', 'Requests', 'Errors', 'Error rate', 'p99 (ms)'].map((h) => (
              <th key={h} scope="col" className="px-2 py-1">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {metrics.series.map((s) => (
            <tr
              key={`${s.versionId}/${s.role}`}
              data-testid="traffic-total"
              data-role={s.role}
              data-version={s.version ?? ''}
              data-requests={s.totals.requests}
            >
              <th scope="row" className="px-2 py-1 text-left font-mono text-xs">
                {seriesName(s)}
              </th>
              <td className="px-2 py-1 font-mono tabular-nums">{s.totals.requests}</td>
              <td className="px-2 py-1 font-mono tabular-nums">{s.totals.errors}</td>
              <td className="px-2 py-1 font-mono tabular-nums">{s.totals.errorRate === null ? '—' : formatMetric(s.totals.errorRate)}</td>
              <td className="px-2 py-1 font-mono tabular-nums">{s.totals.p99Ms === null ? '—' : formatMetric(s.totals.p99Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3" data-testid="traffic-charts">
        {CHARTS.map((chart) => (
          <TimeChart key={chart.metric} metrics={metrics} metric={chart.metric} title={`${chart.title} (${chart.unit})`} />
        ))}
      </div>
    </div>
  );
}

function TimeChart({ metrics, metric, title }: { metrics: DeploymentMetricsView; metric: Metric; title: string }) {
  const rows = mergeSeriesByStep(
    metrics.series.map((s) => s.points.flatMap((p) => (p[metric] === null ? [] : [{ step: Date.parse(p.at), value: p[metric] as number }]))),
  );
  const names = metrics.series.map(seriesName);
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-testid="traffic-chart" data-metric={metric}>
      <figcaption className="mb-2 text-sm font-semibold text-slate-900">{title}</figcaption>
      <div style={{ height: 200 }} role="img" aria-label={`${title} over time for ${names.join(', ')}`}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 4, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="step" type="number" scale="time" domain={['dataMin', 'dataMax']} tick={{ fontSize: 11 }} tickFormatter={clock} />
            <YAxis tick={{ fontSize: 11 }} width={56} domain={[0, 'auto']} tickFormatter={(v: number) => formatMetric(v)} />
            <Tooltip
              itemStyle={TOOLTIP_TEXT}
              formatter={(value) => (typeof value === 'number' ? formatMetric(value) : String(value))}
              labelFormatter={(at) => `${clock(Number(at))} UTC`}
            />
            {names.length > 1 ? <Legend wrapperStyle={{ fontSize: 11 }} formatter={legendText} /> : null}
            {names.map((name, index) => (
              <Line
                key={name}
                type="monotone"
                dataKey={seriesKey(index)}
                name={name}
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

/** PSI per input feature against each version's training profile; 0.1–0.25 is a moderate shift, above 0.25 a large one. */
export function DriftTable({ metrics }: { metrics: DeploymentMetricsView }) {
  const withDrift = metrics.series.filter((s) => s.drift.length > 0);
  if (withDrift.length === 0) {
    return (
      <p className="text-sm text-slate-600" data-testid="drift-empty">
        No drift measured yet: it needs traffic with binned inputs to a version that has a training profile.
      </p>
    );
  }
  const max = Math.max(0.25, ...withDrift.flatMap((s) => s.drift.map((d) => d.psi)));
  return (
    <div className="space-y-4">
      {withDrift.map((s) => (
        <table key={`${s.versionId}/${s.role}`} className="min-w-full text-sm" data-testid="drift-table" data-role={s.role}>
          <caption className="mb-1 text-left text-sm font-semibold text-slate-900">{`Input drift of ${seriesName(s)}`}</caption>
          <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-2 py-1">
                Feature
              </th>
              <th scope="col" className="px-2 py-1">
                PSI
              </th>
              <th scope="col" className="w-1/2 px-2 py-1">
                <span className="sr-only">Bar</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {s.drift.slice(0, 50).map((d) => (
              <tr key={d.feature} data-testid="drift-row" data-feature={d.feature} data-psi={d.psi}>
                <th scope="row" className="px-2 py-1 text-left font-mono text-xs">
                  {d.feature}
                </th>
                <td className="px-2 py-1 font-mono tabular-nums">{formatMetric(d.psi)}</td>
                <td className="px-2 py-1">
                  <div aria-hidden="true" className="h-3 rounded bg-slate-100">
                    <div
                      className={`h-3 rounded ${d.psi > 0.25 ? 'bg-red-600' : d.psi > 0.1 ? 'bg-amber-500' : 'bg-emerald-600'}`}
                      style={{ width: `${Math.min(100, (d.psi / max) * 100)}%` }}
                    />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
