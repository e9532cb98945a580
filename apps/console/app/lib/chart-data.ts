import { isFiniteMetricValue, type MetricValue } from '@slipway/contracts';

/**
 * One row per step, one column (`s0`, `s1`, …) per series: the shape a recharts LineChart with one Line per series
 * reads. Non-finite points (a diverged "NaN" or "Infinity") are left out: a chart cannot place them, and one of them
 * would stretch or break the axis; the line bridges the gap and the value tables still show them.
 */
export function mergeSeriesByStep(series: readonly (readonly { step: number; value: MetricValue }[])[]): Record<string, number>[] {
  const rows = new Map<number, Record<string, number>>();
  series.forEach((points, index) => {
    for (const { step, value } of points) {
      if (!isFiniteMetricValue(value)) continue;
      let row = rows.get(step);
      if (!row) {
        row = { step };
        rows.set(step, row);
      }
      row[seriesKey(index)] = value;
    }
  });
  return [...rows.values()].sort((a, b) => a.step - b.step);
}

export function seriesKey(index: number): string {
  return `s${index}`;
}

const palette = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#4b5563', '#ea580c'];

/** Ten distinct colours, then hues spread by the golden angle so 50 series stay tell-apart-able. */
export function seriesColor(index: number): string {
  if (index < palette.length) return palette[index];
  return `hsl(${Math.round((index * 137.508) % 360)} 65% 42%)`;
}

/** At most `max` points, evenly spaced, first and last kept: enough for a chart, small enough to send to the browser. */
export function downsample<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  if (max < 2) return points.slice(0, max);
  const out: T[] = [];
  const stride = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * stride)]);
  return out;
}
