import { z } from 'zod';

/**
 * Metric values are IEEE doubles, stored bit-exact (Postgres float8). A diverged loss is a real outcome, so
 * NaN and ±Infinity are values too; JSON has no literal for them, so on the wire they are these strings.
 */
export const NON_FINITE_METRIC_VALUES = ['NaN', 'Infinity', '-Infinity'] as const;
export type NonFiniteMetricValue = (typeof NON_FINITE_METRIC_VALUES)[number];
/** A metric value on the wire: a finite number, or one of the strings for NaN and ±Infinity. */
export type MetricValue = number | NonFiniteMetricValue;

/** The wire form in responses (no transform: clients see exactly what was sent). */
export const metricValueSchema = z.union([z.number().finite(), z.enum(NON_FINITE_METRIC_VALUES)]);

/**
 * The wire form in requests, parsed to a JS number (NaN/±Infinity for the strings). −0 becomes 0: JSON output
 * cannot say −0 (JSON.stringify(-0) is "0") and −0 = 0 in every comparison, so storing it would only make a
 * value that reads back differently from what was logged.
 */
export const metricValueInputSchema = z
  .union([z.number().finite(), z.enum(NON_FINITE_METRIC_VALUES, { error: 'must be a finite number or one of "NaN", "Infinity", "-Infinity"' })], {
    error: 'must be a finite number or one of "NaN", "Infinity", "-Infinity"',
  })
  .transform(metricValueToNumber);

/** Wire form → JS number. */
export function metricValueToNumber(value: MetricValue): number {
  if (typeof value === 'number') return value === 0 ? 0 : value;
  return Number(value);
}

/** JS number (as read from float8) → wire form. */
export function metricValueFromNumber(value: number): MetricValue {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value === 0 ? 0 : value;
}

/** Whether a wire value is a finite number (charts plot only these; "best" is chosen only among these). */
export function isFiniteMetricValue(value: MetricValue | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** For display: the finite number as JS prints it (shortest round-trip), NaN, ∞ or −∞. */
export function formatMetricValue(value: MetricValue | null | undefined, format: (n: number) => string = String): string {
  if (value === null || value === undefined) return '';
  if (value === 'NaN') return 'NaN';
  if (value === 'Infinity') return '∞';
  if (value === '-Infinity') return '−∞';
  return format(value);
}
