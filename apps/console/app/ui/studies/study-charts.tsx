import type { TuningStudyDetail, TuningTrialStatus } from '@slipway/contracts';
import { formatMetric } from '../../lib/format';
import { formatParam, intermediateCurves, niceTicks, optimisationHistory, paddedRange, parallelCoordinates, rankColor } from '../../lib/studies/study-view';

// The study page's charts, drawn as plain SVG: the console's recharts charts are line charts over steps, and these
// need per-point state colours, a step line, broken polylines and log / categorical axes. Each chart is one
// role="img" with a label saying what it shows, and carries data-* counts so a test can check what is drawn.

const WIDTH = 640;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 16, bottom: 34, left: 60 };
const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;

export const TRIAL_STATE_COLORS: Record<TuningTrialStatus, string> = {
  COMPLETED: '#2563eb',
  PRUNED: '#d97706',
  FAILED: '#dc2626',
  RUNNING: '#64748b',
  QUEUED: '#94a3b8',
};
const BEST_COLOR = '#059669';

function scale(domain: [number, number], range: [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  return (v: number) => (d1 === d0 ? (r0 + r1) / 2 : r0 + ((v - d0) / (d1 - d0)) * (r1 - r0));
}

function ChartFrame({
  title,
  testId,
  label,
  data,
  children,
  legend,
}: {
  title: string;
  testId: string;
  label: string;
  data: Record<string, string | number>;
  children: React.ReactNode;
  legend?: React.ReactNode;
}) {
  const headingId = `${testId}-heading`;
  const dataAttributes = Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k}`, String(v)]));
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-testid={testId} {...dataAttributes}>
      <figcaption>
        <h3 id={headingId} className="mb-2 text-sm font-semibold text-slate-900">
          {title}
        </h3>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-auto w-full" role="img" aria-label={label}>
        {children}
      </svg>
      {legend}
    </figure>
  );
}

function Axes({
  x,
  y,
  xLabel,
  yLabel,
}: {
  x: { ticks: number[]; at: (v: number) => number };
  y: { ticks: number[]; at: (v: number) => number };
  xLabel: string;
  yLabel: string;
}) {
  const bottom = MARGIN.top + plotHeight;
  return (
    <g fontSize={11} fill="#475569">
      <line x1={MARGIN.left} x2={MARGIN.left + plotWidth} y1={bottom} y2={bottom} stroke="#94a3b8" />
      <line x1={MARGIN.left} x2={MARGIN.left} y1={MARGIN.top} y2={bottom} stroke="#94a3b8" />
      {x.ticks.map((t) => (
        <g key={`x${t}`}>
          <line x1={x.at(t)} x2={x.at(t)} y1={bottom} y2={bottom + 4} stroke="#94a3b8" />
          <text x={x.at(t)} y={bottom + 15} textAnchor="middle">
            {formatParam(t)}
          </text>
        </g>
      ))}
      {y.ticks.map((t) => (
        <g key={`y${t}`}>
          <line x1={MARGIN.left} x2={MARGIN.left + plotWidth} y1={y.at(t)} y2={y.at(t)} stroke="#e2e8f0" strokeDasharray="3 3" />
          <text x={MARGIN.left - 6} y={y.at(t) + 4} textAnchor="end">
            {formatMetric(t)}
          </text>
        </g>
      ))}
      <text x={MARGIN.left + plotWidth / 2} y={HEIGHT - 3} textAnchor="middle" fill="#334155">
        {xLabel}
      </text>
      <text x={12} y={MARGIN.top + plotHeight / 2} textAnchor="middle" transform={`rotate(-90 12 ${MARGIN.top + plotHeight / 2})`} fill="#334155">
        {yLabel}
      </text>
    </g>
  );
}

function Swatch({ color, dashed, label }: { color: string; dashed?: boolean; label: string }) {
  return (
    <li className="flex items-center gap-1.5">
      <svg width="18" height="8" aria-hidden="true">
        <line x1="0" x2="18" y1="4" y2="4" stroke={color} strokeWidth="2.5" strokeDasharray={dashed ? '4 3' : undefined} />
      </svg>
      {label}
    </li>
  );
}

function EmptyChart({ title, testId, message }: { title: string; testId: string; message: string }) {
  return (
    <figure className="rounded-lg border border-dashed border-slate-300 bg-white p-3" data-testid={testId} data-points="0">
      <figcaption>
        <h3 className="mb-1 text-sm font-semibold text-slate-900">{title}</h3>
      </figcaption>
      <p className="text-sm text-slate-600" data-testid={`${testId}-empty`}>
        {message}
      </p>
    </figure>
  );
}

/** Each trial's value by its number, coloured by state, with the best completed value so far as a step line. */
export function OptimisationHistoryChart({ study }: { study: TuningStudyDetail }) {
  const { points, best } = optimisationHistory(study.trials, study.objective.direction);
  const title = 'Optimisation history';
  if (points.length === 0) return <EmptyChart title={title} testId="history-chart" message="No trial has a value yet." />;
  const numbers = study.trials.map((t) => t.number);
  const xDomain: [number, number] = [Math.min(...numbers) - 0.5, Math.max(...numbers) + 0.5];
  const yDomain = paddedRange(points.map((p) => p.value));
  const x = scale(xDomain, [MARGIN.left, MARGIN.left + plotWidth]);
  const y = scale(yDomain, [MARGIN.top + plotHeight, MARGIN.top]);
  const xTicks = niceTicks(Math.ceil(xDomain[0]), Math.floor(xDomain[1]), 8).filter(Number.isInteger);
  const lastX = Math.max(...numbers);
  let bestPath = '';
  best.forEach((step, i) => {
    const next = best[i + 1];
    bestPath += `${i === 0 ? 'M' : 'L'}${x(step.number)},${y(step.best)} H${x(next ? next.number : lastX)} `;
  });
  const states = [...new Set(points.map((p) => p.status))];
  const finalBest = best[best.length - 1];
  return (
    <ChartFrame
      title={title}
      testId="history-chart"
      data={{ points: points.length, best: best.length }}
      label={`${study.objective.metric} of ${points.length} trials by trial number (${study.objective.direction}); best so far ${finalBest ? formatMetric(finalBest.best) : 'none yet'}`}
      legend={
        <ul className="mt-1 flex flex-wrap gap-x-4 text-xs text-slate-700">
          {states.map((s) => (
            <Swatch key={s} color={TRIAL_STATE_COLORS[s]} label={s.toLowerCase()} />
          ))}
          {best.length > 0 ? <Swatch color={BEST_COLOR} label="best so far" /> : null}
        </ul>
      }
    >
      <Axes x={{ ticks: xTicks, at: x }} y={{ ticks: niceTicks(yDomain[0], yDomain[1], 5), at: y }} xLabel="trial" yLabel={study.objective.metric} />
      {bestPath ? <path d={bestPath} fill="none" stroke={BEST_COLOR} strokeWidth={2} data-testid="history-best-line" /> : null}
      {points.map((p) => (
        <circle
          key={p.number}
          cx={x(p.number)}
          cy={y(p.value)}
          r={4.5}
          fill={TRIAL_STATE_COLORS[p.status]}
          fillOpacity={0.85}
          data-testid="history-point"
          data-status={p.status}
        >
          <title>{`trial ${p.number} (${p.status.toLowerCase()}): ${formatMetric(p.value)}`}</title>
        </circle>
      ))}
    </ChartFrame>
  );
}

/** One axis per parameter plus the objective; one line per completed trial, coloured from worst to best. */
export function ParallelCoordinatesChart({ study }: { study: TuningStudyDetail }) {
  const { axes, lines } = parallelCoordinates(study.searchSpace, study.trials, study.objective);
  const title = 'Parallel coordinates';
  if (lines.length === 0)
    return <EmptyChart title={title} testId="parallel-chart" message="No completed trial yet: each one becomes a line across the parameters." />;
  // Room above the axes for their names and to the right of the last one for its tick labels.
  const left = MARGIN.left - 20;
  const right = WIDTH - MARGIN.right - 48;
  const top = MARGIN.top + 26;
  const bottom = HEIGHT - MARGIN.bottom + 10;
  const xOf = (i: number) => (axes.length === 1 ? (left + right) / 2 : left + (i * (right - left)) / (axes.length - 1));
  const yOf = (at: number) => bottom - at * (bottom - top);
  const pathOf = (positions: (number | null)[]) => {
    let d = '';
    let pen = false;
    positions.forEach((at, i) => {
      if (at === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${xOf(i)},${yOf(at)} `;
      pen = true;
    });
    return d;
  };
  // Best lines drawn last, on top.
  const ordered = [...lines].sort((a, b) => a.rank - b.rank);
  return (
    <ChartFrame
      title={title}
      testId="parallel-chart"
      data={{ lines: lines.length, axes: axes.length }}
      label={`${lines.length} completed trials across ${axes.map((a) => `${a.name} (${a.scale})`).join(', ')}; colour from worst to best ${study.objective.metric}`}
      legend={
        <p className="mt-1 flex items-center gap-2 text-xs text-slate-700">
          <span>worst</span>
          <span
            aria-hidden="true"
            className="inline-block h-2 w-24 rounded"
            style={{ background: `linear-gradient(to right, ${rankColor(0)}, ${rankColor(0.5)}, ${rankColor(1)})` }}
          />
          <span>best {study.objective.metric}</span>
        </p>
      }
    >
      {ordered.map((line) => (
        <path
          key={line.number}
          d={pathOf(line.positions)}
          fill="none"
          stroke={rankColor(line.rank)}
          strokeWidth={1.75}
          strokeOpacity={0.85}
          data-testid="parallel-line"
        >
          <title>{`trial ${line.number}: ${formatMetric(line.value)}`}</title>
        </path>
      ))}
      {axes.map((axis, i) => (
        <g key={axis.name} fontSize={10} fill="#334155" data-testid="parallel-axis" data-axis={axis.name} data-scale={axis.scale}>
          <line x1={xOf(i)} x2={xOf(i)} y1={top} y2={bottom} stroke="#475569" />
          <text x={xOf(i)} y={top - 14} textAnchor="middle" fontWeight={600} fontSize={11}>
            {axis.name}
            {axis.scale === 'log' ? ' (log)' : ''}
          </text>
          {axis.ticks.map((tick) => (
            <g key={`${tick.label}:${tick.at}`}>
              <line x1={xOf(i) - 3} x2={xOf(i) + 3} y1={yOf(tick.at)} y2={yOf(tick.at)} stroke="#475569" />
              <text x={xOf(i) + 5} y={yOf(tick.at) + 3} textAnchor="start" stroke="white" strokeWidth={3} paintOrder="stroke">
                {tick.label}
              </text>
            </g>
          ))}
        </g>
      ))}
    </ChartFrame>
  );
}

