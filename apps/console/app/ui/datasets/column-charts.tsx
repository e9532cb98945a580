'use client';

import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { columnChartKind, formatStat, histogramBars, type ColumnProfile } from '../../lib/dataset-view';
import { formatCount } from '../../lib/format';

/** Tooltip text in body colour: recharts colours it like the bar, which fails contrast on white (axe color-contrast). */
const TOOLTIP_TEXT = { color: '#0f172a' };

/** Charts drawn at first; a wide table (digits has 64 pixel columns) shows the rest on request. */
const FIRST_CHARTS = 24;

/** A histogram per numeric column and the most frequent values per categorical one, in the file's column order. */
export function ColumnCharts({ columns }: { columns: ColumnProfile[] }) {
  const charted = columns.filter((column) => columnChartKind(column) !== null);
  const [showAll, setShowAll] = useState(charted.length <= FIRST_CHARTS);
  if (charted.length === 0) return <p className="text-sm text-slate-600">No column has values to chart.</p>;
  const shown = showAll ? charted : charted.slice(0, FIRST_CHARTS);
  return (
    <div className="space-y-3">
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {shown.map((column) => (
          <li key={column.name}>{columnChartKind(column) === 'histogram' ? <Histogram column={column} /> : <TopValues column={column} />}</li>
        ))}
      </ul>
      {showAll ? null : (
        <button
          type="button"
          onClick={() => setShowAll(true)}
          className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100"
        >
          Show all {charted.length} charts
        </button>
      )}
    </div>
  );
}

function Histogram({ column }: { column: ColumnProfile }) {
  const bars = column.histogram ? histogramBars(column.histogram) : [];
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-testid="column-histogram" data-column={column.name}>
      <figcaption className="mb-1 flex items-baseline justify-between gap-2">
        <span className="truncate font-mono text-sm font-semibold text-slate-900">{column.name}</span>
        <span className="shrink-0 text-xs text-slate-600">
          {formatStat(column.min)} … {formatStat(column.max)}
          {column.sampled ? ' · sampled' : ''}
        </span>
      </figcaption>
      <div
        style={{ height: 140 }}
        role="img"
        aria-label={`Histogram of ${column.name}: ${bars.length} bins from ${formatStat(column.min)} to ${formatStat(column.max)}`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={bars} margin={{ top: 4, right: 4, bottom: 0, left: 0 }} barCategoryGap={1}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
            <XAxis dataKey="label" tick={false} height={4} />
            <YAxis tick={{ fontSize: 10 }} width={40} allowDecimals={false} />
            <Tooltip itemStyle={TOOLTIP_TEXT} formatter={(value) => [formatCount(Number(value)), 'rows']} labelFormatter={(label) => String(label)} />
            <Bar dataKey="count" fill="#0284c7" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

function TopValues({ column }: { column: ColumnProfile }) {
  const values = (column.topValues ?? []).slice(0, 10);
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-testid="column-top-values" data-column={column.name}>
      <figcaption className="mb-1 flex items-baseline justify-between gap-2">
        <span className="truncate font-mono text-sm font-semibold text-slate-900">{column.name}</span>
        <span className="shrink-0 text-xs text-slate-600">
          top {values.length} of {column.distinct === undefined ? '?' : `${formatCount(column.distinct)}${column.distinctExact === false ? '+' : ''}`}
        </span>
      </figcaption>
      <div
        style={{ height: Math.max(80, values.length * 22 + 10) }}
        role="img"
        aria-label={`Most frequent values of ${column.name}: ${values.map((v) => `${v.value} (${v.count})`).join(', ')}`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={values} layout="vertical" margin={{ top: 0, right: 8, bottom: 0, left: 0 }}>
            <XAxis type="number" hide allowDecimals={false} />
            <YAxis type="category" dataKey="value" width={96} tick={{ fontSize: 10 }} interval={0} />
            <Tooltip itemStyle={TOOLTIP_TEXT} formatter={(value) => [formatCount(Number(value)), 'rows']} />
            <Bar dataKey="count" fill="#7c3aed" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
