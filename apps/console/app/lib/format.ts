import { formatMetricValue, metricValueFromNumber, type MetricValue } from '@slipway/contracts';

/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago" — for timestamps that are compared every second. */
export function formatAgo(at: string | number, nowMs: number): string {
  const atMs = typeof at === 'number' ? at : Date.parse(at);
  const seconds = Math.max(0, Math.round((nowMs - atMs) / 1000));
  if (seconds < 1) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

export function formatLatency(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function formatUptime(totalSeconds: number): string {
  const s = Math.floor(totalSeconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

const integer = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return integer.format(n);
}

/**
 * Metric values: up to 4 decimals for ordinary magnitudes, exponent notation for very small or large ones;
 * a diverged value (the API's "NaN" / "Infinity" / "-Infinity", or the JS number) as NaN, ∞ or −∞.
 */
export function formatMetric(value: MetricValue): string {
  if (typeof value === 'string' || !Number.isFinite(value)) return formatMetricValue(metricValueFromNumber(Number(value)));
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return integer.format(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e9)) return value.toExponential(3);
  return Number(value.toFixed(4)).toString();
}

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** `2026-11-27 04:00 UTC`: the same on the server and in every browser, so hydration matches. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