/** Each trial's reported values by step: pruned trials dashed in amber, the others solid. */
export function IntermediateValuesChart({ study }: { study: TuningStudyDetail }) {
  const curves = intermediateCurves(study.trials).filter((c) => c.points.length > 0);
  const title = 'Intermediate values';
  if (curves.length === 0)
    return (
      <EmptyChart
        title={title}
        testId="intermediate-chart"
        message="No trial has reported intermediate values (the algorithm reports them per epoch or fold, where it has them)."
      />
    );
  const all = curves.flatMap((c) => c.points);
  const steps = all.map((p) => p.step);
  const xDomain: [number, number] = [Math.min(...steps), Math.max(...steps) === Math.min(...steps) ? Math.min(...steps) + 1 : Math.max(...steps)];
  const yDomain = paddedRange(all.map((p) => p.value));
  const x = scale(xDomain, [MARGIN.left, MARGIN.left + plotWidth]);
  const y = scale(yDomain, [MARGIN.top + plotHeight, MARGIN.top]);
  const pruned = curves.filter((c) => c.pruned).length;
  return (
    <ChartFrame
      title={title}
      testId="intermediate-chart"
      data={{ curves: curves.length, pruned }}
      label={`${study.objective.metric} by step for ${curves.length} trials, ${pruned} of them pruned (dashed)`}
      legend={
        <ul className="mt-1 flex flex-wrap gap-x-4 text-xs text-slate-700">
          <Swatch color={TRIAL_STATE_COLORS.COMPLETED} label="kept" />
          <Swatch color={TRIAL_STATE_COLORS.PRUNED} dashed label="pruned" />
        </ul>
      }
    >
      <Axes
        x={{ ticks: niceTicks(xDomain[0], xDomain[1], 8).filter(Number.isInteger), at: x }}
        y={{ ticks: niceTicks(yDomain[0], yDomain[1], 5), at: y }}
        xLabel="step"
        yLabel={study.objective.metric}
      />
      {curves.map((curve) => {
        const color = curve.pruned ? TRIAL_STATE_COLORS.PRUNED : TRIAL_STATE_COLORS.COMPLETED;
        const d = curve.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.step)},${y(p.value)}`).join(' ');
        return (
          <g key={curve.number} data-testid="intermediate-curve" data-trial={curve.number} data-pruned={curve.pruned ? 'true' : 'false'}>
            <path d={d} fill="none" stroke={color} strokeWidth={1.75} strokeOpacity={0.8} strokeDasharray={curve.pruned ? '5 4' : undefined}>
              <title>{`trial ${curve.number} (${curve.status.toLowerCase()})`}</title>
            </path>
            {curve.points.length === 1 ? <circle cx={x(curve.points[0].step)} cy={y(curve.points[0].value)} r={3} fill={color} /> : null}
          </g>
        );
      })}
    </ChartFrame>
  );
}

/** Each parameter's share of the objective's variance over the completed trials, largest first. */
export function ParameterImportanceChart({ study }: { study: TuningStudyDetail }) {
  const rows = [...study.importance].filter((r) => Number.isFinite(r.importance)).sort((a, b) => b.importance - a.importance);
  const title = 'Parameter importance';
  if (rows.length === 0)
    return (
      <EmptyChart title={title} testId="importance-chart" message="Importance needs a few completed trials with different parameters; none to show yet." />
    );
  const top = Math.max(...rows.map((r) => r.importance), Number.MIN_VALUE);
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-testid="importance-chart" data-bars={rows.length}>
      <figcaption>
        <h3 className="mb-2 text-sm font-semibold text-slate-900">{title}</h3>
      </figcaption>
      <table className="w-full text-sm">
        <caption className="sr-only">Share of the objective&apos;s variance each parameter explains, over the completed trials</caption>
        <thead className="sr-only">
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col">Bar</th>
            <th scope="col">Importance</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.param} data-testid="importance-bar" data-param={r.param}>
              <th scope="row" className="w-40 truncate px-2 py-0.5 text-left font-mono text-xs font-medium" title={r.param}>
                {r.param}
              </th>
              <td className="px-2 py-0.5">
                <div className="h-3 rounded-sm bg-sky-600" style={{ width: `${Math.max(0, (r.importance / top) * 100).toFixed(1)}%` }} aria-hidden="true" />
              </td>
              <td className="w-20 whitespace-nowrap px-2 py-0.5 text-right font-mono text-xs tabular-nums">{formatMetric(r.importance)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
