'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { IMBALANCE_WARNING, imbalanceRatio, type ClassShare } from '../../lib/dataset-view';
import { formatCount } from '../../lib/format';

/** Tooltip text in body colour: recharts colours it like the bar, which fails contrast on white (axe color-contrast). */
const TOOLTIP_TEXT = { color: '#0f172a' };

/** How many rows (or images) each class has: a bar chart, and the same numbers as a table for reading them exactly. */
export function ClassBalance({ caption, unit, shares }: { caption: string; unit: 'rows' | 'images'; shares: ClassShare[] }) {
  const ratio = imbalanceRatio(shares);
  const chartHeight = Math.min(420, Math.max(120, shares.length * 26 + 20));
  return (
    <div className="grid gap-4 lg:grid-cols-[2fr_1fr]" data-testid="class-balance" data-classes={shares.length}>
      <figure className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
        <figcaption className="mb-2 text-sm font-semibold text-slate-900">{caption}</figcaption>
        <div style={{ height: chartHeight }} role="img" aria-label={`${caption}: ${shares.map((s) => `${s.value} ${s.count}`).join(', ')}`}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={shares.slice(0, 50)} layout="vertical" margin={{ top: 0, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" horizontal={false} />
              <XAxis type="number" tick={{ fontSize: 11 }} allowDecimals={false} />
              <YAxis type="category" dataKey="value" width={120} tick={{ fontSize: 11 }} interval={0} />
              <Tooltip itemStyle={TOOLTIP_TEXT} formatter={(value) => [formatCount(Number(value)), unit]} />
              <Bar dataKey="count" fill="#059669" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
        {shares.length > 50 ? <figcaption className="mt-1 text-xs text-slate-600">The 50 largest of {shares.length} classes are drawn.</figcaption> : null}
      </figure>
      <div className="space-y-2">
        <table className="w-full text-sm" data-testid="class-balance-table">
          <caption className="sr-only">{caption}</caption>
          <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="py-1 pr-3">
                Class
              </th>
              <th scope="col" className="py-1 pr-3 text-right">
                {unit === 'images' ? 'Images' : 'Rows'}
              </th>
              <th scope="col" className="py-1 text-right">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {shares.map((s) => (
              <tr key={s.value} data-testid="class-row" data-class={s.value} data-count={s.count}>
                <th scope="row" className="py-0.5 pr-3 text-left font-mono font-normal">
                  {s.value}
                </th>
                <td className="py-0.5 pr-3 text-right tabular-nums">{formatCount(s.count)}</td>
                <td className="py-0.5 text-right tabular-nums">{(s.share * 100).toFixed(1)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
        {ratio !== null && ratio >= IMBALANCE_WARNING ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-200" data-testid="class-imbalance">
            The largest class has {Number.isFinite(ratio) ? `${ratio.toFixed(1)}×` : 'infinitely many times'} the {unit} of the smallest: consider a stratified
            split.
          </p>
        ) : null}
      </div>
    </div>
  );
}
